"""The catalog's words for composing a message: phone numbers, templates, the compose rules,
drafts and the inbox of parked ones, input from outside, the browser panel, counted words, the
counter and the recipient's consent. Part of :data:`smscompose.messages.CATALOG`."""

from __future__ import annotations

from collections.abc import Mapping

from .plural import Plural

COMPOSE_CATALOG: Mapping[str, Mapping[str, str | Plural]] = {
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
    # More segments than allowed, so always several; the limit may be 1.
    "compose.too_many_segments": {
        "de": Plural(
            "max",
            one="Der Text ist zu lang: {segments} Segmente, erlaubt ist höchstens {max}.",
            other="Der Text ist zu lang: {segments} Segmente, erlaubt sind höchstens {max}.",
        ),
        "en": Plural(
            "max",
            one="The text is too long: {segments} segments, at most {max} is allowed.",
            other="The text is too long: {segments} segments, at most {max} are allowed.",
        ),
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
    # The inbox of parked drafts
    "inbox.to": {"de": "An {to}", "en": "To {to}"},
    "inbox.no_number": {"de": "Ohne Nummer", "en": "No number"},
    "inbox.resume": {
        "de": "Entwurf reaktivieren: {summary}",
        "en": "Reactivate draft: {summary}",
    },
    "inbox.empty": {"de": "Keine geparkten SMS.", "en": "No parked SMS."},
    # Counted words, put into the messages that count ("{segments_text}")
    "count.segments": {
        "de": Plural("segments", one="{segments} Segment", other="{segments} Segmente"),
        "en": Plural("segments", one="{segments} segment", other="{segments} segments"),
    },
    "count.characters": {
        "de": Plural("characters", one="{characters} Zeichen", other="{characters} Zeichen"),
        "en": Plural("characters", one="{characters} character", other="{characters} characters"),
    },
    # The counter under the text (smscompose.panel_view): what a screen reader hears once
    # typing pauses, and the look-alike suggestion's button
    "counter.announce": {
        "de": "{characters_text}, {segments_text}, {encoding}",
        "en": "{characters_text}, {segments_text}, {encoding}",
    },
    "counter.suggestion": {
        "de": "Durch GSM-Zeichen ersetzen ({segments} statt {current_text})",
        "en": "Replace with GSM characters ({segments} instead of {current_text})",
    },
    "counter.suggestion_same": {
        "de": "Durch GSM-Zeichen ersetzen",
        "en": "Replace with GSM characters",
    },
    # The recipient's consent (the relay's opt-out list, given to the core as an input)
    "recipient.opted_out": {
        "de": "Diese Nummer hat SMS abbestellt (STOP). An sie kann nicht gesendet werden.",
        "en": "This number has opted out of SMS (STOP). It cannot be sent to.",
    },
}
