"""Every built page in a real browser: nothing leaves this machine, nothing is stored, axe-core
finds no WCAG 2.2 A/AA violation, the quick exit stays on screen and uncovered at 320 px and at
200% zoom, pages reflow at 320 px, the switchers and age picker lead where they say, every
in-page anchor exists, and (served by nginx with the site's own configs) no page breaks its
Content-Security-Policy.

The site is built once (published languages: what ships) and every page is visited once; at
each page the viewport is resized for the narrow and zoomed checks, so the sweep stays fast.
"""
from __future__ import annotations

import pytest

from browser_audit import (CspWatch, axe_available, build_log, built_site, finish_axe,
                           format_violations, horizontal_overflow, local_context, page_facts,
                           page_paths, quick_exit_box, quick_exit_problem, serve_best, start_axe,
                           storage_of)
from browser_support import browser, chromium_available

pytestmark = pytest.mark.browser
if not chromium_available():
    pytest.skip("Debian's chromium is not installed (bash dev.sh test installs it)", allow_module_level=True)
if not axe_available():
    pytest.skip("axe-core is not installed (bash dev.sh test runs npm ci)", allow_module_level=True)

DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}      # WCAG 1.4.10: 320 CSS px wide
ZOOM_200 = {"width": 640, "height": 400}    # a 1280 x 800 window at 200% zoom


def _open(page, base, path) -> dict:
    page.set_viewport_size(DESKTOP)
    response = page.goto(base + path, wait_until="load")
    record = {"status": response.status if response else None, "facts": page_facts(page),
              "headers": response.headers if response else {}}
    start_axe(page)
    return record


