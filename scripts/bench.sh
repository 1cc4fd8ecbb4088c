#!/usr/bin/env bash
# Benchmarks the segment counter: smscompose against Twilio's sms-segments-calculator over a
# seeded corpus (whole processes, best of 3), their agreement line by line, and one segment()
# call inside Pyodide (bench/run.py), then the relay's accept rate on SQLite and PostgreSQL
# against Kannel's sendsms (bench/relay.py), 200 agents sending and following their status for a
# minute (bench/agents.py), then the panel in headless Chromium: boot to ready, bytes on the
# wire per asset (beside a second relay's with --baseline URL), main-thread blocking, keystroke
# to painted counter (bench/widget.mjs). Prints Markdown tables, also under bench/results/.
#
# Usage: scripts/bench.sh [--only TABLE] [options]
#   without --only: every table; the options go to bench/run.py (e.g. --runs 5 or --no-pyodide)
#   --only TABLE:   just that table (segmenter, relay, agents or widget); the options go to its
#                   script, e.g. make bench BENCH_ARGS="--only widget --runs 9 --baseline URL"
set -euo pipefail
cd "$(dirname "$0")/.."

only=""
if [ "${1:-}" = "--only" ]; then
  only=${2:?--only needs a table: segmenter, relay, agents or widget}
  shift 2
fi
case "$only" in
  "" | segmenter | relay | agents | widget) ;;
  *) echo "bench: no table '$only' (segmenter, relay, agents, widget)" >&2; exit 2 ;;
esac

segmenter() {
  # The corpus is regenerated only when its generator changed (same seed, same file).
  if [ ! -f bench/results/corpus.jsonl ] || [ bench/make_corpus.py -nt bench/results/corpus.jsonl ]; then
    .venv/bin/python bench/make_corpus.py
  fi
  .venv/bin/python bench/run.py "$@"
}

case "$only" in
  segmenter) segmenter "$@"; exit ;;
  relay) exec .venv/bin/python bench/relay.py "$@" ;;
  agents) exec .venv/bin/python bench/agents.py "$@" ;;
  widget) exec node bench/widget.mjs "$@" ;;
esac

segmenter "$@"
echo
# Each table is printed even when the one before it missed its target.
status=0
.venv/bin/python bench/relay.py || status=$?
echo
.venv/bin/python bench/agents.py || status=$?
echo
node bench/widget.mjs || status=$?
exit $status
