"""The benchmark's floor pages (bench/floor.py) do the topic page's work as the topic page does."""
from __future__ import annotations

import pytest

from bench.floor import floor
from config import TestingConfig
from forum import create_app
from tests.conftest import IsolatedClient


@pytest.fixture
def floor_client(app):
    """A client of an app like the suite's, on the same database, with the floor pages added."""
    bench_app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                           UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"])
    bench_app.register_blueprint(floor)
    bench_app.test_client_class = IsolatedClient
    return bench_app.test_client()


def _sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user.get_id(), True


def test_floor_pages_need_a_member(floor_client, make_topic):
    topic = make_topic()
    for path in ("/bench-floor/member", f"/bench-floor/topics/{topic.id}?page=1"):
        response = floor_client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/signin")


def test_floor_topic_returns_the_post_list_the_topic_page_shows(floor_client, client, login, make_topic, make_user):
    topic = make_topic(body="How do you cope with the twitching?", replies=3)
    reader = make_user()
    _sign_in(floor_client, reader)
    login(reader)

    floor_page = floor_client.get(f"/bench-floor/topics/{topic.id}?page=1")
    topic_page = client.get(f"/topics/{topic.id}?page=1")

    assert floor_page.status_code == topic_page.status_code == 200
    post_list = floor_page.get_data(as_text=True)
    assert "How do you cope with the twitching?" in post_list and "Reply number 3" in post_list
    assert "<html" not in post_list  # the post list alone, without the page around it
    assert floor_client.get("/bench-floor/member").status_code == 200


def test_floor_topic_refuses_a_missing_topic(floor_client, make_user):
    _sign_in(floor_client, make_user())
    assert floor_client.get("/bench-floor/topics/999999").status_code == 404
