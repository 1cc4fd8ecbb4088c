"""smscompose.template_preview and the console's actions through smscompose.panel: what a
template costs as written, with sample values and with the longest values, against the limit."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from smscompose import expand, segment
from smscompose.panel import Panel
from smscompose.template import bare_text
from smscompose.template_preview import preview_template, segments_text

GREETING = "Hallo {{customer.first_name|Kundin, Kunde}}, Ihr Termin am {{appointment.date}} steht."


def test_three_versions_as_written_with_samples_and_with_the_longest_values() -> None:
    preview = preview_template(
        GREETING,
        samples={"customer.first_name": "Erika", "appointment.date": "02.12.2026"},
        longest={"customer.first_name": "M" * 140},
        max_segments=2,
    )
    written, samples, longest = preview.views
    assert [v.kind for v in preview.views] == ["written", "samples", "longest"]
    assert written.text == "Hallo , Ihr Termin am  steht."
    assert samples.text == "Hallo Erika, Ihr Termin am 02.12.2026 steht."
    # The longest value replaces the sample; the date keeps its sample.
    assert longest.text == f"Hallo {'M' * 140}, Ihr Termin am 02.12.2026 steht."
    assert (written.segments, samples.segments, longest.segments) == (1, 1, 2)
    assert preview.worst is longest
    assert preview.problems == ()
    assert preview.placeholders == (
        ("customer.first_name", "Kundin, Kunde"),
        ("appointment.date", None),
    )


def test_as_written_is_what_the_relay_checks_on_save() -> None:
    text = "{{x}}" * 50 + "y" * 150
    preview = preview_template(text)
    assert preview.view("written").text == bare_text(text)
    assert preview.view("written").message == segment(bare_text(text))


def test_without_samples_defaults_fill_in_and_the_rest_counts_empty() -> None:
    preview = preview_template(GREETING, samples={"customer.first_name": "  "})
    samples = preview.view("samples")
    assert samples.text == "Hallo Kundin, Kunde, Ihr Termin am  steht."
    assert samples.empty == ("appointment.date",)
    data = preview.to_dict("en")["views"][1]
    assert data["empty_note"] == "Counted empty (no value, no default): appointment.date"


def test_values_are_filled_as_the_agent_s_panel_fills_them() -> None:
    values = {
        "customer.first_name": " Ada\nLovelace ",
        "appointment.date": "{{customer.first_name}}",
    }
    preview = preview_template(GREETING, samples=values)
    assert preview.view("samples").text == expand(GREETING, values).text
    assert "{{customer.first_name}}" in preview.view("samples").text  # never expanded twice


def test_characters_forcing_ucs2_are_reported_per_version_and_invisible_ones_by_code_point() -> (
    None
):
    preview = preview_template(
        "Hallo {{name}}, bis bald", samples={"name": "Zoë"}, longest={"name": "Ağça\u200b"}
    )
    written, samples, longest = (v.to_dict("de", None) for v in preview.views)
    assert written["encoding"] == "GSM_7BIT" and written["forcing"] is None
    assert samples["encoding"] == "UCS2" and samples["forcing_chars"] == ["ë"]
    assert samples["forcing"] == "Diese Zeichen erzwingen UCS-2: ë"
    assert longest["forcing_labels"] == ["ğ", "ç", "U+200B"]
    assert samples["summary"] == "1 Segment · UCS-2 (Unicode) · 19 Zeichen"


def test_national_tables_of_the_sender_count_as_the_gateway_sends() -> None:
    text = "Günaydın {{name}}" + "ş" * 140
    plain = preview_template(text)
    turkish = preview_template(text, locking=["tr"], single=["tr"])
    assert plain.view("written").message.encoding == "UCS2"
    assert turkish.view("written").message.encoding == "GSM_7BIT"
    assert turkish.view("written").segments < plain.view("written").segments


def test_over_the_limit_as_written_cannot_be_saved_and_with_values_cannot_be_sent() -> None:
    too_long = preview_template("x" * 200, max_segments=1)
    assert [p.code for p in too_long.problems] == ["preview.too_long_written"]
    assert too_long.to_dict("de")["problems"][0]["message"] == (
        "Schon ohne Platzhalterwerte 2 Segmente, erlaubt ist höchstens 1: "
        "So kann die Vorlage nicht gespeichert werden."
    )
    risky = preview_template(
        "Hallo {{name}}" + "x" * 140, longest={"name": "y" * 30}, max_segments=1
    )
    answer = risky.to_dict("en")
    assert answer["over_limit"] and answer["worst"] == {"kind": "longest", "segments": 2}
    assert answer["problems"][0]["message"] == (
        "With the longest values: 2 segments, at most 1 is allowed. "
        "With such values an agent cannot send the SMS."
    )
    assert answer["views"][2]["over_limit"] and not answer["views"][1]["over_limit"]
    fine = preview_template("Hallo {{name}}", longest={"name": "y" * 30}, max_segments=3)
    assert fine.to_dict("de")["verdict"] == "Höchstens 1 Segment – innerhalb der Grenze von 3."


def test_segment_words_in_both_languages() -> None:
    assert [segments_text(n, "de") for n in (0, 1, 2)] == ["0 Segmente", "1 Segment", "2 Segmente"]
    assert [segments_text(n, "en") for n in (0, 1, 2)] == ["0 segments", "1 segment", "2 segments"]


def test_a_one_character_template_and_a_limit_of_two_are_worded_right() -> None:
    one = preview_template("x").view("written").to_dict("en", None)
    assert one["summary"] == "1 segment · GSM 7-bit · 1 character"
    assert preview_template("x").view("written").to_dict("de", None)["summary"] == (
        "1 Segment · GSM 7-Bit · 1 Zeichen"
    )
    two = preview_template("xy" * 200, max_segments=2).to_dict("en")["problems"][0]
    assert two["message"] == (
        "3 segments even without placeholder values, at most 2 are allowed: "
        "the template cannot be saved like this."
    )


@given(
    pieces=st.lists(
        st.sampled_from(["a", "€", "ü", "{", "}", "{{n}}", "{{m|x}}", " ", "😀"]), max_size=60
    ),
    sample=st.text(max_size=30),
    long=st.text(max_size=80),
)
def test_every_version_is_counted_by_the_one_segmenter(
    pieces: list[str], sample: str, long: str
) -> None:
    text = "".join(pieces)
    preview = preview_template(text, samples={"n": sample}, longest={"n": long, "m": long})
    for view in preview.views:
        assert view.message == segment(view.text)
    assert preview.view("written").text == bare_text(text)
    assert preview.worst.segments == max(v.segments for v in preview.views)


# -- through the worker's entry point --------------------------------------------------------


def test_the_worker_answers_a_preview_without_an_agent_configuration() -> None:
    panel = Panel()
    action = {
        "do": "template_preview",
        "text": GREETING,
        "samples": {"customer.first_name": "Erika"},
        "longest": {"customer.first_name": "x" * 150, "ignored": 3},
        "max_segments": 1,
        "lang": "en",
    }
    answer = json.loads(panel.act_json(json.dumps(action)))
    preview = answer["preview"]
    assert [v["label"] for v in preview["views"]] == [
        "As written (placeholders empty)",
        "With sample values",
        "With the longest values",
    ]
    assert preview["views"][2]["summary"].startswith("2 segments · GSM 7-bit")
    assert preview["over_limit"] and "view" not in answer


def test_the_worker_reports_unknown_tables_and_bad_arguments_in_the_console_s_language() -> None:
    panel = Panel()
    unknown = panel.act({"do": "template_preview", "text": "x", "locking": ["xx"], "lang": "de"})
    assert unknown["preview"] is None
    assert unknown["problem"]["message"] == "Unbekannte Sprachtabelle: xx"
    for bad in ({"text": 3}, {"text": "x", "max_segments": 0}, {"text": "x", "samples": []}, {}):
        answer = panel.act({"do": "template_preview", "lang": "en", **bad})
        assert answer["error"]["code"] == "panel.bad_action"


def test_the_worker_checks_a_sender_address_as_the_relay_does() -> None:
    panel = Panel()
    good = panel.act({"do": "check_sender", "value": "+49 89 12345678"})
    assert good == {"sender": {"kind": "number", "value": "+498912345678"}, "problem": None}
    bad = panel.act({"do": "check_sender", "value": "ACME-GmbH-Kundenservice", "lang": "de"})
    assert bad["sender"] is None
    assert bad["problem"]["code"] == "sender.alphanumeric_too_long"
    assert bad["problem"]["message"].startswith("Ein Absendername darf höchstens 11 Zeichen")
