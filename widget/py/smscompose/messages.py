"""The catalog of user-facing messages, in German and English.

Domain modules report problems as codes with parameters (:class:`Problem`); only this module
knows the wording, so the browser, the relay and the CLI say the same thing in the same words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .languages import DEFAULT_LANGUAGE, LANGUAGES

__all__ = ["CATALOG", "DEFAULT_LANGUAGE", "LANGUAGES", "PARAM_LABELS", "Problem", "translate"]

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
        "de": "An diese Nummer kann keine SMS gesendet werden ({type_label}).",
        "en": "This number cannot receive SMS ({type_label}).",
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
    # The browser panel (smscompose.panel)
    "panel.not_configured": {
        "de": "Das SMS-Fenster ist noch nicht bereit.",
        "en": "The SMS panel is not ready yet.",
    },
    "panel.unknown_action": {
        "de": "Unbekannte Aktion: {action}",
        "en": "Unknown action: {action}",
    },
    "panel.bad_action": {
        "de": "Die Aktion {action} hat ungültige Angaben.",
        "en": "The action {action} has invalid arguments.",
    },
    "panel.bad_config": {
        "de": "Die SMS-Konfiguration ist ungültig: {detail}",
        "en": "The SMS configuration is not valid: {detail}",
    },
    "panel.nothing_to_park": {
        "de": "Es gibt noch nichts zu parken: Geben Sie eine Nummer oder einen Text ein.",
        "en": "There is nothing to park yet: enter a number or a text.",
    },
    "panel.cannot_send": {
        "de": "Die SMS kann so nicht gesendet werden.",
        "en": "The SMS cannot be sent like this.",
    },
    # After Send: the status line and why a message is not delivered (smscompose.status)
    "status.line": {
        "de": "SMS an {to}: {status}",
        "en": "SMS to {to}: {status}",
    },
    "status.reason": {
        "de": "Grund: {reason}",
        "en": "Reason: {reason}",
    },
    "status.queued": {"de": "in der Warteschlange", "en": "queued"},
    "status.submitted": {"de": "an das Netz übergeben", "en": "handed to the network"},
    "status.delivered": {"de": "zugestellt", "en": "delivered"},
    "status.undelivered": {"de": "nicht zugestellt", "en": "not delivered"},
    "status.failed": {"de": "nicht gesendet", "en": "not sent"},
    "status.expired": {"de": "abgelaufen", "en": "expired"},
    "status.unknown": {
        "de": "nicht bestätigt – wurde eventuell gesendet; bitte vor erneutem Senden prüfen",
        "en": "not confirmed — may have been sent; check before sending again",
    },
    "reason.absent_subscriber": {
        "de": "Das Telefon war ausgeschaltet oder nicht erreichbar.",
        "en": "The phone was switched off or out of reach.",
    },
    "reason.unknown_subscriber": {
        "de": "Diese Nummer ist im Netz nicht vergeben.",
        "en": "This number does not exist on the network.",
    },
    "reason.undeliverable": {
        "de": "Das Netz konnte die SMS nicht zustellen.",
        "en": "The network could not deliver the SMS.",
    },
    "reason.rejected": {
        "de": "Der SMS-Anbieter hat die SMS abgelehnt.",
        "en": "The SMS provider refused the SMS.",
    },
    "reason.blocked": {
        "de": "Das Netz hat die SMS blockiert (z. B. als Spam).",
        "en": "The network blocked the SMS (e.g. as spam).",
    },
    "reason.expired": {
        "de": "Das Telefon war innerhalb der Gültigkeitsdauer nicht erreichbar.",
        "en": "The phone could not be reached within the validity period.",
    },
    "reason.network_error": {
        "de": "Der SMS-Anbieter war nicht erreichbar; mehrere Versuche sind gescheitert.",
        "en": "The SMS provider could not be reached; several attempts failed.",
    },
    "reason.opted_out": {
        "de": "Der Empfänger hat SMS abbestellt (STOP).",
        "en": "The recipient has opted out of SMS (STOP).",
    },
    "reason.unconfirmed": {
        "de": "Der Versand wurde unterbrochen, bevor der SMS-Anbieter ihn bestätigt hat.",
        "en": "Sending was interrupted before the SMS provider confirmed it.",
    },
    "reason.no_receipt": {
        "de": "Es kam keine Zustellbestätigung; die SMS wurde eventuell zugestellt.",
        "en": "No delivery report arrived; the SMS may have been delivered.",
    },
    "reason.gateway_error": {
        "de": "Der SMS-Anbieter hat einen Fehler gemeldet.",
        "en": "The SMS provider reported an error.",
    },
    # The inbox of parked drafts
    "inbox.to": {"de": "An {to}", "en": "To {to}"},
    "inbox.no_number": {"de": "Ohne Nummer", "en": "No number"},
    "inbox.resume": {
        "de": "Entwurf reaktivieren: {summary}",
        "en": "Reactivate draft: {summary}",
    },
    "inbox.empty": {"de": "Keine geparkten SMS.", "en": "No parked SMS."},
    # A conversation with a customer (smscompose.conversation_view)
    "thread.heading": {"de": "Verlauf mit {number}", "en": "Conversation with {number}"},
    "thread.empty": {
        "de": "Noch keine Nachrichten mit dieser Nummer.",
        "en": "No messages with this number yet.",
    },
    "thread.customer": {"de": "Kunde", "en": "Customer"},
    "thread.you": {"de": "Sie", "en": "You"},
    "thread.colleague": {"de": "Kollege {agent}", "en": "Colleague {agent}"},
    "thread.unread": {"de": "{count} neue Antwort(en)", "en": "{count} new reply(ies)"},
    "thread.new_reply": {"de": "Neue Antwort von {number}", "en": "New reply from {number}"},
    "thread.older": {"de": "Ältere Nachrichten laden", "en": "Load older messages"},
    "thread.reply": {"de": "Antworten", "en": "Reply"},
    "thread.failed": {
        "de": "Der Verlauf kann gerade nicht geladen werden.",
        "en": "The conversation cannot be loaded right now.",
    },
    # The recipient's consent (the relay's opt-out list, given to the core as an input)
    "recipient.opted_out": {
        "de": "Diese Nummer hat SMS abbestellt (STOP). An sie kann nicht gesendet werden.",
        "en": "This number has opted out of SMS (STOP). It cannot be sent to.",
    },
    # The admin console's template preview (smscompose.template_preview)
    "preview.written": {
        "de": "Wie geschrieben (Platzhalter leer)",
        "en": "As written (placeholders empty)",
    },
    "preview.samples": {"de": "Mit Beispielwerten", "en": "With sample values"},
    "preview.longest": {"de": "Mit den längsten Werten", "en": "With the longest values"},
    "preview.segments_one": {"de": "{segments} Segment", "en": "{segments} segment"},
    "preview.segments_other": {"de": "{segments} Segmente", "en": "{segments} segments"},
    "preview.encoding_gsm": {"de": "GSM 7-Bit", "en": "GSM 7-bit"},
    "preview.encoding_ucs2": {"de": "UCS-2 (Unicode)", "en": "UCS-2 (Unicode)"},
    "preview.summary": {
        "de": "{segments_text} · {encoding} · {characters} Zeichen",
        "en": "{segments_text} · {encoding} · {characters} characters",
    },
    "preview.forcing": {
        "de": "Diese Zeichen erzwingen UCS-2: {chars}",
        "en": "These characters force UCS-2: {chars}",
    },
    "preview.counted_empty": {
        "de": "Leer gezählt (kein Wert, keine Vorgabe): {names}",
        "en": "Counted empty (no value, no default): {names}",
    },
    "preview.within_limit": {
        "de": "Höchstens {segments_text} – innerhalb der Grenze von {max}.",
        "en": "At most {segments_text} — within the limit of {max}.",
    },
    "preview.too_long_written": {
        "de": "Schon ohne Platzhalterwerte {segments_text}, erlaubt sind höchstens {max}: "
        "So kann die Vorlage nicht gespeichert werden.",
        "en": "{segments_text} even without placeholder values, at most {max} are allowed: "
        "the template cannot be saved like this.",
    },
    "preview.too_long_values": {
        "de": "{view_label}: {segments_text}, erlaubt sind höchstens {max}. "
        "Mit solchen Werten kann ein Agent die SMS nicht senden.",
        "en": "{view_label}: {segments_text}, at most {max} are allowed. "
        "With such values an agent cannot send the SMS.",
    },
    # Sender addresses
    "sender.empty": {
        "de": "Bitte geben Sie eine Absenderadresse ein.",
        "en": "Please enter a sender address.",
    },
    "sender.invalid": {
        "de": "Diese Absenderadresse ist ungültig.",
        "en": "This sender address is not valid.",
    },
    "sender.number_needs_country_code": {
        "de": "Bitte geben Sie die Absendernummer mit + und Ländervorwahl ein.",
        "en": "Please enter the sender number with + and the country code.",
    },
    "sender.alphanumeric_too_long": {
        "de": "Ein Absendername darf höchstens {max} Zeichen lang sein, dieser hat {length}.",
        "en": "A sender name may have at most {max} characters, this one has {length}.",
    },
    "sender.alphanumeric_not_gsm": {
        "de": "Der Absendername enthält Zeichen, die nicht erlaubt sind: {chars}",
        "en": "The sender name contains characters that are not allowed: {chars}",
    },
    "sender.alphanumeric_needs_letter": {
        "de": "Ein Absendername muss mindestens einen Buchstaben enthalten.",
        "en": "A sender name must contain at least one letter.",
    },
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
    """The message for ``code`` in ``lang`` (falling back to English), with ``params`` filled."""
    texts = CATALOG[code]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    for name, labels in PARAM_LABELS.items():
        if name in params:
            label = labels.get(str(params[name]), {})
            params[f"{name}_label"] = label.get(lang) or label.get(DEFAULT_LANGUAGE, params[name])
    return text.format(**params) if params else text


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
