"""A gunicorn worker SIGKILLed while 16 members post replies: nothing acknowledged is lost."""
from __future__ import annotations

import os
import signal
import threading

import pytest

from tests.faults.conftest import wait_until
from tests.faults.seed import check_consistent, seed

pytestmark = pytest.mark.faults
CLIENTS = 16


def test_sigkill_of_a_worker_loses_no_acknowledged_reply(fault_app, fault_db, servers):
    topic_id, sessions = seed(fault_app, CLIENTS)
    server = servers(fault_db, workers=2, threads=4)
    acknowledged: list[str] = []
    failures: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def member(index: int) -> None:
        cookie, token = sessions[index]
        client = server.client(cookie)
        for n in range(200):  # bounded by count, and by the stop event (time)
            if stop.is_set():
                return
            body = f"client {index} reply {n}"
            try:
                status, headers, _ = client.post(
                    f"/topics/{topic_id}/reply", {"csrf_token": token, "body": body, "submission_key": f"c{index}-n{n}-" + "k" * 16}
                )
            except OSError as error:  # the worker died under this request: not acknowledged
                with lock:
                    failures.append(f"{body}: {error!r}")
                continue
            with lock:
                if status == 302 and "/topics/" in headers.get("Location", ""):
                    acknowledged.append(body)
                else:
                    failures.append(f"{body}: HTTP {status}")

    threads = [threading.Thread(target=member, args=(i,), daemon=True) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    assert wait_until(lambda: len(acknowledged) >= 40, timeout=60) is not None, failures[:5]
    victim = server.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    # The service answers again (the other worker serves at once) and the master replaces the
    # worker; the bounds are generous, for a busy machine: they are not a measure of speed.
    recovered = wait_until(lambda: server.client().get("/readyz")[0] == 200, timeout=60, interval=0.05)
    replaced = wait_until(lambda: len(server.worker_pids()) == 2 and victim not in server.worker_pids(), timeout=90)
    acked_at_kill = len(acknowledged)
    wait_until(lambda: len(acknowledged) >= acked_at_kill + 40, timeout=120)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    print(f"\nworker {victim} killed after {acked_at_kill} replies; ready again after {recovered}s, "
          f"replaced after {replaced}s; {len(acknowledged)} acknowledged, {len(failures)} failed: {failures[:3]}")

    assert recovered is not None, "the service did not answer again after a worker was killed"
    assert replaced is not None, "the master did not replace the killed worker"
    assert len(acknowledged) > acked_at_kill  # posting went on after the kill
    counts = check_consistent(fault_app, topic_id)
    missing = [body for body in acknowledged if counts.get(body, 0) != 1]
    assert not missing, f"acknowledged replies missing or doubled: {missing[:5]}"
    assert all(count == 1 for count in counts.values()), "a reply was stored twice"
