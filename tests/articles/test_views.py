"""Article pages: each action for each role, bad input, missing and archived articles, pins, feed, badges."""
from __future__ import annotations

import re

import feedparser
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Article, ArticleRevision, ArticleStatus, ModerationAction, Role
from forum.services import articles, experts
from tests.articles.conftest import form_data


def _h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.fixture
def people(make_user, make_expert, author, other_expert, moderator, admin, expert):
    """Everyone who might try an action, by role name."""
    return {
        "anonymous": None,
        "member": make_user(username="plain_pat"),
        "unverified_expert": expert,  # has the Expert role but no verified credential
        "other_expert": other_expert,
        "author": author,
        "moderator": moderator,
        "admin": admin,
    }


def _act(client, login, people, who):
    if people[who] is not None:
        login(people[who])


# (action, article state before, how to call it)
ACTIONS = {
    "create": ("none", lambda slug, board: ("/articles/new", form_data(board))),
    "edit": ("draft", lambda slug, board: (f"/articles/{slug}/edit", form_data(board, title="A changed title"))),
    "submit": ("draft", lambda slug, board: (f"/articles/{slug}/submit", {})),
    "publish": ("in_review", lambda slug, board: (f"/articles/{slug}/publish", {})),
    "return": ("in_review", lambda slug, board: (f"/articles/{slug}/return", {"comment": "Please cite the trial."})),
    "pin": ("published", lambda slug, board: (f"/articles/{slug}/pins/home", {"home-position": "1"})),
    "pin_board": ("published", lambda slug, board: (f"/articles/{slug}/pins/{board.id}", {f"board-{board.id}-position": "2"})),
    "unpin": ("pinned", lambda slug, board: (f"/articles/{slug}/pins/home/remove", {})),
    "archive": ("published", lambda slug, board: (f"/articles/{slug}/archive", {"reason": "Out of date"})),
    "restore": ("archived", lambda slug, board: (f"/articles/{slug}/restore", {})),
    "confirm_review": ("published", lambda slug, board: (f"/articles/{slug}/confirm-review", {})),
}
WRITERS = {"create": {"author", "other_expert"}, "edit": {"author"}, "submit": {"author"}}
REVIEWERS = {"moderator", "admin"}
ROLES = ["anonymous", "member", "unverified_expert", "other_expert", "author", "moderator", "admin"]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", ROLES)
def test_each_action_for_each_role(client, login, people, make_article, moderator, board, action, who):
    state, call = ACTIONS[action]
    slug = "unused"
    if state != "none":
        article = make_article("published" if state == "pinned" else state)
        if state == "pinned":
            articles.pin(article, moderator, 1)
            db.session.commit()
        slug = article.slug
    _act(client, login, people, who)
    url, data = call(slug, board)
    audit_before = db.session.scalar(select(db.func.count()).select_from(ModerationAction))
    response = client.post(url, data=data)
    allowed = WRITERS.get(action, REVIEWERS)
    if who == "anonymous":
        assert response.status_code == 302 and "/signin" in response.headers["Location"]
    elif who in allowed:
        assert response.status_code == 302, response.data
        if action not in WRITERS:  # every review transition writes its audit row
            assert db.session.scalar(select(db.func.count()).select_from(ModerationAction)) == audit_before + 1
    else:
        assert response.status_code == 403, (action, who, response.status_code)
        assert db.session.scalar(select(db.func.count()).select_from(ModerationAction)) == audit_before


def test_expert_editing_another_experts_draft_is_403(client, login, make_article, other_expert, board):
    article = make_article("draft")
    login(other_expert)
    assert client.get(f"/articles/{article.slug}/edit").status_code == 403
    assert client.post(f"/articles/{article.slug}/edit", data=form_data(board, title="Hijacked title")).status_code == 403
    assert articles.load_article(article.slug).pending_revision.title == "Botulinum toxin explained"


def test_member_posting_to_publish_is_403(client, login, make_user, make_article):
    article = make_article("in_review")
    login(make_user())
    assert client.post(f"/articles/{article.slug}/publish").status_code == 403
    assert db.session.get(Article, article.id).status is ArticleStatus.IN_REVIEW


