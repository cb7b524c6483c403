"""Build small, throw-away copies of the project for tests: the real mkdocs.yml, overrides,
schemas, strings and scripts, with a few pages and the data a test chooses."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BANDS = ("7-10", "11-14", "15-17")
TOPICS = [{"id": "home", "file": "index.md"}, {"id": "convention", "file": "convention.md"},
          {"id": "help", "file": "help.md"}]

# Fixture prose: one short sentence per paragraph (too short for language detection), harder
# with each band so the reading-level gates pass: 3, 5 and 7 words a sentence.
BAND_SENTENCES = {
    "7-10": ["You are safe.", "You can tell.", "It is fine.", "Ask a grown-up."],
    "11-14": ["You can always tell someone.", "Helplines listen to young people.",
              "Pressure online is never okay.", "Report messages that worry you."],
    "15-17": ["Countries promised to protect every single child.",
              "Courts keep your name and picture private.",
              "Helplines listen and never judge young people.",
              "Telling someone you trust is always allowed."],
}
FIXTURE_CEILINGS = {"7-10": {"lix": 35, "mean_sentence": 12}, "11-14": {"lix": 45, "mean_sentence": 15.5},
                    "15-17": {"lix": 70, "mean_sentence": 17.5}}


def child_body(band: str) -> str:
    sentences = BAND_SENTENCES.get(band, BAND_SENTENCES["11-14"])
    return ("\n## What is this page about?\n\n" + "\n\n".join(sentences) +
            "\n\n## What can I do now? { .next-step }\n\n- Tell an adult you trust.\n"
            "- Read [the help page](help.md).\n")


def child_page(title: str, topic: str, band: str, articles=(1,), body: str | None = None) -> str:
    body = child_body(band) if body is None else body
    meta = {"title": title, "topic": topic, "band": band, "articles": list(articles),
            "summary": f"A test page about {topic}."}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def start_page(title: str = "Start") -> str:
    return f"---\ntitle: {title}\nsummary: The start page.\n---\n\nPick your age below.\n"


def make_project(root: Path, languages=None, topics=None, help_files=True) -> Path:
    """A complete small project under `root`; returns root."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "scripts").symlink_to(REPO / "scripts")
    data = root / "data"
    data.mkdir()
    shutil.copytree(REPO / "data" / "schema", data / "schema")
    shutil.copytree(REPO / "data" / "strings", data / "strings")
    for name in ("age_bands.yml", "site.yml", "parties.yml"):
        shutil.copy(REPO / "data" / name, data / name)
    shutil.copytree(REPO / "data" / "terms", data / "terms")
    shutil.copytree(REPO / "data" / "rules", data / "rules")
    if help_files:
        shutil.copytree(REPO / "data" / "help", data / "help")
    topics = topics or TOPICS
    (data / "topics.yml").write_text(yaml.safe_dump({"topics": topics}, sort_keys=False), encoding="utf-8")
    languages = languages or [
        {"code": "en", "autonym": "English", "name": "English", "direction": "ltr",
         "status": "published", "theme_language": "en", "dictionary": "en_US"},
        {"code": "fr", "autonym": "Français", "name": "French", "direction": "ltr",
         "status": "published", "theme_language": "fr", "dictionary": "fr", "ceilings": FIXTURE_CEILINGS},
    ]
    (data / "languages.yml").write_text(yaml.safe_dump({"languages": languages}, allow_unicode=True,
                                                       sort_keys=False), encoding="utf-8")
    for lang in languages:
        write_language_pages(root, lang["code"], topics, lang.get("bands") or BANDS)
    return root


def write_language_pages(root: Path, code: str, topics=None, bands=BANDS) -> None:
    docs = root / "docs" / code
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(start_page(f"Start {code}"), encoding="utf-8")
    for band in bands:
        (docs / band).mkdir(exist_ok=True)
        for topic in topics or TOPICS:
            (docs / band / topic["file"]).write_text(
                child_page(f"{topic['id']} {band} {code}", topic["id"], band), encoding="utf-8")


def run(args: list[str], cwd: Path, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run(args, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)


def site_cli(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run([sys.executable, str(REPO / "scripts" / "site.py"), "--root", str(root), *args], REPO, env)


def mkdocs_build(root: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                "-d", str(root / "site")], root, env)
