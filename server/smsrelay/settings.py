"""The relay's configuration: a TOML file, checked completely at start-up.

Every error names the key that is wrong (``tenants.acme.queues[1].senders[0]: unknown sender``),
so an administrator fixes the file instead of debugging a half-working relay. Without a file the
relay runs the embedded demo configuration (``demo.toml`` beside this module).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from smscompose import ComposeConfig, InvalidConfig, Queue, SenderAddress, ShiftTables, Template
from smscompose.config import ConfigReader, key_name, require_unique
from smscompose.phone import DEFAULT_ALLOWED_TYPES, NUMBER_TYPES
from smscompose.sender import InvalidSenderAddress

from .gateways.options import GatewayOptions
from .gateways.registry import read_gateway
from .gateways.sandbox import SandboxOptions

__all__ = [
    "GatewaySettings",
    "InvalidConfig",
    "RelaySettings",
    "SenderSettings",
    "TenantSettings",
    "load_settings",
]


@dataclass(frozen=True)
class GatewaySettings:
    name: str
    type: str
    #: The gateway's own keys (URLs, credentials), read and checked by its type
    #: (``KannelOptions``, …; see :mod:`smsrelay.gateways.registry`).
    options: GatewayOptions


@dataclass(frozen=True)
class SenderSettings:
    address: SenderAddress
    gateway: str
    tables: ShiftTables = field(default_factory=ShiftTables)


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


@dataclass(frozen=True)
class RelaySettings:
    public_url: str
    database_url: str
    data_dir: Path
    gateways: Mapping[str, GatewaySettings]
    tenants: Mapping[str, TenantSettings]
    #: How many queued messages one dispatcher pass claims.
    dispatch_batch: int = 50
    #: Retries of a transient gateway failure before a message fails.
    max_attempts: int = 8
    #: First retry delay; doubled per attempt, with jitter, capped at ``retry_max_seconds``.
    retry_base_seconds: float = 1.0
    retry_max_seconds: float = 300.0
    #: Seconds a claimed message stays reserved for the relay that claimed it.
    claim_seconds: float = 60.0
    #: How long a message whose send outcome is unknown (the relay that claimed it stopped)
    #: waits for the gateway's receipts, or for that relay's own late record, before it is
    #: settled: parts a receipt names count as sent; the rest is sent where the gateway names
    #: parts in advance (Kannel), else the message becomes ``unknown`` (unconfirmed).
    unconfirmed_grace_seconds: float = 120.0
    #: How long a submitted message waits for a delivery report before it is shown as
    #: ``unknown`` ("no delivery report"): its validity period where it has one, else
    #: ``receipt_wait_seconds``, plus ``receipt_grace_seconds`` for slow networks. A report
    #: that comes later still settles it. ``receipt_sweep_seconds``: how often to look.
    receipt_wait_seconds: float = 172_800.0
    receipt_grace_seconds: float = 3_600.0
    receipt_sweep_seconds: float = 30.0
    #: The longest pause between two tries to record a send's outcome while the database is
    #: away (the tries go on until it is back).
    outcome_retry_max_seconds: float = 2.0
    #: Secret for signing callback URLs (Kannel dlr-url) and other relay-owned tokens.
    callback_secret: str = ""
    #: The widget's built assets, served under /widget/ (None: the packaged ones).
    widget_dir: Path | None = None
    source: str = "embedded demo configuration"


def load_settings(path: Path | None = None, *, data_dir: Path | None = None) -> RelaySettings:
    """Read and check a configuration file, or the embedded demo configuration."""
    if path is None:
        text = resources.files("smsrelay").joinpath("demo.toml").read_text("utf-8")
        source = "embedded demo configuration"
    else:
        text = path.read_text("utf-8")
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidConfig(source, f"not valid TOML: {error}") from None
    return parse_settings(data, source=source, data_dir=data_dir)


def parse_settings(
    data: Mapping[str, Any], *, source: str = "config", data_dir: Path | None = None
) -> RelaySettings:
    root = ConfigReader(data, "")
    root.reject_unknown({"relay", "gateways", "tenants"})
    relay = ConfigReader(root.optional("relay", dict, {}), "relay")
    relay.reject_unknown(
        {
            "public_url",
            "database_url",
            "data_dir",
            "dispatch_batch",
            "max_attempts",
            "retry_base_seconds",
            "retry_max_seconds",
            "claim_seconds",
            "unconfirmed_grace_seconds",
            "receipt_wait_seconds",
            "receipt_grace_seconds",
            "receipt_sweep_seconds",
            "outcome_retry_max_seconds",
            "callback_secret",
            "widget_dir",
        }
    )
    folder = data_dir or Path(relay.optional("data_dir", str, "data"))
    gateways = {name: _gateway(name, g) for name, g in root.mapping_of("gateways")}
    if not gateways:
        gateways = {"sandbox": GatewaySettings("sandbox", "sandbox", SandboxOptions())}
    tenants = {name: _tenant(name, t, gateways) for name, t in root.mapping_of("tenants")}
    if not tenants:
        raise InvalidConfig("tenants", "at least one tenant is required")
    widget_dir = relay.optional("widget_dir", str)
    return RelaySettings(
        public_url=relay.optional("public_url", str, "http://127.0.0.1:8000").rstrip("/"),
        database_url=relay.optional("database_url", str) or f"sqlite:///{folder / 'relay.db'}",
        data_dir=folder,
        gateways=gateways,
        tenants=tenants,
        dispatch_batch=_positive(relay, "dispatch_batch", 50),
        max_attempts=_positive(relay, "max_attempts", 8),
        retry_base_seconds=float(relay.number("retry_base_seconds", 1.0) or 1.0),
        retry_max_seconds=float(relay.number("retry_max_seconds", 300.0) or 300.0),
        claim_seconds=float(relay.number("claim_seconds", 60.0) or 60.0),
        unconfirmed_grace_seconds=float(relay.number("unconfirmed_grace_seconds", 120.0) or 120.0),
        receipt_wait_seconds=_seconds(relay, "receipt_wait_seconds", 172_800.0, least=1.0),
        receipt_grace_seconds=_seconds(relay, "receipt_grace_seconds", 3_600.0, least=0.0),
        receipt_sweep_seconds=_seconds(relay, "receipt_sweep_seconds", 30.0, least=0.1),
        outcome_retry_max_seconds=float(relay.number("outcome_retry_max_seconds", 2.0) or 2.0),
        callback_secret=relay.optional("callback_secret", str, ""),
        widget_dir=Path(widget_dir) if widget_dir else None,
        source=source,
    )


def _seconds(reader: ConfigReader, name: str, default: float, *, least: float) -> float:
    value = reader.number(name, default)
    seconds = default if value is None else float(value)
    if seconds < least:
        raise InvalidConfig(reader.key(name), f"must be at least {least:g}")
    return seconds


def _positive(reader: ConfigReader, name: str, default: int) -> int:
    value = reader.optional(name, int, default)
    if value < 1:
        raise InvalidConfig(reader.key(name), "must be at least 1")
    return int(value)


def _gateway(name: str, reader: ConfigReader) -> GatewaySettings:
    kind, options = read_gateway(reader)
    return GatewaySettings(name=name, type=kind, options=options)


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
}


def _tenant(
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
    )


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
