"""Search in the reader's own language: one index per language holding only that language's
pages, its own stemmer or none (never a neighbour's), loaded only when the reader asks, the
reader's age band first; and in a real browser, French finds French, Ukrainian finds Cyrillic
without the Russian stemmer, Arabic finds Arabic."""
from __future__ import annotations

import atexit
import json
import re
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from browser_support import browser, chromium_available, serve
from support import REPO, run

from lanzarote import search
from lanzarote.data import load_project

DATA, _ = load_project()
DEFAULT = DATA.site.default_language
BUILT = [lang.code for lang in DATA.built_languages()]


@lru_cache(maxsize=None)
def real_site() -> Path:
    """The real site (published languages), built once per test run for these test files."""
    out = Path(tempfile.mkdtemp(prefix="lk-search-site-"))
    atexit.register(shutil.rmtree, out, True)
    result = run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], REPO, {"LANZAROTE_DRAFTS": "0"})
    if result.returncode != 0:
        raise AssertionError("mkdocs build failed:\n" + result.stdout + result.stderr)
    return out


def root_of(code: str) -> str:
    return "" if code == DEFAULT else f"{code}/"


def read_index(site: Path, code: str) -> dict:
    text = (site / root_of(code) / search.INDEX_NAME).read_text(encoding="utf-8")
    prefix = f"window.{search.GLOBAL}="
    assert text.startswith(prefix) and text.rstrip().endswith(";")
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


# ---- which stemmer ------------------------------------------------------------------------------

def test_each_language_gets_its_own_stemmer_or_none():
    assert search.stemmer_for("en") == "en"
    for code in ("fr", "tr", "ar", "ru", "de"):
        assert search.stemmer_for(code) == code
    # No stemmer of their own: nothing, never a neighbour's (MkDocs would give uk, bg, mk the
    # Russian one; Georgian has none anywhere).
    for code in ("uk", "ka", "bg", "mk", "sq"):
        assert search.stemmer_for(code) is None
    # Greek: Material ships lunr.el, which MkDocs' own option refuses; ours loads it directly.
    assert search.stemmer_for("el") == "el"
    # An explicit choice in data/languages.yml (e.g. nb -> no) is honoured; an unknown one is not.
    assert search.stemmer_for("nb", "no") == "no"
    assert search.stemmer_for("xx", "zz") is None
    assert search.scripts_for(None) == [search.LUNR_CORE]
    assert search.scripts_for("fr")[-1].endswith("/lunr.fr.min.js")


def test_split_index_keeps_each_language_apart():
    merged = {"docs": [
        {"location": "", "title": "Start", "text": "<p>Hello &amp; welcome</p>"},
        {"location": "7-10/online/", "title": "Online", "text": "<p>Be safe</p>"},
        {"location": "7-10/online/#friends", "title": "Friends", "text": "<ul><li>Ask</li></ul>"},
        {"location": "fr/7-10/online/", "title": "En ligne", "text": "<p>Sois prudent</p>"},
        {"location": "fr/7-10/online/#amis", "title": "Amis", "text": "Demande"},
        {"location": "uk/7-10/online/", "title": "English copy", "text": "Be safe"},
        {"location": "frogs/", "title": "Not French", "text": "An English page whose path starts with fr"},
    ]}
    buckets = search.split_index(merged, ["en", "fr", "uk"], "en", skip={"uk/7-10/online/"})
    assert [d["location"] for d in buckets["en"]] == ["", "7-10/online/", "7-10/online/#friends", "frogs/"]
    assert buckets["en"][0]["text"] == "Hello & welcome"
    assert buckets["en"][2] == {"location": "7-10/online/#friends", "title": "Friends", "text": "Ask",
                                "page": "Online"}
    assert [d["location"] for d in buckets["fr"]] == ["7-10/online/", "7-10/online/#amis"]
    assert buckets["fr"][1]["page"] == "En ligne"
    assert buckets["uk"] == []        # an untranslated English copy is not Ukrainian


# ---- the built site -----------------------------------------------------------------------------

def test_one_index_per_language_holding_only_its_pages():
    site = real_site()
    assert not (site / search.MERGED_INDEX).exists(), "the merged index of every language is still shipped"
    others = [c for c in BUILT if c != DEFAULT]
    sizes = {}
    for code in BUILT:
        index = read_index(site, code)
        assert index["lang"] == code
        assert index["stemmer"] == search.stemmer_for(code, DATA.language(code).search_language)
        assert len(index["docs"]) >= 30, code
        for doc in index["docs"]:
            path = doc["location"].split("#")[0]
            page = site / root_of(code) / path / "index.html"
            assert page.is_file(), f"{code}: {doc['location']} is not a page of this language"
            assert '<html lang="%s"' % code in page.read_text(encoding="utf-8")[:300]
            if code == DEFAULT:
                assert path.split("/")[0] not in others, f"{code} index holds {path}"
            assert "<" not in doc["text"], "HTML left in the index text"
        sizes[code] = len((site / root_of(code) / search.INDEX_NAME).read_bytes())
    combined = sum(sizes.values())
    for code, size in sizes.items():       # about 1/N of one combined index each
        assert size < 2 * combined / len(sizes), (code, size, combined)
    assert (site / search.LUNR_CORE).is_file()


