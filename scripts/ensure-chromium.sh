# Sourced by scripts/test.sh: the browser tests drive Debian's Chromium through Playwright
# (Playwright's own browser download is not used). Installs chromium and the Noto CJK fonts from the
# Debian packages when they are missing, and exports TANFENG_TEST_CHROMIUM.

_chromium="${TANFENG_TEST_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$_chromium" ] || [ -z "$(fc-list 2>/dev/null | grep -i 'Noto Sans CJK')" ]; then
  echo "test: installing chromium and fonts-noto-cjk from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
[ -x "$_chromium" ] || { echo "test: no Chromium at $_chromium" >&2; exit 1; }
export TANFENG_TEST_CHROMIUM="$_chromium"
echo "test: Chromium ready ($("$_chromium" --version 2>/dev/null | head -n 1))"
