"""The relay's one error shape, ``{code, message, field}``, in German and English.

Problems found by the compose core keep their codes and wording (``phone.invalid``, …); the
relay adds its own codes below. Every 4xx carries one of them; a 5xx never reaches a client for
anything the client sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from smscompose.messages import DEFAULT_LANGUAGE, LANGUAGES, Problem, translate

RELAY_CATALOG: Mapping[str, Mapping[str, str]] = {
    "auth.missing": {
        "de": "Anmeldung fehlt: Bitte ein gültiges Token mitsenden.",
        "en": "Not signed in: please send a valid token.",
    },
    "auth.invalid": {
        "de": "Das Token ist ungültig.",
        "en": "The token is not valid.",
    },
    "auth.expired": {
        "de": "Das Token ist abgelaufen. Bitte melden Sie sich erneut an.",
        "en": "The token has expired. Please sign in again.",
    },
    "auth.revoked": {
        "de": "Dieser Zugang wurde gesperrt. Bitte wenden Sie sich an Ihre Administration.",
        "en": "This access has been revoked. Please contact your administrator.",
    },
    "auth.queue_not_allowed": {
        "de": "Diese Warteschlange ist für Sie nicht freigegeben.",
        "en": "You may not use this queue.",
    },
    "request.invalid": {
        "de": "Die Anfrage ist ungültig: {detail}",
        "en": "The request is not valid: {detail}",
    },
    "request.field_missing": {
        "de": "Das Feld {name} fehlt.",
        "en": "The field {name} is missing.",
    },
    "request.unknown_field": {
        "de": "Das Feld {name} ist unbekannt.",
        "en": "The field {name} is unknown.",
    },
    "request.too_long": {
        "de": "{name} ist zu lang (höchstens {max} Zeichen).",
        "en": "{name} is too long (at most {max} characters).",
    },
    "request.empty": {
        "de": "{name} darf nicht leer sein.",
        "en": "{name} must not be empty.",
    },
    "request.wrong_type": {
        "de": "{name} hat einen ungültigen Wert oder Typ.",
        "en": "{name} has a value or type that is not allowed.",
    },
    "request.character_not_allowed": {
        "de": "{name} enthält ein Zeichen, das nicht erlaubt ist ({char}).",
        "en": "{name} contains a character that is not allowed ({char}).",
    },
    "request.invalid_json": {
        "de": "Der Inhalt der Anfrage ist kein gültiges JSON.",
        "en": "The body of the request is not valid JSON.",
    },
    "request.not_an_object": {
        "de": "Der Inhalt der Anfrage muss ein JSON-Objekt sein.",
        "en": "The body of the request must be a JSON object.",
    },
    "request.not_utf8": {
        "de": "Der Inhalt der Anfrage ist nicht in UTF-8 kodiert.",
        "en": "The body of the request is not encoded in UTF-8.",
    },
    "request.unsupported_media_type": {
        "de": "Bitte senden Sie JSON (Content-Type: application/json), nicht {type}.",
        "en": "Please send JSON (Content-Type: application/json), not {type}.",
    },
    "request.too_large": {
        "de": "Die Anfrage ist zu groß (höchstens {max} Bytes).",
        "en": "The request is too large (at most {max} bytes).",
    },
    "request.idempotency_key_missing": {
        "de": "Der Header Idempotency-Key fehlt.",
        "en": "The Idempotency-Key header is missing.",
    },
    "request.idempotency_conflict": {
        "de": "Dieser Idempotency-Key wurde bereits für eine andere Nachricht verwendet.",
        "en": "This Idempotency-Key was already used for a different message.",
    },
    "request.not_found": {
        "de": "Nicht gefunden.",
        "en": "Not found.",
    },
    "embed.origin_not_allowed": {
        "de": "Diese Seite darf das SMS-Fenster nicht einbetten (Ursprung nicht freigegeben).",
        "en": "This page may not embed the SMS panel (origin not allowed).",
    },
    "request.method_not_allowed": {
        "de": "Diese Methode ist hier nicht erlaubt.",
        "en": "This method is not allowed here.",
    },
    "message.not_found": {
        "de": "Diese Nachricht gibt es nicht.",
        "en": "This message does not exist.",
    },
    "rate.limited": {
        "de": "Zu viele Nachrichten in kurzer Zeit. Bitte in {retry_after} s erneut versuchen.",
        "en": "Too many messages in a short time. Please try again in {retry_after} s.",
    },
    "service.unavailable": {
        "de": "Der Dienst ist gerade nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.",
        "en": "The service is unavailable right now. Please try again shortly.",
    },
    "inbound.invalid": {
        "de": "Die eingehende Nachricht ist ungültig oder nicht signiert.",
        "en": "The inbound message is not valid or not signed.",
    },
    "inbound.too_long": {
        "de": "Die eingehende Nachricht ist länger, als eine SMS sein kann.",
        "en": "The inbound message is longer than an SMS can be.",
    },
    "conversation.not_found": {
        "de": "Diese Unterhaltung gibt es nicht oder sie gehört zu keiner Ihrer Warteschlangen.",
        "en": "This conversation does not exist or belongs to none of your queues.",
    },
    "receipt.invalid": {
        "de": "Die Zustellbestätigung ist ungültig.",
        "en": "The delivery receipt is not valid.",
    },
    "draft.version_conflict": {
        "de": "Der Entwurf wurde inzwischen an anderer Stelle geändert.",
        "en": "The draft was changed elsewhere in the meantime.",
    },
    # The admin API (smsrelay.admin)
    "admin.not_admin": {
        "de": "Nur Administratoren des Unternehmens dürfen das.",
        "en": "Only the company's administrators may do this.",
    },
    "admin.platform_only": {
        "de": "Nur der Plattformbetreiber darf das.",
        "en": "Only the platform operator may do this.",
    },
    "admin.other_tenant": {
        "de": "Sie dürfen nur Ihr eigenes Unternehmen verwalten, nicht {tenant}.",
        "en": "You may only manage your own company, not {tenant}.",
    },
    "admin.tenant_not_found": {
        "de": "Dieses Unternehmen gibt es nicht.",
        "en": "This company does not exist.",
    },
    "admin.tenant_exists": {
        "de": "Ein Unternehmen mit der Kennung {tenant} gibt es bereits.",
        "en": "A company with the id {tenant} already exists.",
    },
    "admin.invalid_tenant_id": {
        "de": "Eine Kennung besteht aus 1 bis 100 Kleinbuchstaben, Ziffern, - oder _.",
        "en": "An id is 1 to 100 lower-case letters, digits, - or _.",
    },
    "admin.invalid_setting": {
        "de": "Ungültige Einstellung {field}: {detail}",
        "en": "Invalid setting {field}: {detail}",
    },
    "admin.secrets_in_document": {
        "de": "Token-Schlüssel werden nicht mit den Einstellungen gespeichert; "
        "bitte über die Schlüsselrotation ändern.",
        "en": "Token secrets are not saved with the settings; please rotate them instead.",
    },
    "admin.template_too_long": {
        "de": "Die Vorlage {template} braucht schon ohne Platzhalter {segments} SMS-Teile; "
        "erlaubt sind {max}.",
        "en": "The template {template} needs {segments} SMS parts even without placeholders; "
        "{max} are allowed.",
    },
    "admin.revision_conflict": {
        "de": "Die Einstellungen wurden inzwischen geändert (jetzt Stand {revision}). "
        "Bitte neu laden und die Änderung erneut vornehmen.",
        "en": "The settings were changed in the meantime (now revision {revision}). "
        "Please reload and make the change again.",
    },
    "admin.revocation_not_found": {
        "de": "Dieser Zugang ist nicht gesperrt.",
        "en": "This access is not revoked.",
    },
    "admin.revision_not_found": {
        "de": "Diesen Stand der Einstellungen gibt es nicht.",
        "en": "This revision of the settings does not exist.",
    },
}


def message_for(code: str, lang: str, params: Mapping[str, Any]) -> str:
    # Relay and core codes never overlap (tests/integration/relay/test_errors.py checks it).
    if code in RELAY_CATALOG:
        texts = RELAY_CATALOG[code]
        text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
        return text.format(**params) if params else text
    return translate(code, lang, **dict(params))


class ApiError(Exception):
    """An error a client caused or must handle, with the HTTP status it maps to."""

    def __init__(
        self,
        status: int,
        code: str,
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.field = field
        self.params = dict(params or {})
        self.headers = dict(headers or {})
        #: Further problems (e.g. every reason a message was refused), after the first.
        self.problems = problems

    @classmethod
    def from_problems(cls, status: int, problems: tuple[Problem, ...]) -> ApiError:
        first = problems[0]
        return cls(status, first.code, first.field, first.params, problems=problems)

    def body(self, lang: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": message_for(self.code, lang, self.params),
            "field": self.field,
        }
        if self.problems:
            body["problems"] = [
                {"code": p.code, "message": message_for(p.code, lang, p.params), "field": p.field}
                for p in self.problems
            ]
        return body


def pick_language(accept_language: str | None, query_lang: str | None, default: str) -> str:
    """``?lang=`` wins, then the first supported language of Accept-Language, then the
    tenant's language."""
    if query_lang in LANGUAGES:
        return query_lang
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


