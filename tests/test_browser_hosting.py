"""The hosting configs the build writes (site/_headers, site/.htaccess, site/nginx-*.conf), and the
site served by a REAL nginx with them: headers present, language negotiation, and in Chromium
zero Content-Security-Policy violations while search runs, the menu opens and the quick exit
works. (Every page is loaded through nginx, policy enforced, in test_browser_pages.py.)"""
from __future__ import annotations

import base64
import hashlib
import re
import urllib.error
import urllib.request

import pytest

from browser_audit import CspWatch, built_site, local_context, nginx, nginx_available, page_paths
from browser_support import browser, chromium_available
from support import make_project, mkdocs_build

from lanzarote.csp import accept_language_pattern
from lanzarote.data import load_project

DATA, _ = load_project()
DEFAULT = DATA.site.default_language
OTHER_LANGUAGES = [lang.code for lang in DATA.built_languages() if lang.code != DEFAULT]
EXIT_URL = DATA.site.quick_exit_url
SECURITY = {
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}


# ---- the configs, as written by the build -----------------------------------------------------

@pytest.fixture(scope="module")
def site():
    return built_site()


def csp_of(site) -> str:
    text = (site / "_headers").read_text(encoding="utf-8")
    return re.search(r"^\s+Content-Security-Policy:\s*(.+)$", text, re.M).group(1).strip()


def inline_script_hashes(site) -> set[str]:
    """Independently of the hook: hash every <script> without src whose type is JavaScript."""
    found = set()
    for path in site.rglob("*.html"):
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", path.read_text(encoding="utf-8"), re.S):
            kind = re.search(r'type="([^"]*)"', attrs)
            if "src=" in attrs or (kind and kind.group(1) not in ("text/javascript", "module")):
                continue
            found.add("'sha256-%s'" % base64.b64encode(hashlib.sha256(body.encode()).digest()).decode())
    return found


def test_policy_allows_only_this_site_and_hashed_inline_scripts(site):
    csp = csp_of(site)
    directives = dict((d.split(" ", 1) + [""])[:2] for d in (x.strip() for x in csp.split(";")))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    hashes = set(re.findall(r"'sha256-[^']+'", directives["script-src"]))
    expected = inline_script_hashes(site)
    assert expected and hashes == expected
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def parse_headers_file(text: str) -> dict[str, dict[str, str]]:
    """Netlify's format: a path at the start of a line, then indented `Name: value` lines."""
    blocks, current = {}, None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = blocks.setdefault(line.strip(), {})
        else:
            name, value = line.strip().split(":", 1)
            current[name] = value.strip()
    return blocks


