#!/usr/bin/env bash
# Builds the smscompose wheel (widget/py/pyproject.toml) into DIR, replacing any older one there.
# Built from a copy of the tracked and untracked-but-not-ignored files, so setuptools' build/
# directory cannot slip stale modules into it and the tree stays clean.
#
# Usage: scripts/build-core-wheel.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/build-core-wheel.sh DIR}
PY=.venv/bin/python

src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git ls-files -z --cached --others --exclude-standard -- widget/py |
  while IFS= read -r -d '' f; do if [ -f "$f" ]; then printf '%s\0' "$f"; fi; done |
  tar --null -T - -cf - | tar -xf - -C "$src"
mkdir -p "$out"
if ! "$PY" -m pip wheel --no-deps -w "$src/.dist" "$src/widget/py" > "$src/.build.log" 2>&1; then
  cat "$src/.build.log" >&2
  exit 1
fi
"$PY" - "$src"/.dist/*.whl <<'PYEOF'
import sys, zipfile
(wheel,) = sys.argv[1:]
tops = {n.split("/")[0] for n in zipfile.ZipFile(wheel).namelist() if ".dist-info/" not in n}
if tops != {"smscompose"}:
    sys.exit(f"{wheel}: expected only the smscompose package, found {sorted(tops)}")
PYEOF
rm -f "$out"/smscompose-*.whl
mv "$src"/.dist/*.whl "$out"/
