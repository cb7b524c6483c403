"""Search in the reader's own language, loaded only when the reader asks for it.

Material's search plugin indexes every page (one entry per page and per section) and
static-i18n merges every language into one site/search/search_index.json, which Material's
JavaScript fetched on every page load. Instead, after the build:

  * the merged index is split by language into <language root>/search/search_index.js
    (a script, not JSON, so that it also loads from file:// in the offline bundle), with plain
    text (no HTML) and only that language's translated pages; the merged file is removed;
  * lunr.js (from the pinned mkdocs package) is copied next to the lunr language files that
    Material ships, and each page names the scripts its language needs (partials/lk-search.html);
  * overrides/assets/javascripts/lk-search.js (a few lines, on every page) loads
    lk-search-results.js on the reader's first touch of the search box, which loads them and
    lists the reader's age band first.

Stemming: a language gets lunr's stemmer for exactly its own code (or `search_language` in
data/languages.yml); no stemmer at all where none exists (uk, ka), never another language's
(MkDocs would quietly turn `uk` into the Russian stemmer). English uses lunr's built-in one.
"""
from __future__ import annotations

import html
import json
import logging
import re
import shutil
from pathlib import Path

from .content import ADULTS

log = logging.getLogger("mkdocs.hooks.lanzarote.search")

INDEX_NAME = "search/search_index.js"        # under each language's root
MERGED_INDEX = "search/search_index.json"     # static-i18n's merged index: removed after the split
LUNR_DIR = "assets/javascripts/lunr"          # Material ships lunr/min/lunr.<code>.min.js here
LUNR_CORE = f"{LUNR_DIR}/lunr.js"
STEMMER_SUPPORT = f"{LUNR_DIR}/min/lunr.stemmer.support.min.js"
RESULTS_SCRIPT = "assets/javascripts/lk-search-results.js"   # overrides/assets/javascripts/
GLOBAL = "__lkSearchIndex"
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
# Languages whose lunr file needs a word segmenter we do not ship (ja, th, zh): no stemmer.
_NEEDS_SEGMENTER = {"ja", "jp", "th", "zh"}


def lunr_core_source() -> Path:
    """lunr.js as the pinned mkdocs package ships it (MIT licence, version 2.3.9)."""
    import mkdocs.contrib.search as mkdocs_search

    return Path(mkdocs_search.__file__).parent / "templates" / "search" / "lunr.js"


def material_stemmers() -> set[str]:
    """Language codes for which Material ships a lunr language file."""
    import material

    folder = Path(material.__file__).parent / "templates" / LUNR_DIR / "min"
    names = (p.name[len("lunr."):-len(".min.js")] for p in folder.glob("lunr.*.min.js"))
    return {n for n in names if re.fullmatch(r"[a-z]{2}", n)} - _NEEDS_SEGMENTER


def stemmer_for(code: str, search_language: str | None = None) -> str | None:
    """The lunr stemmer for a language: "en" (built into lunr), its own code where Material ships
    lunr.<code>.min.js, or None (tokens are only lower-cased and trimmed). Never a neighbour's."""
    wanted = search_language or code
    if wanted == "en":
        return "en"
    return wanted if wanted in material_stemmers() else None


def language_root(code: str, default: str) -> str:
    return "" if code == default else f"{code}/"


def scripts_for(stemmer: str | None) -> list[str]:
    """Site paths of the scripts the search needs, in load order."""
    scripts = [LUNR_CORE]
    if stemmer and stemmer != "en":
        scripts += [STEMMER_SUPPORT, f"{LUNR_DIR}/min/lunr.{stemmer}.min.js"]
    return scripts


# ---- the page side ------------------------------------------------------------------------

def page_config(code: str, default: str, search_language: str | None, section: str | None,
                bands: list[str]) -> dict:
    """What partials/lk-search.html writes into the page (paths from the site root).
    `section` is the reader's band (or the adults' section): its results come first."""
    stemmer = stemmer_for(code, search_language)
    return {"lang": code, "stemmer": stemmer, "section": section, "bands": list(bands), "adults": ADULTS,
            "index": language_root(code, default) + INDEX_NAME, "scripts": scripts_for(stemmer),
            "results": RESULTS_SCRIPT}


