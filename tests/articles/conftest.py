"""Fixtures for articles: verified experts and articles in each state of the workflow."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Role
from forum.services import articles, experts
from forum.services.articles import ArticleInput
from tests import factories

SUMMARY = "A short, plain overview of what this article explains for people living with facial spasms."
BODY = "## What it is\n\nHemifacial spasm affects **one side** of the face."
REFERENCES = [
    {"citation": "Chaudhry N, et al. Hemifacial spasm: the past, present and future. J Neurol Sci. 2015.", "url": None, "doi": "10.1016/j.jns.2015.06.032"},
    {"citation": "NINDS. Hemifacial spasm.", "url": "https://www.ninds.nih.gov/health-information/disorders/hemifacial-spasm", "doi": None},
]


@pytest.fixture
def verifier(make_user):
    """The admin who verifies experts in these tests."""
    return make_user(username="verifier_vic", role=Role.ADMIN)


@pytest.fixture
def make_expert(make_user, verifier):
    """make_expert(username=..., credential=...): a member verified as an expert by an admin."""

    def _make(username=None, credential="Neurologist, movement disorders", institution="Demo Hospital", role=Role.MEMBER):
        user = make_user(username=username, role=role)
        experts.grant(verifier, user, credential, institution)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def author(make_expert):
    return make_expert(username="dr_ana")


@pytest.fixture
def other_expert(make_expert):
    return make_expert(username="dr_ben", credential="Neurosurgeon")


@pytest.fixture
def board(make_board):
    return make_board(slug="treatments", name="Treatments")


@pytest.fixture
def make_article(author, board, moderator):
    """make_article(state="published"|"draft"|"in_review"|"archived", title=..., author=..., boards=[...])."""

    def _make(state="published", title="Botulinum toxin explained", author=author, boards=None, reviewer=moderator):
        data = ArticleInput(title, SUMMARY, BODY, list(REFERENCES), [b.id for b in (boards or [board])])
        article = articles.create_article(author, data)
        if state != "draft":
            articles.submit(article, author)
        if state in ("published", "archived"):
            articles.publish(article, reviewer)
        if state == "archived":
            articles.archive(article, reviewer)
        db.session.commit()
        return article

    return _make


def form_data(board, **overrides):
    data = {
        "title": "Living well with blepharospasm",
        "summary": SUMMARY,
        "body": BODY,
        "main_board": str(board.id),
        "references-0-citation": REFERENCES[0]["citation"],
        "references-0-doi": "https://doi.org/10.1016/j.jns.2015.06.032",
        "references-1-citation": REFERENCES[1]["citation"],
        "references-1-url": REFERENCES[1]["url"],
    }
    data.update(overrides)
    return data


__all__ = ["factories", "form_data"]


@pytest.fixture
def switch_to(client, login):
    """Sign in as another member (or None: signed out) in the middle of a test."""

    def _switch(user):
        with client.session_transaction() as session:
            session.clear()
        if user is not None:
            login(user)
        return user

    return _switch
