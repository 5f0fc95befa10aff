"""axe-core on every page type: WCAG 2.0, 2.1 and 2.2, levels A and AA, no violations,
in the default, dark and high-contrast themes (and 7:1 text contrast in high contrast)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PAGE_NAMES, THEMES, assert_no_violations, page_types, reading_cookie


@pytest.fixture(scope="module")
def pages(live_server):
    from tests.browser.helpers import LiveData

    return {p.name: p for p in page_types(LiveData(live_server.app))}


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_violations(page_as, live, pages, name, theme):
    kind = pages.get(name) or pytest.skip(f"no {name} page on this branch")
    page = page_as(kind.who)
    if THEMES[theme]:
        page.context.add_cookies([reading_cookie(live.url, THEMES[theme])])
    page.goto(kind.path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("data-theme", "system" if theme == "default" else theme)
    assert_no_violations(page)
    if theme == "contrast":
        # WCAG AAA contrast (7:1 for text) in the high-contrast theme.
        assert_no_violations(page, rules=["color-contrast-enhanced"])


def test_every_page_type_is_known(pages):
    assert set(pages) <= set(PAGE_NAMES)
    assert {"home", "board", "topic", "sign-in", "sign-up", "new-topic", "profile"} <= set(pages)
