"""Parked drafts: the versioned format and the inbox rules of the seed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscompose import Draft, DraftError, Inbox

DRAFT = Draft(
    id="d1",
    queue_id="support",
    template_id="greeting",
    to="+4915123456789",
    sender="ACME",
    text="Hello {x} 😀",
    context={"customer": {"first_name": "Ada"}},
    interaction_id="call-7",
    interaction_type="call",
    updated_at="2026-11-24T10:00:00Z",
)


def test_a_draft_is_versioned_json() -> None:
    data = json.loads(DRAFT.to_json())
    assert data["version"] == 1
    assert data["from"] == "ACME"
    assert Draft.from_json(DRAFT.to_json()) == DRAFT


@given(
    st.builds(
        Draft,
        id=st.text(min_size=1, max_size=10),
        to=st.text(max_size=20),
        text=st.text(max_size=200),
        sender=st.none() | st.text(max_size=11),
    )
)
def test_any_draft_survives_a_round_trip(draft: Draft) -> None:
    assert Draft.from_json(draft.to_json()) == draft


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not json", "draft.invalid"),
        ("[]", "draft.invalid"),
        ('{"text": "no version"}', "draft.invalid"),
        ('{"version": 1, "text": 5}', "draft.invalid"),
        ('{"version": 1, "context": []}', "draft.invalid"),
        ('{"version": 1, "interaction_type": "fax"}', "draft.invalid"),
        ('{"version": 2, "text": "from the future"}', "draft.unsupported_version"),
    ],
)
def test_a_damaged_or_newer_draft_is_reported_not_guessed(text: str, code: str) -> None:
    with pytest.raises(DraftError) as error:
        Draft.from_json(text)
    assert error.value.problem.code == code
    assert error.value.problem.message("de")


def test_a_draft_can_only_be_deleted_after_it_was_reactivated() -> None:
    inbox = Inbox().park(DRAFT).park(Draft(id="d2", text="other"))
    with pytest.raises(DraftError) as error:
        inbox.delete("d1")
    assert error.value.problem.code == "draft.delete_requires_resume"
    inbox, draft = inbox.resume("d1")
    assert draft == DRAFT
    assert inbox.can_delete("d1") and not inbox.can_delete("d2")
    inbox = inbox.delete("d1")
    assert [d.id for d in inbox.drafts] == ["d2"]


def test_parking_a_reactivated_draft_replaces_it() -> None:
    inbox, _ = Inbox().park(DRAFT).resume("d1")
    inbox = inbox.park(Draft(id="d1", text="edited"))
    assert [d.text for d in inbox.drafts] == ["edited"]
    assert inbox.active is None


def test_a_sent_draft_leaves_the_inbox() -> None:
    inbox, _ = Inbox().park(DRAFT).resume("d1")
    assert inbox.sent("d1").drafts == ()


def test_an_unknown_draft_is_reported() -> None:
    with pytest.raises(DraftError) as error:
        Inbox().resume("gone")
    assert error.value.problem.code == "draft.not_found"


def test_the_inbox_view_says_which_draft_can_be_deleted() -> None:
    inbox, _ = Inbox().park(DRAFT).park(Draft(id="d2")).resume("d2")
    view = inbox.to_dict()
    assert [(d["id"], d["can_delete"]) for d in view["drafts"]] == [("d1", False), ("d2", True)]
