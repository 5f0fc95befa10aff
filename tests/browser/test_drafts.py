"""Drafts in a real browser: the autosave script, "Save draft" without it, and coming back."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import sign_in, unique


def test_a_reply_is_autosaved_every_30_seconds_and_offered_again(page, forum):
    name = unique("dara")
    forum.user(name)
    topic_id = forum.topic(name, "Evenings with a twitching eye", "How are your evenings?")
    sign_in(page, name)
    page.clock.install()
    page.goto(f"/topics/{topic_id}/reply")
    page.get_by_label("Your reply").fill("Half of what I wanted to say")
    with page.expect_response(lambda r: r.url.endswith(f"/topics/{topic_id}/draft")) as saved:
        page.clock.run_for(31_000)
    assert saved.value.status == 200 and saved.value.json()["saved"] is True
    expect(page.locator("[data-draft-status]")).to_contain_text("Draft saved at")

    page.goto("/drafts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your drafts")
    expect(page.get_by_role("main")).to_contain_text("Half of what I wanted to say")
    page.get_by_role("link", name="Reply to “Evenings with a twitching eye”").click()
    expect(page.get_by_label("Your reply")).to_have_value("Half of what I wanted to say")

    page.get_by_label("Your reply").fill("Half of what I wanted to say, and the rest.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("article").nth(1)).to_contain_text("and the rest.")
    page.goto("/drafts")
    expect(page.get_by_role("main")).to_contain_text("You have no drafts")


def test_save_draft_works_without_javascript(new_context, forum):
    name = unique("noel")
    forum.user(name)
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, name)
    page.goto("/boards/coping/new")
    page.get_by_label("Title").fill("An idea for later")
    page.get_by_label("Message").fill("Not finished yet")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Your draft is saved")
    expect(page.get_by_label("Title")).to_have_value("An idea for later")
    page.goto("/drafts")
    page.get_by_role("button", name="Discard draft").click()
    expect(page.get_by_role("main")).to_contain_text("You have no drafts")
