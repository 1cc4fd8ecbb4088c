#!/usr/bin/env bash
# Builds what the project releases into DIR (default dist/), as a QA team or a CRM vendor gets it:
#   smscompose-*.whl         the compose core alone (phonenumbers is its only dependency)
#   sms_panel-*.whl          the relay, with the panel's browser files (widget/static and
#                            build/widget) in smsrelay/panel-assets, so an installed relay
#                            serves /widget/ without the source tree
#   sms_panel_testing-*.whl  the QA kit: page objects, the pytest plugin (entry point pytest11)
#   sms-panel-*.tgz          the npm package (npm pack): the element and the JS page object
# Each wheel is built from a copy of the tracked and untracked-but-not-ignored files, so stale
# build/ folders cannot slip in; a setuptools warning fails the build.
#
# Usage: scripts/build-dist.sh [DIR]    (needs `make bootstrap`: .venv and build/widget)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mkdir -p "${1:-dist}" && cd "${1:-dist}" && pwd)
PY=.venv/bin/python

if [ ! -f build/widget/manifest.json ]; then
  echo "build-dist: build/widget is missing: run make bootstrap first" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# stage NAME PATH…: a clean copy of the given paths under $work/NAME
stage() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  git ls-files -z --cached --others --exclude-standard -- "$@" |
    while IFS= read -r -d '' f; do if [ -f "$f" ]; then printf '%s\0' "$f"; fi; done |
    tar --null -T - -cf - | tar -xf - -C "$work/$name"
}

# wheel NAME PROJECT: builds the wheel of $work/NAME/PROJECT into $out, failing on warnings.
wheel() {
  local name=$1 project=$2 log="$work/$1.log"
  # No isolated build environment: the dev extra brings setuptools (as [build-system] wants).
  if ! "$PY" -m pip wheel --no-deps --no-build-isolation -v -w "$work/$name.dist" \
    "$work/$name/$project" > "$log" 2>&1; then
    cat "$log" >&2
    exit 1
  fi
  # Python warnings (SetuptoolsDeprecationWarning: …, "Package would be ignored"); distutils'
  # "warning: byte-compiling is disabled" is pip's doing, not the project's.
  if grep -E "[A-Za-z]Warning:|Package would be ignored" "$log" >&2; then
    echo "build-dist: setuptools warned while building $name (above)" >&2
    exit 1
  fi
  mv "$work/$name.dist"/*.whl "$out"/
}

rm -f "$out"/smscompose-*.whl "$out"/sms_panel-*.whl "$out"/sms_panel_testing-*.whl "$out"/sms-panel-*.tgz

stage core widget/py
wheel core widget/py

stage relay pyproject.toml README.md server
assets="$work/relay/server/smsrelay/panel-assets"
mkdir -p "$assets"
cp -R widget/static/. "$assets"/
cp -R build/widget/. "$assets"/
rm -f "$assets"/.built
wheel relay .

stage testing widget/testing/py
wheel testing widget/testing/py

npm pack --silent --pack-destination "$out" > /dev/null

"$PY" - "$out" <<'PYEOF'
import sys, zipfile
from pathlib import Path

out = Path(sys.argv[1])
expected = {
    "smscompose-": ({"smscompose"}, ["smscompose/segmenter.py"]),
    "sms_panel-": ({"smsrelay"}, ["smsrelay/panel-assets/sms-panel.js", "smsrelay/panel-assets/manifest.json", "smsrelay/demo.toml"]),
    "sms_panel_testing-": ({"smspanel_testing"}, ["smspanel_testing/plugin.py", "smspanel_testing/py.typed"]),
}
for prefix, (tops, files) in expected.items():
    (wheel,) = out.glob(f"{prefix}[0-9]*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    found = {n.split("/")[0] for n in names if ".dist-info/" not in n}
    if found != tops:
        sys.exit(f"{wheel.name}: expected the packages {sorted(tops)}, found {sorted(found)}")
    missing = [f for f in files if f not in names]
    if missing:
        sys.exit(f"{wheel.name}: missing {missing}")
    print(f"[build-dist] {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB, {len(names)} files")
(tarball,) = out.glob("sms-panel-*.tgz")
print(f"[build-dist] {tarball.name}: {tarball.stat().st_size / 1e3:.0f} kB")
PYEOF
