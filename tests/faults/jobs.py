"""A job for the fault tests: its effect is visible in the database, and running it twice is harmless."""
from forum.extensions import db
from forum.models import Topic


def rename_topic(topic_id: int, title: str) -> None:
    topic = db.session.get(Topic, topic_id)
    if topic is not None and topic.title != title:
        topic.title = title
