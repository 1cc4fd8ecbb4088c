"""The conversations' storage contract, on ``SqlStore`` (SQLite) and ``MemoryStore`` alike:
a customer's message stored once per key, routed to the agent who last wrote within the window
or to the queue, its conversation and its ``received`` event in the same write; SMPP parts
kept until whole; threads in both directions, paginated; read state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from smsrelay.storage import MessageRow, SqlStore, new_id
from smsrelay.storage.inbound_rows import InboundPart, InboundRow, NewInbound
from smsrelay.storage.memory import MemoryStore
from smsrelay.storage.ports import Store
from tests.support.storekit import NOW, done, new_message

CUSTOMER = "+4915112345678"
HOUR = 3_600_000


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    sql = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    sql.create_schema()
    yield sql
    sql.close()


def reply(key: str = "k1", *, now: int = NOW, text: str = "Ja, passt.", number: str = CUSTOMER,
          window: int = 72 * HOUR, tenant: str = "acme") -> NewInbound:  # fmt: skip
    return NewInbound(
        id=new_id("in", now), tenant=tenant, number=number, address="ACME", text=text,
        gateway="kannel:k1", key=key, now=now, reply_window_ms=window, queue_id="service",
    )  # fmt: skip


def wrote(store: Store, agent: str, now: int, queue: str = "sales") -> MessageRow:
    new = replace(new_message(f"key-{agent}-{now}", agent=agent, now=now), queue_id=queue)
    row = done(store.insert_message(new))
    assert isinstance(row, MessageRow)
    return row


def received_events(store: Store) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (f.agent, f.event.message_id, f.event.number, f.event.queue_id)
        for f in store.events_since(0, 1000)
        if f.event.kind == "received"
    ]


def test_a_reply_is_stored_once_with_its_conversation_and_event(store: Store) -> None:
    row = done(store.submit_store_inbound(reply()))
    assert isinstance(row, InboundRow)
    assert (row.agent, row.queue_id, row.text) == ("", "service", "Ja, passt.")
    # The gateway's retry (same key, a moment later) stores nothing.
    assert done(store.submit_store_inbound(reply(now=NOW + 5000))) is None
    assert store.get_inbound("acme", row.id) == row
    assert store.get_inbound("other", row.id) is None
    conversation = store.get_conversation("acme", CUSTOMER, "ACME")
    assert conversation is not None
    assert (conversation.unread, conversation.last_text, conversation.last_id) == (
        1,
        "Ja, passt.",
        row.id,
    )
    assert received_events(store) == [("", row.id, CUSTOMER, "service")]
    # The same key for another tenant is another message.
    assert done(store.submit_store_inbound(reply(tenant="other"))) is not None


def test_a_reply_goes_to_the_agent_who_wrote_last_within_the_window(store: Store) -> None:
    wrote(store, "alice", NOW - 10 * HOUR)
    wrote(store, "bob", NOW - 2 * HOUR)
    row = done(store.submit_store_inbound(reply("k1")))
    assert row is not None and (row.agent, row.queue_id) == ("bob", "sales")
    # Outside the window it goes to the address's queue.
    late = done(store.submit_store_inbound(reply("k2", now=NOW + 80 * HOUR)))
    assert late is not None and (late.agent, late.queue_id) == ("", "service")
    # A window of 0 never routes to an agent.
    none = done(store.submit_store_inbound(reply("k3", window=0)))
    assert none is not None and none.agent == ""
    assert [e[0] for e in received_events(store)] == ["bob", "", ""]


def test_agents_read_their_queues_events_and_their_own(store: Store) -> None:
    wrote(store, "bob", NOW - HOUR)
    mine = done(store.submit_store_inbound(reply("k1")))
    queued = done(store.submit_store_inbound(reply("k2", number="+4915199999999")))
    assert mine is not None and queued is not None
    kinds = lambda rows: [(e.kind, e.message_id) for e in rows]  # noqa: E731
    bob = store.events_after("acme", "bob", 0, queues=["sales"])
    assert kinds(bob) == [("status", bob[0].message_id), ("received", mine.id)]
    carol = store.events_after("acme", "carol", 0, queues=["service"])
    assert kinds(carol) == [("received", queued.id)]
    assert kinds(store.events_after("acme", "dave", 0, queues=None)) == [("received", queued.id)]
    assert store.events_after("acme", "erin", 0, queues=["sales"]) == []
    # The old call (no queues) reads the agent's own events only.
    assert store.events_after("acme", "carol", 0) == []


def test_conversations_list_unread_first_then_newest_and_only_the_agents(store: Store) -> None:
    done(store.submit_store_inbound(reply("k1", number="+4915100000011", now=NOW)))
    done(store.submit_store_inbound(reply("k2", number="+4915100000022", now=NOW + 10)))
    done(store.submit_store_inbound(reply("k3", number="+4915100000033", now=NOW + 20)))
    assert store.mark_read("acme", "+4915100000033", "ACME", NOW + 30)
    assert not store.mark_read("acme", "+4915100000099", "ACME", NOW + 30)
    listed = store.list_conversations("acme", agent="alice", queues=["service"], limit=10)
    assert [(c.number, c.unread) for c in listed] == [
        ("+4915100000022", 1), ("+4915100000011", 1), ("+4915100000033", 0)
    ]  # fmt: skip
    assert store.list_conversations("acme", agent="alice", queues=["sales"], limit=10) == []
    assert len(store.list_conversations("acme", agent="x", queues=None, limit=2)) == 2
    done(store.submit_store_inbound(reply("k4", number="+4915100000033", now=NOW + 40)))
    again = store.get_conversation("acme", "+4915100000033", "ACME")
    assert again is not None and again.unread == 1 and again.read_at == NOW + 30


def test_a_thread_has_both_directions_newest_first_in_pages(store: Store) -> None:
    out1 = wrote(store, "alice", NOW)
    in1 = done(store.submit_store_inbound(reply("k1", now=NOW + 1)))
    out2 = wrote(store, "alice", NOW + 2)
    in2 = done(store.submit_store_inbound(reply("k2", now=NOW + 3)))
    out3 = wrote(store, "alice", NOW + 4)
    other = replace(new_message("elsewhere", now=NOW + 5), to_number="+4915199999999")
    done(store.insert_message(other))  # another customer's message: not in the thread
    assert in1 is not None and in2 is not None
    first = store.thread("acme", CUSTOMER, "ACME", limit=3)
    assert [e.id for e in first] == [out3.id, in2.id, out2.id]
    rest = store.thread("acme", CUSTOMER, "ACME", limit=10, before=(out2.created_at, out2.id))
    assert [e.id for e in rest] == [in1.id, out1.id]
    assert store.thread("other", CUSTOMER, "ACME", limit=10) == []


def part(seq: int, text: str, *, now: int = NOW, total: int = 3, group: str = "a|b|7|3",
         window: int = HOUR) -> InboundPart:  # fmt: skip
    return InboundPart("smsc1", group, seq, total, text, now, window)


def test_parts_make_a_message_once_all_are_there_in_any_order(store: Store) -> None:
    assert done(store.submit_inbound_part(part(3, "drei"))) is None
    assert done(store.submit_inbound_part(part(1, "eins ", now=NOW + 5))) is None
    # A retry of a part is kept once.
    assert done(store.submit_inbound_part(part(3, "drei", now=NOW + 6))) is None
    whole = done(store.submit_inbound_part(part(2, "zwei ", now=NOW + 7)))
    assert whole is not None and (whole.text, whole.first_at) == ("eins zwei drei", NOW)
    # A retry of a part of a whole message names the same message (stored once by its key).
    assert done(store.submit_inbound_part(part(2, "zwei ", now=NOW + 9))) == whole
    # Another group, or the same reference after the window, is another message.
    assert done(store.submit_inbound_part(part(1, "x", group="a|b|8|3"))) is None
    later = NOW + 2 * HOUR
    assert done(store.submit_inbound_part(part(2, "neu", now=later))) is None
