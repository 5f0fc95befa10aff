"""The same form POSTed twice at the same moment (one form token): one post, not two."""
from __future__ import annotations

import threading

import pytest

from tests.faults.seed import check_consistent, seed

pytestmark = pytest.mark.faults


def test_two_simultaneous_posts_of_one_form_make_one_reply(fault_app, fault_db, servers):
    topic_id, sessions = seed(fault_app, 1)
    cookie, token = sessions[0]
    server = servers(fault_db, workers=2, threads=4)
    for attempt in range(8):
        form = {"csrf_token": token, "body": f"Sent twice, attempt {attempt}", "submission_key": f"double-{attempt}-" + "k" * 20}
        barrier = threading.Barrier(2, timeout=10)
        results: list = []

        def send() -> None:
            client = server.client(cookie)
            barrier.wait()
            status, headers, _ = client.post(f"/topics/{topic_id}/reply", form)
            results.append((status, headers.get("Location", "")))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert [status for status, _ in results] == [302, 302], results
    counts = check_consistent(fault_app, topic_id)
    for attempt in range(8):
        assert counts[f"Sent twice, attempt {attempt}"] == 1
