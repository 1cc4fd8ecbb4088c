#!/usr/bin/env bash
# The release as its users get it: builds the wheels and the npm tarball (scripts/build-dist.sh),
# installs each into a clean environment, and runs the QA team's example suite
# (examples/qa-pytest) from its own virtual environment with only the built wheels installed —
# never the source tree.
#   1. smscompose alone: installs without the relay's dependencies and counts.
#   2. the npm tarball in an empty folder: the JS page object and its contract load.
#   3. sms-panel-testing (+ sms-panel, smscompose): the example suite, in Debian's Chromium.
#   4. the plugin's errors when Chromium or the relay cannot start: said, not a hang or a trace.
#
# Usage: scripts/test-qa-example.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dist=$root/dist
envs=$root/.cache/release-envs
started=$(date +%s)
step() { echo "[release] $(($(date +%s) - started)) s: $*"; }

scripts/build-dist.sh "$dist"
rm -rf "$envs"
mkdir -p "$envs"
# Fresh environments without pip of their own: the work tree's pip installs into them
# (--python), and nothing is byte-compiled ahead (seconds on a busy machine).
new_env() { python3 -m venv --without-pip "$envs/$1"; }
pip_install() {
  "$root/.venv/bin/python" -m pip --python "$1/bin/python" install --quiet --no-compile "${@:2}" \
    2> >(grep -v "^WARNING: Location" >&2)
}

step "smscompose alone"
new_env core
pip_install "$envs/core" "$dist"/smscompose-*.whl
"$envs/core/bin/python" - <<'PYEOF'
import importlib.metadata as metadata
import importlib.util
import sys

installed = {d.metadata["Name"].lower() for d in metadata.distributions()}
relay_only = {"fastapi", "uvicorn", "sqlalchemy", "alembic", "pyjwt", "httpx", "psycopg", "smpplib"}
if installed & relay_only or importlib.util.find_spec("smsrelay"):
    sys.exit(f"smscompose pulled in the relay: {sorted(installed & relay_only)}")
PYEOF
[ "$("$envs/core/bin/smscompose" count -- "Hallo")" = "5 – [GSM_7BIT 1]" ]

step "the npm package in an empty folder"
mkdir -p "$envs/npm"
(cd "$envs/npm" && echo '{"name": "qa-desk", "private": true}' > package.json &&
  npm install --no-audit --no-fund --loglevel=error "$dist"/sms-panel-*.tgz)

step "sms-panel-testing with the relay and the core"
new_env qa
pip_install "$envs/qa" "$dist"/sms_panel_testing-*.whl "$dist"/sms_panel-*.whl "$dist"/smscompose-*.whl
"$envs/qa/bin/python" - "$root" "$envs/npm" <<'PYEOF'
import json
import subprocess
import sys
from pathlib import Path

import smscompose
import smspanel_testing
import smsrelay
from smspanel_testing.contract import contract

root, npm = Path(sys.argv[1]), Path(sys.argv[2])
for module in (smscompose, smsrelay, smspanel_testing):
    where = Path(module.__file__).resolve()
    if where.is_relative_to(root) and not where.is_relative_to(root / ".cache"):
        sys.exit(f"{module.__name__} comes from the source tree: {where}")
if not (Path(smsrelay.__file__).parent / "panel-assets" / "sms-panel.js").is_file():
    sys.exit("the installed relay has no panel assets")
# The JS page object in the npm package reads the same contract as the installed Python kit.
script = 'import("sms-panel/testing").then((m) => console.log(JSON.stringify({TEST_IDS: m.TEST_IDS, LOCATORS: m.LOCATORS, SELECTORS: m.SELECTORS, CHROMIUM_EXECUTABLE: m.CHROMIUM_EXECUTABLE, CHROMIUM_ARGS: m.CHROMIUM_ARGS, SmsPanel: typeof m.SmsPanel})))'
answer = json.loads(subprocess.run(["node", "-e", script], cwd=npm, capture_output=True, text=True, check=True).stdout)
if answer.pop("SmsPanel") != "function" or answer != contract():
    sys.exit("the npm package's page object and the Python kit disagree on the contract")
PYEOF

step "the QA team's example suite (examples/qa-pytest)"
cd examples/qa-pytest
"$envs/qa/bin/python" -m pytest -p no:cacheprovider "$@"

step "the plugin's errors when Chromium or the relay cannot start"
printf '[tenants.x]\nmax_segments = "ten"\n[tenants.x.token_secrets]\nk = "%s"\n' \
  0123456789abcdef0123456789abcdef > "$envs/broken.toml"
# expect_error WANTED OPTION…: one test run with OPTION must fail and print WANTED, no traceback.
expect_error() {
  local wanted=$1
  shift
  if output=$("$envs/qa/bin/python" -m pytest -p no:cacheprovider -q -k delivered "$@" 2>&1); then
    echo "$output" >&2
    echo "[release] the run with $* passed; it should have failed" >&2
    exit 1
  fi
  if ! grep -qF "$wanted" <<<"$output" || grep -q "Traceback\|site-packages\|another exception" <<<"$output"; then
    echo "$output" >&2
    echo "[release] no clear error for $*: wanted \"$wanted\"" >&2
    exit 1
  fi
}
expect_error "Chromium not found at /nonexistent/chromium: install Debian's chromium package" \
  --sms-chromium=/nonexistent/chromium
expect_error "Chromium did not start: /bin/false --headless" --sms-chromium=/bin/false
expect_error "the sms-panel relay did not start: the relay exited with code 2 before it was ready" \
  --sms-relay-config="$envs/broken.toml"
grep -qF "smsrelay: configuration error: tenants.x.max_segments" <<<"$output" || {
  echo "$output" >&2
  echo "[release] the relay's error does not name the key" >&2
  exit 1
}
step "done"
