"""The admin console's own words (``/admin``), in German and English.

Labels, headings and buttons around what the relay and the core say: the relay's errors arrive
worded in the console's language (``?lang=``), the template preview from the compose core's
catalog (``preview.*`` in :mod:`smscompose.messages`). The page reads these from
``/admin/texts.js``, which the relay writes from this table, so they have one home.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from smscompose.languages import DEFAULT_LANGUAGE, LANGUAGES

CONSOLE_TEXTS: Mapping[str, Mapping[str, str]] = {
    "title": {"de": "SMS-Administration", "en": "SMS administration"},
    "language": {"de": "Sprache", "en": "Language"},
    "sections": {"de": "Bereiche", "en": "Sections"},
    "signinTitle": {"de": "Anmelden", "en": "Sign in"},
    "signinHelp": {
        "de": "Ihr CRM öffnet diese Seite mit einem Admin-Token (/admin#token=…). Sie können das Token auch hier einfügen.",
        "en": "Your CRM opens this page with an admin token (/admin#token=…). You can also paste the token here.",
    },
    "tokenLabel": {"de": "Admin-Token", "en": "Admin token"},
    "signin": {"de": "Anmelden", "en": "Sign in"},
    "signout": {"de": "Abmelden", "en": "Sign out"},
    "loading": {"de": "Lädt …", "en": "Loading …"},
    "tenant": {
        "de": "Unternehmen {tenant} · Stand {revision}",
        "en": "Company {tenant} · revision {revision}",
    },
    "networkError": {"de": "Der Relay ist nicht erreichbar.", "en": "The relay cannot be reached."},
    "smsTitle": {"de": "SMS", "en": "SMS"},
    "smsEnabled": {"de": "SMS für die Agenten eingeschaltet", "en": "SMS switched on for agents"},
    "maxSegments": {"de": "Höchstens Segmente je SMS", "en": "Maximum segments per SMS"},
    "sendersTitle": {"de": "Absenderadressen", "en": "Sender addresses"},
    "sendersHelp": {
        "de": "Eine Rufnummer mit + und Ländervorwahl, eine Kurzwahl (3–8 Ziffern) oder ein Absendername (bis 11 Zeichen, mindestens ein Buchstabe).",
        "en": "A number with + and the country code, a short code (3–8 digits) or a sender name (up to 11 characters, at least one letter).",
    },
    "senderAddress": {"de": "Adresse", "en": "Address"},
    "senderLabel": {"de": "Bezeichnung", "en": "Label"},
    "senderTables": {
        "de": "Nationale Sprachtabellen: {tables}",
        "en": "National language tables: {tables}",
    },
    "senderValid": {"de": "Gültig: {kind} {value}", "en": "Valid: {kind} {value}"},
    "kind_number": {"de": "Rufnummer", "en": "number"},
    "kind_short_code": {"de": "Kurzwahl", "en": "short code"},
    "kind_alphanumeric": {"de": "Absendername", "en": "sender name"},
    "addSender": {"de": "Absender hinzufügen", "en": "Add a sender"},
    "senderN": {"de": "Absender {n}", "en": "Sender {n}"},
    "remove": {"de": "Entfernen", "en": "Remove"},
    "removeNamed": {"de": "{name} entfernen", "en": "Remove {name}"},
    "queuesTitle": {"de": "Warteschlangen", "en": "Queues"},
    "queueId": {"de": "Kennung", "en": "Id"},
    "queueName": {"de": "Name", "en": "Name"},
    "queueSenders": {"de": "Absender dieser Warteschlange", "en": "Senders of this queue"},
    "queueN": {"de": "Warteschlange {name}", "en": "Queue {name}"},
    "addQueue": {"de": "Warteschlange hinzufügen", "en": "Add a queue"},
    "noSenders": {"de": "Noch keine Absenderadresse.", "en": "No sender address yet."},
    "templatesTitle": {"de": "Vorlagen", "en": "Templates"},
    "templateN": {"de": "Vorlage {name}", "en": "Template {name}"},
    "templateId": {"de": "Kennung", "en": "Id"},
    "templateName": {"de": "Name", "en": "Name"},
    "templateText": {"de": "Text", "en": "Text"},
    "templateHelp": {
        "de": "Platzhalter: {{customer.first_name}}, mit Vorgabe: {{customer.first_name|Kunde}}.",
        "en": "Placeholders: {{customer.first_name}}, with a default: {{customer.first_name|customer}}.",
    },
    "addTemplate": {"de": "Vorlage hinzufügen", "en": "Add a template"},
    "placeholders": {
        "de": "Platzhalter und Werte für die Vorschau",
        "en": "Placeholders and values for the preview",
    },
    "placeholder": {"de": "Platzhalter", "en": "Placeholder"},
    "sampleValue": {"de": "Beispielwert", "en": "Sample value"},
    "longestValue": {"de": "Längster Wert", "en": "Longest value"},
    "sampleFor": {"de": "Beispielwert für {name}", "en": "Sample value for {name}"},
    "longestFor": {"de": "Längster Wert für {name}", "en": "Longest value for {name}"},
    "placeholderDefault": {"de": "Vorgabe: {value}", "en": "Default: {value}"},
    "valuesNote": {
        "de": "Die Werte dienen nur der Vorschau und bleiben in diesem Browser; sie werden nicht gespeichert.",
        "en": "The values are for the preview only and stay in this browser; they are not saved with the settings.",
    },
    "previewTitle": {"de": "Vorschau", "en": "Preview"},
    "previewSender": {"de": "Zählen für Absender", "en": "Count for sender"},
    "previewNoTables": {
        "de": "ohne nationale Sprachtabellen",
        "en": "without national language tables",
    },
    "previewLoading": {"de": "Die Vorschau wird vorbereitet …", "en": "Preparing the preview …"},
    "previewUnavailable": {
        "de": "Die Vorschau ist nicht verfügbar ({detail}). Speichern geht trotzdem; der Relay prüft die Vorlage.",
        "en": "The preview is not available ({detail}). You can still save; the relay checks the template.",
    },
    "saveTitle": {"de": "Speichern", "en": "Save"},
    "comment": {"de": "Kommentar für das Änderungsprotokoll", "en": "Comment for the audit log"},
    "save": {"de": "Änderungen speichern", "en": "Save changes"},
    "saving": {"de": "Wird gespeichert …", "en": "Saving …"},
    "saved": {
        "de": "Gespeichert als Stand {revision}. Die Agenten erhalten die Änderung sofort.",
        "en": "Saved as revision {revision}. Agents get the change at once.",
    },
    "unsaved": {"de": "Ungespeicherte Änderungen.", "en": "Unsaved changes."},
    "noChanges": {"de": "Keine Änderungen.", "en": "No changes."},
    "discard": {"de": "Verwerfen und neu laden", "en": "Discard and reload"},
    "confirmDiscard": {
        "de": "Ihre ungespeicherten Änderungen gehen verloren. Fortfahren?",
        "en": "Your unsaved changes will be lost. Continue?",
    },
    "fieldError": {"de": "{field}: {message}", "en": "{field}: {message}"},
    "auditTitle": {"de": "Änderungsprotokoll", "en": "Audit log"},
    "auditRefresh": {"de": "Aktualisieren", "en": "Refresh"},
    "auditEntry": {
        "de": "Stand {revision} · {when} · {author}",
        "en": "Revision {revision} · {when} · {author}",
    },
    "auditNoComment": {"de": "(ohne Kommentar)", "en": "(no comment)"},
    "auditInForce": {"de": "in Kraft", "en": "in force"},
    "auditMore": {"de": "Ältere laden", "en": "Load older"},
    "auditChanges": {"de": "{n} Änderungen", "en": "{n} changes"},
    "auditAdded": {"de": "hinzugefügt", "en": "added"},
    "auditRemoved": {"de": "entfernt", "en": "removed"},
    "revert": {"de": "Zurück zu Stand {revision}", "en": "Back to revision {revision}"},
    "reverted": {
        "de": "Stand {revision} wiederhergestellt, jetzt Stand {current}.",
        "en": "Revision {revision} restored, now revision {current}.",
    },
    "usageTitle": {"de": "Verbrauch", "en": "Usage"},
    "from": {"de": "Von", "en": "From"},
    "to": {"de": "Bis", "en": "To"},
    "showUsage": {"de": "Anzeigen", "en": "Show"},
    "usageChart": {
        "de": "Segmente pro Tag und Warteschlange, {from} bis {to}",
        "en": "Segments per day and queue, {from} to {to}",
    },
    "usageTotals": {
        "de": "Gesamt – SMS: {messages}, Segmente: {segments}{cost}",
        "en": "Total — SMS: {messages}, segments: {segments}{cost}",
    },
    "usageEmpty": {"de": "Keine SMS in diesem Zeitraum.", "en": "No SMS in this period."},
    "day": {"de": "Tag", "en": "Day"},
    "queue": {"de": "Warteschlange", "en": "Queue"},
    "messages": {"de": "SMS", "en": "SMS"},
    "segments": {"de": "Segmente", "en": "Segments"},
    "cost": {"de": "Kosten", "en": "Cost"},
    "downloadCsv": {"de": "Als CSV herunterladen", "en": "Download as CSV"},
    "webhooksTitle": {"de": "Webhooks", "en": "Webhooks"},
    "webhooksHelp": {
        "de": "Was der Relay Ihrem CRM über Ihre SMS meldet, das Neueste zuerst. Nicht Zugestelltes versucht er 24 Stunden lang erneut, in der Reihenfolge je Gespräch.",
        "en": "What the relay tells your CRM about your SMS, newest first. What is not delivered is tried again for 24 hours, in order per conversation.",
    },
    "webhooksFilter": {"de": "Zustand", "en": "State"},
    "webhooksAll": {"de": "alle", "en": "all"},
    "webhooksShow": {"de": "Zustellungen zeigen", "en": "Show deliveries"},
    "webhooksEmpty": {"de": "Keine Webhooks.", "en": "No webhooks."},
    "webhooksCaption": {"de": "Zustellungen an Ihr CRM", "en": "Deliveries to your CRM"},
    "webhooksWhen": {"de": "Zeit", "en": "Time"},
    "webhooksEvent": {"de": "Ereignis", "en": "Event"},
    "webhooksEndpoint": {"de": "Empfänger", "en": "Endpoint"},
    "webhooksState": {"de": "Stand", "en": "State"},
    "webhooksLast": {"de": "Letzte Antwort", "en": "Last answer"},
    "webhooksAction": {"de": "Aktion", "en": "Action"},
    "webhookState_pending": {"de": "wartet", "en": "pending"},
    "webhookState_delivered": {"de": "zugestellt", "en": "delivered"},
    "webhookState_failed": {"de": "fehlgeschlagen", "en": "failed"},
    "webhooksAttempts": {"de": "Versuche: {n}", "en": "attempts: {n}"},
    "webhooksNext": {"de": "nächster Versuch {when}", "en": "next attempt {when}"},
    "webhooksAgain": {"de": "erneut gesendet von #{id}", "en": "sent again from #{id}"},
    "webhooksRedeliver": {"de": "Erneut senden", "en": "Send again"},
    "webhooksRedeliverFor": {
        "de": "Erneut senden: Ereignis {event}",
        "en": "Send again: event {event}",
    },
    "webhooksRedelivered": {
        "de": "Ereignis {event} wird erneut gesendet (Zustellung #{id}).",
        "en": "Event {event} is being sent again (delivery #{id}).",
    },
}


def texts_module() -> str:
    """``/admin/texts.js``: the table above as an ES module, by language."""
    texts = {lang: {k: v[lang] for k, v in CONSOLE_TEXTS.items()} for lang in LANGUAGES}
    body = json.dumps(
        {"languages": list(LANGUAGES), "default_language": DEFAULT_LANGUAGE, "texts": texts},
        ensure_ascii=False,
        indent=1,
    )
    return f"// Generated by the relay from smsrelay/admin/console_texts.py.\nexport default Object.freeze({body});\n"
