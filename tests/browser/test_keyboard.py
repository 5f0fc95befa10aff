"""Keyboard use: a skip link, every control reachable by Tab with a visible focus ring,
headings in order, flash messages in a live region and form errors announced."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DEMO_MEMBER, page_types

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
    key: Array.prototype.indexOf.call(document.querySelectorAll('*'), el) + '|' + el.tagName + '|' + (el.getAttribute('href') || el.name || '') + '|' + (el.innerText || el.value || '').trim().slice(0, 40),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    visible: box.width > 0 && box.height > 0,
  };
}"""

FOCUSABLE = """() => Array.from(document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'
  )).filter(el => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // A group of radio buttons is one stop: Tab reaches the checked one, the arrow keys the others.
    if (el.type === 'radio' && !el.checked && el.form && Array.from(el.form.elements).some(o => o.name === el.name && o.checked)) return false;
    return style.visibility !== 'hidden' && style.display !== 'none' && (box.width > 0 || el.classList.contains('skip-link'));
  }).map(el => Array.prototype.indexOf.call(document.querySelectorAll('*'), el) + '|' + el.tagName + '|' + (el.getAttribute('href') || el.name || '') + '|' + (el.innerText || el.value || '').trim().slice(0, 40))"""

HEADINGS = "() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => [Number(h.tagName[1]), h.innerText.trim()])"


def tab_through(page, limit: int = 300) -> list[dict]:
    """Press Tab until focus comes back round; return what had focus, in order."""
    seen = []
    keys = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if focused["key"] in keys:
            break
        keys.add(focused["key"])
        seen.append(focused)
    return seen


def test_the_skip_link_comes_first_and_moves_focus_to_the_main_content(page):
    page.goto("/boards/coping")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate(FOCUSED)["ring"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("who, path", [(None, "/"), (DEMO_MEMBER, "topic")])
def test_every_control_is_reached_by_tab_with_a_visible_focus_ring(page_as, live_server, who, path):
    from tests.browser.helpers import LiveData

    if path == "topic":
        path = next(p.path for p in page_types(LiveData(live_server.app)) if p.name == "topic")
    page = page_as(who)
    page.goto(path)
    reached = tab_through(page)
    without_ring = [f["text"] or f["key"] for f in reached if not f["ring"]]
    assert not without_ring, f"no visible focus ring on: {without_ring}"
    missing = set(page.evaluate(FOCUSABLE)) - {f["key"] for f in reached}
    assert not missing, f"not reachable with Tab: {sorted(missing)}"


@pytest.mark.parametrize("name", ["home", "board", "topic", "sign-in", "sign-up", "new-topic", "profile"])
def test_one_h1_and_headings_in_order(page_as, live_server, name):
    from tests.browser.helpers import LiveData

    kind = next(p for p in page_types(LiveData(live_server.app)) if p.name == name)
    page = page_as(kind.who)
    page.goto(kind.path)
    levels = page.evaluate(HEADINGS)
    assert [lvl for lvl, _ in levels].count(1) == 1, levels
    assert levels[0][0] == 1, f"the first heading is not the h1: {levels}"
    for (before, _), (after, text) in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading {text!r} jumps from h{before} to h{after}: {levels}"


def test_form_errors_are_announced_and_tied_to_their_fields(page):
    page.goto("/signup")
    page.get_by_label("Username (your pseudonym)").focus()
    page.keyboard.type("x")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct")
    username = page.get_by_label("Username (your pseudonym)")
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_have_accessible_description(re.compile("Usernames are 3 to 30 characters"))
    expect(page.get_by_label("Email address")).to_have_accessible_description(re.compile("Please enter your email address"))
    # The summary's links lead to the fields.
    summary.get_by_role("link", name=re.compile("^Email address")).click()
    expect(page.get_by_label("Email address")).to_be_focused()


def test_flash_messages_are_in_a_polite_live_region(page, forum):
    from tests.browser.helpers import sign_in, unique

    name = unique("rita")
    forum.user(name)
    sign_in(page, name)
    region = page.get_by_role("status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_contain_text(f"Welcome back, {name}.")


def test_sign_in_and_reply_with_the_keyboard_alone(page, forum):
    from tests.browser.helpers import unique
    from tests.factories import PASSWORD

    name = unique("kbd")
    forum.user(name)
    topic_id = forum.topic(name, "Typing with my eyes half closed", "Keyboard shortcuts help me.")
    page.goto("/signin")
    page.get_by_label("Username or email").focus()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Welcome back")
    page.goto(f"/topics/{topic_id}")
    reply = page.get_by_label("Your reply")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "TEXTAREA":
            break
    expect(reply).to_be_focused()
    page.keyboard.type("Same here: I use the keyboard all day.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post reply")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("article").nth(1)).to_contain_text("I use the keyboard all day")
