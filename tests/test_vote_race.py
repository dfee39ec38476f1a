"""One person, two tablets, racing dots at a real server: the allowance still holds."""

import threading

import requests

from tests.test_restart import connect


def test_racing_two_tablets_cannot_exceed_the_allowance(live_server):
    co = next(s for s in live_server.demo["sessions"] if s["kind"] == "co_projecting")
    live_server.run_in_app(
        f"facilitation.advance_phase(staff({co['id']}), 'vote')\n"
        f"voting.set_allowance(staff({co['id']}), 3)"
    )
    joined = requests.post(
        live_server.url + "/api/join",
        json={"code": co["join_code"], "name": "Racer", "role": "migrant", "language": "it"},
        timeout=5,
    ).json()
    board = requests.get(
        f"{live_server.url}/api/sessions/{co['id']}/board",
        headers={"Authorization": f"Bearer {joined['token']}"},
        timeout=5,
    ).json()
    post_ids = [p["id"] for p in board["posts"]]
    # The same token on two tablets: two connections of one participant.
    tablets = [connect(live_server, joined["token"]) for _ in range(2)]
    acks, lock = [], threading.Lock()
    start = threading.Barrier(len(tablets))

    def vote_all(tablet, offset):
        start.wait()
        for n in range(6):
            ack = tablet.call(
                "cast_vote", {"post_id": post_ids[(n + offset) % len(post_ids)]}, timeout=10
            )
            with lock:
                acks.append(ack)

    threads = [threading.Thread(target=vote_all, args=(t, i)) for i, t in enumerate(tablets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    accepted = [a for a in acks if a["ok"]]
    refused = [a["error"]["code"] for a in acks if not a["ok"]]
    assert len(acks) == 12
    assert len(accepted) == 3, acks
    assert set(refused) == {"no_votes_left"}
    assert sorted(a["left"] for a in accepted) == [0, 1, 2]
    final = tablets[0].call("sync", {"since": 0}, timeout=10)
    my_votes = [e for e in final["events"] if e["type"] == "vote_cast"]
    assert len(my_votes) == 3
    for tablet in tablets:
        tablet.disconnect()
