"""Command line for QA and scripts.

``python -m smscompose count TEXT`` prints the counter line; ``count --jsonl`` turns JSON lines
into JSON lines, one answer per input line, and reports a bad line on its own output line
instead of stopping; ``count`` alone counts each line typed at the terminal.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO, TextIO

from .messages import Problem
from .segmenter import UnknownLanguageTable, segment
from .smart_encoding import suggest


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command != "count":
        parser.print_help()
        return 2
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # not when a test swaps in a StringIO
            stream.reconfigure(encoding="utf-8")
    locking, single = _tables(args.locking), _tables(args.single)
    try:
        segment("", locking=locking, single=single)
    except UnknownLanguageTable as error:
        parser.error(str(error))
    if args.jsonl:
        count_jsonl(sys.stdin.buffer, sys.stdout, locking=locking, single=single)
    elif args.text is not None:
        _print_count(args.text, locking, single, as_json=args.json)
    else:
        _interactive(locking, single)
    return 0


def count_jsonl(
    source: BinaryIO,
    out: TextIO,
    *,
    locking: Sequence[str] = (),
    single: Sequence[str] = (),
) -> None:
    """One JSON answer per input line: ``{"text": ..., "locking": [...], "single": [...]}``
    (the table lists are optional and default to the command line's)."""
    write = out.write
    for number, raw in enumerate(source, start=1):
        try:
            answer = _count_line(raw, locking, single)
        except _BadLine as error:
            answer = {"line": number, "error": error.problem.to_dict()}
        write(json.dumps(answer, ensure_ascii=False))
        write("\n")
    out.flush()


class _BadLine(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _count_line(raw: bytes, locking: Sequence[str], single: Sequence[str]) -> dict[str, Any]:
    try:
        request = json.loads(raw)
    except (ValueError, RecursionError) as error:
        detail = str(error) if isinstance(error, ValueError) else "nested too deeply"
        raise _BadLine(Problem("input.invalid_json", None, {"detail": detail})) from None
    if not isinstance(request, dict):
        raise _BadLine(Problem("input.invalid_field", "text", _detail("text", "missing")))
    text = request.get("text")
    if not isinstance(text, str):
        raise _BadLine(Problem("input.invalid_field", "text", _detail("text", "not a string")))
    tables = {"locking": locking, "single": single}
    for name in tables:
        if name in request:
            value = request[name]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _BadLine(
                    Problem("input.invalid_field", name, _detail(name, "not a list of strings"))
                )
            tables[name] = value
    try:
        return segment(text, locking=tables["locking"], single=tables["single"]).to_dict()
    except UnknownLanguageTable as error:
        raise _BadLine(
            Problem("input.unknown_language_table", error.kind, {"language": error.language})
        ) from None


def _detail(field: str, detail: str) -> dict[str, str]:
    return {"field": field, "detail": detail}


def _print_count(text: str, locking: Sequence[str], single: Sequence[str], as_json: bool) -> None:
    message = segment(text, locking=locking, single=single)
    suggestion = suggest(message, locking=locking, single=single)
    if as_json:
        answer = message.to_dict()
        answer["suggestion"] = suggestion.to_dict() if suggestion else None
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        print(message.counter)


def _interactive(locking: Sequence[str], single: Sequence[str]) -> None:
    print("Type a text and press Enter to see how it is sent (Ctrl-D to end).", file=sys.stderr)
    for line in sys.stdin:
        text = line.rstrip("\n")
        message = segment(text, locking=locking, single=single)
        print(message.counter)
        for number, part in enumerate(message.parts, start=1):
            print(f"  part {number}: {part.units}/{part.capacity} {part.text!r}")
        if message.forcing_chars:
            print(f"  UCS2 because of: {' '.join(message.forcing_chars)}")
        suggestion = suggest(message, locking=locking, single=single)
        if suggestion:
            print(
                f"  replace {suggestion.characters_replaced} characters: "
                f"{suggestion.segments_after} segments instead of {suggestion.segments_before}"
            )


def _tables(values: Iterable[str] | None) -> list[str]:
    return [code.strip() for value in values or () for code in value.split(",") if code.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m smscompose", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    count = commands.add_parser("count", help="count segments the way they are sent and billed")
    count.add_argument("text", nargs="?", help="the text (omit to read lines interactively)")
    count.add_argument("--jsonl", action="store_true", help="JSON lines on stdin and stdout")
    count.add_argument("--json", action="store_true", help="print the full result as JSON")
    count.add_argument(
        "--locking", action="append", help="enabled locking shift languages, e.g. tr,pt"
    )
    count.add_argument("--single", action="append", help="enabled single shift languages")
    return parser
