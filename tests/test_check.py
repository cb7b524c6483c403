"""The band check and the content model, on small fixture projects (site.py check and mkdocs build)."""
from __future__ import annotations

import yaml
import pytest

from support import FIXTURE_CEILINGS, child_page, make_project, mkdocs_build, site_cli


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "p")


def check(root):
    result = site_cli(root, "check")
    assert "Traceback" not in result.stdout + result.stderr
    return result


def set_language(root, code, **changes):
    path = root / "data" / "languages.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["languages"]:
        if entry["code"] == code:
            entry.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def add_language(root, entry):
    path = root / "data" / "languages.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["languages"].append(entry)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_complete_project_passes_and_prints_matrix(project):
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert "en (English, published): 9/9 pages" in result.stdout
    assert "convention" in result.stdout and "✓" in result.stdout
    assert "0 error(s)" in result.stdout


def test_missing_band_file_fails_check_and_build_then_passes_when_restored(project):
    page = project / "docs" / "fr" / "11-14" / "convention.md"
    saved = page.read_text(encoding="utf-8")
    page.unlink()
    result = check(project)
    assert result.returncode == 1
    lines = [l for l in result.stdout.splitlines() if l.startswith("ERROR")]
    assert lines == [l for l in lines if "docs/fr/11-14/convention.md" in l] and len(lines) == 1
    assert "translate docs/en/11-14/convention.md" in lines[0]
    assert "missing" in result.stdout
    build = mkdocs_build(project)
    assert build.returncode != 0
    assert "docs/fr/11-14/convention.md" in build.stdout + build.stderr
    assert "Traceback" not in build.stdout + build.stderr
    page.write_text(saved, encoding="utf-8")
    assert check(project).returncode == 0
    assert mkdocs_build(project).returncode == 0


def test_draft_language_is_reported_not_fatal_and_left_out_of_default_build(project):
    set_language(project, "fr", status="draft")
    (project / "docs" / "fr" / "7-10" / "help.md").unlink()
    result = check(project)
    assert result.returncode == 0
    assert "WARNING: docs/fr/7-10/help.md" in result.stdout
    assert mkdocs_build(project).returncode == 0
    assert not (project / "site" / "fr").exists()
    preview = mkdocs_build(project, env={"LANZAROTE_DRAFTS": "1"})
    assert preview.returncode == 0, preview.stderr
    assert (project / "site" / "fr" / "7-10" / "convention" / "index.html").exists()


