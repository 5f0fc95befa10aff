from flask import render_template, request, url_for
from sqlalchemy import select
from wtforms.fields import SelectChoice

from forum.models import Board
from forum.models.base import db
from forum.ratelimits import rate_limit
from forum.search import bp
from forum.search.forms import SearchForm
from forum.services import reading, search
from forum.views_util import page_arg


def hit_url(hit: search.Hit) -> str:
    if hit.kind == "article":
        return hit.url or url_for("search.search_page")
    page = reading.page_of_number(hit.post_number or 1)
    return url_for("boards.topic", topic_id=hit.topic_id, page=page if page > 1 else None, _anchor=f"post-{hit.post_number}")


@bp.get("/search")
@rate_limit("searching")
def search_page():
    form = SearchForm(request.args)
    form.board.choices = [SelectChoice("", "All boards")] + [
        SelectChoice(slug, name) for slug, name in db.session.execute(select(Board.slug, Board.name).order_by(Board.position, Board.id))
    ]
    results, status = None, 200
    page = page_arg()
    if request.args:
        if form.validate():
            filters = search.SearchFilters(
                board=form.board.data or None,
                author=form.author.data or None,
                kind=form.kind.data or None,
                since=form.since.data,
                until=form.until.data,
                order=form.order.data,
            )
            results = search.search(form.q.data, filters, page)
        else:
            status = 422
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("search/search.html", form=form, results=results, args=args, hit_url=hit_url), status
