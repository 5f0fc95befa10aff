"""Images in posts: the upload form checks files by their content, re-encodes them without
metadata, stores them under random names and serves them with the right type."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from forum.models import Upload
from forum.services import uploads
from tests.images import GPS_IFD, image_bytes, jpeg_with_gps

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _upload(client, data: bytes, filename: str = "photo.jpg", description: str = "My eyelid during a spasm", **headers):
    return client.post(
        "/uploads",
        data={"image": (io.BytesIO(data), filename), "description": description},
        content_type="multipart/form-data",
        headers=headers,
    )


def _stored(response) -> Upload:
    name = re.search(r"/uploads/([A-Za-z0-9_-]+\.(?:jpg|png|webp))", response.get_data(as_text=True)).group(1)
    return uploads.find(name)


def _image_of(upload: Upload) -> Image.Image:
    return Image.open(uploads.folder() / upload.name)


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Upload))


@pytest.fixture
def signed_in(client, login, member):
    login(member)
    return member


def test_the_form_has_a_labelled_file_field_and_description(client, signed_in):
    page = client.get("/uploads").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<label for="image">', page) and re.search(r'<label for="description">', page)
    assert 'type="file"' in page


def test_a_jpeg_comes_back_without_exif_and_gps(client, signed_in, db):
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS_IFD)  # the test file does carry a position
    response = _upload(client, jpeg_with_gps())
    assert response.status_code == 201
    upload = _stored(response)
    assert upload.owner_id == signed_in.id and upload.content_type == "image/jpeg" and upload.name.endswith(".jpg")
    assert (upload.width, upload.height) == (40, 30) and upload.created_at.tzinfo is not None
    stored = _image_of(upload)
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0 and "exif" not in stored.info and "icc_profile" not in stored.info
    raw = (uploads.folder() / upload.name).read_bytes()
    assert b"Secret Camera" not in raw and b"Exif" not in raw
    page = response.get_data(as_text=True)
    assert f"![My eyelid during a spasm](/uploads/{upload.name})" in page


def test_a_sideways_photo_is_turned_upright_before_its_exif_goes(client, signed_in):
    # Orientation 6: the camera stored the pixels turned; viewers rotate them 90° clockwise.
    upload = _stored(_upload(client, jpeg_with_gps(size=(40, 30), orientation=6)))
    assert (upload.width, upload.height) == (30, 40)
    assert len(_image_of(upload).getexif()) == 0


def test_a_transparent_palette_png_keeps_its_transparency(client, signed_in):
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).convert("P").save(out, format="PNG", transparency=0)
    upload = _stored(_upload(client, out.getvalue(), filename="clear.png"))
    stored = _image_of(upload).convert("RGBA")
    assert stored.getpixel((5, 5))[3] == 0


@pytest.mark.parametrize("fmt, content_type", [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_accepted(client, signed_in, fmt, content_type):
    response = _upload(client, image_bytes(fmt, color=(10, 20, 30, 128)), filename="picture")
    assert response.status_code == 201
    upload = _stored(response)
    assert upload.content_type == content_type
    assert _image_of(upload).format == fmt


def test_png_text_chunks_are_dropped(client, signed_in):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "home address 12 Secret Road")
    response = _upload(client, image_bytes("PNG", pnginfo=info), filename="a.png")
    upload = _stored(response)
    assert b"Secret Road" not in (uploads.folder() / upload.name).read_bytes()


def test_the_name_is_ignored_the_content_decides(client, signed_in):
    response = _upload(client, image_bytes("PNG"), filename="holiday.jpg")
    upload = _stored(response)
    assert upload.name.endswith(".png") and upload.content_type == "image/png"
    assert "holiday" not in upload.name


def test_wide_images_are_scaled_down(client, signed_in, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_WIDTH", 100)
    upload = _stored(_upload(client, image_bytes("JPEG", size=(400, 200))))
    assert (upload.width, upload.height) == (100, 50)
    assert _image_of(upload).size == (100, 50)


def test_names_are_random(client, signed_in):
    first = _stored(_upload(client, image_bytes("PNG")))
    second = _stored(_upload(client, image_bytes("PNG")))
    assert first.name != second.name and len(first.name.split(".")[0]) >= 20


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (SVG, "drawing.svg", "not an image the forum accepts"),
        (SVG, "drawing.png", "not an image the forum accepts"),
        (HTML, "page.jpg", "not an image the forum accepts"),
        (image_bytes("GIF"), "animation.gif", "not an image the forum accepts"),
        (image_bytes("JPEG", size=(300, 300))[:400], "cut.jpg", "damaged or incomplete"),
        (image_bytes("PNG", size=(300, 300))[:200], "cut.png", "damaged or incomplete"),
        (b"", "empty.jpg", "The file is empty"),
    ],
    ids=["svg", "svg-named-png", "html", "gif", "truncated-jpeg", "truncated-png", "empty"],
)
def test_anything_else_is_refused_with_a_clear_message(client, signed_in, db, data, filename, message):
    response = _upload(client, data, filename=filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db) == 0
    assert not any(uploads.folder().glob("*")) or all(p.name != filename for p in uploads.folder().iterdir())


def test_a_polyglot_is_stored_only_as_the_re_encoded_image(client, signed_in):
    polyglot = image_bytes("JPEG") + HTML
    response = _upload(client, polyglot, filename="x.html")
    assert response.status_code == 201
    upload = _stored(response)
    stored = (uploads.folder() / upload.name).read_bytes()
    assert b"<script>" not in stored and b"<html" not in stored
    assert upload.content_type == "image/jpeg"


def test_too_many_pixels_is_refused(client, signed_in, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_PIXELS", 10_000)
    response = _upload(client, image_bytes("PNG", size=(200, 200)))
    assert response.status_code == 422
    assert "Please make it smaller" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_a_file_over_the_upload_limit_gets_413_with_the_limit(client, signed_in, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1000)
    response = _upload(client, image_bytes("PNG", size=(200, 200), color=(1, 2, 3)) + b"\0" * 2000)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "the largest accepted is" in page
    assert _count(db) == 0


def test_a_request_over_the_request_limit_gets_413(client, signed_in, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 5000)
    response = _upload(client, b"\xff" * 20_000)
    assert response.status_code == 413
    assert "Please choose a smaller file" in response.get_data(as_text=True)


def test_a_description_is_required(client, signed_in, db):
    response = _upload(client, image_bytes("PNG"), description="  ")
    assert response.status_code == 422
    assert "Describe the image" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_the_markdown_cannot_be_broken_by_the_description(client, signed_in):
    page = _upload(client, image_bytes("PNG"), description="a [b](javascript:x) \\ c").get_data(as_text=True)
    assert "![a (b)(javascript:x)  c](/uploads/" in page.replace("&#34;", '"')


def test_json_clients_get_the_markdown(client, signed_in):
    response = _upload(client, image_bytes("PNG"), Accept="application/json")
    assert response.status_code == 201
    assert re.fullmatch(r"!\[My eyelid during a spasm\]\(/uploads/[A-Za-z0-9_-]+\.png\)", response.json["markdown"])


def test_suspended_members_cannot_upload(client, login, make_user, db):
    from datetime import timedelta

    from forum.models import utcnow

    login(make_user(suspended_until=utcnow() + timedelta(days=2), suspension_reason="Testing"))
    response = _upload(client, image_bytes("PNG"))
    assert response.status_code == 403
    assert "suspended" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_visitors_are_sent_to_sign_in(client, db):
    response = _upload(client, image_bytes("PNG"))
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    assert _count(db) == 0


def test_uploads_are_rate_limited(client, signed_in, rate_limits_enabled):
    statuses = [_upload(client, image_bytes("PNG")).status_code for _ in range(6)]
    assert statuses[:5] == [201] * 5 and statuses[5] == 429


@pytest.mark.parametrize("fmt, content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_images_in_published_posts_are_served_to_everyone_with_their_type_and_a_short_public_cache(
        client, signed_in, make_topic, fmt, content_type):
    upload = _stored(_upload(client, image_bytes(fmt)))
    _post_with(client, make_topic(), upload)
    client.post("/signout")
    response = client.get(f"/uploads/{upload.name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.cache_control.public and response.cache_control.max_age == 3600
    assert "immutable" not in response.headers["Cache-Control"]
    assert response.data == (uploads.folder() / upload.name).read_bytes()


def _post_with(client, topic, upload: Upload, text: str = "Here it is") -> None:
    response = client.post(f"/topics/{topic.id}/reply", data={"body": f"{text}\n\n![my eyelid](/uploads/{upload.name})"})
    assert response.status_code == 302


def _private(response) -> bool:
    return response.status_code == 200 and response.cache_control.private and response.cache_control.no_store \
        and not response.cache_control.public and not response.cache_control.max_age


def test_an_image_not_in_any_post_yet_is_its_owners_and_staffs(client, login, signed_in, other_member, moderator):
    upload = _stored(_upload(client, image_bytes("PNG")))
    assert _private(client.get(f"/uploads/{upload.name}"))
    login(other_member)
    assert client.get(f"/uploads/{upload.name}").status_code == 404
    login(moderator)
    assert _private(client.get(f"/uploads/{upload.name}"))
    client.post("/signout")
    assert client.get(f"/uploads/{upload.name}").status_code == 404


def test_images_in_private_messages_are_served_only_to_the_conversation(client, login, signed_in, other_member, make_user, moderator, db):
    from forum.models import ConversationMember, Message
    from forum.services import messages

    upload = _stored(_upload(client, image_bytes("JPEG")))
    response = client.post("/messages/new", data={"recipients": other_member.username, "title": "A photo for you",
                                                  "body": f"![my eyelid](/uploads/{upload.name})"})
    assert response.status_code == 302
    url = f"/uploads/{upload.name}"
    assert _private(client.get(url))  # the sender
    login(other_member)
    assert _private(client.get(url))
    for outsider in (make_user(), moderator):
        login(outsider)
        assert client.get(url).status_code == 404
    client.post("/signout")
    assert client.get(url).status_code == 404
    # Staff see a private message (and its images) only once it is reported.
    message = db.session.scalar(select(Message))
    messages.report_message(db.session.get(type(other_member), other_member.id), message.id, "spam", None)
    db.session.commit()
    login(moderator)
    assert _private(client.get(url))
    # A member who left the conversation no longer sees it.
    login(other_member)
    client.post(f"/messages/{message.conversation_id}/leave")
    assert db.session.get(ConversationMember, (message.conversation_id, other_member.id)).left_at is not None
    assert client.get(url).status_code == 404


def test_an_image_is_seen_only_by_those_who_see_its_post(client, login, signed_in, other_member, moderator, make_topic, db):
    from forum.models import Post
    from forum.services import moderation

    topic = make_topic()
    upload = _stored(_upload(client, image_bytes("PNG")))
    _post_with(client, topic, upload)
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 2))
    moderation.hide_post(moderation._load_post(post.id), moderator, "Please check")
    db.session.commit()
    url = f"/uploads/{upload.name}"
    assert _private(client.get(url))  # the author
    login(other_member)
    assert client.get(url).status_code == 404
    login(moderator)
    assert _private(client.get(url))
    moderation.restore_post(moderation._load_post(post.id), moderator)
    db.session.commit()
    client.post("/signout")
    assert client.get(url).cache_control.public


def test_someone_elses_image_is_not_made_public_by_pasting_its_address(client, login, signed_in, other_member, make_topic):
    upload = _stored(_upload(client, image_bytes("PNG")))  # never posted by its owner
    login(other_member)
    _post_with(client, make_topic(), upload, text="Look what they sent me")
    client.post("/signout")
    assert client.get(f"/uploads/{upload.name}").status_code == 404


def test_serving_an_image_costs_the_same_however_many_posts_show_it(client, login, signed_in, make_topic, count_queries):
    upload = _stored(_upload(client, image_bytes("PNG")))
    topic = make_topic()
    _post_with(client, topic, upload)

    def cost() -> int:
        with count_queries() as counter:
            assert client.get(f"/uploads/{upload.name}").status_code == 200
        return counter.count

    once = cost()
    for n in range(3):
        _post_with(client, topic, upload, text=f"Again {n}")
    assert cost() == once


@pytest.mark.parametrize("name", ["nothing.png", "nothing.svg", "..%2Fconfig.py", "a.html", "x.jpg.exe"])
def test_unknown_names_are_404(client, name):
    assert client.get(f"/uploads/{name}").status_code == 404


def test_a_file_in_the_folder_without_a_row_is_not_served(client):
    folder = uploads.folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planted.png").write_bytes(image_bytes("PNG"))
    assert client.get("/uploads/planted.png").status_code == 404


def test_the_post_forms_link_to_the_upload_page(client, signed_in, make_topic):
    topic = make_topic()
    assert 'href="/uploads"' in client.get(f"/topics/{topic.id}/reply").get_data(as_text=True)
    from forum.models import Board
    from forum.extensions import db as _db

    board = _db.session.get(Board, topic.board_id)
    assert 'href="/uploads"' in client.get(f"/boards/{board.slug}/new").get_data(as_text=True)


def test_an_uploaded_image_shows_in_a_post(client, signed_in, make_topic):
    topic = make_topic()
    markdown = _upload(client, image_bytes("PNG"), Accept="application/json").json["markdown"]
    response = client.post(f"/topics/{topic.id}/reply", data={"body": f"Here it is:\n\n{markdown}"})
    assert response.status_code == 302
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    src = markdown.split("(")[1].rstrip(")")
    assert f'<img src="{src}" alt="My eyelid during a spasm">' in page
