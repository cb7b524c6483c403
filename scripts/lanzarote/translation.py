"""Translations: which version of the English page each translation was made from, whether the
English has changed since (stale), who translated and reviewed it, and adding a new language.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from .content import Inventory, Page, split_front_matter
from .data import ProjectData, material_languages
from .problems import Problem

RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi", "ps", "ckb", "dv"}
CODE = re.compile(r"^[a-z]{2}$")


def source_hash(path: Path) -> str:
    """A short fingerprint of an English page: any edit to it changes the fingerprint."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def source_of(data: ProjectData, page: Page) -> Path:
    rel = page.path.relative_to(data.layout.docs / page.lang)
    return data.layout.docs / data.site.source_language / rel


@dataclass
class PageState:
    page: Page
    state: str            # "translated", "reviewed", "stale", "untranslated", "no record"
    source: Path | None


def page_state(data: ProjectData, page: Page) -> PageState:
    source = source_of(data, page)
    info = page.meta.get("translation") or {}
    if info.get("status") == "untranslated":
        return PageState(page, "untranslated", source)
    if not info.get("source_hash"):
        return PageState(page, "no record", source)
    if source.exists() and info["source_hash"] != source_hash(source):
        return PageState(page, "stale", source)
    return PageState(page, "reviewed" if info.get("reviewed_by") else "translated", source)


def check_translations(data: ProjectData, inventory: Inventory) -> list[Problem]:
    problems = []
    default = data.site.source_language
    for page in inventory.pages:
        if page.lang == default or not page.meta:
            continue
        lang = data.language(page.lang)
        state = page_state(data, page)
        rel_source = data.layout.rel(state.source)
        if state.state == "stale":
            problems.append(Problem(page.rel, f"stale: {rel_source} has changed since this translation; update "
                                              f"it, then run python scripts/site.py mark-translated {page.rel}",
                                    "warning"))
        elif state.state == "untranslated":
            problems.append(Problem(page.rel, f"not translated yet (English copy of {rel_source}); translate it, "
                                              f"then run python scripts/site.py mark-translated {page.rel}",
                                    "error" if lang.published else "warning"))
        elif state.state == "no record":
            problems.append(Problem(page.rel, "no record of which English version this translates; run "
                                              f"python scripts/site.py mark-translated {page.rel}", "warning"))
    return problems


def status_table(data: ProjectData, inventory: Inventory) -> list[dict]:
    """Per language and band (and adults): counts of translated / reviewed / stale / untranslated / missing."""
    rows = []
    default = data.site.source_language
    for lang in data.languages:
        if lang.code == default:
            continue
        for section in list(lang.bands) + ["adults"]:
            counts = {"translated": 0, "reviewed": 0, "stale": 0, "untranslated": 0, "no record": 0, "missing": 0}
            if section == "adults":
                sources = sorted((data.layout.docs / default / "adults").glob("*.md"))
                own = {p.path.name: p for p in inventory.pages if p.lang == lang.code and p.kind == "adults"}
            else:
                sources = [data.layout.child_page(default, section, t.file) for t in data.topics]
                own = {p.path.name: p for p in inventory.child_pages(lang.code) if p.band == section}
            for source in sources:
                page = own.get(source.name)
                counts["missing" if page is None else page_state(data, page).state] += 1
            rows.append({"lang": lang.code, "section": section, "status": lang.status, **counts,
                         "total": len(sources)})
    return rows


def format_status(rows: list[dict]) -> str:
    cols = ("translated", "reviewed", "stale", "untranslated", "no record", "missing")
    out = [f"{'lang':5} {'section':8} " + " ".join(f"{c:>12}" for c in cols)]
    for r in rows:
        out.append(f"{r['lang']:5} {r['section']:8} " + " ".join(f"{r[c]:>12}" for c in cols))
    return "\n".join(out)


class _FrontMatterDumper(yaml.SafeDumper):
    """Keeps front matter as writers write it: short lists inline, band ids quoted."""


