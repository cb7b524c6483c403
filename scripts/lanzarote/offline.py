"""The offline bundle: one language's whole site in a zip that works from file:// (a USB stick,
a laptop without internet). `python scripts/site.py offline --lang fr [--out DIR]`.

The language is built on its own, as if it were the default language (so it sits at the zip's
root), with `use_directory_urls: false`: every link names its .html file, since file:// has no
folder index. Search works offline (lk-search.js loads its index and lunr as script files). The
PDFs made earlier by `site.py build --handouts` (in .cache/handouts/site/) are added and linked
when they exist. Only what the pages use goes into the zip; every link and asset is checked, so a
broken reference stops the command instead of shipping. A README.txt for facilitators (in the
language, then in English) sits next to index.html.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .data import HOST_ENV, load_project
from .paths import Layout
from .problems import DataError

DEFAULT_OUT = "offline"                       # relative to the project (git-ignored)
NAME = "lanzarote-for-kids-{lang}"            # the zip's name and its top folder
HANDOUTS_STAGING = Path(".cache") / "handouts" / "site"   # where build --handouts leaves the PDFs
HANDOUTS_FOLDER = "handouts"
LEFT_OUT = {"404.html"}                       # not reachable from any page
TARGET_BYTES = 3 * 1024 * 1024                # per language, without PDFs
_SEARCH_CONFIG = re.compile(r'<script id="lk-search-config" type="application/json">(.*?)</script>', re.S)


class OfflineError(Exception):
    """Bad input or a broken bundle: one line naming what and how to fix it."""


@dataclass
class Result:
    zip_path: Path
    size: int                 # bytes of the zip
    pages: int
    pdfs: int
    files: int
    unpacked: int             # bytes of the files inside, without PDFs
    warnings: list[str] = field(default_factory=list)


class _Refs(HTMLParser):
    """Local files a page refers to: href and src, without fragments and queries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.refs.append(value)


def local_refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    found = []
    for ref in parser.refs:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith(("#", "//")):
            continue                              # another site, mailto:, tel:, or this page
        if parts.path:
            found.append(unquote(parts.path))
    match = _SEARCH_CONFIG.search(html)           # the scripts search loads on first use
    if match:
        import json

        config = json.loads(match.group(1))
        found += list(config.get("scripts", [])) + [config["index"], config["results"]]
    return found


def collect(site: Path) -> tuple[set[Path], list[str]]:
    """Every page, and every file a page refers to; plus what is broken (a missing file, or a
    link to a folder, which file:// cannot open)."""
    pages = {p for p in site.rglob("*.html") if p.relative_to(site).as_posix() not in LEFT_OUT}
    keep, problems = set(pages), []
    for page in sorted(pages):
        for ref in local_refs(page.read_text(encoding="utf-8")):
            target = (page.parent / ref).resolve()
            rel = page.relative_to(site).as_posix()
            if site.resolve() not in target.parents and target != site.resolve():
                problems.append(f"{rel}: link {ref} leaves the bundle")
            elif target.is_dir():
                problems.append(f"{rel}: link {ref} is a folder, which file:// cannot open (needs index.html)")
            elif not target.is_file():
                problems.append(f"{rel}: {ref} is missing")
            else:
                keep.add(target)
    return keep, problems


def handout_keys(layout: Layout, lang: str) -> tuple[Path, list[str]]:
    """PDFs left by `site.py build --handouts` for this language, as keys (fr/7-10/online)."""
    staging = layout.root / HANDOUTS_STAGING
    folder = staging / lang
    if not folder.is_dir():
        return staging, []
    return staging, sorted(p.relative_to(staging).with_suffix("").as_posix() for p in folder.rglob("*.pdf"))


def readme(data, lang: str, pdfs: int) -> str:
    """README.txt for facilitators: the language's own words, then English."""
    today = dt.date.today().isoformat()

    def block(code: str) -> str:
        s = lambda key: data.string(code, key)   # noqa: E731
        lines = [f"{s('site_name')} — {s('offline_title')}", "=" * 60, "",
                 s("offline_open"), "", s("offline_share"), "", s("offline_search"), "",
                 s("offline_pdfs") if pdfs else s("offline_no_pdfs"), "",
                 s("offline_exit").replace("{quick_exit}", s("quick_exit")), "",
                 s("offline_numbers").replace("{date}", today), ""]
        return "\n".join(lines)

    text = block(lang)
    if lang != "en":
        text += "\n\n" + block("en")
    return text


