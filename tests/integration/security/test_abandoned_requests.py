"""A client that goes away in the middle of a send (found by the OpenAPI fuzzing): its request
task is cancelled, and with it the future of its database write. That must not end the
relay's one writer thread, or every later write would wait forever."""

from __future__ import annotations

import asyncio
from pathlib import Path

from smsrelay.storage import NewMessage, SqlStore


def new_message(key: str) -> NewMessage:
    return NewMessage(
        id=f"msg_{key}",
        tenant="acme",
        agent="a",
        idempotency_key=key,
        request_hash="0" * 64,
        queue_id="service",
        sender="ACME",
        sender_kind="alphanumeric",
        gateway="sandbox",
        to_number="+4915112345678",
        text="Hallo",
        encoding="GSM_7BIT",
        units=5,
        segments=1,
        parts=("Hallo",),
        locking=None,
        single=None,
        interaction_id=None,
        interaction_type=None,
        expires_at=None,
        now=1,
    )


def test_writes_go_on_after_a_caller_gave_up_on_its_write(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    store.create_schema()

    async def abandon_then_write() -> None:
        for i in range(20):
            abandoned = asyncio.ensure_future(
                asyncio.wrap_future(store.insert_message(new_message(f"gone-{i}")))
            )
            await asyncio.sleep(0 if i % 2 else 0.001)
            abandoned.cancel()
        stored = store.insert_message(new_message("after"))
        row = await asyncio.wait_for(asyncio.wrap_future(stored), timeout=10)
        assert row is not None and row.id == "msg_after"

    try:
        asyncio.run(abandon_then_write())
        assert store.find_by_key("acme", "a", "after") is not None
    finally:
        store.close()
