#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks run for real: Kannel (bearerbox, smsbox,
# fakesmsc), PostgreSQL, wrk, and Chromium (with a colour emoji font) for the browser tests;
# with --bench also what only the benchmark needs: RabbitMQ and Redis for Jasmin.
# Does nothing when they are already there, so it is cheap to call every time.
set -euo pipefail

declare -A wanted=(
  [/usr/sbin/bearerbox]=kannel
  [/usr/lib/kannel/test/fakesmsc]=kannel-extras
  [/usr/lib/postgresql/15/bin/postgres]=postgresql
  [/usr/bin/wrk]=wrk
  [/usr/bin/chromium]=chromium
  [/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf]=fonts-noto-color-emoji
)
if [ "${1:-}" = "--bench" ]; then
  wanted[/usr/lib/rabbitmq/bin/rabbitmq-server]=rabbitmq-server
  wanted[/usr/bin/redis-server]=redis-server
fi
missing=()
for path in "${!wanted[@]}"; do
  [ -e "$path" ] || missing+=("${wanted[$path]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "install-debian-packages: need root to install: ${missing[*]}" >&2
  exit 1
fi
echo "[bootstrap] installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: let no package start its own service; the tests start what they need.
policy=/usr/sbin/policy-rc.d
restore_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  restore_policy=true
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ "$restore_policy" = true ]; then "${sudo[@]}" rm -f "$policy"; fi
