"""Printable handouts: every child page, a booklet per language and age band, and the adults'
consultation kit, rendered to PDF from the same Markdown as the site (so paper never drifts).

    python scripts/site.py handouts --lang en --band 7-10 [--topic online] [--country FR]
                                    [--paper a4|letter] [--out DIR]
    python scripts/site.py build --handouts      the site, with the PDFs under /handouts/

How it works:
- Each PDF is one *job*: its HTML is made from the page's Markdown (the extensions mkdocs.yml
  names), the Jinja template overrides/print/handout.html and overrides/print/handout.css, the
  UI words in data/strings/<lang>.yml and the confirmed help services in data/help/.
- The job's digest is a SHA-256 of everything that can change the PDF (that HTML with its
  images and QR code inlined, the fonts installed, the WeasyPrint version, the paper size). A
  PDF whose digest is already in .cache/handouts/store/ is copied, not rendered: a second run
  with nothing changed renders nothing, and a changed page re-renders only its own handout and
  its band's booklet.
- WeasyPrint is imported only when something must be rendered, and never by `mkdocs build`.
- Bad input raises HandoutError: one line that names the file or option and how to fix it.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import mimetypes
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from html import escape
from importlib import metadata as importlib_metadata
from pathlib import Path
from posixpath import normpath
from urllib.parse import unquote, urlsplit

import yaml

from .content import ADULTS, Inventory, Page, scan
from .data import ProjectData, load_project
from .help_data import HelpDirectory, load_help
from .paths import Layout
from .problems import DataError

ENGINE = "lk-handouts-1"        # bump when the rendering changes in a way the inputs do not show
PAPERS = {"a4": "A4", "letter": "letter"}
DEFAULT_PAPER = "a4"
KIT_GLOB = "consultation-kit*.md"   # the adults' pages that are also printed (the consultation kit)
BOOKLET = "booklet"                 # <lang>/<band>/booklet.pdf
SITE_FOLDER = "handouts"            # the PDFs' folder inside the built site (and the default --out)
CACHE_FOLDER = Path(".cache") / "handouts"
SITE_URL_ENV = "LANZAROTE_SITE_URL"
# `site.py build --handouts` lists the PDFs it made here ("en/7-10/online en/7-10/booklet …");
# mkdocs.yml passes it to the templates as config.extra.handouts, and partials/lk-downloads.html
# links a page's PDF only when it is listed. A plain `mkdocs build` lists none and links none.
LINKS_ENV = "LANZAROTE_HANDOUTS"
PLACEHOLDER_HOSTS = {"example.org", "example.com", "example.net"}
FONT_PACKAGE = "fonts-noto-core"
MAX_WORKERS = 4
PARALLEL_FROM = 4                   # render in worker processes only from this many PDFs on


class HandoutError(Exception):
    """Bad input or set-up: one line naming the file or option and the fix."""


# --- fonts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Script:
    name: str
    family: str
    ranges: tuple[tuple[int, int], ...]

    def has(self, code: int) -> bool:
        return any(lo <= code <= hi for lo, hi in self.ranges)


# The scripts we plan to print, the Noto family that covers each (all in Debian's fonts-noto-core).
SCRIPTS = (
    Script("Latin", "Noto Sans", ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF))),
    Script("Greek", "Noto Sans", ((0x370, 0x3FF), (0x1F00, 0x1FFF))),
    Script("Cyrillic", "Noto Sans", ((0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F))),
    Script("Armenian", "Noto Sans Armenian", ((0x530, 0x58F), (0xFB13, 0xFB17))),
    Script("Georgian", "Noto Sans Georgian", ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F))),
    Script("Arabic", "Noto Naskh Arabic", ((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF),
                                           (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
)
# Symbols used on forms (☐ ✓ →), found in the same package; used only where a character needs them.
SYMBOL_FAMILIES = ("Noto Sans Symbols2", "Noto Sans Symbols", "Noto Sans Math")
FONT_STACK = tuple(dict.fromkeys([s.family for s in SCRIPTS] + list(SYMBOL_FAMILIES)))


@dataclass
class Fonts:
    """The installed files of FONT_STACK (as fontconfig sees them) and what they can draw."""

    files: dict[str, Path]                     # family -> its regular face
    cmaps: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def fingerprint(self) -> list:
        out = []
        for family, path in sorted(self.files.items()):
            st = path.stat()
            out.append([family, str(path), st.st_size, int(st.st_mtime)])
        return out

    def covers(self, family: str, code: int) -> bool:
        if family not in self.files:
            return False
        if family not in self.cmaps:
            from fontTools.ttLib import TTFont
            try:
                with TTFont(self.files[family], lazy=True, fontNumber=0) as font:
                    self.cmaps[family] = frozenset(font.getBestCmap() or {})
            except Exception:  # an unreadable font file draws nothing
                self.cmaps[family] = frozenset()
        return code in self.cmaps[family]


def find_fonts() -> Fonts:
    """Ask fontconfig (fc-list) for the regular face of each family in FONT_STACK."""
    files: dict[str, Path] = {}
    for family in FONT_STACK:
        try:
            result = subprocess.run(["fc-list", "--format", "%{file}\n", f"{family}:style=Regular"],
                                    capture_output=True, text=True, timeout=30)
        except FileNotFoundError:
            raise HandoutError("fc-list is missing: handouts find fonts through fontconfig; install the "
                               "Debian package fontconfig (apt-get install fontconfig)") from None
        except subprocess.TimeoutExpired:
            raise HandoutError("fc-list did not answer within 30 s; run `fc-cache -f` and try again") from None
        paths = sorted(Path(line) for line in result.stdout.splitlines() if line.strip())
        if paths:
            files[family] = paths[0]
    return Fonts(files)


def check_glyphs(text: str, where: str, fonts: Fonts) -> None:
    """Every character must have a real glyph in an installed font of the stack (no empty boxes)."""
    for char in sorted(set(text)):
        code = ord(char)
        if char.isspace() or code < 0x20 or 0x200B <= code <= 0x200F or code in (0xAD, 0xFEFF):
            continue
        if any(fonts.covers(family, code) for family in FONT_STACK):
            continue
        script = next((s for s in SCRIPTS if s.has(code)), None)
        if script is not None:
            raise HandoutError(
                f"{where}: {script.name} text needs the font {script.family}, which is not installed; "
                f"install the Debian package {FONT_PACKAGE} (apt-get install {FONT_PACKAGE})")
        missing = [f for f in FONT_STACK if f not in fonts.files]
        hint = (f"install the Debian package {FONT_PACKAGE} (apt-get install {FONT_PACKAGE}), or replace it"
                if missing else "replace it with a character these fonts have")
        raise HandoutError(f"{where}: the character {char!r} (U+{code:04X}) has no glyph in the handout "
                           f"fonts ({', '.join(FONT_STACK)}); {hint}")


# --- project -----------------------------------------------------------------------------------

@dataclass
class Project:
    layout: Layout
    data: ProjectData
    inventory: Inventory
    help: HelpDirectory
    help_problems: list
    site_url: str
    markdown_extensions: list
    markdown_configs: dict

    def page_url(self, page_path: Path, lang: str) -> str:
        """The page's address online (use_directory_urls): /7-10/online/, /fr/7-10/ ..."""
        rel = page_path.relative_to(self.layout.docs / lang).as_posix()
        return self.site_url + self.url_path(rel, lang)

    def url_path(self, rel: str, lang: str) -> str:
        prefix = "" if lang == self.data.site.default_language else f"{lang}/"
        if rel.endswith(".md"):
            stem = rel[:-3]
            if stem == "index" or stem.endswith("/index"):
                rel = stem[:-len("index")]
            else:
                rel = stem + "/"
        return prefix + rel


