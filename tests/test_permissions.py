"""Truth tables for forum/permissions.py: each question answered for every kind of visitor.

The objects are built in memory (never added to the session): the questions are pure functions
of the user and the object, so they must answer without a database.
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from forum import permissions as p
from forum.models import Board, ContentStatus, ConversationMember, Message, Post, Role, Topic, Upload, User, utcnow

ANONYMOUS = AnonymousUserMixin()


def _user(uid: int, role: Role = Role.MEMBER, **fields) -> User:
    return User(id=uid, username=f"user{uid}", role=role, unacknowledged_warnings=0, **fields)


AUTHORS = {"member": _user(1), "moderator": _user(2, Role.MODERATOR), "admin": _user(3, Role.ADMIN)}
VISITORS = {
    "anonymous": ANONYMOUS,
    "member": _user(10),
    "suspended": _user(11, suspended_until=utcnow() + timedelta(days=3)),
    "moderator": _user(12, Role.MODERATOR),
    "admin": _user(13, Role.ADMIN),
}


def _post(author: User | None, status: ContentStatus = ContentStatus.PUBLISHED, number: int = 2) -> tuple[Post, Topic]:
    topic = Topic(id=1, board=Board(id=1, slug="b", name="B"), status=ContentStatus.PUBLISHED, reply_count=1, locked_at=None)
    post = Post(id=5, topic=topic, number=number, status=status, author=author, author_id=author.id if author else None)
    return post, topic


def _visitor(name: str, author: User):
    """`author` is the post's author themselves; anything else is one of VISITORS."""
    return author if name == "author" else VISITORS[name]


# Who may edit (and delete) a published reply, by the author's role. Moderators leave admins'
# posts to admins; everyone edits their own.
EDIT = {
    #              anonymous member suspended moderator admin  author
    "member":     (False,    False, False,    True,     True,  True),
    "moderator":  (False,    False, False,    True,     True,  True),
    "admin":      (False,    False, False,    False,    True,  True),
}
COLUMNS = ("anonymous", "member", "suspended", "moderator", "admin", "author")


@pytest.mark.parametrize("author_role", EDIT)
@pytest.mark.parametrize("column", COLUMNS)
def test_can_edit_and_delete_post(author_role, column):
    author = AUTHORS[author_role]
    post, topic = _post(author)
    expected = EDIT[author_role][COLUMNS.index(column)]
    assert p.can_edit_post(_visitor(column, author), post, topic) is expected
    assert p.can_delete_post(_visitor(column, author), post, topic) is expected


def test_an_unloaded_author_counts_as_an_admin_for_moderators():
    """Fail closed: without the author loaded a moderator may not edit (no query is run to find out)."""
    post = Post(id=5, number=2, status=ContentStatus.PUBLISHED, author_id=1)
    topic = Topic(id=1, status=ContentStatus.PUBLISHED, reply_count=1, locked_at=None)
    assert not p.can_edit_post(VISITORS["moderator"], post, topic)
    assert p.can_edit_post(VISITORS["admin"], post, topic)


ACTIONS = ("hide", "restore", "delete", "edit", "approve", "reject", "dismiss")
# can_moderate_post(visitor, post by author_role, action)
MODERATE = {
    ("member", "moderator"): set(ACTIONS),
    ("member", "admin"): set(ACTIONS),
    ("moderator", "moderator"): set(ACTIONS),
    ("moderator", "admin"): set(ACTIONS),
    # Moderators may only hide an admin's post, for another admin to review.
    ("admin", "moderator"): {"hide"},
    ("admin", "admin"): set(ACTIONS),
    # The admin who wrote it may edit or delete it as its author, not settle its review.
    ("admin", "author"): {"hide", "edit", "delete"},
    ("member", "member"): set(),
    ("member", "anonymous"): set(),
    ("admin", "suspended"): set(),
}


@pytest.mark.parametrize("author_role, column", sorted(MODERATE))
def test_can_moderate_post(author_role, column):
    author = AUTHORS[author_role]
    post, _ = _post(author)
    allowed = {action for action in ACTIONS if p.can_moderate_post(_visitor(column, author), post, action)}
    assert allowed == MODERATE[(author_role, column)]


def test_why_a_moderator_cannot_act_on_an_admins_post():
    post, _ = _post(AUTHORS["admin"])
    assert "only hide" in p.why_cannot_moderate_post(VISITORS["moderator"], post, "delete")
    assert p.why_cannot_moderate_post(VISITORS["moderator"], post, "hide") is None
    assert "another admin" in p.why_cannot_moderate_post(AUTHORS["admin"], post, "restore")
    assert p.why_cannot_moderate_post(VISITORS["member"], post, "hide") == "Only moderators and admins can do that."


