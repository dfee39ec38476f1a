"""A short run of bench/load_fault.py: tablets post through drops and a kill -9, nothing lost."""

import json
import subprocess
import sys

from tests.servers import REPO


def test_tablets_lose_nothing_through_dropped_connections_and_a_kill():
    run = subprocess.run(
        [
            sys.executable,
            "bench/load_fault.py",
            *("--clients", "12", "--duration", "20", "--rate", "6"),
            *("--drop-every", "5", "--drain", "60", "--kill", "--json"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.stdout.strip(), run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    summary = run.stdout + run.stderr[-2000:]
    assert figures["lost"] == 0, summary
    assert figures["duplicated"] == 0, summary
    assert figures["divergent"] == 0, summary
    assert figures["attempted"] >= 100 and figures["unacked"] == 0, summary
    assert figures["refused"] == {}, summary
    assert figures["kills"] == 1 and "restart_error" not in figures, summary
    assert figures["drops"] >= 3 and figures["drop_mode"] == {"abort": figures["drops"]}, summary
    # Every tablet reconnects after the kill, and each dropped one after its drop.
    assert figures["reconnects"] >= 12 + figures["drops"] - 1, summary
    assert run.returncode == 0, summary
