"""Two moderators acting on one queue entry at once: exactly one wins, the other is told who."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Board, ContentStatus, Post, ReviewEntry, ReviewStatus, User
from forum.services import moderation
from tests.moderation.conftest import actions, count


@pytest.fixture
def entry(make_user, reply):
    moderation.file_report(make_user(), "post", reply.id, "harassment")
    db.session.commit()
    return db.session.scalar(select(ReviewEntry))


def test_two_sessions_one_wins_the_other_is_told_who(app, entry, reply, moderator, moderator2, board):
    """Both moderators load the pending entry in their own session; the first to act wins.

    The second moderator works in another thread, so in another app context, session and connection.
    """
    loaded, first_done = threading.Event(), threading.Event()
    seen: dict = {}

    def second_moderator() -> None:
        with app.app_context():
            try:
                me = db.session.get(User, moderator2.id)
                theirs = moderation.load_entry(entry.id)
                seen["pending_when_loaded"] = theirs.is_pending
                loaded.set()
                first_done.wait(30)
                for attempt in (
                    lambda: moderation.dismiss(theirs, me, "Looks fine to me"),
                    lambda: moderation.delete_post(moderation._load_post(reply.id), me, "Spam", entry=theirs),
                ):
                    try:
                        attempt()
                        db.session.commit()
                        seen.setdefault("applied", []).append(True)
                    except moderation.AlreadyHandled as error:
                        db.session.rollback()
                        seen.setdefault("refused", []).append(error.message)
            finally:
                db.session.remove()

    thread = threading.Thread(target=second_moderator)
    thread.start()
    assert loaded.wait(30)
    mine = moderation.load_entry(entry.id)
    assert mine.is_pending
    moderation.hide_post(reply, moderator, "Personal attack", entry=mine)
    db.session.commit()
    first_done.set()
    thread.join(60)

    assert seen["pending_when_loaded"] is True
    assert "applied" not in seen
    assert len(seen["refused"]) == 2
    assert all("already handled by mod_max" in message for message in seen["refused"])
    db.session.expire_all()
    settled = db.session.get(ReviewEntry, entry.id)
    assert settled.status is ReviewStatus.ACTIONED and settled.resolved_by_id == moderator.id
    assert db.session.get(Post, reply.id).status is ContentStatus.HIDDEN
    assert db.session.get(Board, board.id).post_count == 1  # decremented once
    assert [a.action for a in actions()] == ["post.hide"]


def test_two_browsers_second_gets_409_with_the_name(app, entry, reply, moderator, moderator2, login):
    first, second = app.test_client(), app.test_client()
    for client, who in ((first, moderator), (second, moderator2)):
        with client.session_transaction() as session:
            session["_user_id"] = who.get_id()
    assert first.get(f"/mod/entries/{entry.id}").status_code == 200
    assert second.get(f"/mod/entries/{entry.id}").status_code == 200
    won = first.post(f"/mod/posts/{reply.id}/hide", data={"hide-reason": "Rude", "hide-entry_id": entry.id})
    lost = second.post(f"/mod/posts/{reply.id}/delete", data={"delete-reason": "Spam", "delete-entry_id": entry.id})
    assert won.status_code == 302
    assert lost.status_code == 409
    assert b"already handled by mod_max" in lost.data
    db.session.expire_all()
    assert db.session.get(Post, reply.id).status is ContentStatus.HIDDEN
    assert [a.action for a in actions()] == ["post.hide"]


def test_truly_concurrent_actions_apply_exactly_once(app, entry, reply, moderator, moderator2, board):
    """Two threads, two connections, released together: one commits, the other is refused."""
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def act(name: str, moderator_id: int, perform) -> None:
        with app.app_context():
            try:
                me = db.session.get(User, moderator_id)
                mine = moderation.load_entry(entry.id)
                post = moderation._load_post(reply.id)
                barrier.wait()
                perform(post, me, mine)
                db.session.commit()
                outcomes[name] = "done"
            except moderation.AlreadyHandled as error:
                db.session.rollback()
                outcomes[name] = error.message
            except Exception as error:  # pragma: no cover - reported by the assertion below
                db.session.rollback()
                outcomes[name] = f"unexpected {error!r}"
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=act, args=("hide", moderator.id, lambda p, m, e: moderation.hide_post(p, m, "Rude", entry=e))),
        threading.Thread(target=act, args=("delete", moderator2.id, lambda p, m, e: moderation.delete_post(p, m, "Spam", entry=e))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(v == "done" for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != "done")
    assert loser.startswith("This entry was already handled by mod_")
    db.session.expire_all()
    assert len(actions()) == 1
    assert db.session.get(Board, board.id).post_count == 1
    assert count(ReviewEntry, ReviewEntry.status == ReviewStatus.PENDING) == 0
