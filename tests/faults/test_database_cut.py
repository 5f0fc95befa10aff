"""PostgreSQL connections terminated during traffic: clean 503s, nothing half-written, recovery."""
from __future__ import annotations

import threading
import time

import pytest

from tests.faults.conftest import wait_until
from tests.faults.seed import check_consistent, seed
from tests.ops import pg

pytestmark = pytest.mark.faults
CLIENTS = 8


def test_terminated_connections_give_503s_and_the_app_recovers_without_restart(fault_app, fault_db, servers):
    topic_id, sessions = seed(fault_app, CLIENTS)
    server = servers(fault_db, workers=2, threads=4)
    outcomes: dict[str, list] = {"ok": [], "503": [], "other": []}
    lock = threading.Lock()
    stop = threading.Event()

    def member(index: int) -> None:
        cookie, token = sessions[index]
        client = server.client(cookie)
        for n in range(300):
            if stop.is_set():
                return
            body = f"client {index} reply {n}"
            try:
                status, headers, page = client.post(
                    f"/topics/{topic_id}/reply", {"csrf_token": token, "body": body, "submission_key": f"c{index}-n{n}-" + "k" * 16}
                )
            except OSError as error:
                status, page = None, repr(error).encode()
            with lock:
                if status == 302:
                    outcomes["ok"].append(body)
                elif status == 503 and b"Temporarily unavailable" in page and "Retry-After" in headers:
                    outcomes["503"].append(body)
                else:
                    outcomes["other"].append((body, status, page[:300]))

    threads = [threading.Thread(target=member, args=(i,), daemon=True) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    assert wait_until(lambda: len(outcomes["ok"]) >= 20, timeout=60) is not None
    terminated = 0
    for _ in range(4):  # cut every connection of the forum's database, four times, during traffic
        terminated += pg.terminate_connections(fault_db)
        time.sleep(0.7)
    after_cuts = len(outcomes["ok"])
    # Recovery without restart: replies succeed again.
    recovered = wait_until(lambda: len(outcomes["ok"]) >= after_cuts + 20, timeout=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    print(f"\n{terminated} connections terminated; {len(outcomes['ok'])} replies acknowledged, "
          f"{len(outcomes['503'])} clean 503s, {len(outcomes['other'])} other; recovered in {recovered}s")

    assert terminated > 0
    assert not outcomes["other"], outcomes["other"][:3]
    assert recovered is not None
    assert server.client().get("/readyz")[0] == 200
    counts = check_consistent(fault_app, topic_id)
    assert all(counts.get(body) == 1 for body in outcomes["ok"])
    assert all(count == 1 for count in counts.values())
