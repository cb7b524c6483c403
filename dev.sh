#!/usr/bin/env bash
# Lanzarote for Kids: set up what is needed, then do the chore.
#   bash dev.sh serve   install the site's requirements, then serve with live reload
#   bash dev.sh build   install the site's requirements, then build into site/
#   bash dev.sh test    install everything the tests need (incl. Debian's chromium), run all tests
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

ensure_chromium() {  # browser tests drive Debian's chromium; browser downloads are blocked
  if ! command -v chromium >/dev/null 2>&1; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

export NO_MKDOCS_2_WARNING=1
command=${1:-}
shift || true
case "$command" in
  serve) ensure_python requirements.txt; exec "$PY" scripts/site.py serve "$@" ;;
  build) ensure_python requirements.txt; exec "$PY" scripts/site.py build "$@" ;;
  test)
    ensure_python requirements-test.txt
    ensure_chromium
    set +e
    "$PY" -m pytest "$@"
    rc=$?
    [ "$rc" -eq 5 ] && { echo "pytest collected no tests"; rc=0; }   # exit 5 = no tests collected
    exit "$rc" ;;
  *) sed -n '2,6p' "$0"; exit 2 ;;
esac
