"""Who may do what. Every view, API endpoint and template asks these questions.

Each check is a pure function of the user and the object: no request state, no queries.
`user` may be Flask-Login's anonymous user.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import inspect as _inspect

from forum.errors import NotAllowed
from forum.models import Board, ContentStatus, Post, Role, Topic, User


def _member(user: Any) -> bool:
    """A signed-in, active account."""
    return bool(getattr(user, "is_authenticated", False)) and isinstance(user, User)


def is_staff(user: Any) -> bool:
    return _member(user) and user.role.is_staff and not user.is_banned


def is_admin(user: Any) -> bool:
    return _member(user) and user.role is Role.ADMIN and not user.is_banned


def can_participate(user: Any) -> bool:
    """Signed in and not banned or suspended: may write anything at all."""
    return _member(user) and not user.is_banned and not user.is_suspended and not _must_acknowledge(user)


def why_cannot_participate(user: Any) -> str | None:
    """The reason shown to a member who may not write, or None."""
    if not _member(user):
        return "Please sign in to take part."
    if user.is_banned:
        return "Your account has been banned, so you cannot post."
    if user.is_suspended:
        until = user.suspended_until.strftime("%d %B %Y, %H:%M UTC")
        reason = f" Reason: {user.suspension_reason}" if user.suspension_reason else ""
        return f"Your account is suspended until {until}: you can read but not post.{reason}"
    if _must_acknowledge(user):
        return "A moderator has sent you a warning. Please read and acknowledge it (Your account standing) before posting again."
    return None


def can_view_topic(user: Any, topic: Topic) -> bool:
    if topic.status is ContentStatus.PUBLISHED:
        return True
    if is_staff(user):
        return True
    # Authors see their own held topic (marked as waiting for a moderator).
    return topic.status is ContentStatus.HELD and _member(user) and topic.author_id == user.id


def can_view_post(user: Any, post: Post) -> bool:
    """Whether the post's body may be shown. Deleted posts keep their place as a notice."""
    if post.status is ContentStatus.PUBLISHED:
        return True
    if is_staff(user):
        return True
    if post.status in (ContentStatus.HELD, ContentStatus.HIDDEN):
        return _member(user) and post.author_id == user.id
    return False


def can_start_topic(user: Any, board: Board) -> bool:
    return can_participate(user)


def can_reply(user: Any, topic: Topic) -> bool:
    if not can_participate(user):
        return False
    if topic.status is not ContentStatus.PUBLISHED:
        return False
    # Locked topics accept no replies, except from moderators.
    return not topic.is_locked or is_staff(user)


def can_edit_post(user: Any, post: Post, topic: Topic) -> bool:
    if not can_participate(user):
        return False
    if post.status is ContentStatus.DELETED:
        return False
    if is_staff(user):
        # Staff edit their own posts anywhere, and others' as moderators (admins' posts: admins only).
        return post.author_id == user.id or can_moderate_post(user, post, "edit")
    # Authors edit their own posts, but not in a locked topic nor once hidden.
    return (
        post.author_id == user.id
        and not topic.is_locked
        and post.status in (ContentStatus.PUBLISHED, ContentStatus.HELD)
    )


def can_delete_post(user: Any, post: Post, topic: Topic) -> bool:
    if not can_edit_post(user, post, topic):
        return False
    # The opening post of a topic with replies can only be edited.
    return not (post.is_first and topic.reply_count > 0)


def can_view_revisions(user: Any, post: Post) -> bool:
    """A post's earlier versions: its author and staff. Others see only that it was edited, and when:
    words a member edited out (a name, a town, a medication) are not for every reader."""
    if is_staff(user):
        return True
    return _member(user) and post.author_id == user.id and post.status is not ContentStatus.DELETED


def can_erase_revision(user: Any, post: Post) -> bool:
    """Erase an earlier version's text: its author at once (even while suspended: it is their own
    words), and staff (an admin's post: admins), who leave an audit row."""
    if _member(user) and post.author_id == user.id and not user.is_banned:
        return post.status is not ContentStatus.DELETED
    return can_moderate_post(user, post, "erase_revision")


def can_react(user: Any, post: Post) -> bool:
    """Support reactions: published posts of others, by members who may take part."""
    return can_participate(user) and post.status is ContentStatus.PUBLISHED and post.author_id != user.id


def can_bookmark(user: Any, post: Post) -> bool:
    """Bookmarks are private: any signed-in member who can see the post."""
    return _member(user) and not user.is_banned and can_view_post(user, post) and post.status is not ContentStatus.DELETED


def can_upload_image(user: Any) -> bool:
    # Images go into posts: whoever may write may upload one.
    return can_participate(user)


