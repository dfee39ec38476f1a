"""kill -9 the server during a burst of posts: every acknowledged post survives, once."""

import threading
import uuid

import socketio

from tests.servers import PonteServer


def join(server, code, name):
    import requests

    body = {"code": code, "name": name, "role": "migrant", "language": "it"}
    response = requests.post(server.url + "/api/join", json=body, timeout=5)
    response.raise_for_status()
    return response.json()["token"]


def connect(server, token):
    client = socketio.Client(reconnection=False)
    client.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    return client


def test_acknowledged_posts_survive_a_kill_and_a_restart(live_server: PonteServer):
    code = live_server.demo["sessions"][0]["join_code"]
    tokens = [join(live_server, code, f"Tablet {n}") for n in range(3)]
    clients = [connect(live_server, token) for token in tokens]
    acked: dict[str, int] = {}
    sent: list[tuple[int, str]] = []  # (which tablet, client_id)
    lock = threading.Lock()

    def burst(client, tablet):
        for n in range(400):
            client_id = str(uuid.uuid4())
            with lock:
                sent.append((tablet, client_id))
            try:
                ack = client.call(
                    "create_post", {"client_id": client_id, "text": f"burst {n}"}, timeout=3
                )
            except Exception:
                return  # the server is gone: what was acknowledged must be there
            assert ack["ok"], ack
            with lock:
                acked[client_id] = ack["post"]["id"]
                if len(acked) == 150:
                    live_server.kill()

    threads = [threading.Thread(target=burst, args=(c, i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for c in clients:
        c.disconnect()
    assert len(acked) >= 150

    live_server.start()
    reader = connect(live_server, tokens[0])
    events, since, more = [], 0, True
    while more:
        answer = reader.call("sync", {"since": since}, timeout=10)
        events += answer["events"]
        since, more = answer["seq"], answer["more"]
    stored = {
        e["data"]["post"]["client_id"]: e["data"]["post"]["id"]
        for e in events
        if e["type"] == "post_created"
    }
    assert all(stored.get(cid) == pid for cid, pid in acked.items()), (
        "an acknowledged post was lost"
    )
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(set(seqs)), "the log has a duplicate or is out of order"

    # Tablets resend what was never acknowledged: each lands once, the rest are acked again.
    # Each tablet resends its own notes (a client_id belongs to its author).
    again = [connect(live_server, token) for token in tokens]
    for tablet, client_id in sent:
        ack = again[tablet].call(
            "create_post", {"client_id": client_id, "text": "resent"}, timeout=5
        )
        assert ack["ok"]
        if client_id in acked:
            assert ack["post"]["id"] == acked[client_id]
    final = reader.call("sync", {"since": 0}, timeout=10)
    while final["more"]:
        more_events = reader.call("sync", {"since": final["seq"]}, timeout=10)
        final = {**more_events, "events": final["events"] + more_events["events"]}
    posted = [
        e["data"]["post"]["client_id"] for e in final["events"] if e["type"] == "post_created"
    ]
    assert len(posted) == len(set(posted))
    assert {client_id for _, client_id in sent} <= set(posted)
    for tablet in again:
        tablet.disconnect()
    reader.disconnect()
