"""Opting out: which replies withdraw a customer's consent to SMS, and which give it back.

A customer opts out by answering an SMS with a stop keyword (the gateway's inbound callback
brings it here, see ``smsrelay.inbound``) or an administrator adds the number (``smsrelay
optout add``). The list itself lives in the database (``smsrelay.storage.optouts``), so every
relay instance refuses the number from the moment it is written. Nothing is sent to it.
"""

from __future__ import annotations

import re
from typing import Literal

#: Replies that withdraw consent: the usual English words (as carriers and Twilio honour them)
#: and the German ones customers here write.
STOP_WORDS = frozenset({"STOP", "STOPP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
                        "ABMELDEN", "ABBESTELLEN"})  # fmt: skip
#: Replies that give it back.
START_WORDS = frozenset({"START", "UNSTOP", "ANMELDEN"})

_TRIM = re.compile(r"^[\s\"'„“”.,;:!?¡¿()\[\]-]+|[\s\"'„“”.,;:!?¡¿()\[\]-]+$")


def keyword(text: str) -> Literal["stop", "start"] | None:
    """Whether a customer's reply is a stop or start keyword: the whole reply, in any case,
    with punctuation and spacing around it ("Stop.", " STOPP!"), but not a sentence that
    merely contains the word ("please don't stop")."""
    word = _TRIM.sub("", text).upper()
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    return None