def test_pages_fetch_no_search_code_until_asked():
    site = real_site()
    page = (site / "7-10" / "online" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert not [s for s in scripts if "bundle" in s or "lunr" in s or "search_index" in s], scripts
    assert "lk-search.js" in [s.rsplit("/", 1)[-1] for s in scripts]
    config = json.loads(re.search(r'<script id="lk-search-config" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    assert config["section"] == "7-10" and config["lang"] == DEFAULT
    assert config["index"] == "../../search/search_index.js"
    for code in BUILT:                     # every page names its own language's index
        html = (site / root_of(code) / "11-14" / "online" / "index.html").read_text(encoding="utf-8")
        config = json.loads(re.search(r'id="lk-search-config" type="application/json">(.*?)</script>',
                                      html, re.S).group(1))
        assert config["lang"] == code and config["index"] == "../../search/search_index.js"
        assert not any("lunr.ru" in s for s in config["scripts"]) or code == "ru"


# ---- in the browser ------------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed "
                                                                      "(bash dev.sh test installs it)")


def search_for(page, text: str) -> list[str]:
    """Type into the header's search box; the result links once they answer `text`."""
    page.click("input.md-search__input")
    page.fill("input.md-search__input", text)
    page.wait_for_selector(f".md-search-result__list[data-query='{text}']", state="attached", timeout=15000)
    return page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")


@pytest.fixture(scope="module")
def served():
    with serve(real_site()) as base, browser() as chromium:
        yield base, chromium


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("code, start, words", [
    ("fr", "7-10/online/", "aide"),
    ("uk", "11-14/online/", "допомога"),
    ("ar", "7-10/online/", "مساعدة"),
    ("ka", "15-17/online/", "დახმარება"),
    ("en", "11-14/telling/", "helpline"),
])
def test_search_finds_pages_of_the_readers_language_only(served, code, start, words):
    if code not in BUILT:
        pytest.skip(f"{code} is not published")
    base, chromium = served
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url[len(base):]))
    page.goto(base + root_of(code) + start, wait_until="networkidle")
    assert not [u for u in fetched if "search" in u and not u.endswith("lk-search.js") or "lunr" in u], fetched
    links = search_for(page, words)
    assert links, f"{code}: no result for {words}"
    own = base + root_of(code)
    for href in links:
        assert href.startswith(own), f"{code}: result in another language: {href}"
        if code == DEFAULT:
            assert href[len(own):].split("/")[0] not in [c for c in BUILT if c != DEFAULT], href
    band = start.split("/")[0]
    assert links[0][len(own):].startswith(band + "/"), f"the reader's band {band} is not first: {links[:3]}"
    stemmers = [u.rsplit("/", 1)[-1] for u in fetched if "/lunr/min/" in u]
    expected = search.stemmer_for(code)
    if expected in (None, "en"):
        assert stemmers == [], f"{code}: loaded {stemmers}"      # uk: never lunr.ru
    else:
        assert f"lunr.{expected}.min.js" in stemmers and not [s for s in stemmers if s.startswith("lunr.ru")]
    assert [u for u in fetched if u.endswith(search.INDEX_NAME)] == [root_of(code) + search.INDEX_NAME]
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(own) and page.evaluate("document.documentElement.lang") == code
    context.close()


@pytest.mark.browser
@needs_chromium
def test_search_by_keyboard_and_on_a_phone(served):
    base, chromium = served
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "7-10/online/", wait_until="networkidle")
    page.click("label.md-header__button[for='__search']")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    page.keyboard.type("helpline")
    page.wait_for_selector(".md-search-result__list[data-query='helpline']", state="attached", timeout=15000)
    status = page.locator(".md-search-result__meta")
    assert status.get_attribute("role") == "status" and re.search(r"\d", status.text_content())
    first = page.locator(".md-search-result__item a").first.get_attribute("href")
    page.keyboard.press("Escape")                                   # closes the search
    assert page.evaluate("document.getElementById('__search').checked") is False
    page.click("label.md-header__button[for='__search']")
    page.keyboard.press("Enter")                                    # opens the first result
    page.wait_for_url(lambda url: url.split("#")[0].endswith(first.split("#")[0].lstrip("./")), timeout=10000)
    assert not errors, errors
    context.close()
