"""The offline bundle (site.py offline) and one language at a time (site.py serve --lang):
the zip opened from file:// in Chromium loads every page with no failed request and searches
offline; PDFs made earlier are included and linked; bad input gets one ERROR line."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from browser_support import browser, chromium_available
from support import REPO, make_project, site_cli

from lanzarote import offline
from lanzarote.data import load_project
from lanzarote.paths import Layout

DATA, _ = load_project()
REAL_LANG = "fr" if DATA.language("fr") and DATA.language("fr").published else DATA.site.default_language


def one_error_line(result) -> str:
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    errors = [ln for ln in lines if ln.startswith("ERROR")]
    assert len(errors) == 1, lines
    return errors[0]


@pytest.fixture(scope="module")
def real_bundle(tmp_path_factory):
    """The real project's bundle for one language, unpacked."""
    out = tmp_path_factory.mktemp("offline")
    result = site_cli(REPO, "offline", "--lang", REAL_LANG, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    zip_path = out / f"lanzarote-for-kids-{REAL_LANG}.zip"
    assert f"lanzarote-for-kids-{REAL_LANG}.zip: " in result.stdout and " MB (" in result.stdout
    unpacked = out / "unpacked"
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        archive.extractall(unpacked)
    return {"zip": zip_path, "names": names, "root": unpacked / f"lanzarote-for-kids-{REAL_LANG}"}


def test_bundle_holds_one_language_with_a_readme(real_bundle):
    names, root = real_bundle["names"], real_bundle["root"]
    assert all(n.startswith(f"lanzarote-for-kids-{REAL_LANG}/") for n in names)
    assert (root / "index.html").is_file() and (root / "README.txt").is_file()
    others = [lang.code for lang in DATA.languages if lang.code != REAL_LANG]
    assert not [n for n in names if n.split("/")[1] in others], "another language's folder is in the bundle"
    html = (root / "7-10" / "online.html").read_text(encoding="utf-8")
    assert f'<html lang="{REAL_LANG}"' in html
    assert not [n for n in names if n.endswith((".map", "sitemap.xml", "_headers", ".htaccess"))]
    assert not [n for n in names if "/bundle." in n or "/workers/" in n], "Material's unused JavaScript shipped"
    readme = (root / "README.txt").read_text(encoding="utf-8")
    assert DATA.string(REAL_LANG, "offline_open") in readme and DATA.string("en", "offline_open") in readme
    assert DATA.string(REAL_LANG, "quick_exit") in readme
    assert real_bundle["zip"].stat().st_size <= offline.TARGET_BYTES   # no PDFs here: within the target


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")
def test_bundle_works_from_file_urls_with_search(real_bundle):
    root = real_bundle["root"]
    pages = sorted(root.rglob("*.html"))
    failed, foreign, errors = [], [], []
    with browser() as chromium:
        context = chromium.new_context()
        page = context.new_page()
        page.on("requestfailed", lambda r: failed.append(f"{page.url}: {r.url} ({r.failure})"))
        page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith("file://") else None)
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        for path in pages:
            response = page.goto(path.as_uri(), wait_until="networkidle")
            assert response is None or response.ok, path
        # Search from file://: the index and lunr load as scripts; results are pages of the bundle.
        page.goto((root / "11-14" / "online.html").as_uri(), wait_until="networkidle")
        page.click("input.md-search__input")
        word = {"fr": "aide", "uk": "допомога", "ar": "مساعدة"}.get(REAL_LANG, "help")
        page.fill("input.md-search__input", word)
        page.wait_for_selector(f".md-search-result__list[data-query='{word}']", state="attached", timeout=15000)
        links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
        assert links and all(h.startswith(root.as_uri() + "/") and ".html" in h for h in links), links[:3]
        page.locator(".md-search-result__item a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith(root.as_uri()) and page.title()
        context.close()
    assert len(pages) >= 30
    assert not failed, "\n".join(failed[:10])
    assert not foreign, foreign[:5]
    assert not errors, errors[:5]


# ---- a small fixture project: PDFs, drafts, bad input --------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("offline-project") / "p")
    pdf = root / ".cache" / "handouts" / "site" / "fr" / "7-10" / "convention.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4\n% a stand-in PDF for the test\n")
    return root


