"""The SMS compose core: segmenter, phone numbers, templates, compose rules and drafts.

Pure Python (standard library plus ``phonenumbers``); the same code runs in the browser under
Pyodide and in the relay, so the agent and the server always agree.
"""

from .alphabets import Alphabet, get_alphabet, locking_languages, single_languages
from .compose import ComposeError, ComposeSession, ComposeState
from .config import ComposeConfig, InvalidConfig, Queue, ShiftTables
from .cost import Cost, cost
from .draft import Draft, DraftError, Inbox
from .interaction import InteractionType
from .languages import LANGUAGES, pick_language
from .messages import Problem, translate
from .outgoing import OutgoingCheck, check_outgoing
from .phone import NumberCheck, check_number
from .quiet_hours import QuietHours, QuietMode
from .schedule import Timing, Verdict, timing_for
from .segmenter import (
    Encoding,
    ForcingSpan,
    Segment,
    SegmentedMessage,
    UnknownLanguageTable,
    segment,
)
from .sender import InvalidSenderAddress, SenderAddress
from .smart_encoding import Replacement, Suggestion, suggest
from .status import MessageStatus, Reason, is_final, may_follow
from .template import Expansion, Placeholder, Template, expand, unfilled_placeholders
from .template_preview import TemplatePreview, preview_template

__version__ = "0.1.0"

__all__ = [
    "LANGUAGES",
    "Alphabet",
    "ComposeConfig",
    "ComposeError",
    "ComposeSession",
    "ComposeState",
    "Cost",
    "Draft",
    "DraftError",
    "Encoding",
    "Expansion",
    "ForcingSpan",
    "Inbox",
    "InteractionType",
    "InvalidConfig",
    "InvalidSenderAddress",
    "MessageStatus",
    "NumberCheck",
    "OutgoingCheck",
    "Placeholder",
    "Problem",
    "Queue",
    "QuietHours",
    "QuietMode",
    "Reason",
    "Replacement",
    "Segment",
    "SegmentedMessage",
    "SenderAddress",
    "ShiftTables",
    "Suggestion",
    "Template",
    "TemplatePreview",
    "Timing",
    "UnknownLanguageTable",
    "Verdict",
    "__version__",
    "check_number",
    "check_outgoing",
    "cost",
    "expand",
    "get_alphabet",
    "is_final",
    "locking_languages",
    "may_follow",
    "pick_language",
    "preview_template",
    "segment",
    "single_languages",
    "suggest",
    "timing_for",
    "translate",
    "unfilled_placeholders",
]
