"""Who gets what: every route of the app, for every kind of visitor, with the status each must get.

The table is checked against app.url_map: a route (endpoint and method) without a row here fails
`test_every_route_has_a_row`, so a new page cannot ship without saying who may use it.

Adding your routes:
  1. If your routes need objects (a report, an article...), create them in `_build_world` and keep
     their ids in `world.extra` (the world is built once and written back from its rows for each
     test, so keep plain values there; a new object field also goes in `_where_to_find` and
     `_world_from`).
  2. Add one row per (endpoint, method) to MATRIX: the URL (built from the world), the expected
     status for each role, and for POST the form data a permitted visitor would send.
     Shorthands: `everyone(200)`, `signed_in(200)` (anonymous visitors are sent to sign in),
     `staff(200)`, `admin_only(200)`, or `roles(anonymous=..., member=..., ...)`.
     LOGIN means "302 to the sign-in page".
  A route whose answer depends on the object (someone else's post, an admin's post) may have more
     rows: key them (endpoint, method, "the case") after its plain (endpoint, method) row.
  3. Rows for state-changing methods are reused by tests/test_csrf.py (a POST without a token
     must get 400 and change nothing). Set csrf=False only for requests authenticated another
     way (API tokens), never for forms.

Every response checked here must also carry the security headers (tests/test_security_headers.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable

import pytest
from sqlalchemy import insert, select, text
from werkzeug.security import generate_password_hash

from forum.extensions import db
from forum.models import Board, Post, Role, Topic, User, utcnow
from forum.services import posting, privacy
from tests.test_security_headers import assert_security_headers

ROLES = ("anonymous", "member", "suspended", "expert", "moderator", "admin")
LOGIN = "login"  # 302 to the sign-in page
IGNORED_METHODS = {"HEAD", "OPTIONS"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

# One scrypt hash for every account of the world (hashing is deliberately slow).
_PASSWORD = "matrix-password-1"
_HASH = generate_password_hash(_PASSWORD, method="scrypt")


@dataclass
class World:
    """The objects a request may point at. Extend it with the objects your routes need."""

    users: dict[str, User]
    board: Board
    topic: Topic
    first_post: Post
    reply: Post
    author: User
    extra: dict[str, Any] = field(default_factory=dict)


def _user(name: str, role: Role = Role.MEMBER, **fields) -> User:
    user = User(
        username=name,
        username_key=name.lower(),
        email=f"{name}@example.org",
        password_hash=_HASH,
        role=role,
        session_token=f"token-{name}",
        **fields,
    )
    db.session.add(user)
    return user


# The world's rows, per database, once built: the `db` fixture empties every table after each test,
# and writing the rows back costs a few statements where building it through the services cost
# about half a second (it runs for each of the matrix's and test_csrf's 1,700 tests).
_BUILT: dict[str, tuple[dict[str, list[dict]], dict[str, Any]]] = {}


def build_world() -> World:
    """The world every test starts from: built through the services the first time, then its rows
    written back as they were (same ids), and its objects loaded again in this test's session."""
    built = _BUILT.get(str(db.engine.url))
    if built is None:
        world = _build_world()
        _BUILT[str(db.engine.url)] = (_rows_of_every_table(), _where_to_find(world))
        return world
    rows, found = built
    _write_rows(rows)
    return _world_from(found)


def _rows_of_every_table() -> dict[str, list[dict]]:
    db.session.expire_all()
    return {table.name: [dict(row) for row in db.session.execute(select(table)).mappings()] for table in db.metadata.sorted_tables}


def _write_rows(rows: dict[str, list[dict]]) -> None:
    """Every table's rows back, parents first; on PostgreSQL each id sequence then goes past them."""
    for table in db.metadata.sorted_tables:
        if rows[table.name]:
            db.session.execute(insert(table), rows[table.name])
    if db.engine.dialect.name == "postgresql":
        for table in db.metadata.sorted_tables:
            identity = table.autoincrement_column
            if identity is not None and rows[table.name]:
                db.session.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, :column), :last)"),
                    {"table": f'"{table.name}"', "column": identity.name, "last": max(row[identity.name] for row in rows[table.name])},
                )
    db.session.commit()


def _where_to_find(world: World) -> dict[str, Any]:
    return {
        "users": {role: user.id for role, user in world.users.items()},
        "board": world.board.id, "topic": world.topic.id, "first_post": world.first_post.id,
        "reply": world.reply.id, "author": world.author.id, "extra": dict(world.extra),
    }


def _world_from(found: dict[str, Any]) -> World:
    return World(
        users={role: db.session.get(User, user_id) for role, user_id in found["users"].items()},
        board=db.session.get(Board, found["board"]),
        topic=db.session.get(Topic, found["topic"]),
        first_post=db.session.get(Post, found["first_post"]),
        reply=db.session.get(Post, found["reply"]),
        author=db.session.get(User, found["author"]),
        extra=dict(found["extra"]),
    )


def _build_world() -> World:
    users = {
        "member": _user("matrix_member"),
        "suspended": _user("matrix_suspended", suspended_until=utcnow() + timedelta(days=7), suspension_reason="Testing"),
        "expert": _user("matrix_expert", Role.EXPERT),
        "moderator": _user("matrix_moderator", Role.MODERATOR),
        "admin": _user("matrix_admin", Role.ADMIN),
    }
    author = _user("matrix_author")
    board = Board(slug="treatments", name="Treatments", description="Treatments", shows_disclaimer=True, position=1)
    db.session.add(board)
    db.session.flush()
    first = posting.start_topic(board, author, "A topic by someone else", "The opening post.")
    topic = db.session.get(Topic, first.topic_id)
    reply = posting.reply_to_topic(topic, author, "A reply by the same member.")
    posting.edit_post(first, author, "The opening post, edited.")
    db.session.commit()
    world = World(users=users, board=board, topic=topic, first_post=first, reply=reply, author=author,
                  extra={"edited_post": first.id})
    _moderation_world(world)
    world.extra.update(_article_world(world))
    world.extra.update(_treatment_world(world))
    world.extra.update(_group_world(world))
    world.extra.update(_draft_world(world))
    world.extra.update(_message_world(world))
    world.extra.update(_upload_world(world))
    world.extra.update(_admin_post_world(world))
    return world