def site_url_of(layout: Layout) -> str:
    """The published address: LANZAROTE_SITE_URL, else data/site.yml `site_url`."""
    value = os.environ.get(SITE_URL_ENV)
    source = SITE_URL_ENV
    if not value:
        raw = yaml.safe_load((layout.data / "site.yml").read_text(encoding="utf-8")) or {}
        value, source = raw.get("site_url"), "data/site.yml"
    if not value:
        raise HandoutError("data/site.yml: site_url is not set; add `site_url: https://…/` (the address "
                           f"where the site is published) or set {SITE_URL_ENV}, so QR codes lead to the pages")
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", value):
        raise HandoutError(f"{source}: site_url '{value}' is not a web address; use the form https://example.org/")
    return value if value.endswith("/") else value + "/"


def load(layout: Layout) -> Project:
    try:
        data, _ = load_project(layout)
    except DataError as exc:
        raise HandoutError(str(exc.problems[0])) from None
    inventory = scan(data)
    help_dir, help_problems = load_help(layout)
    extensions, configs = markdown_settings(layout)
    return Project(layout, data, inventory, help_dir, help_problems, site_url_of(layout),
                   extensions, configs)


def markdown_settings(layout: Layout) -> tuple[list, dict]:
    """The Markdown extensions mkdocs.yml names (plus MkDocs' built-in ones), as MkDocs reads them."""
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        config = load_config(str(layout.root / "mkdocs.yml"))
    except Exception as exc:  # mkdocs raises several kinds; each is a config problem
        raise HandoutError(f"mkdocs.yml: cannot be read ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); "
                           "run `python scripts/site.py build` to see the full message") from None
    return list(config["markdown_extensions"]), dict(config["mdx_configs"])


