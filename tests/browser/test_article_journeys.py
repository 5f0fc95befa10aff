"""Articles: an expert writes and submits one, a moderator publishes and pins it, and it
appears on the home page."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import DEMO_EXPERT, DEMO_MODERATOR, DEMO_PASSWORD, sign_in, unique


def test_an_expert_article_is_published_pinned_and_shown_on_the_home_page(new_context):
    title = f"Understanding botulinum toxin cycles {unique('n')}"

    expert = new_context().new_page()
    sign_in(expert, DEMO_EXPERT, DEMO_PASSWORD)
    expert.goto("/articles")
    expert.get_by_role("link", name="Write an article").click()
    expect(expert.get_by_role("heading", level=1)).to_have_text("Write an article")
    expert.get_by_label("Title").fill(title)
    expert.get_by_label("Summary").fill("Why injections wear off after about three months, and how to plan around it.")
    expert.get_by_label("Article", exact=True).fill(
        "## How it works\n\nBotulinum toxin **relaxes** the muscle for a while.\n\n- Effects start in days\n- They fade in weeks"
    )
    expert.get_by_label("Main board").select_option(label="Treatments")
    expert.get_by_role("button", name="Save draft").click()
    expect(expert.get_by_role("status")).to_contain_text("Your draft is saved")
    expert.get_by_role("button", name="Submit for review").click()
    expect(expert.get_by_role("main")).to_contain_text(re.compile("review", re.I))

    mod = new_context().new_page()
    sign_in(mod, DEMO_MODERATOR, DEMO_PASSWORD)
    mod.goto("/articles/review")
    mod.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    mod.get_by_role("button", name=re.compile(r"^Publish version")).click()
    expect(mod.get_by_role("heading", level=1)).to_have_text(title)
    mod.get_by_role("link", name="Pins").click()
    home_pin = mod.get_by_role("region", name="the home page")
    home_pin.get_by_label("Position").fill("1")
    home_pin.get_by_role("button", name=re.compile("^Pin")).click()

    visitor = new_context().new_page()
    visitor.goto("/")
    link = visitor.get_by_role("link", name=title, exact=True)
    expect(link).to_be_visible()
    link.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.get_by_role("article").locator("strong", has_text="relaxes")).to_be_visible()
