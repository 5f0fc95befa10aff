"""Seeding a fault test's database and checking it afterwards."""
from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Board, ContentStatus, Post, Topic
from tests import factories
from tests.faults.conftest import signed_in


def seed(app, members: int):
    """A board, a topic and `members` signed-in members: (topic id, [(cookie, csrf token)])."""
    with app.app_context():
        board = factories.make_board(slug="faults", name="Fault tolerance")
        topic = factories.make_topic(board=board, title="Posting while things break", body="Opening post")
        sessions = [signed_in(factories.make_user(username=f"client{i}")) for i in range(members)]
        topic_id = topic.id
        db.session.remove()
    return topic_id, sessions


def check_consistent(app, topic_id: int) -> dict[str, int]:
    """Every counter kept on rows agrees with the rows: nothing half-written. Returns body counts."""
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        posts = list(db.session.scalars(select(Post).where(Post.topic_id == topic_id).order_by(Post.number)))
        numbers = [p.number for p in posts]
        assert len(numbers) == len(set(numbers)), "two posts share a number"
        assert topic.last_number == max(numbers), "the topic's last number does not match its posts"
        published = [p for p in posts if p.status is ContentStatus.PUBLISHED]
        assert topic.reply_count == len(published) - 1, "reply count does not match the replies"
        board = db.session.get(Board, topic.board_id)
        assert board.post_count == db.session.scalar(
            select(func.count()).select_from(Post).join(Topic).where(Topic.board_id == board.id, Post.status == ContentStatus.PUBLISHED)
        )
        counts: dict[str, int] = {}
        for post in posts:
            counts[post.body] = counts.get(post.body, 0) + 1
        db.session.remove()
        return counts
