"""The catalog of user-facing messages, in German and English.

Domain modules report problems as codes with parameters (:class:`Problem`); only this module
knows the wording, so the browser, the relay and the CLI say the same thing in the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "en"

CATALOG: Mapping[str, Mapping[str, str]] = {
    # Phone numbers
    "phone.empty": {
        "de": "Bitte geben Sie eine Handynummer ein.",
        "en": "Please enter a mobile number.",
    },
    "phone.invalid_characters": {
        "de": "Die Nummer enthält ungültige Zeichen: {chars}",
        "en": "The number contains characters that are not allowed: {chars}",
    },
    "phone.not_a_number": {
        "de": "Das ist keine Telefonnummer.",
        "en": "This is not a phone number.",
    },
    "phone.invalid_country_code": {
        "de": "Die Ländervorwahl ist unbekannt.",
        "en": "The country code is unknown.",
    },
    "phone.too_short": {
        "de": "Die Nummer ist zu kurz.",
        "en": "The number is too short.",
    },
    "phone.too_long": {
        "de": "Die Nummer ist zu lang.",
        "en": "The number is too long.",
    },
    "phone.invalid": {
        "de": "Diese Nummer ist ungültig.",
        "en": "This number is not valid.",
    },
    "phone.type_not_allowed": {
        "de": "An diese Nummer kann keine SMS gesendet werden ({type}).",
        "en": "This number cannot receive SMS ({type}).",
    },
    "phone.country_not_allowed": {
        "de": "SMS in dieses Land ({country}) sind nicht freigegeben.",
        "en": "SMS to this country ({country}) are not allowed.",
    },
    # Templates
    "template.missing_value": {
        "de": "Bitte füllen Sie den Platzhalter {name} aus.",
        "en": "Please fill in the placeholder {name}.",
    },
    "template.unknown": {
        "de": "Diese Vorlage gibt es nicht.",
        "en": "This template does not exist.",
    },
    # Compose rules
    "compose.sms_disabled": {
        "de": "SMS ist für Sie nicht freigeschaltet.",
        "en": "SMS is not enabled for you.",
    },
    "compose.no_templates": {
        "de": "Ihr Administrator hat keine SMS-Vorlagen eingerichtet.",
        "en": "Your administrator has not set up any SMS templates.",
    },
    "compose.no_queue": {
        "de": "Bitte wählen Sie eine Warteschlange.",
        "en": "Please choose a queue.",
    },
    "compose.unknown_queue": {
        "de": "Diese Warteschlange steht Ihnen nicht zur Verfügung.",
        "en": "This queue is not available to you.",
    },
    "compose.no_sender": {
        "de": "Für diese Warteschlange ist keine Absenderadresse eingerichtet.",
        "en": "No sender address is set up for this queue.",
    },
    "compose.sender_not_allowed": {
        "de": "Diese Absenderadresse steht Ihnen nicht zur Verfügung.",
        "en": "This sender address is not available to you.",
    },
    "compose.to_required": {
        "de": "Bitte geben Sie den Empfänger ein.",
        "en": "Please enter the recipient.",
    },
    "compose.text_required": {
        "de": "Bitte geben Sie einen Text ein.",
        "en": "Please enter a text.",
    },
    "compose.too_many_segments": {
        "de": "Der Text ist zu lang: {segments} Segmente, erlaubt sind höchstens {max}.",
        "en": "The text is too long: {segments} segments, at most {max} are allowed.",
    },
    "compose.confirm_template_switch": {
        "de": "Sie haben den Text bearbeitet. Durch die Vorlage ersetzen?",
        "en": "You have edited the text. Replace it with the template?",
    },
    # Drafts
    "draft.invalid": {
        "de": "Der Entwurf ist beschädigt und kann nicht geöffnet werden.",
        "en": "The draft is damaged and cannot be opened.",
    },
    "draft.unsupported_version": {
        "de": "Dieser Entwurf stammt aus einer neueren Version (v{version}).",
        "en": "This draft comes from a newer version (v{version}).",
    },
    "draft.not_found": {
        "de": "Diesen Entwurf gibt es nicht mehr.",
        "en": "This draft no longer exists.",
    },
    "draft.delete_requires_resume": {
        "de": "Bitte reaktivieren Sie den Entwurf, bevor Sie ihn löschen.",
        "en": "Please reactivate the draft before deleting it.",
    },
    # Input handed to the core from outside (CLI, worker, relay)
    "input.invalid_json": {
        "de": "Die Eingabe ist kein gültiges JSON: {detail}",
        "en": "The input is not valid JSON: {detail}",
    },
    "input.invalid_field": {
        "de": "Das Feld {field} ist ungültig: {detail}",
        "en": "The field {field} is not valid: {detail}",
    },
    "input.unknown_language_table": {
        "de": "Unbekannte Sprachtabelle: {language}",
        "en": "Unknown language table: {language}",
    },
}


def translate(code: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The message for ``code`` in ``lang`` (falling back to English), with ``params`` filled."""
    texts = CATALOG[code]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


@dataclass(frozen=True)
class Problem:
    """Something the user has to fix: a stable code, the field it concerns, and parameters."""

    code: str
    field: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return translate(self.code, lang, **self.params)

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message(lang),
            "params": dict(self.params),
        }
