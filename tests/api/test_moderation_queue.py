"""The review queue through the API (scope `moderate`): the list, one entry, and its actions, by the
same service functions as the queue page, each with its audit row; a handled entry answers 409."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ContentStatus, ModerationAction, Post, ReviewStatus, Role
from forum.services import moderation


@pytest.fixture
def mod(moderator, make_token, bearer):
    return bearer(make_token(moderator, "read moderate"))


@pytest.fixture
def reported(make_post, make_user):
    """report(post=None, reason="spam") -> the queue entry's id, reported by a new member."""

    def _report(post=None, reason: str = "spam", note: str | None = None) -> int:
        post = post or make_post(body="Cheap pills")
        entry_id = moderation.file_report(make_user(), "post", post.id, reason, note).entry_id
        db.session.commit()
        return entry_id

    return _report


def _audit(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(ModerationAction).where(ModerationAction.action == action))



def test_queue_lists_pending_entries_urgent_first(client, mod, reported, make_post):
    spam = reported()
    urgent = reported(reason="at_risk", note="They sound in danger")
    response = client.get("/api/v1/moderation/queue", headers=mod)
    assert response.status_code == 200
    items = response.json["items"]
    assert [e["id"] for e in items] == [urgent, spam]
    assert items[0]["urgent"] is True and items[0]["reports"][0]["reason"] == "at_risk"
    assert items[1]["post"]["body_html"] and items[1]["subject"]["username"]
    assert items[1]["reports"][0]["reporter"]["username"]


def test_queue_pages_by_cursor_and_filters(client, mod, reported):
    ids = [reported() for _ in range(3)]
    first = client.get("/api/v1/moderation/queue?limit=2&sort=newest", headers=mod).json
    assert [e["id"] for e in first["items"]] == [ids[2], ids[1]]
    rest = client.get(f"/api/v1/moderation/queue?limit=2&sort=newest&cursor={first['next_cursor']}", headers=mod).json
    assert [e["id"] for e in rest["items"]] == [ids[0]] and rest["next_cursor"] is None
    urgent_first = client.get("/api/v1/moderation/queue?limit=2", headers=mod).json
    more = client.get(f"/api/v1/moderation/queue?limit=2&cursor={urgent_first['next_cursor']}", headers=mod).json
    assert {e["id"] for e in urgent_first["items"] + more["items"]} == set(ids)
    assert client.get("/api/v1/moderation/queue?reason=harassment", headers=mod).json["items"] == []
    assert client.get("/api/v1/moderation/queue?status=dismissed", headers=mod).json["items"] == []
    assert len(client.get("/api/v1/moderation/queue?status=all", headers=mod).json["items"]) == 3


@pytest.mark.parametrize("query, status", [
    ("status=open", 422), ("reason=nonsense", 422), ("sort=oldest", 422), ("limit=101", 422), ("limit=x", 422),
    ("cursor=!!!", 400), ("cursor=WzEsMl0", 400),
])
def test_queue_bad_input(problem, client, mod, query, status):
    problem(client.get(f"/api/v1/moderation/queue?{query}", headers=mod), status)


def test_one_entry(problem, client, mod, reported):
    entry_id = reported(note="An advert")
    response = client.get(f"/api/v1/moderation/queue/{entry_id}", headers=mod)
    assert response.status_code == 200 and response.json["id"] == entry_id
    assert response.json["reports"][0]["note"] == "An advert" and response.json["status"] == "pending"
    problem(client.get("/api/v1/moderation/queue/999999", headers=mod), 404)


@pytest.mark.parametrize("role, scopes, status", [
    (None, None, 401),
    (Role.MEMBER, "read write", 403),
    (Role.EXPERT, "read write", 403),
    (Role.MODERATOR, "read write", 403),  # a moderator's token without the moderate scope
    (Role.MODERATOR, "moderate", 200),
    (Role.ADMIN, "moderate", 200),
])
def test_queue_needs_a_moderator_with_the_scope(client, make_user, make_token, bearer, reported, role, scopes, status):
    entry_id = reported()
    headers = bearer(make_token(make_user(role=role), scopes)) if role else None
    for url in ("/api/v1/moderation/queue", f"/api/v1/moderation/queue/{entry_id}"):
        assert client.get(url, headers=headers).status_code == status
    response = client.post(f"/api/v1/moderation/queue/{entry_id}/dismiss", json={}, headers=headers)
    assert response.status_code == status
    assert (moderation.load_entry(entry_id).status is ReviewStatus.PENDING) == (status != 200)


def test_member_token_with_moderate_scope_after_demotion(problem, client, make_user, make_token, bearer, reported):
    former = make_user(role=Role.MODERATOR)
    headers = bearer(make_token(former, "moderate"))
    former.role = Role.MEMBER
    db.session.commit()
    problem(client.get("/api/v1/moderation/queue", headers=headers), 403, "forbidden")


def test_hide_writes_audit_row_and_a_second_action_is_a_conflict(problem, client, mod, moderator, reported):
    entry_id = reported()
    response = client.post(f"/api/v1/moderation/queue/{entry_id}/hide", json={"reason": "Advertising"}, headers=mod)
    assert response.status_code == 200
    assert response.json["status"] == "actioned" and response.json["resolved_by"]["username"] == moderator.username
    assert response.json["post"]["status"] == "hidden" and response.json["reports"][0]["status"] == "upheld"
    assert _audit("post.hide") == 1
    again = problem(client.post(f"/api/v1/moderation/queue/{entry_id}/dismiss", json={}, headers=mod), 409, "conflict")
    assert moderator.username in again["detail"]
    problem(client.post(f"/api/v1/moderation/queue/{entry_id}/hide", json={"reason": "Again"}, headers=mod), 409)
    assert _audit("post.hide") == 1 and _audit("entry.dismiss") == 0


