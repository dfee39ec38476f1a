#!/usr/bin/env bash
# Set everything up (Python packages, chromium, fonts, poppler) and run the whole test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh -k board -x
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
bash scripts/audit.sh
exec .venv/bin/python -m pytest "$@"
