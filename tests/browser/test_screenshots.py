"""Screenshots of the main pages at desktop and phone widths, for people to look at.

Saved as test-artifacts/screenshots/<page>-<width>.png (the folder is ignored by git).
"""
from __future__ import annotations

import pytest

from tests.browser.helpers import LiveData, no_horizontal_scroll, page_types, screenshot

# The article and queue pages are added once their features are on the branch.
SHOWN = ["home", "board", "topic", "article", "queue"]


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(page_as, live_server, width):
    kinds = {p.name: p for p in page_types(LiveData(live_server.app))}
    page = page_as(None, viewport={"width": width, "height": 900})
    for name in [n for n in SHOWN if n in kinds]:
        kind = kinds[name]
        if kind.who:
            page = page_as(kind.who, viewport={"width": width, "height": 900})
        page.goto(kind.path)
        path = screenshot(page, name)
        assert path.stat().st_size > 1000
        widths = no_horizontal_scroll(page)
        assert widths["scroll"] <= widths["client"], f"{name} scrolls sideways at {width}px: {widths}"


@pytest.mark.parametrize("theme", ["dark", "contrast"])
def test_screenshots_in_the_dark_and_high_contrast_themes(page_as, live_server, theme):
    from tests.browser.helpers import reading_cookie

    topic = next(p for p in page_types(LiveData(live_server.app)) if p.name == "topic")
    for width, size in [(1280, 100), (390, 200)]:
        page = page_as(None, viewport={"width": width, "height": 900})
        page.context.add_cookies([reading_cookie(live_server.url, f"{size}.{theme}.0.0")])
        page.goto(topic.path)
        screenshot(page, f"topic-{theme}-{size}")
