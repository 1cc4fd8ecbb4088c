"""smscompose.panel: the JSON contract between the browser panel's worker and the core."""

from __future__ import annotations

import json
from typing import Any

from smscompose.panel import Panel

CONFIG: dict[str, Any] = {
    "language": "de",
    "default_region": "DE",
    "max_segments": 2,
    "allowed_countries": ["DE"],
    "queues": [
        {"id": "service", "name": "Service", "senders": [{"address": "ACME"}]},
        {"id": "sales", "name": "Sales", "senders": [{"address": "+4989123456"}]},
    ],
    "templates": [
        {"id": "hi", "name": "Hi", "text": "Hallo {{customer.first_name|Kunde}}"},
        {"id": "bye", "name": "Bye", "text": "Tschüss"},
    ],
    # What the relay adds for the shell.
    "agent": "a1",
    "tenant": "acme",
    "price_per_segment": 0.07,
    "currency": "EUR",
}


def configured(**host: Any) -> Panel:
    panel = Panel()
    answer = panel.act({"do": "configure", "config": CONFIG, **host})
    assert "error" not in answer
    return panel


def test_the_whole_flow_from_button_to_outgoing_body() -> None:
    panel = configured(lang="en", context={"customer": {"first_name": "Ada"}})
    view = panel.act({"do": "open"})["view"]
    assert view["queue"]["visible"] and view["compose_visible"] is False
    view = panel.act({"do": "queue", "value": "service"})["view"]
    assert view["text"] == "Hallo Ada" and view["template"]["selected"] == "hi"
    assert view["sender"]["selected"] == "ACME"
    assert view["send"] == {"visible": False, "enabled": False}
    view = panel.act({"do": "to", "value": "0151 12345678"})["view"]
    assert view["send"] == {"visible": True, "enabled": True}
    assert view["counter"] == "9 – [GSM_7BIT 1]"
    assert view["cost"] == {"amount": 0.07, "currency": "EUR"}
    answer = panel.act({"do": "outgoing"})
    assert answer["send"] == {
        "queue_id": "service",
        "from": "ACME",
        "to": "+4915112345678",
        "text": "Hallo Ada",
    }


def test_outgoing_is_refused_with_the_first_problem_while_send_is_disabled() -> None:
    panel = configured(lang="en")
    panel.act({"do": "open"})
    panel.act({"do": "queue", "value": "service"})
    answer = panel.act({"do": "outgoing"})
    assert "send" not in answer
    assert answer["error"]["code"] == "compose.to_required"
    assert answer["error"]["field"] == "to"
    assert answer["error"]["message"]


def test_interaction_goes_into_the_body_and_the_draft() -> None:
    panel = configured(interaction_id="call-1", interaction_type="call")
    panel.act({"do": "prefill", "queue_id": "sales", "to": "+4915112345678", "text": "Hi"})
    body = panel.act({"do": "outgoing"})["send"]
    assert body["interaction_id"] == "call-1" and body["interaction_type"] == "call"
    draft = panel.act({"do": "park"})["draft"]
    assert draft["interaction_id"] == "call-1" and draft["from"] == "+4989123456"


def test_park_then_resume_restores_everything_and_remembers_the_draft_id() -> None:
    panel = configured()
    panel.act({"do": "prefill", "queue_id": "service", "to": "0151 1234567", "text": "Hallo {x}"})
    draft = panel.act({"do": "park"})["draft"]
    view = panel.act({"do": "parked"})["view"]
    assert view["open"] is False and view["text"] == ""
    view = panel.act({"do": "resume", "draft": draft, "id": "d-42"})["view"]
    assert view["open"] and view["to"] == "0151 1234567" and view["text"] == "Hallo {x}"
    assert view["draft_id"] == "d-42"
    assert view["counter"] == "11 – [GSM_7BIT 1]"


def test_nothing_to_park_is_refused_with_a_translated_message() -> None:
    panel = configured(lang="de")
    panel.act({"do": "open"})
    answer = panel.act({"do": "close"})
    answer = panel.act({"do": "park"})
    assert answer["error"]["code"] == "panel.nothing_to_park"
    assert "parken" in answer["error"]["message"]


def test_refused_steps_keep_the_session_and_say_why() -> None:
    panel = configured(lang="en")
    panel.act({"do": "open"})
    panel.act({"do": "queue", "value": "sales"})
    answer = panel.act({"do": "sender", "value": "ACME"})
    assert answer["error"]["code"] == "compose.sender_not_allowed"
    assert answer["view"]["sender"]["selected"] == "+4989123456"


