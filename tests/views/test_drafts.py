"""Drafts: saving by hand and by autosave, coming back to them, "Your drafts", discarding, and
the rules they share with posts (who may write where, limits, rate limits, privacy)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Draft, Post, Role, Topic, utcnow
from forum.services import drafts
from forum.services.posting import BODY_MAX, TITLE_MAX


def _drafts(user_id: int) -> list[Draft]:
    return list(db.session.scalars(select(Draft).where(Draft.user_id == user_id).order_by(Draft.id)))


# --- Saving by hand ("Save draft") ----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.MODERATOR, Role.ADMIN])
def test_save_draft_button_keeps_a_new_topic_and_offers_it_again(client, login, make_user, make_board, role):
    user = make_user(role=role)
    board = make_board()
    login(user)
    response = client.post(f"/boards/{board.slug}/new", data={"title": "Half", "body": "Where I got to", "save_draft": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/boards/{board.slug}/new")
    [draft] = _drafts(user.id)
    assert (draft.board_id, draft.topic_id, draft.title, draft.body) == (board.id, None, "Half", "Where I got to")
    assert draft.updated_at.tzinfo is not None
    assert db.session.scalar(select(func.count()).select_from(Topic)) == 0  # nothing was published
    page = client.get(f"/boards/{board.slug}/new").get_data(as_text=True)
    assert 'value="Half"' in page and "Where I got to</textarea>" in page and "We kept your draft" in page


def test_save_draft_button_on_a_reply_and_one_draft_per_place(client, login, member, make_topic):
    topic = make_topic()
    login(member)
    for body in ("First words", "First words, and more"):
        assert client.post(f"/topics/{topic.id}/reply", data={"body": body, "save_draft": "1"}).status_code == 302
    [draft] = _drafts(member.id)
    assert draft.topic_id == topic.id and draft.board_id is None and draft.body == "First words, and more"
    assert "First words, and more</textarea>" in client.get(f"/topics/{topic.id}/reply").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.topic_id == topic.id)) == 1


def test_quoting_adds_to_the_draft(client, login, member, make_topic):
    topic = make_topic(body="Worth quoting")
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    login(member)
    client.post(f"/topics/{topic.id}/reply", data={"body": "My draft", "save_draft": "1"})
    page = client.get(f"/topics/{topic.id}/reply?quote={first.id}").get_data(as_text=True)
    assert "My draft\n\n&gt; **@" in page and "&gt; Worth quoting" in page


def test_publishing_deletes_the_draft(client, login, member, make_board, make_topic):
    board, topic = make_board(), make_topic()
    login(member)
    client.post(f"/boards/{board.slug}/new", data={"title": "Draft title", "body": "x", "save_draft": "1"})
    client.post(f"/topics/{topic.id}/reply", data={"body": "x", "save_draft": "1"})
    assert len(_drafts(member.id)) == 2
    assert client.post(f"/boards/{board.slug}/new", data={"title": "A finished topic", "body": "Done"}).status_code == 302
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "A finished reply"}).status_code == 302
    assert _drafts(member.id) == []


def test_an_empty_draft_is_not_kept(client, login, member, make_topic):
    topic = make_topic()
    login(member)
    client.post(f"/topics/{topic.id}/reply", data={"body": "Something", "save_draft": "1"})
    client.post(f"/topics/{topic.id}/reply", data={"body": "   ", "save_draft": "1"})
    assert _drafts(member.id) == []


# --- Autosave (the JSON endpoints) ----------------------------------------------------------------


def test_autosave_answers_json_and_updates_the_same_draft(client, login, member, make_board):
    board = make_board()
    login(member)
    first = client.post(f"/boards/{board.slug}/draft", data={"title": "T", "body": "one"})
    assert first.status_code == 200 and first.is_json and first.json["saved"] is True
    second = client.post(f"/boards/{board.slug}/draft", data={"title": "T", "body": "one two"})
    assert second.json["saved"] is True and second.json["updated_at"] >= first.json["updated_at"]
    [draft] = _drafts(member.id)
    assert draft.body == "one two"
    cleared = client.post(f"/boards/{board.slug}/draft", data={"title": "", "body": ""})
    assert cleared.status_code == 200 and cleared.json == {"saved": False, "updated_at": None}
    assert _drafts(member.id) == []


def test_autosave_needs_the_csrf_token(client, login, member, make_board, csrf_enabled):
    board = make_board()
    login(member)
    assert client.post(f"/boards/{board.slug}/draft", data={"title": "T", "body": "x"}).status_code == 400
    assert _drafts(member.id) == []


def test_the_forms_carry_the_autosave_script_without_inline_code(client, login, member, make_board, make_topic):
    board = make_board()
    topic = make_topic(board=board)
    login(member)
    for url in (f"/boards/{board.slug}/new", f"/topics/{topic.id}/reply"):
        page = client.get(url).get_data(as_text=True)
        assert 'src="/static/js/drafts.js"' in page and "data-draft-url=" in page and 'name="save_draft"' in page
        assert "<script>" not in page and " onclick=" not in page
    assert client.get("/static/js/drafts.js").status_code == 200


# --- Who may keep a draft where -------------------------------------------------------------------


def test_suspended_members_cannot_keep_drafts(client, login, make_user, make_board, make_topic):
    user = make_user(suspended_until=utcnow() + timedelta(days=1))
    board = make_board()
    topic = make_topic(board=board)
    login(user)
    assert client.post(f"/topics/{topic.id}/draft", data={"body": "x"}).status_code == 403
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "x", "save_draft": "1"}).status_code == 403
    assert client.post(f"/boards/{board.slug}/draft", data={"title": "x"}).status_code == 403
    assert _drafts(user.id) == []


def test_no_drafts_for_a_locked_topic_except_by_staff(client, login, member, moderator, make_topic):
    topic = make_topic(locked_at=utcnow())
    login(member)
    assert client.post(f"/topics/{topic.id}/draft", data={"body": "x"}).status_code == 403
    login(moderator)
    assert client.post(f"/topics/{topic.id}/draft", data={"body": "x"}).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, make_board, make_topic):
    board = make_board()
    topic = make_topic(board=board)
    for url in (f"/topics/{topic.id}/draft", f"/boards/{board.slug}/draft", "/drafts/1/discard"):
        response = client.post(url, data={"body": "x"})
        assert response.status_code == 302 and "/signin" in response.headers["Location"]
    assert client.get("/drafts").status_code == 302


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"title": "x" * (TITLE_MAX + 1), "body": "ok"},
        {"title": "ok", "body": "x" * (BODY_MAX + 1)},
        {"title": "ok", "body": "nul \x00 here"},
    ],
)
def test_drafts_have_the_posts_limits(client, login, member, make_board, data):
    board = make_board()
    login(member)
    response = client.post(f"/boards/{board.slug}/draft", data=data)
    assert response.status_code == 422 and response.is_json and response.json["saved"] is False
    page = client.post(f"/boards/{board.slug}/new", data={**data, "save_draft": "1"})
    assert page.status_code == 422 and 'class="error"' in page.get_data(as_text=True)
    assert _drafts(member.id) == []


def test_the_body_may_be_as_long_as_a_post(client, login, member, make_topic):
    topic = make_topic()
    login(member)
    assert client.post(f"/topics/{topic.id}/draft", data={"body": "x" * BODY_MAX}).status_code == 200


def test_bad_places_and_ids_are_404(client, login, member, other_member, make_topic):
    topic = make_topic()
    login(other_member)
    client.post(f"/topics/{topic.id}/draft", data={"body": "Other's words"})
    [theirs] = _drafts(other_member.id)
    login(member)
    assert client.post("/topics/999999/draft", data={"body": "x"}).status_code == 404
    assert client.post("/boards/no-such-board/draft", data={"body": "x"}).status_code == 404
    assert client.post("/drafts/999999/discard").status_code == 404
    assert client.post(f"/drafts/{theirs.id}/discard").status_code == 404  # not yours
    assert client.get("/drafts/abc/discard").status_code in (404, 405)
    assert client.get("/drafts?before=abc").status_code == 400
    assert _drafts(other_member.id) == [theirs]
    assert "Other&#39;s words" not in client.get("/drafts").get_data(as_text=True)


def test_a_draft_for_a_topic_that_was_removed_is_listed_without_its_title(client, login, member, make_topic):
    from forum.models import ContentStatus

    topic = make_topic(title="A topic later removed")
    login(member)
    client.post(f"/topics/{topic.id}/draft", data={"body": "My unfinished words"})
    db.session.get(Topic, topic.id).status = ContentStatus.DELETED
    db.session.commit()
    page = client.get("/drafts").get_data(as_text=True)
    assert "no longer available" in page and "A topic later removed" not in page and "My unfinished words" in page
    assert client.post(f"/topics/{topic.id}/draft", data={"body": "x"}).status_code == 404


# --- "Your drafts" --------------------------------------------------------------------------------


def test_your_drafts_lists_them_newest_first_and_discards(client, login, member, make_board, make_topic):
    board, topic = make_board(name="Coping"), make_topic(title="Sleep and spasms")
    login(member)
    client.post(f"/boards/{board.slug}/draft", data={"title": "My idea", "body": "A new topic idea"})
    client.post(f"/topics/{topic.id}/draft", data={"body": "A reply idea"})
    page = client.get("/drafts").get_data(as_text=True)
    assert "New topic in Coping" in page and "Reply to “Sleep and spasms”" in page
    assert page.index("A reply idea") < page.index("A new topic idea")
    reply_draft = _drafts(member.id)[1]
    response = client.post(f"/drafts/{reply_draft.id}/discard")
    assert response.status_code == 302 and response.headers["Location"].endswith("/drafts")
    assert [d.body for d in _drafts(member.id)] == ["A new topic idea"]


def test_discarding_from_the_form_goes_back_to_the_form(client, login, member, make_board):
    board = make_board()
    login(member)
    client.post(f"/boards/{board.slug}/draft", data={"title": "x", "body": "y"})
    [draft] = _drafts(member.id)
    response = client.post(f"/drafts/{draft.id}/discard?back=form")
    assert response.headers["Location"].endswith(f"/boards/{board.slug}/new")


def test_your_drafts_pages_by_key(client, login, member, make_board, monkeypatch):
    monkeypatch.setattr(drafts, "DRAFTS_PER_PAGE", 2)
    boards = [make_board() for _ in range(5)]
    login(member)
    for board in boards:
        client.post(f"/boards/{board.slug}/draft", data={"title": f"Idea on {board.name}", "body": "b"})
    seen, url = [], "/drafts"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += [b.name for b in boards if f"Idea on {b.name}<" in page]
        import re

        match = re.search(r'href="(/drafts\?before=\d+)" rel="next"', page)
        url = match.group(1) if match else None
    assert sorted(seen) == sorted(b.name for b in boards) and len(seen) == 5


def test_your_drafts_costs_the_same_queries_for_few_or_many(client, login, member, make_board, make_topic, count_queries):
    login(member)
    topic = make_topic()
    client.post(f"/topics/{topic.id}/draft", data={"body": "one"})
    client.get("/drafts")
    with count_queries() as few:
        assert client.get("/drafts").status_code == 200
    for _ in range(6):
        client.post(f"/boards/{make_board().slug}/draft", data={"title": "t", "body": "b"})
        client.post(f"/topics/{make_topic().id}/draft", data={"body": "b"})
    with count_queries() as many:
        assert client.get("/drafts").status_code == 200
    assert many.count == few.count <= 3


def test_the_forms_cost_the_same_queries_with_a_draft(client, login, member, make_topic, count_queries):
    topic = make_topic()
    login(member)
    client.get(f"/topics/{topic.id}/reply")
    with count_queries() as without:
        client.get(f"/topics/{topic.id}/reply")
    client.post(f"/topics/{topic.id}/draft", data={"body": "b"})
    with count_queries() as with_draft:
        client.get(f"/topics/{topic.id}/reply")
    assert with_draft.count == without.count


# --- Rate limits ----------------------------------------------------------------------------------


def test_autosave_has_its_own_limit_and_leaves_posting_alone(client, login, member, make_topic, rate_limits_enabled, app):
    app.config["RATE_LIMITS"] = {"drafts": "2 per minute", "posting": "2 per minute"}
    try:
        topic = make_topic()
        login(member)
        for _ in range(2):
            assert client.post(f"/topics/{topic.id}/draft", data={"body": "x"}).status_code == 200
        limited = client.post(f"/topics/{topic.id}/draft", data={"body": "x"})
        assert limited.status_code == 429 and "Retry-After" in limited.headers
        assert client.post(f"/topics/{topic.id}/reply", data={"body": "Posting still works"}).status_code == 302
    finally:
        app.config.pop("RATE_LIMITS", None)


def test_publishing_through_the_api_deletes_the_draft_too(client, login, member, make_board, make_topic):
    from forum.services import tokens

    board, topic = make_board(), make_topic()
    login(member)
    client.post(f"/boards/{board.slug}/new", data={"title": "Draft title", "body": "x", "save_draft": "1"})
    client.post(f"/topics/{topic.id}/reply", data={"body": "x", "save_draft": "1"})
    secret = tokens.create_token(member, "phone", ["read", "write"], None).secret
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.post(f"/api/v1/boards/{board.slug}/topics", json={"title": "From my phone", "body": "Done"},
                       headers=headers).status_code == 201
    assert client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "A reply from my phone"}, headers=headers).status_code == 201
    assert _drafts(member.id) == []
