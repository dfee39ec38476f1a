"""Fill the English catalog: English is the language the strings are written in.

    .venv/bin/python scripts/english_catalog.py translations/en/LC_MESSAGES/messages.po

Every message gets its own text (msgid) as its translation and loses a "fuzzy" mark, so the
English catalog is always complete; scripts/translations.sh update runs this.
"""

import sys

from babel.messages.pofile import read_po, write_po


def fill(path: str) -> int:
    """Make every msgstr of the catalog at ``path`` its msgid; return how many changed."""
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="en")
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        wanted = message.id
        if message.string != wanted or message.fuzzy:
            message.string = wanted
            message.flags.discard("fuzzy")
            message.previous_id = []
            changed += 1
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=None, ignore_obsolete=True)
    return changed


if __name__ == "__main__":
    for catalog_path in sys.argv[1:]:
        print(f"{catalog_path}: {fill(catalog_path)} filled")
