"""Small factories for test data. Each takes overrides and commits."""
from __future__ import annotations

import itertools

from forum.extensions import db
from forum.models import Board, Post, Role, Topic, User
from forum.services import accounts, posting

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_user(username: str | None = None, role: Role = Role.MEMBER, password: str = PASSWORD, **fields) -> User:
    n = next(_seq)
    username = username or f"member{n}"
    email = fields.pop("email", f"{username.lower()}@example.org")
    user = accounts.create_user(username, email, password, role=role, **fields)
    db.session.commit()
    return user


def make_board(slug: str | None = None, name: str | None = None, **fields) -> Board:
    n = next(_seq)
    board = Board(slug=slug or f"board-{n}", name=name or f"Board {n}", description=fields.pop("description", "A board for tests."), position=fields.pop("position", n), **fields)
    db.session.add(board)
    db.session.commit()
    return board


def make_topic(board: Board | None = None, author: User | None = None, title: str = "A topic about coping", body: str = "How do you all cope?", replies: int = 0, **fields) -> Topic:
    board = board or make_board()
    author = author or make_user()
    post = posting.start_topic(board, author, title, body)
    topic = db.session.get(Topic, post.topic_id)
    for name, value in fields.items():
        setattr(topic, name, value)
    db.session.commit()
    if replies:
        replier = make_user()
        for i in range(replies):
            posting.reply_to_topic(topic, replier, f"Reply number {i + 1}")
        db.session.commit()
    return topic


def make_post(topic: Topic | None = None, author: User | None = None, body: str = "Thank you for sharing.", **fields) -> Post:
    topic = topic or make_topic()
    author = author or make_user()
    post = posting.reply_to_topic(topic, author, body)
    for name, value in fields.items():
        setattr(post, name, value)
    db.session.commit()
    return post


def add_replies_in_bulk(topic: Topic, count: int, author: User) -> None:
    """Many published replies at once (one INSERT), with the topic's counters kept right."""
    from sqlalchemy import insert, update

    from forum.models import utcnow

    now = utcnow()
    start = topic.last_number + 1
    rows = [
        {"topic_id": topic.id, "author_id": author.id, "number": n, "body": f"Reply {n}", "body_html": f"<p>Reply {n}</p>\n", "created_at": now}
        for n in range(start, start + count)
    ]
    db.session.execute(insert(Post), rows)
    db.session.execute(
        update(Topic).where(Topic.id == topic.id).values(
            last_number=start + count - 1, reply_count=Topic.reply_count + count, last_posted_at=now, last_poster_id=author.id
        )
    )
    db.session.commit()
    db.session.expire_all()
