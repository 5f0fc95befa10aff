"""The article workflow, revisions, pins and experts, at the service level."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.errors import Conflict, InvalidInput, NotAllowed
from forum.extensions import db
from forum.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ContentStatus,
    ModerationAction,
    Notification,
    Role,
    Topic,
    User,
    utcnow,
)
from forum.services import articles, experts
from forum.services.articles import ALLOWED, ArticleInput, ArticleInputError
from tests.articles.conftest import BODY, REFERENCES, SUMMARY


def _actions(article) -> list[str]:
    return list(db.session.scalars(
        select(ModerationAction.action).where(ModerationAction.target_type == "article", ModerationAction.target_id == article.id).order_by(ModerationAction.id)
    ))


def _input(board, **changes) -> ArticleInput:
    data = dict(title="Botulinum toxin explained", summary=SUMMARY, body=BODY, references=list(REFERENCES), board_ids=[board.id])
    data.update(changes)
    return ArticleInput(**data)


def test_draft_is_cooked_and_sanitized(author, board):
    article = articles.create_article(author, _input(board, body="Hi <script>alert(1)</script> **there**"))
    revision = db.session.get(ArticleRevision, article.pending_revision_id)
    assert article.status is ArticleStatus.DRAFT and article.slug == "botulinum-toxin-explained"
    assert "<script>" not in revision.body_html and "<strong>there</strong>" in revision.body_html


def test_slugs_collide_gracefully(author, board):
    first = articles.create_article(author, _input(board))
    second = articles.create_article(author, _input(board))
    third = articles.create_article(author, _input(board, title="Botulinum   toxin explained!"))
    reserved = articles.create_article(author, _input(board, title="New"[:3] + " !!"))
    assert [first.slug, second.slug, third.slug] == ["botulinum-toxin-explained", "botulinum-toxin-explained-2", "botulinum-toxin-explained-3"]
    assert reserved.slug == "new-2"  # /articles/new is a page of its own


def test_only_verified_experts_create(make_user, board, expert):
    with pytest.raises(NotAllowed):
        articles.create_article(make_user(), _input(board))
    with pytest.raises(NotAllowed):  # the Expert role alone, without a verified credential, is not enough
        articles.create_article(expert, _input(board))


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"summary": ""}, "summary"),
        ({"summary": "First paragraph of the summary.\n\nSecond paragraph of it."}, "summary"),
        ({"summary": "y" * 601}, "summary"),
        ({"body": "   "}, "body"),
        ({"body": "z" * 50_001}, "body"),
        ({"board_ids": []}, "main_board"),
        ({"board_ids": [987654]}, "main_board"),
        ({"references": [{"citation": "", "url": "https://example.org/x", "doi": None}]}, "references"),
        ({"references": [{"citation": "A citation", "url": "javascript:alert(1)", "doi": None}]}, "references"),
        ({"references": [{"citation": "A citation", "url": None, "doi": "not-a-doi"}]}, "references"),
        ({"references": [{"citation": "c" * 501, "url": None, "doi": None}]}, "references"),
    ],
)
def test_bad_input_is_refused_with_its_field(author, board, changes, field):
    with pytest.raises(ArticleInputError) as caught:
        articles.create_article(author, _input(board, **changes))
    assert caught.value.field == field and caught.value.status == 422
    assert db.session.scalar(select(Article.id)) is None


def test_references_keep_order_and_normalise_dois(author, board):
    refs = [{"citation": "One", "url": None, "doi": "doi:10.1000/ABC"}, {"citation": "", "url": "", "doi": ""}, {"citation": "Two", "url": "https://example.org/a", "doi": "https://doi.org/10.1000/xyz"}]
    article = articles.create_article(author, _input(board, references=refs))
    revision = db.session.get(ArticleRevision, article.pending_revision_id)
    assert revision.references == [
        {"citation": "One", "url": None, "doi": "10.1000/ABC"},
        {"citation": "Two", "url": "https://example.org/a", "doi": "10.1000/xyz"},
    ]


def test_publish_records_review_opens_discussion_and_tells_author(make_article, author, moderator, board):
    article = make_article("in_review")
    assert article.status is ArticleStatus.IN_REVIEW
    revision = articles.publish(article, moderator)
    db.session.commit()
    assert article.status is ArticleStatus.PUBLISHED and article.published_revision_id == revision.id
    assert revision.reviewer_id == moderator.id and revision.reviewed_at is not None
    assert revision.reviewer_credential == "Moderator"
    assert article.first_published_at == article.last_reviewed_at == revision.reviewed_at
    topic = db.session.get(Topic, article.topic_id)
    assert topic.board_id == board.id and topic.status is ContentStatus.PUBLISHED and topic.title.startswith("Discuss: ")
    assert db.session.scalar(select(Notification.text).where(Notification.user_id == author.id, Notification.kind == "article")).endswith("published.")
    assert _actions(article) == ["article.submit", "article.publish"]


def test_reviewer_with_a_credential_is_described_by_it(make_article, make_expert):
    clinician_moderator = make_expert(username="dr_mod", credential="Ophthalmologist", role=Role.MODERATOR)
    article = make_article("in_review")
    revision = articles.publish(article, clinician_moderator)
    assert revision.reviewer_credential == "Ophthalmologist"


def test_return_with_comment_then_resubmit(make_article, author, moderator, board):
    article = make_article("in_review")
    with pytest.raises(InvalidInput):
        articles.return_to_author(article, moderator, "   ")
    articles.return_to_author(article, moderator, "Please add a reference for the dose.")
    db.session.commit()
    returned = db.session.get(ArticleRevision, article.pending_revision_id)
    assert article.status is ArticleStatus.DRAFT and returned.review_comment == "Please add a reference for the dose."
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == author.id)) is not None
    # The author's next edit starts a new revision; the returned one is kept as it was reviewed.
    new = articles.save_draft(article, author, _input(board, body=BODY + "\n\nDose: see reference 1."))
    assert new.number == 2 and returned.body == BODY
    articles.submit(article, author)
    articles.publish(article, moderator)
    assert article.status is ArticleStatus.PUBLISHED
    assert _actions(article) == ["article.submit", "article.return", "article.submit", "article.publish"]


def test_editing_a_published_article_keeps_it_visible_until_reviewed(make_article, author, moderator, board):
    article = make_article("published")
    published_id = article.published_revision_id
    with pytest.raises(ArticleInputError):  # nothing changed compared with the published version
        articles.save_draft(article, author, _input(board))
    revision = articles.save_draft(article, author, _input(board, title="Botulinum toxin explained again"))
    db.session.commit()
    assert article.status is ArticleStatus.PUBLISHED and article.published_revision_id == published_id
    assert article.pending_revision_id == revision.id and revision.number == 2
    articles.submit(article, author)
    with pytest.raises(Conflict):  # in review: not editable until returned or published
        articles.save_draft(article, author, _input(board, title="Yet another title"))
    articles.publish(article, moderator)
    assert article.published_revision_id == revision.id and article.pending_revision_id is None
    assert [r.number for r in articles.revisions(article)] == [1, 2]
    lines = articles.diff(db.session.get(ArticleRevision, published_id), revision)
    assert ("remove", "Title: Botulinum toxin explained") in [(l.kind, l.text) for l in lines]
    assert ("add", "Title: Botulinum toxin explained again") in [(l.kind, l.text) for l in lines]


def test_transition_table_refuses_the_rest(make_article, author, moderator):
    draft = make_article("draft")
    with pytest.raises(Conflict):
        articles.publish(draft, moderator)  # a draft must be submitted first
    with pytest.raises(NotAllowed):
        articles.archive(draft, moderator)
    published = make_article("published", title="Another article title")
    with pytest.raises(Conflict):
        articles.submit(published, author)  # no draft to submit
    assert ALLOWED[ArticleStatus.PUBLISHED] == {ArticleStatus.ARCHIVED}


def test_nobody_reviews_their_own_article(make_expert, make_article):
    moderator_expert = make_expert(username="dr_mo", role=Role.MODERATOR)
    article = make_article("in_review", author=moderator_expert)
    for action in (lambda: articles.publish(article, moderator_expert),
                   lambda: articles.return_to_author(article, moderator_expert, "no")):
        with pytest.raises(NotAllowed):
            action()


def test_pins_order_and_unpin_never_unpublishes(make_article, moderator, board):
    first = make_article(title="First pinned article")
    second = make_article(title="Second pinned article")
    articles.pin(second, moderator, 1)
    articles.pin(first, moderator, 2)
    articles.pin(first, moderator, 1, board_id=board.id)
    db.session.commit()
    assert [a.id for a in articles.home_pins()] == [second.id, first.id]
    assert [a.id for a in articles.board_pins(board)] == [first.id]
    articles.unpin(second, moderator)
    with pytest.raises(Conflict):
        articles.unpin(second, moderator)
    with pytest.raises(InvalidInput):
        articles.pin(second, moderator, 0)
    assert second.status is ArticleStatus.PUBLISHED
    assert [a.id for a in articles.home_pins()] == [first.id]
    assert _actions(second)[-2:] == ["article.pin", "article.unpin"]


def test_archive_removes_pins_and_restore_republishes(make_article, moderator, board):
    article = make_article()
    articles.pin(article, moderator, 1)
    articles.pin(article, moderator, 1, board_id=board.id)
    articles.archive(article, moderator, "Out of date")
    db.session.commit()
    assert article.status is ArticleStatus.ARCHIVED and article.home_pin_position is None
    assert articles.home_pins() == [] and articles.board_pins(board) == []
    assert articles.published_articles().articles == []
    articles.restore(article, moderator)
    assert article.status is ArticleStatus.PUBLISHED
    assert _actions(article)[-2:] == ["article.archive", "article.restore"]


def test_review_due_after_the_interval(app, make_article, moderator):
    article = make_article()
    assert not articles.review_due(article)
    article.last_reviewed_at = utcnow() - timedelta(days=app.config["ARTICLE_REVIEW_INTERVAL_DAYS"] + 1)
    db.session.commit()
    assert articles.review_due(article)
    assert [a.id for a in articles.review_queue().due] == [article.id]
    revision = articles.confirm_review(article, moderator)
    assert not articles.review_due(article) and article.published_revision_id == revision.id
    assert articles.review_queue().due == []


def test_review_interval_is_configurable(app, make_article):
    article = make_article()
    article.last_reviewed_at = utcnow() - timedelta(days=40)
    old = app.config["ARTICLE_REVIEW_INTERVAL_DAYS"]
    app.config["ARTICLE_REVIEW_INTERVAL_DAYS"] = 30
    try:
        assert articles.review_due(article)
    finally:
        app.config["ARTICLE_REVIEW_INTERVAL_DAYS"] = old
    assert not articles.review_due(article)


def test_grant_and_revoke_expert(verifier, make_user, make_article, author):
    member = make_user(username="clinician_cy")
    profile = experts.grant(verifier, member, "  Neurologist,   movement disorders ", "")
    db.session.commit()
    assert member.role is Role.EXPERT and profile.credential == "Neurologist, movement disorders" and profile.institution is None
    assert profile.verified_by_id == verifier.id and profile.verified_at is not None
    article = make_article()
    experts.revoke(verifier, author, "Left the hospital")
    db.session.commit()
    assert author.role is Role.MEMBER and experts.active_profile(author.id) is None
    assert article.status is ArticleStatus.PUBLISHED  # revoking keeps the articles
    with pytest.raises(Conflict):
        experts.revoke(verifier, author)
    actions = list(db.session.scalars(select(ModerationAction.action).where(ModerationAction.target_type == "user").order_by(ModerationAction.id)))
    assert actions[-2:] == ["expert.grant", "expert.revoke"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.MODERATOR])
def test_only_admins_grant_or_revoke(make_user, author, role):
    actor = make_user(role=role)
    with pytest.raises(NotAllowed):
        experts.grant(actor, make_user(), "Neurologist")
    with pytest.raises(NotAllowed):
        experts.revoke(actor, author)


def test_admin_cannot_verify_themselves(verifier):
    with pytest.raises(NotAllowed):
        experts.grant(verifier, verifier, "Neurologist")


def test_revoked_expert_cannot_write_any_more(verifier, author, make_article, board):
    article = make_article("draft")
    experts.revoke(verifier, author)
    with pytest.raises(NotAllowed):
        articles.save_draft(article, author, _input(board, title="A changed title"))
    with pytest.raises(NotAllowed):
        articles.create_article(author, _input(board))


def test_seed_demo_articles_is_idempotent(app):
    from forum.demo.articles import DEMO_ARTICLES
    from forum.services.seeding import seed_demo

    first = seed_demo()
    db.session.commit()
    second = seed_demo()
    db.session.commit()
    assert first["articles"] == len(DEMO_ARTICLES) == 6 and first["experts"] == 2
    assert second["articles"] == 0 and second["experts"] == 0
    listing = articles.published_articles()
    assert len(listing.articles) == 6
    home = articles.home_pins()
    assert [a.slug for a in home] == [spec["slug"] for spec in DEMO_ARTICLES if spec["pin_home"]]
    for article in listing.articles:
        rev = article.published_revision
        assert rev.reviewer_id is not None and rev.references and article.topic_id and article.is_demo
        spec = next(s for s in DEMO_ARTICLES if s["slug"] == article.slug)
        assert db.session.get(User, article.author_id).username == spec["author"]
    boards = {b.slug: b for b in db.session.scalars(select(__import__("forum.models", fromlist=["Board"]).Board))}
    for spec in DEMO_ARTICLES:
        for slug in spec["boards"]:
            assert spec["slug"] in [a.slug for a in articles.board_pins(boards[slug])]