# --- dates -------------------------------------------------------------------------------------

def text_dates(layout: Layout, paths: list[Path]) -> dict[Path, str]:
    """When each page's text last changed: its last commit's date if the file is committed and
    unchanged, else the file's modification date."""
    dates = {p: date.fromtimestamp(p.stat().st_mtime).isoformat() for p in paths}
    try:
        top = _git(layout.root, "rev-parse", "--show-toplevel").strip()
        if not top:
            return dates
        top_path = Path(top).resolve()
        dirty = {(top_path / line[3:]).resolve()
                 for line in _git(layout.root, "status", "--porcelain", "--untracked-files=all", "--",
                                  str(layout.docs)).splitlines() if len(line) > 3}
        committed: dict[Path, str] = {}
        current = None
        for line in _git(layout.root, "log", "--format=@%cs", "--name-only", "--", str(layout.docs)).splitlines():
            if line.startswith("@"):
                current = line[1:]
            elif line.strip() and current:
                committed.setdefault((top_path / line).resolve(), current)
        for p in paths:
            rp = p.resolve()
            if rp in committed and rp not in dirty:
                dates[p] = committed[rp]
    except (OSError, subprocess.SubprocessError):
        pass
    return dates


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    return result.stdout if result.returncode == 0 else ""


# --- choosing what to print --------------------------------------------------------------------

@dataclass
class Options:
    langs: list[str] | None = None      # None: every built language
    bands: list[str] | None = None      # None: every band of each language, and the adults' kit
    topics: list[str] | None = None     # None: every topic, and the booklet
    country: str | None = None          # None: data/site.yml home_country
    paper: str = DEFAULT_PAPER
    out: Path | None = None
    drafts: bool = False
    booklets: bool = True
    workers: int | None = None          # None: one per core (at most MAX_WORKERS)


@dataclass
class Job:
    key: str                 # where the PDF goes inside the output folder, without .pdf
    kind: str                # "page", "booklet" or "kit"
    lang: str
    band: str | None
    pages: list[Page]
    html: str = ""
    digest: str = ""
    where: str = ""          # the file bad text is reported against


@dataclass
class Result:
    out: Path
    keys: list[str]
    rendered: list[str]
    reused: list[str]
    warnings: list[str]


def _one_of(values) -> str:
    return ", ".join(values)


