"""Benchmark smscompose's counter against Twilio's sms-segments-calculator, and time it in Pyodide.

What it measures, and why:

* Throughput of whole processes over the same corpus (bench/results/corpus.jsonl): ours is
  ``python -m smscompose count --jsonl``, Twilio's is ``node bench/twilio_count.mjs``. Whole
  processes, start-up included, because that is how QA scripts and the relay's batch jobs call
  them. Best of N wall-clock runs each, interleaved so both see the same machine load.
* Agreement: the two answers compared line by line on encoding and segment count. They differ
  where they deliberately do (we never split an escape pair or grapheme cluster across parts and
  count an empty text as 0 segments; Twilio's grapheme rules and "auto" encoding have their own
  views); a few examples are listed with a guessed reason.
* The browser figure: one ``segment()`` call on a 1,600-character draft inside Pyodide under
  Node (bench/pyodide_segment.mjs), i.e. the counter update per keystroke. The wheels are
  (re)built first with ``scripts/test-pyodide.sh --prepare-only``, so the figure is for the
  code in the work tree, as is ours (run with PYTHONPATH=widget/py).

Prints a Markdown table and writes it to bench/results/latest.md.
Usage: .venv/bin/python bench/run.py [--runs N] [--ours-cmd CMD] [--no-pyodide]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
import unicodedata
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET_RATIO = 10.0
TARGET_PYODIDE_MS = 0.5
ESCAPED = set("{}[]~|^€\\\f")


def timed_run(cmd: list[str], corpus: Path, out: Path) -> float:
    """Wall-clock seconds of one whole process reading the corpus on stdin."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "widget" / "py")}
    with corpus.open("rb") as stdin, out.open("wb") as stdout:
        start = time.perf_counter()
        subprocess.run(cmd, stdin=stdin, stdout=stdout, check=True, cwd=ROOT, env=env)
        return time.perf_counter() - start


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def describe(cluster: str) -> str:
    names = []
    for char in cluster:
        try:
            names.append(unicodedata.name(char))
        except ValueError:
            names.append(f"U+{ord(char):04X}")
    return " + ".join(names)


def guess_reason(text: str, ours: dict, twilio: dict) -> tuple[str, str]:
    """(kind, one-line guess) for why the answers differ; ``twilio`` has parts and non_gsm."""
    if "error" in ours:
        return "our error", json.dumps(ours["error"], ensure_ascii=False)
    if text == "":
        return "empty text", "we count 0 segments, Twilio always starts with 1"
    if ours["encoding"] != twilio["encoding"]:
        if ours["encoding"] == "UCS2":
            forcing = "".join(ours.get("forcing_chars", []))
            return "we need UCS-2", f"{forcing!r} is outside our GSM alphabet, not Twilio's"
        odd = [g for g in twilio.get("non_gsm", []) if len(g) > 1] or twilio.get("non_gsm", [])
        return "Twilio needs UCS-2", f"Twilio calls {odd[:3]!r} non-GSM"
    if ours["units"] != twilio["units"]:
        return "unit count", f"{ours['units']} vs {twilio['units']} units"
    cut = 0
    for number, (mine, theirs) in enumerate(zip(ours["parts"], twilio["parts"]), start=1):  # noqa: B905
        if mine != theirs:
            ours_cut, twilio_cut = cut + len(mine), cut + len(theirs)
            lo, hi = sorted((ours_cut, twilio_cut))
            who = "we cut earlier" if ours_cut < twilio_cut else "Twilio cuts earlier"
            if set(text[lo:hi]) & ESCAPED:
                return "cut at an escape pair", f"part {number}: {who}, at {text[lo:hi]!r}"
            around = text[max(0, lo - 1) : hi + 1]
            return (
                "cut at a grapheme cluster",
                f"part {number}: {who}, around {around!r} ({describe(around)}): the two "
                "grapheme segmentations differ (Twilio uses grapheme-splitter 1.0.4)",
            )
        cut += len(mine)
    return "other", "same parts, different counts"


def compare(ours: list[dict], twilio: list[dict]) -> tuple[dict, list[int]]:
    """How many lines agree on encoding, on segments, on both; and which lines do not."""
    agree = {"encoding": 0, "segments": 0, "both": 0}
    differing = []
    for i, (mine, theirs) in enumerate(zip(ours, twilio, strict=True)):
        same_encoding = mine.get("encoding") == theirs["encoding"]
        same_segments = mine.get("segments") == theirs["segments"]
        agree["encoding"] += same_encoding
        agree["segments"] += same_segments
        agree["both"] += same_encoding and same_segments
        if not (same_encoding and same_segments):
            differing.append(i)
    return agree, differing


def explain(texts: list[str], ours: list[dict], differing: list[int]) -> tuple[dict, list[str]]:
    """Reasons for every disagreement (Twilio re-run with --parts on just those lines)."""
    if not differing:
        return {}, []
    lines = "".join(json.dumps({"text": texts[i]}) + "\n" for i in differing)
    out = subprocess.run(
        ["node", "bench/twilio_count.mjs", "--parts"],
        input=lines.encode("utf-8"),
        capture_output=True,
        check=True,
        cwd=ROOT,
    ).stdout
    detailed = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    by_kind: dict[str, list[str]] = {}
    for i, theirs in zip(differing, detailed, strict=True):
        kind, detail = guess_reason(texts[i], ours[i], theirs)
        by_kind.setdefault(kind, []).append(
            f"{kind} — line {i + 1} ({len(texts[i])} chars): ours {ours[i].get('encoding')} "
            f"{ours[i].get('segments')}, Twilio {theirs['encoding']} {theirs['segments']}; {detail}"
        )
    # Up to 5 examples, taken from the kinds in turn so every kind is shown.
    examples = [e for group in zip_longest(*by_kind.values()) for e in group if e][:5]
    return {kind: len(group) for kind, group in by_kind.items()}, examples


