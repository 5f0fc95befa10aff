"""The posts of a topic page, each rendered once for every reader who sees it the same way.

Most readers of a topic page are members who did not write a given post, did not react to it or
bookmark it, did not block its author, and are not moderators. For all of them the post looks the
same, save the CSRF token in its forms. So each post is rendered once for a stand-in member, with
a mark in place of the token, and that HTML is kept in the cache under the page generation
(forum/cache.py): any write to a post or a topic starts a new generation, so nothing stale is
served. A page whose posts all come from the cache reads no post rows at all.

A post the reader sees differently (their own, one they reacted to or bookmarked, one by a member
they blocked, the first unread one) is rendered for them; so is every post for moderators,
members who may not take part, and anonymous visitors (whose whole page is cached instead).
What a reader may do is asked of forum.permissions, for the reader and the stand-in alike.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup

from forum.cache import cache, fragment_key
from forum.models import ContentStatus, Post, Role, Topic, User
from forum.permissions import (
    can_bookmark,
    can_delete_post,
    can_edit_post,
    can_participate,
    can_react,
    can_reply,
    can_report_post,
    can_view_post,
    can_view_queue,
    can_view_revisions,
    is_staff,
)
from forum.services import community, reading
from forum.templating import UrlPattern


@dataclass(frozen=True)
class PostFacts:
    """What decides whether a reader sees a post as everyone does."""

    id: int
    number: int
    author_id: int | None

    @classmethod
    def of(cls, post: Post) -> PostFacts:
        return cls(post.id, post.number, post.author_id)


class Reader:
    """Who reads a topic page, and what they may do with each of its posts."""

    def __init__(self, user, topic: Topic, page: int, *, token: str = "", marks=None, blocked=frozenset(),
                 first_unread: int | None = None) -> None:
        self.user, self.topic, self.page, self.token = user, topic, page, token
        self.marks = marks if marks is not None else community.ViewerMarks()
        self.blocked, self.first_unread = blocked, first_unread
        self.signed_in = isinstance(user, User) and bool(getattr(user, "is_authenticated", False))
        self.moderator = can_view_queue(user)
        self.may_reply = can_reply(user, topic)
        self.reactions = community.reaction_kinds()
        self.reactions_url = UrlPattern.of("community.reactions", "post_id")
        if self.signed_in:
            self.quote_url = UrlPattern.of("boards.reply", "quote", topic_id=topic.id)
            self.edit_url = UrlPattern.of("boards.edit_post", "post_id")
            self.revisions_url = UrlPattern.of("boards.revisions", "post_id")
            self.delete_url = UrlPattern.of("boards.delete_post", "post_id")
            self.report_url = UrlPattern.of("moderation.report", "target_id", kind="post")
            self.moderate_url = UrlPattern.of("moderation.post_item", "post_id")
            self.react_url = UrlPattern.of("community.react", "post_id")
            self.bookmark_url = UrlPattern.of("community.bookmark", "post_id")

    def may_view(self, post: Post) -> bool:
        return can_view_post(self.user, post)

    def may_edit(self, post: Post) -> bool:
        return can_edit_post(self.user, post, self.topic)

    def may_view_revisions(self, post: Post) -> bool:
        return can_view_revisions(self.user, post)

    def may_delete(self, post: Post) -> bool:
        return can_delete_post(self.user, post, self.topic)

    def may_report(self, post: Post) -> bool:
        return can_report_post(self.user, post)

    def may_react(self, post: Post) -> bool:
        return self.signed_in and can_react(self.user, post)

    def may_bookmark(self, post: Post) -> bool:
        return self.signed_in and can_bookmark(self.user, post)

    @property
    def is_plain(self) -> bool:
        """A member who takes part and does not moderate: one who may see posts as the stand-in does."""
        return can_participate(self.user) and not is_staff(self.user)

    def sees_as_everyone(self, facts: PostFacts) -> bool:
        return (
            facts.author_id != self.user.id
            and facts.author_id not in self.blocked
            and facts.number != self.first_unread
            and not self.marks.touches(facts.id)
        )


def _stand_in() -> User:
    """A member in good standing who wrote nothing: never added to the session."""
    return User(id=0, username="", role=Role.MEMBER, unacknowledged_warnings=0)


def _token_mark() -> str:
    """Stands for the reader's CSRF token in shared HTML; unguessable, and the same in every worker."""
    mark = current_app.extensions.get("forum_post_token_mark")
    if mark is None:
        key = str(current_app.config["SECRET_KEY"]).encode()
        mark = "tk" + hmac.new(key, b"topic-post-token-mark", hashlib.sha256).hexdigest()[:30]
        current_app.extensions["forum_post_token_mark"] = mark
    return mark


def _macro():
    return current_app.jinja_env.get_template("boards/_post.html").module.post_item


class TopicPosts:
    """A page of a topic's posts as HTML for `reader`, from the shared cache where it can be."""

    def __init__(self, topic: Topic, page: int) -> None:
        self.topic, self.page = topic, page
        self._caching = bool(current_app.config.get("CACHE_PAGES"))
        # The token's mark is part of the key: HTML kept under another secret key is never used.
        self._key = fragment_key("topic-posts", topic.id, page, _token_mark()[2:10])
        self._shared: list[tuple[PostFacts, str]] | None = cache.get(self._key) if self._caching else None
        self._posts: list[Post] | None = None
        if self._shared is None:
            self._posts = reading.topic_posts(topic, page)
            self.facts = [PostFacts.of(p) for p in self._posts]
        else:
            self.facts = [facts for facts, _ in self._shared]

    @property
    def post_ids(self) -> list[int]:
        return [f.id for f in self.facts]

    @property
    def last_number(self) -> int | None:
        return self.facts[-1].number if self.facts else None

    def html(self, reader: Reader) -> list[Markup]:
        render = _macro()
        if not (self._caching and reader.is_plain):
            return [render(post, reader) for post in self._all_posts()]
        shared = self._shared_html()
        own = [f.number for f in self.facts if not reader.sees_as_everyone(f)]
        posts = {p.number: p for p in self._posts_numbered(own)} if own else {}
        token = reader.token
        mark = _token_mark()
        return [
            render(posts[facts.number], reader) if facts.number in posts else Markup(html.replace(mark, token))
            for facts, html in zip(self.facts, shared)
        ]

    def _all_posts(self) -> list[Post]:
        if self._posts is None:
            self._posts = reading.topic_posts(self.topic, self.page)
        return self._posts

    def _posts_numbered(self, numbers: list[int]) -> list[Post]:
        if self._posts is not None:
            wanted = set(numbers)
            return [p for p in self._posts if p.number in wanted]
        return reading.topic_posts(self.topic, self.page, numbers=numbers)

    def _shared_html(self) -> list[str]:
        if self._shared is not None:
            return [html for _, html in self._shared]
        stand_in = Reader(_stand_in(), self.topic, self.page, token=_token_mark())
        render = _macro()
        html = [str(render(post, stand_in)) for post in self._all_posts()]
        cache.set(self._key, list(zip(self.facts, html)))
        return html
