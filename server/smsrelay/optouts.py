"""The opt-out list: numbers that replied STOP, per tenant. Nothing is sent to them.

A customer opts out by answering an SMS with a stop keyword (the gateway's inbound callback
brings it here) or an administrator adds the number (``smsrelay optout add``). The list lives
in the database, so every relay instance refuses the number from the moment it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .storage.schema import opt_outs

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


@dataclass(frozen=True)
class OptOut:
    tenant: str
    number: str
    source: str
    created_at: int


class OptOutList:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        dialect = engine.dialect.name
        upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        self._add = upsert(opt_outs).on_conflict_do_nothing(index_elements=["tenant", "number"])

    def get(self, tenant: str, number: str) -> OptOut | None:
        query = select(opt_outs).where(opt_outs.c.tenant == tenant, opt_outs.c.number == number)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return OptOut(**row) if row else None

    def add(self, tenant: str, number: str, source: str, now: int) -> bool:
        """Opt a number out; False when it already was (the first date is kept)."""
        values = {"tenant": tenant, "number": number, "source": source, "created_at": now}
        with self.engine.begin() as conn:
            return bool(conn.execute(self._add, values).rowcount)

    def remove(self, tenant: str, number: str) -> bool:
        """Opt a number back in; False when it was not opted out."""
        query = delete(opt_outs).where(opt_outs.c.tenant == tenant, opt_outs.c.number == number)
        with self.engine.begin() as conn:
            return bool(conn.execute(query).rowcount)

    def all(self, tenant: str) -> list[OptOut]:
        query = select(opt_outs).where(opt_outs.c.tenant == tenant).order_by(opt_outs.c.number)
        with self.engine.connect() as conn:
            return [OptOut(**row) for row in conn.execute(query).mappings()]
