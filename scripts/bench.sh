#!/usr/bin/env bash
# Benchmarks the segment counter: smscompose against Twilio's sms-segments-calculator over a
# seeded corpus (whole processes, best of 3), their agreement line by line, and one segment()
# call inside Pyodide (bench/run.py), then the relay's accept rate on SQLite and PostgreSQL
# against Kannel's sendsms (bench/relay.py), 200 agents sending and following their status for a
# minute (bench/agents.py), then the panel in headless Chromium: boot to ready, bytes,
# main-thread blocking, keystroke to painted counter (bench/widget.mjs). Prints Markdown
# tables, also under bench/results/.
#
# Usage: scripts/bench.sh [bench/run.py options, e.g. --runs 5 or --no-pyodide]
set -euo pipefail
cd "$(dirname "$0")/.."

# The corpus is regenerated only when its generator changed (same seed, same file).
if [ ! -f bench/results/corpus.jsonl ] || [ bench/make_corpus.py -nt bench/results/corpus.jsonl ]; then
  .venv/bin/python bench/make_corpus.py
fi
.venv/bin/python bench/run.py "$@"
echo
# Each table is printed even when the one before it missed its target.
status=0
.venv/bin/python bench/relay.py || status=$?
echo
.venv/bin/python bench/agents.py || status=$?
echo
node bench/widget.mjs || status=$?
exit $status
