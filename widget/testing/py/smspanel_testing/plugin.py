"""The pytest plugin (entry point ``pytest11``: ``sms_panel``), on top of pytest-playwright.

Fixtures: ``sms_relay`` (a relay process for the session), ``sms_relay_reset`` (the same relay,
emptied before the test), ``sms_relay_config``, ``sms_allowed_origins``, ``sms_agent``,
``sms_token``, ``sms_agent_token``, ``sms_admin_token``, ``sms_panel`` (on pytest-playwright's
``page``) and ``sms_chromium`` (the launch options). pytest-playwright's browser launches
Debian's Chromium with the project's flags unless ``--sms-chromium`` says otherwise.

Loading this module imports neither the relay nor the compose core and starts nothing: a run
that uses none of the fixtures (the core's own unit tests, say) is left as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from .contract import CHROMIUM_ARGS, CHROMIUM_EXECUTABLE
from .relay import RelayError, RelayProcess

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .page import SmsPanel

#: ``--sms-chromium playwright``: Playwright's own browser (after ``playwright install``).
PLAYWRIGHTS_OWN = "playwright"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sms_panel", "sms-panel QA kit")
    options: list[tuple[str, str, str | None, str]] = [
        (
            "sms_chromium",
            "--sms-chromium",
            CHROMIUM_EXECUTABLE,
            f"Chromium to launch (default {CHROMIUM_EXECUTABLE}); "
            f"'{PLAYWRIGHTS_OWN}' for Playwright's own browser",
        ),
        (
            "sms_chromium_args",
            "--sms-chromium-args",
            " ".join(CHROMIUM_ARGS),
            "Chromium's flags, one string (default: the project's headless flags)",
        ),
        (
            "sms_relay_config",
            "--sms-relay-config",
            None,
            "the relay's TOML configuration (default: the relay's embedded demo)",
        ),
        (
            "sms_tenant",
            "--sms-tenant",
            None,
            "the tenant tokens are minted for (default: the configuration's first)",
        ),
        (
            "sms_relay_timeout",
            "--sms-relay-timeout",
            "60",
            "seconds the relay may take to start (default 60)",
        ),
    ]
    for ini, flag, default, help_text in options:
        group.addoption(flag, dest=ini, default=None, help=help_text)
        parser.addini(ini, help=help_text, default=default)


def setting(config: pytest.Config, name: str) -> str | None:
    """An option: the command line, else the ini file, else its default."""
    value = config.getoption(name)
    if value is None:
        value = config.getini(name)
    return str(value) if value not in (None, "") else None


def pytest_configure(config: pytest.Config) -> None:
    # Registered now, after every plugin loaded from an entry point: pytest lets the fixture
    # registered last win, so these replace pytest-playwright's own whatever the load order.
    from . import launch

    config.pluginmanager.register(launch, "sms_panel_launch")


@pytest.fixture(scope="session")
def sms_chromium(pytestconfig: pytest.Config, browser_name: str | None) -> dict[str, Any]:
    """Playwright's launch options for Chromium: ``executable_path`` and ``args``."""
    if browser_name not in (None, "chromium"):
        return {}
    executable = setting(pytestconfig, "sms_chromium") or CHROMIUM_EXECUTABLE
    args = shlex.split(setting(pytestconfig, "sms_chromium_args") or "")
    if executable == PLAYWRIGHTS_OWN:
        return {"args": args}
    path = Path(executable)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {executable}: install Debian's chromium package "
            "(apt-get install chromium), pass --sms-chromium=PATH, or "
            f"--sms-chromium={PLAYWRIGHTS_OWN} after `playwright install chromium`",
            pytrace=False,
        )
    return {"executable_path": str(path), "args": args}


def attempt(action: Callable[[], object]) -> str | None:
    """None when ``action`` ran, else what the RelayError says."""
    try:
        action()
    except RelayError as error:
        return str(error)
    return None


@pytest.fixture(scope="session")
def sms_relay_config(pytestconfig: pytest.Config) -> Path | None:
    """The TOML the relay starts from (``--sms-relay-config``, a path relative to the rootdir
    in an ini file); None runs the relay's embedded demo. Override it in a conftest.py."""
    value = setting(pytestconfig, "sms_relay_config")
    if value is None:
        return None
    path = Path(value)
    return path if path.is_absolute() else Path(pytestconfig.rootpath) / path


