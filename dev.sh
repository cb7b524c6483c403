#!/usr/bin/env bash
# Lanzarote for Kids: set up what is needed, then do the chore.
#   bash dev.sh serve   install the site's requirements, then serve with live reload
#   bash dev.sh build   install the site's requirements, then build into site/
#   bash dev.sh test    install everything the tests need (incl. Debian's chromium), run all tests
#   bash dev.sh handouts  install WeasyPrint and Debian's Noto fonts, then make printable PDFs
#                         (bash dev.sh handouts --lang en --band 7-10 --country FR; build --handouts too)
#   bash dev.sh bench   install what the tests need, then print the page-weight, build-scaling and
#                       search benchmarks (benchmarks/README.md says what they measure)
# Extra arguments go to the command (e.g. bash dev.sh serve --drafts, bash dev.sh test -k band).
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY="$VENV/bin/python"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_python() {  # $1: requirements file
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV" 2>/dev/null || {
      as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv
      python3 -m venv "$VENV"
    }
  fi
  local stamp="$VENV/.installed-$(basename "$1")" want
  want=$(cat requirements*.txt | sha256sum | cut -c1-64)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$PY" -m pip install --disable-pip-version-check -q -r "$1"
    echo "$want" > "$stamp"
  fi
}

# Debian packages the tests need: chromium for browser tests (browser downloads are blocked),
# nginx for the hosting-config tests (started by the tests on 127.0.0.1 only), linkchecker.
TEST_APT_PACKAGES=(chromium nginx linkchecker)
# Printable handouts: Noto fonts for every planned script (Latin, Cyrillic, Greek, Armenian,
# Georgian, Arabic), fontconfig to find them, Pango for WeasyPrint.
HANDOUT_APT_PACKAGES=(fonts-noto-core fontconfig libpango-1.0-0 libpangoft2-1.0-0)
TEST_APT_PACKAGES+=("${HANDOUT_APT_PACKAGES[@]}")

ensure_apt() {  # install only what is missing
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_npm() {  # test-only npm packages (axe-core), pinned in package-lock.json
  [ -f package-lock.json ] || return 0
  command -v npm >/dev/null 2>&1 || ensure_apt npm
  local stamp=node_modules/.installed-lock want
  want=$(sha256sum package-lock.json | cut -c1-64)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

export NO_MKDOCS_2_WARNING=1
command=${1:-}
shift || true
case "$command" in
  serve) ensure_python requirements.txt; exec "$PY" scripts/site.py serve "$@" ;;
  build)
    if [[ " $* " == *" --handouts "* ]]; then
      ensure_python requirements-handouts.txt; ensure_apt "${HANDOUT_APT_PACKAGES[@]}"
    else
      ensure_python requirements.txt
    fi
    exec "$PY" scripts/site.py build "$@" ;;
  handouts)
    ensure_python requirements-handouts.txt
    ensure_apt "${HANDOUT_APT_PACKAGES[@]}"
    exec "$PY" scripts/site.py handouts "$@" ;;
  test)
    ensure_python requirements-test.txt
    ensure_apt "${TEST_APT_PACKAGES[@]}"
    ensure_npm
    set +e
    "$PY" -m pytest "$@"
    rc=$?
    [ "$rc" -eq 5 ] && { echo "pytest collected no tests"; rc=0; }   # exit 5 = no tests collected
    exit "$rc" ;;
  bench)
    ensure_python requirements-test.txt
    ensure_apt chromium
    for script in weight scaling search; do
      echo "== benchmarks/$script.py"
      "$PY" "benchmarks/$script.py"
      echo
    done ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
