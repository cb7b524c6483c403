"""Quality gates: every gate passes on good fixture pages and fails, with one clear line, on bad ones."""
from __future__ import annotations

import json

import pytest
import yaml

from support import FIXTURE_CEILINGS, child_page, make_project, site_cli, write_language_pages
from lanzarote.quality import mentioned_articles
from lanzarote.readability import measure


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "p")


def run_check(project):
    result = site_cli(project, "check")
    assert "Traceback" not in result.stdout + result.stderr
    return result


def lines_for(result, path):
    """Problem lines about `path` (the file named first on the line)."""
    return [l for l in result.stdout.splitlines()
            if l.startswith(("ERROR", "WARNING")) and l.split(": ", 1)[1].startswith(path)]


def write(project, rel, text):
    (project / rel).write_text(text, encoding="utf-8")


def test_clean_fixture_passes_with_table(project):
    result = run_check(project)
    assert result.returncode == 0, result.stdout
    assert "page" in result.stdout and "LIX" in result.stdout and "verdict" in result.stdout
    assert result.stdout.count(" ok\n") >= 18


HARD = ("## Why?\n\nInternational organisations systematically coordinate comprehensive multidisciplinary "
        "interventions concerning institutional responsibilities and jurisdictional considerations "
        "regarding exploitation.\n\n## Next { .next-step }\n\n- Tell someone.\n")


def test_too_hard_7_10_page(project):
    write(project, "docs/en/7-10/convention.md", child_page("x", "convention", "7-10", body=HARD))
    result = run_check(project)
    assert result.returncode == 1
    lines = lines_for(result, "docs/en/7-10/convention.md")
    assert any("too hard for ages 7-10" in l and "LIX" in l for l in lines)


def test_non_monotonic_topic(project):
    # the 11-14 page gets the 7-10 text: it is no longer harder than 7-10
    write(project, "docs/en/11-14/convention.md",
          child_page("x", "convention", "11-14", body=child_page("x", "convention", "7-10").split("---\n", 2)[2]))
    result = run_check(project)
    assert result.returncode == 1
    assert any("not easier than docs/en/11-14/convention.md" in l
               for l in lines_for(result, "docs/en/7-10/convention.md"))


def test_banned_term_names_line_and_suggestion(project):
    body = "\n## What?\n\nSome people call it child porn online.\n\n## Next { .next-step }\n\n- Tell someone.\n"
    write(project, "docs/en/15-17/convention.md", child_page("x", "convention", "15-17", body=body))
    result = run_check(project)
    assert result.returncode == 1
    line = lines_for(result, "docs/en/15-17/convention.md:")[0]
    assert 'avoid "child porn"' in line and "child sexual abuse material" in line
    assert "convention.md:12:" in line   # front matter is 8 lines; the text is on line 12


def test_legal_term_allowed_only_quoted_with_marker(project):
    body = ('\n## What?\n\nThe law calls it "child pornography". <!-- legal-term -->\n\n'
            "## Next { .next-step }\n\n- Tell someone.\n")
    write(project, "docs/en/15-17/convention.md", child_page("x", "convention", "15-17", body=body))
    assert not [l for l in lines_for(run_check(project), "docs/en/15-17/convention.md") if "avoid" in l]
    write(project, "docs/en/15-17/convention.md",
          child_page("x", "convention", "15-17", body=body.replace(" <!-- legal-term -->", "")))
    assert [l for l in lines_for(run_check(project), "docs/en/15-17/convention.md") if "avoid" in l]


def test_uncited_article(project):
    body = "\n## What?\n\nArticle 13 is about helplines.\n\n## Next { .next-step }\n\n- Tell someone.\n"
    write(project, "docs/en/15-17/convention.md", child_page("x", "convention", "15-17", body=body))
    result = run_check(project)
    assert result.returncode == 1
    assert any("mentions Article 13 but front matter articles does not list it" in l
               for l in lines_for(result, "docs/en/15-17/convention.md"))


def test_translation_must_not_drop_an_article(project):
    write(project, "docs/fr/11-14/convention.md", child_page("x", "convention", "11-14", articles=(1, 2)))
    result = run_check(project)
    assert result.returncode == 1
    assert any("cites different articles" in l and "adds [2]" in l
               for l in lines_for(result, "docs/fr/11-14/convention.md"))


def test_english_paragraph_in_a_french_page(project):
    body = ("\n## C'est quoi ?\n\nTu peux toujours en parler à un adulte de confiance, même si tu as promis.\n\n"
            "You can always talk to an adult you trust, even if you promised to keep it secret.\n\n"
            "## Et maintenant ? { .next-step }\n\n- Parle à un adulte.\n")
    write(project, "docs/fr/11-14/convention.md", child_page("x", "convention", "11-14", body=body))
    result = run_check(project)
    lines = lines_for(result, "docs/fr/11-14/convention.md")
    assert any("a paragraph looks like en, not fr" in l and "You can always talk" in l for l in lines)
    assert not any("Tu peux toujours" in l for l in lines)


