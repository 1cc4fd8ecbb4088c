"""What a webhook says: one JSON document per event of the events table, built when the pump
reads the event and sent unchanged on every attempt.

Every event names its id (also the ``webhook-id`` header), its type, when it happened, the
tenant and the ids the CRM files it under (the message, the interaction); the customer's number
and the SMS's text only when the endpoint's ``include`` allows them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from smscompose.status import is_final

from ..storage import FeedEvent, MessageRow
from ..storage.inbound_rows import InboundRow

ACCEPTED, STATUS, RECEIVED, OPTOUT = (
    "message.accepted",
    "message.status",
    "message.received",
    "optout.changed",
)


@dataclass(frozen=True)
class ReceivedMessage:
    """A customer's SMS to one of the tenant's addresses, as ``message.received`` tells it."""

    id: str
    #: The customer's number (E.164).
    number: str
    #: The tenant's address the customer wrote to.
    to: str
    text: str
    received_at: int
    interaction_id: str | None = None
    #: The relay's message this one answers, when known.
    in_reply_to: str | None = None


class ReceivedMessages(Protocol):
    """Where the pump reads a customer's SMS that a ``received`` event names."""

    def received_message(self, tenant: str, message_id: str) -> ReceivedMessage | None: ...


class StoredReceivedMessages:
    """Customers' SMS as the conversations' store keeps them."""

    def __init__(self, store: InboundLookup) -> None:
        self._store = store

    def received_message(self, tenant: str, message_id: str) -> ReceivedMessage | None:
        row = self._store.get_inbound(tenant, message_id)
        if row is None:
            return None
        return ReceivedMessage(row.id, row.number, row.address, row.text, row.received_at)


class InboundLookup(Protocol):
    def get_inbound(self, tenant: str, inbound_id: str) -> InboundRow | None: ...


class NoReceivedMessages:
    """While the relay keeps no inbound messages: a ``received`` event is told by its ids."""

    def received_message(self, tenant: str, message_id: str) -> ReceivedMessage | None:
        return None


def event_type(event: FeedEvent) -> str | None:
    """The webhook an event of the events table becomes (None: none)."""
    kind = event.event.kind
    if kind == "status":
        return ACCEPTED if event.event.status == "queued" else STATUS
    return {"received": RECEIVED, "optout": OPTOUT}.get(kind)


def ordering_key(tenant: str, number: str | None, fallback: str) -> str:
    """The conversation an event belongs to — the tenant and the customer's number — as a
    hash, so the outbox's ordering column holds no number in the clear."""
    who = number or f"no-number:{fallback}"
    return hashlib.sha256(f"{tenant}\x00{who}".encode()).hexdigest()[:32]


def iso(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def payload(
    event: FeedEvent,
    event_id: str,
    kind: str,
    *,
    include: frozenset[str],
    message: MessageRow | None = None,
    received: ReceivedMessage | None = None,
) -> dict[str, Any]:
    row = event.event
    if kind in (ACCEPTED, STATUS):
        data = _message_data(row.message_id, row.status, kind, message, event)
        if kind == STATUS:
            data.update(final=is_final(row.status), reason_code=row.reason_code, reason=row.reason)
        if message is not None:
            _personal(data, include, number=("to", message.to_number), text=message.text)
    elif kind == RECEIVED:
        data = _received_data(row.message_id, received)
        number = received.number if received is not None else row.number
        _personal(
            data,
            include,
            number=("from", number),
            text=received.text if received is not None else None,
        )
    else:
        data = {"opted_out": row.status == "opted_out", "source": row.reason}
        _personal(data, include, number=("number", row.number), text=None)
    return {
        "id": event_id,
        "type": kind,
        "timestamp": iso(row.at),
        "tenant": event.tenant,
        "data": data,
    }


def body(document: Mapping[str, Any]) -> str:
    """The document as it is signed and sent: compact JSON, UTF-8."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _message_data(
    message_id: str, status: str, kind: str, message: MessageRow | None, event: FeedEvent
) -> dict[str, Any]:
    data: dict[str, Any] = {"message_id": message_id, "status": status}
    if message is None:
        data.update(agent=event.agent or None)
        return data
    data.update(
        interaction_id=message.interaction_id,
        interaction_type=message.interaction_type,
        agent=message.agent,
        queue_id=message.queue_id,
    )
    data["from"] = message.sender  # the tenant's own address, not the customer's data
    if kind == ACCEPTED:
        data.update(encoding=message.encoding, segments=message.segments)
    return data


def _received_data(message_id: str, received: ReceivedMessage | None) -> dict[str, Any]:
    data: dict[str, Any] = {"message_id": message_id}
    if received is not None:
        data.update(
            interaction_id=received.interaction_id,
            in_reply_to=received.in_reply_to,
            to=received.to,
            received_at=iso(received.received_at),
        )
    return data


def _personal(
    data: dict[str, Any],
    include: frozenset[str],
    *,
    number: tuple[str, str | None],
    text: str | None,
) -> None:
    """The customer's number and the text, where the endpoint allows them."""
    name, value = number
    if "number" in include and value:
        data[name] = value
    if "text" in include and text is not None:
        data["text"] = text
