"""Stored and reflected XSS, checked where it matters: in a real browser.

Every payload of the corpus is posted, then the pages that show it are opened with the page's
Content-Security-Policy switched off, so that the sanitizer alone must hold. The test fails if a
dialog opens, an uncaught error is thrown, the planted marker is set, or the DOM of the posts
holds anything executable.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import unique, watch

CORPUS = Path(__file__).resolve().parent.parent / "data" / "xss_payloads.txt"

def load_payloads() -> list[str]:
    """The shared corpus: one payload a line, blank lines skipped (as tests/test_xss.py reads it)."""
    return [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


# Sets window.__xssFired on any dialog call or marker write, before the page's own scripts run.
MARKER = """
(() => {
  const fired = [];
  Object.defineProperty(window, '__xssFired', {value: fired});
  Object.defineProperty(window, '__xss', {set(v) { fired.push('marker=' + v); }, get() { return undefined; }});
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    const original = window[name];
    window[name] = function (...args) { fired.push(name + '(' + args.join(',') + ')'); return original.apply(this, args); };
  }
})();
"""

# Anything that could run script inside what members wrote.
EXECUTABLE_IN_POSTS = """() => {
  const found = [];
  for (const body of document.querySelectorAll('.post-body, h1, .topic-title')) {
    for (const el of body.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'iframe', 'object', 'embed', 'style', 'form', 'svg', 'math', 'base', 'meta', 'link'].includes(tag)) found.push('<' + tag + '>');
      for (const attr of el.attributes) {
        const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
        if (attr.name.startsWith('on')) found.push(tag + '[' + attr.name + ']');
        if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(attr.name)
            && /^(javascript|vbscript|data):/.test(value)) found.push(tag + '[' + attr.name + '=' + value.slice(0, 30) + ']');
      }
    }
  }
  return found;
}"""


@pytest.fixture
def hostile_page(new_context, live):
    context = new_context(bypass_csp=True)
    context.add_init_script(MARKER)
    # Nothing leaves the machine: a payload that fetches or navigates elsewhere gets an error.
    context.route(re.compile(r"^(?!" + re.escape(live.url) + r")"), lambda route: route.abort())
    page = context.new_page()
    return page, watch(page)


def assert_nothing_ran(page, problems, where: str) -> None:
    assert page.url.startswith(("http://127.0.0.1:", "about:blank")), f"a payload navigated away from {where}: {page.url}"
    fired = page.evaluate("() => window.__xssFired")
    assert not fired, f"script ran on {where}: {fired}"
    assert not problems.dialogs, f"a dialog opened on {where}: {problems.dialogs}"
    assert not problems.page_errors, f"errors on {where}: {problems.page_errors}"
    found = page.evaluate(EXECUTABLE_IN_POSTS)
    assert not found, f"executable content on {where}: {found}"


def test_the_marker_catches_a_script_that_runs(hostile_page):
    """The detector works: a page that does run a payload is caught."""
    page, problems = hostile_page
    page.set_content("<p>x</p><img src=x onerror=\"window.__xss = 1\">")
    page.wait_for_function("() => window.__xssFired.length > 0")


def test_stored_payloads_run_nowhere(hostile_page, forum, live):
    payloads = load_payloads()
    author = unique("mallory")
    forum.user(author)
    topic_id = forum.topic(author, "Collected oddities from the corpus", payloads[0])
    for payload in payloads[1:]:
        forum.reply(author, topic_id, payload)
    # Payloads as titles too (titles are 5 to 150 characters).
    title_topics = [forum.topic(author, p[:150], "Title check.", board="stories") for p in payloads if len(p.strip()) >= 5]

    page, problems = hostile_page
    pages = -(-len(payloads) // 20)
    for number in range(1, pages + 1):
        page.goto(f"/topics/{topic_id}?page={number}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_nothing_ran(page, problems, f"topic page {number}")
    for tid in title_topics[:5] + title_topics[-5:]:
        page.goto(f"/topics/{tid}")
        assert_nothing_ran(page, problems, f"topic {tid}")
    board_pages = -(-len(title_topics) // 25)
    for path in ["/", "/boards/coping", f"/users/{author}"] + [f"/boards/stories?page={n}" for n in range(1, board_pages + 1)]:
        page.goto(path)
        assert_nothing_ran(page, problems, path)


def test_payloads_typed_into_the_forms_run_nowhere(hostile_page, forum):
    """Through the real forms: a topic, a quote and an edit that keeps a payload in the history."""
    from tests.browser.helpers import sign_in

    page, problems = hostile_page
    payloads = load_payloads()
    name = unique("eve")
    forum.user(name)
    sign_in(page, name)
    page.goto("/boards/coping/new")
    page.get_by_label("Title").fill("<img src=x onerror=alert(1)> title")
    page.get_by_label("Message").fill("\n\n".join(payloads[:8]))
    page.get_by_role("button", name="Start topic").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("<img src=x onerror=alert(1)> title")
    assert_nothing_ran(page, problems, "the new topic")
    page.get_by_role("link", name="Quote post 1").click()
    page.get_by_role("button", name="Post reply").click()
    assert_nothing_ran(page, problems, "the quote")
    page.get_by_role("link", name="Edit post 1").click()
    page.get_by_label("Message").fill("\n\n".join(payloads[8:16]) or "calm now")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("article").first.get_by_role("link", name="History of post 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of post 1")
    assert_nothing_ran(page, problems, "the post history")


@pytest.mark.parametrize("path", [
    "/signin?next=" + quote("javascript:alert(1)"),
    "/signin?next=" + quote("\"><script>alert(1)</script>"),
    "/boards/" + quote("<script>alert(1)</script>"),
    "/users/" + quote("<img src=x onerror=alert(1)>"),
    "/boards/coping?page=" + quote("<svg onload=alert(1)>"),
])
def test_reflected_payloads_run_nowhere(hostile_page, path):
    page, problems = hostile_page
    page.goto(path)
    assert_nothing_ran(page, problems, path)