class ProblemBody(BaseModel):
    code: str
    message: str
    field: str | None


class ErrorBody(BaseModel):
    """The one error shape: a stable ``code`` to act on, a ``message`` in the agent's language
    to show, the ``field`` it concerns (or null), and every problem when there are several."""

    code: str
    message: str
    field: str | None
    problems: list[ProblemBody] | None = None


_WHEN = {
    400: "Malformed request: not UTF-8, a missing header, an unreadable callback",
    401: "No token, or a forged or expired one (`auth.*`)",
    403: "The token does not grant this queue, sender or admin route, or a callback's "
    "signature is wrong",
    404: "No such resource for this agent or administrator",
    409: "Idempotency-Key reused for another message, a stale draft version, or settings "
    "saved from a revision that is no longer the newest",
    413: "The body is larger than the relay accepts (`request.too_large`), or a customer's "
    "message is longer than an SMS can be (`inbound.too_long`)",
    415: "The body is not JSON (`request.unsupported_media_type`)",
    422: "The request cannot be carried out; `problems` lists every reason with its field",
    429: "Over the rate limit; `Retry-After` says when to try again (`rate.limited`)",
    503: "The relay cannot reach its database; `Retry-After` says when to try again",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers an operation may give, all in the one shape."""
    return {status: {"model": ErrorBody, "description": _WHEN[status]} for status in statuses}
