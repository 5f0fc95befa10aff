"""Images in posts: checked by their content, re-encoded without metadata, stored under random names.

A file is accepted only when Pillow reads it, from its bytes (never its name or declared type), as
JPEG, PNG or WebP, within the pixel cap, and decodes it whole. The pixels are then written out again
in the same format, without EXIF (GPS), ICC profiles or text chunks, scaled down to
UPLOAD_MAX_WIDTH: whatever else the file carried (HTML appended to a JPEG, a second image, comments)
is left behind. Anything else is refused with a message the member can act on.
"""
from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from forum.errors import ForumError, InvalidInput
from forum.models import Upload, User
from forum.models.base import db

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
    """Remove the member's image files and rows (account deletion; caller commits)."""
    for upload in owned_by(user):
        (folder() / upload.name).unlink(missing_ok=True)
        db.session.delete(upload)
    db.session.flush()
