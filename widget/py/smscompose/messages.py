"""The catalog of user-facing messages, in German and English.

Domain modules report problems as codes with parameters (:class:`Problem`); only this module
knows the wording, so the browser, the relay and the CLI say the same thing in the same words.
A message whose words depend on a number is a :class:`Plural`: one form per plural category of
the language, chosen by one of its parameters ("1 neue Antwort", "2 neue Antworten") — never
"Antwort(en)".

The words themselves are kept by domain in the ``catalog_*`` modules (compose, status,
conversations, admin, schedule), which :data:`CATALOG` joins; import them from here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .catalog_admin import ADMIN_CATALOG
from .catalog_compose import COMPOSE_CATALOG
from .catalog_conversations import CONVERSATION_CATALOG
from .catalog_schedule import SCHEDULE_CATALOG
from .catalog_status import STATUS_CATALOG
from .languages import DEFAULT_LANGUAGE, LANGUAGES
from .plural import Plural

__all__ = [
    "CATALOG",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "PARAM_LABELS",
    "Plural",
    "Problem",
    "fill",
    "translate",
]


CATALOG: Mapping[str, Mapping[str, str | Plural]] = {
    **COMPOSE_CATALOG,
    **STATUS_CATALOG,
    **CONVERSATION_CATALOG,
    **ADMIN_CATALOG,
    # Scheduled sends and quiet hours (smscompose.schedule)
    **SCHEDULE_CATALOG,
}


#: Parameter values that are codes themselves get a label: ``type`` → ``type_label``.
PARAM_LABELS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "type": {
        "mobile": {"de": "Mobilnummer", "en": "mobile number"},
        "fixed_line": {"de": "Festnetz", "en": "landline"},
        "fixed_line_or_mobile": {"de": "Festnetz oder Mobil", "en": "landline or mobile"},
        "toll_free": {"de": "kostenlose Rufnummer", "en": "toll-free number"},
        "premium_rate": {"de": "Premium-Rufnummer", "en": "premium-rate number"},
        "shared_cost": {"de": "Shared-Cost-Rufnummer", "en": "shared-cost number"},
        "voip": {"de": "VoIP-Nummer", "en": "VoIP number"},
        "personal_number": {"de": "persönliche Rufnummer", "en": "personal number"},
        "pager": {"de": "Pager", "en": "pager"},
        "uan": {"de": "Sammelrufnummer", "en": "universal access number"},
        "voicemail": {"de": "Mailbox", "en": "voicemail"},
        "unknown": {"de": "unbekannter Nummerntyp", "en": "unknown number type"},
    },
}


def translate(code: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The message for ``code`` in ``lang`` (falling back to English), with ``params`` filled.
    A parameter given per language (``{"de": …, "en": …}``, such as a time worded for each)
    is filled in the language shown."""
    texts = CATALOG[code]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    params = {k: _in_language(v, lang) for k, v in params.items()}
    for name, labels in PARAM_LABELS.items():
        if name in params:
            label = labels.get(str(params[name]), {})
            params[f"{name}_label"] = label.get(lang) or label.get(DEFAULT_LANGUAGE, params[name])
    return fill(text, lang, params)


def fill(text: str | Plural, lang: str, params: Mapping[str, Any]) -> str:
    """A catalog's message in ``lang`` (a :class:`Plural` in the form its count asks for)
    with ``params`` filled in; also for catalogs beside this one (the relay's errors)."""
    if isinstance(text, Plural):
        text = text.form(lang, params)
    return text.format(**params) if params else text


def _in_language(value: Any, lang: str) -> Any:
    if isinstance(value, Mapping) and DEFAULT_LANGUAGE in value:
        return value.get(lang, value[DEFAULT_LANGUAGE])
    return value


@dataclass(frozen=True)
class Problem:
    """Something the user has to fix: a stable code, the field it concerns, and parameters."""

    code: str
    field: str | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return translate(self.code, lang, **self.params)

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message(lang),
            "params": dict(self.params),
        }
