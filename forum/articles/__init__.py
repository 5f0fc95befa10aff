"""Articles by verified experts, their review by moderators, and the admins' expert register."""
from flask import Blueprint

from forum.cache import watch_table

bp = Blueprint("articles", __name__)

# Articles, their pins and the expert badges are part of what anonymous visitors see:
# a write to any of these tables retires the cached pages and fragments.
for _table in ("article", "article_board", "article_revision", "expert_profile"):
    watch_table(_table)

from forum.articles import views  # noqa: E402,F401
