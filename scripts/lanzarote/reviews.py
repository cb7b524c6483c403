"""Review records: who checked a page, in which role, how (by a person or an automated desk
review), and which version of the page they read.

A page's front matter may hold

    reviews:
      - {role: legal, kind: automated, by: "…", on: "2026-12-03", fingerprint: 1a2b3c4d5e6f}

`fingerprint` is taken from what a reader sees (title, summary, articles and the text), so
recording a review or a translation does not change it, and any edit to the text does. A review
whose fingerprint no longer matches is stale: `check` warns, and the page stops counting it.
Pages say "reviewed by …" only for reviews by people, and say plainly when only automated
reviews happened.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from .content import Inventory, Page, split_front_matter
from .data import ProjectData
from .problems import Problem

ROLES = ("child-protection", "legal", "language", "child-reader")
KINDS = ("human", "automated")
READER_FIELDS = ("title", "summary", "articles")   # front matter a reader sees


def fingerprint(meta: dict, body: str) -> str:
    """A short fingerprint of what a reviewer read: the text and the front matter a reader sees."""
    shown = {key: meta[key] for key in READER_FIELDS if key in meta}
    text = json.dumps(shown, sort_keys=True, ensure_ascii=False) + "\n" + body.replace("\r\n", "\n").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Review:
    role: str
    kind: str
    by: str
    on: str
    fingerprint: str
    notes: str | None = None

    @property
    def human(self) -> bool:
        return self.kind == "human"


def reviews_of(page: Page) -> list[Review]:
    """The page's review records (already validated by the page schema), oldest first."""
    found = []
    for entry in page.meta.get("reviews") or []:
        if isinstance(entry, dict) and {"role", "kind", "by", "on", "fingerprint"} <= set(entry):
            found.append(Review(entry["role"], entry["kind"], str(entry["by"]), str(entry["on"]),
                                str(entry["fingerprint"]), entry.get("notes")))
    return sorted(found, key=lambda r: r.on)


def page_fingerprint(page: Page) -> str:
    return fingerprint(page.meta, page.body)


def current_reviews(page: Page) -> list[Review]:
    """Reviews that read the page as it is now."""
    now = page_fingerprint(page)
    return [r for r in reviews_of(page) if r.fingerprint == now]


def latest_by_role(reviews: list[Review]) -> dict[str, Review]:
    latest: dict[str, Review] = {}
    for review in reviews:           # oldest first, so the last one per role wins
        latest[review.role] = review
    return latest


def check_reviews(data: ProjectData, inventory: Inventory, today: dt.date | None = None) -> list[Problem]:
    """Warn when a page changed after its last review in a role; reject impossible dates."""
    today = today or dt.date.today()
    problems = []
    for page in inventory.pages:
        reviews = reviews_of(page)
        if not reviews:
            continue
        for review in reviews:
            try:
                day = dt.date.fromisoformat(review.on)
            except ValueError:
                problems.append(Problem(page.rel, f"reviews: '{review.on}' is not a real date; write YYYY-MM-DD"))
                continue
            if day > today:
                problems.append(Problem(page.rel, f"reviews: {review.on} is in the future; write the day the "
                                                  "review happened"))
        now = page_fingerprint(page)
        for role, review in sorted(latest_by_role(reviews).items()):
            if review.fingerprint != now:
                problems.append(Problem(
                    page.rel, f"changed after its last {role} review ({review.kind}, {review.on}); have it "
                              f"reviewed again, then run python scripts/site.py record-review {page.rel} "
                              f"--role {role} --kind {review.kind} --by \"…\"", "warning"))
    return problems


def view_for(page: Page) -> dict:
    """What the page shows about its reviews (partials/lk-reviews.html)."""
    current = latest_by_role(current_reviews(page))
    human = [{"role": r.role, "by": r.by, "on": r.on} for r in current.values() if r.human]
    automated = [r for r in current.values() if not r.human]
    any_reviews = bool(reviews_of(page))
    return {
        "human": human,
        "automated_roles": [r.role for r in automated],
        "automated_on": max((r.on for r in automated), default=None),
        "stale": any_reviews and not current,
    }


