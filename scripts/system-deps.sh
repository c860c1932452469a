#!/usr/bin/env bash
# Installs the Debian packages the tests, benchmarks and examples use (mosquitto, chromium, age, flac, wavpack)
# when they are missing and we may install them (root, or passwordless sudo). Prints what it did; never fails
# the caller: tests that need a missing program report it themselves.
#
#   bash scripts/system-deps.sh              every package above
#   bash scripts/system-deps.sh mosquitto    only those named (the demo needs only the MQTT broker)
set -u
asked=("$@")
[ ${#asked[@]} -eq 0 ] && asked=(mosquitto chromium age flac wavpack)
want=()
for package in "${asked[@]}"; do
  case "$package" in
    mosquitto) command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || want+=(mosquitto) ;;
    *) command -v "$package" >/dev/null 2>&1 || want+=("$package") ;;
  esac
done
[ ${#want[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "[system-deps] missing ${want[*]} and no apt-get here: install them by hand" >&2; exit 0
fi
SUDO=
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO=sudo; else
    echo "[system-deps] missing ${want[*]}: run 'sudo apt-get install ${want[*]}'" >&2; exit 0
  fi
fi
echo "[system-deps] installing ${want[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1
$SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1 || \
  $SUDO apt-get install -y -qq "${want[@]}" >/dev/null 2>&1 || echo "[system-deps] apt-get install failed" >&2
exit 0