def test_headers_file_covers_every_page(site):
    blocks = parse_headers_file((site / "_headers").read_text(encoding="utf-8"))
    every = blocks["/*"]
    assert every["Referrer-Policy"] == "no-referrer"
    assert every["X-Content-Type-Options"] == "nosniff"
    assert every["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert every["Content-Security-Policy"] == csp_of(site)
    pages = ["/" + p for p in page_paths(site)]
    missing = [p for p in pages if blocks.get(p, {}).get("Cache-Control") != "no-store"]
    assert not missing, missing


def test_htaccess_sets_the_same_headers_and_language_rules(site):
    text = (site / ".htaccess").read_text(encoding="utf-8")
    assert f'Header always set Content-Security-Policy "{csp_of(site)}"' in text
    assert 'Header always set Referrer-Policy "no-referrer"' in text
    assert 'Header always set Permissions-Policy "camera=(), microphone=(), geolocation=()"' in text
    assert 'Header always set X-Content-Type-Options "nosniff"' in text
    assert re.search(r'Header always set Cache-Control "no-store" "expr=%\{CONTENT_TYPE\} =~ m#\^text/html#"', text)
    for code in OTHER_LANGUAGES:
        assert f"RewriteRule ^$ %{{REQUEST_URI}}{code}/ [R=302,L]" in text
    assert "Require all denied" in text


@pytest.mark.parametrize("header, expected", [
    ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
    ("fr", "fr"),
    ("FR-be", "fr"),
    ("de-DE,de;q=0.9,fr;q=0.7", "fr"),        # a language the site lacks is skipped
    ("en-GB,fr;q=0.5", None),                 # the default comes first: no redirect
    ("en", None),
    ("de", None),
    ("frisian", None),
    ("*", None),
    ("", None),
])
def test_accept_language_choice(header, expected):
    codes = ["en", "fr"]
    chosen = [c for c in codes[1:] if re.search(accept_language_pattern(codes, c), header, re.I)]
    assert chosen == ([expected] if expected else [])


# ---- inline code the policy would block stops the build with one clear line ---------------------

@pytest.mark.parametrize("snippet, what", [
    ('<p style="color: red">Red words.</p>', 'style="…" on <p>'),
    ('<button onclick="alert(1)">Press</button>', "onclick=… on <button>"),
    ('<style>p { color: red; }</style>', "a <style> element"),
    ('<a href="javascript:alert(1)">Go</a>', 'href="javascript:…" on <a>'),
])
def test_inline_code_the_policy_blocks_fails_the_build(tmp_path, snippet, what):
    root = make_project(tmp_path / "p")
    page = root / "docs" / "en" / "7-10" / "convention.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + snippet + "\n", encoding="utf-8")
    result = mkdocs_build(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    lines = [ln for ln in output.splitlines() if "docs/en/7-10/convention.md" in ln]
    assert len(lines) == 1, output
    assert what in lines[0] and "Content-Security-Policy" in lines[0] and "site.css" in lines[0]


def test_fixture_build_writes_every_config(tmp_path):
    root = make_project(tmp_path / "p")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("_headers", ".htaccess", "nginx-headers.conf", "nginx-language-map.conf"):
        assert (root / "site" / name).read_text(encoding="utf-8").strip(), name
    assert "RewriteRule ^$ %{REQUEST_URI}fr/" in (root / "site" / ".htaccess").read_text(encoding="utf-8")


# ---- a real nginx ---------------------------------------------------------------------------------

needs_nginx = pytest.mark.skipif(not nginx_available(), reason="nginx is not installed (bash dev.sh test installs it)")


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    if not nginx_available():
        pytest.skip("nginx is not installed (bash dev.sh test installs it)")
    with nginx(site, tmp_path_factory.mktemp("nginx")) as base:
        yield base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def fetch(url, **headers):
    try:
        response = OPENER.open(urllib.request.Request(url, headers=headers), timeout=10)
        return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def assert_security_headers(headers, site):
    assert headers["Content-Security-Policy"] == csp_of(site)
    assert headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    for name, value in SECURITY.items():
        assert headers[name] == value, name


@needs_nginx
def test_nginx_serves_pages_with_headers_and_no_store(served, site):
    for path in ["", "7-10/online/", "adults/", "404.html"] + [f"{c}/" for c in OTHER_LANGUAGES]:
        status, headers, body = fetch(served + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html")
        assert headers["Cache-Control"] == "no-store", path
        assert_security_headers(headers, site)


@needs_nginx
def test_nginx_assets_missing_pages_and_config_files(served, site):
    status, headers, _ = fetch(served + "assets/stylesheets/site.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert headers["Cache-Control"] == "no-cache"
    assert_security_headers(headers, site)
    status, headers, body = fetch(served + "no/such/page/")
    assert status == 404 and headers["Cache-Control"] == "no-store" and b"data-quick-exit" in body
    assert_security_headers(headers, site)
    for name in ("_headers", ".htaccess", "nginx-headers.conf", "nginx-language-map.conf"):
        assert fetch(served + name)[0] == 404, name
    status, headers, _ = fetch(served + "7-10")
    assert status == 301 and headers["Location"] == "/7-10/"


@needs_nginx
def test_nginx_language_negotiation_at_the_start_page(served):
    if not OTHER_LANGUAGES:
        pytest.skip("only one language is published")
    other = OTHER_LANGUAGES[0]
    status, headers, _ = fetch(served, **{"Accept-Language": f"{other}-XX,{other};q=0.9"})
    assert status == 302 and headers["Location"] == f"/{other}/"
    assert "Accept-Language" in headers["Vary"]
    assert fetch(served, **{"Accept-Language": f"xx,{other};q=0.8"})[1]["Location"] == f"/{other}/"
    assert fetch(served, **{"Accept-Language": f"{DEFAULT},{other};q=0.8"})[0] == 200
    assert fetch(served)[0] == 200
    # A click inside the site (e.g. on the default language in the switcher) is never redirected.
    assert fetch(served, **{"Accept-Language": other, "Sec-Fetch-Site": "same-origin"})[0] == 200
    # Only the start page negotiates.
    assert fetch(served + "7-10/", **{"Accept-Language": other})[0] == 200


# ---- Chromium through nginx: zero CSP violations ------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (bash dev.sh test installs it)")
    with browser() as instance:
        yield instance


@needs_nginx
def test_search_and_menu_work_under_the_policy(served, site, chromium):
    context = local_context(chromium, served, [])
    watch = CspWatch(context)
    page = context.new_page()
    for start in ["7-10/online/"] + [f"{c}/7-10/online/" for c in OTHER_LANGUAGES[:1]]:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(served + start, wait_until="networkidle")
        word = page.evaluate("[...document.querySelector('h1').textContent.split(/[\\s,.:;!?()'’]+/)]"
                             ".sort((a, b) => b.length - a.length)[0]")    # a word of this language
        page.click("input.md-search__input")
        page.keyboard.type(word)
        first = page.locator(".md-search-result__item a").first
        first.wait_for(timeout=10000)
        target = first.get_attribute("href")
        with page.expect_navigation():
            first.click()
        assert page.url.startswith(served) and page.locator("[data-quick-exit]").count() == 1, target
        watch.collect(page)
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(served + start, wait_until="networkidle")
        page.click("label.md-header__button[for='__search']")      # phones: the search button
        page.keyboard.type(word)
        first = page.locator(".md-search-result__item a").first
        first.wait_for(timeout=10000)
        with page.expect_navigation():
            first.click()
        watch.collect(page)
        page.goto(served + start, wait_until="networkidle")
        page.click("label.md-header__button[for='__drawer']")
        page.locator("[data-md-component='sidebar'] .md-nav__link").first.wait_for()
        page.mouse.wheel(0, 2000)
        watch.collect(page)
    context.close()
    assert not watch.violations(), watch.violations()


@needs_nginx
def test_quick_exit_works_under_the_policy(served, chromium):
    context = local_context(chromium, served, [])
    watch = CspWatch(context)
    page = context.new_page()
    page.goto(served + "7-10/", wait_until="load")
    page.goto(served + "7-10/telling/", wait_until="load")
    before = page.evaluate("history.length")
    watch.collect(page)
    page.click("[data-quick-exit]")
    page.wait_for_url(EXIT_URL + "**")
    assert page.evaluate("history.length") == before
    page.goto(served + "11-14/online/", wait_until="load")
    watch.collect(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL + "**")
    context.close()
    assert not watch.violations(), watch.violations()


@needs_nginx
def test_browser_language_choice_and_switching_back(served, chromium):
    if not OTHER_LANGUAGES:
        pytest.skip("only one language is published")
    other = OTHER_LANGUAGES[0]
    context = local_context(chromium, served, [], locale=f"{other}-XX" if len(other) == 2 else other)
    page = context.new_page()
    page.goto(served, wait_until="load")
    assert page.url == served + f"{other}/"
    assert page.evaluate("document.documentElement.lang") == other
    page.click(f"[data-language-switcher] a[lang='{DEFAULT}']")
    page.wait_for_load_state("load")
    assert page.url == served, "choosing the default language sent the child back"
    assert page.evaluate("document.documentElement.lang") == DEFAULT
    context.close()
    context = local_context(chromium, served, [], locale=DEFAULT)
    page = context.new_page()
    page.goto(served, wait_until="load")
    assert page.url == served
    context.close()