def can_keep_draft(user: Any, board: Board | None, topic: Topic | None) -> bool:
    """Drafts: only where the member could publish the post (a new topic in the board, or a reply)."""
    if topic is not None:
        return can_reply(user, topic)
    return board is not None and can_start_topic(user, board)


def can_moderate(user: Any) -> bool:
    return is_staff(user)


def _written_by_admin(post: Post) -> bool:
    """Whether an admin wrote the post, from its loaded author. When the author was not loaded the
    answer is yes, so that checks fail closed (for moderators) rather than query."""
    if "author" in _inspect(post).unloaded:
        return True
    return post.author is not None and post.author.role is Role.ADMIN


# What staff do to someone's post from the moderation pages, the API's queue and the post's buttons.
# (Locking, pinning and moving act on the topic and are any staff member's.)
POST_MODERATION_ACTIONS = frozenset({"hide", "restore", "delete", "edit", "approve", "reject", "dismiss", "erase_revision"})
# An admin's own post: what they may do to it as its author; settling its review is another admin's.
_AUTHOR_ACTIONS = frozenset({"hide", "edit", "delete", "erase_revision"})


def can_moderate_post(user: Any, post: Post, action: str) -> bool:
    """A moderator action (one of POST_MODERATION_ACTIONS) on a post.

    Staff act on every post but one kind: a post by an admin. Moderators may only hide it, which
    puts it before another admin (a pending queue entry); editing, deleting, restoring, dismissing
    its reports and erasing its history are for admins, and the admin who wrote it does not settle
    its review themselves.
    """
    return why_cannot_moderate_post(user, post, action) is None


def why_cannot_moderate_post(user: Any, post: Post, action: str) -> str | None:
    if not is_staff(user):
        return "Only moderators and admins can do that."
    if not _written_by_admin(post) or action == "hide":
        return None
    if not is_admin(user):
        return "An admin wrote this post: moderators may only hide it, and another admin reviews it."
    if post.author_id == user.id and action not in _AUTHOR_ACTIONS:
        return "You wrote this post: another admin reviews it."
    return None


# Moderation
def _must_acknowledge(user: Any) -> bool:
    """A formal warning is waiting for the member's acknowledgement."""
    return bool(getattr(user, "unacknowledged_warnings", 0))


def can_report_post(user: Any, post: Post) -> bool:
    """Members report published posts of others (staff act on them instead, but may report too)."""
    if not can_participate(user):
        return False
    return post.status is ContentStatus.PUBLISHED and post.author_id != user.id


def can_report_member(user: Any, member: User) -> bool:
    return can_participate(user) and member.id != user.id


def can_view_queue(user: Any) -> bool:
    """The review queue, the audit log and staff notes: moderators and admins."""
    return is_staff(user)


def can_sanction(actor: Any, member: User) -> bool:
    """Warn, suspend, ban or lift: never oneself; moderators cannot sanction staff, admins can."""
    if not is_staff(actor) or actor.id == member.id:
        return False
    if member.role.is_staff:
        return is_admin(actor)
    return True


def why_cannot_sanction(actor: Any, member: User) -> str | None:
    if not is_staff(actor):
        return "Only moderators and admins can do that."
    if actor.id == member.id:
        return "You cannot sanction yourself."
    if member.role.is_staff and not is_admin(actor):
        return "Moderators cannot sanction other moderators or admins; ask an admin."
    return None


def can_manage_watched_words(user: Any) -> bool:
    return is_admin(user)


def require(allowed: bool, message: str | None = None) -> None:
    """Raise 403 with a clear message unless `allowed`."""
    if not allowed:
        raise NotAllowed(message or "You do not have permission to do that.")


JINJA_GLOBALS = {
    "can_start_topic": can_start_topic,
    "can_reply": can_reply,
    "can_upload_image": can_upload_image,
    "can_edit_post": can_edit_post,
    "can_delete_post": can_delete_post,
    "can_view_post": can_view_post,
    "can_view_revisions": can_view_revisions,
    "can_erase_revision": can_erase_revision,
    "can_moderate": can_moderate,
    "can_moderate_post": can_moderate_post,
    "why_cannot_moderate_post": why_cannot_moderate_post,
    "can_react": can_react,
    "can_bookmark": can_bookmark,
    "is_staff": is_staff,
    "is_admin": is_admin,
    # Moderation
    "can_report_post": can_report_post,
    "can_report_member": can_report_member,
    "can_view_queue": can_view_queue,
    "can_sanction": can_sanction,
    "can_manage_watched_words": can_manage_watched_words,
    "why_cannot_participate": why_cannot_participate,
}


# Articles and verified experts --------------------------------------------------------------
from forum.models import Article, ArticleStatus, ExpertProfile  # noqa: E402


