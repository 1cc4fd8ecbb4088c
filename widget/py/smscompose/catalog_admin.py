"""The catalog's words for the admin console: the template preview
(:mod:`smscompose.template_preview`) and sender addresses as an administrator enters them
(:mod:`smscompose.sender`). Part of :data:`smscompose.messages.CATALOG`."""

from __future__ import annotations

from collections.abc import Mapping

from .plural import Plural

ADMIN_CATALOG: Mapping[str, Mapping[str, str | Plural]] = {
    # The admin console's template preview (smscompose.template_preview)
    "preview.written": {
        "de": "Wie geschrieben (Platzhalter leer)",
        "en": "As written (placeholders empty)",
    },
    "preview.samples": {"de": "Mit Beispielwerten", "en": "With sample values"},
    "preview.longest": {"de": "Mit den längsten Werten", "en": "With the longest values"},
    "preview.encoding_gsm": {"de": "GSM 7-Bit", "en": "GSM 7-bit"},
    "preview.encoding_ucs2": {"de": "UCS-2 (Unicode)", "en": "UCS-2 (Unicode)"},
    "preview.summary": {
        "de": "{segments_text} · {encoding} · {characters_text}",
        "en": "{segments_text} · {encoding} · {characters_text}",
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
        "de": Plural(
            "max",
            one="Schon ohne Platzhalterwerte {segments_text}, erlaubt ist höchstens {max}: "
            "So kann die Vorlage nicht gespeichert werden.",
            other="Schon ohne Platzhalterwerte {segments_text}, erlaubt sind höchstens {max}: "
            "So kann die Vorlage nicht gespeichert werden.",
        ),
        "en": Plural(
            "max",
            one="{segments_text} even without placeholder values, at most {max} is allowed: "
            "the template cannot be saved like this.",
            other="{segments_text} even without placeholder values, at most {max} are allowed: "
            "the template cannot be saved like this.",
        ),
    },
    "preview.too_long_values": {
        "de": Plural(
            "max",
            one="{view_label}: {segments_text}, erlaubt ist höchstens {max}. "
            "Mit solchen Werten kann ein Agent die SMS nicht senden.",
            other="{view_label}: {segments_text}, erlaubt sind höchstens {max}. "
            "Mit solchen Werten kann ein Agent die SMS nicht senden.",
        ),
        "en": Plural(
            "max",
            one="{view_label}: {segments_text}, at most {max} is allowed. "
            "With such values an agent cannot send the SMS.",
            other="{view_label}: {segments_text}, at most {max} are allowed. "
            "With such values an agent cannot send the SMS.",
        ),
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
