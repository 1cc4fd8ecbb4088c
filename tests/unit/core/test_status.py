"""smscompose.status and smscompose.sent: one status contract, and the status line it gives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscompose.messages import CATALOG
from smscompose.sent import EARLY_LIMIT, SentMessages, StatusChange
from smscompose.status import FINAL, MessageStatus, Reason, is_final, may_follow, reason_or_default

S = MessageStatus


def test_the_relay_s_statuses_are_the_contract() -> None:
    assert [s.value for s in S] == [
        "scheduled",
        "queued",
        "submitted",
        "delivered",
        "undelivered",
        "failed",
        "expired",
        "unknown",
        "cancelled",
    ]
    assert {S.DELIVERED, S.UNDELIVERED, S.FAILED, S.EXPIRED, S.CANCELLED} == FINAL
    assert not is_final("unknown") and not is_final("submitted") and is_final("failed")


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("queued", "submitted", True),
        ("queued", "failed", True),
        ("queued", "unknown", True),
        ("submitted", "delivered", True),
        ("submitted", "queued", False),
        ("submitted", "submitted", False),
        ("delivered", "submitted", False),
        ("delivered", "undelivered", False),
        ("failed", "delivered", False),
        # A late delivery report still tells the truth about an unconfirmed send.
        ("unknown", "delivered", True),
        ("unknown", "expired", True),
        ("unknown", "queued", False),
        ("queued", "sent", False),
        # A scheduled message goes out, is retried, or is cancelled while it waits.
        ("scheduled", "submitted", True),
        ("scheduled", "queued", True),
        ("scheduled", "cancelled", True),
        ("queued", "cancelled", True),
        ("queued", "scheduled", False),
        ("submitted", "cancelled", False),
        ("cancelled", "submitted", False),
        ("nonsense", "queued", False),
    ],
)
def test_which_change_may_follow_which(current: str, new: str, allowed: bool) -> None:
    assert may_follow(current, new) is allowed


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_nothing_follows_a_final_status_and_nothing_repeats(a: S, b: S) -> None:
    if is_final(a) or a == b:
        assert not may_follow(a, b)


def test_every_status_and_reason_has_german_and_english_words() -> None:
    for key in [f"status.{s}" for s in S] + [f"reason.{r}" for r in Reason]:
        assert set(CATALOG[key]) == {"de", "en"}, key
        assert CATALOG[key]["de"] != CATALOG[key]["en"], key


def test_the_reason_shown_comes_from_the_code_or_from_the_status() -> None:
    assert reason_or_default("absent_subscriber", "undelivered") == Reason.ABSENT_SUBSCRIBER
    assert reason_or_default(None, "expired") == Reason.EXPIRED
    assert reason_or_default(None, "unknown") == Reason.UNCONFIRMED
    assert reason_or_default("a-code-from-a-newer-relay", "failed") == Reason.GATEWAY_ERROR
    assert reason_or_default("rejected", "delivered") is None
    assert reason_or_default(None, "submitted") is None
    assert reason_or_default(None, "scheduled") is None
    assert reason_or_default(None, "cancelled") is None


def test_the_status_line_is_words_in_the_agent_s_language_never_a_key() -> None:
    sent = SentMessages().accepted("m1", "+4915100000001", "queued")
    sent, shown = sent.apply(
        StatusChange("m1", "undelivered", "absent_subscriber", "absent subscriber (test number)")
    )
    assert shown is not None
    de = sent.line("de")
    assert de is not None
    assert de["text"] == "SMS an +4915100000001: nicht zugestellt"
    assert de["reason"] == "Grund: Das Telefon war ausgeschaltet oder nicht erreichbar."
    assert de["tone"] == "problem" and de["final"] is True
    en = sent.line("en")
    assert en is not None and en["text"] == "SMS to +4915100000001: not delivered"
    assert "test number" not in en["reason"]


def test_a_change_that_outruns_the_send_answer_applies_once_the_message_is_known() -> None:
    sent, shown = SentMessages().apply(StatusChange("m1", "submitted"))
    assert shown is None
    sent = sent.accepted("m1", "+49151", "queued")
    line = sent.line("en")
    assert line is not None and line["status"] == "submitted"
    assert not sent.early


def test_a_late_change_does_not_undo_a_final_one() -> None:
    sent = SentMessages().accepted("m1", "+49151", "queued")
    sent, _ = sent.apply(StatusChange("m1", "delivered"))
    sent, shown = sent.apply(StatusChange("m1", "submitted"))
    assert shown is None
    line = sent.line("de")
    assert line is not None and line["text"].endswith("zugestellt")


def test_early_changes_are_kept_for_a_few_messages_only() -> None:
    sent = SentMessages()
    for n in range(EARLY_LIMIT + 5):
        sent, _ = sent.apply(StatusChange(f"m{n}", "submitted"))
    assert len(sent.early) == EARLY_LIMIT and "m0" not in sent.early


def test_an_unknown_status_is_bad_input() -> None:
    with pytest.raises(ValueError):
        StatusChange.from_dict({"id": "m1", "status": "sent"})
