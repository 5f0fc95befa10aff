"""Reading comfort in the browser: the Reading control on every page, with and without
JavaScript, kept for visitors and members, and a layout that holds at 200% text and 390 px."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import no_horizontal_scroll, reading_cookie, sign_in, unique

STYLE = """() => {
  const root = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  return {fontSize: parseFloat(root.fontSize), lineHeight: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
          background: body.backgroundColor, color: body.color};
}"""


def cookie_value(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "reading"), None)


def test_a_visitor_changes_the_reading_settings_without_javascript(new_context, live):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/boards/coping")
    reading = page.get_by_role("region", name="Reading")
    reading.get_by_role("radio", name="Largest (200%)").check()
    reading.get_by_role("radio", name="Dark").check()
    reading.get_by_role("checkbox", name="Wider line spacing").check()
    reading.get_by_role("button", name="Apply reading settings").click()

    expect(page).to_have_url(f"{live.url}/boards/coping")
    expect(page.get_by_role("status")).to_contain_text("Reading settings saved")
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "dark")
    expect(html).to_have_attribute("data-text-size", "200")
    expect(html).to_have_attribute("data-spacing", "wide")
    assert cookie_value(context) == "200.dark.0.1"
    # The form shows what is in force.
    expect(page.get_by_role("region", name="Reading").get_by_role("radio", name="Largest (200%)")).to_be_checked()


def test_the_settings_change_what_is_shown(page_as, live):
    page = page_as(None)
    page.goto("/")
    normal = page.evaluate(STYLE)
    assert normal["background"] == "rgb(255, 255, 255)"
    page.context.add_cookies([reading_cookie(live.url, "200.contrast.1.1")])
    page.reload()
    large = page.evaluate(STYLE)
    assert large["fontSize"] == pytest.approx(normal["fontSize"] * 2)
    assert large["lineHeight"] >= 1.95 > normal["lineHeight"]
    assert large["background"] == "rgb(0, 0, 0)" and large["color"] == "rgb(255, 255, 255)"
    duration = page.evaluate("() => getComputedStyle(document.querySelector('a')).transitionDuration")
    assert duration in ("1e-05s", "0.00001s", "0s")


@pytest.mark.parametrize("scheme, background", [("light", "rgb(255, 255, 255)"), ("dark", "rgb(21, 23, 26)")])
def test_follow_my_device_follows_the_device(new_context, scheme, background):
    page = new_context(color_scheme=scheme).new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("data-theme", "system")
    assert page.evaluate(STYLE)["background"] == background


def test_a_member_keeps_the_choice_on_every_device(new_context, forum, live):
    name = unique("wren")
    forum.user(name)
    laptop = new_context().new_page()
    sign_in(laptop, name)
    # With the keyboard: arrow keys move through the colours, Tab reaches the button.
    reading = laptop.get_by_role("region", name="Reading")
    reading.get_by_role("radio", name="Follow my device").focus()
    for _ in range(3):
        laptop.keyboard.press("ArrowDown")
    expect(reading.get_by_role("radio", name="High contrast")).to_be_checked()
    reading.get_by_role("radio", name="Larger (150%)").check()
    reading.get_by_role("button", name="Apply reading settings").focus()
    laptop.keyboard.press("Enter")
    expect(laptop.get_by_role("status")).to_contain_text("saved on your account")
    expect(laptop.locator("html")).to_have_attribute("data-theme", "contrast")

    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, name)
    expect(phone.locator("html")).to_have_attribute("data-theme", "contrast")
    expect(phone.locator("html")).to_have_attribute("data-text-size", "150")


@pytest.mark.parametrize("width, setting", [(390, "100.system.0.0"), (390, "200.system.0.1"), (1280, "200.contrast.0.1")])
def test_no_page_scrolls_sideways(page_as, live, pages, width, setting):
    """Usable on a phone and at 200% text: nothing is wider than the window."""
    wide = []
    for kind in pages.values():
        page = page_as(kind.who, viewport={"width": width, "height": 844})
        page.context.add_cookies([reading_cookie(live.url, setting)])
        page.goto(kind.path)
        widths = no_horizontal_scroll(page)
        if widths["scroll"] > widths["client"]:
            wide.append((kind.name, widths))
        page.context.close()
    assert not wide, f"pages wider than {width}px at {setting}: {wide}"


def test_the_reading_control_is_on_every_page(page_as, pages):
    for kind in pages.values():
        page = page_as(kind.who)
        page.goto(kind.path)
        expect(page.get_by_role("region", name="Reading").get_by_role("button", name="Apply reading settings")).to_be_visible()
        page.context.close()


def test_the_header_link_leads_to_the_reading_control(page):
    page.goto("/")
    page.get_by_role("link", name="Reading settings").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#reading")
    expect(page.get_by_role("region", name="Reading")).to_be_in_viewport()
