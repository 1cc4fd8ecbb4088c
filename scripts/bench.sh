#!/usr/bin/env bash
# Benchmarks the segment counter: smscompose against Twilio's sms-segments-calculator over a
# seeded corpus (whole processes, best of 3), their agreement line by line, and one segment()
# call inside Pyodide (bench/run.py), then the relay's accept rate on SQLite (one process and
# one worker per core) and PostgreSQL against Jasmin, Kannel and the floor (bench/relay.py),
# 200 agents sending and following their status for a minute, then 2,000 agents with their
# event streams open while 200 of them send (bench/agents.py; once more with the dispatcher in a
# process of its own), then the panel in headless
# Chromium: boot to ready, bytes on the wire per asset (beside a second relay's with --baseline
# URL), main-thread blocking, keystroke to painted counter (bench/widget.mjs). Prints Markdown
# tables, also under bench/results/.
#
# Usage: scripts/bench.sh [--only segments,relay,agents,widget] [options]
#   the options go to bench/run.py, or with --only widget alone to bench/widget.mjs:
#   make bench BENCH_ARGS="--only relay,agents"    # only the relay's tables
#   make bench BENCH_ARGS="--only widget --runs 9 --baseline URL"
set -euo pipefail
cd "$(dirname "$0")/.."

only="segments,relay,agents,widget"
if [ "${1:-}" = "--only" ]; then
  only="$2"
  shift 2
fi
wanted() { [[ ",$only," == *",$1,"* ]]; }

# Each table is printed even when the one before it missed its target.
status=0
if wanted segments; then
  # The corpus is regenerated only when its generator changed (same seed, same file).
  if [ ! -f bench/results/corpus.jsonl ] || [ bench/make_corpus.py -nt bench/results/corpus.jsonl ]; then
    .venv/bin/python bench/make_corpus.py
  fi
  if [ "$only" = widget ]; then :; else .venv/bin/python bench/run.py "$@" || status=$?; fi
  echo
fi
if wanted relay; then
  # Jasmin's broker and store (Debian's RabbitMQ and Redis); Jasmin itself gets its own
  # virtual environment under .cache/bench (bench/jasmin.py).
  scripts/install-debian-packages.sh --bench
  .venv/bin/python bench/relay.py || status=$?
  echo
fi
if wanted agents; then
  .venv/bin/python bench/agents.py || status=$?
  echo
  .venv/bin/python bench/agents.py --agents 2000 --senders 200 || status=$?
  echo
  .venv/bin/python bench/agents.py --agents 2000 --senders 200 --dispatch-process || status=$?
  echo
fi
if wanted widget; then
  if [ "$only" = widget ]; then node bench/widget.mjs "$@" || status=$?; else node bench/widget.mjs || status=$?; fi
fi
exit $status