def _admin_post_world(world: World) -> dict[str, Any]:
    """Posts by an admin who is none of the roles: one published, one a moderator hid (for another admin)."""
    from forum.services import moderation

    head = _user("matrix_head", Role.ADMIN)
    db.session.flush()
    first = posting.start_topic(world.board, head, "A topic by an admin", "The admin's opening post.")
    topic = db.session.get(Topic, first.topic_id)
    published = posting.reply_to_topic(topic, head, "A reply by the admin.")
    posting.edit_post(published, head, "A reply by the admin, edited.")
    hidden = posting.reply_to_topic(topic, head, "Another reply by the admin.")
    moderation.hide_post(hidden, world.users["moderator"], "Matrix")
    db.session.commit()
    return {"admin_post": published.id, "admin_post_hidden": hidden.id}


def _message_world(world: World) -> dict[str, Any]:
    """A conversation the author started with the member and the suspended member: two messages by
    the author, the first reported by the member (so staff may see it)."""
    from forum.models import ConversationMember
    from forum.services import messages

    names = f"{world.users['member'].username}, {world.users['suspended'].username}"
    conversation, reported = messages.start_conversation(world.author, names, "A private conversation", "Hello both.")
    membership = db.session.get(ConversationMember, (conversation.id, world.author.id))
    fresh = messages.send_message(world.author, conversation, membership, "A second message.")
    messages.report_message(world.users["member"], reported.id, "spam", None)
    db.session.commit()
    return {"conversation": conversation.id, "message_reported": reported.id, "message_fresh": fresh.id}


def _in_conversation(member: int | str, others: int | str = 404) -> dict[str, int | str]:
    """Members of the world's conversation (member, suspended) get `member`; everyone else `others`."""
    return roles(anonymous=LOGIN, member=member, suspended=member, expert=others, moderator=others, admin=others)


def _entry_form(w: World) -> dict:
    from forum.models import TargetType
    from forum.services import moderation

    return {"entry_id": moderation.pending_entry(TargetType.MESSAGE, w.extra["message_reported"]).id}


def _upload_world(world: World) -> dict[str, Any]:
    """Images the author uploaded: one in a published post (everyone sees it), one in a post a
    moderator hid (its author and staff), one in a private message (the conversation's members)."""
    from forum.models import ConversationMember
    from forum.services import messages, moderation, uploads
    from tests.images import image_bytes

    made = {name: uploads.store_image(world.author, image_bytes("PNG")) for name in ("upload", "upload_hidden", "upload_message")}
    shows = {name: f"![An image](/uploads/{upload.name})" for name, upload in made.items()}
    first = posting.start_topic(world.board, world.author, "A topic with images", shows["upload"])
    hidden = posting.reply_to_topic(db.session.get(Topic, first.topic_id), world.author, shows["upload_hidden"])
    moderation.hide_post(hidden, world.users["moderator"], "Matrix")
    conversation = messages.load_message(world.extra["message_fresh"]).conversation
    membership = db.session.get(ConversationMember, (conversation.id, world.author.id))
    messages.send_message(world.author, conversation, membership, shows["upload_message"])
    db.session.commit()
    return {name: upload.name for name, upload in made.items()}


def _upload_form(w: World) -> dict:
    import io

    from tests.images import image_bytes

    return {"image": (io.BytesIO(image_bytes("JPEG")), "photo.jpg"), "description": "A photo"}


def _draft_world(world: World) -> dict[str, Any]:
    """A draft reply by the author (who is none of the roles)."""
    from forum.services import drafts

    draft = drafts.save_draft(world.author, "", "An unfinished reply.", topic=world.topic)
    db.session.commit()
    return {"draft": draft.id}


def _group_world(world: World) -> dict[str, Any]:
    """Support groups organised by the author: one listed, one waiting for a moderator."""
    from forum.services import groups

    def group(name: str) -> int:
        data = groups.GroupInput(name=name, format="in_person", schedule="Mondays", description="About us.", country="Portugal", city="Lisbon")
        return groups.propose_group(world.author, data).id

    db.session.add(Board(slug="local-groups", name="Local support groups", description="Groups", position=2))
    made = {"group_listed": group("Listed group"), "group_pending": group("Pending group")}
    groups.verify_group(world.users["moderator"], groups.load_group(made["group_listed"]))
    db.session.commit()
    return made


def _group_form(w: World) -> dict:
    return {"name": "Matrix group", "format": "online", "schedule": "Sundays", "description": "Matrix"}


def _treatment_world(world: World) -> dict[str, Any]:
    """Treatment reports by the author: one shared, one private (health details stay hidden)."""
    from forum.services import treatments

    def report(treatment: str, shared: bool) -> int:
        data = treatments.ExperienceInput(condition="blepharospasm", rating=4, treatment=treatment, story="It helped.", shared=shared)
        return treatments.file_experience(world.author, data).id

    made = {"experience_shared": report("botulinum-toxin", True), "experience_private": report("baclofen", False)}
    db.session.commit()
    return made


def _experience_form(w: World) -> dict:
    return {"condition": "hemifacial_spasm", "rating": "5", "weeks_of_relief": "10", "side_effects": ["dry_eye"], "story": "Matrix"}


def _moderation_world(world: World) -> None:
    """Moderation: a queue entry on the reply (reported by a member outside the roles) and a watched word."""
    from forum.models import WatchedWord, WatchedWordAction
    from forum.services import moderation

    reporter = _user("matrix_reporter")
    db.session.flush()
    world.extra["entry"] = moderation.file_report(reporter, "post", world.reply.id, "spam").entry_id
    word = WatchedWord(word="matrixword", action=WatchedWordAction.FLAG, created_at=utcnow())
    db.session.add(word)
    db.session.commit()
    world.extra["word"] = word.id


def _article_world(world: World) -> dict[str, Any]:
    """Articles: the expert is verified, and another verified expert wrote one article in each state."""
    from forum.services import articles, experts

    admin, moderator = world.users["admin"], world.users["moderator"]
    experts.grant(admin, world.users["expert"], "Neurologist")
    writer = _user("matrix_writer")
    db.session.flush()
    experts.grant(admin, writer, "Neurosurgeon")
    made = {}
    for state in ("draft", "in_review", "published", "archived"):
        data = articles.ArticleInput(f"An article that is {state}", "A summary long enough for the rules.", "Body.", [], [world.board.id])
        article = articles.create_article(writer, data)
        if state != "draft":
            articles.submit(article, writer)
        if state in ("published", "archived"):
            articles.publish(article, moderator)
        if state == "published":
            articles.pin(article, moderator, 1)
        if state == "archived":
            articles.archive(article, moderator)
        made[f"article_{state}"] = article.slug
    db.session.commit()
    made["writer_id"] = writer.id
    return made


