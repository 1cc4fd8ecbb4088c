"""The relay's Prometheus metrics, one registry per relay (tests run several in one process).

Under a supervisor (``serve --workers N``) each worker counts in ``prometheus_client``'s
multi-process files, and the exposition is the sum over every worker, live or gone: counters
of a worker that died stay in the sum, its gauges leave it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

#: The environment variable ``prometheus_client`` reads for its multi-process files; a
#: supervisor sets it for its workers.
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


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
        self.accept_seconds = Histogram(
            "smsrelay_accept_seconds",
            "POST /v1/messages: from the request's arrival to its answer (202 or an error)",
            registry=self.registry,
            # Fine around 250 ms, the accept's target at the 99th percentile.
            buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.35, 0.5, 1, 2.5, 5),
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
            multiprocess_mode="livesum",
        )
        self.processes = Gauge(
            "smsrelay_processes",
            "Relay processes serving (under a supervisor: its live workers)",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.processes.set(1)

    def exposition(self) -> bytes:
        """The text format: this relay's metrics, or every worker's summed under a supervisor."""
        folder = os.environ.get(METRICS_DIR)
        if not folder:
            return generate_latest(self.registry)
        summed = CollectorRegistry()
        MultiProcessCollector(summed, folder)  # type: ignore[no-untyped-call]
        return generate_latest(summed)
