#!/usr/bin/env bash
# Install what Ponte needs on a Debian machine, idempotently:
#   scripts/setup.sh run    Debian fonts + a virtual environment with Ponte
#   scripts/setup.sh test   the same, plus chromium and poppler-utils and the test packages
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

log() { printf '==> %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------
debian_packages=(fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
if [ "$purpose" = "test" ]; then
  debian_packages+=(chromium poppler-utils)
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