def _article_form(w: World) -> dict:
    return {"title": "An article from the matrix", "summary": "A summary long enough for the rules.", "body": "Body.", "main_board": str(w.board.id)}


@dataclass
class Row:
    url: Callable[[World], str]
    expect: dict[str, int | str]
    data: Callable[[World], dict] | None = None
    csrf: bool = True


def roles(**statuses) -> dict[str, int | str]:
    missing = set(ROLES) - set(statuses)
    assert not missing, f"missing roles {missing}"
    return statuses


def everyone(status: int | str) -> dict[str, int | str]:
    return {role: status for role in ROLES}


def signed_in(status: int | str, suspended: int | str | None = None) -> dict[str, int | str]:
    statuses = {role: status for role in ROLES}
    statuses["anonymous"] = LOGIN
    if suspended is not None:
        statuses["suspended"] = suspended
    return statuses


def staff(status: int | str, others: int = 403) -> dict[str, int | str]:
    return roles(anonymous=LOGIN, member=others, suspended=others, expert=others, moderator=status, admin=status)


def admin_only(status: int | str, others: int = 403) -> dict[str, int | str]:
    return roles(anonymous=LOGIN, member=others, suspended=others, expert=others, moderator=others, admin=status)


def anonymous_only(status: int | str, signed_in_status: int | str = 302) -> dict[str, int | str]:
    statuses = {role: signed_in_status for role in ROLES}
    statuses["anonymous"] = status
    return statuses


