"""Screenshots of the main pages at desktop and phone widths, for people to look at.

Saved as test-artifacts/screenshots/<page>-<width>.png (the folder is ignored by git).
"""
from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import no_horizontal_scroll, reading_cookie, screenshot

SHOWN = ["home", "board", "topic", "article", "queue"]


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(page_as, pages, width):
    page = page_as(None, viewport={"width": width, "height": 900})
    for name in SHOWN:
        kind = pages[name]
        if kind.who:
            page = page_as(kind.who, viewport={"width": width, "height": 900})
        page.goto(kind.path)
        path = screenshot(page, name)
        assert path.stat().st_size > 1000
        widths = no_horizontal_scroll(page)
        assert widths["scroll"] <= widths["client"], f"{name} scrolls sideways at {width}px: {widths}"


BODY_COLOURS = "() => { const body = getComputedStyle(document.body); return [body.backgroundColor, body.color]; }"


def rgb(css: str) -> tuple[int, int, int]:
    """(r, g, b) of a computed colour such as "rgb(21, 23, 26)"."""
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, 1)?\)", css)
    assert match, f"not an opaque colour: {css}"
    return tuple(int(part) for part in match.groups())


def luminance(colour: tuple[int, int, int]) -> float:
    """WCAG relative luminance."""
    channels = [c / 255 for c in colour]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# Each theme, and the contrast its body text must reach (WCAG AA; AAA in the high-contrast theme).
THEME_CONTRAST = {"system": 4.5, "dark": 4.5, "contrast": 7.0}


@pytest.mark.parametrize("width, size", [(1280, 100), (390, 200)])
def test_screenshots_in_the_dark_and_high_contrast_themes(page_as, live, pages, width, size):
    """The themes really change the page: each its own colours, with enough contrast, and the
    screenshot shows the page drawn in them."""
    colours = {}
    for theme, least in THEME_CONTRAST.items():
        page = page_as(None, viewport={"width": width, "height": 900}, color_scheme="light")
        page.context.add_cookies([reading_cookie(live.url, f"{size}.{theme}.0.0")])
        page.goto(pages["topic"].path)
        expect(page.locator("html")).to_have_attribute("data-theme", theme)
        background, text = (rgb(c) for c in page.evaluate(BODY_COLOURS))
        assert contrast(background, text) >= least, (theme, background, text)
        colours[theme] = (background, text)
        if theme == "system":
            continue
        assert luminance(background) < luminance(text), f"{theme}: not light text on a dark background"
        path = screenshot(page, f"topic-{theme}-{size}")
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width == width and image.height >= 900
            counts = sorted(image.convert("RGB").getcolors(maxcolors=1 << 24), reverse=True)
        assert counts[0][1] == background, f"{theme}: the screenshot is mostly {counts[0][1]}, not the page's {background}"
        assert len(counts) > 50, f"{theme}: the screenshot is nearly blank ({len(counts)} colours)"
    assert len(set(colours.values())) == len(THEME_CONTRAST), f"themes share their colours: {colours}"
