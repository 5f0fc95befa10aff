"""Pages are semantic HTML: a language, one h1, landmarks, a skip link and labelled controls."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post


class PageStructure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v or "") for k, v in attrs}))

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(html: str) -> PageStructure:
    page = PageStructure()
    page.feed(html)
    return page


def assert_semantic(html: str) -> None:
    page = parse(html)
    assert page.all("html")[0].get("lang") == "en"
    assert len(page.all("h1")) == 1, "exactly one h1"
    for landmark in ("header", "main", "footer", "nav"):
        assert page.all(landmark), f"missing <{landmark}>"
    assert page.all("a")[0].get("href") == "#main", "the first link skips to the main content"
    labelled = {attrs.get("for") for attrs in page.all("label")}
    for tag in ("input", "textarea", "select"):
        for attrs in page.all(tag):
            if attrs.get("type") in ("hidden", "submit"):
                continue
            assert attrs.get("id") in labelled or attrs.get("aria-label"), f"unlabelled <{tag}> {attrs}"
    headings = [int(name[1]) for name, _ in page.tags if name in ("h1", "h2", "h3", "h4", "h5", "h6")]
    for before, after in zip(headings, headings[1:]):
        assert after <= before + 1, f"heading levels skip from h{before} to h{after}"


@pytest.fixture
def site(make_board, make_topic, make_user):
    board = make_board(slug="coping", name="Coping day to day")
    topic = make_topic(board=board, replies=2, body="# Heading in a post\n\ntext")
    return {"board": board, "topic": topic, "author": make_user(username="page_tester")}


PUBLIC_PATHS = ["/", "/boards/coping", "/topics/{topic}", "/signin", "/signup", "/users/page_tester", "/nowhere"]
MEMBER_PATHS = ["/boards/coping/new", "/topics/{topic}/reply", "/posts/{post}/edit", "/posts/{post}/revisions"]


def _paths(paths, site):
    post = db.session.scalar(select(Post).where(Post.topic_id == site["topic"].id, Post.number == 1))
    return [p.format(topic=site["topic"].id, post=post.id) for p in paths]


def test_public_pages_are_semantic(client, site):
    for path in _paths(PUBLIC_PATHS, site):
        assert_semantic(client.get(path).get_data(as_text=True))


def test_member_pages_are_semantic(client, login, site):
    from forum.models import User

    login(db.session.get(User, site["topic"].author_id))
    for path in _paths(MEMBER_PATHS, site):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_semantic(response.get_data(as_text=True))


def test_form_errors_are_tied_to_their_fields(client, login, member, site):
    login(member)
    html = client.post("/boards/coping/new", data={"title": "x", "body": ""}).get_data(as_text=True)
    page = parse(html)
    title = next(a for a in page.all("input") if a.get("name") == "title")
    assert title.get("aria-invalid") == "true"
    assert "title-error" in title.get("aria-describedby", "")
    assert 'id="title-error"' in html and 'role="alert"' in html


def test_pages_have_no_inline_script_or_style(client, site):
    for path in _paths(PUBLIC_PATHS, site):
        page = parse(client.get(path).get_data(as_text=True))
        assert all(attrs.get("src") for attrs in page.all("script")), path
        assert not page.all("style"), path
        assert not [t for t, attrs in page.tags if "style" in attrs], path
