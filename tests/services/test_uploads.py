"""Images follow their posts and messages: which ones show an image is written when they are saved,
and the file goes when the last of them goes for good (or its owner's account)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, Upload, UploadLink
from forum.services import messages, moderation, posting, privacy, uploads
from tests.images import image_bytes


@pytest.fixture
def image(member):
    """image() -> a new image of `member`, and the Markdown that shows it."""

    def _image():
        upload = uploads.store_image(member, image_bytes("PNG"))
        db.session.commit()
        return upload, f"![an image](/uploads/{upload.name})"

    return _image


def _file(upload: Upload):
    return uploads.folder() / upload.name


def _links(upload_id: int) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        select(UploadLink.post_id, UploadLink.message_id, UploadLink.in_body).where(UploadLink.upload_id == upload_id)
        .order_by(UploadLink.id))]


def _gone(upload: Upload, upload_id: int) -> bool:
    db.session.expire_all()
    return not _file(upload).exists() and db.session.get(Upload, upload_id) is None and _links(upload_id) == []


def test_saving_a_post_or_message_links_its_authors_images(member, other_member, make_topic, image):
    upload, markdown = image()
    post = posting.reply_to_topic(make_topic(), member, f"Look:\n\n{markdown}")
    conversation, message = messages.start_conversation(member, other_member.username, "A photo", markdown)
    db.session.commit()
    assert _links(upload.id) == [(post.id, None, True), (None, message.id, True)]


def test_an_edit_keeps_the_removed_image_as_history_and_erasing_that_version_deletes_it(member, make_topic, image):
    upload, markdown = image()
    upload_id = upload.id
    post = posting.reply_to_topic(make_topic(), member, f"Me at home\n\n{markdown}")
    posting.edit_post(post, member, "No photo after all")
    db.session.commit()
    assert _links(upload_id) == [(post.id, None, False)] and _file(upload).exists()
    posting.erase_revision(db.session.get(Post, post.id), 1, member)
    db.session.commit()
    assert _gone(upload, upload_id)


def test_erasing_a_version_keeps_an_image_the_post_still_shows(member, make_topic, image):
    upload, markdown = image()
    post = posting.reply_to_topic(make_topic(), member, f"First\n\n{markdown}")
    posting.edit_post(post, member, f"Second\n\n{markdown}")
    posting.erase_revision(post, 1, member)
    db.session.commit()
    assert _links(upload.id) == [(post.id, None, True)] and _file(upload).exists()


def test_the_author_deleting_the_last_post_with_an_image_deletes_the_file(member, make_topic, image):
    upload, markdown = image()
    upload_id = upload.id
    topic = make_topic()
    first = posting.reply_to_topic(topic, member, f"One\n\n{markdown}")
    second = posting.reply_to_topic(topic, member, f"Two\n\n{markdown}")
    db.session.commit()
    posting.delete_post(first, member)
    db.session.commit()
    assert _file(upload).exists() and _links(upload_id) == [(second.id, None, True)]
    posting.delete_post(db.session.get(Post, second.id), member)
    db.session.commit()
    assert _gone(upload, upload_id)


def test_a_rolled_back_deletion_keeps_the_file(member, make_topic, image):
    upload, markdown = image()
    post = posting.reply_to_topic(make_topic(), member, markdown)
    db.session.commit()
    posting.delete_post(post, member)
    db.session.flush()
    db.session.rollback()
    assert _file(upload).exists() and db.session.get(Upload, upload.id) is not None


def test_a_post_a_moderator_removed_keeps_its_image_for_a_restore(member, moderator, make_topic, image):
    upload, markdown = image()
    post = posting.reply_to_topic(make_topic(), member, markdown)
    db.session.commit()
    moderation.delete_post(moderation._load_post(post.id), moderator, "Off topic")
    db.session.commit()
    assert _file(upload).exists() and _links(upload.id) == [(post.id, None, True)]
    image_for_anyone, _ = uploads.image_for(upload.name, None)
    assert image_for_anyone is None


@pytest.mark.parametrize("keep_posts", [True, False])
def test_deleting_the_account_deletes_every_image_wherever_shown(member, other_member, make_topic, image, keep_posts):
    upload, markdown = image()
    upload_id = upload.id
    posting.reply_to_topic(make_topic(), member, markdown)
    messages.start_conversation(member, other_member.username, "A photo", markdown)
    db.session.commit()
    privacy.delete_account(member, keep_posts=keep_posts)
    db.session.commit()
    assert _gone(upload, upload_id)
    assert db.session.scalar(select(func.count()).select_from(UploadLink)) == 0


def test_posts_without_images_cost_no_statement_for_links(member, make_topic, count_queries):
    topic = make_topic()
    post = posting.reply_to_topic(topic, member, "Plain words")
    db.session.commit()
    with count_queries() as counter:
        uploads.link_post(post, "<p>Earlier plain words</p>")
    assert counter.count == 0
