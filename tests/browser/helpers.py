"""Helpers for the browser tests: data in the live database, page watchers, axe, people's actions."""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from tests.factories import PASSWORD

HERE = Path(__file__).resolve().parent
AXE_SOURCE = (HERE / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SCREENSHOTS = HERE.parent.parent / "test-artifacts" / "screenshots"

# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_names = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other test in the session uses."""
    return f"{prefix}{next(_names)}"


# --- data in the live server's database ---------------------------------------------------


class LiveData:
    """Create members and content directly in the live server's database."""

    def __init__(self, app) -> None:
        self.app = app

    def _run(self, fn):
        from forum.extensions import db

        with self.app.app_context():
            try:
                result = fn()
                db.session.commit()
                return result
            finally:
                db.session.remove()

    def user(self, username: str | None = None, role: str = "member", **fields):
        from forum.models import Role
        from forum.services import accounts

        username = username or unique("member")
        return self._run(lambda: accounts.create_user(username, f"{username.lower()}@example.org", PASSWORD, role=Role(role), **fields))

    def suspend(self, username: str, days: int = 7, reason: str = "Repeated off-topic posts.") -> None:
        from sqlalchemy import select

        from forum.extensions import db
        from forum.models import User, utcnow

        def _suspend():
            user = db.session.scalar(select(User).where(User.username_key == username.lower()))
            user.suspended_until = utcnow() + timedelta(days=days)
            user.suspension_reason = reason

        self._run(_suspend)

    def topic(self, author: str, title: str, body: str, board: str = "coping") -> int:
        from sqlalchemy import select

        from forum.extensions import db
        from forum.models import Board, User
        from forum.services import posting

        def _topic():
            user = db.session.scalar(select(User).where(User.username_key == author.lower()))
            board_row = db.session.scalar(select(Board).where(Board.slug == board))
            return posting.start_topic(board_row, user, title, body).topic_id

        return self._run(_topic)

    def reply(self, author: str, topic_id: int, body: str) -> int:
        from sqlalchemy import select

        from forum.extensions import db
        from forum.models import Topic, User
        from forum.services import posting

        def _reply():
            user = db.session.scalar(select(User).where(User.username_key == author.lower()))
            return posting.reply_to_topic(db.session.get(Topic, topic_id), user, body).id

        return self._run(_reply)

    def session_id(self, username: str) -> str:
        """What a signed-in member's session holds (User.get_id())."""
        from sqlalchemy import select

        from forum.extensions import db
        from forum.models import User

        return self._run(lambda: db.session.scalar(select(User).where(User.username_key == username.lower())).get_id())

    def scalar(self, statement):
        from forum.extensions import db

        return self._run(lambda: db.session.scalar(statement))


# --- watching a page ------------------------------------------------------------------------


@dataclass
class Problems:
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


# Resource loads that fail are reported in the console; the ones below are expected.
_IGNORED_CONSOLE = re.compile(r"favicon\.ico|status of 4\d\d")


def watch(page) -> Problems:
    """Record uncaught page errors, dialogs (dismissed at once) and console errors."""
    problems = Problems()
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))

    def _dialog(dialog):
        problems.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", _dialog)

    def _console(message):
        if message.type == "error" and not _IGNORED_CONSOLE.search(message.text):
            problems.console_errors.append(message.text)

    page.on("console", _console)
    return problems


# --- axe-core --------------------------------------------------------------------------------


