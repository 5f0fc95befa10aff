"""Command-line tools: create-user, seed-boards, seed-demo, recook."""
from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Board, Post, Role, Topic, User


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_user_with_password_from_stdin(runner):
    result = runner.invoke(args=["create-user", "harbor_keeper", "--email", "hk@example.org", "--role", "moderator", "--password-stdin"], input="a long password 1\n")
    assert result.exit_code == 0, result.output
    assert "Created moderator harbor_keeper" in result.output
    user = db.session.scalar(select(User))
    assert user.role is Role.MODERATOR and user.check_password("a long password 1")


def test_create_user_asks_twice(runner):
    result = runner.invoke(args=["create-user", "asker", "--email", "a@example.org"], input="a long password 1\na long password 1\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role)) is Role.MEMBER


def test_create_user_refuses_bad_input_clearly(runner, make_user):
    make_user(username="taken_name")
    result = runner.invoke(args=["create-user", "taken_name", "--email", "t@example.org", "--password-stdin"], input="a long password 1\n")
    assert result.exit_code != 0 and "already taken" in result.output
    result = runner.invoke(args=["create-user", "newbie", "--email", "n@example.org", "--password-stdin"], input="short\n")
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    result = runner.invoke(args=["create-user", "newbie", "--email", "n@example.org", "--role", "king", "--password-stdin"], input="a long password 1\n")
    assert result.exit_code != 0
    assert _count(User) == 1


def test_seed_boards_creates_the_community_boards_in_order(runner):
    runner.invoke(args=["seed-boards"])
    names = db.session.scalars(select(Board.name).order_by(Board.position)).all()
    for expected in ["Introductions", "Coping day to day", "Treatments", "Diagnosis and tests",
                     "Research and new therapies", "Stories", "Caregivers and family", "Local support groups"]:
        assert expected in names
    assert names[0] == "Introductions"


def test_seed_demo_is_idempotent(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (_count(Board), _count(User), _count(Topic), _count(Post))
    assert counts[2] >= 16 and counts[3] > counts[2]
    roles = set(db.session.scalars(select(User.role)))
    assert roles >= {Role.MEMBER, Role.EXPERT, Role.MODERATOR, Role.ADMIN}
    assert db.session.scalar(select(func.count()).select_from(Topic).where(Topic.is_demo.is_(False))) == 0
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert (_count(Board), _count(User), _count(Topic), _count(Post)) == counts


def test_seeded_demo_pages_render(runner, client):
    runner.invoke(args=["seed-demo"])
    assert client.get("/").status_code == 200
    topic_id = db.session.scalar(select(Topic.id).limit(1))
    assert client.get(f"/topics/{topic_id}").status_code == 200
    html = client.get("/boards/treatments").get_data(as_text=True)
    assert "Demo</span>" in html
    assert "Demo content" in client.get(f"/topics/{topic_id}").get_data(as_text=True)


def test_demo_members_joined_before_they_posted(runner):
    runner.invoke(args=["seed-demo"])
    from forum.models import Post, User

    rows = db.session.execute(select(User.created_at, Post.created_at).join(Post, Post.author_id == User.id)).all()
    assert rows and all(joined < posted for joined, posted in rows)


def test_recook_renders_every_post_again(runner, make_topic):
    topic = make_topic(body="**bold**")
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    post.body_html = "<p>stale</p>"
    db.session.commit()
    result = runner.invoke(args=["recook"])
    assert result.exit_code == 0 and "Recooked" in result.output
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_html == "<p><strong>bold</strong></p>\n"


def test_recook_renders_article_versions_with_article_headings(runner, make_user, make_board):
    from forum.models import Role
    from forum.models.article import ArticleRevision
    from forum.services import articles, experts

    expert = make_user()
    experts.grant(make_user(role=Role.ADMIN), expert, "Neurologist", "Demo Hospital")
    board = make_board()
    data = articles.ArticleInput("Living with spasms", "A summary long enough for an article.", "## Part\n\n#### Detail", [], [board.id])
    revision_id = articles.create_article(expert, data).pending_revision_id
    db.session.commit()
    revision = db.session.get(ArticleRevision, revision_id)
    revision.body_html = "<h4>Part</h4>\n<h6>Detail</h6>\n"  # cooked by an earlier version of the rules
    db.session.commit()
    result = runner.invoke(args=["recook"])
    assert result.exit_code == 0 and "1 article versions" in result.output
    db.session.expire_all()
    assert db.session.get(ArticleRevision, revision_id).body_html == "<h2>Part</h2>\n<h3>Detail</h3>\n"
