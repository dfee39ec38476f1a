#!/usr/bin/env bash
# The interface's translation catalogs (translations/<language>/LC_MESSAGES/messages.po).
#   scripts/translations.sh update      collect the strings of the code and templates, then
#                                       add the new ones to every catalog (to translate)
#   scripts/translations.sh init ur     start a catalog for a new language (here Urdu)
#   scripts/translations.sh compile     build the .mo files the app reads (setup does this)
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=.venv/bin/pybabel
sources=(ponte workshops sessions prototypes publications templates static/js)

extract() {
  "$pybabel" -q extract -F babel.cfg -k t -k _l --sort-by-file --no-wrap \
    --project Ponte --copyright-holder "Ponte" -o translations/messages.pot "${sources[@]}"
}

case "${1:-}" in
  update)
    extract
    "$pybabel" -q update --no-wrap --ignore-obsolete -i translations/messages.pot -d translations
    ;;
  init)
    [ -n "${2:-}" ] || { echo "usage: $0 init <language code>" >&2; exit 2; }
    extract
    "$pybabel" -q init -i translations/messages.pot -d translations -l "$2"
    ;;
  compile)
    "$pybabel" -q compile -d translations
    ;;
  *)
    sed -n '2,6p' "$0" >&2
    exit 2
    ;;
esac