def coverage(data: ProjectData, inventory: Inventory) -> list[dict]:
    """Per language and section (bands, start, adults): pages with a current review in each role."""
    rows = []
    for lang in data.languages:
        for section in list(lang.bands) + ["start", "adults"]:
            if section == "start":
                pages = [p for p in inventory.pages if p.lang == lang.code and p.kind == "start"]
            elif section == "adults":
                pages = [p for p in inventory.pages if p.lang == lang.code and p.kind == "adults"]
            else:
                pages = [p for p in inventory.child_pages(lang.code) if p.band == section]
            if not pages:
                continue
            row = {"lang": lang.code, "section": section, "pages": len(pages)}
            for role in ROLES:
                counts = {"human": 0, "automated": 0}
                for page in pages:
                    review = latest_by_role(current_reviews(page)).get(role)
                    if review is not None:
                        counts[review.kind] += 1
                row[role] = counts
            rows.append(row)
    return rows


def format_coverage(rows: list[dict]) -> str:
    """The coverage table for people: 'h/a' = pages with a current human / automated review."""
    out = [f"{'lang':5} {'section':8} {'pages':>5} " + " ".join(f"{r:>16}" for r in ROLES)]
    for row in rows:
        cells = " ".join(f"{row[r]['human']}h {row[r]['automated']}a".rjust(16) for r in ROLES)
        out.append(f"{row['lang']:5} {row['section']:8} {row['pages']:>5} {cells}")
    out.append("h = reviewed by a person, a = automated review only; counts pages whose current text was reviewed")
    return "\n".join(out)


def record_review(data: ProjectData, path: Path, role: str, kind: str, by: str,
                  on: str | None = None, notes: str | None = None, today: dt.date | None = None) -> str:
    """Add a review record for the page as it is now. Raises ValueError with one clear line."""
    from .translation import _write_front_matter

    layout = data.layout
    rel = layout.rel(path)
    if role not in ROLES:
        raise ValueError(f"--role {role}: not a review role; use one of {', '.join(ROLES)}")
    if kind not in KINDS:
        raise ValueError(f"--kind {kind}: use human (a person reviewed it) or automated (a desk review by a program)")
    if not (by or "").strip():
        raise ValueError("--by: say who reviewed it (a name, an organisation, or which automated review)")
    day = on or (today or dt.date.today()).isoformat()
    try:
        parsed = dt.date.fromisoformat(day)
    except ValueError:
        raise ValueError(f"--on {day}: not a real date; write YYYY-MM-DD")
    if parsed > (today or dt.date.today()):
        raise ValueError(f"--on {day}: is in the future; write the day the review happened")
    try:
        path.resolve().relative_to(layout.docs.resolve())
    except ValueError:
        raise ValueError(f"{rel}: not a page under docs/; give the path of a page")
    if not path.exists():
        raise ValueError(f"{rel}: no such page; check the path")
    text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    front, body, _ = split_front_matter(text)
    try:
        meta = yaml.safe_load(front) if front else None
    except yaml.YAMLError:
        meta = None
    for review in (meta or {}).get("reviews") or [] if isinstance(meta, dict) else []:
        if isinstance(review, dict) and True in review:   # a bare `on:` key, as YAML 1.1 reads it
            review["on"] = review.pop(True)
    if not isinstance(meta, dict):
        raise ValueError(f"{rel}: front matter is missing or unreadable; fix it first (site.py check)")
    entry = {"role": role, "kind": kind, "by": by.strip(), "on": day, "fingerprint": fingerprint(meta, body)}
    if notes:
        entry["notes"] = notes
    meta["reviews"] = list(meta.get("reviews") or []) + [entry]
    _write_front_matter(path, meta, body)
    return f"{rel}: recorded a {kind} {role} review by {by.strip()} on {day} ({entry['fingerprint']})"