# A post's earlier versions, by the post's author role and status: (view, erase) for each visitor.
REVISIONS = {
    #                           anonymous       member          suspended       moderator     admin         author
    ("member", "published"):   ((False, False), (False, False), (False, False), (True, True), (True, True), (True, True)),
    ("member", "hidden"):      ((False, False), (False, False), (False, False), (True, True), (True, True), (True, True)),
    ("member", "deleted"):     ((False, False), (False, False), (False, False), (True, True), (True, True), (False, False)),
    ("admin", "published"):    ((False, False), (False, False), (False, False), (True, False), (True, True), (True, True)),
}


@pytest.mark.parametrize("author_role, status", sorted(REVISIONS))
@pytest.mark.parametrize("column", COLUMNS)
def test_can_view_and_erase_revisions(author_role, status, column):
    author = AUTHORS[author_role]
    post, _ = _post(author, ContentStatus(status))
    visitor = _visitor(column, author)
    expected = REVISIONS[(author_role, status)][COLUMNS.index(column)]
    assert (p.can_view_revisions(visitor, post), p.can_erase_revision(visitor, post)) == expected


def test_a_suspended_author_may_still_erase_their_own_earlier_versions():
    author = _user(20, suspended_until=utcnow() + timedelta(days=3))
    post, _ = _post(author)
    assert p.can_erase_revision(author, post) and p.can_view_revisions(author, post)
    assert not p.can_edit_post(author, post, post.topic)


# --- Images: seen where their post or message is seen --------------------------------------------

OWNER = AUTHORS["member"]
IMAGE = Upload(id=1, name="x.png", owner_id=OWNER.id)


def _post_use(status: str, in_body: bool = True) -> SimpleNamespace:
    post, topic = _post(OWNER, ContentStatus(status))
    return SimpleNamespace(in_body=in_body, post=post, topic=topic, message=None, membership=None, reported=False)


def _message_use(viewer, status: str = "published", member: bool = True, reported: bool = False) -> SimpleNamespace:
    message = Message(id=3, conversation_id=4, author_id=OWNER.id, status=ContentStatus(status))
    uid = getattr(viewer, "id", None)
    membership = ConversationMember(conversation_id=4, user_id=uid) if member and uid is not None else None
    return SimpleNamespace(in_body=True, post=None, topic=None, message=message, membership=membership, reported=reported)


UPLOAD_VISITORS = ("anonymous", "member", "moderator", "admin", "owner")
# Who sees an image, by where it is shown: (anonymous, member, moderator, admin, owner).
UPLOAD_CASES = {
    "nowhere yet":                    (lambda v: [],                                          (False, False, True, True, True)),
    "a published post":               (lambda v: [_post_use("published")],                    (True, True, True, True, True)),
    "a held post":                    (lambda v: [_post_use("held")],                         (False, False, True, True, True)),
    "a hidden post":                  (lambda v: [_post_use("hidden")],                       (False, False, True, True, True)),
    "a deleted post":                 (lambda v: [_post_use("deleted")],                      (False, False, True, True, True)),
    "an earlier version only":        (lambda v: [_post_use("published", in_body=False)],     (False, False, True, True, True)),
    "a hidden and a published post":  (lambda v: [_post_use("hidden"), _post_use("published")], (True, True, True, True, True)),
    "a message to the visitor":       (lambda v: [_message_use(v)],                           (False, True, True, True, True)),
    "a message to others":            (lambda v: [_message_use(v, member=False)],             (False, False, False, False, True)),
    "a hidden message to the visitor": (lambda v: [_message_use(v, status="hidden")],         (False, False, False, False, True)),
    "a reported message to others":   (lambda v: [_message_use(v, member=False, reported=True)], (False, False, True, True, True)),
}


@pytest.mark.parametrize("case", UPLOAD_CASES)
@pytest.mark.parametrize("column", UPLOAD_VISITORS)
def test_can_view_upload(case, column):
    visitor = OWNER if column == "owner" else VISITORS[column]
    uses, expected = UPLOAD_CASES[case]
    assert p.can_view_upload(visitor, IMAGE, uses(visitor)) is expected[UPLOAD_VISITORS.index(column)]


@pytest.mark.parametrize("case", UPLOAD_CASES)
def test_an_image_is_public_only_in_a_published_post(case):
    uses, expected = UPLOAD_CASES[case]
    assert p.can_view_upload(None, IMAGE, uses(None)) is expected[0]