# (endpoint, method) -> Row
MATRIX: dict[tuple[str, str], Row] = {
    ("static", "GET"): Row(lambda w: "/static/css/forum.css", everyone(200)),
    # Boards, topics and posts.
    ("boards.index", "GET"): Row(lambda w: "/", everyone(200)),
    ("boards.board", "GET"): Row(lambda w: f"/boards/{w.board.slug}", everyone(200)),
    ("boards.new_topic", "GET"): Row(lambda w: f"/boards/{w.board.slug}/new", signed_in(200)),
    ("boards.new_topic", "POST"): Row(
        lambda w: f"/boards/{w.board.slug}/new",
        signed_in(302, suspended=403),
        data=lambda w: {"title": "A new topic from the matrix", "body": "Hello"},
    ),
    ("boards.topic", "GET"): Row(lambda w: f"/topics/{w.topic.id}", everyone(200)),
    ("boards.reply", "GET"): Row(lambda w: f"/topics/{w.topic.id}/reply", signed_in(200)),
    ("boards.reply", "POST"): Row(
        lambda w: f"/topics/{w.topic.id}/reply", signed_in(302, suspended=403), data=lambda w: {"body": "A reply"}
    ),
    ("boards.post", "GET"): Row(lambda w: f"/posts/{w.reply.id}", everyone(302)),
    # Someone else's post: only moderators and admins may edit or delete it.
    ("boards.edit_post", "GET"): Row(lambda w: f"/posts/{w.reply.id}/edit", staff(200)),
    ("boards.edit_post", "POST"): Row(
        lambda w: f"/posts/{w.reply.id}/edit", staff(302), data=lambda w: {"title": "", "body": "Edited by staff"}
    ),
    ("boards.delete_post", "POST"): Row(lambda w: f"/posts/{w.reply.id}/delete", staff(302), data=lambda w: {}),
    # An admin's post: moderators may only hide it (for another admin to review); admins do the rest.
    ("boards.edit_post", "GET", "an admin's post"): Row(lambda w: f"/posts/{w.extra['admin_post']}/edit", admin_only(200)),
    ("boards.edit_post", "POST", "an admin's post"): Row(
        lambda w: f"/posts/{w.extra['admin_post']}/edit", admin_only(302), data=lambda w: {"title": "", "body": "Edited by an admin"}
    ),
    ("boards.delete_post", "POST", "an admin's post"): Row(
        lambda w: f"/posts/{w.extra['admin_post']}/delete", admin_only(302), data=lambda w: {}
    ),
    # A post's earlier versions: its author (none of the roles) and staff; erasing one: the same
    # (staff leave an audit row), and for an admin's post only admins.
    ("boards.revisions", "GET"): Row(lambda w: f"/posts/{w.extra['edited_post']}/revisions", staff(200)),
    ("boards.erase_revision", "POST"): Row(
        lambda w: f"/posts/{w.extra['edited_post']}/revisions/1/erase", staff(302), data=lambda w: {"reason": "Matrix"}
    ),
    ("boards.erase_revision", "POST", "an admin's post"): Row(
        lambda w: f"/posts/{w.extra['admin_post']}/revisions/1/erase", admin_only(302), data=lambda w: {}
    ),
    # Drafts: private to their member, kept only where the member could post (not while suspended);
    # a draft that is not yours, or gone, is a 404.
    ("boards.save_topic_draft", "POST"): Row(
        lambda w: f"/boards/{w.board.slug}/draft", signed_in(200, suspended=403), data=lambda w: {"title": "Half a title", "body": "Draft"}
    ),
    ("boards.save_reply_draft", "POST"): Row(
        lambda w: f"/topics/{w.topic.id}/draft", signed_in(200, suspended=403), data=lambda w: {"body": "Draft"}
    ),
    ("boards.drafts_list", "GET"): Row(lambda w: "/drafts", signed_in(200)),
    ("boards.discard_draft", "POST"): Row(lambda w: f"/drafts/{w.extra['draft']}/discard", signed_in(404), data=lambda w: {}),
    # Accounts.
    ("accounts.signup", "GET"): Row(lambda w: "/signup", anonymous_only(200)),
    ("accounts.signup", "POST"): Row(
        lambda w: "/signup",
        anonymous_only(302),
        data=lambda w: {"username": "new_member", "email": "new@example.org", "password": "a-long-password-1", "confirm": "a-long-password-1"},
    ),
    ("accounts.login", "GET"): Row(lambda w: "/signin", anonymous_only(200)),
    ("accounts.login", "POST"): Row(
        lambda w: "/signin", anonymous_only(302), data=lambda w: {"login": "matrix_member", "password": _PASSWORD}
    ),
    ("accounts.logout", "POST"): Row(lambda w: "/signout", everyone(302), data=lambda w: {}),
    ("accounts.profile", "GET"): Row(lambda w: f"/users/{w.author.username}", everyone(200)),
    # Two-factor sign-in. The code step of signing in, without a password step before it, sends
    # visitors back to sign in (and members home); none of the roles has two-factor sign-in on.
    ("accounts.sign_in_code", "GET"): Row(lambda w: "/signin/code", everyone(302)),
    ("accounts.sign_in_code", "POST"): Row(lambda w: "/signin/code", everyone(302), data=lambda w: {"code": "123456"}),
    ("accounts.two_factor_settings", "GET"): Row(lambda w: "/settings/two-factor", signed_in(200)),
    ("accounts.two_factor_setup", "POST"): Row(lambda w: "/settings/two-factor/setup", signed_in(302), data=lambda w: {}),
    ("accounts.two_factor_confirm", "POST"): Row(
        lambda w: "/settings/two-factor/confirm", signed_in(302), data=lambda w: {"code": "123456"}
    ),
    ("accounts.two_factor_disable", "POST"): Row(
        lambda w: "/settings/two-factor/disable", signed_in(404), data=lambda w: {"password": _PASSWORD, "code": "123456"}
    ),
    ("accounts.account", "GET"): Row(lambda w: "/account", signed_in(302)),
    # Moderation: members report and follow their standing; staff review under /mod.
    ("moderation.report", "GET"): Row(lambda w: f"/report/post/{w.reply.id}", signed_in(200, suspended=403)),
    ("moderation.report", "POST"): Row(
        lambda w: f"/report/post/{w.reply.id}", signed_in(302, suspended=403), data=lambda w: {"reason": "spam"}
    ),
    ("moderation.my_reports", "GET"): Row(lambda w: "/reports/mine", signed_in(200)),
    ("moderation.standing", "GET"): Row(lambda w: "/account/standing", signed_in(200)),
    ("moderation.acknowledge", "POST"): Row(lambda w: "/warnings/999999/acknowledge", signed_in(404), data=lambda w: {}),
    ("moderation.queue", "GET"): Row(lambda w: "/mod", staff(200)),
    ("moderation.entry", "GET"): Row(lambda w: f"/mod/entries/{w.extra['entry']}", staff(200)),
    ("moderation.post_item", "GET"): Row(lambda w: f"/mod/posts/{w.first_post.id}", staff(200)),
    ("moderation.member_item", "GET"): Row(lambda w: f"/mod/users/{w.author.username}", staff(200)),
    ("moderation.post_action", "POST"): Row(
        lambda w: f"/mod/posts/{w.reply.id}/hide", staff(302),
        data=lambda w: {"hide-reason": "Matrix", "hide-entry_id": w.extra["entry"]},
    ),
    ("moderation.post_action", "POST", "hide an admin's post"): Row(
        lambda w: f"/mod/posts/{w.extra['admin_post']}/hide", staff(302), data=lambda w: {"hide-reason": "Matrix"},
    ),
    ("moderation.post_action", "POST", "delete an admin's post"): Row(
        lambda w: f"/mod/posts/{w.extra['admin_post']}/delete", admin_only(302), data=lambda w: {"delete-reason": "Matrix"},
    ),
    ("moderation.post_action", "POST", "restore an admin's post"): Row(
        lambda w: f"/mod/posts/{w.extra['admin_post_hidden']}/restore", admin_only(302), data=lambda w: {},
    ),
    ("moderation.post_item", "GET", "an admin's post"): Row(lambda w: f"/mod/posts/{w.extra['admin_post']}", staff(200)),
    ("moderation.member_action", "POST"): Row(
        lambda w: f"/mod/users/{w.author.username}/warn", staff(302), data=lambda w: {"member_warn-reason": "Matrix"}
    ),
    ("moderation.edit_post", "GET"): Row(lambda w: f"/mod/posts/{w.reply.id}/edit", staff(200)),
    ("moderation.edit_post", "POST"): Row(
        lambda w: f"/mod/posts/{w.reply.id}/edit", staff(302), data=lambda w: {"edit-body": "Edited", "edit-note": "Matrix"}
    ),
    ("moderation.edit_post", "GET", "an admin's post"): Row(lambda w: f"/mod/posts/{w.extra['admin_post']}/edit", admin_only(200)),
    ("moderation.edit_post", "POST", "an admin's post"): Row(
        lambda w: f"/mod/posts/{w.extra['admin_post']}/edit", admin_only(302), data=lambda w: {"edit-body": "Edited", "edit-note": "Matrix"}
    ),
    ("moderation.log", "GET"): Row(lambda w: "/mod/log", staff(200)),
    ("moderation.watched_words", "GET"): Row(lambda w: "/mod/watched-words", admin_only(200)),
    ("moderation.watched_words", "POST"): Row(
        lambda w: "/mod/watched-words", admin_only(302), data=lambda w: {"word": "another word", "action": "hold"}
    ),
    ("moderation.delete_watched_word", "POST"): Row(
        lambda w: f"/mod/watched-words/{w.extra['word']}/delete", admin_only(302), data=lambda w: {}
    ),
    # Settings, data export and deletion, email confirmation, password reset.
    ("accounts.settings", "GET"): Row(lambda w: "/settings", signed_in(200)),
    ("accounts.settings", "POST"): Row(lambda w: "/settings", signed_in(302), data=lambda w: {"bio": "Hello", "show_bio": "y"}),
    ("accounts.export", "GET"): Row(lambda w: "/settings/export", signed_in(200)),
    ("accounts.delete_account", "GET"): Row(lambda w: "/settings/delete", signed_in(200)),
    ("accounts.delete_account", "POST"): Row(
        lambda w: "/settings/delete", signed_in(302), data=lambda w: {"posts": "keep", "password": _PASSWORD}
    ),
    ("accounts.resend_verification", "POST"): Row(lambda w: "/settings/confirm-email", signed_in(302), data=lambda w: {}),
    ("accounts.change_password", "POST"): Row(
        lambda w: "/settings/password", signed_in(302),
        data=lambda w: {"current_password": _PASSWORD, "new_password": "matrix-password-2", "confirm_password": "matrix-password-2"},
    ),
    ("accounts.change_email", "POST"): Row(
        lambda w: "/settings/email", signed_in(302), data=lambda w: {"new_email": "moved@example.org", "email_password": _PASSWORD}
    ),
    # The link mailed to a new address works for whoever opens it (it is the proof), signed in or not.
    ("accounts.confirm_email_change", "GET"): Row(
        lambda w: f"/settings/email/{privacy.email_change_token(w.author, 'moved-author@example.org')}", everyone(200)
    ),
    ("accounts.confirm_email_change", "POST"): Row(
        lambda w: f"/settings/email/{privacy.email_change_token(w.author, 'moved-author@example.org')}", everyone(302),
        data=lambda w: {},
    ),
    ("accounts.sign_out_everywhere", "POST"): Row(lambda w: "/settings/sign-out-everywhere", signed_in(302), data=lambda w: {}),
    ("accounts.verify_email", "GET"): Row(lambda w: f"/confirm-email/{privacy.email_token(w.author)}", everyone(200)),
    ("accounts.verify_email", "POST"): Row(
        lambda w: f"/confirm-email/{privacy.email_token(w.author)}", everyone(302), data=lambda w: {}
    ),
    ("accounts.forgot_password", "GET"): Row(lambda w: "/password/forgot", everyone(200)),
    ("accounts.forgot_password", "POST"): Row(
        lambda w: "/password/forgot", everyone(302), data=lambda w: {"email": w.author.email}
    ),
    ("accounts.reset_password", "GET"): Row(lambda w: f"/password/reset/{privacy.reset_token(w.author)}", everyone(200)),
    ("accounts.reset_password", "POST"): Row(
        lambda w: f"/password/reset/{privacy.reset_token(w.author)}",
        everyone(302),
        data=lambda w: {"password": "a-new-long-password", "confirm": "a-new-long-password"},
    ),
    # Safety.
    ("safety.support", "GET"): Row(lambda w: "/support", everyone(200)),
    # Images in posts: members who may post upload them.
    ("uploads.upload", "GET"): Row(lambda w: "/uploads", signed_in(200, suspended=403)),
    ("uploads.upload", "POST"): Row(lambda w: "/uploads", signed_in(201, suspended=403), data=_upload_form),
    # Images: where their post or message is seen (anyone else gets 404, as for an unknown image).
    ("uploads.image", "GET"): Row(lambda w: f"/uploads/{w.extra['upload']}", everyone(200)),
    ("uploads.image", "GET", "in a hidden post"): Row(
        lambda w: f"/uploads/{w.extra['upload_hidden']}",
        roles(anonymous=404, member=404, suspended=404, expert=404, moderator=200, admin=200),
    ),
    ("uploads.image", "GET", "in a private message"): Row(
        lambda w: f"/uploads/{w.extra['upload_message']}",
        roles(anonymous=404, member=200, suspended=200, expert=404, moderator=404, admin=404),
    ),
    # Community: reactions and bookmarks (bookmarks are private and allowed while suspended).
    ("community.react", "POST"): Row(
        lambda w: f"/posts/{w.reply.id}/react", signed_in(302, suspended=403), data=lambda w: {"kind": "support"}
    ),
    ("community.reactions", "GET"): Row(lambda w: f"/posts/{w.reply.id}/reactions", everyone(200)),
    ("community.bookmark", "GET"): Row(lambda w: f"/posts/{w.reply.id}/bookmark", signed_in(200)),
    ("community.bookmark", "POST"): Row(lambda w: f"/posts/{w.reply.id}/bookmark", signed_in(302), data=lambda w: {"note": ""}),
    ("community.remove_bookmark", "POST"): Row(lambda w: f"/posts/{w.reply.id}/bookmark/remove", signed_in(302), data=lambda w: {}),
    ("community.bookmarks", "GET"): Row(lambda w: "/bookmarks", signed_in(200)),
    # Search.
    ("search.search_page", "GET"): Row(lambda w: "/search?q=topic", everyone(200)),
    # Notifications, watching and mail settings.
    ("notifications.index", "GET"): Row(lambda w: "/notifications", signed_in(200)),
    ("notifications.mark_read", "POST"): Row(lambda w: "/notifications/999999/read", signed_in(404), data=lambda w: {}),
    ("notifications.mark_all_read", "POST"): Row(lambda w: "/notifications/read-all", signed_in(302), data=lambda w: {}),
    ("notifications.settings", "GET"): Row(lambda w: "/notifications/settings", signed_in(200)),
    ("notifications.settings", "POST"): Row(
        lambda w: "/notifications/settings", signed_in(302), data=lambda w: {"email": "daily", "watch_participated": "y"}
    ),
    ("notifications.watch_topic", "POST"): Row(lambda w: f"/topics/{w.topic.id}/watch", signed_in(302), data=lambda w: {"level": "watching"}),
    ("notifications.watch_board", "POST"): Row(lambda w: f"/boards/{w.board.slug}/watch", signed_in(302), data=lambda w: {"level": "muted"}),
    # The signed link is the authentication: it works signed in or not, and needs no CSRF token.
    ("notifications.unsubscribe", "GET"): Row(lambda w: _unsubscribe_url(w), everyone(200)),
    ("notifications.unsubscribe", "POST"): Row(lambda w: _unsubscribe_url(w), everyone(200), data=lambda w: {}, csrf=False),
    # Reading comfort: anyone may change it, suspended members too. Visitors post it without a
    # CSRF token (it sets only their own cookie, and a cross-site Origin is refused), so that
    # anonymous pages stay cacheable; members' posts are checked (tests/test_comfort.py).
    ("comfort.save", "POST"): Row(lambda w: "/reading", everyone(302), data=lambda w: {"size": "125", "theme": "dark"}, csrf=False),
    # Operations. /metrics answers only to its bearer token (unset in tests: 404 for everyone).
    ("metrics", "GET"): Row(lambda w: "/metrics", everyone(404)),
    ("ops.healthz", "GET"): Row(lambda w: "/healthz", everyone(200)),
    ("ops.readyz", "GET"): Row(lambda w: "/readyz", everyone(200)),
    ("ops.failed_jobs", "GET"): Row(lambda w: "/admin/jobs", admin_only(200)),
    ("ops.retry_job", "POST"): Row(lambda w: "/admin/jobs/db-999999/retry", admin_only(302), data=lambda w: {}),
    ("ops.retry_mail", "POST"): Row(lambda w: "/admin/mail/999999/retry", admin_only(302), data=lambda w: {}),
    ("ops.start_reindex", "POST"): Row(lambda w: "/admin/jobs/reindex", admin_only(302), data=lambda w: {}),
    # API: the session cookie counts for nothing there (tests/api covers tokens and scopes):
    # public reads answer everyone, everything else answers 401 without a bearer token.
    ("api-docs.openapi_json", "GET"): Row(lambda w: "/api/v1/openapi.json", everyone(200)),
    ("api_docs.docs", "GET"): Row(lambda w: "/api/v1/docs", everyone(200)),
    ("api_docs.docs_asset", "GET"): Row(lambda w: "/api/v1/docs/assets/swagger-ui.css", everyone(200)),
    ("api_docs.problem_type", "GET"): Row(lambda w: "/api/v1/problems/not-found", everyone(200)),
    ("api.list_boards", "GET"): Row(lambda w: "/api/v1/boards", everyone(200)),
    ("api.get_board", "GET"): Row(lambda w: f"/api/v1/boards/{w.board.slug}", everyone(200)),
    ("api.list_board_topics", "GET"): Row(lambda w: f"/api/v1/boards/{w.board.slug}/topics", everyone(200)),
    ("api.get_topic", "GET"): Row(lambda w: f"/api/v1/topics/{w.topic.id}", everyone(200)),
    ("api.list_topic_posts", "GET"): Row(lambda w: f"/api/v1/topics/{w.topic.id}/posts", everyone(200)),
    ("api.get_post", "GET"): Row(lambda w: f"/api/v1/posts/{w.reply.id}", everyone(200)),
    ("api.get_member", "GET"): Row(lambda w: f"/api/v1/members/{w.author.username}", everyone(200)),
    ("api.get_me", "GET"): Row(lambda w: "/api/v1/me", everyone(401)),
    ("api.list_notifications", "GET"): Row(lambda w: "/api/v1/me/notifications", everyone(401)),
    ("api.moderation_log", "GET"): Row(lambda w: "/api/v1/moderation/log", everyone(401)),
    ("api.start_topic", "POST"): Row(lambda w: f"/api/v1/boards/{w.board.slug}/topics", everyone(401), data=lambda w: {}, csrf=False),
    ("api.reply", "POST"): Row(lambda w: f"/api/v1/topics/{w.topic.id}/posts", everyone(401), data=lambda w: {}, csrf=False),
    ("api.edit_post", "PATCH"): Row(lambda w: f"/api/v1/posts/{w.reply.id}", everyone(401), data=lambda w: {}, csrf=False),
    ("api.delete_post", "DELETE"): Row(lambda w: f"/api/v1/posts/{w.reply.id}", everyone(401), data=lambda w: {}, csrf=False),
    ("api.mark_notifications_read", "POST"): Row(lambda w: "/api/v1/me/notifications/read", everyone(401), data=lambda w: {}, csrf=False),
    ("api.list_articles", "GET"): Row(lambda w: "/api/v1/articles", everyone(200)),
    ("api.get_article", "GET"): Row(lambda w: f"/api/v1/articles/{w.extra['article_published']}", everyone(200)),
    ("api.search_forum", "GET"): Row(lambda w: "/api/v1/search?q=topic", everyone(200)),
    ("api.report_post", "POST"): Row(lambda w: f"/api/v1/posts/{w.reply.id}/report", everyone(401), data=lambda w: {}, csrf=False),
    ("api.report_topic", "POST"): Row(lambda w: f"/api/v1/topics/{w.topic.id}/report", everyone(401), data=lambda w: {}, csrf=False),
    ("api.list_topic_watches", "GET"): Row(lambda w: "/api/v1/me/watches/topics", everyone(401)),
    ("api.watch_topic", "PUT"): Row(lambda w: f"/api/v1/me/watches/topics/{w.topic.id}", everyone(401), data=lambda w: {}, csrf=False),
    ("api.unwatch_topic", "DELETE"): Row(lambda w: f"/api/v1/me/watches/topics/{w.topic.id}", everyone(401), data=lambda w: {}, csrf=False),
    ("api.list_board_watches", "GET"): Row(lambda w: "/api/v1/me/watches/boards", everyone(401)),
    ("api.watch_board", "PUT"): Row(lambda w: f"/api/v1/me/watches/boards/{w.board.slug}", everyone(401), data=lambda w: {}, csrf=False),
    ("api.unwatch_board", "DELETE"): Row(lambda w: f"/api/v1/me/watches/boards/{w.board.slug}", everyone(401), data=lambda w: {}, csrf=False),
    ("api.export_data", "GET"): Row(lambda w: "/api/v1/me/export", everyone(401)),
    ("api.moderation_queue", "GET"): Row(lambda w: "/api/v1/moderation/queue", everyone(401)),
    ("api.moderation_entry", "GET"): Row(lambda w: f"/api/v1/moderation/queue/{w.extra['entry']}", everyone(401)),
    ("api.moderation_act", "POST"): Row(
        lambda w: f"/api/v1/moderation/queue/{w.extra['entry']}/dismiss", everyone(401), data=lambda w: {}, csrf=False
    ),
    # Settings › API tokens (revoking a token that is not yours, or gone, is a 404).
    ("tokens.index", "GET"): Row(lambda w: "/settings/tokens", signed_in(200)),
    ("tokens.index", "POST"): Row(
        lambda w: "/settings/tokens", signed_in(200), data=lambda w: {"name": "matrix", "scopes": "read", "expires": "30"}
    ),
    ("tokens.revoke", "POST"): Row(lambda w: "/settings/tokens/999999/revoke", signed_in(404), data=lambda w: {}),
    # Articles. "expert" is a verified expert who is not the articles' author.
    ("articles.index", "GET"): Row(lambda w: "/articles", everyone(200)),
    ("articles.feed", "GET"): Row(lambda w: "/articles/feed.atom", everyone(200)),
    ("articles.show", "GET"): Row(lambda w: f"/articles/{w.extra['article_published']}", everyone(200)),
    ("articles.new", "GET"): Row(lambda w: "/articles/new", roles(anonymous=LOGIN, member=403, suspended=403, expert=200, moderator=403, admin=403)),
    ("articles.new", "POST"): Row(
        lambda w: "/articles/new", roles(anonymous=LOGIN, member=403, suspended=403, expert=302, moderator=403, admin=403), data=_article_form
    ),
    ("articles.mine", "GET"): Row(lambda w: "/articles/mine", signed_in(200)),
    ("articles.edit", "GET"): Row(lambda w: f"/articles/{w.extra['article_draft']}/edit", signed_in(403)),
    ("articles.edit", "POST"): Row(lambda w: f"/articles/{w.extra['article_draft']}/edit", signed_in(403), data=_article_form),
    ("articles.submit", "POST"): Row(lambda w: f"/articles/{w.extra['article_draft']}/submit", signed_in(403), data=lambda w: {}),
    ("articles.queue", "GET"): Row(lambda w: "/articles/review", staff(200)),
    ("articles.review", "GET"): Row(lambda w: f"/articles/{w.extra['article_in_review']}/review", staff(200)),
    ("articles.publish", "POST"): Row(lambda w: f"/articles/{w.extra['article_in_review']}/publish", staff(302), data=lambda w: {}),
    ("articles.return_to_author", "POST"): Row(
        lambda w: f"/articles/{w.extra['article_in_review']}/return", staff(302), data=lambda w: {"comment": "Please add references."}
    ),
    ("articles.confirm_review", "POST"): Row(lambda w: f"/articles/{w.extra['article_published']}/confirm-review", staff(302), data=lambda w: {}),
    ("articles.archive", "POST"): Row(lambda w: f"/articles/{w.extra['article_published']}/archive", staff(302), data=lambda w: {"reason": ""}),
    ("articles.restore", "POST"): Row(lambda w: f"/articles/{w.extra['article_archived']}/restore", staff(302), data=lambda w: {}),
    ("articles.pins", "GET"): Row(lambda w: f"/articles/{w.extra['article_published']}/pins", staff(200)),
    ("articles.pin", "POST"): Row(lambda w: f"/articles/{w.extra['article_published']}/pins/home", staff(302), data=lambda w: {"home-position": "2"}),
    ("articles.unpin", "POST"): Row(lambda w: f"/articles/{w.extra['article_published']}/pins/home/remove", staff(302), data=lambda w: {}),
    ("articles.revisions", "GET"): Row(lambda w: f"/articles/{w.extra['article_published']}/revisions", staff(200)),
    ("articles.revision", "GET"): Row(lambda w: f"/articles/{w.extra['article_published']}/revisions/1", staff(200)),
    ("articles.diff", "GET"): Row(lambda w: f"/articles/{w.extra['article_published']}/diff?from=1&to=1", staff(200)),
    ("articles.manage_experts", "GET"): Row(lambda w: "/admin/experts", admin_only(200)),
    ("articles.manage_experts", "POST"): Row(
        lambda w: "/admin/experts", admin_only(302), data=lambda w: {"username": "matrix_author", "credential": "Ophthalmologist"}
    ),
    ("articles.revoke_expert", "POST"): Row(lambda w: f"/admin/experts/{w.extra['writer_id']}/revoke", admin_only(302), data=lambda w: {}),
    # Treatment experience reports: summaries for everyone, reports shown only when shared (the
    # private one answers 404 to all but staff), edits and history for the author (who is none of
    # the roles) and staff.
    ("treatments.index", "GET"): Row(lambda w: "/treatments", everyone(200)),
    ("treatments.mine", "GET"): Row(lambda w: "/treatments/mine", signed_in(200)),
    ("treatments.new", "GET"): Row(lambda w: "/treatments/new", signed_in(200, suspended=403)),
    ("treatments.new", "POST"): Row(
        lambda w: "/treatments/new", signed_in(302, suspended=403),
        data=lambda w: {**_experience_form(w), "treatment": "gabapentin"},
    ),
    ("treatments.treatment", "GET"): Row(lambda w: "/treatments/botulinum-toxin", everyone(200)),
    ("treatments.link_article", "POST"): Row(lambda w: "/treatments/botulinum-toxin/article", staff(302), data=lambda w: {"article": ""}),
    ("treatments.experience", "GET"): Row(
        lambda w: f"/treatments/experiences/{w.extra['experience_private']}",
        roles(anonymous=404, member=404, suspended=404, expert=404, moderator=200, admin=200),
    ),
    ("treatments.edit", "GET"): Row(lambda w: f"/treatments/experiences/{w.extra['experience_shared']}/edit", signed_in(403)),
    ("treatments.edit", "POST"): Row(
        lambda w: f"/treatments/experiences/{w.extra['experience_shared']}/edit", signed_in(403), data=_experience_form
    ),
    ("treatments.delete", "POST"): Row(lambda w: f"/treatments/experiences/{w.extra['experience_shared']}/delete", signed_in(403), data=lambda w: {}),
    ("treatments.history", "GET"): Row(
        lambda w: f"/treatments/experiences/{w.extra['experience_shared']}/history",
        roles(anonymous=LOGIN, member=404, suspended=404, expert=404, moderator=200, admin=200),
    ),
    ("treatments.report", "GET"): Row(lambda w: f"/treatments/experiences/{w.extra['experience_shared']}/report", signed_in(200, suspended=403)),
    ("treatments.report", "POST"): Row(
        lambda w: f"/treatments/experiences/{w.extra['experience_shared']}/report", signed_in(302, suspended=403),
        data=lambda w: {"reason": "spam"},
    ),
    ("treatments.moderate", "GET"): Row(lambda w: f"/mod/experiences/{w.extra['experience_private']}", staff(200)),
    ("treatments.moderate_action", "POST"): Row(
        lambda w: f"/mod/experiences/{w.extra['experience_shared']}/hide", staff(302), data=lambda w: {"reason": "Matrix"}
    ),
    # Local support groups: listed groups for everyone, pending ones for their organiser (the
    # author, who is none of the roles) and staff; organisers edit, staff verify.
    # Private messages and blocking
    ("messages.inbox", "GET"): Row(lambda w: "/messages", signed_in(200)),
    ("messages.new", "GET"): Row(lambda w: "/messages/new", signed_in(200)),
    ("messages.new", "POST"): Row(lambda w: "/messages/new", signed_in(302, suspended=403),
                                  data=lambda w: {"recipients": w.author.username, "title": "Hello there", "body": "Hi"}),
    ("messages.conversation", "GET"): Row(lambda w: f"/messages/{w.extra['conversation']}", _in_conversation(200)),
    ("messages.conversation", "POST"): Row(lambda w: f"/messages/{w.extra['conversation']}",
                                           {**_in_conversation(302), "suspended": 403}, data=lambda w: {"body": "Thanks"}),
    ("messages.leave", "POST"): Row(lambda w: f"/messages/{w.extra['conversation']}/leave", _in_conversation(302), data=lambda w: {}),
    ("messages.report", "GET"): Row(lambda w: f"/messages/report/{w.extra['message_fresh']}", {**_in_conversation(200), "suspended": 403}),
    ("messages.report", "POST"): Row(lambda w: f"/messages/report/{w.extra['message_fresh']}",
                                     {**_in_conversation(302), "suspended": 403}, data=lambda w: {"reason": "spam"}),
    ("messages.blocked", "GET"): Row(lambda w: "/blocked", signed_in(200)),
    ("messages.block", "POST"): Row(lambda w: f"/members/{w.author.username}/block", signed_in(302), data=lambda w: {}),
    ("messages.unblock", "POST"): Row(lambda w: f"/members/{w.author.username}/unblock", signed_in(302), data=lambda w: {}),
    ("messages.review", "GET"): Row(lambda w: f"/mod/messages/{w.extra['message_reported']}", staff(200)),
    ("messages.review_conversation", "POST"): Row(lambda w: f"/mod/messages/{w.extra['message_reported']}/conversation",
                                                  staff(200), data=lambda w: {}),
    ("messages.review_action", "POST"): Row(lambda w: f"/mod/messages/{w.extra['message_reported']}/dismiss", staff(302),
                                            data=_entry_form),
    ("groups.index", "GET"): Row(lambda w: "/groups", everyone(200)),
    ("groups.mine", "GET"): Row(lambda w: "/groups/mine", signed_in(200)),
    ("groups.new", "GET"): Row(lambda w: "/groups/new", signed_in(200, suspended=403)),
    ("groups.new", "POST"): Row(lambda w: "/groups/new", signed_in(302, suspended=403), data=_group_form),
    ("groups.show", "GET"): Row(
        lambda w: f"/groups/{w.extra['group_pending']}",
        roles(anonymous=404, member=404, suspended=404, expert=404, moderator=200, admin=200),
    ),
    ("groups.edit", "GET"): Row(lambda w: f"/groups/{w.extra['group_listed']}/edit", signed_in(403)),
    ("groups.edit", "POST"): Row(lambda w: f"/groups/{w.extra['group_listed']}/edit", signed_in(403), data=_group_form),
    ("groups.delete", "POST"): Row(lambda w: f"/groups/{w.extra['group_listed']}/delete", signed_in(403), data=lambda w: {}),
    ("groups.confirm", "POST"): Row(
        lambda w: f"/groups/{w.extra['group_listed']}/confirm",
        roles(anonymous=LOGIN, member=403, suspended=403, expert=403, moderator=302, admin=302), data=lambda w: {},
    ),
    ("groups.thread", "POST"): Row(
        lambda w: f"/groups/{w.extra['group_listed']}/thread",
        roles(anonymous=LOGIN, member=403, suspended=403, expert=403, moderator=302, admin=302), data=lambda w: {},
    ),
    ("groups.contact", "GET"): Row(lambda w: f"/groups/{w.extra['group_listed']}/contact", signed_in(200, suspended=403)),
    ("groups.contact", "POST"): Row(
        lambda w: f"/groups/{w.extra['group_listed']}/contact", signed_in(302, suspended=403), data=lambda w: {"body": "Hello"}
    ),
    ("groups.messages", "GET"): Row(lambda w: f"/groups/{w.extra['group_listed']}/messages", signed_in(403)),
    ("groups.review_queue", "GET"): Row(lambda w: "/mod/groups", staff(200)),
    ("groups.review", "POST"): Row(lambda w: f"/mod/groups/{w.extra['group_pending']}/verify", staff(302), data=lambda w: {}),
}


