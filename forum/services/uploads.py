"""Images in posts: checked by their content, re-encoded without metadata, stored under random names.

A file is accepted only when Pillow reads it, from its bytes (never its name or declared type), as
JPEG, PNG or WebP, within the pixel cap, and decodes it whole. The pixels are then written out again
in the same format, without EXIF (GPS), ICC profiles or text chunks, scaled down to
UPLOAD_MAX_WIDTH: whatever else the file carried (HTML appended to a JPEG, a second image, comments)
is left behind. Anything else is refused with a message the member can act on.

Images follow their posts and messages. When a post or a private message is saved, the images of
its author that it shows are written to upload_link (cook on write): an image is served to whoever
may see one of them (forum.permissions.can_view_upload: an image in a private message only to the
conversation's members), to its owner, and to staff. A link is kept for an image a later edit took
out of a post, marked as history (seen by those who see the post's history). An image is deleted,
file and row, when the last post or message showing it goes for good: its author deleted the post
(there is no undo for that; a post a moderator removed can be restored, so its images stay, shown
only to those who can still see the post), its version with the image was erased, or its owner
deleted their account. Files are removed once the transaction commits.
"""
from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import and_, delete, event, exists, literal, select
from sqlalchemy.orm import Session, load_only

from forum.errors import ForumError, InvalidInput
from forum.models import Post, PostRevision, Report, TargetType, Topic, Upload, UploadLink, User
from forum.models.base import db
from forum.models.messages import ConversationMember, Message
from forum.permissions import can_review_messages, can_view_upload

# Pillow's format name -> (extension, content type).
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}
NAME_PATTERN = r"[A-Za-z0-9_-]+\.(?:jpg|png|webp)"
ACCEPTED = "Please choose a JPEG, PNG or WebP image."


class UploadTooLarge(ForumError):
    status = 413


def max_bytes() -> int:
    return current_app.config["UPLOAD_MAX_BYTES"]


def folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _open(data: bytes) -> Image.Image:
    """The image, fully decoded, or a refusal saying why not."""
    if not data:
        raise InvalidInput(f"The file is empty. {ACCEPTED}")
    if len(data) > max_bytes():
        raise UploadTooLarge(f"The image is {_megabytes(len(data))}; the largest accepted is {_megabytes(max_bytes())}.")
    cap = current_app.config["UPLOAD_MAX_PIXELS"]
    try:
        with warnings.catch_warnings():
            # Pillow warns about large images before it refuses huge ones: both are refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            if image.format not in FORMATS:
                raise InvalidInput(f"This kind of file is not accepted. {ACCEPTED}")
            width, height = image.size
            if width * height > cap:
                raise InvalidInput(
                    f"The image is {width} × {height} pixels, more than the forum can handle. Please make it smaller."
                )
            image.load()
            fmt = image.format
            # Phone photos are often stored sideways with an EXIF orientation: turn the pixels
            # upright before the EXIF goes.
            image = ImageOps.exif_transpose(image)
            image.format = fmt
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("The image has too many pixels for the forum to handle. Please make it smaller.") from None
    except UnidentifiedImageError:
        raise InvalidInput(f"This file is not an image the forum accepts. {ACCEPTED}") from None
    except (OSError, SyntaxError, ValueError):
        # Truncated or damaged image data.
        raise InvalidInput("The image is damaged or incomplete and could not be read. Please try another file.") from None
    return image


def _clean_pixels(image: Image.Image, fmt: str) -> Image.Image:
    """A fresh image holding only the pixels (no info dict, no EXIF, no ICC), scaled to the maximum width."""
    modes = {"JPEG": ("RGB", "L"), "PNG": ("RGB", "RGBA", "L", "LA", "P"), "WEBP": ("RGB", "RGBA")}
    if image.mode not in modes[fmt] or (image.mode == "P" and "transparency" in image.info):
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha and fmt != "JPEG" else "RGB")
    max_width = current_app.config["UPLOAD_MAX_WIDTH"]
    if image.width > max_width:
        height = max(1, round(image.height * max_width / image.width))
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
    clean.paste(image)
    return clean


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}[fmt]
    image.save(out, format=fmt, **options)
    return out.getvalue()


