"""The relay's message catalog beside the compose core's: one error shape, two languages."""

from __future__ import annotations

import string

from smscompose.messages import CATALOG as CORE_CATALOG
from smscompose.messages import LANGUAGES, Plural
from smsrelay.errors import RELAY_CATALOG, ApiError, message_for


def test_relay_codes_never_shadow_core_codes() -> None:
    assert not RELAY_CATALOG.keys() & CORE_CATALOG.keys()


def test_every_relay_message_exists_in_german_and_english_with_the_same_placeholders() -> None:
    for code, texts in RELAY_CATALOG.items():
        assert set(texts) == set(LANGUAGES), code
        forms = [f for t in texts.values() for f in (t.forms if isinstance(t, Plural) else [t])]
        fields = [{name for _, name, _, _ in string.Formatter().parse(f) if name} for f in forms]
        assert all(f == fields[0] for f in fields), code


def test_a_limit_of_one_is_worded_in_the_singular() -> None:
    params = {"template": "hi", "segments": 2}
    assert message_for("admin.template_too_long", "en", {**params, "max": 1}).endswith(
        "; 1 is allowed."
    )
    assert message_for("admin.template_too_long", "de", {**params, "max": 1}).endswith(
        "; erlaubt ist 1."
    )
    assert message_for("admin.template_too_long", "en", {**params, "max": 3}).endswith(
        "; 3 are allowed."
    )


def test_core_problems_keep_their_wording_in_the_relays_error_shape() -> None:
    error = ApiError(422, "phone.type_not_allowed", "to", {"type": "fixed_line"})
    body = error.body("de")
    assert body == {
        "code": "phone.type_not_allowed",
        "message": message_for("phone.type_not_allowed", "de", {"type": "fixed_line"}),
        "field": "to",
    }
    assert "Festnetz" in body["message"]
