"""The command line as QA scripts use it: a real ``python -m smscompose`` process."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "smscompose", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_count_prints_the_counter_line() -> None:
    result = run("count", "x" * 225)
    assert result.returncode == 0
    assert result.stdout.decode() == "225 – [GSM_7BIT 2]\n"


def test_count_with_escape_characters_and_emoji() -> None:
    assert run("count", "{]").stdout.decode() == "4 – [GSM_7BIT 1]\n"
    assert run("count", "Hi 😀").stdout.decode() == "5 – [UCS2 1]\n"


def test_count_uses_the_national_tables_given() -> None:
    assert run("count", "Günaydın").stdout.decode() == "8 – [UCS2 1]\n"
    result = run("count", "--locking", "tr", "--single", "tr", "Günaydın")
    assert result.stdout.decode() == "8 – [GSM_7BIT 1]\n"


def test_an_unknown_table_is_a_usage_error() -> None:
    result = run("count", "--locking", "xx", "hello")
    assert result.returncode == 2
    assert b"xx" in result.stderr


def test_count_json_includes_parts_and_the_suggestion() -> None:
    result = run("count", "--json", "It’s ok")
    answer = json.loads(result.stdout)
    assert answer["parts"] == ["It’s ok"]
    assert answer["suggestion"]["text"] == "It's ok"


def test_jsonl_answers_every_line_and_reports_bad_lines_in_place() -> None:
    lines = [
        json.dumps({"text": "a" * 161}),
        "this is not json",
        json.dumps({"text": "Günaydın", "locking": ["tr"]}),
        json.dumps({"nope": 1}),
        json.dumps({"text": "x", "single": "tr"}),
        json.dumps({"text": "x", "locking": ["zz"]}),
        b"\xff\xfe broken utf-8".decode("latin-1"),
        json.dumps([1, 2]),
        "",
        json.dumps({"text": "{]"}),
    ]
    stdin = "\n".join(lines).encode("utf-8").replace(b"\xc3\xbf\xc3\xbe", b"\xff\xfe") + b"\n"
    result = run("count", "--jsonl", stdin=stdin)
    assert result.returncode == 0
    answers = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(answers) == len(lines)
    first = answers[0]
    assert (first["encoding"], first["units"], first["segments"]) == ("GSM_7BIT", 161, 2)
    assert first["parts"] == ["a" * 153, "a" * 8]
    assert first["counter"] == "161 – [GSM_7BIT 2]"
    assert answers[2]["encoding"] == "GSM_7BIT" and answers[2]["locking"] == "tr"
    assert answers[9]["counter"] == "4 – [GSM_7BIT 1]"
    errors = {i: a["error"]["code"] for i, a in enumerate(answers) if "error" in a}
    assert errors == {
        1: "input.invalid_json",
        3: "input.invalid_field",
        4: "input.invalid_field",
        5: "input.unknown_language_table",
        6: "input.invalid_json",
        7: "input.invalid_field",
        8: "input.invalid_json",
    }
    assert all(answers[i]["line"] == i + 1 for i in errors)
    assert all(answers[i]["error"]["message"] for i in errors)
    assert result.stderr == b""
