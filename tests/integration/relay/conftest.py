"""A relay on a temporary SQLite database with a fast sandbox gateway, driven over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import RelaySettings, parse_settings
from tests.support.relaykit import relay_config


@pytest.fixture
def settings(tmp_path: Path) -> RelaySettings:
    return parse_settings(relay_config(), data_dir=tmp_path)


@pytest.fixture
def client(settings: RelaySettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def token(settings: RelaySettings) -> Callable[..., str]:
    def make(agent: str = "agent-1", tenant: str = "acme", **kwargs: Any) -> str:
        return mint_token(settings, tenant=tenant, agent=agent, **kwargs)

    return make
