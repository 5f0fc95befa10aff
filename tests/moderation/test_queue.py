"""The review queue under /mod: who sees it, what an entry shows, filters and order."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ReviewEntry, Role
from forum.services import moderation


@pytest.fixture
def reported(make_user, reply):
    moderation.file_report(make_user(username="reporter_rae"), "post", reply.id, "misinformation", "Claims a cure")
    db.session.commit()
    return db.session.scalar(select(ReviewEntry))


def _staff_pages(entry, reply, author):
    return [
        "/mod",
        "/mod?status=all&reason=spam&sort=newest",
        f"/mod/entries/{entry.id}",
        f"/mod/posts/{reply.id}",
        f"/mod/posts/{reply.id}/edit",
        f"/mod/users/{author.username}",
        "/mod/log",
    ]


def test_every_mod_page_sends_anonymous_visitors_to_sign_in(client, reported, reply, author):
    for path in _staff_pages(reported, reply, author) + ["/mod/watched-words"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/signin" in response.headers["Location"], path


@pytest.mark.parametrize("role", ["member", "expert"])
def test_every_mod_page_is_403_for_members(client, login, users_by_role, reported, reply, author, role):
    login(users_by_role(role))
    for path in _staff_pages(reported, reply, author) + ["/mod/watched-words"]:
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_see_every_mod_page(client, login, users_by_role, reported, reply, author, role):
    login(users_by_role(role))
    for path in _staff_pages(reported, reply, author):
        response = client.get(path)
        assert response.status_code in (200, 302), path


def test_every_mod_route_is_guarded(app, client, login, member):
    """Whatever is added under /mod later: members get 403 (or 405 for a wrong method), never 200."""
    login(member)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/mod"):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "x")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code == 403, (method, path, response.status_code)


def test_queue_link_in_header_for_staff_only(client, login, reported, moderator, member):
    login(moderator)
    page = client.get("/").data
    assert b'href="/mod"' in page and b"Review queue" in page
    assert b'<span class="badge badge-count">1' in page
    login(member)
    assert b'href="/mod"' not in client.get("/").data


def test_entry_shows_item_in_context_with_reports_and_history(client, login, moderator, reported, reply, topic, author, make_user):
    moderation.file_report(make_user(username="second_sam"), "post", reply.id, "spam", "Links to a shop")
    db.session.commit()
    login(moderator)
    page = client.get(f"/mod/entries/{reported.id}").data.decode()
    assert page.count("<h1") == 1
    assert "Living with spasms" in page  # its topic
    assert "My opening post." in page  # the post before it
    assert "A reply that someone may report." in page
    assert "Claims a cure" in page and "Links to a shop" in page
    assert "reporter_rae" in page and "second_sam" in page
    assert "Medical misinformation" in page and "Spam or advertising" in page
    assert "Joined" in page and "Published posts" in page and "Earlier queue entries" in page
    assert "Hide the post" in page and "Dismiss" in page and "Lock the topic" in page and "Suspend" in page
    assert 'name="dismiss-csrf_token"' in page or "csrf_token" in page


def test_post_page_redirects_to_its_pending_entry(client, login, moderator, reported, reply):
    login(moderator)
    response = client.get(f"/mod/posts/{reply.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/mod/entries/{reported.id}")


def test_queue_lists_one_entry_per_item_and_filters(client, login, moderator, make_user, make_post, topic, reply):
    other = make_post(topic=topic, body="Buy cheap pills")
    for _ in range(3):
        moderation.file_report(make_user(), "post", other.id, "spam")
        db.session.commit()
    moderation.file_report(make_user(), "post", reply.id, "misinformation")
    db.session.commit()
    login(moderator)
    page = client.get("/mod").data.decode()
    assert page.count('class="queue-entry') == 2
    assert "Spam or advertising (3)" in page
    only_spam = client.get("/mod?reason=spam").data.decode()
    assert only_spam.count('class="queue-entry') == 1 and "Buy cheap pills" in only_spam
    assert client.get("/mod?status=dismissed").data.decode().count('class="queue-entry') == 0
    assert client.get("/mod?status=bogus").status_code == 400
    assert client.get("/mod?reason=bogus").status_code == 400
    assert client.get("/mod?sort=bogus").status_code == 400
    newest = client.get("/mod?sort=newest").data.decode()
    assert newest.index("A reply that someone may report.") < newest.index("Buy cheap pills")


def test_queue_costs_a_constant_number_of_queries(client, login, moderator, make_user, make_post, topic, count_queries):
    login(moderator)
    post = make_post(topic=topic)
    moderation.file_report(make_user(), "post", post.id, "spam")
    db.session.commit()
    client.get("/mod")
    with count_queries() as few:
        client.get("/mod")
    for n in range(6):
        p = make_post(topic=topic, body=f"Post {n}")
        moderation.file_report(make_user(), "post", p.id, "spam")
        moderation.file_report(make_user(), "user", p.author_id, "harassment")
        db.session.commit()
    with count_queries() as many:
        client.get("/mod")
    assert many.count == few.count + 1  # one more query: member entries now appear too


def test_topic_page_query_count_unchanged_by_report_links(client, login, member, moderator, topic, make_post, count_queries):
    # An explicit page: without one, a member with unread posts is sent to the first of them.
    url = f"/topics/{topic.id}?page=1"
    make_post(topic=topic)
    login(member)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(8):
        make_post(topic=topic, body=f"More {n}")
    client.get(url)
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count, "\n".join(s[:90] for s in few.statements + ["--"] + many.statements)
    login(moderator)
    client.get(url)
    with count_queries() as staff:
        client.get(url)
    assert staff.count == many.count + 1  # the pending count next to "Review queue"
