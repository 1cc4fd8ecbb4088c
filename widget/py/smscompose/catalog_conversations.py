"""The catalog's words for a conversation with a customer
(:mod:`smscompose.conversation_view`). Part of :data:`smscompose.messages.CATALOG`."""

from __future__ import annotations

from collections.abc import Mapping

from .plural import Plural

CONVERSATION_CATALOG: Mapping[str, Mapping[str, str | Plural]] = {
    # A conversation with a customer (smscompose.conversation_view)
    "thread.heading": {"de": "Verlauf mit {number}", "en": "Conversation with {number}"},
    "thread.empty": {
        "de": "Noch keine Nachrichten mit dieser Nummer.",
        "en": "No messages with this number yet.",
    },
    "thread.customer": {"de": "Kunde", "en": "Customer"},
    "thread.you": {"de": "Sie", "en": "You"},
    "thread.colleague": {"de": "Kollege {agent}", "en": "Colleague {agent}"},
    "thread.unread": {
        "de": Plural("count", one="{count} neue Antwort", other="{count} neue Antworten"),
        "en": Plural("count", one="{count} new reply", other="{count} new replies"),
    },
    "thread.new_reply": {"de": "Neue Antwort von {number}", "en": "New reply from {number}"},
    "thread.older": {"de": "Ältere Nachrichten laden", "en": "Load older messages"},
    "thread.reply": {"de": "Antworten", "en": "Reply"},
    "thread.failed": {
        "de": "Der Verlauf kann gerade nicht geladen werden.",
        "en": "The conversation cannot be loaded right now.",
    },
}
