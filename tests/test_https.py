"""Serving https without a proxy (PONTE_TLS_CERT/KEY): tablets may record voice notes only
on secure pages, so a LAN demo can offer them too."""

import subprocess

import pytest
import requests

from tests.servers import PonteServer


@pytest.fixture
def https_server(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    server = PonteServer(tmp_path, env={"PONTE_TLS_CERT": str(cert), "PONTE_TLS_KEY": str(key)})
    demo = server.seed_demo()
    server.start()
    yield server, demo, str(cert)
    server.stop()


def test_ponte_serves_https_and_tablets_join_over_it(https_server):
    server, demo, cert = https_server
    assert server.url.startswith("https://")
    code = demo["sessions"][0]["join_code"]
    joined = requests.post(
        server.url + "/api/join",
        json={"code": code, "name": "Amina", "role": "migrant", "language": "ar"},
        verify=cert,
        timeout=10,
    )
    assert joined.status_code == 200, joined.text
    board = requests.get(
        f"{server.url}/api/sessions/{joined.json()['session_id']}/board",
        headers={"Authorization": f"Bearer {joined.json()['token']}"},
        verify=cert,
        timeout=10,
    )
    assert board.status_code == 200 and board.json()["me"]["name"] == "Amina"
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url.replace("https://", "http://") + "/join", timeout=5)
