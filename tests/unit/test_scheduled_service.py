"""MessageService with a send-at time and quiet hours, on the in-memory store with an injected
clock: what is stored and when it is due, what is refused (and that nothing is stored then),
replays, and cancelling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smsrelay.errors import ApiError
from smsrelay.settings import parse_settings
from tests.support.relaykit import relay_config
from tests.support.storekit import claim
from tests.unit.test_message_service import AGENT, Relay, run

#: Saturday 2 May 2026, 21:30 in Berlin; Monday 08:00 there is 06:00 UTC.
SATURDAY_NIGHT = 1_777_750_200_000
MONDAY_8_BERLIN = 1_777_874_400_000
HOUR = 3_600_000


def relay_with(tmp_path: Path, **tenant: Any) -> Relay:
    relay = Relay(parse_settings(relay_config(**tenant), data_dir=tmp_path))
    relay.now = SATURDAY_NIGHT
    return relay


def message_of(error: ApiError, lang: str) -> str:
    return error.body(lang)["message"]


def test_a_send_at_time_stores_the_message_scheduled_and_due_then(tmp_path: Path) -> None:
    relay = relay_with(tmp_path, validity_seconds=3600)
    row, created = relay.accept(send_at="2026-05-04T09:30:00+02:00")
    assert created and (row.status, row.send_at, row.held) == (
        "scheduled",
        1_777_879_800_000,
        False,
    )
    assert row.expires_at == row.send_at + HOUR  # its validity starts when it goes out
    answer = relay.service.answer(row, relay.service.tenant(AGENT))
    assert (answer["status"], answer["send_at"], answer["held"]) == (
        "scheduled",
        "2026-05-04T07:30:00Z",
        False,
    )
    assert claim(relay.store, now=row.send_at - 1) == []
    assert [m.id for m in claim(relay.store, now=row.send_at)] == [row.id]


def test_quiet_hours_that_hold_store_it_until_they_end(tmp_path: Path) -> None:
    relay = relay_with(tmp_path, quiet_hours={"from": "20:00", "until": "08:00", "days": ["sun"]})
    row, _ = relay.accept()
    assert (row.status, row.send_at, row.held) == ("scheduled", MONDAY_8_BERLIN, True)
    relay.now = MONDAY_8_BERLIN + HOUR
    later, _ = relay.accept("key-2")
    assert (later.status, later.send_at, later.held) == ("queued", None, False)


def test_quiet_hours_that_refuse_store_nothing_and_say_when_it_could_go(tmp_path: Path) -> None:
    relay = relay_with(tmp_path, quiet_hours={"from": "20:00", "until": "08:00", "mode": "refuse"})
    refused = relay.refusal()
    assert (refused.status, refused.code, refused.field) == (422, "quiet_hours.refused", "send_at")
    assert message_of(refused, "de") == (
        "Ruhezeit beim Kunden (20:00–08:00 Uhr): Ihr Unternehmen sendet dann keine SMS. "
        "Frühestens möglich: So., 3. Mai, 08:00 (Europe/Berlin)."
    )
    assert "The earliest possible: Sun 3 May, 08:00" in message_of(refused, "en")
    assert relay.stored() == [] and relay.accepted == 0
    # Scheduled past the quiet hours, the same message is taken.
    row, _ = relay.accept("key-2", send_at="2026-05-03T08:00:00+02:00")
    assert row.status == "scheduled"


@pytest.mark.parametrize(
    ("send_at", "code"),
    [
        ("morgen früh", "schedule.invalid"),
        ("2026-05-04T09:30", "schedule.invalid"),  # the API needs an offset
        ("2026-05-02T21:00:00+02:00", "schedule.in_past"),
        ("2026-06-02T09:00:00+02:00", "schedule.too_far"),
    ],
)
def test_an_unusable_send_at_is_refused_and_nothing_is_stored(
    tmp_path: Path, send_at: str, code: str
) -> None:
    relay = relay_with(tmp_path)
    refused = relay.refusal(send_at=send_at)
    assert (refused.status, refused.code, refused.field) == (422, code, "send_at")
    assert message_of(refused, "de") != message_of(refused, "en")
    assert relay.stored() == [] and relay.accepted == 0


def test_a_replay_answers_the_same_and_another_time_under_the_key_conflicts(
    tmp_path: Path,
) -> None:
    relay = relay_with(tmp_path)
    first, _ = relay.accept(send_at="2026-05-04T09:30:00+02:00")
    again, created = relay.accept(send_at="2026-05-04T09:30:00+02:00")
    assert again == first and not created
    conflict = relay.refusal(send_at="2026-05-04T10:30:00+02:00")
    assert (conflict.status, conflict.code) == (409, "request.idempotency_conflict")
    assert len(relay.stored()) == 1


def test_the_agent_cancels_until_a_relay_takes_it_up(tmp_path: Path) -> None:
    relay = relay_with(tmp_path)
    row, _ = relay.accept(send_at="2026-05-04T09:30:00+02:00")
    cancelled = run(relay.service.cancel(AGENT, row.id))
    assert cancelled.status == "cancelled" and relay.statuses == ["cancelled"]
    assert run(relay.service.cancel(AGENT, row.id)).status == "cancelled"  # a retry: the same
    assert relay.statuses == ["cancelled"]
    other, _ = relay.accept("key-2", send_at="2026-05-04T09:30:00+02:00")
    claim(relay.store, now=other.send_at or 0)
    with pytest.raises(ApiError) as too_late:
        run(relay.service.cancel(AGENT, other.id))
    assert (too_late.value.status, too_late.value.code) == (409, "message.not_cancellable")
    with pytest.raises(ApiError) as unknown:
        run(relay.service.cancel(AGENT, "msg_unknown"))
    assert (unknown.value.status, unknown.value.code) == (404, "message.not_found")