def _writable_folder(out: Path, layout: Layout) -> None:
    shown = display(layout, out)
    if out.exists() and not out.is_dir():
        raise OfflineError(f"{shown}: is a file, not a folder; choose a folder for the offline bundle with --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".lk-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OfflineError(f"{shown}: cannot write the offline bundle there ({exc.strerror or exc}); "
                           "choose a writable folder with --out") from None


def _build(layout: Layout, lang: str, site: Path, handouts: list[str]) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", LANZAROTE_DIRECTORY_URLS="false",
               LANZAROTE_HANDOUTS=" ".join(handouts), LANZAROTE_DRAFTS="0")
    env[HOST_ENV["languages"]] = lang
    env[HOST_ENV["default_language"]] = lang
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(layout.root / "mkdocs.yml"),
                             "-d", str(site)], cwd=layout.root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [ln.strip() for ln in (result.stdout + result.stderr).splitlines() if "ERROR" in ln]
        first = re.sub(r"^(?:\s*ERROR\s*[-:]*\s*)+", "", lines[0]) if lines else "mkdocs build failed"
        raise OfflineError(f"the {lang} site does not build: {first} (python scripts/site.py check lists "
                           "every problem)")


def run(layout: Layout, lang: str, out: Path | None = None, log=print) -> Result:
    try:
        data, _ = load_project(layout)
    except DataError as exc:
        raise OfflineError(str(exc.problems[0]).removeprefix("ERROR: ")) from None
    language = data.language(lang)
    codes = [x.code for x in data.languages]
    if language is None:
        raise OfflineError(f"--lang {lang}: not a language of this site; choose one of {', '.join(codes)} "
                           "(data/languages.yml)")
    if not language.published:   # a bundle's language is its default one, which must be published
        raise OfflineError(f"--lang {lang}: {lang} is a draft in data/languages.yml; publish it first "
                           f"(python scripts/site.py serve --lang {lang} previews a draft)")
    out = (out or layout.root / DEFAULT_OUT).resolve()
    _writable_folder(out, layout)
    staging, keys = handout_keys(layout, lang)

    name = NAME.format(lang=lang)
    zip_path = out / f"{name}.zip"
    with tempfile.TemporaryDirectory(prefix="lk-offline-") as tmp:
        site = Path(tmp) / name
        log(f"offline: building the {language.name} site ({lang}) for file:// …")
        _build(layout, lang, site, keys)
        for key in keys:
            target = site / HANDOUTS_FOLDER / f"{key}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staging / f"{key}.pdf", target)
        files, problems = collect(site)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise OfflineError(f"the {lang} bundle would be broken: {problems[0]}{more}")
        readme_path = site / "README.txt"
        readme_path.write_text(readme(data, lang, len(keys)), encoding="utf-8")
        files.add(readme_path)
        unpacked = sum(p.stat().st_size for p in files if p.suffix != ".pdf")
        tmp_zip = out / f".{name}.zip.tmp"
        try:
            with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
                for path in sorted(files):
                    archive.write(path, f"{name}/{path.relative_to(site).as_posix()}")
            os.replace(tmp_zip, zip_path)
        except OSError as exc:
            tmp_zip.unlink(missing_ok=True)
            raise OfflineError(f"{display(layout, zip_path)}: cannot write the zip ({exc.strerror or exc}); "
                               "choose a writable folder with --out") from None
        pages = sum(1 for p in files if p.suffix == ".html")
    size = zip_path.stat().st_size
    pdf_bytes = sum((staging / f"{k}.pdf").stat().st_size for k in keys)
    warnings = []
    if size - pdf_bytes > TARGET_BYTES:
        warnings.append(f"WARNING: {display(layout, zip_path)}: {mb(size - pdf_bytes)} without PDFs, over the "
                        f"{mb(TARGET_BYTES)} target")
    return Result(zip_path, size, pages, len(keys), len(files), unpacked, warnings)


def display(layout: Layout, path: Path) -> str:
    """Inside the project: relative to it; elsewhere: the full path."""
    try:
        return path.resolve().relative_to(layout.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def mb(n: int) -> str:
    return f"{n / (1024 * 1024):.2f} MB"