def test_dismiss(client, mod, reported):
    entry_id = reported()
    response = client.post(f"/api/v1/moderation/queue/{entry_id}/dismiss", json={"reason": "Not spam"}, headers=mod)
    assert response.status_code == 200 and response.json["status"] == "dismissed" and response.json["resolution_note"] == "Not spam"
    assert _audit("entry.dismiss") == 1


def test_delete_and_restore(client, mod, reported, make_post):
    post = make_post()
    entry_id = reported(post)
    assert client.post(f"/api/v1/moderation/queue/{entry_id}/delete", json={"reason": "Spam"}, headers=mod).status_code == 200
    assert db.session.get(Post, post.id).status is ContentStatus.DELETED and _audit("post.delete") == 1
    second = reported(post=None)
    assert client.post(f"/api/v1/moderation/queue/{second}/restore", json={}, headers=mod).status_code == 409
    assert moderation.load_entry(second).status is ReviewStatus.PENDING  # nothing of a refused action stays


def test_approve_and_reject_held_posts(problem, client, mod, make_post):
    from forum.models import ReviewEntry, TargetType

    held = []
    for n in range(2):
        post = make_post(body=f"Held {n}")
        # As screening leaves a post it holds: held, with a system report in the queue.
        moderation._move_post(post, {ContentStatus.PUBLISHED}, ContentStatus.HELD)
        moderation.open_screening_entries(post, ["New member"], [])
        db.session.commit()
        held.append((post.id, moderation.pending_entry(TargetType.POST, post.id).id))
    (approve_post, approve_entry), (reject_post, reject_entry) = held
    assert client.post(f"/api/v1/moderation/queue/{approve_entry}/approve", json={}, headers=mod).json["status"] == "approved"
    problem(client.post(f"/api/v1/moderation/queue/{reject_entry}/reject", json={}, headers=mod), 422, "validation-error")
    rejected = client.post(f"/api/v1/moderation/queue/{reject_entry}/reject", json={"reason": "Advertising"}, headers=mod)
    assert rejected.status_code == 200 and rejected.json["status"] == "rejected"
    assert _audit("post.approve") == 1 and _audit("post.reject") == 1
    assert db.session.get(Post, approve_post).status is ContentStatus.PUBLISHED
    assert db.session.get(ReviewEntry, reject_entry).status is ReviewStatus.REJECTED


@pytest.mark.parametrize("action, body, pointer", [
    ("hide", {}, "/reason"),
    ("hide", {"reason": "   "}, "/reason"),
    ("hide", {"reason": "x" * 501}, "/reason"),
    ("hide", {"reason": 5}, "/reason"),
    ("dismiss", {"reason": "x" * 1001}, "/reason"),
    ("dismiss", {"note": "unknown field"}, "/note"),
])
def test_action_bad_input(problem, client, mod, reported, action, body, pointer):
    entry_id = reported()
    problem = problem(client.post(f"/api/v1/moderation/queue/{entry_id}/{action}", json=body, headers=mod), 422, "validation-error")
    assert pointer in [e["pointer"] for e in problem["errors"]]
    assert moderation.load_entry(entry_id).status is ReviewStatus.PENDING
    assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0


def test_action_unknown_entry_or_action(problem, client, mod, reported):
    entry_id = reported()
    problem(client.post("/api/v1/moderation/queue/999999/dismiss", json={}, headers=mod), 404)
    problem(client.post(f"/api/v1/moderation/queue/{entry_id}/ban", json={}, headers=mod), 404)
    problem(client.post(f"/api/v1/moderation/queue/{entry_id}/dismiss", data="{", headers={**mod, "Content-Type": "application/json"}), 400)


def test_post_actions_do_not_apply_to_member_entries(problem, client, mod, make_user):
    reporter, target = make_user(), make_user()
    entry_id = moderation.file_report(reporter, "user", target.id, "harassment").entry_id
    db.session.commit()
    problem = problem(client.post(f"/api/v1/moderation/queue/{entry_id}/hide", json={"reason": "x"}, headers=mod), 422)
    assert problem["errors"][0]["pointer"] == "path#action"
    assert client.post(f"/api/v1/moderation/queue/{entry_id}/dismiss", json={}, headers=mod).status_code == 200


@pytest.mark.parametrize("action", ["delete", "restore", "dismiss"])
def test_moderators_may_only_hide_an_admins_post(client, mod, reported, make_post, make_user, action):
    post = make_post(author=make_user(role=Role.ADMIN), body="A reply by an admin")
    entry_id = reported(post)
    response = client.post(f"/api/v1/moderation/queue/{entry_id}/{action}", json={"reason": "No"}, headers=mod)
    assert response.status_code == 403 and "only hide" in response.json["detail"]
    assert db.session.get(Post, post.id).status is ContentStatus.PUBLISHED and _audit(f"post.{action}") == 0
    response = client.post(f"/api/v1/moderation/queue/{entry_id}/hide", json={"reason": "Rude"}, headers=mod)
    assert response.status_code == 200
    assert db.session.get(Post, post.id).status is ContentStatus.HIDDEN
    assert moderation.pending_entry(moderation.TargetType.POST, post.id).id != entry_id  # before another admin
