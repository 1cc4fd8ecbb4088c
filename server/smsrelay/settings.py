"""The relay's configuration: a TOML file, checked completely at start-up.

Every error names the key that is wrong (``tenants.acme.queues[1].senders[0]: unknown sender``),
so an administrator fixes the file instead of debugging a half-working relay. Without a file the
relay runs the embedded demo configuration (``demo.toml`` beside this module).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from smscompose import InvalidConfig
from smscompose.config import ConfigReader

from .gateways.options import GatewaySettings
from .gateways.registry import read_gateway
from .gateways.sandbox import SandboxOptions
from .tenants.settings import SenderSettings, TenantSettings, parse_tenant

__all__ = [
    "GatewaySettings",
    "InvalidConfig",
    "RelaySettings",
    "SenderSettings",
    "TenantSettings",
    "load_settings",
]


@dataclass(frozen=True)
class RelaySettings:
    public_url: str
    database_url: str
    data_dir: Path
    gateways: Mapping[str, GatewaySettings]
    #: The tenants as the configuration file has them. The relay serves the database's
    #: (``RelaySettings.tenants`` seeds an empty database; see ``tenants/directory.py``).
    tenants: Mapping[str, TenantSettings]
    #: How many queued messages one dispatcher pass claims.
    dispatch_batch: int = 50
    #: How many messages one dispatcher has under way at once: sent and waiting for the
    #: gateway's answer or for the outcome's commit.
    dispatch_concurrency: int = 128
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
    #: Webhooks to tenants' CRMs (``smsrelay.webhooks``): how long one attempt may take; the
    #: first retry's delay, doubled per attempt (with jitter) up to the longest; how long a
    #: delivery is retried before it fails; attempts under way at once per relay; how often a
    #: relay looks for other relays' events and for retries that are due.
    webhook_timeout_seconds: float = 10.0
    webhook_retry_base_seconds: float = 5.0
    webhook_retry_max_seconds: float = 3_600.0
    webhook_retry_window_seconds: float = 86_400.0
    webhook_concurrency: int = 16
    webhook_poll_seconds: float = 0.5
    #: Whether webhooks may go to private, loopback and link-local addresses (a CRM in the
    #: company's own network; the tests). Off, a tenant cannot point the relay at the
    #: operator's internal services (see ``webhooks/egress.py``).
    webhook_private_networks: bool = False
    #: Secret for signing callback URLs (Kannel dlr-url) and other relay-owned tokens.
    callback_secret: str = ""
    #: SHA-256 (hex) of the platform API keys: the CRM vendor's or operator's keys for the
    #: platform scope of the admin API (creating, disabling, deleting tenants). Only hashes
    #: are configured; ``smsrelay platform-key`` makes a key and its hash.
    platform_key_hashes: tuple[str, ...] = ()
    #: The widget's built assets, served under /widget/ (None: the packaged ones).
    widget_dir: Path | None = None
    source: str = "embedded demo configuration"
    #: Each tenant's ``[tenants.ID]`` table as written: what seeds the database.
    tenant_documents: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


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
            "dispatch_concurrency",
            "max_attempts",
            "retry_base_seconds",
            "retry_max_seconds",
            "claim_seconds",
            "unconfirmed_grace_seconds",
            "receipt_wait_seconds",
            "receipt_grace_seconds",
            "receipt_sweep_seconds",
            "outcome_retry_max_seconds",
            "webhook_timeout_seconds",
            "webhook_retry_base_seconds",
            "webhook_retry_max_seconds",
            "webhook_retry_window_seconds",
            "webhook_concurrency",
            "webhook_poll_seconds",
            "webhook_private_networks",
            "callback_secret",
            "platform_key_sha256",
            "widget_dir",
        }
    )
    folder = data_dir or Path(relay.optional("data_dir", str, "data"))
    gateways = {name: _gateway(name, g) for name, g in root.mapping_of("gateways")}
    if not gateways:
        gateways = {"sandbox": GatewaySettings("sandbox", "sandbox", SandboxOptions())}
    tables = root.mapping_of("tenants")
    tenants = {name: parse_tenant(name, t, gateways) for name, t in tables}
    documents = {name: dict(t.data) for name, t in tables}
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
        dispatch_concurrency=_positive(relay, "dispatch_concurrency", 128),
        max_attempts=_positive(relay, "max_attempts", 8),
        retry_base_seconds=float(relay.number("retry_base_seconds", 1.0) or 1.0),
        retry_max_seconds=float(relay.number("retry_max_seconds", 300.0) or 300.0),
        claim_seconds=float(relay.number("claim_seconds", 60.0) or 60.0),
        unconfirmed_grace_seconds=float(relay.number("unconfirmed_grace_seconds", 120.0) or 120.0),
        receipt_wait_seconds=_seconds(relay, "receipt_wait_seconds", 172_800.0, least=1.0),
        receipt_grace_seconds=_seconds(relay, "receipt_grace_seconds", 3_600.0, least=0.0),
        receipt_sweep_seconds=_seconds(relay, "receipt_sweep_seconds", 30.0, least=0.1),
        outcome_retry_max_seconds=float(relay.number("outcome_retry_max_seconds", 2.0) or 2.0),
        webhook_timeout_seconds=_seconds(relay, "webhook_timeout_seconds", 10.0, least=0.1),
        webhook_retry_base_seconds=_seconds(relay, "webhook_retry_base_seconds", 5.0, least=0.01),
        webhook_retry_max_seconds=_seconds(relay, "webhook_retry_max_seconds", 3_600.0, least=0.01),
        webhook_retry_window_seconds=_seconds(
            relay, "webhook_retry_window_seconds", 86_400.0, least=1.0
        ),
        webhook_concurrency=_positive(relay, "webhook_concurrency", 16),
        webhook_poll_seconds=_seconds(relay, "webhook_poll_seconds", 0.5, least=0.01),
        webhook_private_networks=relay.optional("webhook_private_networks", bool, False),
        callback_secret=relay.optional("callback_secret", str, ""),
        platform_key_hashes=_key_hashes(relay),
        widget_dir=Path(widget_dir) if widget_dir else None,
        source=source,
        tenant_documents=documents,
    )


def _key_hashes(relay: ConfigReader) -> tuple[str, ...]:
    hashes = relay.strings("platform_key_sha256")
    for i, value in enumerate(hashes):
        if not (len(value) == 64 and all(c in "0123456789abcdef" for c in value.lower())):
            raise InvalidConfig(
                f"{relay.key('platform_key_sha256')}[{i}]",
                "must be a SHA-256 in hex (smsrelay platform-key prints one)",
            )
    return tuple(value.lower() for value in hashes)


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