def choose(project: Project, options: Options) -> tuple[list[Job], list[str]]:
    data, inventory, layout = project.data, project.inventory, project.layout
    warnings: list[str] = []
    codes = [lang.code for lang in data.languages]
    if options.langs:
        for code in options.langs:
            if code not in codes:
                raise HandoutError(f"unknown language '{code}'; use one of {_one_of(codes)} (data/languages.yml)")
        langs = [data.language(c) for c in options.langs]
    else:
        langs = data.built_languages(options.drafts)
    topic_ids = [t.id for t in data.topics]
    for topic in options.topics or []:
        if topic not in topic_ids:
            raise HandoutError(f"unknown topic '{topic}'; use one of {_one_of(topic_ids)} (data/topics.yml)")
    valid_bands = data.band_ids + [ADULTS]
    for band in options.bands or []:
        if band not in valid_bands:
            raise HandoutError(f"unknown band '{band}'; use one of {_one_of(valid_bands)} (data/age_bands.yml)")
    if options.topics and options.bands and ADULTS in options.bands:
        raise HandoutError(f"--topic is for the children's bands; leave it out with --band {ADULTS}")

    jobs: list[Job] = []
    for lang in langs:
        wanted = options.bands or (list(lang.bands) + ([] if options.topics else [ADULTS]))
        for band in wanted:
            if band == ADULTS:
                jobs += _kit_jobs(project, lang.code, explicit=bool(options.bands))
                continue
            if band not in lang.bands:
                raise HandoutError(f"data/languages.yml: {lang.code} has no pages for ages {band} (its bands: "
                                   f"{_one_of(lang.bands)}); choose one of those")
            pages = []
            for topic in data.topics:
                if options.topics and topic.id not in options.topics:
                    continue
                page = inventory.page(lang.code, band, topic.id)
                expected = layout.rel(layout.child_page(lang.code, band, topic.file))
                if page is None:
                    if options.topics:
                        raise HandoutError(f"{expected}: not written yet, so there is nothing to print; "
                                           f"write or translate it first (python scripts/site.py check lists the gaps)")
                    warnings.append(f"WARNING: {expected}: not written yet; no handout, and the booklet leaves it out")
                    continue
                _page_problem(project, page)
                pages.append(page)
                jobs.append(Job(f"{lang.code}/{band}/{topic.id}", "page", lang.code, band, [page], where=page.rel))
            if not pages and options.langs and options.bands:
                raise HandoutError(f"docs/{lang.code}/{band}/: no pages for {lang.code}, ages {band} yet; write or "
                                   "translate them first (python scripts/site.py check lists the gaps)")
            if pages and options.booklets and not options.topics:
                jobs.append(Job(f"{lang.code}/{band}/{BOOKLET}", "booklet", lang.code, band, pages,
                                where=f"docs/{lang.code}/{band}/"))
    if not jobs:
        raise HandoutError("nothing to print: no pages match the options (python scripts/site.py check "
                           "shows which pages exist)")
    return jobs, warnings


def _kit_jobs(project: Project, code: str, explicit: bool) -> list[Job]:
    layout = project.layout
    folder = layout.docs / code / ADULTS
    pages = [p for p in project.inventory.pages
             if p.kind == "adults" and p.lang == code and p.path.parent == folder and p.path.match(KIT_GLOB)]
    if not pages and explicit:
        raise HandoutError(f"docs/{code}/{ADULTS}/: no consultation kit in {code} yet ({KIT_GLOB}); "
                           "translate docs/en/adults/consultation-kit*.md first")
    # the main page first, then the others by file name
    pages.sort(key=lambda p: (p.path.stem != "consultation-kit", p.path.name))
    jobs = []
    for page in pages:
        _page_problem(project, page)
        jobs.append(Job(f"{code}/{ADULTS}/{page.path.stem}", "kit", code, None, [page], where=page.rel))
    return jobs


def _page_problem(project: Project, page: Page) -> None:
    for problem in project.inventory.problems:
        if problem.is_error and problem.path == page.rel:
            raise HandoutError(str(problem).removeprefix("ERROR: "))


def check_country(project: Project, country: str | None) -> str | None:
    """The ISO code whose help services to print (None: only the Europe-wide ones)."""
    if not country:
        return None
    code = country.upper()
    if code not in project.help.countries:
        bad = next((p for p in project.help_problems if p.path == f"data/help/{code.lower()}.yml"), None)
        if bad is not None and bad.is_error:
            raise HandoutError(str(bad).removeprefix("ERROR: "))
        known = sorted(project.help.countries)
        raise HandoutError(f"unknown country '{country}': there is no data/help/{code.lower()}.yml; use one of "
                           f"{_one_of(known) or '(none yet)'}")
    return code


def help_for(project: Project, country: str | None, lang: str) -> dict:
    """What the handout's help box lists, like the site's help page: the country's confirmed services
    first (under its name in `lang`), then the confirmed Europe-wide ones not already listed."""
    from .site_hooks import country_names

    directory = project.help
    home = None
    seen = set()
    if country:
        party = next((p for p in directory.parties if p.code == country), None)
        name = country_names(lang).get(country, party.name if party else country)
        services = directory.confirmed(country)
        home = {"code": country, "name": name, "services": services}
        seen = {_phone_key(s) for s in services}
    europe = [s for s in directory.confirmed(None) if _phone_key(s) not in seen]
    checked = [s["verified_on"] for s in (home["services"] if home else []) + europe]
    return {"home": home, "europe": europe, "checked": min(checked) if checked else None}


def _phone_key(service: dict) -> str:
    digits = re.sub(r"\D", "", (service.get("contact") or {}).get("phone", "") or "")
    return digits or service["id"]


# --- building the HTML ---------------------------------------------------------------------------

_LINK = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"')
_IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")


