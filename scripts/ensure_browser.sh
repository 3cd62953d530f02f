#!/usr/bin/env bash
# Browser tests drive Debian's Chromium with the Noto CJK fonts (without them Chinese renders as
# boxes). Install them when missing and we may (root with apt-get); otherwise say how.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} for the browser tests…"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Browser tests need: ${need[*]} (e.g. sudo apt-get install ${need[*]}); they will be skipped." >&2
fi
exit 0
