/**
 * Time one smscompose `segment()` call inside Pyodide under Node: the cost of updating the
 * counter on each keystroke in the browser, for a 1,600-character draft (about ten segments).
 *
 * Three drafts: ASCII, text with emoji (skin tones, ZWJ sequences, flags), and Turkish with the
 * Turkish locking and single shift tables enabled. Each timed call gets a different rotation of
 * the draft, so no cache can answer it; after a warm-up every call is timed on its own with
 * time.perf_counter (performance.now underneath), and the whole loop once more from JavaScript.
 * Wheels come from the same local folders as the core suite (scripts/test-pyodide.sh
 * --prepare-only makes them). Prints one JSON object on stdout.
 *
 * Usage: node bench/pyodide_segment.mjs [--calls N] [--wheels PATH]...
 */
import { fetchAttempts, loadOfflinePyodide, DEFAULT_WHEEL_DIRS } from "../tests/pyodide/offline_pyodide.mjs";

const args = process.argv.slice(2);
const option = (name) => args.flatMap((arg, i) => (arg === name ? [args[i + 1]] : []));
const calls = Number(option("--calls")[0] ?? 1000);
const wheelPaths = option("--wheels").length ? option("--wheels") : DEFAULT_WHEEL_DIRS;

const SETUP = `
import json, statistics, time
from smscompose.segmenter import segment

ZWJ, VS16 = "\\u200d", "\\ufe0f"
EMOJI = ["😀", "👍🏽", ZWJ.join("👨👩👧👦"), "🇹🇷", "❤" + VS16, "👩🏿" + ZWJ + "💻", "🎉", "🇩🇪"]
WORDS = "your order has shipped today please confirm the delivery window reply STOP to opt out".split()
TURKISH = "siparişiniz bugün kargoya verildi lütfen teslimat saatini onaylayın çığ ılık İzmir Ağustos şimdi".split()

def draft(pieces, size=1600):
    out, n, i = [], 0, 0
    while n < size:
        piece = (" " if out else "") + pieces[i % len(pieces)]
        i += 1
        if n + len(piece) > size:
            piece = "x" * (size - n)
        out.append(piece)
        n += len(piece)
    return "".join(out)

def mixed():
    return [EMOJI[i % len(EMOJI)] if i % 3 == 2 else WORDS[i % len(WORDS)] for i in range(64)]

CASES = {
    "ascii": (draft(WORDS), {}),
    "emoji": (draft(mixed()), {}),
    "turkish": (draft(TURKISH), {"locking": ["tr"], "single": ["tr"]}),
}

def rotations(text, count):
    return [text[i % len(text):] + text[:i % len(text)] for i in range(count)]

def run_case(name, calls):
    text, tables = CASES[name]
    drafts = rotations(text, calls + 100)
    for t in drafts[calls:]:  # warm-up
        segment(t, **tables)
    times = []
    for t in drafts[:calls]:
        start = time.perf_counter()
        segment(t, **tables)
        times.append(time.perf_counter() - start)
    result = segment(text, **tables)
    times.sort()
    return {
        "name": name, "chars": len(text), "tables": tables, "calls": calls,
        "encoding": str(result.encoding), "segments": result.segments,
        "median_ms": statistics.median(times) * 1e3,
        "p95_ms": times[int(0.95 * (len(times) - 1))] * 1e3,
    }

def loop(name, calls):
    text, tables = CASES[name]
    for t in rotations(text, calls):
        segment(t, **tables)
`;

const { pyodide } = await loadOfflinePyodide({ wheelPaths });
pyodide.runPython(SETUP);
const runCase = pyodide.globals.get("run_case");
const loop = pyodide.globals.get("loop");
const results = [];
for (const name of ["ascii", "emoji", "turkish"]) {
  const result = runCase(name, calls).toJs({ dict_converter: Object.fromEntries });
  // The same calls once more, timed from JavaScript around the whole Python loop.
  const t0 = performance.now();
  loop(name, calls);
  result.js_loop_mean_ms = (performance.now() - t0) / calls;
  results.push(result);
}
const pythonVersion = pyodide.runPython("import sys; sys.version.split()[0]");
process.stdout.write(
  `${JSON.stringify({ pyodide: pyodide.version, python: pythonVersion, node: process.version, fetches: fetchAttempts.length, results })}\n`,
);
