#!/usr/bin/env bash
# Install what Ponte needs on a Debian machine, idempotently:
#   scripts/setup.sh run    Debian fonts + a virtual environment with Ponte
#   scripts/setup.sh test   the same, plus chromium and poppler-utils and the test packages
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

log() { printf '==> %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------
debian_packages=(openssl fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
if [ "$purpose" = "test" ]; then
  # PostgreSQL, Redis and nginx: the tests start private instances of each (tests/servers.py).
  debian_packages+=(chromium poppler-utils postgresql redis-server nginx)
fi
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    log "Missing Debian packages ${missing[*]} and no apt-get here: install them by hand."
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python ----------------------------------------------------------------------------
python=""
for candidate in python3.11 python3.12 python3.13 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  log "Ponte needs Python 3.11 or newer."
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  log "Creating the virtual environment in .venv ($("$python" --version))"
  "$python" -m venv .venv || {
    log "python3 -m venv failed: installing Debian's python3-venv"
    apt-get install -y -qq python3-venv >/dev/null && "$python" -m venv .venv
  }
fi
extras=""
[ "$purpose" = "test" ] && extras="[test]"
stamp=".venv/.installed-$purpose-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  log "Installing Python packages (pip install -e .$extras)"
  if ! { .venv/bin/python -m pip install -q --upgrade pip \
        && .venv/bin/python -m pip install -q -e ".$extras"; } > .venv/pip.log 2>&1; then
    tail -40 .venv/pip.log
    log "pip install failed (full log: .venv/pip.log)"
    exit 1
  fi
  if .venv/bin/python -c "import eventlet" 2>/dev/null; then
    log "eventlet is installed: Flask-SocketIO would pick it over gevent. Uninstalling it."
    .venv/bin/python -m pip uninstall -y -q eventlet
  fi
  touch "$stamp"
fi

# --- axe-core (tests only) -------------------------------------------------------------
# The accessibility tests inject axe-core into the pages; it comes from the npm registry as a
# tarball pinned by version and checked against the registry's dist.integrity, so the tests
# need neither node nor npm.
axe_version="4.14.1"
axe_integrity="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
axe_js=".cache/axe-core/axe.min.js"
if [ "$purpose" = "test" ] && [ ! -f "$axe_js" ]; then
  log "Downloading axe-core $axe_version from the npm registry"
  .venv/bin/python - "$axe_version" "$axe_integrity" "$axe_js" <<'PY'
import base64, hashlib, io, sys, tarfile, urllib.request
from pathlib import Path

version, integrity, target = sys.argv[1], sys.argv[2], Path(sys.argv[3])
url = f"https://registry.npmjs.org/axe-core/-/axe-core-{version}.tgz"
with urllib.request.urlopen(url, timeout=60) as response:
    tarball = response.read()
actual = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
if actual != integrity:
    sys.exit(f"axe-core {version}: integrity mismatch (expected {integrity}, got {actual})")
with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
    script = archive.extractfile("package/axe.min.js").read()
target.parent.mkdir(parents=True, exist_ok=True)
partial = target.with_suffix(".part")
partial.write_bytes(script)
partial.replace(target)
PY
fi

# --- Interface translations -------------------------------------------------------------
# The catalogs (translations/*/LC_MESSAGES/messages.po) are compiled to the .mo files Flask-Babel reads.
bash scripts/translations.sh compile
