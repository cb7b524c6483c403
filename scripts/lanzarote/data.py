"""The project's data files (data/*.yml): read, validate against data/schema/, and typed.

Bad data never raises a traceback at users: each problem becomes one line naming the file.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from .paths import Layout
from .problems import DataError, Problem

MATERIAL_FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Band:
    id: str
    ages_from: int
    ages_to: int
    ceilings: dict
    words: dict


@dataclass(frozen=True)
class Topic:
    id: str
    file: str


@dataclass(frozen=True)
class Language:
    code: str
    autonym: str
    name: str
    direction: str
    status: str
    bands: tuple[str, ...]
    theme_language: str
    dictionary: str | None
    search_language: str | None = None
    ceilings: dict = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return self.status == "published"


@dataclass(frozen=True)
class Site:
    default_language: str      # served at the site root
    home_country: str | None
    quick_exit_url: str
    source_language: str = "en"   # what translations are made from (data/site.yml default_language)


@dataclass
class ProjectData:
    bands: list[Band]
    topics: list[Topic]
    languages: list[Language]
    site: Site
    strings: dict[str, dict[str, str]]
    layout: Layout

    @property
    def band_ids(self) -> list[str]:
        return [b.id for b in self.bands]

    def band(self, band_id: str) -> Band:
        return next(b for b in self.bands if b.id == band_id)

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    def topic_by_file(self, file: str) -> Topic | None:
        return next((t for t in self.topics if t.file == file), None)

    def string(self, lang: str, key: str) -> str:
        """A UI string in `lang`; English when missing (check reports the gap, never a blank)."""
        own = self.strings.get(lang, {})
        return own.get(key) or self.strings.get("en", {}).get(key, key)

    def built_languages(self, include_drafts: bool = False) -> list[Language]:
        return [lang for lang in self.languages if lang.published or include_drafts]


def read_yaml(path: Path, layout: Layout) -> tuple[object, list[Problem]]:
    rel = layout.rel(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(rel, "file is missing; restore it from git or create it")]
    except OSError as exc:
        return None, [Problem(rel, f"cannot be read ({exc.strerror}); check its permissions")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(rel, f"is not UTF-8 (byte {exc.start}); re-save it as UTF-8")]
    try:
        return yaml.safe_load(text), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or "invalid YAML"
        return None, [Problem(rel, f"YAML syntax error: {what}; fix the indentation, colons or quotes there", line=line)]


@lru_cache(maxsize=None)
def _schema(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def schema_problems(value: object, schema_path: Path, rel: str, layout: Layout,
                    ref: str | None = None) -> list[Problem]:
    """Validate `value` against a schema file (or one of its $defs); one line per error."""
    schema = _schema(schema_path)
    if ref:
        schema = {"$ref": f"#/$defs/{ref}", "$defs": schema["$defs"]}
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for err in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path))):
        where = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        problems.append(Problem(rel, f"{where}: {_plain(err)}; see {layout.rel(schema_path)}"))
    return problems


def _plain(err: jsonschema.ValidationError) -> str:
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field")
    if err.validator in ("minimum", "maximum") and isinstance(err.instance, int):
        bound = err.validator_value
        return f"{err.instance} is {'below' if err.validator == 'minimum' else 'above'} the allowed {bound}"
    return err.message


def _load_checked(name: str, schema: str, layout: Layout) -> tuple[object, list[Problem]]:
    path = layout.data / name
    value, problems = read_yaml(path, layout)
    if problems:
        return None, problems
    problems = schema_problems(value, layout.schemas / schema, layout.rel(path), layout)
    return (None if problems else value), problems


def material_languages() -> set[str]:
    """UI translations Material ships (partials/languages/<code>.html)."""
    import material  # imported here so data checks work without the theme in unit tests

    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return {p.stem for p in folder.glob("*.html")}


def theme_language_for(lang: Language, layout: Layout) -> tuple[str, Problem | None]:
    """The Material UI language to use for `lang`, falling back to English with a warning."""
    wanted = lang.theme_language
    own = {p.stem for p in (layout.overrides / "partials" / "languages").glob("*.html")}
    if wanted in material_languages() or wanted in own:
        return wanted, None
    return MATERIAL_FALLBACK_LANGUAGE, Problem(
        "data/languages.yml",
        f"{lang.code}: Material has no UI translation '{wanted}'; buttons fall back to "
        f"'{MATERIAL_FALLBACK_LANGUAGE}'. Set theme_language to the closest language it has "
        f"(e.g. hr for bs) or add overrides/partials/languages/{wanted}.html",
        severity="warning")


def load_project(layout: Layout | None = None) -> tuple[ProjectData, list[Problem]]:
    """Read and validate every data file. Raises DataError when the data cannot be used."""
    layout = layout or Layout()
    problems: list[Problem] = []
    bands_raw, p1 = _load_checked("age_bands.yml", "age_bands.schema.json", layout)
    topics_raw, p2 = _load_checked("topics.yml", "topics.schema.json", layout)
    langs_raw, p3 = _load_checked("languages.yml", "languages.schema.json", layout)
    site_raw, p4 = _load_checked("site.yml", "site.schema.json", layout)
    problems = p1 + p2 + p3 + p4
    if problems:
        raise DataError(problems)

    bands = [Band(b["id"], b["ages"]["from"], b["ages"]["to"], b["ceilings"], b.get("words", {}))
             for b in bands_raw["bands"]]
    band_ids = [b.id for b in bands]
    topics = [Topic(t["id"], t["file"]) for t in topics_raw["topics"]]
    for kind, ids in (("band", band_ids), ("topic", [t.id for t in topics]),
                      ("topic file", [t.file for t in topics])):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            src = "data/age_bands.yml" if kind == "band" else "data/topics.yml"
            problems.append(Problem(src, f"{kind} {', '.join(dupes)} listed twice; keep one"))

    languages = []
    for entry in langs_raw["languages"]:
        unknown = [b for b in entry.get("bands", []) if b not in band_ids]
        if unknown:
            problems.append(Problem("data/languages.yml",
                                    f"{entry['code']}: unknown band(s) {', '.join(unknown)}; use {', '.join(band_ids)}"))
        languages.append(Language(
            code=entry["code"], autonym=entry["autonym"], name=entry["name"],
            direction=entry["direction"], status=entry["status"],
            bands=tuple(entry.get("bands") or band_ids),
            theme_language=entry.get("theme_language") or entry["code"],
            dictionary=entry.get("dictionary"), search_language=entry.get("search_language"),
            ceilings=entry.get("ceilings") or {}))
    codes = [lang.code for lang in languages]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        problems.append(Problem("data/languages.yml", f"language {', '.join(dupes)} listed twice; keep one entry"))

    source_language = site_raw["default_language"]
    site_raw, languages, override_problems = apply_host_settings(site_raw, languages, codes)
    problems += override_problems
    site = Site(site_raw["default_language"], site_raw.get("home_country"), site_raw["quick_exit_url"],
                source_language)
    default = next((lang for lang in languages if lang.code == site.default_language), None)
    if default is None:
        problems.append(Problem("data/site.yml", f"default_language '{site.default_language}' is not in "
                                                 "data/languages.yml; use one of " + ", ".join(codes)))
    elif not default.published:
        problems.append(Problem("data/site.yml", f"default_language '{site.default_language}' is a draft; "
                                                 "choose a published language"))
    if problems:
        raise DataError(problems)

    strings, string_problems = load_strings(layout, languages)
    data = ProjectData(bands, topics, languages, site, strings, layout)
    return data, string_problems


# Settings an organisation hosting its own copy can give at build time instead of editing
# data/site.yml (site.py build --languages/--default-language/--country/--quick-exit-url).
HOST_ENV = {"languages": "LANZAROTE_LANGUAGES", "default_language": "LANZAROTE_DEFAULT_LANGUAGE",
            "home_country": "LANZAROTE_HOME_COUNTRY", "quick_exit_url": "LANZAROTE_QUICK_EXIT_URL"}


def apply_host_settings(site_raw: dict, languages: list[Language], codes: list[str]):
    import dataclasses
    import os
    import re

    problems = []
    site_raw = dict(site_raw)
    where = "build settings"
    for key in ("default_language", "home_country", "quick_exit_url"):
        value = os.environ.get(HOST_ENV[key])
        if value:
            site_raw[key] = value.upper() if key == "home_country" else value
    if site_raw.get("home_country") and not re.fullmatch(r"[A-Z]{2}", site_raw["home_country"]):
        problems.append(Problem(where, f"country '{site_raw['home_country']}' is not a two-letter ISO code (e.g. DE)"))
    if not re.fullmatch(r"https?://\S+", site_raw["quick_exit_url"]):
        problems.append(Problem(where, f"quick-exit URL '{site_raw['quick_exit_url']}' must start with https://"))
    chosen = os.environ.get(HOST_ENV["languages"])
    if chosen:
        wanted = [c.strip() for c in chosen.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in codes]
        if unknown:
            problems.append(Problem(where, f"language(s) {', '.join(unknown)} not in data/languages.yml; "
                                           f"choose from {', '.join(codes)}"))
        # Languages left out are not published in this copy (reported like drafts, never built).
        languages = [lang if lang.code in wanted else dataclasses.replace(lang, status="draft")
                     for lang in languages]
    return site_raw, languages, problems


def load_strings(layout: Layout, languages: list[Language]) -> tuple[dict, list[Problem]]:
    """UI strings per language. English is the reference set of keys."""
    problems: list[Problem] = []
    strings: dict[str, dict[str, str]] = {}
    reference_path = layout.strings / "en.yml"
    reference, probs = read_yaml(reference_path, layout)
    if probs or not isinstance(reference, dict):
        raise DataError(probs or [Problem(layout.rel(reference_path), "must be a mapping of key: text")])
    strings["en"] = {str(k): str(v) for k, v in reference.items()}
    for lang in languages:
        if lang.code == "en":
            continue
        path = layout.strings / f"{lang.code}.yml"
        rel = layout.rel(path)
        severity = "error" if lang.published else "warning"
        if not path.exists():
            problems.append(Problem(rel, f"no UI strings for {lang.code}; copy data/strings/en.yml "
                                         "and translate the texts", severity))
            continue
        values, probs = read_yaml(path, layout)
        if probs:
            problems.extend(probs)
            continue
        if not isinstance(values, dict):
            problems.append(Problem(rel, "must be a mapping of key: text, like data/strings/en.yml"))
            continue
        unknown = sorted(set(map(str, values)) - set(strings["en"]))
        if unknown:
            problems.append(Problem(rel, f"unknown key(s) {', '.join(unknown)}: the site does not use "
                                         "them; remove them or fix the spelling (see data/strings/en.yml)"))
        missing = sorted(set(strings["en"]) - set(map(str, values)))
        if missing:
            problems.append(Problem(rel, f"missing key(s) {', '.join(missing)}; translate them from "
                                         "data/strings/en.yml", severity))
        empty = sorted(str(k) for k, v in values.items() if v is None or str(v).strip() == "")
        if empty:
            problems.append(Problem(rel, f"empty text for {', '.join(empty)}; translate it", severity))
        strings[lang.code] = {str(k): str(v) for k, v in values.items() if v not in (None, "")}
    return strings, problems
