from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired

from forum.forms import ForumForm, max_length

DESCRIPTION_MAX = 200


class UploadForm(ForumForm):
    image = FileField(
        "Image (JPEG, PNG or WebP)",
        validators=[FileRequired("Choose an image to upload.")],
        description="Location and camera details are removed; wide images are scaled down.",
    )
    description = StringField(
        "Description",
        validators=[DataRequired("Describe the image for members who cannot see it."), max_length(DESCRIPTION_MAX, "description")],
        description="What the image shows, read aloud by screen readers (alt text).",
    )