def test_context_from_the_host_refills_an_unedited_template() -> None:
    panel = configured()
    panel.act({"do": "prefill", "queue_id": "service"})
    view = panel.act({"do": "host", "context": {"customer": {"first_name": "Grace"}}})["view"]
    assert view["text"] == "Hallo Grace"


def test_dialpad_keys_and_backspace_edit_the_number() -> None:
    panel = configured()
    panel.act({"do": "prefill", "queue_id": "service"})
    for key in "+49151":
        panel.act({"do": "dialpad", "key": key})
    view = panel.act({"do": "dialpad", "key": "backspace"})["view"]
    assert view["to"] == "+4915"


def test_language_switch_translates_problems_but_not_the_counter() -> None:
    panel = configured(lang="de")
    panel.act({"do": "prefill", "queue_id": "service", "text": "x" * 400})
    german = panel.act({"do": "host", "lang": "de"})["view"]
    english = panel.act({"do": "host", "lang": "en"})["view"]
    assert german["counter"] == english["counter"] == "400 – [GSM_7BIT 3]"
    [de_problem] = [p for p in german["problems"] if p["code"] == "compose.too_many_segments"]
    [en_problem] = [p for p in english["problems"] if p["code"] == "compose.too_many_segments"]
    assert de_problem["message"] != en_problem["message"]


def test_unknown_and_malformed_actions_answer_with_an_error_not_an_exception() -> None:
    panel = Panel()
    assert json.loads(panel.act_json("{"))["error"]["code"] == "panel.unknown_action"
    assert json.loads(panel.act_json('{"do": "open"}'))["error"]["code"] == "panel.not_configured"
    answer = json.loads(panel.act_json('{"do": "configure", "config": {"queues": 5}}'))
    assert answer["error"]["code"] == "panel.bad_config"
    panel = configured()
    assert panel.act({"do": "queue"})["error"]["code"] == "panel.bad_action"
    assert panel.act({"do": "resume", "draft": {"version": 99}})["error"]["code"] == (
        "draft.unsupported_version"
    )


def test_sms_button_is_greyed_with_a_reason_when_no_templates_exist() -> None:
    panel = Panel()
    view = panel.act({"do": "configure", "config": {**CONFIG, "templates": []}, "lang": "en"})[
        "view"
    ]
    assert view["sms_button"]["visible"] and not view["sms_button"]["enabled"]
    assert "templates" in view["sms_button"]["problem"]["message"]


def test_reconfiguring_keeps_what_the_agent_is_writing() -> None:
    panel = configured()
    panel.act({"do": "prefill", "queue_id": "sales", "to": "0151 1234567", "text": "Entwurf"})
    view = panel.act({"do": "configure", "config": CONFIG, "lang": "en"})["view"]
    assert view["open"] and view["queue"]["selected"] == "sales"
    assert view["to"] == "0151 1234567" and view["text"] == "Entwurf"
    # A queue the new configuration no longer offers is dropped; the text stays.
    fewer = {**CONFIG, "queues": CONFIG["queues"][:1]}
    view = panel.act({"do": "configure", "config": fewer})["view"]
    assert view["text"] == "Entwurf" and view["queue"]["selected"] == "service"


def test_the_counter_is_announced_and_the_suggestion_worded_with_counted_words() -> None:
    panel = configured(lang="en")
    panel.act({"do": "open"})
    panel.act({"do": "queue", "value": "service"})
    view = panel.act({"do": "text", "value": "x"})["view"]
    assert view["counter_announce"] == "1 character, 1 segment, GSM 7-bit"
    assert view["suggestion_label"] is None
    # Curly quotes force UCS-2 over 70 units; their look-alikes fit one GSM segment.
    curly = "„Danke“ " + "y" * 64
    view = panel.act({"do": "text", "value": curly})["view"]
    assert view["counter_announce"] == "72 characters, 2 segments, UCS-2 (Unicode)"
    assert view["suggestion_label"] == "Replace with GSM characters (1 instead of 2 segments)"
    german = configured(lang="de")
    german.act({"do": "open"})
    german.act({"do": "queue", "value": "service"})
    view = german.act({"do": "text", "value": curly})["view"]
    assert view["counter_announce"] == "72 Zeichen, 2 Segmente, UCS-2 (Unicode)"
    assert view["suggestion_label"] == "Durch GSM-Zeichen ersetzen (1 statt 2 Segmente)"
    view = german.act({"do": "text", "value": "„Hallo“"})["view"]
    assert view["suggestion_label"] == "Durch GSM-Zeichen ersetzen"