def axe(page, tags: list[str] | None = None, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core in the page; return its violations (WCAG A and AA tags unless told otherwise).

    The engine is evaluated through the DevTools protocol, which a Content-Security-Policy
    does not block.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": tags or WCAG_TAGS}
    options = {"runOnly": run_only, "resultTypes": ["violations"]}
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_no_violations(page, **kwargs) -> None:
    violations = axe(page, **kwargs)
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{describe_violations(violations)}"


# --- what people do ---------------------------------------------------------------------------


def sign_up(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username (your pseudonym)").fill(username)
    page.get_by_label("Email address").fill(f"{username.lower()}@example.org")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Create account").click()
    # Signing up signs nobody in (it answers the same whether or not the address has an account).
    page.get_by_text("We have sent a message to the address you gave").wait_for()
    sign_in(page, username, password)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/signin")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Welcome back, {username}.").wait_for()


def no_horizontal_scroll(page) -> dict:
    """The page's widths: a page that scrolls sideways has scrollWidth > clientWidth."""
    return page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- the page types of the forum ---------------------------------------------------------------

DEMO_PASSWORD = "demo-password-1"
DEMO_MEMBER, DEMO_MODERATOR, DEMO_EXPERT, DEMO_ADMIN = "blinking_bea", "willow_mod", "dr_rowan_neuro", "demo_admin"


@dataclass(frozen=True)
class PageType:
    """A kind of page: where to find one, and who must be signed in to see it."""

    name: str
    path: str
    who: str | None = None


# Every page type of the forum (page_types() finds one page of each).
PAGE_NAMES = [
    "home", "board", "topic", "sign-in", "sign-up", "new-topic", "reply", "profile", "not-found",
    "articles", "article", "search", "notifications", "notification-settings", "report",
    "queue", "queue-item", "log", "queue-member", "mod-edit", "watched-words", "standing", "my-reports",
    "settings", "settings-delete", "tokens",
    "treatments", "treatment", "treatment-report-form", "treatment-reports-mine",
    "groups", "group", "group-contact", "group-form", "group-queue",
    "drafts", "two-factor-settings", "upload",
    "messages", "conversation", "new-conversation", "report-message", "blocked", "message-review",
]


def _message_pages(data: LiveData) -> list[PageType]:
    """The private message pages, on a demo conversation of the demo member; its last message reported once."""
    from sqlalchemy import select

    from forum.extensions import db
    from forum.models import Report, TargetType, User
    from forum.models.messages import ConversationMember, Message
    from forum.services import messages

    def _reported() -> tuple[int, int] | None:
        member = db.session.scalar(select(User).where(User.username_key == DEMO_MEMBER))
        message = db.session.scalar(
            select(Message).join(ConversationMember, ConversationMember.conversation_id == Message.conversation_id)
            .where(ConversationMember.user_id == member.id, Message.author_id != member.id).order_by(Message.id.desc())
        )
        if message is None:
            return None
        known = db.session.scalar(select(Report.id).where(Report.target_type == TargetType.MESSAGE, Report.target_id == message.id))
        if known is None:
            messages.report_message(member, message.id, "other", "Checking how reports on messages look.")
        return message.conversation_id, message.id

    found = data._run(_reported)
    assert found, f"the demo seed has no conversation of {DEMO_MEMBER} with a message from someone else"
    conversation_id, message_id = found
    return [
        PageType("messages", "/messages", who=DEMO_MEMBER),
        PageType("new-conversation", "/messages/new", who=DEMO_MEMBER),
        PageType("blocked", "/blocked", who=DEMO_MEMBER),
        PageType("conversation", f"/messages/{conversation_id}", who=DEMO_MEMBER),
        PageType("report-message", f"/messages/report/{message_id}", who=DEMO_MEMBER),
        PageType("message-review", f"/mod/messages/{message_id}", who=DEMO_MODERATOR),
    ]


def page_types(data: LiveData) -> list[PageType]:
    """One page of every type the forum has, found in the seeded demo community.

    Each must be there: a renamed route or a seed that no longer makes what a page needs fails
    (`test_every_page_type_is_there`), it is never skipped.
    """
    from sqlalchemy import select

    from forum.models import Post, Topic, User
    from forum.models.article import Article
    from forum.models.groups import SupportGroup

    topic_id = data.scalar(select(Topic.id).where(Topic.is_demo.is_(True), Topic.reply_count > 1).order_by(Topic.id))
    post_id = data.scalar(select(Post.id).where(Post.topic_id == topic_id).order_by(Post.number))
    slug = data.scalar(select(Article.slug).where(Article.status == "published").order_by(Article.id))
    group_id = data.scalar(
        select(SupportGroup.id).join(User, User.id == SupportGroup.organiser_id)
        .where(SupportGroup.status == "listed", User.username != DEMO_MEMBER).order_by(SupportGroup.id)
    )
    assert topic_id and post_id, "the demo seed has no topic with replies"
    assert slug, "the demo seed has no published article"
    assert group_id, "the demo seed has no listed support group organised by someone else"
    return [
        PageType("home", "/"),
        PageType("board", "/boards/coping"),
        PageType("topic", f"/topics/{topic_id}"),
        PageType("sign-in", "/signin"),
        PageType("sign-up", "/signup"),
        PageType("new-topic", "/boards/treatments/new", who=DEMO_MEMBER),
        PageType("reply", f"/topics/{topic_id}/reply?quote={post_id}", who=DEMO_MEMBER),
        PageType("profile", f"/users/{DEMO_EXPERT}"),
        PageType("not-found", "/no-such-page"),
        PageType("articles", "/articles"),
        PageType("article", f"/articles/{slug}"),
        PageType("search", "/search?q=botox"),
        PageType("notifications", "/notifications", who=DEMO_MEMBER),
        PageType("notification-settings", "/notifications/settings", who=DEMO_MEMBER),
        PageType("report", f"/report/post/{post_id}", who=DEMO_MEMBER),
        PageType("treatments", "/treatments"),
        PageType("treatment", "/treatments/botulinum-toxin"),
        PageType("treatment-report-form", "/treatments/new", who=DEMO_MEMBER),
        PageType("treatment-reports-mine", "/treatments/mine", who=DEMO_MEMBER),
        PageType("groups", "/groups"),
        PageType("group", f"/groups/{group_id}"),
        PageType("group-contact", f"/groups/{group_id}/contact", who=DEMO_MEMBER),
        PageType("group-form", "/groups/new", who=DEMO_MEMBER),
        PageType("group-queue", "/mod/groups", who=DEMO_MODERATOR),
        PageType("drafts", "/drafts", who=DEMO_MEMBER),
        PageType("two-factor-settings", "/settings/two-factor", who=DEMO_MEMBER),
        PageType("upload", "/uploads", who=DEMO_MEMBER),
        *_message_pages(data),
        PageType("queue", "/mod?status=all", who=DEMO_MODERATOR),
        PageType("queue-item", f"/mod/posts/{post_id}", who=DEMO_MODERATOR),
        PageType("log", "/mod/log", who=DEMO_MODERATOR),
        PageType("queue-member", f"/mod/users/{DEMO_MEMBER}", who=DEMO_MODERATOR),
        PageType("mod-edit", f"/mod/posts/{post_id}/edit", who=DEMO_MODERATOR),
        PageType("watched-words", "/mod/watched-words", who=DEMO_ADMIN),
        PageType("standing", "/account/standing", who=DEMO_MEMBER),
        PageType("my-reports", "/reports/mine", who=DEMO_MEMBER),
        PageType("settings", "/settings", who=DEMO_MEMBER),
        PageType("settings-delete", "/settings/delete", who=DEMO_MEMBER),
        PageType("tokens", "/settings/tokens", who=DEMO_MEMBER),
    ]


# The reading cookie of each colour theme, at the default text size.
THEMES = {"default": None, "dark": "100.dark.0.0", "contrast": "100.contrast.0.0"}


def reading_cookie(base_url: str, value: str) -> dict:
    """The visitor's `reading` cookie, for BrowserContext.add_cookies."""
    return {"name": "reading", "value": value, "url": base_url}
