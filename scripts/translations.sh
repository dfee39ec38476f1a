#!/usr/bin/env bash
# The interface's translation catalogs (translations/<language>/LC_MESSAGES/messages.po).
#   scripts/translations.sh update      collect the strings of the code and templates, then
#                                       add the new ones to every catalog (to translate; the
#                                       English catalog is filled in: English is the source)
#   scripts/translations.sh init ur     start a catalog for a new language (here Urdu)
#   scripts/translations.sh compile     build the .mo files the app reads (setup does this)
#   scripts/translations.sh extract F   only collect the strings, into the template F (tests)
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=.venv/bin/pybabel
sources=(ponte workshops sessions prototypes publications privacy templates static/js)

extract() {
  "$pybabel" -q extract -F babel.cfg -k t -k _l --sort-by-file --no-wrap \
    --project Ponte --copyright-holder "Ponte" -o "${1:-translations/messages.pot}" "${sources[@]}"
}

case "${1:-}" in
  update)
    extract
    "$pybabel" -q update --no-wrap --ignore-obsolete -i translations/messages.pot -d translations
    .venv/bin/python scripts/english_catalog.py translations/en/LC_MESSAGES/messages.po
    ;;
  init)
    [ -n "${2:-}" ] || { echo "usage: $0 init <language code>" >&2; exit 2; }
    extract
    "$pybabel" -q init -i translations/messages.pot -d translations -l "$2"
    ;;
  compile)
    "$pybabel" -q compile -d translations
    ;;
  extract)
    [ -n "${2:-}" ] || { echo "usage: $0 extract <file.pot>" >&2; exit 2; }
    extract "$2"
    ;;
  *)
    sed -n '2,8p' "$0" >&2
    exit 2
    ;;
esac
