"""One tenant's settings: what its company administrator set up (SMS on or off, queues,
sender addresses, templates, limits, prices, token secrets), read from a ``[tenants.ID]``
table — or the same keys as a JSON document — and checked completely: every error names its
key (``tenants.acme.queues[1].senders[0]: unknown sender``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time

from smscompose import ComposeConfig, InvalidConfig, Queue, SenderAddress, ShiftTables, Template
from smscompose.config import ConfigReader, key_name, require_unique
from smscompose.phone import DEFAULT_ALLOWED_TYPES, NUMBER_TYPES
from smscompose.sender import InvalidSenderAddress

from ..gateways.options import GatewaySettings

__all__ = ["QuietHours", "Revocation", "SenderSettings", "TenantSettings", "parse_tenant"]


@dataclass(frozen=True)
class SenderSettings:
    address: SenderAddress
    gateway: str
    tables: ShiftTables = field(default_factory=ShiftTables)


@dataclass(frozen=True)
class Revocation:
    """``agent`` (``*``: every agent) may no longer use tokens issued before
    ``issued_before`` (Unix seconds), or any token at all without it."""

    agent: str
    issued_before: int | None = None

    def covers(self, agent: str, issued_at: int) -> bool:
        if self.agent not in ("*", agent):
            return False
        return self.issued_before is None or issued_at < self.issued_before


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def covers(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


#: Three days: a customer who answers the next day still reaches the agent who wrote.
DEFAULT_REPLY_WINDOW_HOURS = 72


@dataclass(frozen=True)
class TenantSettings:
    id: str
    sms_enabled: bool
    default_region: str
    language: str
    max_segments: int
    allowed_countries: frozenset[str] | None
    allowed_number_types: frozenset[str]
    price_per_segment: float | None
    currency: str
    cors_origins: tuple[str, ...]
    #: Token secrets by key id (``kid``); several at once let the CRM rotate keys.
    token_secrets: Mapping[str, str]
    queues: tuple[Queue, ...]
    templates: tuple[Template, ...]
    senders: Mapping[str, SenderSettings]
    validity_seconds: int | None
    #: Messages a minute, per agent and for the whole tenant (against SMS pumping).
    agent_rate_per_minute: int
    tenant_rate_per_minute: int
    #: Agents whose tokens no longer work (a dismissed agent, a leaked token).
    revoked: tuple[Revocation, ...] = ()
    #: When customers are not to be texted, in their own time zone (``from`` to ``until``,
    #: across midnight when ``until`` is earlier): what scheduled sends wait out.
    quiet_hours: QuietHours | None = None
    #: A customer's reply goes to the agent who last wrote to them from the address it was
    #: sent to within this many hours (0: never), else to that address's queue.
    reply_window_hours: int = DEFAULT_REPLY_WINDOW_HOURS

    def queue_of(self, address: str) -> str:
        """The queue a reply to one of the tenant's sender addresses goes to: the first that
        sends from it ('' when none does)."""
        return next((q.id for q in self.queues if any(s.value == address for s in q.senders)), "")

    def revokes(self, agent: str, issued_at: int) -> bool:
        """Whether a token of ``agent`` issued at ``issued_at`` (Unix seconds) is revoked."""
        return any(r.covers(agent, issued_at) for r in self.revoked)

    def compose_config(self, queue_ids: Iterable[str] | None = None) -> ComposeConfig:
        """What the compose core needs for an agent allowed ``queue_ids`` (None: all queues)."""
        allowed = None if queue_ids is None else set(queue_ids)
        return ComposeConfig(
            sms_enabled=self.sms_enabled,
            queues=tuple(q for q in self.queues if allowed is None or q.id in allowed),
            templates=self.templates,
            max_segments=self.max_segments,
            default_region=self.default_region,
            allowed_number_types=self.allowed_number_types,
            allowed_countries=self.allowed_countries,
            shift_tables={
                v: s.tables for v, s in self.senders.items() if s.tables.locking or s.tables.single
            },
            language=self.language,
        )


_TENANT_KEYS = {
    "sms_enabled",
    "default_region",
    "language",
    "max_segments",
    "allowed_countries",
    "allowed_number_types",
    "price_per_segment",
    "currency",
    "cors_origins",
    "token_secrets",
    "queues",
    "templates",
    "senders",
    "default_gateway",
    "validity_seconds",
    "agent_rate_per_minute",
    "tenant_rate_per_minute",
    "revoked",
    "quiet_hours",
    "reply_window_hours",
}


def parse_tenant(
    tenant_id: str, reader: ConfigReader, gateways: Mapping[str, GatewaySettings]
) -> TenantSettings:
    reader.reject_unknown(_TENANT_KEYS)
    default_gateway = reader.optional("default_gateway", str) or next(iter(gateways))
    if default_gateway not in gateways:
        raise InvalidConfig(reader.key("default_gateway"), f"unknown gateway {default_gateway!r}")
    senders: dict[str, SenderSettings] = {}
    for item in reader.items("senders"):
        sender = _sender(item, gateways, default_gateway)
        if sender.address.value in senders:
            raise InvalidConfig(item.key("address"), "the same sender is listed twice")
        senders[sender.address.value] = sender
    queues = tuple(_queue(item, senders) for item in reader.items("queues"))
    require_unique(reader.key("queues"), [q.id for q in queues])
    templates = tuple(_template(item) for item in reader.items("templates"))
    require_unique(reader.key("templates"), [t.id for t in templates])
    secrets = {
        kid: _secret(s, reader.key("token_secrets"))
        for kid, s in _strings_of(reader, "token_secrets")
    }
    if not secrets:
        raise InvalidConfig(
            reader.key("token_secrets"), "at least one key id and secret is required"
        )
    types = reader.strings("allowed_number_types") or sorted(DEFAULT_ALLOWED_TYPES)
    for i, number_type in enumerate(types):
        if number_type not in NUMBER_TYPES:
            raise InvalidConfig(f"{reader.key('allowed_number_types')}[{i}]", "unknown number type")
    countries = reader.optional("allowed_countries", list)
    max_segments = _positive(reader, "max_segments", 10)
    window = reader.optional("reply_window_hours", int, DEFAULT_REPLY_WINDOW_HOURS)
    if not 0 <= window <= 8760:
        raise InvalidConfig(reader.key("reply_window_hours"), "must be 0 to 8760 (a year)")
    validity = reader.optional("validity_seconds", int)
    if validity is not None and validity < 60:
        raise InvalidConfig(reader.key("validity_seconds"), "must be at least 60")
    return TenantSettings(
        id=tenant_id,
        sms_enabled=reader.optional("sms_enabled", bool, True),
        default_region=reader.optional("default_region", str, "DE").upper(),
        language=reader.optional("language", str, "de"),
        max_segments=max_segments,
        allowed_countries=(
            None
            if countries is None
            else frozenset(c.upper() for c in reader.strings("allowed_countries"))
        ),
        allowed_number_types=frozenset(types),
        price_per_segment=reader.number("price_per_segment"),
        currency=reader.optional("currency", str, "EUR"),
        cors_origins=tuple(reader.strings("cors_origins")),
        token_secrets=secrets,
        queues=queues,
        templates=templates,
        senders=senders,
        validity_seconds=validity,
        agent_rate_per_minute=_positive(reader, "agent_rate_per_minute", 30),
        tenant_rate_per_minute=_positive(reader, "tenant_rate_per_minute", 600),
        revoked=tuple(_revocation(item) for item in reader.items("revoked")),
        quiet_hours=_quiet_hours(reader),
        reply_window_hours=window,
    )


def _quiet_hours(reader: ConfigReader) -> QuietHours | None:
    data = reader.optional("quiet_hours", dict)
    if data is None:
        return None
    hours = ConfigReader(data, reader.key("quiet_hours"))
    hours.reject_unknown({"from", "until"})
    start, end = (_clock_time(hours, name) for name in ("from", "until"))
    if start == end:
        raise InvalidConfig(hours.key("until"), "must differ from 'from'")
    return QuietHours(start, end)


def _clock_time(reader: ConfigReader, name: str) -> time:
    text = reader.required(name, str)
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise InvalidConfig(reader.key(name), "must be a time of day such as 21:00") from None
    if len(text) != 5 or parsed.second or parsed.tzinfo is not None:
        raise InvalidConfig(reader.key(name), "must be a time of day such as 21:00")
    return parsed


def _revocation(reader: ConfigReader) -> Revocation:
    reader.reject_unknown({"agent", "issued_before", "comment"})
    agent = reader.required("agent", str)
    if not agent or len(agent) > 200:
        raise InvalidConfig(reader.key("agent"), "must be 1 to 200 characters")
    before = reader.optional("issued_before", int)
    if before is not None and before < 0:
        raise InvalidConfig(reader.key("issued_before"), "must be a Unix time in seconds")
    return Revocation(agent, before)


def _strings_of(reader: ConfigReader, name: str) -> list[tuple[str, str]]:
    pairs = []
    for key, value in reader.optional(name, dict, {}).items():
        if not isinstance(value, str):
            raise InvalidConfig(f"{reader.key(name)}.{key_name(key)}", "must be a string")
        pairs.append((key, value))
    return pairs


def _secret(secret: str, key: str) -> str:
    # HS256 with a short secret can be brute-forced offline from one captured token.
    if len(secret.encode()) < 32:
        raise InvalidConfig(key, "a token secret needs at least 32 bytes")
    return secret


def _sender(
    reader: ConfigReader, gateways: Mapping[str, GatewaySettings], default_gateway: str
) -> SenderSettings:
    reader.reject_unknown({"address", "label", "gateway", "locking", "single"})
    try:
        address = SenderAddress.parse(
            reader.required("address", str), label=reader.optional("label", str)
        )
    except InvalidSenderAddress as error:
        raise InvalidConfig(reader.key("address"), error.problem.message("en")) from None
    gateway = reader.optional("gateway", str) or default_gateway
    if gateway not in gateways:
        raise InvalidConfig(reader.key("gateway"), f"unknown gateway {gateway!r}")
    tables = ShiftTables(tuple(reader.strings("locking")), tuple(reader.strings("single")))
    if tables.locking or tables.single:
        try:
            ComposeConfig.from_dict({"shift_tables": {address.value: tables.to_dict()}})
        except InvalidConfig as error:
            raise InvalidConfig(reader.key("locking"), error.detail) from None
        if not gateways[gateway].options.SHIFT_TABLES:
            raise InvalidConfig(
                reader.key("gateway"),
                f"a {gateways[gateway].type} gateway cannot send national language tables",
            )
    return SenderSettings(address=address, gateway=gateway, tables=tables)


def _queue(reader: ConfigReader, senders: Mapping[str, SenderSettings]) -> Queue:
    reader.reject_unknown({"id", "name", "senders"})
    chosen = []
    for i, raw in enumerate(reader.strings("senders")):
        try:
            value = SenderAddress.parse(raw).value
        except InvalidSenderAddress as error:
            raise InvalidConfig(
                f"{reader.key('senders')}[{i}]", error.problem.message("en")
            ) from None
        if value not in senders:
            raise InvalidConfig(f"{reader.key('senders')}[{i}]", f"unknown sender {raw!r}")
        chosen.append(senders[value].address)
    return Queue(
        id=reader.required("id", str),
        name=reader.optional("name", str) or reader.required("id", str),
        senders=tuple(chosen),
    )


def _template(reader: ConfigReader) -> Template:
    reader.reject_unknown({"id", "name", "text", "language"})
    return Template(
        id=reader.required("id", str),
        name=reader.optional("name", str) or reader.required("id", str),
        text=reader.required("text", str),
        language=reader.optional("language", str),
    )


def _positive(reader: ConfigReader, name: str, default: int) -> int:
    value = reader.optional(name, int, default)
    if value < 1:
        raise InvalidConfig(reader.key(name), "must be at least 1")
    return int(value)
