"""The seed's steps as a state model: what the agent sees for each input."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from smscompose import (
    ComposeConfig,
    ComposeError,
    ComposeSession,
    Queue,
    SenderAddress,
    ShiftTables,
    Template,
    check_outgoing,
    segment,
)

MOBILE = "+4915123456789"
SUPPORT_NUMBER = SenderAddress.parse("+4989123456")
SALES_NUMBER = SenderAddress.parse("+4930123456")
BRAND = SenderAddress.parse("ACME")

GREETING = Template("greeting", "Greeting", "Hello {{customer.first_name|there}}, how can we help?")
APPOINTMENT = Template(
    "appointment", "Appointment", "Dear {{customer.last_name}}, your appointment is confirmed."
)
SHORT = Template("short", "Short", "Thanks!")


def config(**changes: object) -> ComposeConfig:
    base = ComposeConfig(
        queues=(
            Queue("support", "Support", (SUPPORT_NUMBER, BRAND)),
            Queue("sales", "Sales", (SALES_NUMBER,)),
        ),
        templates=(GREETING, APPOINTMENT, SHORT),
        max_segments=3,
    )
    return replace(base, **changes)


def ready(session: ComposeSession) -> ComposeSession:
    return session.open_panel().choose_queue("support").set_to(MOBILE)


# -- step 1: the SMS button ---------------------------------------------------------------


def test_sms_button_is_absent_when_sms_is_off_for_the_agent() -> None:
    state = ComposeSession(config(sms_enabled=False)).view()
    assert not state.sms_button_visible
    assert not state.sms_button_enabled


def test_sms_button_is_greyed_out_with_a_reason_when_there_are_no_templates() -> None:
    session = ComposeSession(config(templates=()))
    state = session.view("de")
    assert state.sms_button_visible and not state.sms_button_enabled
    assert state.sms_button_problem is not None
    assert state.sms_button_problem.code == "compose.no_templates"
    assert "Vorlagen" in state.to_dict()["sms_button"]["problem"]["message"]
    assert not session.open_panel().open


def test_sms_button_opens_the_panel() -> None:
    state = ComposeSession(config()).open_panel().view()
    assert state.sms_button_enabled and state.open


# -- step 2: the queue ----------------------------------------------------------------------


def test_queue_choice_appears_with_more_than_one_queue_and_hides_the_compose_view() -> None:
    state = ComposeSession(config()).open_panel().view()
    assert state.queue.visible
    assert [o.value for o in state.queue.options] == ["support", "sales"]
    assert not state.compose_visible


def test_a_single_queue_is_chosen_without_asking() -> None:
    session = ComposeSession(config(queues=(Queue("only", "Only", (BRAND,)),))).open_panel()
    state = session.view()
    assert not state.queue.visible
    assert state.compose_visible
    assert state.queue.selected == "only"


def test_an_unknown_queue_is_refused() -> None:
    with pytest.raises(ComposeError) as error:
        ComposeSession(config()).open_panel().choose_queue("nope")
    assert error.value.problem.code == "compose.unknown_queue"


# -- step 3: the template -------------------------------------------------------------------


def test_first_template_is_the_default_and_fills_the_text() -> None:
    state = ComposeSession(config()).open_panel().choose_queue("support").view()
    assert state.template.visible
    assert state.template.selected == "greeting"
    assert state.text == "Hello there, how can we help?"


def test_template_choice_is_hidden_with_a_single_template() -> None:
    state = ComposeSession(config(templates=(SHORT,))).open_panel().choose_queue("sales").view()
    assert not state.template.visible
    assert state.text == "Thanks!"


def test_choosing_another_template_replaces_an_unedited_text() -> None:
    session = ComposeSession(config()).open_panel().choose_queue("support")
    session = session.choose_template("short")
    assert session.text == "Thanks!"
    assert session.pending_template is None


def test_switching_templates_after_editing_asks_first() -> None:
    session = ComposeSession(config()).open_panel().choose_queue("support")
    edited = session.set_text("My own words")
    asking = edited.choose_template("short")
    state = asking.view("en")
    assert asking.text == "My own words"
    assert state.to_dict()["pending_template"] == {
        "template": "short",
        "message": "You have edited the text. Replace it with the template?",
    }
    assert not state.send_enabled
    assert asking.cancel_template_switch().text == "My own words"
    confirmed = asking.confirm_template_switch()
    assert (confirmed.text, confirmed.template_id) == ("Thanks!", "short")


def test_placeholders_are_filled_from_the_host_context() -> None:
    session = ComposeSession(config(), context={"customer": {"first_name": "Ada"}})
    session = session.open_panel().choose_queue("support")
    assert session.text == "Hello Ada, how can we help?"


def test_new_context_refills_an_unedited_text_but_not_an_edited_one() -> None:
    session = ComposeSession(config()).open_panel().choose_queue("support")
    refilled = session.set_context({"customer": {"first_name": "Grace"}})
    assert refilled.text == "Hello Grace, how can we help?"
    edited = session.set_text("Custom").set_context({"customer": {"first_name": "Grace"}})
    assert edited.text == "Custom"


def test_a_placeholder_without_value_blocks_sending_until_the_agent_edits_it() -> None:
    session = ready(ComposeSession(config())).choose_template("appointment")
    state = session.view()
    assert [p.name for p in state.placeholders] == ["customer.last_name"]
    assert state.send_visible and not state.send_enabled
    assert "template.missing_value" in [p.code for p in state.problems]
    fixed = session.set_text(session.text.replace("{{customer.last_name}}", "Ms Lovelace"))
    assert fixed.view().send_enabled


# -- step 4: To ---------------------------------------------------------------------------


def test_to_is_mandatory() -> None:
    state = ComposeSession(config()).open_panel().choose_queue("support").view()
    assert not state.send_visible
    assert "compose.to_required" in [p.code for p in state.problems]


def test_an_invalid_number_keeps_send_disabled_with_the_reason() -> None:
    session = ready(ComposeSession(config())).set_to("089 1234567")  # a Munich landline
    state = session.view("de")
    assert state.send_visible and not state.send_enabled
    problem = next(p for p in state.to_dict()["problems"] if p["field"] == "to")
    assert problem["code"] == "phone.type_not_allowed"
    assert "SMS" in problem["message"]


def test_the_dial_pad_types_into_to() -> None:
    session = ComposeSession(config()).open_panel().choose_queue("support")
    for key in "+4915123456789":
        session = session.press_dialpad(key)
    session = session.press_dialpad("9").press_dialpad_backspace()
    state = session.view()
    assert state.to == "+4915123456789"
    assert state.number is not None and state.number.e164 == MOBILE


# -- step 5: From -------------------------------------------------------------------------


def test_from_offers_the_senders_of_the_chosen_queue() -> None:
    state = ComposeSession(config()).open_panel().choose_queue("support").view()
    assert [o.value for o in state.sender.options] == ["+4989123456", "ACME"]
    assert state.sender.selected == "+4989123456"


def test_a_sender_of_another_queue_cannot_be_chosen() -> None:
    session = ComposeSession(config()).open_panel().choose_queue("support")
    with pytest.raises(ComposeError):
        session.choose_sender(SALES_NUMBER.value)


def test_changing_the_queue_picks_a_sender_of_the_new_queue() -> None:
    session = ComposeSession(config()).open_panel().choose_queue("support").choose_sender("ACME")
    assert session.choose_queue("sales").sender == SALES_NUMBER.value


# -- step 6: text and counter -------------------------------------------------------------


def test_the_counter_shows_what_the_segmenter_says() -> None:
    text = "x" * 200 + "{]"
    state = ready(ComposeSession(config())).set_text(text).view()
    assert state.to_dict()["counter"] == "204 – [GSM_7BIT 2]" == segment(text).counter


def test_the_senders_shift_tables_are_used_for_counting() -> None:
    tables = {SUPPORT_NUMBER.value: ShiftTables(locking=("tr",), single=("tr",))}
    session = ready(ComposeSession(config(shift_tables=tables))).set_text("Günaydın")
    assert session.view().message.encoding == "GSM_7BIT"
    assert session.choose_sender("ACME").view().message.encoding == "UCS2"


def test_too_many_segments_disable_send() -> None:
    state = ready(ComposeSession(config())).set_text("a" * 460).view("en")
    assert state.send_visible and not state.send_enabled
    problem = next(p for p in state.problems if p.code == "compose.too_many_segments")
    assert problem.message("en") == "The text is too long: 4 segments, at most 3 are allowed."


def test_the_look_alike_suggestion_is_offered_and_applied_on_request() -> None:
    session = ready(ComposeSession(config())).set_text("It’s “great” – thanks…")
    state = session.view()
    assert state.message.encoding == "UCS2"
    assert state.suggestion is not None
    assert state.suggestion.characters_replaced == 5
    applied = session.apply_suggestion()
    assert applied.text == 'It\'s "great" - thanks...'
    assert applied.view().message.encoding == "GSM_7BIT"


# -- step 7: Send -------------------------------------------------------------------------


def test_send_is_shown_and_enabled_when_everything_is_filled_in_and_valid() -> None:
    state = ready(ComposeSession(config())).view()
    assert state.send_visible and state.send_enabled
    assert state.problems == ()


def test_send_is_never_shown_without_a_sender_address() -> None:
    cfg = config(queues=(Queue("nosender", "No sender", ()),))
    state = ready_single(cfg).view()
    assert not state.send_visible
    assert [p.code for p in state.problems] == ["compose.no_sender"]


def ready_single(cfg: ComposeConfig) -> ComposeSession:
    return ComposeSession(cfg).open_panel().set_to(MOBILE)


def test_send_is_hidden_while_the_text_is_empty_or_blank() -> None:
    session = ready(ComposeSession(config()))
    assert not session.set_text("").view().send_visible
    assert not session.set_text("   ").view().send_visible


def test_the_view_is_plain_json_in_both_languages() -> None:
    session = ready(ComposeSession(config())).set_to("123")
    german = json.loads(json.dumps(session.view("de").to_dict()))
    english = json.loads(json.dumps(session.view("en").to_dict()))
    assert german["problems"][0]["code"] == english["problems"][0]["code"]
    assert german["problems"][0]["message"] != english["problems"][0]["message"]


# -- parking --------------------------------------------------------------------------------


def test_a_parked_draft_resumes_to_the_same_view() -> None:
    session = ready(ComposeSession(config(), context={"customer": {"first_name": "Ada"}}))
    session = session.choose_sender("ACME").set_text("Half-written…")
    draft = session.park(draft_id="d1", now="2026-11-24T10:00:00Z")
    resumed = ComposeSession.resume(config(), draft)
    assert resumed.view().to_dict() == session.view().to_dict()
    assert resumed.draft_id == "d1"


def test_resuming_keeps_the_text_when_the_queue_no_longer_exists() -> None:
    session = ready(ComposeSession(config())).set_text("Keep me")
    draft = session.park(draft_id="d1")
    changed = config(queues=(Queue("new", "New", (BRAND,)), Queue("other", "Other", (BRAND,))))
    resumed = ComposeSession.resume(changed, draft)
    state = resumed.view()
    assert (state.text, state.to, state.queue.selected) == ("Keep me", MOBILE, None)
    assert state.queue.visible and not state.send_enabled


def test_parking_needs_something_to_park() -> None:
    session = ComposeSession(config()).open_panel().choose_queue("support").set_text("")
    assert not session.view().can_park
    assert session.set_to("0151").view().can_park


# -- the relay's re-check -------------------------------------------------------------------


def test_the_relay_check_agrees_with_the_panel() -> None:
    ok = check_outgoing(config(), queue_id="support", sender="ACME", to=MOBILE, text="Hi {x}")
    assert ok.ok
    assert ok.message.counter == "8 – [GSM_7BIT 1]"
    assert ok.number is not None and ok.number.e164 == MOBILE


def test_the_relay_check_refuses_what_the_panel_would_not_send() -> None:
    check = check_outgoing(
        config(), queue_id="support", sender=SALES_NUMBER.value, to="12", text="{{customer.x}}"
    )
    codes = {p.code for p in check.problems}
    assert {"compose.sender_not_allowed", "template.missing_value"} <= codes
    assert any(code.startswith("phone.") for code in codes)
    unknown = check_outgoing(config(), queue_id="x", sender="ACME", to=MOBILE, text="Hi")
    assert "compose.unknown_queue" in {p.code for p in unknown.problems}
    off = check_outgoing(
        config(sms_enabled=False), queue_id="support", sender="ACME", to=MOBILE, text="Hi"
    )
    assert "compose.sms_disabled" in {p.code for p in off.problems}
