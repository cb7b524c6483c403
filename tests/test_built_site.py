"""The real site, built once: markers, shell, switchers, navigation and privacy in the HTML."""
from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from support import REPO, run

sys.path.insert(0, str(REPO / "scripts"))
from lanzarote.data import load_project  # noqa: E402

DATA, _ = load_project()
BANDS = DATA.band_ids
QUICK_EXIT_URL = DATA.site.quick_exit_url


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parse(path: Path) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def lang_root(site: Path, code: str) -> Path:
    return site if code == DATA.site.default_language else site / code


def child_pages(site: Path):
    for lang in DATA.built_languages():
        for band in lang.bands:
            for topic in DATA.topics:
                name = "" if topic.file == "index.md" else topic.file[:-3]
                yield lang.code, band, topic.id, lang_root(site, lang.code) / band / name / "index.html"


def test_every_child_page_is_built_with_markers(site):
    count = 0
    for code, band, topic, path in child_pages(site):
        assert path.exists(), f"not built: {path}"
        tags = parse(path)
        html = next(a for t, a in tags if t == "html")
        assert html.get("lang") == code and html.get("dir") == DATA.language(code).direction
        metas = {a.get("name"): a.get("content") for t, a in tags if t == "meta" and a.get("name")}
        assert metas.get("age-band") == band, path
        assert metas.get("topic") == topic, path
        exits = [a for t, a in tags if t == "a" and "data-quick-exit" in a]
        assert len(exits) == 1 and exits[0]["href"] == QUICK_EXIT_URL, path
        assert any(t == "aside" and "data-help-box" in a for t, a in tags), path
        count += 1
    assert count == len(DATA.built_languages()) * len(BANDS) * len(DATA.topics)


def test_help_box_points_to_the_band_help_page(site):
    for code, band, topic, path in child_pages(site):
        link = re.search(r'class="lk-help-box__link" href="([^"]+)"', path.read_text(encoding="utf-8"))
        if topic == "help":   # on the help page itself the box jumps to the numbers
            assert link.group(1) == "#lk-services-title"
            continue
        target = (path.parent / link.group(1)).resolve() / "index.html"
        assert target == (lang_root(site, code) / band / "help" / "index.html").resolve(), path


def test_no_request_to_another_origin(site):
    """No src, stylesheet, preload, font or script from another site, on any page."""
    for path in site.rglob("*.html"):
        for tag, attrs in parse(path):
            for key in ("src", "srcset", "data"):
                assert not re.match(r"^(https?:)?//", attrs.get(key) or ""), (path, tag, attrs)
            if tag == "link":
                assert not re.match(r"^(https?:)?//", attrs.get("href") or ""), (path, attrs)
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    for css in site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", css.read_text(encoding="utf-8"))


def test_quick_exit_script_replaces_history_and_listens_for_escape(site):
    script = (site / "assets" / "javascripts" / "quick-exit.js").read_text(encoding="utf-8")
    assert "location.replace" in script and "Escape" in script
    page = site / "7-10" / "convention" / "index.html"
    assert "assets/javascripts/quick-exit.js" in page.read_text(encoding="utf-8")


def test_band_only_in_url_not_in_storage(site):
    """Our own scripts never touch cookies or storage (the band lives only in the URL)."""
    for js in (REPO / "overrides" / "assets" / "javascripts").glob("*.js"):
        text = js.read_text(encoding="utf-8")
        for word in ("cookie", "localStorage", "sessionStorage", "indexedDB"):
            assert word not in text, (js, word)


def test_start_page_age_picker_leads_into_each_band(site):
    for lang in DATA.built_languages():
        root = lang_root(site, lang.code)
        html = (root / "index.html").read_text(encoding="utf-8")
        assert "data-age-picker" in html
        links = re.findall(r'class="lk-age-picker__choice" href="([^"]+)" data-band="([^"]+)"', html)
        assert [b for _, b in links] == BANDS
        for href, band in links:
            assert (root / href).resolve() == (root / band).resolve()


