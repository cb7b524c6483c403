"""What the MkDocs hooks do. scripts/hooks.py only forwards MkDocs events to these functions.

static-i18n builds one language after another on the same config; the first (outer) build runs
the checks once and replaces the plugin's language list with data/languages.yml.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page as MkPage

from .checks import run_checks
from .content import ADULTS, Inventory
from .data import ProjectData, theme_language_for
from .help_data import HelpDirectory, load_help
from . import reviews
from .paths import Layout

log = logging.getLogger("mkdocs.hooks.lanzarote")
DRAFTS_ENV = "LANZAROTE_DRAFTS"
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)


@dataclass
class BuildState:
    data: ProjectData
    inventory: Inventory
    help: HelpDirectory
    drafts: bool
    files: dict = field(default_factory=dict)   # src_uri -> File, for the language being built

    @cached_property
    def pages_by_rel(self) -> dict:
        return {p.rel: p for p in self.inventory.pages}


def _i18n(config):
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise PluginError("mkdocs.yml: the i18n plugin is missing; restore its entry under plugins")
    return plugin


def state_of(config) -> BuildState:
    return _i18n(config)._lanzarote_state


def i18n_languages(data: ProjectData, drafts: bool) -> list:
    """static-i18n's language entries, made from data/languages.yml."""
    from mkdocs_static_i18n.config import I18nPluginLanguage

    from .data import HOST_ENV

    chosen = {c.strip() for c in os.environ.get(HOST_ENV["languages"], "").split(",") if c.strip()}
    entries = []
    for lang in data.languages:
        entry = I18nPluginLanguage()
        entry.load_dict({"locale": lang.code, "name": lang.autonym,
                         "default": lang.code == data.site.default_language,
                         # --languages: only those, drafts among them too with --drafts
                         "build": (lang.published or drafts) and (not chosen or lang.code in chosen)})
        failed, _ = entry.validate()
        if failed:
            key, err = failed[0]
            raise PluginError(f"data/languages.yml: {lang.code}: {key}: {err}")
        entries.append(entry)
    return entries


def on_config(config):
    i18n = _i18n(config)
    state = getattr(i18n, "_lanzarote_state", None)
    if state is None:  # the outer build: check everything once, then set up the languages
        layout = Layout(Path(config.config_file_path).resolve().parent)
        report = run_checks(layout)
        help_dir, _ = load_help(layout)   # its problems are part of the report
        for line in build_log_lines(report.problems):
            (log.error if line.startswith("ERROR") else log.warning)(line)
        n_errors = len(report.errors)
        if n_errors:
            raise PluginError(f"{n_errors} problem(s) above must be fixed before the site can be built "
                              "(python scripts/site.py check lists them)")
        state = BuildState(report.data, report.inventory, help_dir, os.environ.get(DRAFTS_ENV) == "1")
        i18n._lanzarote_state = state
        i18n.config["languages"] = i18n_languages(state.data, state.drafts)
    data = state.data
    code = i18n.current_language or data.site.default_language
    lang = data.language(code)
    theme_language, _ = theme_language_for(lang, data.layout)
    config.theme["language"] = theme_language
    config.theme["direction"] = lang.direction
    config["site_name"] = data.string(code, "site_name")
    # One 404 page, at the site root, in the default language: static-i18n would otherwise let
    # every language's build overwrite it in turn.
    if code == data.site.default_language:
        config.theme.static_templates.add("404.html")
    else:
        config.theme.static_templates.discard("404.html")
    return config


def on_template_context(context, template_name, config):
    """Pages that are not Markdown pages (the 404 page) still get the quick exit."""
    if template_name == "404.html":
        state = state_of(config)
        data = state.data
        code = _i18n(config).current_language or data.site.default_language
        context["lk"] = {"lang": code, "dir": data.language(code).direction, "kind": "404",
                         "s": {key: data.string(code, key) for key in data.strings["en"]},
                         "quick_exit_url": data.site.quick_exit_url}
    return context


