"""Two Ponte processes behind nginx, in real browsers: a tablet that came through nginx and
a tablet on the other process share one board; when nginx's process is killed, the first
tablet and the trainer's console move to the other process and carry on."""

import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.browser.screens import note, trainer_logs_in
from tests.browser.screens import tablet_joins_in_english as tablet_joins
from tests.servers import PonteCluster


@pytest.fixture
def cluster(tmp_path):
    cluster = PonteCluster(tmp_path / "cluster")
    try:
        cluster.demo = cluster.start()
        yield cluster
    finally:
        cluster.stop()


def post(page, text):
    page.fill("#composer-text", text)
    page.click("#composer-send")
    expect(note(page, text)).not_to_have_class("is-pending")


def test_tablets_on_two_processes_share_a_board_and_survive_a_process(cluster, new_page):
    live = cluster.demo["sessions"][0]
    front = SimpleNamespace(url=cluster.nginx.url, demo=cluster.demo)  # what people type

    trainer = new_page(width=1280, height=900, server_may_vanish=True)
    trainer_logs_in(trainer, front)
    trainer.goto(f"{front.url}/sessions/{live['id']}")
    amina = new_page(server_may_vanish=True)
    tablet_joins(amina, front, live["join_code"], "Amina", language="ar")
    expect(amina.locator("#connection")).to_be_hidden()

    # nginx put the session's screens on one process; Li's tablet talks to the other.
    # Both screens' WebSockets go through nginx to one process.
    deadline = time.monotonic() + 10
    while True:
        held = {s.port: cluster.nginx.connections_to(s.port) for s in cluster.servers}
        if sorted(held.values()) == [0, 2] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    first = max(cluster.servers, key=lambda s: held[s.port])
    other = next(s for s in cluster.servers if s is not first)
    assert held[first.port] >= 2 and held[other.port] == 0, held
    li = new_page()
    tablet_joins(li, other, live["join_code"], "Li Wei", language="zh")

    post(amina, "La mensa della scuola")
    expect(note(li, "La mensa della scuola")).to_be_visible()  # crossed through Redis
    post(li, "学校没有翻译")
    expect(note(amina, "学校没有翻译")).to_be_visible()
    expect(note(trainer, "学校没有翻译")).to_be_visible()

    first.kill()  # the process of Amina and the trainer dies
    deadline = time.monotonic() + 20
    while cluster.nginx.connections_to(other.port) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)  # Amina and the console reconnect, through nginx, to the other
    post(amina, "Dopo il guasto")
    expect(note(li, "Dopo il guasto")).to_be_visible()
    expect(note(trainer, "Dopo il guasto")).to_be_visible()
    post(li, "还在这里")
    expect(note(amina, "还在这里")).to_be_visible()
    assert amina.evaluate("window.__sameDocument")  # no reload: the tablet reconnected
