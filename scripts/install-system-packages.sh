#!/usr/bin/env bash
# System packages the test suite needs, from Debian's package sources, installed only when missing:
# Chromium (browser tests, driven by Playwright with executablePath /usr/bin/chromium) and PostgreSQL
# (the feedback store's PostgreSQL tests start a throwaway server with its binaries).
# Java 17 and Maven (HAPI FHIR end-to-end tests) come with the machine.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing ${need[*]} (Debian packages)"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
