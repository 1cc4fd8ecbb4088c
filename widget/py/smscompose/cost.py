"""What a message costs the company: the price per segment times the segments sent.

The panel's hint and the relay's answer both come from here, and both count the segments the
gateway is sent (the segmenter's parts), which is what the company is billed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cost:
    amount: float
    currency: str

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency}


def cost(price_per_segment: object, currency: object, segments: int) -> Cost | None:
    """None when no price is configured (the panel then shows no hint)."""
    if not isinstance(price_per_segment, int | float) or isinstance(price_per_segment, bool):
        return None
    # Rounded to 1/10,000 so floating-point noise (3 × 0.07 = 0.21000000000000002) never shows.
    unit = currency if isinstance(currency, str) else ""
    return Cost(round(price_per_segment * segments, 4), unit)