@pytest.mark.parametrize("action", ["publish", "return", "pin", "archive"])
def test_moderator_never_acts_on_their_own_article(client, login, make_expert, make_article, board, action):
    moderator_expert = make_expert(username="dr_moderator", role=Role.MODERATOR)
    article = make_article("in_review" if action in ("publish", "return") else "published", author=moderator_expert)
    login(moderator_expert)
    url, data = ACTIONS[action][1](article.slug, board)
    assert client.post(url, data=data).status_code == 403


def test_writing_flow_in_pages(client, switch_to, login, author, moderator, board):
    login(author)
    page = client.get("/articles/new")
    assert page.status_code == 200 and _h1_count(page.text) == 1
    assert 'for="references-0-citation"' in page.text and 'for="main_board"' in page.text
    response = client.post("/articles/new", data=form_data(board))
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    assert slug == "living-well-with-blepharospasm"
    draft_page = client.get(f"/articles/{slug}")
    assert draft_page.status_code == 200 and "This is a preview" in draft_page.text
    assert client.post(f"/articles/{slug}/submit").status_code == 302
    switch_to(moderator)
    queue = client.get("/articles/review")
    assert "Living well with blepharospasm" in queue.text
    review = client.get(f"/articles/{slug}/review")
    assert review.status_code == 200 and "Publish version 1" in review.text
    assert client.post(f"/articles/{slug}/publish").status_code == 302
    switch_to(None)
    shown = client.get(f"/articles/{slug}")
    assert shown.status_code == 200 and "Discuss this article" in shown.text


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": ""}, "title", "Please give the article a title."),
        ({"title": "x" * 151}, "title", "Titles are 5 to 150 characters."),
        ({"summary": ""}, "summary", "Please write a one-paragraph summary."),
        ({"summary": "s" * 601}, "summary", "Summaries are 20 to 600 characters."),
        ({"summary": "A first paragraph of summary.\r\n\r\nAnd a second paragraph."}, "summary", "single paragraph"),
        ({"body": ""}, "body", "Please write the article."),
        ({"body": "b" * 50_001}, "body", "at most 50,000 characters"),
        ({"main_board": "0"}, "main_board", "Choose the board"),
        ({"references-0-citation": ""}, "references-0-citation", "Please give the citation"),
        ({"references-1-url": "ftp://example.org"}, "references-1-url", "starts with https://"),
        ({"references-0-doi": "nonsense"}, "references-0-doi", "A DOI looks like"),
        # Refused by the service rather than the form: shown on the first reference row.
        ({"references-1-url": "https://example.org/a page"}, "references-0-citation", "Reference 2: the web address"),
        ({"references-0-citation": "c" * 501}, "references-0-citation", "at most 500 characters"),
        ({"title": "Bad\x00title"}, "title", "NUL character"),
        ({"summary": "A summary pasted\x01 from a program, with a control character."}, "summary", "control character (U+0001)"),
        ({"references-0-citation": "Chaudhry N\x1b et al."}, "references-0-citation", "control character (U+001B)"),
    ],
)
def test_bad_input_gives_clear_field_errors(client, login, author, board, overrides, field, message):
    login(author)
    response = client.post("/articles/new", data=form_data(board, **overrides))
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error"', response.text)
    assert f'href="#{field}"' in response.text  # the summary at the top links to the field
    assert db.session.scalar(select(Article.id)) is None


def test_unknown_slugs_are_404(client, switch_to, moderator):
    assert client.get("/articles/no-such-article").status_code == 404
    switch_to(moderator)
    for url in ("/articles/no-such-article/publish", "/articles/no-such-article/archive", "/articles/no-such-article/pins/home"):
        assert client.post(url).status_code == 404
    assert client.get("/articles/no-such-article/revisions").status_code == 404


def test_drafts_are_hidden_from_readers(client, switch_to, make_user, make_article, other_expert):
    article = make_article("draft")
    assert client.get(f"/articles/{article.slug}").status_code == 404
    switch_to(other_expert)
    assert client.get(f"/articles/{article.slug}").status_code == 404


def test_archived_article_answers_with_a_clear_page(client, switch_to, login, make_article, moderator):
    article = make_article("archived")
    response = client.get(f"/articles/{article.slug}")
    assert response.status_code == 410
    assert "This article has been archived" in response.text and "Botulinum toxin explained" in response.text
    assert _h1_count(response.text) == 1
    switch_to(moderator)
    staff_view = client.get(f"/articles/{article.slug}")
    assert staff_view.status_code == 200 and "was archived on" in staff_view.text and "Publish again" in staff_view.text


