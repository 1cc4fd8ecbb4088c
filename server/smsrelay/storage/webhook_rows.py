"""What the webhooks' storage hands out and takes in (see ``webhooks.py`` beside this module and
``smsrelay.webhooks``): the pump's cursor, deliveries and their attempts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: A delivery's states: still to be sent (also while an attempt is under way), sent (the
#: endpoint answered 2xx), given up (the retry window ended, or the endpoint was removed).
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass(frozen=True)
class WebhookCursor:
    """How far the pump has read the events table (see the ``webhook_cursor`` table)."""

    position: int
    #: Ids the pump passed while they were missing, with when it did (ms): a transaction
    #: that took them may still commit, and is then picked up.
    holes: tuple[tuple[int, int], ...] = ()
    version: int = 0

    def holes_json(self) -> str:
        return json.dumps([list(hole) for hole in self.holes])

    @staticmethod
    def holes_from(text: str) -> tuple[tuple[int, int], ...]:
        return tuple((int(i), int(since)) for i, since in json.loads(text or "[]"))


@dataclass(frozen=True)
class NewDelivery:
    tenant: str
    endpoint: str
    event_id: str
    event_type: str
    #: The conversation it belongs to: deliveries of one endpoint and conversation go out in
    #: the order they were created.
    ordering: str
    message_id: str | None
    interaction_id: str | None
    #: The JSON body, as it is signed and sent on every attempt.
    payload: str
    now: int


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    tenant: str
    endpoint: str
    event_id: str
    event_type: str
    ordering: str
    message_id: str | None
    interaction_id: str | None
    payload: str
    state: str
    attempts: int
    next_attempt_at: int
    last_status: int | None
    last_error: str | None
    last_attempt_at: int | None
    delivered_at: int | None
    window_start: int
    created_at: int
    redelivery_of: int | None
    claimed_by: str | None = None
    claimed_until: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> DeliveryRow:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ClaimFor:
    """Claim what a pump pass creates, for the deliverer of the same relay: it can post them
    without another round trip to the database."""

    worker: str
    now: int
    lease_ms: int
    limit: int


@dataclass(frozen=True)
class AttemptRow:
    id: int
    delivery_id: int
    at: int
    #: The endpoint's HTTP status; None when no answer came (see ``error``).
    status: int | None
    error: str | None
    duration_ms: int


@dataclass(frozen=True)
class DeliveryOutcome:
    """One attempt's result, as the deliverer records it."""

    at: int
    status: int | None
    error: str | None
    duration_ms: int
    #: ``delivered``; else ``pending`` (tried again at ``next_attempt_at``) or ``failed``.
    state: str
    next_attempt_at: int | None = None


def delivery_values(new: NewDelivery) -> dict[str, Any]:
    return {
        "tenant": new.tenant,
        "endpoint": new.endpoint,
        "event_id": new.event_id,
        "event_type": new.event_type,
        "ordering": new.ordering,
        "message_id": new.message_id,
        "interaction_id": new.interaction_id,
        "payload": new.payload,
        "state": PENDING,
        "attempts": 0,
        "next_attempt_at": new.now,
        "claimed_by": None,
        "claimed_until": None,
        "last_status": None,
        "last_error": None,
        "last_attempt_at": None,
        "delivered_at": None,
        "window_start": new.now,
        "created_at": new.now,
        "redelivery_of": None,
    }
