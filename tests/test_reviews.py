"""Review records (site.py record-review, check, status, the page) and the contradiction guard
(data/rules/<lang>.yml), on small fixture projects."""
from __future__ import annotations

import json

import pytest
import yaml

from support import child_body, child_page, make_project, mkdocs_build, site_cli

PAGE = "docs/en/7-10/convention.md"


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "p")


def cli(project, *args):
    result = site_cli(project, *args)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def errors(result):
    return [line for line in result.stdout.splitlines() if line.startswith("ERROR")]


def front_matter(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def built(project, rel):
    return (project / "site" / rel / "index.html").read_text(encoding="utf-8")


def test_record_review_is_kept_in_front_matter_and_counted(project):
    result = cli(project, "record-review", PAGE, "--role", "legal", "--kind", "automated",
                 "--by", "automated desk review (legal)", "--on", "2026-12-01")
    assert result.returncode == 0, result.stdout
    assert "recorded a automated legal review" in result.stdout
    review = front_matter(project / PAGE)["reviews"][0]
    assert review["role"] == "legal" and review["kind"] == "automated" and review["on"] == "2026-12-01"
    assert len(review["fingerprint"]) == 12
    check = cli(project, "check")
    assert check.returncode == 0 and "review" not in "\n".join(
        line for line in check.stdout.splitlines() if line.startswith("WARNING"))
    status = cli(project, "status", "--json", str(project / "status.json"))
    assert status.returncode == 0 and "reviews (pages whose current text was reviewed" in status.stdout
    rows = json.loads((project / "status.json").read_text(encoding="utf-8"))["reviews"]
    row = next(r for r in rows if r["lang"] == "en" and r["section"] == "7-10")
    assert row["pages"] == 3 and row["legal"] == {"human": 0, "automated": 1}
    assert row["child-protection"] == {"human": 0, "automated": 0}


def test_page_names_only_people_and_says_when_review_was_automated(project):
    cli(project, "record-review", PAGE, "--role", "child-protection", "--kind", "automated",
        "--by", "automated desk review", "--on", "2026-12-01")
    other = "docs/en/7-10/help.md"
    cli(project, "record-review", other, "--role", "legal", "--kind", "human", "--by", "A. Lawyer",
        "--on", "2026-12-02")
    assert mkdocs_build(project).returncode == 0
    automated = built(project, "7-10/convention")
    assert 'data-reviews="automated"' in automated
    assert "Checked by automated reviews (child protection) on December 1, 2026" in automated
    assert "No person has reviewed this page yet." in automated and "automated desk review" not in automated
    human = built(project, "7-10/help")
    assert 'data-reviews="human"' in human and "Reviewed by A. Lawyer (law) on December 2, 2026." in human
    assert 'data-reviews="none"' in built(project, "11-14/help") and "No one has reviewed this page yet." in built(
        project, "11-14/help")
    assert "Vérifiée par" not in built(project, "fr/7-10/convention")   # its own, unreviewed page


def test_editing_a_reviewed_page_makes_its_review_stale(project):
    cli(project, "record-review", PAGE, "--role", "legal", "--kind", "human", "--by", "A. Lawyer")
    page = project / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    check = cli(project, "check")
    assert check.returncode == 0
    warnings = [line for line in check.stdout.splitlines() if "changed after its last legal review" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"WARNING: {PAGE}: ")
    assert "site.py record-review docs/en/7-10/convention.md --role legal --kind human" in warnings[0]
    assert mkdocs_build(project).returncode == 0
    html = built(project, "7-10/convention")
    assert 'data-reviews="stale"' in html and "A. Lawyer" not in html
    rows = json.loads(cli(project, "status", "--json", str(project / "s.json")).returncode == 0
                      and (project / "s.json").read_text(encoding="utf-8"))["reviews"]
    assert next(r for r in rows if r["lang"] == "en" and r["section"] == "7-10")["legal"]["human"] == 0
    # recording the metadata does not count as an edit: a new review makes it current again
    cli(project, "record-review", PAGE, "--role", "legal", "--kind", "human", "--by", "A. Lawyer")
    assert "changed after" not in cli(project, "check").stdout


@pytest.mark.parametrize("args, message", [
    (["--role", "lawyer", "--kind", "human", "--by", "X"], "--role lawyer: not a review role"),
    (["--role", "legal", "--kind", "robot", "--by", "X"], "--kind robot: use human"),
    (["--role", "legal", "--kind", "human", "--by", "X", "--on", "2026-13-01"], "not a real date"),
    (["--role", "legal", "--kind", "human", "--by", "X", "--on", "2999-01-01"], "is in the future"),
    (["--role", "legal", "--kind", "human", "--by", " "], "--by: say who reviewed it"),
])
def test_record_review_bad_input(project, args, message):
    before = (project / PAGE).read_text(encoding="utf-8")
    result = cli(project, "record-review", PAGE, *args)
    assert result.returncode == 1 and len(errors(result)) == 1 and message in errors(result)[0]
    assert (project / PAGE).read_text(encoding="utf-8") == before


def test_record_review_of_a_missing_page(project):
    result = cli(project, "record-review", "docs/en/7-10/nothing.md", "--role", "legal", "--kind", "human",
                 "--by", "X")
    assert result.returncode == 1 and errors(result) == [
        "ERROR: docs/en/7-10/nothing.md: no such page; check the path"]


def test_review_record_with_an_unknown_role_is_one_clear_line(project):
    page = project / PAGE
    text = page.read_text(encoding="utf-8").replace(
        "---\n\n", "reviews:\n  - {role: vibes, kind: human, by: A. Person, on: 2026-12-01, fingerprint: abcdefabcdef}\n---\n\n", 1)
    page.write_text(text, encoding="utf-8")
    result = cli(project, "check")
    assert result.returncode == 1
    assert len(errors(result)) == 1 and PAGE in errors(result)[0] and "reviews.0.role" in errors(result)[0]


# ---- the contradiction guard -----------------------------------------------------------------

def write_child(project, lang, band, topic, planted):
    """The fixture page of that band with `planted` paragraphs added (its reading level barely moves)."""
    path = project / "docs" / lang / band / f"{topic if topic != 'home' else 'index'}.md"
    body = child_body(band).replace("\n## What can I do now?", "\n" + planted + "\n\n## What can I do now?", 1)
    path.write_text(child_page(f"{topic} {band}", topic, band, body=body), encoding="utf-8")
    return path


SAFE = "In danger, they may need to act."


def test_planted_contradiction_fails_check_and_build_with_one_line(project):
    write_child(project, "en", "7-10", "help", SAFE)
    write_child(project, "en", "7-10", "convention", "A helpline tells no one.")
    result = cli(project, "check")
    assert result.returncode == 1
    assert len(errors(result)) == 1, result.stdout
    line = errors(result)[0]
    assert line.startswith("ERROR: docs/en/7-10/convention.md:")
    assert "contradicts docs/en/7-10/help.md:" in line and "helpline-secrecy" in line and "data/rules/en.yml" in line
    build = mkdocs_build(project)
    assert build.returncode != 0 and "contradicts docs/en/7-10/help.md" in build.stdout + build.stderr
    assert "Traceback" not in build.stdout + build.stderr
    # Another band may say either thing: each band is read on its own.
    write_child(project, "en", "7-10", "convention", "A helpline can help.")
    assert cli(project, "check").returncode == 0


def test_images_of_yourself_must_not_be_kept_and_deleted_at_once(project):
    write_child(project, "en", "15-17", "help",
                "Never save, screenshot or forward a sexual image, including one of you.")
    write_child(project, "en", "15-17", "convention", "The image never leaves your device when you use the tool.")
    result = cli(project, "check")
    assert result.returncode == 1
    assert [line for line in errors(result) if "own-image" in line] == errors(result)
    assert "docs/en/15-17/help.md" in errors(result)[0]


def test_a_negated_instruction_does_not_count(project):
    write_child(project, "en", "11-14", "help",
                "You do not need to ask your parents first.\n\nYou can get help without a parent's permission.")
    assert cli(project, "check").returncode == 0
    write_child(project, "en", "11-14", "convention", "Ask your parents for permission before you call.")
    result = cli(project, "check")
    assert result.returncode == 1 and "parent-permission" in errors(result)[0]


def test_a_privacy_promise_needs_its_limit_in_the_same_paragraph(project):
    write_child(project, "en", "7-10", "help", "A helpline keeps what you say private.\n\n" + SAFE)
    result = cli(project, "check")
    assert result.returncode == 1
    assert len(errors(result)) == 1 and "helpline-privacy-limit" in errors(result)[0]
    assert errors(result)[0].startswith("ERROR: docs/en/7-10/help.md:")
    write_child(project, "en", "7-10", "help", "A helpline keeps what you say private. " + SAFE)
    assert cli(project, "check").returncode == 0


def test_rules_a_translator_extends_are_checked_in_their_language(project):
    (project / "data" / "rules" / "fr.yml").write_text(yaml.safe_dump({"rules": [
        {"id": "helpline-secrecy", "about": "ce que fait une ligne d'écoute",
         "a": {"says": "elle ne le dit à personne", "phrases": ["ne (le )?dit à personne"]},
         "b": {"says": "elle peut devoir chercher de l'aide", "phrases": ["en danger"]}}]},
        allow_unicode=True), encoding="utf-8")
    write_child(project, "fr", "11-14", "help", "La ligne ne le dit à personne.")
    write_child(project, "fr", "11-14", "convention", "Si tu es en danger, elle cherche de l'aide.")
    result = cli(project, "check")
    assert result.returncode == 1
    assert errors(result)[0].startswith("ERROR: docs/fr/11-14/help.md:") and "data/rules/fr.yml" in errors(result)[0]


def test_bad_rules_file_is_one_clear_line(project):
    (project / "data" / "rules" / "en.yml").write_text(
        "rules:\n  - id: broken\n    about: a broken pattern\n    a: {says: one, phrases: ['(unclosed']}\n"
        "    b: {says: two, phrases: [fine]}\n", encoding="utf-8")
    result = cli(project, "check")
    assert result.returncode == 1
    assert errors(result) == [line for line in errors(result) if "data/rules/en.yml" in line] and len(errors(result)) == 1
    assert "rules.0.a.phrases.0: not a valid pattern" in errors(result)[0]
    (project / "data" / "rules" / "en.yml").write_text("rules:\n  - id: x\n", encoding="utf-8")
    result = cli(project, "check")
    assert result.returncode == 1 and "data/rules/en.yml" in errors(result)[0]


def test_a_language_without_rules_is_reported(project):
    (project / "data" / "rules" / "en.yml").unlink()
    result = cli(project, "check")
    assert result.returncode == 0
    assert "WARNING: data/rules/en.yml: no contradiction rules for en" in result.stdout
