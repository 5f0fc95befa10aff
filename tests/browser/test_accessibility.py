"""axe-core on every page type: WCAG 2.0, 2.1 and 2.2, levels A and AA, no violations,
in the default, dark and high-contrast themes (and 7:1 text contrast in high contrast)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PAGE_NAMES, THEMES, LiveData, assert_no_violations, reading_cookie


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_violations(page_as, live, pages, name, theme):
    kind = pages[name]
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


def test_every_page_type_is_there(live_server, pages):
    """Every page type is found in the demo community and answers: a renamed route or a seed that
    no longer makes what a page needs fails here (and in every test of that page)."""
    assert sorted(pages) == sorted(PAGE_NAMES)
    data = LiveData(live_server.app)
    client = live_server.app.test_client()
    for kind in pages.values():
        with client.session_transaction() as session:
            session.clear()
            if kind.who:
                session.update(_user_id=data.session_id(kind.who), _fresh=True)
        status = client.get(kind.path).status_code
        assert status == (404 if kind.name == "not-found" else 200), (kind, status)
