"""An XSS corpus through every field a member controls.

Each payload of tests/data/xss_payloads.txt is sent through each field. The stored HTML must hold
no script, no event handler and no dangerous URL, and every page showing it must show the text
escaped. Other features add their fields here (report notes, article fields...), reusing
PAYLOADS, audit_html() and assert_shown_as_text().
"""
from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from forum.markup import ALLOWED_TAGS
from forum.models import Post, Topic

PAYLOADS = [line for line in (Path(__file__).parent / "data" / "xss_payloads.txt").read_text().splitlines() if line.strip()]

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "style", "base",
    "template", "isindex", "noscript", "xmp", "plaintext", "listing",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "ping"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")


class _Audit(HTMLParser):
    def __init__(self, allowed_tags: frozenset[str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.allowed_tags is not None and tag not in self.allowed_tags:
            self.problems.append(f"tag <{tag}> outside the allowlist")
        if tag in DANGEROUS_TAGS and not (tag == "script" and (attributes.get("src") or "").startswith("/static/")):
            self.problems.append(f"dangerous tag <{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("meta http-equiv")
        href = attributes.get("href") or ""
        if tag == "link" and not (href.startswith("/") and not href.startswith("//")):  # the forum's own only
            self.problems.append("foreign <link>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
                if cleaned.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"dangerous URL {name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def audit_html(markup: str, allowed_tags: frozenset[str] | None = None) -> list[str]:
    """What is wrong with this HTML: dangerous tags, handlers, styles or URLs (empty list: nothing)."""
    audit = _Audit(allowed_tags)
    audit.feed(markup)
    audit.close()
    return audit.problems


def page_text(markup: str) -> str:
    """The visible text of a page, with whitespace collapsed."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", markup)
    return " ".join(html_lib.unescape(text).split())


def assert_page_safe(response, secret_key: str) -> str:
    markup = response.get_data(as_text=True)
    problems = audit_html(markup)
    assert not problems, problems
    assert secret_key not in markup
    assert "&lt;Config" not in markup and "<Config" not in markup
    return markup


def assert_shown_as_text(response, text: str, secret_key: str) -> None:
    """The page is safe and shows `text` literally (escaped, not interpreted)."""
    markup = assert_page_safe(response, secret_key)
    assert " ".join(text.split()) in page_text(markup), text


def test_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    families = {
        "script tag": r"<script", "event handler": r"\bon[a-z]+\s*=", "javascript: URL": r"javascript:",
        "data: URL": r"data:", "SVG": r"<svg", "MathML": r"<math", "encoded": r"&#|%3C|\\u003c|&lt;",
        "malformed": r"<<|<scr<", "CSS": r"style|expression\(", "template injection": r"\{\{|\{%|\$\{",
        "Markdown link": r"\]\(",
    }
    for family, pattern in families.items():
        assert any(re.search(pattern, p, re.I) for p in PAYLOADS), family


def test_audit_catches_what_it_should():
    assert audit_html('<img src=x onerror="alert(1)">')
    assert audit_html('<a href=" jav&#x61;script:alert(1)">x</a>')
    assert audit_html("<svg></svg>")
    assert not audit_html('<p><a href="https://example.org" rel="nofollow">ok</a></p>', ALLOWED_TAGS)


@pytest.fixture
def author(login, make_user):
    return login(make_user(username="xss_xena"))


def _check_stored(db):
    for post in db.session.scalars(select(Post)):
        problems = audit_html(post.body_html, ALLOWED_TAGS)
        assert not problems, (post.body, problems)


def test_titles(client, author, make_board, app, db):
    board = make_board(slug="coping")
    secret = app.config["SECRET_KEY"]
    for payload in PAYLOADS:
        response = client.post(f"/boards/{board.slug}/new", data={"title": payload, "body": "Body"})
        if response.status_code == 422:  # too short or too long: the form shows it back, escaped
            assert_page_safe(response, secret)
            continue
        assert response.status_code == 302, payload
        topic_page = client.get(response.headers["Location"])
        assert_shown_as_text(topic_page, payload, secret)
    assert_shown_as_text(client.get(f"/boards/{board.slug}"), PAYLOADS[0], secret)
    assert_page_safe(client.get("/"), secret)
    titles = list(db.session.scalars(select(Topic.title)))
    assert "{{7*7}}" in titles


def test_bodies_of_topics_replies_and_edits(client, author, make_board, app, db):
    board = make_board(slug="coping")
    secret = app.config["SECRET_KEY"]
    response = client.post(f"/boards/{board.slug}/new", data={"title": "A topic for replies", "body": PAYLOADS[0]})
    topic_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for payload in PAYLOADS:
        response = client.post(f"/boards/{board.slug}/new", data={"title": "Body test topic", "body": payload})
        assert response.status_code == 302, payload
        assert_page_safe(client.get(response.headers["Location"]), secret)
        response = client.post(f"/topics/{topic_id}/reply", data={"body": payload})
        assert response.status_code == 302, payload
    reply_ids = list(db.session.scalars(select(Post.id).where(Post.topic_id == topic_id, Post.number > 1)))
    for post_id, payload in zip(reply_ids[:20], PAYLOADS[::-1]):
        response = client.post(f"/posts/{post_id}/edit", data={"body": payload + " (edited)"})
        assert response.status_code == 302, payload
        assert_page_safe(client.get(f"/posts/{post_id}/revisions"), secret)
        assert_page_safe(client.get(f"/posts/{post_id}/edit"), secret)
    for page in range(1, 6):
        assert_page_safe(client.get(f"/topics/{topic_id}?page={page}"), secret)
    _check_stored(db)
    # Template syntax is shown as written, never evaluated.
    assert any("{{7*7}}" in page_text(client.get(f"/topics/{topic_id}?page={p}").get_data(as_text=True)) for p in range(1, 6))


def test_usernames(client, app):
    """Usernames allow letters, digits, _ and - only: every payload is refused, and shown back escaped."""
    secret = app.config["SECRET_KEY"]
    for payload in PAYLOADS:
        response = client.post(
            "/signup", data={"username": payload, "email": "x@example.org", "password": "long-password-1", "confirm": "long-password-1"}
        )
        assert response.status_code == 422, payload
        assert_page_safe(response, secret)
    # Signing in hashes on every attempt (slow on purpose), so a sample of the corpus goes there.
    for payload in PAYLOADS[::12]:
        response = client.post("/signin", data={"login": payload, "password": "long-password-1"})
        assert response.status_code == 422
        assert_page_safe(response, secret)


def test_profile_fields(client, login, make_user, app):
    """Bio, condition and country are shown as plain text on the profile and the settings page."""
    secret = app.config["SECRET_KEY"]
    owner, viewer = make_user(username="xss_owner"), make_user(username="xss_viewer")
    for payload in PAYLOADS:
        login(owner)
        data = {"bio": payload, "condition": payload[:100], "country": payload[:60], "show_bio": "y", "show_condition": "y", "show_country": "y"}
        response = client.post("/settings", data=data)
        assert response.status_code == 302, payload
        assert_page_safe(client.get("/settings"), secret)
        login(viewer)
        page = client.get(f"/users/{owner.username}")
        for value in (payload, payload[:100], payload[:60]):
            if value.strip():
                assert_shown_as_text(page, value.strip(), secret)


def test_treatment_report_fields(client, author, app, db):
    from forum.models.treatment import TreatmentExperience

    secret = app.config["SECRET_KEY"]
    answers = {"condition": "blepharospasm", "rating": "4", "shared": "y"}
    response = client.post("/treatments/new", data={**answers, "treatment": "botulinum-toxin", "story": PAYLOADS[0]})
    assert response.status_code == 302
    report_url = response.headers["Location"]
    edit_url = f"{report_url}/edit"
    for payload in PAYLOADS:
        fields = {"dose": payload, "frequency": payload, "side_effects_other": payload, "story": payload}
        response = client.post(edit_url, data={**answers, **fields})
        if response.status_code == 422:  # longer than a short field allows: shown back, escaped
            assert_page_safe(response, secret)
            response = client.post(edit_url, data={**answers, "story": payload, "dose": payload[:80]})
        assert response.status_code == 302, payload
        assert_page_safe(client.get(report_url), secret)
        response = client.post("/treatments/new", data={**answers, "treatment": "other", "other_name": payload[:80]})
        assert response.status_code in (302, 409), payload
    for url in (report_url, f"{report_url}/history", "/treatments/botulinum-toxin", "/treatments/mine"):
        assert_page_safe(client.get(url), secret)
    assert_shown_as_text(client.get("/treatments/mine"), PAYLOADS[-1][:80], secret)
    for experience in db.session.scalars(select(TreatmentExperience)):
        problems = audit_html(experience.story_html, ALLOWED_TAGS)
        assert not problems, (experience.story, problems)


def test_support_group_fields(client, author, login, make_user, app, db):
    from forum.models import Role
    from forum.models.groups import SupportGroup

    secret = app.config["SECRET_KEY"]
    made = []
    for index, payload in enumerate(PAYLOADS):
        fields = {"name": f"{index:02d} {payload}"[:120], "format": "in_person", "country": payload[:60], "city": payload[:80],
                  "schedule": payload[:200], "description": payload}
        response = client.post("/groups/new", data=fields)
        if response.status_code == 422:  # refused (for example no city once trimmed): shown back, escaped
            assert_page_safe(response, secret)
            continue
        assert response.status_code == 302, payload
        made.append(response.headers["Location"])
        assert_page_safe(client.get(response.headers["Location"]), secret)
    assert made
    login(make_user(username="xss_mod", role=Role.MODERATOR))
    for url in made:
        client.post(f"/mod/groups/{url.rsplit('/', 1)[1]}/verify", data={})
    for url in ("/groups", "/mod/groups", made[-1], f"/groups?q={PAYLOADS[3][:50]}"):
        assert_page_safe(client.get(url), secret)
    login(make_user(username="xss_writer"))
    for payload in PAYLOADS:
        assert client.post(f"{made[0]}/contact", data={"body": payload}).status_code == 302, payload
    for group in db.session.scalars(select(SupportGroup)):
        problems = audit_html(group.description_html, ALLOWED_TAGS)
        assert not problems, (group.description, problems)
    login(author)  # the organiser reads the messages
    assert_shown_as_text(client.get(f"{made[0]}/messages"), PAYLOADS[-1], secret)


def test_draft_fields(client, author, make_board, make_topic, app):
    """Drafts are kept as typed and shown back only as text: in the form and on "Your drafts"."""
    board = make_board(slug="drafting")
    topic = make_topic(board=board)
    secret = app.config["SECRET_KEY"]
    for payload in PAYLOADS:
        assert client.post(f"/boards/{board.slug}/draft", data={"title": payload[:150], "body": payload}).status_code == 200
        assert client.post(f"/topics/{topic.id}/draft", data={"body": payload}).status_code == 200
        assert_page_safe(client.get(f"/boards/{board.slug}/new"), secret)
        assert_page_safe(client.get(f"/topics/{topic.id}/reply"), secret)
        listing = client.get("/drafts")
        if payload.strip():
            assert_shown_as_text(listing, " ".join(payload.split())[:100], secret)
        else:
            assert_page_safe(listing, secret)


# --- reports and moderators' words ------------------------------------------------------------


@pytest.fixture
def many_posts(make_user, make_board, make_topic):
    """One topic with a reply per payload, by one author: things to report and to hide."""
    from tests.factories import add_replies_in_bulk

    writer = make_user(username="xss_writer")
    topic = make_topic(board=make_board(slug="coping"), author=writer, title="Replies to moderate")
    add_replies_in_bulk(topic, len(PAYLOADS), writer)
    ids = list(db_scalars(select(Post.id).where(Post.topic_id == topic.id, Post.number > 1).order_by(Post.number)))
    return writer, topic, ids


def db_scalars(statement):
    from forum.extensions import db

    return db.session.scalars(statement)


def test_report_notes(client, login, make_user, many_posts, app):
    from forum.models import Role

    secret = app.config["SECRET_KEY"]
    writer, _, post_ids = many_posts
    login(make_user(username="xss_reporter"))
    for post_id, payload in zip(post_ids, PAYLOADS):
        response = client.post(f"/report/post/{post_id}", data={"reason": "other", "note": payload})
        assert response.status_code == 302, payload
    assert_page_safe(client.get("/reports/mine"), secret)
    # A report on a member carries its note too.
    response = client.post(f"/report/user/{writer.id}", data={"reason": "other", "note": PAYLOADS[0]})
    assert response.status_code == 302
    login(make_user(username="xss_mod", role=Role.MODERATOR))
    for status in ("pending", "all"):
        assert_page_safe(client.get(f"/mod?status={status}"), secret)
    for post_id, payload in zip(post_ids, PAYLOADS):
        entry_page = client.get(f"/mod/posts/{post_id}", follow_redirects=True)
        assert_shown_as_text(entry_page, payload, secret)
    assert_shown_as_text(client.get(f"/mod/users/{writer.username}"), PAYLOADS[0], secret)


def test_moderator_reasons_on_posts(client, login, make_user, many_posts, app):
    from forum.models import Role

    secret = app.config["SECRET_KEY"]
    writer, topic, post_ids = many_posts
    moderator = make_user(username="xss_mod", role=Role.MODERATOR)
    login(moderator)
    for post_id, payload in zip(post_ids, PAYLOADS):
        response = client.post(f"/mod/posts/{post_id}/hide", data={"hide-reason": payload, "hide-entry_id": ""})
        assert response.status_code == 302, payload
        assert_shown_as_text(client.get(f"/mod/posts/{post_id}"), payload, secret)
    # Notes for the log (lock and unlock), and a removal's reason.
    for payload in PAYLOADS[:10]:
        for action in ("lock", "unlock"):
            response = client.post(f"/mod/posts/{post_ids[0]}/{action}", data={f"{action}-reason": payload, f"{action}-entry_id": ""})
            assert response.status_code == 302, payload
    response = client.post(f"/mod/posts/{post_ids[-1]}/delete", data={"delete-reason": PAYLOADS[-1], "delete-entry_id": ""})
    assert response.status_code == 302
    # A reason longer than allowed is refused and shown back, escaped.
    too_long = client.post(f"/mod/posts/{post_ids[1]}/restore", data={"restore-reason": PAYLOADS[0] * 40, "restore-entry_id": ""})
    assert too_long.status_code == 422
    assert_page_safe(too_long, secret)
    _assert_log_safe(client, secret)
    # The author reads every reason on the topic and in their notifications.
    login(writer)
    pages = [client.get(f"/topics/{topic.id}?page={page}") for page in range(1, 6)]
    shown = " ".join(page_text(assert_page_safe(page, secret)) for page in pages)
    for payload in PAYLOADS[:-1]:
        assert " ".join(payload.split()) in shown, payload
    _assert_notifications_safe(client, secret, PAYLOADS[-1])


def test_moderator_words_to_members(client, login, make_user, app):
    from forum.models import Role

    secret = app.config["SECRET_KEY"]
    member = make_user(username="xss_member")
    moderator = make_user(username="xss_mod", role=Role.MODERATOR)
    item = f"/mod/users/{member.username}"
    for payload in PAYLOADS:
        login(moderator)
        for action, data in (
            ("warn", {"member_warn-reason": payload}),
            ("suspend", {"member_suspend-days": "3", "member_suspend-reason": payload}),
            ("note", {"note-body": payload}),
        ):
            response = client.post(f"{item}/{action}", data=data)
            assert response.status_code == 302, (action, payload)
        assert_shown_as_text(client.get(item), payload, secret)
        login(member)
        standing = client.get("/account/standing")
        assert_shown_as_text(standing, payload, secret)
        # The suspension's reason is given when the member tries to write.
        refused = client.get(f"/report/user/{moderator.id}")
        assert refused.status_code == 403
        assert_shown_as_text(refused, payload, secret)
        login(moderator)
        assert client.post(f"{item}/lift", data={"member_lift-reason": payload}).status_code == 302, payload
    response = client.post(f"{item}/ban", data={"member_ban-reason": PAYLOADS[0]})
    assert response.status_code == 302
    assert_shown_as_text(client.get(item), PAYLOADS[0], secret)
    _assert_log_safe(client, secret)
    login(member)
    assert_shown_as_text(client.get("/account/standing"), PAYLOADS[0], secret)
    _assert_notifications_safe(client, secret, PAYLOADS[0])


def _assert_log_safe(client, secret: str) -> None:
    """Every page of the moderation log is safe."""
    url = "/mod/log"
    for _ in range(50):
        response = client.get(url)
        markup = assert_page_safe(response, secret)
        older = re.search(r'href="(/mod/log\?[^"]*before=\d+[^"]*)"', markup)
        if older is None:
            return
        url = html_lib.unescape(older.group(1))


def _assert_notifications_safe(client, secret: str, newest: str) -> None:
    """Every page of the member's notifications is safe; the newest one shows `newest` as text."""
    response = client.get("/notifications")
    assert_shown_as_text(response, newest, secret)
    for _ in range(50):
        older = re.search(r'href="(/notifications\?before=[^"]+)"', response.get_data(as_text=True))
        if older is None:
            return
        response = client.get(html_lib.unescape(older.group(1)))
        assert_page_safe(response, secret)


# --- articles -----------------------------------------------------------------------------------


@pytest.fixture
def expert(make_user):
    from forum.extensions import db
    from forum.models import Role
    from forum.services import experts

    admin = make_user(username="xss_admin", role=Role.ADMIN)
    user = make_user(username="xss_expert")
    experts.grant(admin, user, "Neurologist", "Demo Hospital")
    db.session.commit()
    return user


def _article_form(board, title: str, summary: str, body: str, citation: str, url: str = "") -> dict:
    return {"title": title, "summary": summary, "body": body, "main_board": str(board.id),
            "references-0-citation": citation, "references-0-url": url}


def _padded(text: str, least: int) -> str:
    """The text, made long enough for a field with a minimum length."""
    return text if len(text.strip()) >= least else f"{text} (about living with facial spasms)"


def test_article_fields(client, login, make_user, make_board, expert, app):
    from forum.models import Role
    from forum.models.article import ArticleRevision
    from forum.services.articles import SUMMARY_MIN, TITLE_MIN

    secret = app.config["SECRET_KEY"]
    board = make_board(slug="treatments")
    moderator = make_user(username="xss_mod", role=Role.MODERATOR)
    made = []
    for payload in PAYLOADS:
        login(expert)
        data = _article_form(board, payload, payload, payload, payload, url=payload)
        response = client.post("/articles/new", data=data)
        if response.status_code == 422:  # too short, or not a web address: shown back, escaped
            assert_page_safe(response, secret)
            data = _article_form(board, _padded(payload, TITLE_MIN), _padded(payload, SUMMARY_MIN), payload, payload,
                                 url="https://example.org/?q=" + payload.replace(" ", "+"))
            response = client.post("/articles/new", data=data)
        if response.status_code == 422:  # the web address is still refused
            assert_page_safe(response, secret)
            data["references-0-url"] = ""
            response = client.post("/articles/new", data=data)
        assert response.status_code == 302, payload
        url = response.headers["Location"]
        made.append((url, data))
        assert_shown_as_text(client.get(url), data["title"], secret)
        assert_page_safe(client.get(f"{url}/edit"), secret)
        assert client.post(f"{url}/submit", data={}).status_code == 302, payload
        login(moderator)
        assert_page_safe(client.get(f"{url}/review"), secret)
        assert client.post(f"{url}/publish", data={}).status_code == 302, payload
    # The author edits one article with every payload as a reviewer's comment and a new version.
    url, data = made[0]
    for payload in PAYLOADS[:20]:
        login(expert)
        assert client.post(f"{url}/edit", data={**data, "body": payload + " (edited)"}).status_code == 302, payload
        assert client.post(f"{url}/submit", data={}).status_code == 302
        login(moderator)
        assert_page_safe(client.get(f"{url}/review"), secret)
        assert client.post(f"{url}/return", data={"comment": payload}).status_code == 302, payload
        login(expert)
        assert_shown_as_text(client.get(url), payload, secret)
    login(moderator)
    for page_url in (f"{url}/revisions", f"{url}/revisions/1", f"{url}/revisions/2", f"{url}/diff?from=1&to=2", "/articles/review",
                     "/articles/mine"):
        assert_page_safe(client.get(page_url), secret)
    for page in range(1, 6):
        assert_page_safe(client.get(f"/articles?page={page}"), secret)
    client.post(f"{made[1][0]}/archive", data={"reason": PAYLOADS[0]})
    _assert_log_safe(client, secret)
    login(expert)
    assert_page_safe(client.get("/articles/mine"), secret)
    # Readers: each article page shows its fields as text, and the feed and search stay safe.
    with client.session_transaction() as session:
        session.clear()
    for url, data in made[2:]:
        page = client.get(url)
        for key in ("title", "summary", "references-0-citation"):
            assert_shown_as_text(page, data[key], secret)
    _assert_feed_safe(client.get("/articles/feed.atom"))
    assert_page_safe(client.get("/search", query_string={"q": "spasms", "kind": "article"}), secret)
    for revision in db_scalars(select(ArticleRevision)):
        problems = audit_html(revision.body_html, ALLOWED_TAGS)
        assert not problems, (revision.body, problems)


def _assert_feed_safe(response) -> None:
    """The Atom feed parses; feed readers show its HTML content, which must pass the audit."""
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(response.get_data())
    entries = feed.findall(f"{atom}entry")
    assert entries
    for entry in entries:
        assert entry.find(f"{atom}title").get("type", "text") == "text"
        assert entry.find(f"{atom}summary").get("type") == "text"
        content = entry.find(f"{atom}content")
        assert content.get("type") == "html"
        problems = audit_html(content.text or "", ALLOWED_TAGS)
        assert not problems, (content.text, problems)
