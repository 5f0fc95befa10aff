"""What a signed-in page costs before any template is rendered, for `bench/run.py --floor`.

`/bench-floor/member` loads the member and makes a CSRF token, as every signed-in page does, and
returns bare Flask's fixed page; `/bench-floor/topics/<id>` does all of the topic page's work (the
topic with the member's state, the reactions and bookmarks, the blocked members, the post list as
this member sees it) and returns the post list alone, without the page around it. The benchmark's
app (bench/app.py) and bench/profile.py register them; the forum itself never does.
"""
from flask import Blueprint
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from bench.bare import PAGE
from forum.boards import post_list
from forum.services import community, messages, reading, unread
from forum.views_util import page_arg, require_visible

floor = Blueprint("bench_floor", __name__, url_prefix="/bench-floor")


@floor.get("/member")
@login_required
def member() -> str:
    generate_csrf()
    return PAGE


@floor.get("/topics/<int:topic_id>")
@login_required
def topic(topic_id: int) -> str:
    topic, state = unread.load_topic_for(current_user, topic_id)
    require_visible(topic)
    page = page_arg()
    posts = post_list.TopicPosts(topic, page)
    reading.record_view(topic)
    reader = post_list.Reader(
        current_user._get_current_object(), topic, page,
        token=generate_csrf(),
        marks=community.viewer_marks(current_user, posts.post_ids),
        blocked=messages.blocked_ids(current_user),
        first_unread=state.first_unread(topic),
    )
    reading.topic_pages(topic)
    return "".join(str(item) for item in posts.html(reader))