def test_article_page_shows_everything_readers_need(app, client, make_article, moderator, author):
    article = articles.load_article(make_article().slug)
    rev = article.published_revision
    response = client.get(f"/articles/{article.slug}")
    html = response.text
    assert response.status_code == 200 and _h1_count(html) == 1
    assert rev.summary in html and "<strong>one side</strong>" in html
    assert re.search(r'<ol class="reference-list">\s*<li>Chaudhry N', html)
    assert 'href="https://doi.org/10.1016/j.jns.2015.06.032"' in html
    assert "Verified expert" in html and "Neurologist, movement disorders" in html and "Demo Hospital" in html
    date = rev.reviewed_at.strftime("%-d %B %Y")
    assert re.search(rf"Medically reviewed by <a [^>]+>mod_max</a>, Moderator, on <time [^>]+>{date}</time>", html)
    assert "Last reviewed" in html and app.config["MEDICAL_DISCLAIMER"] in html
    assert f'href="/topics/{article.topic_id}"' in html and "Discuss this article" in html
    assert "style=" not in html and "<script" not in html


def test_article_headings_follow_the_page_h1_in_order(client, login, author, moderator, board):
    from tests.test_html import assert_semantic

    body = "# Overview\n\nText.\n\n## Causes\n\n#### In the nerve\n\nMore.\n\n### Treatment"
    login(author)
    slug = client.post("/articles/new", data=form_data(board, body=body)).headers["Location"].rsplit("/", 1)[1]
    client.post(f"/articles/{slug}/submit")
    login(moderator)
    for path in (f"/articles/{slug}/review", f"/articles/{slug}/revisions/1"):
        assert_semantic(client.get(path).text)
    client.post(f"/articles/{slug}/publish")
    html = client.get(f"/articles/{slug}").text
    assert_semantic(html)
    headings = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html)
    body_and_references = [(int(level), text) for level, text in headings if text in ("Overview", "Causes", "In the nerve", "Treatment", "References")]
    assert body_and_references == [(2, "Overview"), (2, "Causes"), (3, "In the nerve"), (3, "Treatment"), (2, "References")]


def test_returned_comment_is_shown_to_the_author(client, switch_to, login, make_article, moderator, author):
    article = make_article("in_review")
    login(moderator)
    assert client.post(f"/articles/{article.slug}/return", data={"comment": ""}).status_code == 422
    assert client.post(f"/articles/{article.slug}/return", data={"comment": "Please cite the 2016 guideline."}).status_code == 302
    switch_to(author)
    page = client.get(f"/articles/{article.slug}")
    assert "Please cite the 2016 guideline." in page.text and "Returned by" in page.text
    assert "Please cite the 2016 guideline." in client.get(f"/articles/{article.slug}/edit").text


def test_new_revision_waits_while_the_published_one_stays(client, switch_to, login, make_article, author, moderator, board):
    article = make_article()
    login(author)
    assert client.post(f"/articles/{article.slug}/edit", data=form_data(board, title="A brand new title")).status_code == 302
    assert client.post(f"/articles/{article.slug}/submit").status_code == 302
    switch_to(None)
    reader = client.get(f"/articles/{article.slug}")
    assert "Botulinum toxin explained" in reader.text and "A brand new title" not in reader.text
    switch_to(moderator)
    review = client.get(f"/articles/{article.slug}/review")
    assert "Changes from the published version" in review.text and "<ins>" in review.text and "<del>" in review.text
    history = client.get(f"/articles/{article.slug}/revisions")
    assert history.status_code == 200 and "Version 2" in history.text
    diff = client.get(f"/articles/{article.slug}/diff?from=1&to=2")
    assert diff.status_code == 200 and "A brand new title" in diff.text
    assert client.get(f"/articles/{article.slug}/diff?from=1&to=x").status_code == 400
    assert client.get(f"/articles/{article.slug}/diff?from=1&to=9").status_code == 404
    client.post(f"/articles/{article.slug}/publish")
    switch_to(None)
    assert "A brand new title" in client.get(f"/articles/{article.slug}").text


def test_history_is_for_moderators_and_the_author(client, login, make_user, make_article):
    article = make_article()
    login(make_user())
    assert client.get(f"/articles/{article.slug}/revisions").status_code == 403
    assert client.get(f"/articles/{article.slug}/diff?from=1&to=1").status_code == 403


