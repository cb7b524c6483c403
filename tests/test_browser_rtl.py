"""Right-to-left in a real browser: a small fixture project with Arabic (direction rtl, Material's
ar translation) renders with dir="rtl", the quick exit and help box mirror and still work, the
switchers lead to the same page, and axe-core finds no violation."""
from __future__ import annotations

import pytest

from browser_audit import (axe_available, focus_problem, format_violations, local_context,
                           page_facts, page_paths, quick_exit_box, quick_exit_problem, run_axe,
                           tab_through)
from browser_support import browser, chromium_available, serve
from fixtures.rtl_project import AR_STRINGS, make_rtl_project
from support import mkdocs_build

from lanzarote.data import load_project

pytestmark = pytest.mark.browser
if not chromium_available():
    pytest.skip("Debian's chromium is not installed (bash dev.sh test installs it)", allow_module_level=True)
if not axe_available():
    pytest.skip("axe-core is not installed (bash dev.sh test runs npm ci)", allow_module_level=True)

EXIT_URL = load_project()[0].site.quick_exit_url


@pytest.fixture(scope="module")
def rtl(tmp_path_factory):
    root = make_rtl_project(tmp_path_factory.mktemp("rtl") / "project")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    with serve(site) as base, browser() as chromium:
        yield {"site": site, "base": base, "chromium": chromium}


@pytest.fixture
def page(rtl):
    context = local_context(rtl["chromium"], rtl["base"], [], viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def test_every_page_axe_clean_and_arabic_pages_rtl(rtl, page):
    base, found, arabic = rtl["base"], {}, 0
    for path in page_paths(rtl["site"]):
        page.goto(base + path, wait_until="load")
        violations = run_axe(page)
        if violations:
            found[path] = violations
        if path.startswith("ar/"):
            arabic += 1
            assert page.evaluate("[document.documentElement.dir, document.documentElement.lang]") == ["rtl", "ar"]
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl", path
            assert page.evaluate("getComputedStyle(document.querySelector('.md-content')).direction") == "rtl"
    assert arabic == 10, "expected the Arabic start page and 9 child pages"
    assert not found, "axe-core violations:\n" + format_violations(found)


@pytest.mark.parametrize("width", [320, 1280])
def test_quick_exit_sits_at_the_mirrored_end(rtl, page, width):
    page.set_viewport_size({"width": width, "height": 700})
    sides = {}
    for path in ("ar/7-10/convention/", "7-10/convention/"):
        page.goto(rtl["base"] + path, wait_until="load")
        box = quick_exit_box(page)
        assert quick_exit_problem(box) is None, (path, box)
        sides[path] = "left" if box["left"] + box["width"] / 2 < width / 2 else "right"
    assert sides == {"ar/7-10/convention/": "left", "7-10/convention/": "right"}
    page.goto(rtl["base"] + "ar/7-10/convention/", wait_until="load")
    assert page.locator("[data-quick-exit]").inner_text().strip() == AR_STRINGS["quick_exit"]


def test_help_box_mirrors_and_leads_to_the_arabic_help_page(rtl, page):
    page.goto(rtl["base"] + "ar/11-14/convention/", wait_until="load")
    borders = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('[data-help-box]'));
                                       return [parseFloat(s.borderRightWidth), parseFloat(s.borderLeftWidth), s.direction]; }""")
    assert borders[0] > 0 and borders[1] == 0 and borders[2] == "rtl", borders   # the bar is on the right
    page.goto(rtl["base"] + "11-14/convention/", wait_until="load")
    borders = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('[data-help-box]'));
                                       return [parseFloat(s.borderRightWidth), parseFloat(s.borderLeftWidth)]; }""")
    assert borders[0] == 0 and borders[1] > 0, borders
    page.goto(rtl["base"] + "ar/11-14/convention/", wait_until="load")
    assert AR_STRINGS["help_box_title"] in page.locator("[data-help-box]").inner_text()
    with page.expect_navigation():
        page.click("[data-help-box] a")
    facts = page_facts(page)
    assert (facts["lang"], facts["band"], facts["topic"]) == ("ar", "11-14", "help")


def test_keyboard_reaches_quick_exit_and_help_box_and_quick_exit_leaves(rtl, page):
    page.goto(rtl["base"] + "ar/7-10/", wait_until="load")
    page.goto(rtl["base"] + "ar/7-10/convention/", wait_until="load")
    before = page.evaluate("history.length")
    wanted = {"quick-exit", "help-box", "band:11-14", "language:en"}
    stops = tab_through(page, wanted)
    reached = {s["id"]: s for s in stops if s["id"] in wanted}
    assert set(reached) == wanted, [s["id"] for s in stops]
    problems = [p for p in (focus_problem(s) for s in reached.values()) if p]
    assert not problems, problems
    page.evaluate("document.querySelector('[data-quick-exit]').focus()")
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL + "**")
    assert page.evaluate("history.length") == before
    page.go_back()
    assert page.url == rtl["base"] + "ar/7-10/"


def test_escape_twice_leaves_an_arabic_page(rtl, page):
    page.goto(rtl["base"] + "ar/15-17/help/", wait_until="load")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL + "**")


def test_switchers_lead_to_the_same_page(rtl, page):
    base = rtl["base"]
    page.goto(base + "ar/15-17/convention/", wait_until="load")
    with page.expect_navigation():
        page.click("[data-band-switcher] a[data-band='7-10']")
    assert page.url == base + "ar/7-10/convention/"
    with page.expect_navigation():
        page.click("[data-language-switcher] a[lang='en']")
    assert page.url == base + "7-10/convention/"
    with page.expect_navigation():
        page.click("[data-language-switcher] a[lang='ar']")
    assert page.url == base + "ar/7-10/convention/"
    page.goto(base + "ar/", wait_until="load")
    with page.expect_navigation():
        page.click("[data-age-picker] a[data-band='11-14']")
    facts = page_facts(page)
    assert (facts["lang"], facts["band"], facts["dir"]) == ("ar", "11-14", "rtl")