def pyodide_figures() -> dict:
    prepare = subprocess.run(
        ["scripts/test-pyodide.sh", "--prepare-only"], cwd=ROOT, capture_output=True, text=True
    )
    if prepare.returncode != 0:
        raise SystemExit(f"preparing the Pyodide wheels failed:\n{prepare.stderr}")
    out = subprocess.run(
        ["node", "bench/pyodide_segment.mjs"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def table(r: dict) -> str:
    n, chars, runs = r["messages"], r["characters"], r["runs"]
    ours_s, twilio_s = r["ours_s"], r["twilio_s"]
    ratio = twilio_s / ours_s
    ok = "✅ pass" if ratio >= TARGET_RATIO else "❌ fail"
    rows = [
        "| Measure | smscompose | Twilio | Target | Result |",
        "|---|---:|---:|---|---|",
        f"| Whole process, best of {runs} ({n:,} messages) | {ours_s:.2f} s | {twilio_s:.2f} s "
        "| | |",
        f"| Messages/s | {fmt_rate(n / ours_s)} | {fmt_rate(n / twilio_s)} | | |",
        f"| Characters/s | {fmt_rate(chars / ours_s)} | {fmt_rate(chars / twilio_s)} | | |",
        f"| Throughput ours / Twilio | **{ratio:.1f}×** | 1× | ≥ 10× Twilio | {ok} |",
    ]
    for what, count in r["agree"].items():
        rows.append(
            f"| Same {'encoding and segments' if what == 'both' else what} "
            f"| {count:,} / {n:,} ({100 * count / n:.1f} %) | | (info) | |"
        )
    for case in r.get("pyodide", {}).get("results", []):
        ok = "✅ pass" if case["median_ms"] <= TARGET_PYODIDE_MS else "❌ fail"
        tables = " with locking/single tr" if case["tables"] else ""
        rows.append(
            f"| Pyodide `segment()`, {case['chars']:,}-char {case['name']}{tables} "
            f"({case['encoding']}, {case['segments']} segments): median per call "
            f"| **{case['median_ms']:.3f} ms** (p95 {case['p95_ms']:.3f}) | | "
            f"≤ 0.5 ms per 1,600-char count | {ok} |"
        )
    lines = ["# smscompose benchmark", "", *rows, ""]
    if r["disagreements"]:
        kinds = sorted(r["disagreements"].items(), key=lambda item: -item[1])
        lines.append("Disagreements by guessed reason: " + "; ".join(f"{k} ×{n}" for k, n in kinds))
        lines += ["", "Examples:", ""] + [f"- {example}" for example in r["examples"]] + [""]
    lines.append(r["environment"])
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=RESULTS / "corpus.jsonl")
    parser.add_argument(
        "--ours-cmd",
        default=f"{shlex.quote(sys.executable)} -m smscompose count --jsonl",
        help="the command under test (default: this Python's smscompose)",
    )
    parser.add_argument("--no-pyodide", action="store_true", help="skip the Pyodide figure")
    args = parser.parse_args()

    texts = [json.loads(line)["text"] for line in args.corpus.read_text("utf-8").splitlines()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    commands = {"ours": shlex.split(args.ours_cmd), "twilio": ["node", "bench/twilio_count.mjs"]}
    times: dict[str, list[float]] = {"ours": [], "twilio": []}
    digests: dict[str, set[str]] = {"ours": set(), "twilio": set()}
    for run in range(args.runs):
        for name in ("twilio", "ours"):  # interleaved
            out = RESULTS / f"{name}.jsonl"
            times[name].append(timed_run(commands[name], args.corpus, out))
            digests[name].add(hashlib.sha256(out.read_bytes()).hexdigest())
            print(f"run {run + 1}/{args.runs} {name}: {times[name][-1]:.2f} s", file=sys.stderr)
    for name, seen in digests.items():
        if len(seen) != 1:
            raise SystemExit(f"{name} gave different answers on different runs")

    ours, twilio = read_jsonl(RESULTS / "ours.jsonl"), read_jsonl(RESULTS / "twilio.jsonl")
    agree, differing = compare(ours, twilio)
    disagreements, examples = explain(texts, ours, differing)
    result = {
        "messages": len(texts),
        "characters": sum(map(len, texts)),
        "runs": args.runs,
        "ours_s": min(times["ours"]),
        "twilio_s": min(times["twilio"]),
        "ours_median_s": statistics.median(times["ours"]),
        "twilio_median_s": statistics.median(times["twilio"]),
        "agree": agree,
        "disagreements": disagreements,
        "examples": examples,
    }
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    env = f"CPython {platform.python_version()}, Node {node}"
    if not args.no_pyodide:
        result["pyodide"] = pyodide_figures()
        pyo = result["pyodide"]
        env += f", Pyodide {pyo['pyodide']} (Python {pyo['python']}, {pyo['fetches']} fetches)"
    corpus_sha = hashlib.sha256(args.corpus.read_bytes()).hexdigest()[:12]
    result["environment"] = (
        f"_{env}; {platform.machine()} {os.cpu_count()} CPUs; corpus {args.corpus.name} "
        f"sha256 {corpus_sha}…; {time.strftime('%Y-%m-%d %H:%M %Z')}._"
    )
    markdown = table(result)
    (RESULTS / "latest.md").write_text(markdown, encoding="utf-8")
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(markdown)


if __name__ == "__main__":
    main()
