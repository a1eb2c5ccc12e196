#!/usr/bin/env bash
# Installs what the browser and office-file tests need, from Debian's and
# npm's registries: Chromium, CJK fonts, LibreOffice (to open our .xlsx/.docx),
# and playwright-core. Safe to run again; skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v libreoffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d e2e/node_modules/playwright-core ]; then
  (cd e2e && npm ci --no-audit --no-fund)
fi
