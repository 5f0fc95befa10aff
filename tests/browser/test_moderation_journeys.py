"""Moderation journeys: a report goes through the queue, the author sees the outcome;
a moderator suspends a member, who then cannot post."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import DEMO_MODERATOR, sign_in, unique


def action_form(page, button: str):
    """The small form of one moderator action, found by its button."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def test_a_report_is_handled_in_the_queue_and_the_author_sees_the_notice(new_context, forum):
    author, reporter = unique("sam"), unique("ana")
    forum.user(author)
    forum.user(reporter)
    title = f"What helped your twitching this year? {author}"
    topic_id = forum.topic(reporter, title, "Share what worked, big or small.")
    forum.reply(author, topic_id, "Stop all treatment and buy these drops instead.")

    # A member reports the reply.
    page = new_context().new_page()
    sign_in(page, reporter)
    page.goto(f"/topics/{topic_id}")
    page.get_by_role("link", name="Report post 2").click()
    page.get_by_role("radio", name="Medical misinformation").check()
    page.get_by_label(re.compile("^Anything the moderators should know")).fill("Tells people to stop treatment.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile("report", re.I))

    # A moderator finds it in the queue and hides the post, with a reason for the author.
    mod = new_context().new_page()
    sign_in(mod, DEMO_MODERATOR, "demo-password-1")
    mod.get_by_role("link", name=re.compile("^Review queue")).first.click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Review queue")
    mod.get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(mod.get_by_role("table")).to_contain_text("Medical misinformation")
    hide = action_form(mod, "Hide the post")
    hide.get_by_label("Reason the author will be told").fill("Advice to stop treatment can harm people.")
    hide.get_by_role("button", name="Hide the post").click()
    expect(mod.get_by_role("main")).to_contain_text(re.compile("hidden", re.I))

    # The author sees the notice on their post, with the reason.
    own = new_context().new_page()
    sign_in(own, author)
    own.goto(f"/topics/{topic_id}")
    notice = own.get_by_role("article").nth(1)
    expect(notice).to_contain_text("Hidden by a moderator")
    expect(notice).to_contain_text("Advice to stop treatment can harm people.")
    # Other visitors no longer see the post's text.
    other = new_context().new_page()
    other.goto(f"/topics/{topic_id}")
    expect(other.get_by_role("main")).not_to_contain_text("buy these drops")


def test_a_member_suspended_by_a_moderator_cannot_post(new_context, forum):
    name = unique("vic")
    forum.user(name)
    topic_id = forum.topic(name, "Quick question about dark glasses", "Which tint do you use?")

    mod = new_context().new_page()
    sign_in(mod, DEMO_MODERATOR, "demo-password-1")
    mod.goto(f"/topics/{topic_id}")
    mod.get_by_role("link", name="Moderate post 1").click()
    suspend = action_form(mod, "Suspend")
    suspend.get_by_label("Days").fill("3")
    suspend.get_by_label("Reason the member will see").fill("Please cool down for a few days.")
    suspend.get_by_role("button", name="Suspend").click()
    expect(mod.get_by_role("main")).to_contain_text(re.compile("Suspended until", re.I))

    page = new_context().new_page()
    sign_in(page, name)
    page.goto(f"/topics/{topic_id}")
    expect(page.get_by_role("button", name="Post reply")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("suspended")
    page.goto("/boards/coping")
    expect(page.get_by_role("link", name="Start a topic")).to_have_count(0)
