"""smscompose.panel with a send-at time and quiet hours: what the panel shows before Send, the
body it posts, the status of a scheduled message and the list of them — with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from smscompose import moments, zones
from smscompose.panel import Panel

#: Saturday 2 May 2026, 21:30 in Berlin.
SATURDAY_NIGHT = datetime(2026, 5, 2, 19, 30, tzinfo=UTC)
MONDAY_MORNING = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
CONFIG: dict[str, Any] = {
    "language": "de",
    "default_region": "DE",
    "allowed_countries": ["DE"],
    "queues": [{"id": "service", "name": "Service", "senders": [{"address": "ACME"}]}],
    "templates": [{"id": "hi", "name": "Hi", "text": "Ihr Termin ist bestätigt."}],
    "agent": "a1",
}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def composing(now: datetime, quiet: dict[str, Any] | None = None, lang: str = "de") -> Panel:
    panel = Panel(clock=Clock(now))
    config = {**CONFIG, "quiet_hours": quiet}
    answer = panel.act(
        {"do": "configure", "config": config, "lang": lang, "time_zone": "Europe/Berlin"}
    )
    assert "error" not in answer
    panel.act({"do": "open"})
    panel.act({"do": "to", "value": "0151 12345678"})
    return panel


def test_quiet_hours_that_hold_say_so_before_send_and_send_stays_enabled() -> None:
    panel = composing(SATURDAY_NIGHT, {"from": "20:00", "until": "08:00", "days": ["sun"]})
    view = panel.act({"do": "tick"})["view"]
    assert view["send"] == {"visible": True, "enabled": True}
    assert view["timing"]["verdict"] == "held"
    assert view["timing"]["text"].startswith("Ruhezeit beim Kunden (20:00–08:00 Uhr und sonntags)")
    assert (
        view["timing"]["customer_time"] == "Ortszeit des Kunden: Mo., 4. Mai, 08:00 (Europe/Berlin)"
    )
    # The relay decides the hold itself, by the same rules: the body asks for no time.
    assert "send_at" not in panel.act({"do": "outgoing"})["send"]


def test_quiet_hours_that_refuse_disable_send_with_the_reason_shown_once() -> None:
    panel = composing(SATURDAY_NIGHT, {"from": "20:00", "until": "08:00", "mode": "refuse"}, "en")
    view = panel.act({"do": "tick"})["view"]
    assert view["send"] == {"visible": True, "enabled": False}
    assert view["timing"]["verdict"] == "refused" and view["timing"]["tone"] == "problem"
    assert "your company sends no SMS then" in view["timing"]["text"]
    assert [p["code"] for p in view["problems"]] == ["quiet_hours.refused"]
    assert view["listed_problems"] == []  # shown in the verdict, not twice
    answer = panel.act({"do": "outgoing"})
    assert answer["error"]["code"] == "quiet_hours.refused" and "send" not in answer


def test_the_clock_moving_out_of_the_quiet_hours_changes_the_verdict() -> None:
    clock = Clock(SATURDAY_NIGHT)
    panel = Panel(clock=clock)
    config = {**CONFIG, "quiet_hours": {"from": "20:00", "until": "08:00", "mode": "refuse"}}
    panel.act({"do": "configure", "config": config, "time_zone": "Europe/Berlin"})
    panel.act({"do": "open"})
    assert panel.act({"do": "to", "value": "0151 12345678"})["view"]["send"]["enabled"] is False
    clock.now = MONDAY_MORNING
    view = panel.act({"do": "tick"})["view"]
    assert view["send"]["enabled"] is True and view["timing"]["verdict"] == "now"


def test_a_send_at_time_in_the_agent_s_zone_goes_into_the_body_in_utc() -> None:
    panel = composing(SATURDAY_NIGHT)
    view = panel.act({"do": "send_at", "value": "2026-05-04T09:30"})["view"]
    assert view["send_at"] == "2026-05-04T09:30"
    assert (
        view["timing"]["text"] == "Geplant: Die SMS geht am Mo., 4. Mai, 09:30 hinaus (Ihre Zeit)."
    )
    assert (
        view["timing"]["customer_time"] == "Ortszeit des Kunden: Mo., 4. Mai, 09:30 (Europe/Berlin)"
    )
    assert panel.act({"do": "outgoing"})["send"]["send_at"] == "2026-05-04T07:30:00Z"
    view = panel.act({"do": "send_at", "value": ""})["view"]
    assert view["timing"] is None and "send_at" not in panel.act({"do": "outgoing"})["send"]


def test_a_past_time_disables_send_and_says_why() -> None:
    panel = composing(SATURDAY_NIGHT)
    view = panel.act({"do": "send_at", "value": "2026-05-02T21:00"})["view"]
    assert view["send"]["enabled"] is False
    assert view["timing"]["text"] == "Der Sendezeitpunkt liegt in der Vergangenheit."


def test_a_scheduled_message_shows_its_time_and_lists_with_a_cancel_action() -> None:
    panel = composing(SATURDAY_NIGHT)
    panel.act({"do": "send_at", "value": "2026-05-04T09:30"})
    message = {
        "id": "m1",
        "to": "+4915112345678",
        "status": "scheduled",
        "send_at": "2026-05-04T07:30:00Z",
    }
    view = panel.act({"do": "sent", "message": message})["view"]
    assert view["status"]["text"] == "SMS an +4915112345678: geplant für Mo., 4. Mai, 09:30"
    assert view["scheduled"]["heading"] == "Geplante SMS"
    (item,) = view["scheduled"]["items"]
    assert item["summary"] == "An +4915112345678 – Mo., 4. Mai, 09:30: Ihr Termin ist bestätigt."
    assert item["cancel"] == "Stornieren"
    assert (
        item["cancel_label"] == "Geplante SMS an +4915112345678 für Mo., 4. Mai, 09:30 stornieren"
    )
    # The form starts again from "now".
    assert view["send_at"] == ""
    answer = panel.act({"do": "status", "event": {"id": "m1", "status": "cancelled"}})
    assert answer["changed"]["final"] is True
    assert answer["view"]["scheduled"]["items"] == []
    assert answer["view"]["status"]["text"] == "SMS an +4915112345678: storniert"


def test_scheduled_messages_from_the_relay_are_listed_next_first_in_english() -> None:
    panel = composing(SATURDAY_NIGHT, lang="en")
    items = [
        {
            "id": "m2",
            "to": "+4915100000002",
            "status": "scheduled",
            "send_at": "2026-05-05T06:00:00Z",
            "held": True,
            "text": "Later",
        },
        {
            "id": "m1",
            "to": "+4915100000001",
            "status": "scheduled",
            "send_at": "2026-05-04T06:00:00Z",
            "text": "Sooner",
        },
    ]
    view = panel.act({"do": "scheduled", "items": items})["view"]
    summaries = [i["summary"] for i in view["scheduled"]["items"]]
    assert summaries == [
        "To +4915100000001 – Mon 4 May, 08:00: Sooner",
        "To +4915100000002 – Tue 5 May, 08:00: Later",
    ]
    assert view["scheduled"]["items"][1]["held"] == "held for the quiet hours"
    view = panel.act({"do": "status", "event": {"id": "m1", "status": "submitted"}})["view"]
    assert [i["id"] for i in view["scheduled"]["items"]] == ["m2"]
    assert panel.act({"do": "scheduled", "items": "nope"})["error"]["code"] == "panel.bad_action"


def test_before_the_zone_data_is_loaded_the_panel_asks_for_it_and_waits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = composing(SATURDAY_NIGHT, {"days": ["sat"]})
    monkeypatch.setattr(zones, "_zone_lookup", lambda: None)
    view = panel.act({"do": "tick"})["view"]
    assert view["timing"]["verdict"] == "pending" and view["timing"]["zones_needed"] is True
    assert view["timing"]["text"] == "Die Ortszeit des Kunden wird ermittelt …"
    assert view["send"]["enabled"] is False and view["listed_problems"] == []
    monkeypatch.undo()
    view = panel.act({"do": "zone_data"})["view"]
    assert view["timing"]["verdict"] == "held" and view["timing"]["zones_needed"] is False


def test_a_time_in_the_agent_s_zone_waits_for_the_zone_data_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = composing(SATURDAY_NIGHT)
    monkeypatch.setattr(zones, "_zone_lookup", lambda: None)
    monkeypatch.setattr(moments, "zone", lambda _name: None)
    view = panel.act({"do": "send_at", "value": "2026-05-04T09:30"})["view"]
    assert view["timing"]["verdict"] == "pending" and view["timing"]["zones_needed"] is True
    assert view["send"]["enabled"] is False
    monkeypatch.undo()
    view = panel.act({"do": "zone_data"})["view"]
    assert view["timing"]["verdict"] == "scheduled"
    assert (
        view["timing"]["customer_time"] == "Ortszeit des Kunden: Mo., 4. Mai, 09:30 (Europe/Berlin)"
    )


def test_zone_data_that_failed_to_load_is_said_in_words() -> None:
    panel = composing(SATURDAY_NIGHT, lang="en")
    answer = panel.act({"do": "zone_data", "failed": True})
    assert answer["error"]["code"] == "schedule.zone_data_failed"
    assert answer["error"]["message"].startswith("The customer's local time cannot be worked out")


def test_scheduled_messages_listed_before_the_zone_data_is_loaded_ask_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = composing(SATURDAY_NIGHT, lang="en")
    monkeypatch.setattr(zones, "_zone_lookup", lambda: None)
    monkeypatch.setattr(moments, "zone", lambda _name: None)
    item = {
        "id": "m1",
        "to": "+4915100000001",
        "status": "scheduled",
        "send_at": "2026-05-04T06:00:00Z",
        "text": "Hi",
    }
    view = panel.act({"do": "scheduled", "items": [item]})["view"]
    assert view["zones_needed"] is True
    # Until then the time is shown in UTC, and says so.
    assert (
        view["scheduled"]["items"][0]["summary"] == "To +4915100000001 – Mon 4 May, 06:00 UTC: Hi"
    )
    monkeypatch.undo()
    view = panel.act({"do": "zone_data"})["view"]
    assert view["zones_needed"] is False
    assert view["scheduled"]["items"][0]["summary"] == "To +4915100000001 – Mon 4 May, 08:00: Hi"
