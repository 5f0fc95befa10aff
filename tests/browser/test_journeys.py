"""People's journeys through the forum, by visible labels and roles."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in, sign_up, unique


def test_sign_up_start_a_topic_reply_quote_edit_and_see_the_history(page):
    name = unique("bea")
    sign_up(page, name)
    expect(page.get_by_role("status")).to_contain_text(f"Welcome back, {name}.")

    # Start a topic written in Markdown.
    page.get_by_role("link", name="Coping day to day").first.click()
    page.get_by_role("link", name="Start a topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a topic in Coping day to day")
    title = f"Sunglasses indoors {name}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Message").fill("Tinted glasses **really** help me.\n\n- FL-41 tint\n- wide brims")
    page.get_by_role("button", name="Start topic").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    first = page.get_by_role("article").first
    expect(first.locator("strong")).to_have_text("really")
    expect(first.get_by_role("listitem")).to_have_text(["FL-41 tint", "wide brims"])

    # Reply from the form under the topic.
    page.get_by_label("Your reply").fill("Thank you, I will try an *FL-41* tint.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("article")).to_have_count(2)
    expect(page.get_by_role("article").nth(1).locator("em")).to_have_text("FL-41")

    # Quote the first post: the form comes filled with a Markdown quote.
    page.get_by_role("link", name="Quote post 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reply to")
    body = page.get_by_label("Your reply")
    expect(body).to_have_value(re.compile(r"^>.*really", re.S))
    body.press("Control+End")
    body.type("\n\nAgreed, the tint helps.")
    page.get_by_role("button", name="Post reply").click()
    third = page.get_by_role("article").nth(2)
    expect(third.locator("blockquote")).to_contain_text("really help me")
    expect(third).to_contain_text("Agreed, the tint helps.")

    # Edit the first post, then read the earlier version in its history.
    page.get_by_role("link", name="Edit post 1").click()
    page.get_by_label("Message").fill("Tinted glasses help me a lot, even indoors.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your changes were saved")
    expect(page.get_by_role("article").first).to_contain_text("even indoors")
    page.get_by_role("article").first.get_by_role("link", name="History of post 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of post 1")
    expect(page.get_by_role("heading", name=re.compile(r"Version 2 \(current\)"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Version 1,"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Tinted glasses really help me.")


def test_sign_in_and_out(page, forum):
    name = unique("lou")
    forum.user(name)
    sign_in(page, name)
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_suspended_member_can_read_but_cannot_post(page, forum):
    name = unique("theo")
    forum.user(name)
    topic_id = forum.topic(name, "Mornings are the hardest for me", "Anyone else?")
    forum.suspend(name, reason="Repeated off-topic posts.")
    sign_in(page, name)

    page.goto("/boards/coping")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coping day to day")
    expect(page.get_by_role("link", name="Start a topic")).to_have_count(0)

    page.goto(f"/topics/{topic_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mornings are the hardest for me")
    expect(page.get_by_role("button", name="Post reply")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Quote"))).to_have_count(0)

    # Going straight to the forms does not help: nothing is stored.
    response = page.goto("/boards/coping/new")
    if response.status == 200:
        page.get_by_label("Title").fill("Trying to post anyway")
        page.get_by_label("Message").fill("This should not appear.")
        page.get_by_role("button", name="Start topic").click()
    expect(page.get_by_role("main")).to_contain_text("suspended")
    page.goto("/boards/coping")
    expect(page.get_by_role("link", name="Trying to post anyway")).to_have_count(0)


def test_signed_out_visitors_are_asked_to_sign_in_to_take_part(page):
    page.goto("/boards/coping")
    expect(page.get_by_role("main").get_by_role("link", name="Sign in")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/signin\?next="))