def store_image(owner: User, data: bytes) -> Upload:
    """Check, re-encode and store an uploaded image for the owner (caller commits).

    :raise InvalidInput: not a JPEG, PNG or WebP image, damaged, empty or with too many pixels.
    :raise UploadTooLarge: more bytes than UPLOAD_MAX_BYTES.
    """
    image = _open(data)
    fmt = image.format
    clean = _clean_pixels(image, fmt)
    encoded = _encode(clean, fmt)
    extension, content_type = FORMATS[fmt]
    name = f"{secrets.token_urlsafe(18)}.{extension}"
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    (target / name).write_bytes(encoded)
    upload = Upload(
        name=name, owner_id=owner.id, content_type=content_type, width=clean.width, height=clean.height, bytes=len(encoded)
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def find(name: str) -> Upload | None:
    return db.session.scalar(select(Upload).where(Upload.name == name))


def markdown_for(upload: Upload, description: str) -> str:
    """The Markdown a member pastes into a post to show the image."""
    alt = " ".join(description.split()).replace("\\", "").replace("[", "(").replace("]", ")")
    return f"![{alt}](/uploads/{upload.name})"


def owned_by(user: User) -> list[Upload]:
    return list(db.session.scalars(select(Upload).where(Upload.owner_id == user.id).order_by(Upload.id)))


def export_facts(user: User) -> list[dict]:
    """What the account export lists about the member's images."""
    return [
        {"url": f"/uploads/{u.name}", "content_type": u.content_type, "width": u.width, "height": u.height,
         "bytes": u.bytes, "created_at": u.created_at.isoformat()}
        for u in owned_by(user)
    ]


def erase_for(user: User) -> None:
    """Remove the member's images, wherever they were shown (account deletion; caller commits)."""
    owned = owned_by(user)
    if owned:
        db.session.execute(delete(UploadLink).where(UploadLink.upload_id.in_([u.id for u in owned])))
    for upload in owned:
        _remove(upload)
    db.session.flush()


# --- Which posts and messages show which image ----------------------------------------------------

_IMAGE_IN_HTML = re.compile(rf'<img\b[^>]*?\ssrc="/uploads/({NAME_PATTERN})"')


def names_in(html: str | None) -> set[str]:
    """The names of the forum's images that cooked HTML shows."""
    return set(_IMAGE_IN_HTML.findall(html or "")) if html and "/uploads/" in html else set()


def _owned_ids(names: set[str], owner_id: int | None) -> dict[str, int]:
    if not names or owner_id is None:
        return {}
    rows = db.session.execute(select(Upload.name, Upload.id).where(Upload.name.in_(names), Upload.owner_id == owner_id))
    return dict(rows.all())


def link_post(post: Post, replaced_html: str | None = None) -> None:
    """Record the author's images the post shows, after it was written or edited (caller commits).

    `replaced_html`: the text an edit replaced, now an earlier version: its images no longer in the
    post stay linked as history. Only the author's own images are linked: an image of someone else
    (quoted, or copied from a message) is shown where its owner put it, never made public by another.
    A post without images, before or after, costs no statement.
    """
    now, before = names_in(post.body_html), names_in(replaced_html)
    if not now and not before:
        return
    ids = _owned_ids(now | before, post.author_id)
    if not ids:
        return
    existing = {
        link.upload_id: link
        for link in db.session.scalars(select(UploadLink).where(UploadLink.post_id == post.id, UploadLink.upload_id.in_(ids.values())))
    }
    for name, upload_id in ids.items():
        link = existing.get(upload_id)
        if link is None:
            db.session.add(UploadLink(upload_id=upload_id, post_id=post.id, in_body=name in now))
        else:
            link.in_body = name in now
    db.session.flush()


def link_message(message: Message) -> None:
    """Record the author's images a new private message shows (caller commits)."""
    ids = _owned_ids(names_in(message.body_html), message.author_id)
    db.session.add_all(UploadLink(upload_id=upload_id, message_id=message.id) for upload_id in ids.values())


def forget_post(post: Post) -> None:
    """The post is gone for good (its author deleted it): its links go, and images shown nowhere else."""
    ids = list(db.session.scalars(select(UploadLink.upload_id).where(UploadLink.post_id == post.id)))
    if ids:
        db.session.execute(delete(UploadLink).where(UploadLink.post_id == post.id))
        _remove_unused(ids)


def relink_history(post: Post, erased_html: str) -> None:
    """An earlier version was erased: its images that the post no longer shows, in its text or in
    another version, lose their link, and go if that was their last."""
    names = names_in(erased_html) - names_in(post.body_html)
    if not names:
        return
    for body_html in db.session.scalars(select(PostRevision.body_html).where(PostRevision.post_id == post.id)):
        names -= names_in(body_html)
    ids = list(_owned_ids(names, post.author_id).values())
    if ids:
        db.session.execute(delete(UploadLink).where(UploadLink.post_id == post.id, UploadLink.upload_id.in_(ids)))
        _remove_unused(ids)


def _remove_unused(ids: list[int]) -> None:
    unused = select(Upload).where(Upload.id.in_(ids), ~exists().where(UploadLink.upload_id == Upload.id))
    for upload in db.session.scalars(unused):
        _remove(upload)
    db.session.flush()


def _remove(upload: Upload) -> None:
    """Delete the row now and the file once the transaction commits (a rollback keeps both)."""
    db.session.info.setdefault(_FILES_TO_REMOVE, set()).add(upload.name)
    db.session.delete(upload)


_FILES_TO_REMOVE = "forum_upload_files_to_remove"


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    names = session.info.pop(_FILES_TO_REMOVE, None)
    if names and has_app_context():
        for name in names:
            (folder() / name).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(_FILES_TO_REMOVE, None)


# --- Serving -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    """One post or message showing the image, with what deciding who sees it needs."""

    in_body: bool
    post: Post | None
    topic: Topic | None
    message: Message | None
    membership: ConversationMember | None  # the viewer's, in the message's conversation
    reported: bool  # the message was reported (staff see reported messages only)


def image_for(name: str, viewer) -> tuple[Upload | None, bool]:
    """The stored image if `viewer` may see it, and whether everyone may (one indexed query).

    Returns (None, False) for an unknown image and for one the viewer may not see, alike.
    """
    viewer_id = viewer.id if isinstance(viewer, User) and getattr(viewer, "is_authenticated", False) else -1
    reported = (
        exists().where(Report.target_type == TargetType.MESSAGE, Report.target_id == Message.id)
        if can_review_messages(viewer) else literal(False)
    )
    rows = db.session.execute(
        select(Upload, UploadLink.in_body, Post, Topic, Message, ConversationMember, reported.label("reported"))
        .outerjoin(UploadLink, UploadLink.upload_id == Upload.id)
        .outerjoin(Post, Post.id == UploadLink.post_id)
        .outerjoin(Topic, Topic.id == Post.topic_id)
        .outerjoin(Message, Message.id == UploadLink.message_id)
        .outerjoin(ConversationMember, and_(ConversationMember.conversation_id == Message.conversation_id,
                                            ConversationMember.user_id == viewer_id))
        .options(
            load_only(Post.status, Post.author_id, Post.topic_id, raiseload=True),
            load_only(Topic.status, Topic.author_id, raiseload=True),
            load_only(Message.status, Message.author_id, Message.conversation_id, raiseload=True),
        )
        .where(Upload.name == name)
    ).all()
    if not rows:
        return None, False
    upload = rows[0][0]
    uses = [Use(bool(in_body), post, topic, message, membership, bool(was_reported))
            for _, in_body, post, topic, message, membership, was_reported in rows if in_body is not None]
    if not can_view_upload(viewer, upload, uses):
        return None, False
    return upload, can_view_upload(None, upload, uses)
