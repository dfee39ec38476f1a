#!/usr/bin/env bash
# Set everything up (Python packages, chromium, fonts, poppler, PostgreSQL, Redis, nginx) and
# run the whole test suite: every test on SQLite, then the domain tests again on PostgreSQL.
# Extra arguments go to pytest and run on SQLite only, e.g. scripts/test.sh -k board -x
# (PONTE_TEST_DATABASE=postgresql scripts/test.sh tests/sessions runs those on PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
bash scripts/audit.sh
if [ "$#" -gt 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi
.venv/bin/python -m pytest
echo "==> The domain tests again, on PostgreSQL (a private server started by the tests)" >&2
PONTE_TEST_DATABASE=postgresql exec .venv/bin/python -m pytest -p no:cacheprovider \
  tests/sessions tests/workshops tests/prototypes tests/privacy tests/publications \
  tests/test_vote_race.py tests/test_cli.py tests/test_route_permissions.py
