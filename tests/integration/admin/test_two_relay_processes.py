"""Two relay processes on one PostgreSQL database: a template the administrator saves through one
is what the other serves within a second, without a restart — measured from the 200 of the
save to the first answer of the other relay that has it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from smsrelay.admin.access import new_platform_key
from tests.support.peers.postgres import postgres_database  # noqa: F401
from tests.support.relay_process import relay_config, relay_process

KEY, KEY_HASH = new_platform_key()


def test_a_template_saved_through_one_relay_process_is_served_by_the_other_within_a_second(
    tmp_path: Path,
    postgres_database: Callable[[], str],  # noqa: F811
) -> None:
    database = postgres_database()
    config = relay_config(
        {"sandbox": {"type": "sandbox"}},
        relay={"database_url": database, "platform_key_sha256": [KEY_HASH]},
    )
    admin = {"Authorization": f"Bearer {KEY}"}
    with (
        relay_process(tmp_path / "a", config) as one,
        relay_process(tmp_path / "b", config) as two,
    ):
        agent = {"Authorization": f"Bearer {two.token()}"}

        def served() -> str:
            answer = httpx.get(f"{two.url}/v1/compose-config", headers=agent, timeout=10)
            return str(answer.json()["templates"][0]["text"])

        assert served() == "Hallo"
        current = httpx.get(f"{one.url}/v1/admin/tenants/acme", headers=admin, timeout=10).json()
        settings = {**current["settings"], "templates": [{"id": "hi", "text": "Guten Tag!"}]}
        saved = httpx.put(
            f"{one.url}/v1/admin/tenants/acme",
            json={"revision": current["revision"], "settings": settings},
            headers=admin,
            timeout=10,
        )
        assert saved.status_code == 200, saved.text
        started = time.monotonic()
        while served() != "Guten Tag!":
            assert time.monotonic() - started < 1.0, "not served by the other relay within 1 s"
            time.sleep(0.01)
        print(f"\nserved by the second relay {1000 * (time.monotonic() - started):.0f} ms after")
