"""The content model: which pages exist, what their front matter says, and the band check.

Layout (band-first, so the URL carries language and band):
    docs/<lang>/index.md                start page ("How old are you?")
    docs/<lang>/<band>/<topic file>     child page, one per (language, band, topic)
    docs/<lang>/adults/<page>.md        adults' section (not a band)
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .data import ProjectData, schema_problems
from .problems import Problem

ADULTS = "adults"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
EXPECTED_FRONT_MATTER = "---, then title, topic, band, articles and summary, then ---"


@dataclass
class Page:
    path: Path
    rel: str
    lang: str
    kind: str                 # "child", "start" or "adults"
    band: str | None = None
    topic: str | None = None  # for child pages: the topic its file name stands for
    meta: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 0        # lines before the body (front matter), so body line numbers match the file

    @property
    def articles(self) -> list[int]:
        return list(self.meta.get("articles") or [])

    @property
    def untranslated(self) -> bool:
        """An English copy made by new-language, waiting for its translation."""
        return (self.meta.get("translation") or {}).get("status") == "untranslated"


@dataclass
class Inventory:
    pages: list[Page]
    problems: list[Problem]
    # matrix[lang][topic][band] -> "ok" | "missing" | "draft-missing"; only for target bands
    matrix: dict[str, dict[str, dict[str, str]]]

    def child_pages(self, lang: str | None = None) -> list[Page]:
        return [p for p in self.pages if p.kind == "child" and (lang is None or p.lang == lang)]

    def page(self, lang: str, band: str, topic: str) -> Page | None:
        return next((p for p in self.pages if p.kind == "child" and p.lang == lang
                     and p.band == band and p.topic == topic), None)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, line number where the front matter's YAML starts)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text, 0
    return m.group(1), text[m.end():], 2


def read_page(path: Path, rel: str) -> tuple[dict | None, str, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, "", [Problem(rel, f"cannot be read ({exc.strerror}); check its permissions")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, "", [Problem(rel, f"is not UTF-8 (byte {exc.start} cannot be read); re-save the file as UTF-8")]
    front, body, first_line = split_front_matter(text.lstrip("\ufeff"))
    if front is None:
        return None, text, [Problem(rel, f"has no front matter; start the file with {EXPECTED_FRONT_MATTER}", line=1)]
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else 1
        what = getattr(exc, "problem", None) or "invalid YAML"
        return None, body, [Problem(rel, f"front matter YAML error: {what}; fix the indentation, colons or quotes", line=line)]
    if not isinstance(meta, dict):
        return None, body, [Problem(rel, f"front matter must be key: value lines ({EXPECTED_FRONT_MATTER})", line=2)]
    for review in meta.get("reviews") or []:
        if isinstance(review, dict) and True in review:   # YAML 1.1 reads a bare `on:` key as true
            review["on"] = review.pop(True)
        if isinstance(review, dict) and isinstance(review.get("on"), dt.date):   # an unquoted date
            review["on"] = review["on"].isoformat()
    return meta, body, []


def _classify(path: Path, data: ProjectData) -> tuple[dict | None, Problem | None]:
    """Where a Markdown file sits in the model, or a problem saying why it cannot be placed."""
    layout = data.layout
    rel = layout.rel(path)
    parts = path.relative_to(layout.docs).parts
    codes = [lang.code for lang in data.languages]
    if len(parts) == 1:
        return None, Problem(rel, "pages live in a language folder (docs/<lang>/...); move it there")
    lang = parts[0]
    if lang not in codes:
        return None, Problem(f"docs/{lang}/", f"'{lang}' is not a language in data/languages.yml; add it "
                                              f"(python scripts/site.py new-language {lang}) or remove the folder")
    if len(parts) == 2:
        if parts[1] == "index.md":
            return {"lang": lang, "kind": "start"}, None
        return None, Problem(rel, f"a page directly in docs/{lang}/ must be index.md; move it into a band "
                                  "folder or adults/")
    folder = parts[1]
    if folder == ADULTS:
        return {"lang": lang, "kind": "adults"}, None
    if folder not in data.band_ids:
        return None, Problem(rel, f"unknown band folder '{folder}'; use one of {', '.join(data.band_ids)} "
                                  f"or {ADULTS}")
    if len(parts) > 3:
        return None, Problem(rel, f"child pages sit directly in docs/{lang}/{folder}/; move it up")
    topic = data.topic_by_file(parts[2])
    if topic is None:
        return None, Problem(rel, f"'{parts[2]}' is not a topic in data/topics.yml; add the topic there "
                                  "or rename the file to a listed one")
    return {"lang": lang, "kind": "child", "band": folder, "topic": topic.id}, None


def _check_meta(page: Page, data: ProjectData) -> list[Problem]:
    schema = data.layout.schemas / "page.schema.json"
    problems = schema_problems(page.meta, schema, page.rel, data.layout, ref=page.kind)
    if page.kind != "child":
        return problems
    band, topic = page.meta.get("band"), page.meta.get("topic")
    if band is not None and str(band) != page.band:
        problems.append(Problem(page.rel, f"front matter says band '{band}' but the file is in the "
                                          f"{page.band} folder; set band: \"{page.band}\" or move the file"))
    if topic is not None and topic != page.topic:
        problems.append(Problem(page.rel, f"front matter says topic '{topic}' but the file name is the "
                                          f"'{page.topic}' topic; set topic: {page.topic} or rename the file"))
    return problems


def scan(data: ProjectData) -> Inventory:
    """Read every page under docs/, check its place and front matter, and build the band matrix."""
    layout = data.layout
    problems: list[Problem] = []
    pages: list[Page] = []
    reported_folders: set[str] = set()
    if not layout.docs.is_dir():
        return Inventory([], [Problem("docs/", "the docs folder is missing; restore it from git")], {})
    for path in sorted(layout.docs.rglob("*.md")):
        place, problem = _classify(path, data)
        if problem:
            if problem.path.endswith("/"):
                if problem.path in reported_folders:
                    continue
                reported_folders.add(problem.path)
            problems.append(problem)
            continue
        rel = layout.rel(path)
        meta, body, read_problems = read_page(path, rel)
        page = Page(path, rel, place["lang"], place["kind"], place.get("band"), place.get("topic"),
                    meta or {}, body)
        if meta is not None:
            text = path.read_text(encoding="utf-8").lstrip("\ufeff")
            page.body_line = text[: len(text) - len(body)].count("\n")
        if read_problems:
            problems.extend(read_problems)
        else:
            problems.extend(_check_meta(page, data))
        pages.append(page)

    # Two files claiming the same (language, band, topic) in their front matter.
    claims = defaultdict(list)
    for page in pages:
        if page.kind == "child" and page.meta.get("topic"):
            claims[(page.lang, page.band, page.meta["topic"])].append(page.rel)
    for (lang, band, topic), rels in sorted(claims.items()):
        if len(rels) > 1:
            problems.append(Problem(rels[0], f"{len(rels)} files claim topic '{topic}' for ages {band} "
                                             f"in {lang}: {', '.join(rels)}; keep one"))

    matrix, missing = band_matrix(data, pages)
    problems.extend(missing)
    return Inventory(pages, problems, matrix)


def band_matrix(data: ProjectData, pages: list[Page]) -> tuple[dict, list[Problem]]:
    have = {(p.lang, p.band, p.topic) for p in pages if p.kind == "child" and not p.untranslated}
    untranslated = {(p.lang, p.band, p.topic) for p in pages if p.kind == "child" and p.untranslated}
    starts = {p.lang for p in pages if p.kind == "start"}
    layout = data.layout
    matrix: dict[str, dict[str, dict[str, str]]] = {}
    problems: list[Problem] = []
    default = data.site.source_language
    for lang in data.languages:
        severity = "error" if lang.published else "warning"
        fix = "" if lang.code == default else (
            f" (or set {lang.code} to status: draft in data/languages.yml until it is translated)"
            if lang.published else " (draft: reported only)")
        if lang.code not in starts:
            problems.append(Problem(layout.rel(layout.start_page(lang.code)),
                                    f"missing start page for {lang.code}; write it{fix}", severity))
        matrix[lang.code] = {}
        for topic in data.topics:
            row = matrix[lang.code][topic.id] = {}
            for band in lang.bands:
                if (lang.code, band, topic.id) in have:
                    row[band] = "ok"
                    continue
                if (lang.code, band, topic.id) in untranslated:
                    row[band] = "untranslated"   # check_translations reports it
                    continue
                row[band] = "missing"
                expected = layout.rel(layout.child_page(lang.code, band, topic.file))
                source = layout.rel(layout.child_page(default, band, topic.file))
                how = "write it" if lang.code == default else f"translate {source}"
                problems.append(Problem(expected, f"missing: no '{topic.id}' page for ages {band} in "
                                                  f"{lang.code}; {how}{fix}", severity))
    return matrix, problems


def format_matrix(data: ProjectData, inventory: Inventory) -> str:
    """The topic × band table per language, for people."""
    lines = []
    for lang in data.languages:
        rows = inventory.matrix.get(lang.code, {})
        done = sum(v == "ok" for r in rows.values() for v in r.values())
        total = sum(len(r) for r in rows.values())
        lines.append(f"{lang.code} ({lang.autonym}, {lang.status}): {done}/{total} pages")
        width = max([len(t.id) for t in data.topics] + [5])
        lines.append("  " + "topic".ljust(width) + "  " + "  ".join(b.ljust(7) for b in data.band_ids))
        for topic in data.topics:
            cells = []
            for band in data.band_ids:
                state = rows.get(topic.id, {}).get(band)
                cells.append({"ok": "✓", "missing": "missing", "untranslated": "to do", None: "—"}[state].ljust(7))
            lines.append("  " + topic.id.ljust(width) + "  " + "  ".join(cells).rstrip())
    return "\n".join(lines)
