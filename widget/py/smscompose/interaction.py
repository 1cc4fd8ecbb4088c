"""What the agent is in while writing: a call or a webchat.

The host page names it; the panel carries it into drafts and sent messages, and after Send asks
the host to go back to it (``sms-resume-interaction``).
"""

from __future__ import annotations

from enum import StrEnum


class InteractionType(StrEnum):
    CALL = "call"
    WEBCHAT = "webchat"


def interaction_type(value: object) -> InteractionType | None:
    """The type for a host's value, None for anything else (a host's typo is not an error the
    agent can fix, so it is dropped rather than shown)."""
    try:
        return InteractionType(value) if isinstance(value, str) else None
    except ValueError:
        return None
