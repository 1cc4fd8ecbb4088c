#!/usr/bin/env bash
# Benchmarks the segment counter: smscompose against Twilio's sms-segments-calculator over a
# seeded corpus (whole processes, best of 3), their agreement line by line, and one segment()
# call inside Pyodide. Prints a Markdown table, also written to bench/results/latest.md.
#
# Usage: scripts/bench.sh [bench/run.py options, e.g. --runs 5 or --no-pyodide]
set -euo pipefail
cd "$(dirname "$0")/.."

# The corpus is regenerated only when its generator changed (same seed, same file).
if [ ! -f bench/results/corpus.jsonl ] || [ bench/make_corpus.py -nt bench/results/corpus.jsonl ]; then
  .venv/bin/python bench/make_corpus.py
fi
exec .venv/bin/python bench/run.py "$@"