def _finish(page, record, watch) -> dict:
    record["axe"] = finish_axe(page)             # meanwhile the search worker loaded its index
    watch.collect(page)
    record["storage"] = storage_of(page)
    record["exit"] = {}
    for name, size in (("320px", NARROW), ("200% zoom", ZOOM_200)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        record["exit"][name + ", top"] = quick_exit_box(page)
        if size is NARROW:
            record["overflow"] = horizontal_overflow(page)
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(50)
        record["exit"][name + ", scrolled"] = quick_exit_box(page)
    return record


@pytest.fixture(scope="module")
def sweep():
    """Visit every page once; record what each one requested, stored, showed and linked to.
    Two tabs take turns so that axe-core runs on one page while the next one loads."""
    site = built_site()
    paths = page_paths(site)
    with serve_best(site) as (base, by_nginx), browser() as chromium:
        offsite: list[str] = []
        context = local_context(chromium, base, offsite, viewport=DESKTOP)
        watch = CspWatch(context)
        requests: list[tuple[str, str]] = []
        sockets: list[str] = []
        tabs = [context.new_page() for _ in range(2)]
        for tab in tabs:
            tab.on("request", lambda r, tab=tab: requests.append((tab.url, r.url)))
            tab.on("websocket", lambda ws: sockets.append(ws.url))
        results, pending = {}, [None, None]
        for i, path in enumerate(paths + [None, None]):
            tab = tabs[i % 2]
            if pending[i % 2] is not None:
                done_path, record = pending[i % 2]
                results[done_path] = _finish(tab, record, watch)
                pending[i % 2] = None
            if path is not None:
                pending[i % 2] = (path, _open(tab, base, path))
        for tab in tabs:
            tab.wait_for_load_state("networkidle")
        cookies = context.cookies()
        final_storage = storage_of(tabs[0])
        context.close()
    yield {"base": base, "site": site, "paths": paths, "pages": results, "requests": requests,
           "offsite": offsite, "sockets": sockets, "cookies": cookies, "storage": final_storage,
           "nginx": by_nginx, "csp": watch.violations(), "errors": watch.page_errors()}


def test_every_built_page_was_visited(sweep):
    assert len(sweep["paths"]) >= 10, "the site has suspiciously few pages"
    assert set(sweep["pages"]) == set(sweep["paths"])
    bad = {p: r["status"] for p, r in sweep["pages"].items() if r["status"] != 200}
    assert not bad, bad
    print(f"\npages visited: {len(sweep['pages'])}; requests seen: {len(sweep['requests'])}")


def test_every_request_stays_on_this_site(sweep):
    base = sweep["base"]
    foreign = sorted({(page, url) for page, url in sweep["requests"] if not url.startswith(base)})
    assert not foreign, "requests to other sites:\n" + "\n".join(f"{p} -> {u}" for p, u in foreign)
    assert not sweep["offsite"], sweep["offsite"]
    assert not sweep["sockets"], sweep["sockets"]
    assert len(sweep["requests"]) >= len(sweep["paths"])


def test_nothing_stored_no_cookies(sweep):
    """No cookie; nothing in localStorage, sessionStorage, IndexedDB, Cache Storage or a service
    worker, on any page (so nothing on a shared device tells which pages or age band were read)."""
    stored = {p: r["storage"] for p, r in sweep["pages"].items() if r["storage"]}
    assert not stored, stored
    assert sweep["cookies"] == []
    assert sweep["storage"] == {}


def test_axe_finds_no_wcag_violation(sweep):
    found = {p: r["axe"] for p, r in sweep["pages"].items() if r["axe"]}
    assert not found, "axe-core violations:\n" + format_violations(found)
    print(f"\naxe violations: 0 on {len(sweep['pages'])} pages")


def test_quick_exit_on_screen_and_uncovered_at_320px_and_200_percent(sweep):
    problems = []
    for path, record in sweep["pages"].items():
        for where, box in record["exit"].items():
            problem = quick_exit_problem(box)
            if problem:
                problems.append(f"{path} ({where}): {problem}")
    assert not problems, "\n".join(problems)


def test_no_page_breaks_the_content_security_policy(sweep):
    if not sweep["nginx"]:
        pytest.skip("nginx is not installed (bash dev.sh test installs it): no policy was served")
    missing = [p for p, r in sweep["pages"].items()
               if "content-security-policy" not in r["headers"] or r["headers"].get("cache-control") != "no-store"]
    assert not missing, f"pages served without the policy or no-store: {missing}"
    assert not sweep["csp"], "CSP violations:\n" + "\n".join(map(str, sweep["csp"]))
    assert not sweep["errors"], sweep["errors"]
    print(f"\nCSP violations: 0 on {len(sweep['pages'])} pages served by nginx")


def test_every_in_page_anchor_exists(sweep):
    """Links with #fragment (in text, tables of contents, the shell) point at an id that exists."""
    ids = {r["facts"]["url"]: set(r["facts"]["ids"]) for r in sweep["pages"].values()}
    broken, checked = set(), 0
    for path, record in sweep["pages"].items():
        for link in record["facts"]["fragments"]:
            target = ids.get(link["target"])
            if target is None:
                continue            # not a page of this site (e.g. a file); linkchecker checks those
            checked += 1
            if link["id"] not in target:
                broken.add(f"{path}: #{link['id']} not found in {link['target']}")
    assert checked, "no anchor links found at all"
    assert not broken, "\n".join(sorted(broken))


def test_mkdocs_validation_finds_no_broken_link_or_anchor():
    """MkDocs' own validation (mkdocs.yml: validation) of every Markdown link in every language."""
    log = build_log()
    problems = [line for line in log.splitlines()
                if "contains a link" in line or "does not contain an anchor" in line
                or "unrecognized relative link" in line]
    assert not problems, "\n".join(problems)


def test_pages_reflow_at_320px_without_horizontal_scrolling(sweep):
    wide = {p: r["overflow"] for p, r in sweep["pages"].items() if r["overflow"]}
    assert not wide, wide


def _identity(sweep):
    """What each visited URL is: (language, band, topic, path within the language)."""
    base, facts = sweep["base"], {}
    for path, record in sweep["pages"].items():
        facts[base + path] = record["facts"]
    return facts


def _without_language(url: str, base: str, lang: str, default: str) -> str:
    rest = url[len(base):]
    if lang != default and rest.startswith(lang + "/"):
        rest = rest[len(lang) + 1:]
    return rest


def test_band_switcher_leads_to_the_same_topic_in_each_band(sweep):
    known, problems, checked = _identity(sweep), [], 0
    for url, facts in known.items():
        for link in facts["bandLinks"]:
            target = known.get(link["href"])
            if target is None:
                problems.append(f"{url}: band link {link['href']} is not a built page")
            elif (target["band"], target["topic"], target["lang"]) != (link["band"], facts["topic"], facts["lang"]):
                problems.append(f"{url}: band link to {link['band']} lands on {target['band']}/{target['topic']}")
            elif (link["current"] == "page") != (link["band"] == facts["band"]):
                problems.append(f"{url}: aria-current on the wrong band link")
            checked += 1
    assert checked, "no band switcher found on any page"
    assert not problems, "\n".join(problems)


def test_language_switcher_leads_to_the_same_page_in_each_language(sweep):
    from lanzarote.data import load_project
    default = load_project()[0].site.default_language
    known, base, problems, checked = _identity(sweep), sweep["base"], [], 0
    for url, facts in known.items():
        here = _without_language(url, base, facts["lang"], default)
        for link in facts["languageLinks"]:
            target = known.get(link["href"])
            if target is None:
                problems.append(f"{url}: language link {link['href']} is not a built page")
                continue
            there = _without_language(link["href"], base, target["lang"], default)
            if target["lang"] != link["lang"] or there != here:
                problems.append(f"{url}: {link['lang']} link lands on {link['href']} ({target['lang']})")
            checked += 1
    if not checked:
        pytest.skip("only one language is published")
    assert not problems, "\n".join(problems)


def test_age_picker_leads_into_each_band(sweep):
    known, problems, pickers = _identity(sweep), [], 0
    for url, facts in known.items():
        if not facts["agePicker"]:
            continue
        pickers += 1
        for link in facts["agePicker"]:
            target = known.get(link["href"])
            if target is None or target["band"] != link["band"] or target["lang"] != facts["lang"]:
                problems.append(f"{url}: age {link['band']} leads to {link['href']} ({target and target['band']})")
    assert pickers, "no age picker found"
    assert not problems, "\n".join(problems)


def test_interacting_stores_nothing_and_stays_local(sweep):
    """Search, open a result, open and close the menu at 320 px: still nothing stored or sent."""
    with serve_best(sweep["site"]) as (base, _), browser() as chromium:
        offsite: list[str] = []
        context = local_context(chromium, base, offsite, viewport=DESKTOP)
        page = context.new_page()
        page.goto(base + "11-14/telling/", wait_until="networkidle")
        page.click("input.md-search__input")
        page.keyboard.type("help")
        page.locator(".md-search-result__item a").first.wait_for(timeout=10000)
        page.locator(".md-search-result__item a").first.click()
        page.wait_for_load_state("networkidle")
        page.goto(base + "11-14/online/", wait_until="networkidle")
        page.set_viewport_size(NARROW)
        page.click("label.md-header__button[for='__drawer']")
        page.locator("[data-md-component='sidebar'] .md-nav__link").first.wait_for()
        page.click("label.md-overlay", position={"x": 300, "y": 300})     # beside the open menu
        page.click("[data-band-switcher] a[data-band='7-10']")
        page.wait_for_load_state("networkidle")
        assert storage_of(page) == {}
        assert context.cookies() == []
        assert not offsite, offsite
        context.close()
