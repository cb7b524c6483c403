"""The quick exit in a real browser: click, Escape twice, no JavaScript; Back never returns."""
from __future__ import annotations

import sys

import pytest

from browser_support import browser, chromium_available, serve
from support import REPO, run

sys.path.insert(0, str(REPO / "scripts"))
from lanzarote.data import load_project  # noqa: E402

pytestmark = pytest.mark.browser
if not chromium_available():
    pytest.skip("Debian's chromium is not installed (bash dev.sh test installs it)", allow_module_level=True)

EXIT_URL = load_project()[0].site.quick_exit_url
NEUTRAL = "<html><head><title>Neutral</title></head><body>neutral page</body></html>"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], REPO)
    assert result.returncode == 0, result.stderr
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


def new_page(chromium, javascript=True):
    context = chromium.new_context(java_script_enabled=javascript)
    # The destination is another site: answer it locally so the test never leaves this machine.
    context.route("**/*", lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL)
                  if not route.request.url.startswith("http://127.0.0.1") else route.continue_())
    return context, context.new_page()


def visit_two_pages(page, base_url):
    page.goto(base_url + "7-10/")
    page.goto(base_url + "7-10/telling/")
    return page.evaluate("history.length")


def test_click_leaves_and_back_does_not_return(chromium, base_url):
    context, page = new_page(chromium)
    before = visit_two_pages(page, base_url)
    page.click("[data-quick-exit]")
    page.wait_for_url(EXIT_URL + "**")
    assert page.evaluate("history.length") == before      # replaced, not pushed
    page.go_back()
    assert page.url == base_url + "7-10/"                  # back skips the page the child was reading
    assert "telling" not in page.url
    context.close()


def test_escape_twice_leaves(chromium, base_url):
    context, page = new_page(chromium)
    visit_two_pages(page, base_url)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL + "**")
    assert page.content().count("neutral page") == 1
    context.close()


def test_single_escape_stays(chromium, base_url):
    context, page = new_page(chromium)
    visit_two_pages(page, base_url)
    page.keyboard.press("Escape")
    page.wait_for_timeout(1300)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url == base_url + "7-10/telling/"
    context.close()


def test_without_javascript_the_plain_link_works(chromium, base_url):
    context, page = new_page(chromium, javascript=False)
    page.goto(base_url + "11-14/online/")
    page.click("[data-quick-exit]")
    page.wait_for_url(EXIT_URL + "**")
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_quick_exit_visible_and_on_top(chromium, base_url, width):
    context = chromium.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    page.goto(base_url + "15-17/online/")
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    box = page.locator("[data-quick-exit]").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 700
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    centre = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('[data-quick-exit]') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert centre, "something covers the quick-exit button"
    context.close()