def build_log_lines(problems) -> list[str]:
    """Problems as the build prints them: a draft language's missing pages become one line."""
    lines, drafts_missing = [], {}
    for problem in problems:
        if not problem.is_error and problem.message.startswith("missing:") and "(draft" in problem.message:
            lang = problem.path.split("/")[1]
            drafts_missing[lang] = drafts_missing.get(lang, 0) + 1
        else:
            lines.append(str(problem))
    for lang, count in sorted(drafts_missing.items()):
        lines.append(f"WARNING: docs/{lang}/: draft language with {count} page(s) still to write "
                     "(python scripts/site.py check lists them)")
    return lines


def local_date(iso: str, lang: str) -> str:
    """A YYYY-MM-DD date written the way the page's language writes dates (CLDR via Babel)."""
    import datetime as dt

    from babel.dates import format_date

    try:
        return format_date(dt.date.fromisoformat(str(iso)), format="long", locale=lang)
    except Exception:  # an unknown locale or odd date: the ISO form is still correct
        return str(iso)


def on_env(env, config, files):
    env.filters["local_date"] = local_date
    return env


def on_files(files, config):
    state = state_of(config)
    state.files = {f.src_uri: f for f in files}
    return files


def _kind(src_uri: str, data: ProjectData) -> tuple[str, str | None, str | None]:
    parts = src_uri.split("/")
    if len(parts) == 2 and parts[1] == "index.md":
        return "start", None, None
    if len(parts) == 3 and parts[1] in data.band_ids:
        topic = data.topic_by_file(parts[2])
        return "child", parts[1], topic.id if topic else None
    if len(parts) >= 3 and parts[1] == ADULTS:
        return "adults", None, None
    return "other", None, None


def on_nav(nav, config, files):
    """Order and name the sections from data: start, the bands in age order, then adults."""
    state = state_of(config)
    data = state.data
    code = _i18n(config).current_language
    topic_order = {t.file: i for i, t in enumerate(data.topics)}
    start, bands, adults, rest = [], {}, [], []
    for item in nav.items:
        src = _first_src(item)
        kind, band, _ = _kind(src, data) if src else ("other", None, None)
        if isinstance(item, Section) and band in data.band_ids:
            item.title = data.string(code, f"band_{band}")
            item.children.sort(key=lambda p: topic_order.get(_first_src(p).rsplit("/", 1)[-1], 99))
            bands[band] = item
        elif isinstance(item, Section) and kind == "adults":
            item.title = data.string(code, "adults_section")
            item.children.sort(key=lambda p: (not _first_src(p).endswith("/index.md"), str(p.title)))
            adults.append(item)
        elif kind == "start":
            start.append(item)
        else:
            rest.append(item)
    nav.items = start + [bands[b] for b in data.band_ids if b in bands] + adults + rest
    return nav


def _first_src(item) -> str | None:
    if getattr(item, "file", None) is not None:
        return item.file.src_uri
    for child in getattr(item, "children", None) or []:
        found = _first_src(child)
        if found:
            return found
    return None


