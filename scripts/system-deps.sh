#!/usr/bin/env bash
# Debian packages the test suite needs: chromium (driven by Playwright for the browser tests; never
# `playwright install`), a CJK font, without which Chinese renders as boxes in screenshots and PDFs
# (and the OCR tests have no page to read), and LibreOffice's headless Writer, which reads .doc/.wps
# files (optional for `make run`: without it those files fail with a reason naming the package).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} — run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
