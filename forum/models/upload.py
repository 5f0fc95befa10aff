"""Images uploaded by members to show in their posts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import db, utcnow


class Upload(db.Model):
    """One stored image: its random file name under UPLOAD_FOLDER and what the re-encoding produced."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # A random name with the extension of the stored format, e.g. "k3J...Qw.png"; also the URL's last part.
    name: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    bytes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UploadLink(db.Model):
    """A post or a private message that shows one of its author's images, written when it is saved.

    Serving an image asks who may see one of its posts or messages, and deleting the last of them
    deletes the image: both are one indexed read here (the unique keys lead with upload_id).
    """

    __tablename__ = "upload_link"
    __table_args__ = (
        UniqueConstraint("upload_id", "post_id", name="uq_upload_link_upload_post"),
        UniqueConstraint("upload_id", "message_id", name="uq_upload_link_upload_message"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"))
    # Exactly one of post_id and message_id.
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"), index=True)
    # In the post's current text; False: only in an earlier version (seen by those who see its history).
    in_body: Mapped[bool] = mapped_column(default=True)
