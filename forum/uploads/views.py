import re

from flask import abort, render_template, request, send_file
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from forum.errors import ForumError, render_error
from forum.models.base import db
from forum.permissions import can_upload_image, require, why_cannot_participate
from forum.ratelimits import rate_limit
from forum.services import uploads
from forum.uploads import bp
from forum.uploads.forms import UploadForm
from forum.views_util import form_status

# An image everyone may see (in a published post) may be kept by browsers and proxies for an hour,
# not longer: once its post is hidden or deleted, shared caches must stop serving it soon. Any other
# image (a private message's, a held or hidden post's, one not posted yet) is never stored.
PUBLIC_CACHE_SECONDS = 3600


@bp.route("/uploads", methods=["GET", "POST"])
@rate_limit("uploads")
@login_required
def upload():
    require(can_upload_image(current_user), why_cannot_participate(current_user))
    form = UploadForm()
    if form.validate_on_submit():
        try:
            stored = uploads.store_image(current_user, form.image.data.read(uploads.max_bytes() + 1))
        except ForumError as error:
            db.session.rollback()
            form.image.errors = [error.message]
            return _form_page(form), error.status
        db.session.commit()
        markdown = uploads.markdown_for(stored, form.description.data)
        if request.accept_mimetypes.best == "application/json":
            return {"markdown": markdown, "url": f"/uploads/{stored.name}"}, 201
        return render_template("uploads/uploaded.html", upload=stored, markdown=markdown, description=form.description.data), 201
    return _form_page(form), form_status(form)


def _form_page(form: UploadForm) -> str:
    return render_template("uploads/upload.html", form=form, max_kb=uploads.max_bytes() // 1024)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    return render_error(413, f"The image is larger than the forum accepts (at most {uploads.max_bytes() // 1024:,} KB). Please choose a smaller file.")


@bp.get("/uploads/<name>")
def image(name: str):
    """The image, to those who may see a post or message showing it (404 to anyone else, as if unknown)."""
    if not re.fullmatch(uploads.NAME_PATTERN, name):
        abort(404)
    stored, public = uploads.image_for(name, current_user._get_current_object())
    path = uploads.folder() / name
    if stored is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=stored.content_type, max_age=PUBLIC_CACHE_SECONDS if public else None, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    if not public:
        response.cache_control.no_cache = None
        response.cache_control.public = False
        response.cache_control.max_age = None
        response.cache_control.private = True
        response.cache_control.no_store = True
    return response
