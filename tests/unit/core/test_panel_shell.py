"""smscompose.panel: what the core decides for the element around the compose rules — the
opt-out gate, the inbox of drafts, the status of what was sent, the language and the keys."""

from __future__ import annotations

from typing import Any

import pytest
from test_panel import CONFIG, configured

from smscompose.panel import Panel
from smscompose.phone import DIALPAD_KEYS

NUMBER = "+4915112345678"


def ready_to_send(panel: Panel) -> dict[str, Any]:
    panel.act({"do": "open"})
    panel.act({"do": "queue", "value": "service"})
    return panel.act({"do": "to", "value": NUMBER})["view"]


def test_send_is_disabled_for_a_number_the_relay_says_opted_out() -> None:
    panel = configured(lang="en")
    view = ready_to_send(panel)
    assert view["send"]["enabled"] and view["opt_out_query"] == NUMBER
    view = panel.act({"do": "opt_out", "number": NUMBER, "opted_out": True})["view"]
    assert view["send"] == {"visible": True, "enabled": False}
    assert view["opt_out_query"] is None
    assert view["to_hint"] == {
        "text": "This number has opted out of SMS (STOP). It cannot be sent to.",
        "tone": "problem",
        "code": "recipient.opted_out",
    }
    answer = panel.act({"do": "outgoing"})
    assert answer["error"]["code"] == "recipient.opted_out" and "send" not in answer


def test_send_stays_disabled_for_an_opted_out_number_after_a_failed_relay_call() -> None:
    # The element once re-enabled Send when a call failed; now only the core's view decides.
    panel = configured(lang="de")
    ready_to_send(panel)
    panel.act({"do": "opt_out", "number": NUMBER, "opted_out": True})
    view = panel.act({"do": "text", "value": "Hallo"})["view"]
    assert view["send"]["enabled"] is False
    assert view["to_hint"]["text"].startswith("Diese Nummer hat SMS abbestellt")


def test_a_number_that_did_not_opt_out_shows_as_dialled() -> None:
    panel = configured(lang="en")
    ready_to_send(panel)
    view = panel.act({"do": "opt_out", "number": NUMBER, "opted_out": False})["view"]
    assert view["send"]["enabled"] and view["opt_out_query"] is None
    assert view["to_hint"]["tone"] == "ok" and view["to_hint"]["text"] == "+49 1511 2345678"


def test_opt_out_answers_must_be_a_number_and_a_yes_or_no() -> None:
    panel = configured()
    answer = panel.act({"do": "opt_out", "number": NUMBER, "opted_out": "yes"})
    assert answer["error"]["code"] == "panel.bad_action"


ITEMS = [
    {"id": "d1", "version": 3, "draft": {"version": 1, "to": "+4915111111111", "text": "Eins"}},
    {"id": "d2", "version": 1, "draft": {"version": 1, "to": "", "text": "Zwei " * 30}},
    {"id": "d3", "version": 1, "draft": {"version": 99, "text": "from a newer panel"}},
]


def test_the_inbox_lists_drafts_in_words_and_leaves_out_unreadable_ones() -> None:
    panel = configured(lang="de")
    inbox = panel.act({"do": "inbox", "items": ITEMS})["view"]["inbox"]
    assert [i["id"] for i in inbox["items"]] == ["d1", "d2"]
    assert inbox["items"][0]["summary"] == "An +4915111111111 – Eins"
    assert inbox["items"][0]["resume_label"] == "Entwurf reaktivieren: An +4915111111111 – Eins"
    assert inbox["items"][1]["summary"] == "Ohne Nummer – " + ("Zwei " * 30)[:60]
    assert inbox["empty"] is None
    empty = panel.act({"do": "inbox", "items": []})["view"]["inbox"]
    assert empty == {"items": [], "empty": "Keine geparkten SMS."}


def test_a_draft_is_deleted_only_once_reactivated_and_parks_again_with_its_version() -> None:
    panel = configured(lang="en")
    panel.act({"do": "inbox", "items": ITEMS})
    assert panel.act({"do": "delete_draft"})["error"]["code"] == "draft.not_found"
    view = panel.act({"do": "resume", "id": "d1"})["view"]
    assert view["draft_id"] == "d1" and view["to"] == "+4915111111111"
    assert [i["id"] for i in view["inbox"]["items"]] == ["d2"]
    parked = panel.act({"do": "park"})
    assert parked["version"] == 3 and parked["draft"]["id"] == "d1"
    assert panel.act({"do": "delete_draft"})["delete"] == "d1"
    view = panel.act({"do": "deleted"})["view"]
    assert view["open"] is False and [i["id"] for i in view["inbox"]["items"]] == ["d2"]


def test_resuming_a_draft_the_inbox_does_not_hold_is_refused_in_words() -> None:
    panel = configured(lang="en")
    answer = panel.act({"do": "resume", "id": "gone"})
    assert answer["error"]["message"] == "This draft no longer exists."


def test_the_status_of_the_message_sent_last_is_followed_in_words() -> None:
    panel = configured(lang="de")
    ready_to_send(panel)
    view = panel.act({"do": "sent", "message": {"id": "m1", "to": NUMBER, "status": "queued"}})[
        "view"
    ]
    assert view["open"] is False
    assert view["status"]["text"] == f"SMS an {NUMBER}: in der Warteschlange"
    answer = panel.act({"do": "status", "event": {"id": "m1", "status": "expired"}})
    assert answer["changed"] == {
        "id": "m1",
        "status": "expired",
        "reason_code": None,
        "reason": None,
        "final": True,
    }
    status = answer["view"]["status"]
    assert status["text"] == f"SMS an {NUMBER}: abgelaufen" and status["tone"] == "problem"
    assert (
        status["reason"]
        == "Grund: Das Telefon war innerhalb der Gültigkeitsdauer nicht erreichbar."
    )
    late = panel.act({"do": "status", "event": {"id": "m1", "status": "submitted"}})
    assert late["changed"] is None and late["view"]["status"]["status"] == "expired"


def test_a_status_the_contract_does_not_know_is_refused() -> None:
    panel = configured()
    assert panel.act({"do": "status", "event": {"id": "m1", "status": "sent"}})["error"]


def test_the_host_s_languages_are_picked_by_the_core_then_the_tenant_s() -> None:
    assert configured(lang=["fr", "en-GB"]).act({"do": "open"})["view"]["lang"] == "en"
    assert configured(lang=["fr", None]).act({"do": "open"})["view"]["lang"] == CONFIG["language"]


@pytest.mark.parametrize("key", sorted(DIALPAD_KEYS))
def test_every_dial_pad_key_dials(key: str) -> None:
    panel = configured()
    panel.act({"do": "open"})
    assert panel.act({"do": "dialpad", "key": key})["view"]["to"] == key


def test_a_key_that_is_not_on_the_dial_pad_is_refused() -> None:
    panel = configured()
    panel.act({"do": "open"})
    assert panel.act({"do": "dialpad", "key": "x"})["error"]["code"] == "panel.bad_action"


def test_problems_listed_under_the_text_leave_out_what_is_shown_elsewhere() -> None:
    panel = configured(lang="en")
    panel.act({"do": "open"})
    panel.act({"do": "queue", "value": "service"})
    view = panel.act({"do": "text", "value": "x" * 400})["view"]
    codes = [p["code"] for p in view["listed_problems"]]
    assert codes == ["compose.too_many_segments"] and view["counter_over"] is True
    assert "compose.to_required" in [p["code"] for p in view["problems"]]
