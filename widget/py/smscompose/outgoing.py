"""A finished message checked as the panel's Send button checks it, for the relay's re-check:
what the agent could not send, the relay does not send either."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .compose import ComposeSession
from .config import ComposeConfig
from .messages import Problem
from .phone import NumberCheck
from .rules import sms_available, sms_button_problem
from .schedule import Timing
from .segmenter import SegmentedMessage


@dataclass(frozen=True)
class OutgoingCheck:
    """A finished message checked by the compose rules, as the relay sees it."""

    problems: tuple[Problem, ...]
    message: SegmentedMessage
    number: NumberCheck | None
    #: When it goes out (checked when ``now`` was given): None at once, else its verdict.
    timing: Timing | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_outgoing(
    config: ComposeConfig,
    *,
    queue_id: str,
    sender: str,
    to: str,
    text: str,
    send_at: str = "",
    now: datetime | None = None,
) -> OutgoingCheck:
    """Check a message the way the panel's Send button does, for the relay to re-check. With
    ``now``, also when it may go out: ``send_at`` (ISO 8601 with an offset; empty: at once)
    against the tenant's quiet hours, as the panel showed it before Send."""
    session = ComposeSession(
        config=config, open=True, to=to, text=text, sender=sender, send_at=send_at
    )
    problems: list[Problem] = []
    if not sms_available(config):
        problems.append(sms_button_problem(config) or Problem("compose.sms_disabled"))
    if config.queue(queue_id) is None:
        problems.append(Problem("compose.unknown_queue", "queue", {"queue": queue_id}))
    else:
        session = replace(session, queue_id=queue_id)
    state = session.view(now=now)
    return OutgoingCheck(
        problems=(*problems, *state.problems),
        message=state.message,
        number=state.number,
        timing=state.timing,
    )