def short_url(url: str) -> str:
    return re.sub(r"^https?://", "", url)


def qr_data_uri(url: str) -> str:
    """A QR code whose payload is exactly `url`, as a 1-pixel-per-module PNG (printed crisp)."""
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=1, border=4)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class Renderer:
    """Makes each job's HTML from Markdown + Jinja; the same inputs always give the same HTML."""

    def __init__(self, project: Project, country: str | None, paper: str):
        import jinja2
        import markdown

        self.project = project
        self.country = country
        self.paper = paper
        folder = project.layout.overrides / "print"
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True)
        self.env.filters["text_dir"] = text_dir
        try:
            self.template = self.env.get_template("handout.html")
            self.css = (folder / "handout.css").read_text(encoding="utf-8")
        except (OSError, jinja2.TemplateError) as exc:
            raise HandoutError(f"overrides/print/: the handout template cannot be read ({exc}); restore it from git") from None
        self.md = markdown.Markdown(extensions=project.markdown_extensions,
                                    extension_configs=project.markdown_configs)
        self.dates = text_dates(project.layout, [p.path for p in project.inventory.pages])

    def strings(self, lang: str) -> dict:
        data = self.project.data
        return {key: data.string(lang, key) for key in data.strings["en"]}

    def page_html(self, page: Page) -> str:
        self.md.reset()
        html = self.md.convert(page.body)
        html = _IMG.sub(lambda m: self._image(m, page), html)
        return _LINK.sub(lambda m: self._link(m, page), html)

    def _image(self, m, page: Page) -> str:
        src = unquote(m.group(2))
        if src.startswith("data:"):
            return m.group(0)
        if urlsplit(src).scheme or src.startswith("//"):
            raise HandoutError(f"{page.rel}: image '{src}' is on another site; handouts never fetch from the "
                               "network, so save the image under docs/ and link it with a relative path")
        target = (page.path.parent / urlsplit(src).path).resolve()
        if not target.is_file():
            raise HandoutError(f"{page.rel}: image '{src}' is missing (no file {self.project.layout.rel(target)}); "
                               "add the image or fix the path")
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        payload = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'<img{m.group(1)}src="data:{mime};base64,{payload}"'

    def _link(self, m, page: Page) -> str:
        href = m.group(2)
        parts = urlsplit(href)
        if href.startswith("#"):
            return m.group(0)
        if parts.scheme in ("http", "https"):
            return f'<a{m.group(1)}class="external" data-short="{escape(short_url(href))}" href="{href}"'
        if parts.scheme or href.startswith("//"):
            return m.group(0)
        lang_root = self.project.layout.docs / page.lang
        rel_to_lang = page.path.parent.relative_to(lang_root).as_posix()
        target = normpath(f"{rel_to_lang}/{unquote(parts.path)}").lstrip("./") if parts.path else ""
        if target.startswith(".."):
            return m.group(0)
        url = self.project.site_url + self.project.url_path(target, page.lang)
        if parts.fragment:
            url += "#" + parts.fragment
        return f'<a{m.group(1)}class="internal" href="{escape(url)}"'

    def section(self, page: Page) -> dict:
        url = self.project.page_url(page.path, page.lang)
        return {"id": "p-" + (page.topic or page.path.stem), "title": str(page.meta.get("title", "")),
                "summary": str(page.meta.get("summary", "")), "html": self.page_html(page),
                "url": url, "short_url": short_url(url), "source": page.rel, "date": self.dates[page.path],
                "translation": self.translation(page)}

    def translation(self, page: Page) -> dict | None:
        """How a translated page was made and checked, as the site shows it (lk-translation.html)."""
        data = self.project.data
        if page.lang == getattr(data.site, "source_language", data.site.default_language):
            return None
        try:
            from .translation import page_state
            state = page_state(data, page).state
        except (ImportError, AttributeError, OSError):
            return None
        return dict(page.meta.get("translation") or {}, state=state)

    def html(self, job: Job) -> str:
        from markupsafe import Markup

        data = self.project.data
        lang = data.language(job.lang)
        s = self.strings(job.lang)
        sections = [self.section(p) for p in job.pages]
        for sec in sections:
            if job.kind == "booklet":   # heading ids repeat from page to page: make them unique
                prefix = sec["id"] + "-"
                sec["html"] = re.sub(r'(\sid="|\shref="#)(?=[^"])', lambda m: m.group(1) + prefix, sec["html"])
            sec["html"] = Markup(sec["html"])
        if job.kind == "booklet":
            band_home = self.project.layout.child_page(job.lang, job.band, "index.md")
            url = self.project.site_url + self.project.url_path(band_home.relative_to(
                self.project.layout.docs / job.lang).as_posix(), job.lang)
            title = s["site_name"]
            source = f"docs/{job.lang}/{job.band}/"
            text_date = max(sec["date"] for sec in sections)
        else:
            url, title = sections[0]["url"], sections[0]["title"]
            source, text_date = sections[0]["source"], sections[0]["date"]
        band_label = s["band_" + job.band] if job.band else s["adults_section"]
        from .site_hooks import local_date

        return self.template.render(
            job=job, kind=job.kind, lang=job.lang, dir=lang.direction, s=s, title=title,
            band=job.band or ADULTS, band_label=band_label, sections=sections, url=url,
            short_url=short_url(url), qr=qr_data_uri(url), help=help_for(self.project, self.country, job.lang),
            country=self.country or "", paper=PAPERS[self.paper], local_date=lambda iso: local_date(iso, job.lang),
            source=source, text_date=text_date, css=Markup(self.css),
            summary=sections[0]["summary"] if job.kind != "booklet" else s["handout_booklet"],
            fonts=FONT_STACK)


