"""A tenant's webhooks: the CRM endpoints the relay tells what happened to the tenant's SMS, read
from ``[[tenants.ID.webhooks]]`` (or the same keys in a settings document) and checked with
every error naming its key (``tenants.acme.webhooks[0].url: …``).

Personal data leaves the relay only as far as the tenant allows it: an event names ids (the
event, the tenant, the message, the interaction, the agent, the queue) and carries the
customer's number or the text only when ``include`` lists them. Each endpoint's signing
secret (``whsec_…``) is kept apart from the settings, like the token secrets (see
``smsrelay.tenants.sync.split_secrets``).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from smscompose import InvalidConfig
from smscompose.config import ConfigReader, require_unique

__all__ = [
    "EVENT_TYPES",
    "PERSONAL_DATA",
    "SECRET_PREFIX",
    "SecretPlan",
    "WebhookEndpoint",
    "new_secret",
    "parse_webhooks",
    "plan_secrets",
    "read_secret",
    "url_problem",
    "webhook_secrets_of",
    "without_webhook_secrets",
]

#: What a CRM can subscribe to. ``message.accepted`` is a message's first status (queued).
EVENT_TYPES = ("message.accepted", "message.status", "message.received", "optout.changed")
#: The personal data an endpoint may be sent: the customer's number, the SMS's text.
PERSONAL_DATA = ("number", "text")
#: Standard Webhooks' prefix of a base64 signing secret.
SECRET_PREFIX = "whsec_"
#: Endpoints per tenant: each event is one delivery per endpoint.
MAX_ENDPOINTS = 10
MAX_URL_LENGTH = 2_000

_ENDPOINT_ID = re.compile(r"^[A-Za-z0-9_-]{1,50}$")
_KEYS = {"id", "url", "events", "include", "secret"}


@dataclass(frozen=True)
class WebhookEndpoint:
    id: str
    url: str
    events: frozenset[str] = frozenset(EVENT_TYPES)
    #: Which of :data:`PERSONAL_DATA` its events carry; none by default.
    include: frozenset[str] = frozenset()

    def wants(self, event_type: str) -> bool:
        return event_type in self.events


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a webhook's address (in English, for the configuration file's
    errors), or None. The admin API words the same refusal in the administrator's language."""
    if len(url) > MAX_URL_LENGTH:
        return f"must be at most {MAX_URL_LENGTH} characters"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "is not a URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "must be an http:// or https:// URL"
    if not parts.hostname:
        return "must name a host"
    if parts.username is not None or parts.password is not None:
        # It would be stored and shown with the settings; a secret belongs in the signature.
        return "must not contain a user name or password"
    if parts.fragment:
        return "must not have a #fragment"
    return None


def read_secret(value: str, key: str) -> str:
    """A signing secret as Standard Webhooks writes it: ``whsec_`` and base64 of 24 to 64
    random bytes."""
    body = value.removeprefix(SECRET_PREFIX)
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not value.startswith(SECRET_PREFIX) or not 24 <= len(raw) <= 64:
        raise InvalidConfig(key, "must be whsec_ followed by base64 of 24 to 64 bytes")
    return value


def parse_webhooks(reader: ConfigReader) -> tuple[WebhookEndpoint, ...]:
    items = reader.items("webhooks")
    if len(items) > MAX_ENDPOINTS:
        raise InvalidConfig(reader.key("webhooks"), f"at most {MAX_ENDPOINTS} webhooks")
    endpoints = tuple(_endpoint(item) for item in items)
    require_unique(reader.key("webhooks"), [e.id for e in endpoints])
    return endpoints


def _endpoint(reader: ConfigReader) -> WebhookEndpoint:
    reader.reject_unknown(_KEYS)
    endpoint_id = reader.required("id", str)
    if not _ENDPOINT_ID.match(endpoint_id):
        raise InvalidConfig(reader.key("id"), "must be 1 to 50 letters, digits, - or _")
    url = reader.required("url", str)
    problem = url_problem(url)
    if problem is not None:
        raise InvalidConfig(reader.key("url"), problem)
    secret = reader.optional("secret", str)
    if secret is not None:
        read_secret(secret, reader.key("secret"))
    return WebhookEndpoint(
        id=endpoint_id,
        url=url,
        events=_choice(reader, "events", EVENT_TYPES, default=EVENT_TYPES),
        include=_choice(reader, "include", PERSONAL_DATA, default=()),
    )


def _choice(
    reader: ConfigReader, name: str, known: tuple[str, ...], *, default: tuple[str, ...]
) -> frozenset[str]:
    if reader.data.get(name) is None:
        return frozenset(default)
    chosen = reader.strings(name)
    for i, value in enumerate(chosen):
        if value not in known:
            raise InvalidConfig(f"{reader.key(name)}[{i}]", f"unknown; known: {', '.join(known)}")
    if name == "events" and not chosen:
        raise InvalidConfig(reader.key(name), "at least one event is required")
    return frozenset(chosen)


# -- secrets ------------------------------------------------------------------------------------

#: Secrets an endpoint signs with at once: the newest and, while a CRM switches, older ones.
MAX_SECRETS = 3


def new_secret() -> str:
    """A new signing secret: 32 random bytes, as Standard Webhooks writes them."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _entries(document: Mapping[str, Any]) -> list[Any]:
    found = document.get("webhooks")
    return found if isinstance(found, list) else []


def webhook_secrets_of(document: Mapping[str, Any]) -> dict[str, str]:
    """The ``secret`` each webhook of a ``[tenants.ID]`` table names, by endpoint id."""
    return {
        str(entry["id"]): str(entry["secret"])
        for entry in _entries(document)
        if isinstance(entry, Mapping) and entry.get("secret") and entry.get("id")
    }


def without_webhook_secrets(document: Mapping[str, Any]) -> dict[str, Any]:
    """The table as stored in a revision: its webhooks without their secrets."""
    stored = dict(document)
    if "webhooks" in stored and isinstance(stored["webhooks"], list):
        stored["webhooks"] = [
            {k: v for k, v in entry.items() if k != "secret"}
            if isinstance(entry, Mapping)
            else entry
            for entry in stored["webhooks"]
        ]
    return stored


@dataclass(frozen=True)
class SecretPlan:
    """A tenant's signing secrets after a save: endpoint id → secrets, newest first (None: as
    they are), and those made now, to be shown this once."""

    secrets: dict[str, tuple[str, ...]] | None
    created: dict[str, str]


def plan_secrets(
    document: Mapping[str, Any],
    given: Mapping[str, str],
    existing: Mapping[str, tuple[str, ...]],
) -> SecretPlan:
    """Each endpoint of ``document`` keeps its secrets, takes the one ``given`` for it (a
    configuration file's), or gets a new one; an endpoint that is gone takes its secrets along."""
    planned: dict[str, tuple[str, ...]] = {}
    created: dict[str, str] = {}
    for entry in _entries(document):
        endpoint = str(entry.get("id")) if isinstance(entry, Mapping) else ""
        if not endpoint:
            continue
        if endpoint in given:
            planned[endpoint] = (given[endpoint],)
        elif existing.get(endpoint):
            planned[endpoint] = tuple(existing[endpoint])
        else:
            planned[endpoint] = (created.setdefault(endpoint, new_secret()),)
    unchanged = planned == {k: tuple(v) for k, v in existing.items()}
    return SecretPlan(None if unchanged else planned, created)