def test_typed_phone_number(project):
    body = "\n## Help\n\nCall 116 111 now.\n\n## Next { .next-step }\n\n- Tell someone.\n"
    write(project, "docs/en/7-10/convention.md", child_page("x", "convention", "7-10", body=body))
    result = run_check(project)
    assert result.returncode == 1
    assert any('phone number "116 111" typed into the page' in l
               for l in lines_for(result, "docs/en/7-10/convention.md"))


def test_years_and_dates_are_not_phone_numbers():
    from lanzarote.quality import _PHONE_SHAPE
    assert not [m for m in _PHONE_SHAPE.finditer("On 25 October 2007 and 1 July 2010, 306 children, 1,400 words.")
                if len([c for c in m.group(0) if c.isdigit()]) >= 6]


def test_empty_page(project):
    write(project, "docs/en/7-10/convention.md", child_page("x", "convention", "7-10", body="\n"))
    result = run_check(project)
    assert result.returncode == 1
    assert any("has no prose to read" in l for l in lines_for(result, "docs/en/7-10/convention.md"))


def test_page_that_is_only_a_list_is_measured(project):
    body = "\n- You are safe.\n- You can tell.\n- It is fine.\n- Ask a grown-up.\n"
    write(project, "docs/en/7-10/convention.md", child_page("x", "convention", "7-10", body=body))
    result = run_check(project)
    row = next(l for l in result.stdout.splitlines() if l.startswith("en/7-10/convention.md"))
    assert row.split()[2] == "12" and row.split()[3] == "4"   # 12 words, 4 sentences


def test_language_without_hyphenation_dictionary_reports_grade_na(project):
    path = project / "data" / "languages.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["languages"].append({"code": "ka", "autonym": "ქართული", "name": "Georgian", "direction": "ltr",
                              "status": "draft", "theme_language": "ka", "dictionary": None,
                              "ceilings": FIXTURE_CEILINGS})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    write_language_pages(project, "ka")
    write(project, "docs/ka/7-10/convention.md", child_page("x", "convention", "7-10",
          body="\n## რა არის?\n\nშენ უსაფრთხოდ ხარ. შეგიძლია თქვა.\n"))
    result = run_check(project)
    row = next(l for l in result.stdout.splitlines() if l.startswith("ka/7-10/convention.md"))
    assert " n/a " in row


@pytest.mark.parametrize("text", ["你是安全的。你可以告诉别人。这不是你的错。",
                                  "أنت في أمان. يمكنك أن تخبر شخصاً تثق به؟ ليس خطأك."])
def test_cjk_and_arabic_sentence_splitting(text):
    reading = measure("---\ntitle: x\n---\n" + text, None)
    assert reading.sentences == 3 and reading.grade is None and reading.lix >= 0


def test_terminology_file_with_yaml_typo(project):
    write(project, "data/terms/fr.yml", "terms:\n  - avoid: [pédophile\n    say: x\n")
    result = run_check(project)
    assert result.returncode == 1
    lines = lines_for(result, "data/terms/fr.yml")
    assert len(lines) == 1 and "YAML syntax error" in lines[0]


def test_language_without_ceilings_is_never_silently_skipped(project):
    path = project / "data" / "languages.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["languages"][1].pop("ceilings")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 1
    assert any("fr: no reading-level ceilings for ages 7-10" in l for l in lines_for(result, "data/languages.yml"))


def test_json_readings(project, tmp_path):
    out = tmp_path / "r.json"
    assert site_cli(project, "check", "--json", str(out)).returncode == 0
    readings = json.loads(out.read_text(encoding="utf-8"))["readings"]
    assert {r["band"] for r in readings} == {"7-10", "11-14", "15-17"}
    assert all({"lix", "mean_sentence", "grade", "verdict", "words"} <= set(r) for r in readings)


def test_article_mentions_lists_and_ranges():
    found = [n for n, _ in mentioned_articles("Articles 39 to 41 and Article 18(3), articles 20 et 23; Art. 5")]
    assert found == [39, 40, 41, 18, 20, 23, 5]


def test_gates_run_inside_mkdocs_build(project):
    from support import mkdocs_build
    body = "\n## Help\n\nCall 116 111 now.\n\n## Next { .next-step }\n\n- Tell someone.\n"
    write(project, "docs/en/7-10/convention.md", child_page("x", "convention", "7-10", body=body))
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert 'phone number "116 111"' in result.stdout + result.stderr
