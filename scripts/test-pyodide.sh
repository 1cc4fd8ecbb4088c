#!/usr/bin/env bash
# Runs the core test suite (tests/unit/core) inside Pyodide under Node, entirely from local files.
#
# 1. builds the smscompose wheel from a clean copy of the work tree into .cache/pyodide-build/,
#    and the time-zone data the panel adds when it needs it (scripts/build-zone-data.py),
# 2. downloads (once; skipped while the pinned set is unchanged) the pure-Python wheels the suite
#    needs in Pyodide's Python into .cache/pyodide-wheels/,
# 3. runs tests/pyodide/run_core_suite.mjs, which exits with pytest's exit code.
#
# Usage: scripts/test-pyodide.sh [--prepare-only] [PYTEST_ARGS...]
#   --prepare-only   only steps 1 and 2 (bench/run.py uses it before timing Pyodide)
#   PYTEST_ARGS      passed on to pytest, e.g. -k segment -x
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
WHEELS=.cache/pyodide-wheels
BUILD=.cache/pyodide-build

# What the suite imports in Pyodide, pinned so every machine tests with the same set. Pure wheels
# only (py3-none-any), so they do not depend on Pyodide's binary ABI. phonenumberslite is what
# the browser ships: the phonenumbers API without the geocoding/carrier data. hypothesis 6.155.7
# is its last pure release; later releases ship compiled wheels only (there are Pyodide-ABI
# builds, cp314-pyemscripten_2026_0_wasm32, should the pin ever need to move past it).
REQUIREMENTS=(
  phonenumberslite==9.0.42
  pytest==9.2.0 pluggy==1.7.0 iniconfig==2.3.1 packaging==26.3 pygments==2.21.0
  hypothesis==6.155.7 sortedcontainers==2.4.0
)

prepare_only=false
if [ "${1:-}" = "--prepare-only" ]; then
  prepare_only=true
  shift
fi

# The Python version of the Pyodide in node_modules (e.g. 3.14), for pip's tag matching.
pyodide_python=$(node -e '
  const lock = require("./node_modules/pyodide/pyodide-lock.json");
  console.log(lock.info.python.split(".").slice(0, 2).join("."));')

# 1. The smscompose wheel, and the time-zone data the panel adds when it needs a customer's zone.
scripts/build-core-wheel.sh "$BUILD"
"$PY" scripts/build-zone-data.py "$BUILD/zone-data.zip"
echo "[test-pyodide] built $(ls "$BUILD")"

# 2. The dependencies, downloaded once. The stamp records what was asked for; a change re-downloads.
stamp="python ${pyodide_python}: ${REQUIREMENTS[*]}"
if [ "$(cat "$WHEELS/.requirements" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$WHEELS" && mkdir -p "$WHEELS"
  "$PY" -m pip download --quiet --dest "$WHEELS" \
    --only-binary=:all: --python-version "$pyodide_python" \
    --implementation py --abi none --platform any \
    "${REQUIREMENTS[@]}" 2> >(grep -v -e "^WARNING: Location" >&2)
  echo "$stamp" > "$WHEELS/.requirements"
fi
echo "[test-pyodide] using $(cd "$WHEELS" && echo *.whl)"

if [ "$prepare_only" = true ]; then
  exit 0
fi

# 3. The suite.
exec node tests/pyodide/run_core_suite.mjs --wheels "$WHEELS" --wheels "$BUILD" --zones "$BUILD/zone-data.zip" -- "$@"
