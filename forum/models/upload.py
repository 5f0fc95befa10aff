"""Images uploaded by members to show in their posts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
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