@pytest.fixture(scope="session")
def sms_allowed_origins() -> Sequence[str]:
    """Origins of the suite's host pages, added to every tenant's ``cors_origins`` (override
    it to return yours, e.g. ``["http://localhost:8123"]``)."""
    return ()


@pytest.fixture(scope="session")
def sms_relay(
    pytestconfig: pytest.Config,
    tmp_path_factory: pytest.TempPathFactory,
    sms_relay_config: Path | None,
    sms_allowed_origins: Sequence[str],
) -> Iterator[RelayProcess]:
    """A relay for the session: its own process on a free port of 127.0.0.1, its own data
    folder (SQLite), stopped by its PID when the session ends."""
    relay = RelayProcess(
        tmp_path_factory.mktemp("sms-relay"),
        config=sms_relay_config,
        allowed_origins=sms_allowed_origins,
        startup_timeout=float(setting(pytestconfig, "sms_relay_timeout") or 60),
    )
    failure = attempt(relay.start)
    if failure:  # outside the except block, so pytest shows the message and no chained trace
        pytest.fail(f"the sms-panel relay did not start: {failure}", pytrace=False)
    try:
        yield relay
    finally:
        relay.stop()


@pytest.fixture
def sms_relay_reset(sms_relay: RelayProcess) -> RelayProcess:
    """The session's relay with nothing stored: no messages, drafts, opt-outs or admin
    changes from earlier tests (a restart on an empty data folder, same URL, about 2 s)."""
    failure = attempt(sms_relay.reset)
    if failure:
        pytest.fail(f"the sms-panel relay could not be reset: {failure}", pytrace=False)
    return sms_relay


@pytest.fixture
def sms_agent(request: pytest.FixtureRequest) -> str:
    """An agent id of this test's own (its drafts and messages are no other test's)."""
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:32]
    digest = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:6]
    return f"qa-{name}-{digest}"


class MintToken(Protocol):
    def __call__(
        self,
        agent: str | None = None,
        *,
        tenant: str | None = None,
        queues: Sequence[str] | None = None,
        ttl_seconds: int = 3600,
        role: str | None = None,
    ) -> str: ...


@pytest.fixture
def sms_token(pytestconfig: pytest.Config, sms_relay: RelayProcess, sms_agent: str) -> MintToken:
    """Mints tokens as the CRM would: ``sms_token(agent=None, *, tenant=None, queues=None,
    ttl_seconds=3600, role=None)``; the agent defaults to ``sms_agent``, the tenant to
    ``--sms-tenant`` or the configuration's first."""
    default_tenant = setting(pytestconfig, "sms_tenant")

    def mint(
        agent: str | None = None,
        *,
        tenant: str | None = None,
        queues: Sequence[str] | None = None,
        ttl_seconds: int = 3600,
        role: str | None = None,
    ) -> str:
        tokens: list[str] = []
        failure = attempt(
            lambda: tokens.append(
                sms_relay.token(
                    agent or sms_agent,
                    tenant=tenant or default_tenant,
                    queues=queues,
                    ttl_seconds=ttl_seconds,
                    role=role,
                )
            )
        )
        if failure:
            pytest.fail(failure, pytrace=False)
        return tokens[0]

    return mint


@pytest.fixture
def sms_agent_token(sms_token: MintToken) -> str:
    """A token of ``sms_agent``, this test's own agent, for every queue."""
    return sms_token()


@pytest.fixture
def sms_admin_token(sms_token: MintToken) -> str:
    """A token of the tenant's administrator (``role: admin``): the admin API and /admin."""
    return sms_token("qa-admin", role="admin")


@pytest.fixture
def sms_panel(page: Page) -> SmsPanel:
    """``SmsPanel(page)``: the first ``<sms-panel>`` on pytest-playwright's page (for the
    iframe mode: ``SmsPanel.in_frame(page)``)."""
    from .page import SmsPanel

    return SmsPanel(page)
