"""Screenshots of the main pages at desktop and phone widths, for people to look at.

Saved as test-artifacts/screenshots/<page>-<width>.png (the folder is ignored by git).
"""
from __future__ import annotations

import pytest

from tests.browser.helpers import LiveData, no_horizontal_scroll, page_types, screenshot

SHOWN = ["home", "board", "topic"]


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(page_as, live_server, width):
    kinds = {p.name: p for p in page_types(LiveData(live_server.app))}
    page = page_as(None, viewport={"width": width, "height": 900})
    for name in SHOWN:
        kind = kinds[name]
        if kind.who:
            page = page_as(kind.who, viewport={"width": width, "height": 900})
        page.goto(kind.path)
        path = screenshot(page, name)
        assert path.stat().st_size > 1000
        widths = no_horizontal_scroll(page)
        assert widths["scroll"] <= widths["client"], f"{name} scrolls sideways at {width}px: {widths}"
