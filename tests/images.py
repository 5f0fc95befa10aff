"""Image files made on the fly for the upload tests: real JPEG, PNG and WebP bytes, and impostors."""
from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), color=(200, 60, 60), **save_options) -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt in ("PNG", "WEBP") and len(color) == 4 else "RGB"
    Image.new(mode, size, color).save(out, format=fmt, **save_options)
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (40, 30), orientation: int | None = None) -> bytes:
    """A JPEG carrying EXIF with a camera model and a GPS position (and an orientation if given)."""
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x0110] = "Secret Camera 3000"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    return image_bytes("JPEG", size, exif=exif.tobytes())
