"""Keyboard use: a skip link, every control of every page type reachable by Tab with a visible
focus ring and nothing trapping focus, headings in order, flash messages in a live region and
form errors announced."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PAGE_NAMES, THEMES, reading_cookie

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const rgb = (colour) => (colour.match(/[\\d.]+/g) || []).map(Number);
  const luminance = (colour) => {
    const [r, g, b] = rgb(colour).slice(0, 3).map(v => v / 255).map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  // The outline is drawn outside the element, over the background of what contains it.
  let behind = 'rgb(255, 255, 255)';
  for (let node = el.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    const parts = rgb(colour);
    if (parts.length >= 3 && (parts.length < 4 || parts[3] > 0)) { behind = colour; break; }
  }
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const [a, b] = [luminance(style.outlineColor), luminance(behind)].sort((x, y) => y - x);
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
    key: Array.prototype.indexOf.call(document.querySelectorAll('*'), el) + '|' + el.tagName + '|' + (el.getAttribute('href') || el.name || '') + '|' + (el.innerText || el.value || '').trim().slice(0, 40),
    ring: outlined || style.boxShadow !== 'none',
    // WCAG 1.4.11: the ring stands out from what is behind it by at least 3:1.
    contrast: outlined ? (a + 0.05) / (b + 0.05) : null,
    visible: box.width > 0 && box.height > 0,
  };
}"""

FOCUSABLE = """() => Array.from(document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'
  )).filter(el => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // A group of radio buttons is one stop: Tab reaches the checked one (the first one when none
    // is checked yet), the arrow keys the others.
    if (el.type === 'radio') {
      const group = Array.from(el.form ? el.form.elements : document.querySelectorAll('input[type=radio]'))
        .filter(o => o.type === 'radio' && o.name === el.name);
      if (el !== (group.find(o => o.checked) || group[0])) return false;
    }
    return style.visibility !== 'hidden' && style.display !== 'none' && (box.width > 0 || el.classList.contains('skip-link'));
  }).map(el => Array.prototype.indexOf.call(document.querySelectorAll('*'), el) + '|' + el.tagName + '|' + (el.getAttribute('href') || el.name || '') + '|' + (el.innerText || el.value || '').trim().slice(0, 40))"""

HEADINGS = "() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => [Number(h.tagName[1]), h.innerText.trim()])"


def tab_through(page, limit: int = 800) -> tuple[list[dict], str | None]:
    """Press Tab until focus comes back round.

    Returns what had focus, in order, and the key of the element that had focus a second time
    (None if focus never came back within `limit` presses).
    """
    seen = []
    keys = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if seen and focused["key"] == seen[-1]["key"]:
            continue  # Tab moves between the parts of one control (day, month and year of a date)
        if focused["key"] in keys:
            return seen, focused["key"]
        keys.add(focused["key"])
        seen.append(focused)
    return seen, None


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


# Every page type in the default theme; the focus ring's colours come from each theme's stylesheet,
# so the other themes are walked on pages that between them hold every kind of control.
THEMED_PAGES = ["home", "topic", "new-topic", "search", "queue", "settings", "treatment-report-form"]
KEYBOARD_CASES = [(name, "default") for name in PAGE_NAMES] + [
    (name, theme) for theme in THEMES if theme != "default" for name in THEMED_PAGES
]


@pytest.mark.parametrize(("name", "theme"), KEYBOARD_CASES)
def test_every_control_is_reached_by_tab_with_a_visible_focus_ring(page_as, live, pages, name, theme):
    """Tab alone walks every page type: each control in turn, each with a focus ring that stands
    out in every theme, and focus comes back round to the start (nothing traps it)."""
    kind = pages[name]
    page = page_as(kind.who)
    if THEMES[theme]:
        page.context.add_cookies([reading_cookie(live.url, THEMES[theme])])
    page.goto(kind.path)
    reached, came_back_to = tab_through(page)
    assert reached, "Tab reached nothing"
    assert came_back_to == reached[0]["key"], f"focus is trapped: after {reached[-1]['key']!r} it went to {came_back_to!r}"
    without_ring = [f["text"] or f["key"] for f in reached if not f["ring"]]
    assert not without_ring, f"no visible focus ring on: {without_ring}"
    faint = [(f["text"] or f["key"], round(f["contrast"], 2)) for f in reached if f["contrast"] is not None and f["contrast"] < 3]
    assert not faint, f"focus ring with less than 3:1 contrast against its background: {faint}"
    hidden = [f["text"] or f["key"] for f in reached if not f["visible"]]
    assert not hidden, f"focus lands on something that cannot be seen: {hidden}"
    missing = set(page.evaluate(FOCUSABLE)) - {f["key"] for f in reached}
    assert not missing, f"not reachable with Tab: {sorted(missing)}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_one_h1_and_headings_in_order(page_as, pages, name):
    kind = pages[name]
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
