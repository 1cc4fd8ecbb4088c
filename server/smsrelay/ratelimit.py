"""Sliding-window rate limits against SMS pumping: at most N messages per minute per agent
and per tenant.

Kept in memory: a check costs a few operations, not a database query on the send path. Each
relay instance enforces the limits for what it accepts, so with several instances behind a
load balancer the configured numbers are per instance.
"""

from __future__ import annotations

import threading
from collections import deque

WINDOW_MS = 60_000


class SlidingWindow:
    def __init__(self, window_ms: int = WINDOW_MS) -> None:
        self.window_ms = window_ms
        self._hits: dict[tuple[str, ...], deque[int]] = {}
        self._lock = threading.Lock()

    def retry_after_ms(self, keys_and_limits: list[tuple[tuple[str, ...], int]], now: int) -> int:
        """0 when every key is below its limit, else how long until the fullest frees a slot."""
        wait = 0
        with self._lock:
            for key, limit in keys_and_limits:
                hits = self._trimmed(key, now)
                if len(hits) >= limit:
                    wait = max(wait, hits[len(hits) - limit] + self.window_ms - now)
        return wait

    def record(self, keys: list[tuple[str, ...]], now: int) -> None:
        with self._lock:
            for key in keys:
                self._hits.setdefault(key, deque()).append(now)

    def _trimmed(self, key: tuple[str, ...], now: int) -> deque[int]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window_ms:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits
