"""Content-Security-Policy and the hosting configs, written after the build.

After every language is built (never inside static-i18n's nested builds), this module hashes each
executable inline script in the built HTML and writes, from the templates in hosting/:

  site/_headers               Netlify-style headers file (Netlify; Cloudflare Pages reads it too)
  site/.htaccess              Apache
  site/nginx-headers.conf     nginx, to `include` inside a server { } block
  site/nginx-language-map.conf  nginx, to `include` inside http { } (language negotiation)

The policy has no 'unsafe-inline': a script or style the policy does not list is blocked by the
browser. Material's few inline scripts are listed by hash (they change with every Material
release, so they are hashed at build time, never typed in). While pages are written, each page is
also checked for the inline code the policy would block (style="…", <style>, onclick=…,
javascript: links); the build then stops with one line per page naming its Markdown file.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError

from .paths import REPO

log = logging.getLogger("mkdocs.hooks.lanzarote.csp")
TEMPLATES = REPO / "hosting"
OUTPUTS = {  # template in hosting/ -> file written into the built site
    "_headers.j2": "_headers",
    "htaccess.j2": ".htaccess",
    "nginx-headers.conf.j2": "nginx-headers.conf",
    "nginx-language-map.conf.j2": "nginx-language-map.conf",
}
# Files in the built site that are configuration, not content: the configs refuse to serve them.
CONFIG_FILES = tuple(OUTPUTS.values())
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


def policy(script_hashes) -> str:
    """The Content-Security-Policy: only this site; inline scripts only by hash."""
    scripts = " ".join(["'self'"] + sorted(script_hashes))
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",        # Material's CSS uses data: SVG icons
        "font-src 'self'",
        "connect-src 'self'",          # the search index
        "worker-src 'self'",           # the search worker
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def security_headers(csp: str) -> dict[str, str]:
    """Headers every response carries (HTML additionally gets Cache-Control: no-store)."""
    return {
        "Content-Security-Policy": csp,
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "X-Content-Type-Options": "nosniff",
    }


HTML_CACHE_CONTROL = "no-store"     # a shared device keeps no copy of what a child read
ASSET_CACHE_CONTROL = "no-cache"    # CSS, JS, index: always revalidated, so updates show at once


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


class _Scanner(HTMLParser):
    """The inline code a policy without 'unsafe-inline' blocks: style="…", <style>, on…=
    handlers and javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocked: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.blocked.append("a <style> element")
        for name, value in attrs:
            if name == "style":
                self.blocked.append(f'style="…" on <{tag}>')
            elif name.startswith("on"):
                self.blocked.append(f"{name}=… on <{tag}>")
            elif name in ("href", "src", "action", "formaction") and \
                    (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f'{name}="javascript:…" on <{tag}>')

    handle_startendtag = handle_starttag


# Cheap first looks, so that most pages are never parsed in full.
_SUSPECT = re.compile(r"<style|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)


class _TagAttrs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        self.attrs = dict(attrs)


def blocked_inline_code(html: str) -> list[str]:
    if not _SUSPECT.search(html):
        return []
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.blocked


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script the browser would run (data blocks such as Material's
    <script type="application/json"> are not scripts and are left out)."""
    found = []
    for match in _SCRIPT.finditer(html):
        parser = _TagAttrs()
        parser.feed(f"<script{match.group(1)}>")
        attrs = parser.attrs
        kind = (attrs.get("type") or "").strip().lower()
        if "src" not in attrs and kind in _EXECUTABLE_TYPES:
            found.append(match.group(2))
    return found


@dataclass
class _State:
    blocked: dict = field(default_factory=dict)   # source file -> what the policy would block


def _state(config) -> _State:
    i18n = config.plugins.get("i18n")
    holder = i18n if i18n is not None else config
    state = getattr(holder, "_lanzarote_csp", None)
    if state is None:
        state = _State()
        setattr(holder, "_lanzarote_csp", state)
    return state


def check_page(output: str, page, config) -> None:
    """Remember inline code the policy would block, by the page's Markdown file."""
    blocked = blocked_inline_code(output)
    if blocked:
        _state(config).blocked.setdefault(f"{Path(config['docs_dir']).name}/{page.file.src_uri}", blocked)


def _building_nested(config) -> bool:
    i18n = config.plugins.get("i18n")
    return i18n is not None and i18n.building


def html_files(site_dir: Path):
    return sorted(p for p in site_dir.rglob("*.html") if p.is_file())


def url_path(site_dir: Path, path: Path) -> str:
    rel = path.relative_to(site_dir).as_posix()
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def accept_language_pattern(codes: list[str], target: str) -> str:
    """A PCRE pattern (case-insensitive) matching an Accept-Language header whose first language
    this site has is `target`: entries for languages the site lacks are skipped, so
    "de-DE,fr;q=0.8" chooses fr, while "en-GB,fr;q=0.8" keeps the default language."""
    known = "|".join(re.escape(c.lower()) for c in sorted(codes, key=len, reverse=True))
    end = "(?:[-;,]|[ ]|$)"
    return (f"^(?:[ ]*(?!(?:{known}){end})[^,]*,)*[ ]*{re.escape(target.lower())}{end}")


def render(site_dir: Path, csp: str, default_language: str, languages: list[str],
           templates: Path = TEMPLATES) -> dict[str, str]:
    """The hosting configs' text, by output file name."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=False,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    others = [c for c in languages if c != default_language]
    context = {
        "headers": security_headers(csp),
        "html_cache_control": HTML_CACHE_CONTROL,
        "asset_cache_control": ASSET_CACHE_CONTROL,
        "html_paths": [url_path(site_dir, p) for p in html_files(site_dir)],
        "default_language": default_language,
        "negotiated": [{"code": c, "pattern": accept_language_pattern(languages, c)} for c in others],
        "config_files": CONFIG_FILES,
        "config_files_pattern": "|".join(re.escape(n) for n in CONFIG_FILES),
    }
    return {out: env.get_template(name).render(**context) for name, out in OUTPUTS.items()}


def on_post_build(config) -> None:
    if _building_nested(config):
        return
    state = _state(config)
    if state.blocked:
        for source, blocked in sorted(state.blocked.items()):
            log.error(f"ERROR: {source}: {blocked[0]} would be blocked by the Content-Security-Policy; "
                      "use a class styled in overrides/assets/stylesheets/site.css (or a script file "
                      "in overrides/assets/javascripts/) instead of inline code")
        raise PluginError(f"{len(state.blocked)} page(s) above have inline code the site's "
                          "Content-Security-Policy blocks")
    site_dir = Path(config["site_dir"])
    hashes, pages = set(), 0
    for path in html_files(site_dir):
        hashes.update(sha256_source(s) for s in inline_scripts(path.read_text(encoding="utf-8")))
        pages += 1
    i18n = config.plugins.get("i18n")
    state_data = getattr(i18n, "_lanzarote_state", None) if i18n is not None else None
    if state_data is not None:
        data = state_data.data
        default = data.site.default_language
        languages = [lang.code for lang in data.built_languages(state_data.drafts)]
    else:
        default, languages = config.theme.get("language") or "en", []
    csp = policy(hashes)
    for name, text in render(site_dir, csp, default, languages or [default]).items():
        (site_dir / name).write_text(text, encoding="utf-8")
    log.info(f"csp: {len(hashes)} inline script hash(es) from {pages} page(s); "
             f"hosting configs written: {', '.join(OUTPUTS.values())}")
