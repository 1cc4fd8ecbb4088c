"""The README's webhook receivers — ``examples/webhooks/receiver.py`` with the ``standardwebhooks``
package from PyPI, ``receiver.mjs`` with the npm package under Node — run as they are, as
processes, against a relay's real deliveries: each event is taken once (a redelivery is dropped
by its id), a forged request is refused. The README shows these files word for word."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import parse_settings
from smsrelay.tenants.webhooks import new_secret
from tests.support.processes import (
    free_port,
    start_process,
    stop_process,
    wait_for_port,
    wait_until,
)
from tests.support.relaykit import auth, relay_config, send

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "webhooks"
SECRET = new_secret()
RUNTIMES = {
    "receiver.py": [sys.executable],
    "receiver.mjs": [shutil.which("node") or "node"],
}


@pytest.fixture(params=sorted(RUNTIMES))
def example(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = tmp_path / "receiver.log"
    process = start_process(
        [*RUNTIMES[request.param], str(EXAMPLES / request.param)],
        log=log,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "WEBHOOK_SECRET": SECRET, "PORT": str(port)},
    )
    try:
        assert wait_for_port(port, 15, process=process), log.read_text()
        yield f"http://127.0.0.1:{port}/", log
    finally:
        stop_process(process, 5)


def printed(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def test_the_readmes_receivers_take_each_event_once_and_refuse_a_forged_one(
    example: tuple[str, Path], tmp_path: Path
) -> None:
    url, log = example
    config = relay_config(webhooks=[{"id": "crm", "url": url, "secret": SECRET}])
    config["relay"].update(webhook_poll_seconds=0.1, webhook_private_networks=True)
    settings = parse_settings(config, data_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        token = mint_token(settings, tenant="acme", agent="agent-1")
        answer = send(client, token)
        assert answer.status_code == 202
        assert wait_until(lambda: len(printed(log)) >= 3, 15), log.read_text()
        events = printed(log)
        assert [e["data"]["status"] for e in events] == ["queued", "submitted", "delivered"]
        assert {e["data"]["message_id"] for e in events} == {answer.json()["id"]}
        # A redelivery arrives (204) and is dropped by its id.
        boss = auth(mint_token(settings, tenant="acme", agent="boss", role="admin"))
        first = client.get("/v1/admin/tenants/acme/webhooks/deliveries", headers=boss).json()
        oldest = first["items"][-1]
        again = client.post(
            f"/v1/admin/tenants/acme/webhooks/deliveries/{oldest['id']}/redeliver", headers=boss
        )
        assert again.status_code == 202

        def redelivered() -> bool:
            found = client.get(
                f"/v1/admin/tenants/acme/webhooks/deliveries/{again.json()['id']}", headers=boss
            ).json()
            return found["state"] == "delivered" and found["last_status"] == 204

        assert wait_until(redelivered, 10)
        assert len(printed(log)) == 3
    forged = httpx.post(
        url,
        content=json.dumps(events[0]).encode(),
        headers={
            "content-type": "application/json",
            "webhook-id": events[0]["id"],
            "webhook-timestamp": "1796292837",
            "webhook-signature": "v1,Zm9yZ2Vk",
        },
    )
    assert forged.status_code == 400
    assert len(printed(log)) == 3


@pytest.mark.parametrize("name", sorted(RUNTIMES))
def test_the_readme_shows_the_receivers_as_they_are(name: str) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert (EXAMPLES / name).read_text("utf-8").strip() in readme
