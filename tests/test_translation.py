"""Translation workflow: new-language, staleness, provenance on the page, host settings."""
from __future__ import annotations

import json
import shutil

import pytest
import yaml

from support import REPO, make_project, mkdocs_build, site_cli


@pytest.fixture
def project(tmp_path):
    root = make_project(tmp_path / "p")
    # record every French fixture page as a translation of the current English
    pages = sorted(str(p) for p in (root / "docs" / "fr").rglob("*.md"))
    assert site_cli(root, "mark-translated", *pages).returncode == 0
    return root


def cli(project, *args):
    result = site_cli(project, *args)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def status_row(project, lang, section):
    result = cli(project, "status", "--json", str(project / "status.json"))
    assert result.returncode == 0
    rows = json.loads((project / "status.json").read_text(encoding="utf-8"))
    return next(r for r in rows["translations"] if r["lang"] == lang and r["section"] == section)


def test_new_language_is_a_draft_that_builds(project):
    result = cli(project, "new-language", "uk")
    assert result.returncode == 0, result.stdout
    assert "added uk (українська) as a draft" in result.stdout
    entry = next(l for l in yaml.safe_load((project / "data" / "languages.yml").read_text())["languages"]
                 if l["code"] == "uk")
    assert entry["status"] == "draft" and entry["theme_language"] == "uk" and entry["direction"] == "ltr"
    assert (project / "data" / "strings" / "uk.yml").exists() and (project / "data" / "terms" / "uk.yml").exists()
    page = (project / "docs" / "uk" / "7-10" / "convention.md").read_text(encoding="utf-8")
    assert "status: untranslated" in page
    check = cli(project, "check")
    assert check.returncode == 0, check.stdout
    assert "uk (українська, draft): 0/9 pages" in check.stdout and "to do" in check.stdout
    assert status_row(project, "uk", "7-10")["untranslated"] == 3
    assert mkdocs_build(project).returncode == 0
    preview = mkdocs_build(project, env={"LANZAROTE_DRAFTS": "1"})
    assert preview.returncode == 0, preview.stderr
    html = (project / "site" / "uk" / "7-10" / "convention" / "index.html").read_text(encoding="utf-8")
    assert 'data-translation="untranslated"' in html and '<html lang="uk"' in html


