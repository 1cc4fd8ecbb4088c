"""Rate limits against SMS pumping: at most N messages per minute per agent and per tenant.

The hits are counted in the database, per agent and per tenant and second, in the transaction
that stores the messages (see ``storage/rates.py``): every relay process on the database — the
workers of ``serve --workers`` and relays behind a load balancer — counts against the same
limits, and none can accept past them between its check and its write. This module is the rule
itself, without storage: which messages of a batch fit, and how long a refused one waits.

A minute is the current second and the 59 before it, so a hit leaves the window 59 to 60
seconds after it was made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WINDOW_SECONDS = 60
#: The agent column of a tenant's own count.
TENANT_WIDE = ""


@dataclass(frozen=True)
class RateLimits:
    """The limits a tenant sets, per minute."""

    per_agent: int
    per_tenant: int


@dataclass(frozen=True)
class Hit:
    """A message that wants to be counted: whose, when, under which limits."""

    tenant: str
    agent: str
    now: int
    limits: RateLimits


#: A counted key: (tenant, agent), the agent TENANT_WIDE for the tenant's own count.
Key = tuple[str, str]


def first_second(now_ms: int) -> int:
    """The oldest second still in the window at ``now_ms``."""
    return now_ms // 1000 - WINDOW_SECONDS + 1


def keys_of(hit: Hit) -> tuple[tuple[Key, int], tuple[Key, int]]:
    """The two counts a message adds to, with their limits."""
    return (
        ((hit.tenant, hit.agent), hit.limits.per_agent),
        ((hit.tenant, TENANT_WIDE), hit.limits.per_tenant),
    )


def admit(hits: Sequence[Hit], totals: Mapping[Key, int]) -> list[bool]:
    """Which of ``hits``, in order, fit under their limits given the window's ``totals``;
    an admitted one counts for those after it."""
    counted = dict(totals)
    admitted = []
    for hit in hits:
        keys = keys_of(hit)
        fits = all(counted.get(key, 0) < limit for key, limit in keys)
        if fits:
            for key, _ in keys:
                counted[key] = counted.get(key, 0) + 1
        admitted.append(fits)
    return admitted


def retry_after_ms(seconds: Mapping[int, int], limit: int, now_ms: int) -> int:
    """How long until one more hit fits, given a key's hits per second in the window."""
    excess = sum(seconds.values()) - limit + 1
    for second in sorted(seconds):
        excess -= seconds[second]
        if excess <= 0:
            return max(1, (second + WINDOW_SECONDS) * 1000 - now_ms)
    return 1


def wait_of(hit: Hit, per_second: Mapping[Key, Mapping[int, int]]) -> int:
    """How long a refused ``hit`` waits: until the fuller of its two counts has room."""
    return max(
        (
            retry_after_ms(per_second.get(key, {}), limit, hit.now)
            for key, limit in keys_of(hit)
            if sum(per_second.get(key, {}).values()) >= limit
        ),
        # Full only with the messages stored in the same batch: the next second has room.
        default=1000 - hit.now % 1000,
    )
