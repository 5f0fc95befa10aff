"""Markdown to safe HTML, once, when content is saved ("cooking").

bleach is the sanitizer; its 6.4.0 was its last release, so it stays behind render_markdown()
and its output goes through nh3 (maintained) with the same allowlist as a second line of defence.
"""
from __future__ import annotations

import html as html_lib
import re
import threading

import nh3
from bleach.linkifier import Linker
from bleach.sanitizer import Cleaner
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "del", "a", "ul", "ol", "li", "blockquote",
        "code", "pre", "h2", "h3", "h4", "h5", "h6",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
# Images: only the forum's own uploads (forum/services/uploads.py), with their alt text.
IMAGE_SRC = re.compile(r"/uploads/[A-Za-z0-9_-]+\.(?:jpg|png|webp)")
IMAGE_ATTRIBUTES = frozenset({"src", "alt"})
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


HEADINGS = ("post", "article")


def _shift_headings(state) -> None:
    """Place Markdown headings under the page's own.

    In a post (headings="post") h1 and h2 belong to the page: # becomes h3, ## h4, and so on.
    An article's body sits right under the page's h1 (headings="article"): its headings start at
    h2 (# and ## both give h2) and never skip a level (#### after ## gives h3).
    """
    article = state.env.get("headings") == "article"
    level = previous = 1
    for token in state.tokens:
        if token.type == "heading_open":
            written = int(token.tag[1])
            level = max(2, min(written, previous + 1)) if article else min(written + 2, 6)
            previous = level
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{level}"


def _own_images_only(state) -> None:
    """An image from anywhere but the forum's uploads is shown as its description, in text."""
    for block in state.tokens:
        for index, token in enumerate(block.children or []):
            if token.type == "image" and not is_upload_src(token.attrGet("src") or ""):
                text = token.content or "image"
                block.children[index] = Token("text", "", 0, content=f"[{text}]")


def is_upload_src(src: str) -> bool:
    return IMAGE_SRC.fullmatch(src) is not None


def _bleach_img_attribute(tag: str, name: str, value: str) -> bool:
    return name == "alt" or (name == "src" and is_upload_src(value))


def _nh3_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src" and not is_upload_src(value):
        return None
    return value


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("strikethrough")
_md.core.ruler.push("shift_headings", _shift_headings)
_md.core.ruler.push("own_images_only", _own_images_only)


def _link_attributes(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_per_thread = threading.local()


def _bleach() -> tuple[Cleaner, Linker]:
    """bleach's cleaner and linker, made once per thread (they are not thread-safe, and making
    them costs about as much as using them)."""
    made = getattr(_per_thread, "bleach", None)
    if made is None:
        made = _per_thread.bleach = (
            Cleaner(
                tags=ALLOWED_TAGS | {"img"},
                attributes={**ALLOWED_ATTRIBUTES, "img": _bleach_img_attribute},
                protocols=ALLOWED_PROTOCOLS,
                strip=True,
                strip_comments=True,
            ),
            # Turns bare URLs into links and gives every link rel="nofollow ugc noopener".
            Linker(callbacks=[_link_attributes], parse_email=False),
        )
    return made


def bleach_pass(html: str) -> str:
    """The first line: bleach's allowlist, then bare URLs made links, every link with rel=LINK_REL.

    On its own it makes any HTML safe; render_markdown() runs nh3_pass() over its output.
    """
    cleaner, linker = _bleach()
    return linker.linkify(cleaner.clean(html))


def nh3_pass(html: str) -> str:
    """The second line: nh3 with the same allowlist (tags, attributes, URL schemes, no comments).

    On its own it makes any HTML safe, so a flaw in bleach (no longer maintained) is not enough.
    """
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS) | {"img"},
        # "*": no attribute on every tag (nh3 would otherwise allow lang= and title= anywhere).
        attributes={**{tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}, "img": set(IMAGE_ATTRIBUTES), "*": set()},
        attribute_filter=_nh3_attribute,
        url_schemes=set(ALLOWED_PROTOCOLS),
        link_rel=None,
        strip_comments=True,
    )


def _clean(html: str) -> str:
    # An image whose address was refused by either pass goes altogether.
    return _IMG_WITHOUT_SRC.sub("", nh3_pass(bleach_pass(html)))


def render_markdown(source: str, *, headings: str = "post") -> str:
    """Render member-written Markdown to sanitized HTML, ready to store and show.

    headings: "post" (headings from h3) or "article" (headings from h2, in order).
    """
    if headings not in HEADINGS:
        raise ValueError(f"headings must be one of {HEADINGS}, not {headings!r}")
    return _clean(_md.render(source, {"headings": headings}))


def plain_text(source: str) -> str:
    """The readable text of Markdown source, without any markup (for snippets and matching)."""
    html = _md.render(source)
    return " ".join(html_lib.unescape(nh3.clean(html, tags=set())).split())
