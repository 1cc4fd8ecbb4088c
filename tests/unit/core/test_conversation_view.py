"""The thread under To as the core words it: oldest first, who wrote, our messages' status in
the panel's language, the unread count, and the announcement of a new reply."""

from __future__ import annotations

from smscompose.conversation_view import new_reply, thread_view

THREAD = {
    "number": "+4915112345678",
    "unread": 2,
    "next": "1700000000000.msg_x",
    "items": [
        {"id": "in_2", "direction": "in", "text": "Wann?", "at": 30},
        {"id": "msg_2", "direction": "out", "text": "Gleich.", "at": 20, "status": "delivered",
         "agent": "bob"},
        {"id": "msg_1", "direction": "out", "text": "Hallo", "at": 10, "status": "failed",
         "agent": "alice"},
    ],
}  # fmt: skip


def test_a_thread_is_shown_oldest_first_with_who_wrote_and_each_status_worded() -> None:
    view = thread_view(THREAD, "de", agent="alice")
    assert view["heading"] == "Verlauf mit +4915112345678"
    assert view["unread"] == "2 neue Antwort(en)" and view["empty"] is None
    assert view["older"] == "Ältere Nachrichten laden" and view["next"] == THREAD["next"]
    lines = [(i["who"], i["text"], i["status_label"]) for i in view["items"]]
    assert lines == [
        ("Sie", "Hallo", "nicht gesendet"),
        ("Kollege bob", "Gleich.", "zugestellt"),
        ("Kunde", "Wann?", None),
    ]
    english = thread_view(THREAD, "en", agent="bob")
    assert [i["who"] for i in english["items"]] == ["Colleague alice", "You", "Customer"]
    assert english["items"][1]["status_label"] == "delivered"


def test_an_empty_thread_says_so_and_a_new_reply_is_announced() -> None:
    empty = thread_view({"number": "+43664123", "items": []}, "en")
    assert empty["empty"] == "No messages with this number yet."
    assert empty["unread"] is None and empty["older"] is None and empty["items"] == []
    assert new_reply("+43664123", "de") == "Neue Antwort von +43664123"