def test_review_due_is_shown_to_moderators_only(client, switch_to, login, make_article, moderator, make_user):
    from datetime import timedelta

    from forum.models import utcnow

    article = make_article()
    article.last_reviewed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert "Review due" not in client.get(f"/articles/{article.slug}").text
    assert "Last reviewed" in client.get(f"/articles/{article.slug}").text
    switch_to(moderator)
    assert "Review due" in client.get(f"/articles/{article.slug}").text
    assert "Review due (1)" in client.get("/articles/review").text


def test_list_filters_by_board_and_orders(client, make_board, make_article, moderator, board):
    other = make_board(slug="research", name="Research")
    older = make_article(title="Older article about toxin")
    newer = make_article(title="Newer article on research", boards=[other, board])
    from datetime import timedelta

    older.first_published_at -= timedelta(days=10)
    newer.last_reviewed_at -= timedelta(days=5)
    db.session.commit()
    html = client.get("/articles").text
    assert html.index("Newer article on research") < html.index("Older article about toxin")
    html = client.get("/articles?order=reviewed").text
    assert html.index("Older article about toxin") < html.index("Newer article on research")
    html = client.get("/articles?board=research").text
    assert "Newer article on research" in html and "Older article about toxin" not in html
    assert client.get("/articles?board=nowhere").status_code == 404
    assert client.get("/articles?page=9").status_code == 404


def test_atom_feed_parses(app, client, make_article):
    first = make_article(title="First article in the feed")
    second = make_article(title="Second article & more")
    response = client.get("/articles/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.startswith("Articles from")
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Second article & more", "First article in the feed"]
    for entry, article in zip(feed.entries, [second, first]):
        assert entry.link == f"{app.config['SITE_URL'].rstrip('/')}/articles/{article.slug}"
        assert entry.published_parsed is not None and entry.updated_parsed is not None
        assert entry.published_parsed[:6] == article.first_published_at.utctimetuple()[:6]
        assert "<strong>one side</strong>" in entry.content[0].value


def test_atom_feed_links_come_from_site_url_whatever_the_host(app, client, make_article, monkeypatch):
    article = make_article(title="An article for the feed")
    monkeypatch.setitem(app.config, "SITE_URL", "https://forum.example.org")
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)  # as if a forged Host got through
    response = client.get("/articles/feed.atom", headers={"Host": "evil.example"})
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert "evil.example" not in response.get_data(as_text=True)
    assert feed.feed.id == "https://forum.example.org/articles"
    assert {link.href for link in feed.feed.links} == {"https://forum.example.org/articles", "https://forum.example.org/articles/feed.atom"}
    [entry] = feed.entries
    assert entry.id == entry.link == f"https://forum.example.org/articles/{article.slug}"


