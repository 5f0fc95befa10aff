"""Jinja filters and globals: times, numbers and the permission questions."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask

from forum.models import utcnow
from forum.permissions import JINJA_GLOBALS
from forum.site_urls import external_url_for


def time_ago(value: datetime | None, now: datetime | None = None) -> str:
    """ "3 hours ago", "yesterday", "2 March 2026" """
    if value is None:
        return ""
    now = now or utcnow()
    seconds = int((now - value).total_seconds())
    if seconds < 45:
        return "just now"
    minutes = seconds // 60
    if minutes < 60:
        return "1 minute ago" if minutes <= 1 else f"{minutes} minutes ago"
    hours = minutes // 60
    if hours < 24:
        return "1 hour ago" if hours == 1 else f"{hours} hours ago"
    days = hours // 24
    if days < 2:
        return "yesterday"
    if days < 30:
        return f"{days} days ago"
    return value.strftime("%-d %B %Y")


def iso_utc(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def exact_utc(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(timezone.utc).strftime("%-d %B %Y, %H:%M UTC")


def date_only(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def page_window(page: int, pages: int) -> list[int | None]:
    """The page links a pager shows: the first, the last and two either side of `page`, with
    None for the "…" just outside those two. Built from a handful of candidates, never by
    walking every page: a board may have thousands.
    """
    if pages < 1:
        return []
    candidates = sorted({1, pages, *range(max(1, page - 3), min(pages, page + 3) + 1)})
    return [p if p in (1, pages) or abs(p - page) <= 2 else None for p in candidates]


class UrlPattern:
    """The URL of an endpoint whose one argument varies, built by url_for once per page.

    A topic page links every post to its quote, edit, report, reaction and bookmark pages: building
    each with url_for cost more than the rest of the page. `UrlPattern.of('community.react', 'post_id')`
    gives a callable: `react(post.id)` is the URL url_for would build.
    """

    _MARK = 918273645546372819

    def __init__(self, endpoint: str, name: str, **fixed) -> None:
        from flask import url_for

        url = url_for(endpoint, **fixed, **{name: self._MARK})
        self.head, found, self.tail = url.partition(str(self._MARK))
        if not found:  # pragma: no cover - an argument the URL does not show
            raise ValueError(f"{endpoint} does not put {name} in its URL")

    def __call__(self, value: int) -> str:
        return f"{self.head}{int(value)}{self.tail}"

    @classmethod
    def of(cls, endpoint: str, name: str, **fixed) -> UrlPattern:
        """The same pattern, kept by the app: a URL depends only on these and the script root."""
        from flask import current_app, request

        kept = current_app.extensions.setdefault("forum_url_patterns", {})
        key = (request.script_root, endpoint, name, tuple(sorted(fixed.items())))
        pattern = kept.get(key)
        if pattern is None:
            if len(kept) >= 1024:  # one per topic for the quote link: forget them all now and then
                kept.clear()
            pattern = kept[key] = cls(endpoint, name, **fixed)
        return pattern


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(time_ago=time_ago, iso_utc=iso_utc, exact_utc=exact_utc, date_only=date_only)
    app.jinja_env.globals.update(JINJA_GLOBALS)
    app.jinja_env.globals["page_window"] = page_window
    app.jinja_env.globals["site_name"] = lambda: app.config["SITE_NAME"]
    # Absolute addresses (the Atom feed) come from SITE_URL, never from the request's Host.
    app.jinja_env.globals["external_url_for"] = external_url_for
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _site() -> dict:
        return {"config_disclaimer": app.config["MEDICAL_DISCLAIMER"]}
