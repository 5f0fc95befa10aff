"""Markdown to safe HTML, once, when content is saved ("cooking").

bleach is the sanitizer; its 6.4.0 was its last release, so it stays behind render_markdown()
and its output goes through nh3 (maintained) with the same allowlist as a second line of defence.
"""
from __future__ import annotations

import html as html_lib

import bleach
import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "del", "a", "ul", "ol", "li", "blockquote",
        "code", "pre", "h3", "h4", "h5", "h6",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _shift_headings(state) -> None:
    """Headings h1 and h2 belong to the page; Markdown headings start at h3."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 2, 6)
            token.tag = f"h{level}"


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("strikethrough")
_md.core.ruler.push("shift_headings", _shift_headings)


def _link_attributes(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _clean(html: str) -> str:
    html = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    # Turn bare URLs into links and give every link rel="nofollow ugc noopener".
    html = bleach.linkify(html, callbacks=[_link_attributes], parse_email=False)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_PROTOCOLS),
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    """Render member-written Markdown to sanitized HTML, ready to store and show."""
    return _clean(_md.render(source))


def plain_text(source: str) -> str:
    """The readable text of Markdown source, without any markup (for snippets and matching)."""
    html = _md.render(source)
    return " ".join(html_lib.unescape(nh3.clean(html, tags=set())).split())
