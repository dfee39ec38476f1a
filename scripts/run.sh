#!/usr/bin/env bash
# Set everything up, load the Prato demo process into SQLite, and serve Ponte.
#   PONTE_PORT (default 5000), PONTE_HOST (default 0.0.0.0: tablets on the LAN can reach it)
#   PONTE_HTTPS=1: serve https with a self-signed certificate made once in instance/tls/, so
#   tablets on the LAN may record voice notes (browsers allow the microphone on https only;
#   each tablet accepts the certificate once). Behind nginx with a real certificate, not needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
export FLASK_APP=app
host="${PONTE_HOST:-0.0.0.0}"
port="${PONTE_PORT:-5000}"
lan_ip="$(hostname -I 2>/dev/null | awk '{print $1}')"
scheme=http
if [ "${PONTE_HTTPS:-0}" = "1" ]; then
  scheme=https
  mkdir -p instance/tls
  if [ ! -f instance/tls/cert.pem ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Ponte" \
      -addext "subjectAltName=IP:127.0.0.1${lan_ip:+,IP:$lan_ip},DNS:localhost" \
      -keyout instance/tls/key.pem -out instance/tls/cert.pem 2>/dev/null
  fi
  export PONTE_TLS_CERT=instance/tls/cert.pem PONTE_TLS_KEY=instance/tls/key.pem PONTE_SECURE_COOKIES=1
fi
if [ -z "${PONTE_PUBLIC_URL:-}" ] && [ -n "$lan_ip" ] && [ "$host" = "0.0.0.0" ]; then
  export PONTE_PUBLIC_URL="$scheme://$lan_ip:$port"  # what the join QR code points tablets at
fi
demo="$(.venv/bin/flask seed-demo --json 2>/dev/null)"
.venv/bin/python - "$demo" "$port" "${PONTE_PUBLIC_URL:-}" "$scheme" <<'PY'
import json, sys
demo, port, public, scheme = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
print()
print(f"  Ponte is starting on  {scheme}://127.0.0.1:{port}")
if public:
    print(f"  Tablets on the LAN:   {public}/join")
print(f"  Trainer login:        {demo['facilitator']['email']}  /  {demo['facilitator']['password']}")
print("  Demo process (Prato), live sessions and their join codes:")
for s in demo["sessions"]:
    print(f"    {s['kind']:<14} session {s['id']:<3} code {s['join_code']}")
print()
PY
# The publication worker renders Reports and Booklets beside the server.
.venv/bin/flask worker &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null' EXIT INT TERM
.venv/bin/flask serve --host "$host" --port "$port"
