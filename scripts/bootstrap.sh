#!/usr/bin/env bash
# Installs what the project needs into the work tree: the Python environment in .venv, the
# npm packages and the panel's assets in build/widget. Idempotent and quick when nothing
# changed, so every make target can call it.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ widget/py/pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # Two distributions, both editable: the compose core (smscompose, widget/py) and the relay
  # (sms-panel, which depends on it); given together, pip takes the core from the work tree.
  .venv/bin/python -m pip install --quiet -e ./widget/py -e ".[dev]"
  touch "$stamp"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The panel's browser assets (Pyodide, wheels, emoji data) for the relay to serve.
scripts/build-widget.sh