def test_new_language_material_lacks_and_right_to_left(project):
    result = cli(project, "new-language", "bs")
    assert result.returncode == 0 and "Material has no UI translation 'bs'" in result.stdout
    assert cli(project, "new-language", "ar").returncode == 0
    langs = {l["code"]: l for l in yaml.safe_load((project / "data" / "languages.yml").read_text())["languages"]}
    assert langs["bs"]["theme_language"] == "en" and langs["ar"]["direction"] == "rtl"
    preview = mkdocs_build(project, env={"LANZAROTE_DRAFTS": "1"})
    assert preview.returncode == 0, preview.stdout + preview.stderr
    html = (project / "site" / "ar" / "11-14" / "help" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl"' in html and 'dir="rtl"' in html.split("<body", 1)[1][:40]


@pytest.mark.parametrize("code, message", [("xyz", "not a two-letter ISO 639-1 language code"),
                                           ("EN", "not a two-letter ISO 639-1 language code"),
                                           ("fr", "fr is already in data/languages.yml")])
def test_new_language_bad_input(project, code, message):
    result = cli(project, "new-language", code)
    assert result.returncode == 1
    assert [l for l in result.stdout.splitlines() if l.startswith("ERROR")] == [f"ERROR: {l}" for l in
                                                                               [result.stdout.split("ERROR: ", 1)[1].strip()]]
    assert message in result.stdout


def test_new_language_without_write_permission(project, monkeypatch):
    from lanzarote.data import load_project
    from lanzarote.paths import Layout
    from lanzarote import translation

    data, _ = load_project(Layout(project))

    def refuse(src, dst, *a, **k):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(shutil, "copytree", refuse)
    before = (project / "data" / "languages.yml").read_text(encoding="utf-8")
    with pytest.raises(ValueError) as err:
        translation.new_language(data, "uk")
    assert "docs/uk: cannot write there (permission denied)" in str(err.value)
    assert (project / "data" / "languages.yml").read_text(encoding="utf-8") == before   # nothing half-done


def test_malformed_source_hash(project):
    page = project / "docs" / "fr" / "7-10" / "convention.md"
    text = page.read_text(encoding="utf-8")
    import re
    page.write_text(re.sub(r"source_hash: \w+", "source_hash: not-a-hash", text), encoding="utf-8")
    result = cli(project, "check")
    assert result.returncode == 1
    lines = [l for l in result.stdout.splitlines() if l.startswith("ERROR")]
    assert len(lines) == 1 and "docs/fr/7-10/convention.md" in lines[0] and "translation.source_hash" in lines[0]


def test_editing_english_makes_translation_stale_until_marked_done(project):
    assert status_row(project, "fr", "11-14")["translated"] == 3
    english = project / "docs" / "en" / "11-14" / "convention.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nOne more helpful sentence.\n", encoding="utf-8")
    assert status_row(project, "fr", "11-14")["stale"] == 1
    check = cli(project, "check")
    assert "WARNING: docs/fr/11-14/convention.md: stale: docs/en/11-14/convention.md has changed" in check.stdout
    assert mkdocs_build(project).returncode == 0
    html = (project / "site" / "fr" / "11-14" / "convention" / "index.html").read_text(encoding="utf-8")
    assert 'data-translation="stale"' in html and "La version anglaise de cette page a changé" in html
    assert 'href="../../../11-14/convention/"' in html.split('data-translation="stale"', 1)[1]
    done = cli(project, "mark-translated", "docs/fr/11-14/convention.md", "--reviewed-by", "A. Reviewer")
    assert done.returncode == 0
    row = status_row(project, "fr", "11-14")
    assert row["stale"] == 0 and row["reviewed"] == 1
    assert mkdocs_build(project).returncode == 0
    html = (project / "site" / "fr" / "11-14" / "convention" / "index.html").read_text(encoding="utf-8")
    assert 'data-translation="reviewed"' in html and "Relu par A. Reviewer" in html


def test_provenance_shown_until_review_recorded(project):
    assert mkdocs_build(project).returncode == 0
    html = (project / "site" / "fr" / "7-10" / "help" / "index.html").read_text(encoding="utf-8")
    assert "Il attend d'être relu" in html


def test_mark_translated_bad_input(project):
    result = cli(project, "mark-translated", "docs/en/7-10/help.md", "docs/fr/7-10/nothing.md")
    assert result.returncode == 1
    errors = [l for l in result.stdout.splitlines() if l.startswith("ERROR")]
    assert len(errors) == 2 and "not a translation" in errors[0] and "no such page" in errors[1]


def test_host_settings_choose_languages_default_and_country(project):
    result = mkdocs_build(project, env={"LANZAROTE_LANGUAGES": "fr", "LANZAROTE_DEFAULT_LANGUAGE": "fr",
                                        "LANZAROTE_HOME_COUNTRY": "FR",
                                        "LANZAROTE_QUICK_EXIT_URL": "https://example.org/weather"})
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert '<html lang="fr"' in (site / "7-10" / "help" / "index.html").read_text(encoding="utf-8")
    assert not (site / "en").exists() and not (site / "fr").exists()
    html = (site / "7-10" / "help" / "index.html").read_text(encoding="utf-8")
    assert 'data-home-country="FR"' in html and 'href="https://example.org/weather"' in html


def test_host_settings_bad_values(project):
    result = mkdocs_build(project, env={"LANZAROTE_LANGUAGES": "en,xx"})
    assert result.returncode != 0 and "language(s) xx not in data/languages.yml" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
