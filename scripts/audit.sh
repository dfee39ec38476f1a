#!/usr/bin/env bash
# pip-audit over requirements.lock (the exact versions the tests run with; regenerate it
# with: .venv/bin/pip freeze --exclude-editable > requirements.lock).
# Fails on any known vulnerability. Says so loudly when the vulnerability service cannot be
# reached from this machine (then nothing was audited).
set -euo pipefail
cd "$(dirname "$0")/.."
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
.venv/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip \
  --progress-spinner off --format json --output "$report" >/dev/null 2>&1 || true
.venv/bin/python - "$report" <<'PY'
import json
import sys

try:
    with open(sys.argv[1]) as handle:
        dependencies = json.load(handle)["dependencies"]
except (OSError, ValueError, KeyError):
    sys.exit("pip-audit: no report (see `.venv/bin/pip-audit -r requirements.lock`)")
audited = [d for d in dependencies if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
for d in vulnerable:
    for v in d["vulns"]:
        print(f"pip-audit: {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions', [])) or 'no release yet'})")
if not audited:
    print(f"pip-audit: WARNING: the vulnerability service was unreachable; {len(dependencies)} packages NOT audited")
    sys.exit(0)
print(f"pip-audit: {len(audited)} of {len(dependencies)} packages audited, {len(vulnerable)} with known vulnerabilities")
sys.exit(1 if vulnerable else 0)
PY