def verified_expert(user: Any) -> ExpertProfile | None:
    """The member's active expert profile, if it was loaded with them (never runs a query).

    Pages that show badges load it with joinedload(User.expert_profile); when it was not loaded
    the answer is None, so checks fail closed rather than querying once per member.
    """
    if not isinstance(user, User) or "expert_profile" in _inspect(user).unloaded:
        return None
    profile = user.expert_profile
    return profile if profile is not None and profile.is_active else None


def is_verified_expert(user: Any) -> bool:
    return can_participate(user) and verified_expert(user) is not None


def can_create_article(user: Any) -> bool:
    # Only members whose credential an admin verified write articles.
    return is_verified_expert(user)


def can_view_article(user: Any, article: Article) -> bool:
    """Published and archived articles answer everyone (archived ones with a notice)."""
    if article.status in (ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED):
        return True
    # Drafts and articles in review: their author and the moderators.
    return is_staff(user) or (_member(user) and article.author_id == user.id)


def can_edit_article(user: Any, article: Article) -> bool:
    # Only the author, while still a verified expert; archived articles are closed.
    if not is_verified_expert(user) or article.author_id != user.id:
        return False
    return article.status is not ArticleStatus.ARCHIVED


def can_review_article(user: Any, article: Article) -> bool:
    """Publish or return a submitted revision: a moderator or admin who is not the author."""
    return is_staff(user) and not user.is_suspended and article.author_id != user.id


def can_pin_article(user: Any, article: Article) -> bool:
    return can_review_article(user, article) and article.status is ArticleStatus.PUBLISHED


def can_archive_article(user: Any, article: Article) -> bool:
    return can_review_article(user, article) and article.status is ArticleStatus.PUBLISHED


def can_restore_article(user: Any, article: Article) -> bool:
    return can_review_article(user, article) and article.status is ArticleStatus.ARCHIVED


def can_view_article_history(user: Any, article: Article) -> bool:
    """Every revision and the diffs between them: moderators, and the author of their own article."""
    return is_staff(user) or (_member(user) and article.author_id == user.id)


def can_manage_experts(user: Any) -> bool:
    # Verifying a clinician's credential is an admin's decision alone.
    return is_admin(user)


JINJA_GLOBALS.update(
    verified_expert=verified_expert,
    can_create_article=can_create_article,
    can_edit_article=can_edit_article,
    can_review_article=can_review_article,
    can_pin_article=can_pin_article,
    can_archive_article=can_archive_article,
    can_restore_article=can_restore_article,
    can_view_article_history=can_view_article_history,
    can_manage_experts=can_manage_experts,
)


# Treatment experience reports --------------------------------------------------------------


def can_file_experience(user: Any) -> bool:
    return can_participate(user)


def can_view_experience(user: Any, experience: Any) -> bool:
    """Health details: their author and staff always; others only a shared report that is shown."""
    if _member(user) and experience.user_id == user.id:
        return True
    if is_staff(user):
        return True
    return experience.shared and experience.status is ContentStatus.PUBLISHED


def can_edit_experience(user: Any, experience: Any) -> bool:
    # Only the author, and not once a moderator hid it.
    return (
        can_participate(user)
        and experience.user_id == user.id
        and experience.status in (ContentStatus.PUBLISHED, ContentStatus.HELD)
    )


def can_delete_experience(user: Any, experience: Any) -> bool:
    # Their own health details: the author may always remove them, even while suspended.
    return _member(user) and experience.user_id == user.id


def can_view_experience_history(user: Any, experience: Any) -> bool:
    return (_member(user) and experience.user_id == user.id) or is_staff(user)


def can_report_experience(user: Any, experience: Any) -> bool:
    """Members report the shared, shown reports of others."""
    return (
        can_participate(user)
        and experience.user_id != user.id
        and experience.shared
        and experience.status is ContentStatus.PUBLISHED
    )


def can_link_treatment_article(user: Any) -> bool:
    return is_staff(user)


JINJA_GLOBALS.update(
    can_file_experience=can_file_experience,
    can_edit_experience=can_edit_experience,
    can_delete_experience=can_delete_experience,
    can_view_experience_history=can_view_experience_history,
    can_report_experience=can_report_experience,
    can_link_treatment_article=can_link_treatment_article,
)


# Local support groups ----------------------------------------------------------------------


def _organises(user: Any, group: Any) -> bool:
    return _member(user) and group.organiser_id == user.id


def can_propose_group(user: Any) -> bool:
    return can_participate(user)


def can_view_group(user: Any, group: Any) -> bool:
    """Listed groups answer everyone; others their organiser and staff."""
    return group.status.value == "listed" or _organises(user, group) or is_staff(user)


def can_edit_group(user: Any, group: Any) -> bool:
    return can_participate(user) and _organises(user, group)


def can_verify_group(user: Any) -> bool:
    return is_staff(user)


def can_confirm_group(user: Any, group: Any) -> bool:
    return group.status.value == "listed" and (can_edit_group(user, group) or is_staff(user))


