"""The relay's Prometheus metrics, one registry per relay (tests run several in one process)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.accepted = Counter(
            "smsrelay_messages_accepted", "Messages accepted", ["tenant"], registry=self.registry
        )
        self.refused = Counter(
            "smsrelay_messages_refused", "Messages refused", ["code"], registry=self.registry
        )
        self.status = Counter(
            "smsrelay_status_changes", "Message status changes", ["status"], registry=self.registry
        )
        self.receipts = Counter(
            "smsrelay_receipts", "Delivery receipts", ["gateway", "known"], registry=self.registry
        )
        self.webhook_attempts = Counter(
            "smsrelay_webhook_attempts",
            "Attempts at webhook deliveries, by what became of the delivery",
            ["state"],
            registry=self.registry,
        )
        self.webhooks_in_flight = Gauge(
            "smsrelay_webhooks_in_flight",
            "Webhook deliveries this relay is posting now",
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "smsrelay_dispatch_in_flight",
            "Messages this relay is sending now (the rest wait in the database)",
            registry=self.registry,
        )
