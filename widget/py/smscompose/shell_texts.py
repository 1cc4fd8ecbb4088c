"""The words of the panel's shell: labels, buttons and the messages it shows before Python runs.

Everything the compose rules say comes from :mod:`smscompose.messages`; these are the words
around it. They live here, not in the JavaScript, so every word the agent reads has one home;
the element reads them from ``widget/static/contract.js``, generated from this table (see
:mod:`smscompose.contract`), because it must show "loading" before the core has started.
"""

from __future__ import annotations

from collections.abc import Mapping

SHELL_TEXTS: Mapping[str, Mapping[str, str]] = {
    "contactOptions": {
        "de": "Kontaktoptionen",
        "en": "Contact options",
    },
    "smsButton": {
        "de": "SMS",
        "en": "SMS",
    },
    "smsButtonTitle": {
        "de": "SMS schreiben",
        "en": "Write an SMS",
    },
    "activeSelection": {
        "de": "Aktive Auswahl",
        "en": "Active selection",
    },
    "queue": {
        "de": "Warteschlange",
        "en": "Queue",
    },
    "chooseQueue": {
        "de": "Warteschlange wählen …",
        "en": "Choose a queue …",
    },
    "outbound": {
        "de": "Ausgehende SMS",
        "en": "Outbound SMS",
    },
    "template": {
        "de": "Vorlage",
        "en": "Template",
    },
    "replaceText": {
        "de": "Text ersetzen",
        "en": "Replace text",
    },
    "keepText": {
        "de": "Text behalten",
        "en": "Keep text",
    },
    "to": {
        "de": "An",
        "en": "To",
    },
    "toPlaceholder": {
        "de": "Mobilnummer, z. B. 0151 23456789",
        "en": "Mobile number, e.g. +49 151 23456789",
    },
    "dialpad": {
        "de": "Wähltastatur",
        "en": "Dial pad",
    },
    "dialpadOpen": {
        "de": "Wähltastatur öffnen",
        "en": "Open dial pad",
    },
    "dialpadClose": {
        "de": "Wähltastatur schließen",
        "en": "Close dial pad",
    },
    "backspace": {
        "de": "Letzte Ziffer löschen",
        "en": "Delete last digit",
    },
    "from": {
        "de": "Von",
        "en": "From",
    },
    "text": {
        "de": "Text",
        "en": "Text",
    },
    "emoji": {
        "de": "Emoji einfügen",
        "en": "Insert emoji",
    },
    "emojiClose": {
        "de": "Emoji-Auswahl schließen",
        "en": "Close emoji picker",
    },
    "counterLabel": {
        "de": "Zeichen und SMS-Segmente",
        "en": "Characters and SMS segments",
    },
    "costHint": {
        "de": "ca. {amount}",
        "en": "approx. {amount}",
    },
    "preview": {
        "de": "Segmente anzeigen",
        "en": "Show segments",
    },
    "previewHide": {
        "de": "Segmente ausblenden",
        "en": "Hide segments",
    },
    "previewTitle": {
        "de": "So wird die SMS versendet",
        "en": "How the SMS will be sent",
    },
    "part": {
        "de": "Teil {n} von {total}: {units} von {capacity}",
        "en": "Part {n} of {total}: {units} of {capacity}",
    },
    "forcing": {
        "de": "Diese Zeichen erzwingen UCS-2 (nur {capacity} Zeichen je Segment): {chars}",
        "en": "These characters force UCS-2 (only {capacity} characters per segment): {chars}",
    },
    "sendAt": {
        "de": "Später senden (Ihre Zeit)",
        "en": "Send later (your time)",
    },
    "sendAtClear": {
        "de": "Sofort senden",
        "en": "Send now",
    },
    "send": {
        "de": "Senden",
        "en": "Send",
    },
    "sending": {
        "de": "Wird gesendet …",
        "en": "Sending …",
    },
    "park": {
        "de": "Parken",
        "en": "Park",
    },
    "cancel": {
        "de": "Schließen",
        "en": "Close",
    },
    "deleteDraft": {
        "de": "Entwurf löschen",
        "en": "Delete draft",
    },
    "drafts": {
        "de": "Posteingang: geparkte SMS",
        "en": "Inbox: parked SMS",
    },
    "status": {
        "de": "Status",
        "en": "Status",
    },
    "resumeCall": {
        "de": "Zurück zum Anruf",
        "en": "Back to the call",
    },
    "resumeChat": {
        "de": "Zurück zum Chat",
        "en": "Back to the chat",
    },
    "loading": {
        "de": "SMS-Funktion wird geladen …",
        "en": "Loading the SMS feature …",
    },
    "boot.wasm": {
        "de": "Die SMS-Funktion kann hier nicht starten: Die Sicherheitsrichtlinie (CSP) dieser Seite blockiert WebAssembly. Bitte nutzen Sie den iframe-Modus (/embed) oder erlauben Sie 'wasm-unsafe-eval'.",
        "en": "The SMS feature cannot start here: this page's Content-Security-Policy blocks WebAssembly. Use the iframe mode (/embed) or allow 'wasm-unsafe-eval'.",
    },
    "boot.asset": {
        "de": "Die SMS-Funktion konnte nicht geladen werden (eine Datei fehlt oder der Server ist nicht erreichbar).",
        "en": "The SMS feature could not be loaded (a file is missing or the server cannot be reached).",
    },
    "boot.timeout": {
        "de": "Die SMS-Funktion startet nicht. Bitte laden Sie die Seite neu.",
        "en": "The SMS feature does not start. Please reload the page.",
    },
    "boot.runtime": {
        "de": "Die SMS-Funktion konnte nicht gestartet werden.",
        "en": "The SMS feature could not be started.",
    },
    "net.offline": {
        "de": "Der SMS-Server ist nicht erreichbar. Ihre Eingaben bleiben erhalten; bitte versuchen Sie es erneut.",
        "en": "The SMS server cannot be reached. Nothing you entered is lost; please try again.",
    },
    "auth.missing": {
        "de": "Es fehlt die Anmeldung für die SMS-Funktion.",
        "en": "The SMS feature has no sign-in token.",
    },
    "parked": {
        "de": "SMS geparkt.",
        "en": "SMS parked.",
    },
    "deleted": {
        "de": "Entwurf gelöscht.",
        "en": "Draft deleted.",
    },
    "sentNotice": {
        "de": "SMS angenommen.",
        "en": "SMS accepted.",
    },
    "cancelledNotice": {
        "de": "Geplante SMS storniert.",
        "en": "Scheduled SMS cancelled.",
    },
}