def can_open_group_thread(user: Any, group: Any) -> bool:
    return group.status.value == "listed" and group.topic_id is None and (can_edit_group(user, group) or (is_staff(user) and can_participate(user)))


def can_contact_group(user: Any, group: Any) -> bool:
    return can_participate(user) and group.status.value == "listed" and group.organiser_id not in (None, user.id)


def can_read_group_messages(user: Any, group: Any) -> bool:
    # Messages are written to the organiser alone.
    return _organises(user, group) and not user.is_banned


JINJA_GLOBALS.update(
    can_propose_group=can_propose_group,
    can_edit_group=can_edit_group,
    can_verify_group=can_verify_group,
    can_confirm_group=can_confirm_group,
    can_open_group_thread=can_open_group_thread,
    can_contact_group=can_contact_group,
    can_read_group_messages=can_read_group_messages,
)


# Private messages and blocking --------------------------------------------------------------


def _new_for_messages(user: Any) -> bool:
    """Too new to start conversations (MESSAGES_NEW_MEMBER_DAYS and _POSTS); staff and experts never are."""
    from datetime import timedelta

    from flask import current_app

    from forum.models import utcnow

    if user.role is not Role.MEMBER or user.is_demo:
        return False
    days = current_app.config.get("MESSAGES_NEW_MEMBER_DAYS", 0)
    posts = current_app.config.get("MESSAGES_NEW_MEMBER_POSTS", 0)
    return bool(days and user.created_at > utcnow() - timedelta(days=days)) or user.post_count < posts


def why_cannot_start_conversation(user: Any) -> str | None:
    why = why_cannot_participate(user)
    if why:
        return why
    if _new_for_messages(user):
        from flask import current_app

        days = current_app.config.get("MESSAGES_NEW_MEMBER_DAYS", 0)
        posts = current_app.config.get("MESSAGES_NEW_MEMBER_POSTS", 0)
        needs = " and ".join(part for part in (
            f"have been a member for {days} day{'s' if days != 1 else ''}" if days else "",
            f"have published {posts} post{'s' if posts != 1 else ''}" if posts else "",
        ) if part)
        return (f"New members can start private conversations once they {needs}. "
                "You can answer any conversation you are in, and reach the moderators at any time by reporting.")
    return None


def can_start_conversation(user: Any) -> bool:
    return why_cannot_start_conversation(user) is None


def in_conversation(user: Any, membership: Any) -> bool:
    """A current member of the conversation (`membership` is theirs, or None)."""
    return _member(user) and membership is not None and membership.user_id == user.id and membership.left_at is None


def can_send_message(user: Any, membership: Any) -> bool:
    return can_participate(user) and in_conversation(user, membership)


def can_report_message(user: Any, message: Any, membership: Any) -> bool:
    """Members report messages of others in conversations they are in."""
    return (
        can_participate(user)
        and in_conversation(user, membership)
        and message.author_id not in (None, user.id)
        and message.status is ContentStatus.PUBLISHED
    )


def can_block(user: Any, member: User) -> bool:
    """Any member may block another, except staff, who must be able to reach everyone."""
    return _member(user) and member.id != user.id and not member.role.is_staff and member.password_hash != ""


def can_review_messages(user: Any) -> bool:
    """A reported message, and the conversation around it (the access is logged)."""
    return is_staff(user)


# Images -----------------------------------------------------------------------------------------


def can_view_upload(user: Any, upload: Any, uses: list[Any]) -> bool:
    """An uploaded image is seen where it is shown (forum.services.uploads): by whoever may see one of
    the posts or messages showing it, by its owner, and by staff (a private message's: once reported).

    `uses` holds one fact per post or message: `in_body` (False: only in an earlier version of the
    post), `post` and `topic`, or `message`, the viewer's `membership` of its conversation and
    whether it was `reported`. An image shown nowhere (not used yet, or taken out everywhere) is its
    owner's and staff's. With user None: whether everyone may see it.
    """
    if _member(user) and upload.owner_id == user.id:
        return True
    if not uses:
        return is_staff(user)
    return any(_sees_use(user, use) for use in uses)


def _sees_use(user: Any, use: Any) -> bool:
    if use.post is not None:
        if not use.in_body:
            return can_view_revisions(user, use.post)
        return can_view_topic(user, use.topic) and can_view_post(user, use.post)
    message = use.message
    if _member(user) and message.author_id == user.id:
        return True
    if in_conversation(user, use.membership) and message.status is ContentStatus.PUBLISHED:
        return True
    return use.reported and can_review_messages(user)


JINJA_GLOBALS.update(
    can_start_conversation=can_start_conversation,
    can_send_message=can_send_message,
    can_report_message=can_report_message,
    can_block=can_block,
)
