"""Every model, imported here so that Alembic and the app see all tables."""
from forum.models.audit import ModerationAction
from forum.models.base import utcnow
from forum.models.board import Board, ContentStatus, Post, PostRevision, Topic, TopicRead
from forum.models.notification import Notification
from forum.models.user import Role, User
# Operations: background jobs outbox and one-time form keys
from forum.models.jobs import QueuedJob
from forum.models.submission import FormSubmission
# Community: reactions and bookmarks
from forum.models.community import Bookmark, PostReaction
# Moderation
from forum.models.moderation import (
    MemberWarning,
    Report,
    ReportStatus,
    ReviewEntry,
    ReviewStatus,
    StaffNote,
    TargetType,
    WatchedWord,
    WatchedWordAction,
)
# Safety: a member's private settings
from forum.models.privacy import AccountSettings

# Articles and verified experts.
from forum.models.article import Article, ArticleBoard, ArticleRevision, ArticleStatus, RevisionStatus
from forum.models.expert import ExpertProfile

# Search
from forum.models.search import SearchDocument
# Notifications: settings, mail outbox, watching
from forum.models.notification import EmailPreference, NotificationSettings, OutboxMail
from forum.models.watching import BoardWatch, TopicWatch, WatchLevel

__all__ = [
    "Board",
    "ContentStatus",
    "ModerationAction",
    "Notification",
    "Post",
    "PostRevision",
    "Role",
    "SearchDocument",
    # Notifications
    "BoardWatch",
    "EmailPreference",
    "NotificationSettings",
    "OutboxMail",
    "TopicWatch",
    "WatchLevel",
    "Topic",
    "TopicRead",
    "User",
    "utcnow",
    # Operations
    "FormSubmission",
    "QueuedJob",
    # Community
    "Bookmark",
    "PostReaction",
    # Moderation
    "MemberWarning",
    "Report",
    "ReportStatus",
    "ReviewEntry",
    "ReviewStatus",
    "StaffNote",
    "TargetType",
    "WatchedWord",
    "WatchedWordAction",
    # Safety
    "AccountSettings",
    # Articles and verified experts.
    "Article",
    "ArticleBoard",
    "ArticleRevision",
    "ArticleStatus",
    "ExpertProfile",
    "RevisionStatus",
]

# API: personal access tokens
from forum.models.api_token import ApiToken, TokenScope  # noqa: E402

__all__ += ["ApiToken", "TokenScope"]

# Treatment experience reports
from forum.models.treatment import (  # noqa: E402
    TreatmentArticle,
    TreatmentExperience,
    TreatmentExperienceRevision,
    TreatmentSideEffect,
)

__all__ += ["TreatmentArticle", "TreatmentExperience", "TreatmentExperienceRevision", "TreatmentSideEffect"]

# Local support groups
from forum.models.groups import GroupStatus, MeetingFormat, SupportGroup, SupportGroupContact  # noqa: E402

__all__ += ["GroupStatus", "MeetingFormat", "SupportGroup", "SupportGroupContact"]

# Drafts of topics and replies
from forum.models.draft import Draft  # noqa: E402

__all__ += ["Draft"]

# Two-factor sign-in
from forum.models.two_factor import RecoveryCode, TwoFactor  # noqa: E402

__all__ += ["RecoveryCode", "TwoFactor"]

# Images in posts
from forum.models.upload import Upload, UploadLink  # noqa: E402

__all__ += ["Upload", "UploadLink"]

# Private messages and blocking
from forum.models.messages import Conversation, ConversationMember, MemberBlock, Message  # noqa: E402

__all__ += ["Conversation", "ConversationMember", "MemberBlock", "Message"]