def _unsubscribe_url(world: World) -> str:
    from forum.services.outbox import unsubscribe_path

    return unsubscribe_path(world.author.id)


def app_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - IGNORED_METHODS:
            routes.add((rule.endpoint, method))
    return routes


def test_every_route_has_a_row(app):
    routes = app_routes(app)
    rows = {key[:2] for key in MATRIX}
    missing = sorted(routes - rows)
    stale = sorted(rows - routes)
    assert not missing, f"Routes without a row in tests/test_authorization_matrix.py MATRIX: {missing}"
    assert not stale, f"Rows for routes that no longer exist: {stale}"


def test_every_row_names_every_role():
    for key, row in MATRIX.items():
        assert set(row.expect) == set(ROLES), key


def test_every_case_follows_its_plain_row():
    for key in MATRIX:
        assert len(key) == 2 or (len(key) == 3 and key[:2] in MATRIX and key[2]), key


def row_id(key: tuple) -> str:
    """The test id of a row: method, endpoint and the case, if any."""
    return " ".join((key[1], key[0], *key[2:]))


def request_as(client, world: World, role: str, method: str, url: str, data: dict | None):
    if role != "anonymous":
        user = world.users[role]
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client.open(url, method=method, data=data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(MATRIX), ids=row_id)
def test_route_for_role(client, key, role):
    row = MATRIX[key]
    world = build_world()
    method = key[1]
    response = request_as(client, world, role, method, row.url(world), row.data(world) if row.data else None)
    expected = row.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302, (key, role, response.status_code)
        assert response.headers["Location"].split("?")[0].endswith("/signin"), (key, role, response.headers["Location"])
    else:
        assert response.status_code == expected, (key, role, response.status_code, response.get_data(as_text=True)[:500])
    assert_security_headers(response)
