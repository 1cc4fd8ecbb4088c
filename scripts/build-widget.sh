#!/usr/bin/env bash
# Assembles everything the browser panel loads besides its own source (widget/static/) into
# build/widget/: Pyodide, the smscompose and phonenumberslite wheels, the worker's memory
# snapshot (made in Node, scripts/make-snapshot.mjs), the emoji picker and its data, the
# time-zone data loaded only when a customer's local time is needed (scripts/build-zone-data.py),
# and manifest.json naming them. The relay serves both folders under /widget/; nothing comes from a
# CDN. Quick when nothing changed, so bootstrap runs it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
OUT=build/widget
WHEELS=.cache/widget-wheels
CACHE=.cache/widget-build
# The browser ships the phonenumbers API without geocoding/carrier data; pinned like the tests.
PHONENUMBERS=phonenumberslite==9.0.42

# The shell's own size budget first: quick, and a shell over budget is not worth assembling.
node scripts/check-widget-budget.mjs --quiet

stamp=$OUT/.built
# Bytecode is no source: Python writes widget/py's __pycache__ whenever the tests import the core.
if [ -f "$stamp" ] && [ -z "$(find widget/py widget/static/python-core.mjs scripts/build-widget.sh scripts/build-widget.mjs \
  scripts/build-pyscript.mjs scripts/make-snapshot.mjs scripts/precompress.mjs scripts/build-zone-data.py \
  package-lock.json pyproject.toml -newer "$stamp" -type f -not -path '*/__pycache__/*' -print -quit)" ]; then
  exit 0
fi

# Fixed zip timestamps make the wheel, and with it its hashed name and the memory snapshot's,
# depend on the sources only: a rebuild of unchanged sources reuses both (here and in browsers).
SOURCE_DATE_EPOCH=315532800 scripts/build-core-wheel.sh "$WHEELS"
pyodide_python=$(node -e '
  const lock = require("./node_modules/pyodide/pyodide-lock.json");
  console.log(lock.info.python.split(".").slice(0, 2).join("."));')
if ! ls "$WHEELS"/phonenumberslite-*.whl >/dev/null 2>&1; then
  "$PY" -m pip download --quiet --no-deps --dest "$WHEELS" \
    --only-binary=:all: --python-version "$pyodide_python" \
    --implementation py --abi none --platform any "$PHONENUMBERS" \
    2> >(grep -v -e "^WARNING: Location" >&2)
fi
# Not a wheel: the worker puts it on sys.path only when a view first needs a customer's zone.
"$PY" scripts/build-zone-data.py "$CACHE/zone-data.zip"
node scripts/build-widget.mjs --wheels "$WHEELS" --zones "$CACHE/zone-data.zip" --out "$OUT" --cache "$CACHE"
node scripts/build-pyscript.mjs --out "$OUT"
touch "$stamp"
echo "[build-widget] $OUT ready"
