"""The catalog's words after Send: the status line, each status and why a message is not
delivered (:mod:`smscompose.status`). Part of :data:`smscompose.messages.CATALOG`."""

from __future__ import annotations

from collections.abc import Mapping

STATUS_CATALOG: Mapping[str, Mapping[str, str]] = {
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
}
