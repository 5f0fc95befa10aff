"""Private messages in a real browser: writing from a profile, the header's number, reading, blocking."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import sign_in, unique


def test_a_member_writes_to_another_from_their_profile(page, new_context, forum):
    sender, reader = unique("sam"), unique("rae")
    forum.user(sender)
    forum.user(reader)
    sign_in(page, sender)
    page.goto(f"/users/{reader}")
    page.get_by_role("link", name=f"Send {reader} a private message").click()
    expect(page.get_by_label("To")).to_have_value(reader)
    page.get_by_label("Subject").fill("Injection day nerves")
    page.get_by_label("Message").fill("Did your *first* injection hurt?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Injection day nerves")
    expect(page.get_by_role("article")).to_contain_text("Did your first injection hurt?")

    other = new_context().new_page()
    sign_in(other, reader)
    expect(other.get_by_role("link", name="Messages 1 unread")).to_be_visible()
    other.get_by_role("link", name="Messages 1 unread").click()
    other.get_by_role("link", name="Injection day nerves").click()
    other.get_by_label("Your message").fill("Only a little, like a pinch.")
    other.get_by_role("button", name="Send").click()
    expect(other.get_by_role("article").nth(1)).to_contain_text("like a pinch")
    expect(other.get_by_role("link", name="Messages", exact=True)).to_be_visible()


def test_blocking_folds_away_a_members_posts(page, forum):
    blocker, noisy = unique("bo"), unique("nico")
    forum.user(blocker)
    forum.user(noisy)
    topic_id = forum.topic(noisy, "Loud opinions about caffeine", "Coffee is the cause of everything.")
    sign_in(page, blocker)
    page.goto(f"/users/{noisy}")
    page.get_by_role("button", name=f"Block {noisy}").click()
    expect(page.get_by_role("button", name=f"Unblock {noisy}")).to_be_visible()
    page.goto(f"/topics/{topic_id}?page=1")
    body = page.get_by_text("Coffee is the cause of everything.")
    expect(body).to_be_hidden()
    page.get_by_text("Post by a member you blocked").click()
    expect(body).to_be_visible()