_STRONG_RTL = re.compile(r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")
_STRONG_LTR = re.compile(r"[A-Za-z\u00C0-\u024F\u0370-\u058F\u10A0-\u10FF\u1E00-\u1FFF]")


def text_dir(text: str) -> str:
    """ltr or rtl, from the first strong letter (what dir="auto" does; WeasyPrint lacks it)."""
    rtl, ltr = _STRONG_RTL.search(text or ""), _STRONG_LTR.search(text or "")
    return "rtl" if rtl and (not ltr or rtl.start() < ltr.start()) else "ltr"


def visible_text(html: str) -> str:
    """The characters a reader sees (tags, and the inline style and data URIs, removed)."""
    html = re.sub(r"<style\b.*?</style>", " ", html, flags=re.S)
    html = re.sub(r"<head\b.*?</head>", " ", html, flags=re.S)
    from html import unescape
    return unescape(_TAGS.sub(" ", html))


# --- rendering and the cache ---------------------------------------------------------------------

def weasyprint_version() -> str:
    try:
        return importlib_metadata.version("weasyprint")
    except importlib_metadata.PackageNotFoundError:
        raise HandoutError("WeasyPrint is not installed: handouts need it; run `bash dev.sh handouts` once, or "
                           ".venv/bin/pip install -r requirements-handouts.txt") from None


def digest_of(job: Job, paper: str, fonts: Fonts, version: str) -> str:
    payload = json.dumps({"engine": ENGINE, "weasyprint": version, "paper": paper,
                          "fonts": fonts.fingerprint, "html": job.html}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _import_weasyprint():
    try:
        import weasyprint
    except ImportError:
        raise HandoutError("WeasyPrint is not installed: handouts need it; run `bash dev.sh handouts` once, or "
                           ".venv/bin/pip install -r requirements-handouts.txt") from None
    except OSError as exc:  # WeasyPrint loads Pango through cffi
        raise HandoutError(f"WeasyPrint cannot load Pango ({str(exc).splitlines()[0]}); install the Debian "
                           "packages libpango-1.0-0 and libpangoft2-1.0-0") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def render_pdf(html: str, target: Path) -> None:
    weasyprint = _import_weasyprint()
    # Everything is inlined (CSS, images, the QR code): the fetcher refuses any other request.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(
        str(target), custom_metadata=True, pdf_tags=True)


def display(layout: Layout, path: Path) -> str:
    """A folder as users see it: relative inside the project, absolute outside."""
    path = Path(path).resolve()
    return layout.rel(path) if path.is_relative_to(layout.root) else path.as_posix()


def _render_into(html: str, tmp: str, final: str) -> None:
    render_pdf(html, Path(tmp))
    os.replace(tmp, final)


def render_all(jobs: list[Job], store: "Store", workers: int | None = None):
    """Render each job into the store, yielding jobs as they finish. Several jobs render in
    parallel processes (one per core, WeasyPrint is single-threaded); one job renders here."""
    workers = max(1, min(workers or os.cpu_count() or 1, MAX_WORKERS, len(jobs)))
    if len(jobs) < PARALLEL_FROM:    # starting workers costs more than it saves
        workers = 1
    jobs = sorted(jobs, key=lambda job: -len(job.html))   # the longest (booklets) first
    paths = [(str(store.pdfs / f".{job.digest}.tmp"), str(store.path(job.digest))) for job in jobs]
    if workers == 1:
        for job, (tmp, final) in zip(jobs, paths):
            _render_into(job.html, tmp, final)
            yield job
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn: a fresh interpreter per worker, whatever the parent has loaded (Pango is not fork-safe)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(_render_into, job.html, tmp, final): job for job, (tmp, final) in zip(jobs, paths)}
        for future in as_completed(futures):
            future.result()
            yield futures[future]