def test_band_switcher_same_topic_other_bands(site):
    page = site / "11-14" / "online" / "index.html"
    html = page.read_text(encoding="utf-8")
    nav = html.split("data-band-switcher", 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)" data-band="([^"]+)"', nav)
    assert [b for _, b in links] == BANDS
    for href, band in links:
        assert (page.parent / href).resolve() == (site / band / "online").resolve()
    assert 'data-band="11-14" aria-current="page"' in nav


def test_navigation_shows_only_the_childs_band(site):
    html = (site / "7-10" / "online" / "index.html").read_text(encoding="utf-8")
    sidebar = html.split("md-nav--primary", 1)[1].split("md-sidebar--secondary", 1)[0]
    hrefs = re.findall(r'<a href="([^"#]+)" class="md-nav__link', sidebar)
    targets = {(site / "7-10" / "online" / h).resolve() for h in hrefs}
    assert targets, "no navigation links found"
    for target in targets:
        assert target.is_relative_to((site / "7-10").resolve()), target


def test_language_switcher_only_lists_existing_pages(site):
    for code, band, topic, path in child_pages(site):
        html = path.read_text(encoding="utf-8")
        if "data-language-switcher" not in html:
            continue
        nav = html.split("data-language-switcher", 1)[1].split("</nav>", 1)[0]
        for href, lang in re.findall(r'href="([^"]+)" lang="([^"]+)"', nav):
            target = (path.parent / href).resolve()
            assert (target / "index.html").exists(), (path, href)
            assert target.is_relative_to(lang_root(site, lang).resolve())


def test_every_child_page_lists_its_articles(site):
    for code, band, topic, path in child_pages(site):
        source = REPO / "docs" / code / band / next(t.file for t in DATA.topics if t.id == topic)
        meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---", 2)[1])
        html = path.read_text(encoding="utf-8")
        listed = re.search(r'data-articles="([^"]*)"', html).group(1).split()
        assert [int(n) for n in listed] == meta["articles"], path


def test_no_alternate_links_that_cause_404s(site):
    """Material fetches <link rel=alternate hreflang> sitemaps on every view; we emit none."""
    for path in site.rglob("*.html"):
        assert 'hreflang="' not in path.read_text(encoding="utf-8").split("</head>", 1)[0], path


# --- help pages (data/help) -----------------------------------------------------------------

def _confirmed_phones():
    from lanzarote.help_data import load_help
    from lanzarote.paths import Layout

    directory, _ = load_help(Layout())
    confirmed, unconfirmed = set(), set()
    entries = list(directory.countries.values()) + [directory.international]
    for entry in entries:
        for s in entry["services"]:
            phone = s["contact"].get("phone")
            if phone:
                if s["confidence"] == "confirmed":
                    assert s["source"] and s["verified_on"]
                    confirmed.add(phone)
                else:
                    unconfirmed.add(phone)
    return confirmed, unconfirmed - confirmed


def test_child_pages_show_only_confirmed_numbers_with_sources(site):
    confirmed, only_unconfirmed = _confirmed_phones()
    assert only_unconfirmed, "the data should hold some unconfirmed numbers for this test to mean anything"
    shown = set()
    for code, band, topic, path in child_pages(site):
        html = path.read_text(encoding="utf-8")
        phones = set(re.findall(r'data-phone="([^"]+)"', html))
        assert phones <= confirmed, (path, phones - confirmed)
        for number in only_unconfirmed:
            assert f'data-phone="{number}"' not in html, (path, number)
        shown |= phones
    assert "116 111" in shown and "112" in shown


def test_country_picker_works_without_javascript(site):
    page = site / "11-14" / "help" / "index.html"
    html = page.read_text(encoding="utf-8")
    picker = html.split("data-country-picker", 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#(help-[a-z]{2})"', picker)
    assert len(targets) == 48
    for target in targets:
        assert f'id="{target}"' in html
    assert 'id="help-de"' in html and "Nummer gegen Kummer" in html.split('id="help-de"', 1)[1].split("</section>", 1)[0]


def test_phone_numbers_are_tel_links(site):
    html = (site / "7-10" / "help" / "index.html").read_text(encoding="utf-8")
    calls = re.findall(r'class="lk-service__call" href="([^"]+)"', html)
    assert calls and all(re.fullmatch(r"tel:\+?[0-9]+", c) for c in calls)


def test_adults_directory_shows_unconfirmed_entries_with_sources(site):
    html = (site / "adults" / "help-directory" / "index.html").read_text(encoding="utf-8")
    assert 'data-confidence="unconfirmed"' in html and 'data-confidence="confirmed"' in html
    assert html.count('data-service="') > 100