class _BandNav:
    """The navigation a child sees: only their band's pages."""

    def __init__(self, nav, items):
        self.items = items
        self.homepage = nav.homepage
        self.pages = nav.pages

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def on_page_context(context, page, config, nav):
    if not isinstance(page, MkPage):
        return context
    state = state_of(config)
    data = state.data
    code = _i18n(config).current_language
    lang = data.language(code)
    kind, band, topic = _kind(page.file.src_uri, data)
    strings = {key: data.string(code, key) for key in data.strings["en"]}
    files = state.files

    def url_of(src_uri):
        f = files.get(src_uri)
        return f.url if f is not None else None

    def band_links(file_name):
        links = []
        for b in lang.bands:
            url = url_of(f"{code}/{b}/{file_name}")
            if url is not None:
                links.append({"band": b, "label": strings[f"band_{b}"], "url": url, "current": b == band})
        return links

    alternates = getattr(page.file, "alternates", {}) or {}
    built = list(_i18n(config).build_languages)    # what this build makes (--languages, --drafts)
    language_links = []
    for other in data.languages:
        alt = alternates.get(other.code)
        if other.code not in built or alt is None or getattr(alt, "locale", other.code) != other.code:
            continue
        language_links.append({"lang": other.code, "autonym": other.autonym, "url": alt.url,
                               "current": other.code == code, "dir": other.direction})

    lk = {
        "lang": code, "dir": lang.direction, "kind": kind, "band": band, "topic": topic,
        "s": strings, "quick_exit_url": data.site.quick_exit_url,
        "articles": list(page.meta.get("articles") or []),
        "language_links": language_links if len(language_links) > 1 else [],
        "band_links": [], "help_url": None, "start_links": [], "help": None,
        "adults_url": url_of(f"{code}/{ADULTS}/index.md"), "adults_in": code,
    }
    source = data.site.source_language
    if lk["adults_url"] is None and source in built:   # none in this language yet: the source's
        lk["adults_url"] = f"{ADULTS}/" if source == data.site.default_language else f"{source}/{ADULTS}/"
        lk["adults_in"] = source
    if kind == "child":
        lk["band_links"] = band_links(page.file.src_uri.rsplit("/", 1)[-1])
        lk["help_url"] = url_of(f"{code}/{band}/help.md")
        lk["band_home_url"] = url_of(f"{code}/{band}/index.md")
        if topic == "help":
            lk["help"] = help_for_page(state.help, code, data.site.home_country)
        section = next((item for item in nav.items if isinstance(item, Section)
                        and _first_src(item) and _kind(_first_src(item), data)[1] == band), None)
        if section is not None:
            context["nav"] = _BandNav(nav, section.children)
    elif kind == "start":
        lk["start_links"] = band_links("index.md")
    elif kind == "adults" and page.meta.get("show") == "help-directory":
        lk["directory"] = directory_for_page(state.help, code)
    elif kind == "adults" and page.meta.get("show") == "translation-status":
        from .translation import status_table

        lk["status"] = status_table(data, state.inventory)
        lk["review_coverage"] = reviews.coverage(data, state.inventory)
    lk["translation"] = translation_for_page(data, page, code, alternates)
    model = state.pages_by_rel.get(f"docs/{page.file.src_uri}")
    lk["reviews"] = reviews.view_for(model) if model is not None else None
    context["lk"] = lk
    return context


def translation_for_page(data: ProjectData, page, code: str, alternates: dict) -> dict | None:
    """Provenance of a translated page, and whether its English source has changed since."""
    from .content import Page as ContentPage
    from .translation import page_state

    if code == data.site.source_language:
        return None
    source = data.layout.docs / page.file.src_uri
    model = ContentPage(source, page.file.src_uri, code, "page", meta=dict(page.meta))
    info = dict(page.meta.get("translation") or {})
    state = page_state(data, model).state
    english = alternates.get(data.site.source_language)
    return dict(info, state=state, english_url=english.url if english is not None else None)


def country_names(lang: str) -> dict[str, str]:
    """Country names in the page's language (CLDR via Babel), English where it has none."""
    from babel import Locale, UnknownLocaleError

    try:
        return dict(Locale.parse(lang).territories)
    except (UnknownLocaleError, ValueError):
        return dict(Locale.parse("en").territories)


def help_for_page(directory: HelpDirectory, lang: str, home: str | None) -> dict:
    names = country_names(lang)
    countries = []
    for party in directory.ordered_parties(lang, home, names):
        countries.append({"code": party.code, "name": names.get(party.code, party.name),
                          "services": directory.confirmed(party.code)})
    home_country = next((c for c in countries if c["code"] == home), None)
    return {"home": home_country, "europe": directory.confirmed(None), "countries": countries}


def directory_for_page(directory: HelpDirectory, lang: str) -> dict:
    """Everything in data/help, for adults: confirmed and unconfirmed, with sources and dates."""
    names = country_names(lang)
    countries = [{"code": p.code, "name": names.get(p.code, p.name),
                  "services": directory.countries.get(p.code, {}).get("services", []),
                  "notes": directory.countries.get(p.code, {}).get("notes", "")}
                 for p in directory.ordered_parties(lang, None, names)]
    europe = directory.international or {}
    return {"europe": europe.get("services", []), "europe_notes": europe.get("notes", ""),
            "countries": countries}


def on_post_page(output, page, config):
    """The real language and direction on <html>, whatever UI translation Material used."""
    state = state_of(config)
    code = _i18n(config).current_language
    lang = state.data.language(code)
    return _HTML_TAG.sub(f'<html lang="{code}" dir="{lang.direction}" class="no-js">', output, count=1)