def test_atom_feed_stays_valid_xml_when_stored_text_holds_control_characters(client, make_article, make_user):
    """Text stored before control characters were refused is left out of the feed, not sent raw."""
    article = make_article(title="Spasms and sleep")
    revision = db.session.get(ArticleRevision, article.published_revision_id)
    revision.title = "Spasms\x01 and sleep"
    revision.summary = "A summary\x01 with\x0b control\x1f characters, a tab\there and a\nline break."
    revision.body_html = "<p>Body\x02 text</p>"
    db.session.commit()
    response = client.get("/articles/feed.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    [entry] = feed.entries
    assert entry.title == "Spasms and sleep"
    assert entry.summary == "A summary with control characters, a tab\there and a\nline break."
    assert "Body text" in entry.content[0].value


def test_pinned_articles_on_home_and_board_cost_one_query(client, count_queries, make_article, moderator, board):
    def home_count():
        with count_queries() as counter:
            assert client.get("/").status_code == 200
        return counter.count

    def board_count():
        with count_queries() as counter:
            assert client.get(f"/boards/{board.slug}").status_code == 200
        return counter.count

    first = make_article(title="Pinned article number one")
    baseline_home, baseline_board = home_count(), board_count()
    articles.pin(first, moderator, 2)
    articles.pin(first, moderator, 1, board_id=board.id)
    for n in range(2, 6):
        a = make_article(title=f"Pinned article number {n} here")
        articles.pin(a, moderator, 10 + n)
        articles.pin(a, moderator, 10 + n, board_id=board.id)
    second = make_article(title="Top of the home page")
    articles.pin(second, moderator, 1)
    db.session.commit()
    assert home_count() == baseline_home
    assert board_count() == baseline_board
    home = client.get("/").text
    assert home.index("Top of the home page") < home.index("Pinned article number one") < home.index("Boards</h2>")
    assert _h1_count(home) == 1
    board_page = client.get(f"/boards/{board.slug}").text
    assert board_page.index("Pinned article number one") < board_page.index("Pinned article number 2 here") < board_page.index('id="topics-heading"')
    assert "Top of the home page" not in board_page.split('id="topics-heading"')[0]


def test_expert_badge_on_posts_without_extra_queries(client, count_queries, make_expert, make_user, make_topic, make_post, board):
    topic = make_topic(board=board, author=make_user())
    with count_queries() as counter:
        client.get(f"/topics/{topic.id}")
    baseline = counter.count
    for n in range(4):
        make_post(topic=topic, author=make_expert(username=f"dr_num{n}", credential=f"Credential {n}"))
        make_post(topic=topic, author=make_user())
    with count_queries() as counter:
        html = client.get(f"/topics/{topic.id}").text
    assert counter.count == baseline
    assert html.count("Verified expert") == 4 and "Credential 3" in html


def test_profile_shows_badge_and_articles_and_revoke_removes_badge(client, login, make_article, author, verifier):
    article = make_article()
    html = client.get(f"/users/{author.username}").text
    assert "Verified expert" in html and "Neurologist, movement disorders" in html and "Botulinum toxin explained" in html
    experts.revoke(verifier, author)
    db.session.commit()
    html = client.get(f"/users/{author.username}").text
    assert "Verified expert" not in html and "Botulinum toxin explained" in html
    page = client.get(f"/articles/{article.slug}").text
    assert "Verified expert" not in page and "Botulinum toxin explained" in page


@pytest.mark.parametrize("who, status", [("member", 403), ("moderator", 403), ("author", 403), ("admin", 200)])
def test_expert_register_is_for_admins(client, login, people, who, status):
    login(people[who])
    assert client.get("/admin/experts").status_code == status
    assert client.post("/admin/experts", data={"username": "plain_pat", "credential": "Neurologist"}).status_code in (status, 302)


def test_admin_grants_and_revokes_in_pages(client, login, admin, make_user):
    member = make_user(username="new_doc")
    login(admin)
    assert client.post("/admin/experts", data={"username": "nobody_here", "credential": "Neurologist"}).status_code == 422
    bad = client.post("/admin/experts", data={"username": "new_doc", "credential": ""})
    assert bad.status_code == 422 and "Please give the credential you verified." in bad.text
    assert client.post("/admin/experts", data={"username": "new_doc", "credential": "Neurologist", "institution": "City Hospital"}).status_code == 302
    page = client.get("/admin/experts").text
    assert "new_doc" in page and "City Hospital" in page and _h1_count(page) == 1
    assert client.post(f"/admin/experts/{member.id}/revoke", data={"reason": "Retired"}).status_code == 302
    assert experts.active_profile(member.id) is None
    assert client.post(f"/admin/experts/{member.id}/revoke").status_code == 409


def test_pin_form_errors_are_422(client, login, make_article, moderator):
    article = make_article()
    login(moderator)
    assert client.get(f"/articles/{article.slug}/pins").status_code == 200
    response = client.post(f"/articles/{article.slug}/pins/home", data={"home-position": "0"})
    assert response.status_code == 422 and "Positions are whole numbers from 1 to 999." in response.text
    assert client.post(f"/articles/{article.slug}/pins/123456", data={}).status_code == 404


def test_article_page_reads_the_member_with_their_profile_and_the_boards_in_order(
    client, login, count_queries, make_article, author, board, make_board
):
    second = make_board(name="Second related board")
    article = make_article(boards=[second, board])
    login(author)
    with count_queries() as counter:
        html = client.get(f"/articles/{article.slug}").text
    alone = [s for s in counter.statements if s.lstrip().startswith("SELECT") and "FROM expert_profile" in s
             and " JOIN " not in s]
    assert alone == []  # the expert's profile came with the member, in the member's query
    assert f'/articles/{article.slug}/edit"' in html  # the author's permissions, which ask for it, hold
    boards = html.split("<dt>Boards</dt>", 1)[1].split("</dd>", 1)[0]
    assert boards.index("Second related board") < boards.index(board.name)