def _writable(folder: Path, what: str, layout: Layout) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise HandoutError(f"{display(layout, folder)}: cannot write the {what} there ({exc.strerror or exc}); "
                           "choose another folder" + (" with --out" if what == "PDFs" else "")) from None


class Store:
    """.cache/handouts/: PDFs by digest, and which digest each output last used (for pruning)."""

    def __init__(self, layout: Layout):
        self.root = layout.root / CACHE_FOLDER
        self.pdfs = self.root / "store"
        self.index_path = self.root / "index.json"
        _writable(self.pdfs, "handout cache", layout)
        try:
            self.index = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.index = {}

    def path(self, digest: str) -> Path:
        return self.pdfs / f"{digest}.pdf"

    def has(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def remember(self, entries: dict[str, str]) -> None:
        self.index.update(entries)
        keep = set(self.index.values())
        for pdf in self.pdfs.glob("*.pdf"):
            if pdf.stem not in keep:
                pdf.unlink(missing_ok=True)
        tmp = self.index_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.index, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.index_path)


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size \
            and target.read_bytes() == source.read_bytes():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def run(layout: Layout, options: Options, log=print) -> Result:
    """Make the PDFs the options ask for; raise HandoutError on bad input."""
    if options.paper not in PAPERS:
        raise HandoutError(f"unknown paper '{options.paper}'; use one of {_one_of(PAPERS)}")
    project = load(layout)
    jobs, warnings = choose(project, options)
    country = check_country(project, options.country or project.data.site.home_country)
    out = Path(options.out) if options.out else layout.root / SITE_FOLDER
    _writable(out, "PDFs", layout)
    for host in PLACEHOLDER_HOSTS:
        if urlsplit(project.site_url).hostname == host:
            warnings.append(f"WARNING: data/site.yml: site_url is still the placeholder {project.site_url}; set it "
                            f"(or {SITE_URL_ENV}) to the site's real address, or the QR codes lead nowhere")
    for line in warnings:
        log(line)

    version = weasyprint_version()
    fonts = find_fonts()
    renderer = Renderer(project, country, options.paper)
    for job in jobs:
        job.html = renderer.html(job)
        check_glyphs(visible_text(job.html), job.where, fonts)
        job.digest = digest_of(job, options.paper, fonts, version)

    store = Store(layout)
    todo, reused, seen = [], [], set()
    for job in jobs:
        if store.has(job.digest) or job.digest in seen:
            reused.append(job.key)
        else:
            todo.append(job)
            seen.add(job.digest)
    rendered = []
    for job in render_all(todo, store, options.workers):
        rendered.append(job.key)
        log(f"rendered {display(layout, out)}/{job.key}.pdf")
    store.remember({f"{job.key}|{country or '-'}|{options.paper}": job.digest for job in jobs})
    try:
        for job in jobs:
            _copy_if_changed(store.path(job.digest), out / f"{job.key}.pdf")
    except OSError as exc:
        raise HandoutError(f"{display(layout, out)}: cannot write the PDFs there ({exc.strerror or exc}); "
                           "choose another folder with --out") from None
    return Result(out, [job.key for job in jobs], rendered, reused, warnings)


def run_for_site(layout: Layout, staging: Path, drafts: bool, country: str | None, paper: str,
                 log=print) -> Result:
    """Every built language's handouts, booklets and kit into `staging` (PDFs from earlier runs that
    are no longer made are removed, so the site never links a stale file)."""
    result = run(layout, Options(drafts=drafts, country=country, paper=paper, out=staging), log=log)
    made = {staging / f"{key}.pdf" for key in result.keys}
    for pdf in staging.rglob("*.pdf"):
        if pdf not in made:
            pdf.unlink()
    for folder in sorted((p for p in staging.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return result