def on_page_context(context, page, config):
    """Add `lk_search` to the template context (after site_hooks set `lk`)."""
    i18n = config.plugins.get("i18n")
    state = getattr(i18n, "_lanzarote_state", None) if i18n is not None else None
    lk = context.get("lk")
    if state is None or not lk:
        return context
    code = lk["lang"]
    lang = state.data.language(code)
    section = lk.get("band") or (ADULTS if lk.get("kind") == "adults" else None)
    context["lk_search"] = page_config(code, state.data.site.default_language,
                                       getattr(lang, "search_language", None), section, state.data.band_ids)
    if (page.meta.get("translation") or {}).get("status") == "untranslated":
        _untranslated(i18n).add(page.url)    # an English copy: kept out of this language's index
    return context


def _untranslated(i18n) -> set:
    found = getattr(i18n, "_lanzarote_untranslated", None)
    if found is None:
        found = i18n._lanzarote_untranslated = set()
    return found


# ---- the build side -----------------------------------------------------------------------

def plain(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text or ""))).strip()


def split_index(merged: dict, codes: list[str], default: str, skip: set[str] = frozenset()) -> dict[str, list[dict]]:
    """Entries by language, locations relative to the language's root, text without HTML.
    Sections carry their page's title (`page`). Entries of pages in `skip` (URLs) are dropped."""
    others = [c for c in codes if c != default]
    buckets: dict[str, list[dict]] = {c: [] for c in codes}
    for doc in merged.get("docs", []):
        location = doc.get("location", "")
        if location.split("#", 1)[0] in skip:
            continue
        head = location.split("/", 1)[0]
        code = head if head in others else default
        if code not in buckets:
            continue
        rel = location[len(code) + 1:] if code != default else location
        buckets[code].append({"location": rel, "title": plain(doc.get("title", "")),
                              "text": plain(doc.get("text", ""))})
    for docs in buckets.values():
        titles = {d["location"]: d["title"] for d in docs if "#" not in d["location"]}
        for d in docs:
            path, _, anchor = d["location"].partition("#")
            if anchor and titles.get(path) and titles[path] != d["title"]:
                d["page"] = titles[path]
    return buckets


def index_script(code: str, stemmer: str | None, docs: list[dict]) -> str:
    payload = {"lang": code, "stemmer": stemmer, "docs": docs}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # Inside a script, "</" could end it early in HTML; the file is loaded by src, but stay safe.
    text = text.replace("</", "<\\/")
    return f"window.{GLOBAL}={text};\n"


def write_indexes(site_dir: Path, buckets: dict[str, list[dict]], default: str, stemmers: dict) -> dict:
    """Write each language's index script; returns {code: (path, bytes)}."""
    written = {}
    for code, docs in buckets.items():
        path = site_dir / language_root(code, default) / INDEX_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        data = index_script(code, stemmers.get(code), docs).encode("utf-8")
        path.write_bytes(data)
        written[code] = (path, len(data))
    return written


def copy_lunr(site_dir: Path) -> None:
    target = site_dir / LUNR_CORE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(lunr_core_source(), target)


def on_post_build(config) -> None:
    """After static-i18n merged every language's entries: one index per language."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:   # a nested language build: not merged yet
        return
    state = getattr(i18n, "_lanzarote_state", None) if i18n is not None else None
    if state is None:
        return
    site_dir = Path(config["site_dir"])
    merged_path = site_dir / MERGED_INDEX
    if not merged_path.exists():
        log.warning(f"search: {MERGED_INDEX} was not written; keep `- search` under plugins in mkdocs.yml")
        return
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    data = state.data
    codes = list(i18n.build_languages)                 # what this build made (--languages, --drafts)
    languages = [data.language(code) for code in codes]
    default = data.site.default_language
    buckets = split_index(merged, codes, default, _untranslated(i18n))
    stemmers = {lang.code: stemmer_for(lang.code, lang.search_language) for lang in languages}
    written = write_indexes(site_dir, buckets, default, stemmers)
    copy_lunr(site_dir)
    merged_path.unlink()
    log.info("search: one index per language: " + ", ".join(
        f"{code} {len(buckets[code])} entries {size // 1024} KB (stemmer: {stemmers[code] or 'none'})"
        for code, (_, size) in written.items()))
