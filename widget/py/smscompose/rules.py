"""The compose rules: when the SMS button may open the panel, and everything that keeps Send
disabled. :class:`ComposeSession` shows them to the agent, :func:`check_outgoing` applies them
to what the relay is asked to send: one set of rules in both places.
"""

from __future__ import annotations

from .config import ComposeConfig, Queue
from .messages import Problem
from .phone import NumberCheck
from .segmenter import SegmentedMessage
from .template import Placeholder


def sms_available(config: ComposeConfig) -> bool:
    return config.sms_enabled and bool(config.templates)


def sms_button_problem(config: ComposeConfig) -> Problem | None:
    if not config.sms_enabled:
        return Problem("compose.sms_disabled")
    if not config.templates:
        return Problem("compose.no_templates")
    return None


def send_problems(
    config: ComposeConfig,
    *,
    queue: Queue | None,
    sender: str | None,
    number: NumberCheck | None,
    text: str,
    message: SegmentedMessage,
    placeholders: tuple[Placeholder, ...],
) -> tuple[Problem, ...]:
    """Everything that keeps Send disabled, each naming its field, in the order the panel
    lists them."""
    problems: list[Problem] = []
    if queue is None:
        problems.append(Problem("compose.no_queue", "queue"))
    elif not queue.senders:
        problems.append(Problem("compose.no_sender", "from"))
    elif queue.sender(sender) is None:
        problems.append(Problem("compose.sender_not_allowed", "from"))
    if number is None:
        problems.append(Problem("compose.to_required", "to"))
    elif number.problem is not None:
        problems.append(number.problem)
    if not text.strip():
        problems.append(Problem("compose.text_required", "text"))
    problems.extend(
        Problem("template.missing_value", "text", {"name": p.name}) for p in placeholders
    )
    if message.segments > config.max_segments:
        problems.append(
            Problem(
                "compose.too_many_segments",
                "text",
                {"segments": message.segments, "max": config.max_segments},
            )
        )
    return tuple(problems)
