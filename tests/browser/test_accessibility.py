"""axe-core on every page type: WCAG 2.0, 2.1 and 2.2, levels A and AA, no violations."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations, page_types

PAGE_NAMES = ["home", "board", "topic", "sign-in", "sign-up", "new-topic", "reply", "profile", "not-found"]


@pytest.fixture(scope="module")
def pages(live_server):
    from tests.browser.helpers import LiveData

    return {p.name: p for p in page_types(LiveData(live_server.app))}


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_violations(page_as, pages, name):
    kind = pages[name]
    page = page_as(kind.who)
    page.goto(kind.path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_no_violations(page)


def test_every_page_type_is_checked(pages):
    assert sorted(pages) == sorted(PAGE_NAMES)