def test_bundle_includes_and_links_pdfs_made_earlier(project, tmp_path):
    result = site_cli(project, "offline", "--lang", "fr", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 PDF(s)" in result.stdout
    with zipfile.ZipFile(tmp_path / "lanzarote-for-kids-fr.zip") as archive:
        names = set(archive.namelist())
        page = archive.read("lanzarote-for-kids-fr/7-10/convention.html").decode("utf-8")
        readme = archive.read("lanzarote-for-kids-fr/README.txt").decode("utf-8")
    assert "lanzarote-for-kids-fr/handouts/fr/7-10/convention.pdf" in names
    assert 'href="../handouts/fr/7-10/convention.pdf"' in page
    assert not [n for n in names if n.startswith("lanzarote-for-kids-fr/en/")]
    assert "handouts" in readme
    # English is not in a French bundle, so nothing links to the English adults' section.
    assert "en/adults" not in page


def test_unknown_language_is_one_error_line(project, tmp_path):
    line = one_error_line(site_cli(project, "offline", "--lang", "xx", "--out", str(tmp_path)))
    assert "--lang xx" in line and "en, fr" in line
    assert not list(tmp_path.iterdir())


def test_draft_language_is_one_error_line(project, tmp_path):
    import yaml

    draft = make_project(tmp_path / "draft")
    path = draft / "data" / "languages.yml"
    languages = yaml.safe_load(path.read_text(encoding="utf-8"))
    languages["languages"][1]["status"] = "draft"
    path.write_text(yaml.safe_dump(languages, allow_unicode=True, sort_keys=False), encoding="utf-8")
    line = one_error_line(site_cli(draft, "offline", "--lang", "fr", "--out", str(tmp_path / "out")))
    assert "draft" in line and "serve --lang fr" in line


def test_unwritable_output_is_one_error_line(project, tmp_path):
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    line = one_error_line(site_cli(project, "offline", "--lang", "fr", "--out", str(a_file)))
    assert str(a_file) in line and "--out" in line
    inside_a_file = a_file / "sub"
    line = one_error_line(site_cli(project, "offline", "--lang", "fr", "--out", str(inside_a_file)))
    assert "cannot write" in line and "--out" in line


def test_missing_language_option_is_reported_by_the_cli(project):
    result = site_cli(project, "offline")
    assert result.returncode == 2 and "--lang" in result.stderr and "Traceback" not in result.stderr


def test_broken_links_and_folder_links_are_found(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "ok.css").write_text("", encoding="utf-8")
    (site / "index.html").write_text(
        '<link href="ok.css" rel="stylesheet"><a href="a/">folder</a><img src="missing.png">'
        '<a href="https://example.org/">away</a><a href="#top">here</a><a href="ok.css?v=1#x">q</a>',
        encoding="utf-8")
    files, problems = offline.collect(site)
    assert (site / "ok.css").resolve() in files
    assert len(problems) == 2
    assert "a/ is a folder" in problems[0] and "missing.png is missing" in problems[1]


def test_readme_without_pdfs_says_so():
    text = offline.readme(DATA, "en", 0)
    assert DATA.string("en", "offline_no_pdfs") in text and "{date}" not in text and "{quick_exit}" not in text
    assert offline.readme(DATA, "en", 0).count("=" * 60) == 1
    if DATA.language("fr"):
        assert offline.readme(DATA, "fr", 2).count("=" * 60) == 2   # French, then English


# ---- one language at a time ---------------------------------------------------------------------

def _three_languages(root: Path) -> Path:
    """en, fr (published) and a draft de, in a fixture project."""
    from support import FIXTURE_CEILINGS, write_language_pages
    import shutil

    import yaml

    make_project(root)
    path = root / "data" / "languages.yml"
    languages = yaml.safe_load(path.read_text(encoding="utf-8"))
    languages["languages"].append({"code": "de", "autonym": "Deutsch", "name": "German", "direction": "ltr",
                                   "status": "draft", "theme_language": "de", "dictionary": "de",
                                   "ceilings": FIXTURE_CEILINGS})
    path.write_text(yaml.safe_dump(languages, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(root / "data" / "strings" / "fr.yml", root / "data" / "strings" / "de.yml")
    write_language_pages(root, "de")
    return root


def test_build_with_chosen_languages_builds_only_those_even_with_drafts(tmp_path):
    root = _three_languages(tmp_path / "p")
    result = site_cli(root, "build", "--languages", "en,fr", "--drafts", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    assert (site / "fr" / "7-10" / "index.html").is_file()
    assert not (site / "de").exists(), "a draft left out by --languages was built"
    assert (site / "search" / "search_index.js").is_file() and (site / "fr" / "search" / "search_index.js").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_serve_one_language_builds_only_it_and_the_default(tmp_path):
    root = _three_languages(tmp_path / "p")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen([sys.executable, str(REPO / "scripts" / "site.py"), "--root", str(root), "serve",
                             "--lang", "de", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, up = time.monotonic() + 90, False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if _status(base + "de/") == 200:
                    up = True
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert up, "serve --lang de did not come up"
        assert _status(base) == 200                 # the default language (static-i18n's outer build)
        assert _status(base + "de/7-10/") == 200    # the chosen one, a draft
        assert _status(base + "fr/") == 404         # not the others
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def test_serve_unknown_language_is_one_error_line(project):
    line = one_error_line(site_cli(project, "serve", "--lang", "xx"))
    assert "--lang xx" in line


def test_layout_default_out_folder_is_ignored_by_git():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert f"/{offline.DEFAULT_OUT}/" in ignored
    assert Layout().root == REPO