_FrontMatterDumper.add_representer(list, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", v, flow_style=all(isinstance(x, (int, str)) for x in v)))
_FrontMatterDumper.add_representer(str, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:str", v, style='"' if re.fullmatch(r"\d+-\d+|\d{4}-\d{2}-\d{2}", v) else None))


def _write_front_matter(path: Path, meta: dict, body: str) -> None:
    front = yaml.dump(meta, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def mark_translated(data: ProjectData, path: Path, reviewed_by: str | None = None,
                    translated_by: str | None = None, today: dt.date | None = None) -> str:
    """Record that `path` now translates the current English page. Returns a message line."""
    today = (today or dt.date.today()).isoformat()
    layout = data.layout
    rel = layout.rel(path)
    try:
        parts = path.resolve().relative_to(layout.docs.resolve()).parts
    except ValueError:
        raise ValueError(f"{rel}: not a page under docs/; give the path of a translated page")
    if not path.exists():
        raise ValueError(f"{rel}: no such page; check the path")
    if parts[0] == data.site.source_language or data.language(parts[0]) is None:
        raise ValueError(f"{rel}: not a translation (docs/<lang>/... of a language other than "
                         f"{data.site.source_language})")
    text = path.read_text(encoding="utf-8")
    front, body, _ = split_front_matter(text)
    meta = yaml.safe_load(front) if front else None
    if not isinstance(meta, dict):
        raise ValueError(f"{rel}: front matter is missing or unreadable; fix it first (site.py check)")
    source = layout.docs / data.site.source_language / Path(*parts[1:])
    if not source.exists():
        raise ValueError(f"{rel}: there is no English page {layout.rel(source)} to translate from")
    info = dict(meta.get("translation") or {})
    info.pop("status", None)
    info.setdefault("method", "human translation")
    if translated_by:
        info["translated_by"] = translated_by
    info.setdefault("translated_by", "unknown")
    info["translated_on"] = today
    if reviewed_by:
        info["reviewed_by"] = reviewed_by
        info["reviewed_on"] = today
    info.setdefault("reviewed_by", None)
    info["source_hash"] = source_hash(source)
    meta["translation"] = info
    _write_front_matter(path, meta, body)
    return f"{rel}: marked as translating {layout.rel(source)} ({info['source_hash']})"


def new_language(data: ProjectData, code: str, autonym: str | None = None, direction: str | None = None,
                 theme_language: str | None = None) -> list[str]:
    """Add a draft language: data entry, UI strings and terms to translate, English pages marked
    untranslated. Raises ValueError with one clear line when it cannot."""
    layout = data.layout
    if not CODE.match(code or ""):
        raise ValueError(f"'{code}' is not a two-letter ISO 639-1 language code (e.g. uk, tr, ka, ar)")
    if data.language(code):
        raise ValueError(f"{code} is already in data/languages.yml")
    folder = layout.docs / code
    if folder.exists():
        raise ValueError(f"docs/{code}/ already exists; remove it or add the language by hand")
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code)
        name = locale.get_display_name("en") or code
        autonym = autonym or locale.get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        name = code
        autonym = autonym or code
    direction = direction or ("rtl" if code in RTL_LANGUAGES else "ltr")
    notes = []
    theme = theme_language or code
    if theme not in material_languages() and not (layout.overrides / "partials" / "languages" / f"{theme}.html").exists():
        notes.append(f"Material has no UI translation '{theme}': buttons fall back to English; set "
                     f"theme_language for {code} in data/languages.yml to the closest language it has")
        theme = "en"
    import pyphen

    dictionary = pyphen.language_fallback(code)
    default = data.site.source_language
    languages_file = layout.data / "languages.yml"
    current = languages_file.read_text(encoding="utf-8")
    # Append in the file's own indentation, so its comments and layout stay as maintainers wrote them.
    found = re.search(r"^([ \t]*)- code:", current, re.M)
    pad = found.group(1) if found else "  "
    import json

    fields = [("code", code), ("autonym", json.dumps(autonym, ensure_ascii=False)), ("name", json.dumps(name)), ("direction", direction),
              ("status", "draft"), ("theme_language", theme), ("dictionary", dictionary or "null")]
    entry = "".join((f"{pad}- " if i == 0 else f"{pad}  ") + f"{key}: {value}\n" for i, (key, value) in enumerate(fields))
    entry += f"{pad}  # ceilings: calibrate against English once pages are translated (see fr)\n"
    updated = current + ("" if current.endswith("\n") else "\n") + entry
    if not any(item.get("code") == code for item in (yaml.safe_load(updated) or {}).get("languages", [])):
        raise ValueError("data/languages.yml: could not add the entry safely; add it by hand")
    try:
        languages_file.write_text(updated, encoding="utf-8")
        # Child pages and the start page; the adults' section may stay in English (linked from the
        # start page) until an organisation translates it.
        shutil.copytree(layout.docs / default, folder, ignore=lambda d, names: ["adults"] if Path(d) == layout.docs / default else [])
        for page in folder.rglob("*.md"):
            text = page.read_text(encoding="utf-8")
            front, body, _ = split_front_matter(text)
            meta = yaml.safe_load(front) or {}
            meta["translation"] = {"status": "untranslated"}
            _write_front_matter(page, meta, body)
        strings = layout.strings / f"{code}.yml"
        if not strings.exists():
            strings.write_text(f"# UI strings for {name} ({autonym}): translate every text (keys stay as they are).\n"
                               + (layout.strings / "en.yml").read_text(encoding="utf-8"), encoding="utf-8")
        terms = layout.data / "terms" / f"{code}.yml"
        if not terms.exists():
            terms.write_text(f"# Words to avoid in {name}, with what to say instead (see data/terms/en.yml).\n"
                             "terms: []\n", encoding="utf-8")
    except PermissionError as exc:
        # leave the project as it was
        if languages_file.read_text(encoding="utf-8") != current:
            try:
                languages_file.write_text(current, encoding="utf-8")
            except OSError:
                pass
        shutil.rmtree(folder, ignore_errors=True)
        raise ValueError(f"{layout.rel(Path(exc.filename or layout.root))}: cannot write there (permission "
                         "denied); run from a copy you can write to")
    pages = len(list(folder.rglob("*.md")))
    return [f"added {code} ({autonym}) as a draft to data/languages.yml",
            f"copied {pages} English pages to docs/{code}/, each marked untranslated (the adults' section "
            "stays in English until you copy and translate it)",
            f"UI strings to translate: data/strings/{code}.yml; terms to avoid: data/terms/{code}.yml"] + notes
