"""Whatever reaches the compose core — typed, pasted, sent by a CRM or a tampered browser —
it answers with a result or one of its documented errors, never another exception.

Hypothesis generates the input; the core runs both in CPython and inside Pyodide, so this
file stays pure Python (no relay, no network)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from smscompose import (
    ComposeConfig,
    ComposeSession,
    Draft,
    DraftError,
    InvalidConfig,
    InvalidSenderAddress,
    SenderAddress,
    UnknownLanguageTable,
    check_number,
    check_outgoing,
    expand,
    segment,
    suggest,
    unfilled_placeholders,
)
from smscompose.messages import CATALOG, LANGUAGES

#: Every kind of character an agent or a CRM could hand over, surrogates and controls included.
any_text = st.text(st.characters(codec=None), max_size=400)
short_text = st.text(st.characters(codec=None), max_size=30)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | short_text
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(short_text, inner, max_size=4),
    max_leaves=20,
)
languages = st.lists(
    st.sampled_from(["tr", "es", "pt", "bn", "xx", "", "TR"]) | short_text, max_size=3
)


def worded(problem: Any) -> None:
    """A problem the core reports can be shown in every language."""
    assert problem.code in CATALOG
    for lang in LANGUAGES:
        assert problem.message(lang)


@given(any_text, languages, languages)
def test_segment_counts_any_text_or_names_the_unknown_table(text: str, locking, single) -> None:
    try:
        message = segment(text, locking=locking, single=single)
    except UnknownLanguageTable as error:
        assert error.language in [*locking, *single]
        return
    assert message.segments == len(message.parts) or (text == "" and message.segments == 0)
    assert "".join(p.text for p in message.parts) == text
    suggest(message, locking=locking, single=single)


@given(any_text, st.sampled_from(["DE", "AT", "US", "GB", "ZZ", "", "de", "XK"]) | short_text)
def test_check_number_refuses_any_input_with_a_reason(raw: str, region: str) -> None:
    check = check_number(raw, default_region=region, allowed_countries=frozenset({"DE", "AT"}))
    if check.problem is not None:
        assert check.problem.field == "to"
        worded(check.problem)
    else:
        assert check.e164 is not None and check.e164.startswith("+")
    json.dumps(check.to_dict("de"))


@given(any_text, st.dictionaries(short_text, json_values, max_size=5))
def test_expand_fills_any_template_from_any_context(text: str, context: dict) -> None:
    expansion = expand(text, context)
    assert set(expansion.missing) <= {p.name for p in unfilled_placeholders(text)}
    json.dumps(expansion.to_dict())


@given(any_text)
def test_any_text_as_draft_json_is_a_draft_or_draft_invalid(text: str) -> None:
    try:
        draft = Draft.from_json(text)
    except DraftError as error:
        worded(error.problem)
        return
    assert Draft.from_json(draft.to_json()) == draft


@given(
    json_values
    | st.dictionaries(
        st.sampled_from(
            ["version", "id", "to", "from", "text", "context", "interaction_type", "queue_id"]
        ),
        json_values,
    )
)
def test_any_json_as_a_draft_is_a_draft_or_draft_invalid(data: Any) -> None:
    try:
        Draft.from_dict(data)
    except DraftError as error:
        worded(error.problem)


@given(short_text, st.none() | short_text)
def test_any_sender_address_parses_or_says_why_not(raw: str, label: str | None) -> None:
    try:
        address = SenderAddress.parse(raw, label=label)
    except InvalidSenderAddress as error:
        worded(error.problem)
        return
    assert SenderAddress.parse(address.value).value == address.value


CONFIG_KEYS = ["sms_enabled", "queues", "templates", "max_segments", "default_region",
               "allowed_number_types", "allowed_countries", "shift_tables", "language"]  # fmt: skip
VALID_CONFIG = {
    "queues": [{"id": "q", "name": "Q", "senders": [{"address": "ACME"}]}],
    "templates": [{"id": "t", "name": "T", "text": "Hallo {{customer.name|Kunde}}"}],
    "max_segments": 3,
    "allowed_countries": ["DE"],
    "shift_tables": {"ACME": {"locking": ["tr"], "single": []}},
}


@settings(max_examples=300)
@given(
    st.dictionaries(st.sampled_from(CONFIG_KEYS) | short_text, json_values, max_size=6)
    | st.builds(
        lambda key, value: {**VALID_CONFIG, key: value}, st.sampled_from(CONFIG_KEYS), json_values
    )
)
def test_any_compose_config_is_read_or_refused_naming_the_key(data: dict) -> None:
    try:
        config = ComposeConfig.from_dict(data)
    except InvalidConfig as error:
        assert error.key and error.key.split(".")[0].split("[")[0] in [*data, "config"]
        return
    # A configuration that was read is one the panel can work with.
    session = ComposeSession(config).open_panel()
    session.view("de")
    for queue in config.queues:
        check_outgoing(config, queue_id=queue.id, sender="ACME", to="0151 12345678", text="x")


@given(short_text, short_text, any_text, any_text)
def test_check_outgoing_judges_any_message(queue_id: str, sender: str, to: str, text: str) -> None:
    config = ComposeConfig.from_dict(VALID_CONFIG)
    check = check_outgoing(config, queue_id=queue_id, sender=sender, to=to, text=text)
    for problem in check.problems:
        worded(problem)