def test_file_in_unknown_band_folder(project):
    folder = project / "docs" / "en" / "5-6"
    folder.mkdir()
    (folder / "convention.md").write_text(child_page("x", "convention", "5-6"), encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert "ERROR: docs/en/5-6/convention.md: unknown band folder '5-6'" in result.stdout


def test_front_matter_band_and_topic_disagree_with_path(project):
    page = project / "docs" / "en" / "7-10" / "convention.md"
    page.write_text(child_page("x", "help", "11-14"), encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert "docs/en/7-10/convention.md: front matter says band '11-14'" in result.stdout
    assert "docs/en/7-10/convention.md: front matter says topic 'help'" in result.stdout


def test_missing_front_matter(project):
    (project / "docs" / "en" / "7-10" / "convention.md").write_text("Just text.\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert "ERROR: docs/en/7-10/convention.md:1: has no front matter" in result.stdout


def test_malformed_front_matter_yaml_names_the_line(project):
    (project / "docs" / "en" / "7-10" / "convention.md").write_text(
        "---\ntitle: ok\ntopic: [convention\nband: \"7-10\"\n---\nText.\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "docs/en/7-10/convention.md" in l)
    assert "front matter YAML error" in line and "convention.md:" in line


def test_front_matter_missing_a_field(project):
    (project / "docs" / "en" / "7-10" / "convention.md").write_text(
        "---\ntitle: ok\ntopic: convention\nband: \"7-10\"\narticles: []\n---\nText.\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert "'summary' is a required property" in result.stdout


@pytest.mark.parametrize("article", [0, 51])
def test_article_outside_1_to_50(project, article):
    (project / "docs" / "en" / "15-17" / "convention.md").write_text(
        child_page("x", "convention", "15-17", articles=(1, article)), encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "docs/en/15-17/convention.md" in l)
    assert f"articles.1: {article} is" in line


def test_language_material_cannot_translate_falls_back_with_warning(project):
    add_language(project, {"code": "bs", "autonym": "bosanski", "name": "Bosnian", "direction": "ltr",
                           "status": "published", "theme_language": "bs", "dictionary": None,
                           "ceilings": FIXTURE_CEILINGS})
    from support import write_language_pages
    write_language_pages(project, "bs")
    (project / "data" / "strings" / "bs.yml").write_text(
        (project / "data" / "strings" / "en.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "data" / "terms" / "bs.yml").write_text("terms: []\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert "WARNING: data/languages.yml: bs: Material has no UI translation 'bs'" in result.stdout
    build = mkdocs_build(project)
    assert build.returncode == 0, build.stdout + build.stderr
    html = (project / "site" / "bs" / "7-10" / "convention" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="bs"' in html


def test_language_with_stated_theme_fallback_builds_silently(project):
    add_language(project, {"code": "bs", "autonym": "bosanski", "name": "Bosnian", "direction": "ltr",
                           "status": "draft", "theme_language": "hr", "dictionary": None,
                           "ceilings": FIXTURE_CEILINGS})
    from support import write_language_pages
    write_language_pages(project, "bs")
    result = check(project)
    assert result.returncode == 0
    assert "Material has no UI translation" not in result.stdout
    build = mkdocs_build(project, env={"LANZAROTE_DRAFTS": "1"})
    assert build.returncode == 0, build.stderr
    html = (project / "site" / "bs" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="bs"' in html


def test_unknown_language_folder(project):
    (project / "docs" / "de").mkdir()
    (project / "docs" / "de" / "index.md").write_text("---\ntitle: x\nsummary: y\n---\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert "ERROR: docs/de/: 'de' is not a language in data/languages.yml" in result.stdout


def test_non_utf8_markdown(project):
    (project / "docs" / "fr" / "7-10" / "convention.md").write_bytes(
        "---\ntitle: Une promesse très spéciale\n---\n".encode("latin-1"))
    result = check(project)
    assert result.returncode == 1
    assert "docs/fr/7-10/convention.md: is not UTF-8" in result.stdout
    build = mkdocs_build(project)
    assert build.returncode != 0 and "Traceback" not in build.stdout + build.stderr


def test_two_files_claiming_same_topic_and_band(project):
    from support import TOPICS
    topics = TOPICS + [{"id": "extra", "file": "extra.md"}]
    (project / "data" / "topics.yml").write_text(yaml.safe_dump({"topics": topics}), encoding="utf-8")
    for lang in ("en", "fr"):
        for band in ("7-10", "11-14", "15-17"):
            (project / "docs" / lang / band / "extra.md").write_text(
                child_page("x", "extra", band), encoding="utf-8")
    (project / "docs" / "en" / "7-10" / "extra.md").write_text(
        child_page("x", "convention", "7-10"), encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert "2 files claim topic 'convention' for ages 7-10 in en" in result.stdout


def test_yaml_syntax_error_in_data_is_one_line_and_build_does_not_traceback(project):
    (project / "data" / "languages.yml").write_text("languages:\n  - code: en\n   autonym: [\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    errors = [l for l in result.stdout.splitlines() if l.startswith("ERROR")]
    assert len(errors) == 1 and errors[0].startswith("ERROR: data/languages.yml:")
    assert "YAML syntax error" in errors[0]
    build = mkdocs_build(project)
    assert build.returncode != 0
    assert "data/languages.yml" in build.stdout + build.stderr
    assert "Traceback" not in build.stdout + build.stderr


def test_strings_with_unknown_and_missing_keys(project):
    path = project / "data" / "strings" / "fr.yml"
    values = yaml.safe_load(path.read_text(encoding="utf-8"))
    values.pop("help_box_link")
    values["quick_exitt"] = "Partir"
    path.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert "data/strings/fr.yml: unknown key(s) quick_exitt" in result.stdout
    assert "data/strings/fr.yml: missing key(s) help_box_link" in result.stdout


def test_json_report(project, tmp_path):
    out = tmp_path / "report.json"
    result = site_cli(project, "check", "--json", str(out))
    assert result.returncode == 0
    import json
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ok"] is True
    assert report["matrix"]["fr"]["convention"]["15-17"] == "ok"
