"""Shared by the browser suite (tests/test_browser_*.py): one build of each kind per test run, a
real nginx on 127.0.0.1, axe-core, and what a page shows or leaves behind (requests, storage,
quick-exit geometry, switcher links)."""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from support import REPO, run

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LINKCHECKER = shutil.which("linkchecker") or "/usr/bin/linkchecker"
NEUTRAL = "<html><head><title>Neutral</title></head><body>neutral page</body></html>"

_BUILDS: dict[bool, tuple[Path, str]] = {}


def _build(drafts: bool) -> tuple[Path, str]:
    if drafts not in _BUILDS:
        out = Path(tempfile.mkdtemp(prefix="lk-browser-site-"))
        atexit.register(shutil.rmtree, out, True)
        result = run([sys.executable, "-m", "mkdocs", "build", "-d", str(out)], REPO,
                     {"LANZAROTE_DRAFTS": "1" if drafts else "0"})
        if result.returncode != 0:
            raise AssertionError("mkdocs build failed:\n" + result.stdout + result.stderr)
        _BUILDS[drafts] = (out, result.stdout + result.stderr)
    return _BUILDS[drafts]


def built_site(drafts: bool = False) -> Path:
    """The real site, built once per test run (published languages; with drafts if asked)."""
    return _build(drafts)[0]


def build_log(drafts: bool = False) -> str:
    """What that build printed (MkDocs' own link and anchor validation warnings among it)."""
    return _build(drafts)[1]


def page_paths(site: Path) -> list[str]:
    """Every built HTML page as the URL path a visitor uses (folders for index.html)."""
    paths = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return paths


# ---- axe-core -------------------------------------------------------------------------------

def axe_available() -> bool:
    return AXE_JS.exists()


def run_axe(page) -> list[dict]:
    """axe-core's violations for the WCAG 2.0/2.1/2.2 A and AA tags, one dict per rule."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))   # evaluate: not subject to the page's CSP
    return page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' -- ' +
                                              (n.failureSummary || '').split('\\n').slice(0, 2).join(' '))}));
           }""", AXE_TAGS)


def start_axe(page) -> None:
    """Start axe-core in the page without waiting (two tabs then audit in parallel)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    page.evaluate("(tags) => { window.__lkAxe = axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                  "resultTypes: ['violations']}); }", AXE_TAGS)


def finish_axe(page) -> list[dict]:
    return page.evaluate(
        """async () => {
             const r = await window.__lkAxe;
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' -- ' +
                                              (n.failureSummary || '').split('\\n').slice(0, 2).join(' '))}));
           }""")


def format_violations(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {n}" for n in v["nodes"])
    return "\n".join(lines)


# ---- what a page leaves behind --------------------------------------------------------------

STORAGE_JS = """async () => {
  const ls = [], ss = [];
  for (let i = 0; i < localStorage.length; i++) ls.push([localStorage.key(i), localStorage.getItem(localStorage.key(i))]);
  for (let i = 0; i < sessionStorage.length; i++) ss.push([sessionStorage.key(i), sessionStorage.getItem(sessionStorage.key(i))]);
  const idb = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  const cacheNames = (typeof caches !== 'undefined') ? await caches.keys() : [];
  const workers = navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0;
  return {localStorage: ls, sessionStorage: ss, indexedDB: idb, caches: cacheNames,
          serviceWorkers: workers, cookie: document.cookie};
}"""


def storage_of(page) -> dict:
    """Everything the page's origin has stored in the browser; empty values are dropped."""
    found = page.evaluate(STORAGE_JS)
    return {k: v for k, v in found.items() if v}


# ---- the quick exit on screen ---------------------------------------------------------------

QUICK_EXIT_JS = """() => {
  const el = document.querySelector('[data-quick-exit]');
  if (!el) return {present: false};
  const r = el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const style = getComputedStyle(el);
  const points = [[.5, .5], [.2, .25], [.8, .25], [.2, .75], [.8, .75]]
    .map(([fx, fy]) => [r.left + r.width * fx, r.top + r.height * fy]);
  const covered = points.filter(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return !(hit && (hit === el || el.contains(hit)));
  }).length;
  return {present: true, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          width: r.width, height: r.height, viewport: [vw, vh], covered: covered,
          inside: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= vw + 0.5 && r.bottom <= vh + 0.5,
          shown: style.visibility === 'visible' && style.display !== 'none' && parseFloat(style.opacity) > 0.9};
}"""


def quick_exit_box(page) -> dict:
    return page.evaluate(QUICK_EXIT_JS)


def quick_exit_problem(box: dict) -> str | None:
    if not box.get("present"):
        return "no quick exit"
    if not box["shown"]:
        return "quick exit hidden"
    if not box["inside"]:
        return f"quick exit not fully on screen: {box}"
    if box["covered"]:
        return f"quick exit covered at {box['covered']} of 5 points: {box}"
    return None


OVERFLOW_JS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width + 1) return null;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && getComputedStyle(el).position !== 'fixed') {
      wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
      if (wide.length >= 5) break;
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide};
}"""


def horizontal_overflow(page) -> dict | None:
    """None when the page needs no horizontal scrolling, else what sticks out."""
    return page.evaluate(OVERFLOW_JS)


# ---- links a page offers --------------------------------------------------------------------

LINKS_JS = """() => {
  const meta = n => { const m = document.querySelector(`meta[name="${n}"]`); return m ? m.content : null; };
  const links = sel => [...document.querySelectorAll(sel)].map(a => ({href: a.href.split('#')[0],
      band: a.dataset.band || null, lang: a.getAttribute('lang'), current: a.getAttribute('aria-current')}));
  const here = location.href.split('#')[0];
  const fragments = [...document.querySelectorAll('a[href*="#"]')]
    .filter(a => a.origin === location.origin && a.hash.length > 1)
    .map(a => ({target: a.href.split('#')[0], id: decodeURIComponent(a.hash.slice(1))}));
  return {lang: document.documentElement.lang, dir: document.documentElement.dir,
          band: meta('age-band'), topic: meta('topic'), url: here, fragments: fragments,
          ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
          bandLinks: links('[data-band-switcher] a'), languageLinks: links('[data-language-switcher] a'),
          agePicker: links('[data-age-picker] a[data-band]')};
}"""


def page_facts(page) -> dict:
    return page.evaluate(LINKS_JS)


# ---- focus ----------------------------------------------------------------------------------

FOCUS_JS = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const f = getComputedStyle(el);
  const focused = {outline: f.outlineStyle !== 'none' ? parseFloat(f.outlineWidth) : 0,
                   outlineColor: f.outlineColor, shadow: f.boxShadow, bg: f.backgroundColor, color: f.color};
  const r = el.getBoundingClientRect();
  const points = [[.5, .5], [.1, .2], [.9, .2], [.1, .8], [.9, .8]].map(([fx, fy]) => [r.left + r.width * fx, r.top + r.height * fy]);
  // Something on top hides the element only if it is opaque: a dimming veil (Material's search
  // overlay is 54% black) or a transparent wrapper leaves it visible.
  const see_through = h => {
    let opacity = 1;
    for (let n = h; n && n.nodeType === 1; n = n.parentElement) opacity *= parseFloat(getComputedStyle(n).opacity);
    const bg = getComputedStyle(h).backgroundColor, m = bg.match(/rgba\([^)]*,\s*([\d.]+)\)/);
    const alpha = bg === 'transparent' ? 0 : (m ? parseFloat(m[1]) : 1);
    return opacity < 0.95 || (alpha < 0.95 && !h.childElementCount && !h.textContent.trim());
  };
  const seenAt = (x, y) => {
    for (const h of document.elementsFromPoint(x, y)) {
      if (h === el || el.contains(h) || h.contains(el)) return true;
      if (!see_through(h)) return false;
    }
    return false;
  };
  const seen = points.filter(([x, y]) => seenAt(x, y)).length;
  const id = el.matches('[data-quick-exit]') ? 'quick-exit'
    : el.closest('[data-band-switcher]') ? 'band:' + el.dataset.band
    : el.closest('[data-language-switcher]') ? 'language:' + el.getAttribute('lang')
    : el.closest('[data-help-box]') ? 'help-box'
    : el.closest('[data-age-picker]') && el.dataset.band ? 'age:' + el.dataset.band
    : el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
  return {id: id, focusVisible: el.matches(':focus-visible'), style: focused, seenPoints: seen,
          onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < document.documentElement.clientWidth,
          href: el.href || null};
}"""

BLURRED_JS = """() => {
  const el = document.activeElement; if (!el || el === document.body) return null;
  el.blur();
  const f = getComputedStyle(el);
  const s = {outline: f.outlineStyle !== 'none' ? parseFloat(f.outlineWidth) : 0,
             outlineColor: f.outlineColor, shadow: f.boxShadow, bg: f.backgroundColor, color: f.color};
  el.focus();
  return s;
}"""


def tab_through(page, wanted: set[str] | None, limit: int = 250) -> list[dict]:
    """Press Tab (bounded) until every wanted stop was focused (None: once round the page);
    each stop with how it looks focused (and, for wanted stops, not focused)."""
    stops, first = [], None
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS)
        if stop is None:
            continue
        if not stop["onScreen"] or stop["seenPoints"] == 0:
            page.wait_for_timeout(400)            # let transitions (menu, search) finish first
            stop = page.evaluate(FOCUS_JS) or stop
        key = (stop["id"], stop["href"])
        if first is None:
            first = key
        elif key == first:
            break                                 # went round once
        if wanted and stop["id"] in wanted:
            stop["blurred"] = page.evaluate(BLURRED_JS)
        stops.append(stop)
        if wanted is not None and wanted <= {s["id"] for s in stops}:
            break
    return stops


def focus_problem(stop: dict) -> str | None:
    style, blurred = stop["style"], stop.get("blurred") or {}
    if not stop["onScreen"] or stop["seenPoints"] == 0:
        return f"{stop['id']}: focused but hidden ({stop['seenPoints']} of 5 points visible)"
    outline = style["outline"] >= 2 and style["outlineColor"] not in ("rgba(0, 0, 0, 0)", "transparent")
    changed = any(style[k] != blurred.get(k) for k in ("shadow", "bg", "color")) or \
        (style["outline"] != blurred.get("outline") and style["outline"] >= 2)
    if not (outline and changed):
        return f"{stop['id']}: no visible focus indicator (focused {style}, not focused {blurred})"
    return None


# ---- Content-Security-Policy violations -------------------------------------------------------

WATCH_CSP = """
window.__lkCsp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__lkCsp.push(
  {directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile}));
"""


class CspWatch:
    """CSP violations (securitypolicyviolation events and console messages) and page errors,
    for every page of a browser context."""

    def __init__(self, context):
        self.console: list[str] = []
        self.events: list[dict] = []
        context.add_init_script(WATCH_CSP)
        context.on("page", self.attach)

    def attach(self, page):
        page.on("console", lambda m: self.console.append(f"{page.url}: {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.console.append(f"{page.url}: pageerror: {e}"))

    def collect(self, page):
        self.events.extend(dict(v, page=page.url) for v in page.evaluate("window.__lkCsp || []"))

    def violations(self) -> list:
        console = [m for m in self.console if "Content Security Policy" in m or "Refused to" in m]
        return self.events + console

    def page_errors(self) -> list:
        return [m for m in self.console if ": pageerror: " in m]


# ---- a browser context that never leaves this machine ---------------------------------------

def local_context(chromium, origin: str, offsite: list | None = None, **options):
    """A context whose requests to any other origin are answered locally (and recorded)."""
    context = chromium.new_context(**options)

    def handle(route):
        url = route.request.url
        if url.startswith(origin):
            route.continue_()
        else:
            if offsite is not None:
                offsite.append(url)
            route.fulfill(status=200, content_type="text/html", body=NEUTRAL)

    context.route("**/*", handle)
    return context


# ---- linkchecker ----------------------------------------------------------------------------

def linkchecker_available() -> bool:
    return Path(LINKCHECKER).exists()


@contextmanager
def serve_for_linkchecker(directory: Path):
    """Like browser_support.serve, but answers with the `LinkChecker` header that lets
    linkchecker lift its politeness limit (about 3 requests a second) for this local server."""
    from browser_support import _QuietHandler, serve

    class Handler(_QuietHandler):
        def end_headers(self):
            self.send_header("LinkChecker", "local test server")
            super().end_headers()

    with serve(directory, Handler) as url:
        yield url


LINKCHECKER_CONFIG = """[checking]
threads=4
maxrequestspersecond=1000
timeout=30
[filtering]
checkextern=0
ignore=
  ^(?!{local})
"""


def run_linkchecker(base: str, tmp: Path) -> tuple[int, list[dict], str]:
    """linkchecker over every page reachable from `base`, only this server's URLs.
    Returns (exit code, one dict per broken link or warning, stderr)."""
    import csv
    import re

    tmp.mkdir(parents=True, exist_ok=True)
    config = tmp / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG.format(local=re.escape(base)), encoding="utf-8")
    # As root, linkchecker reads this config, then switches to the user `nobody`: it only needs
    # the network from then on (Debian's python3 stays readable; output goes to a pipe).
    result = subprocess.run([LINKCHECKER, "-f", str(config), "--no-status", "-o", "csv", base],
                            capture_output=True, text=True, timeout=600)
    lines = [ln for ln in result.stdout.splitlines() if ln and not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";")) if lines else []
    return result.returncode, rows, result.stderr


# ---- nginx ----------------------------------------------------------------------------------

def nginx_available() -> bool:
    return Path(NGINX).exists()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NGINX_CONF = """# Test server: the site's generated configs, exactly as an organisation would include them.
daemon off;
worker_processes 1;
{user}pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site}/nginx-language-map.conf;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {site};
        include {site}/nginx-headers.conf;
    }}
}}
"""


@contextmanager
def serve_best(site: Path):
    """nginx with the site's own configs when installed (headers and CSP enforced), else
    Python's http.server. Yields (base URL, True when nginx)."""
    if nginx_available():
        tmp = Path(tempfile.mkdtemp(prefix="lk-nginx-"))
        try:
            with nginx(site, tmp) as base:
                yield base, True
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        from browser_support import serve
        with serve(site) as base:
            yield base, False


@contextmanager
def nginx(site: Path, tmp: Path):
    """A real nginx (a child process, daemon off) serving `site` on 127.0.0.1:<free port>."""
    tmp.mkdir(parents=True, exist_ok=True)
    user = "user root root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    last_error = ""
    for _ in range(3):                               # a port taken between choosing and binding
        port = free_port()
        conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, site=site, port=port), encoding="utf-8")
        check = subprocess.run([NGINX, "-t", "-q", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
                               capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise AssertionError("nginx rejects the generated config:\n" + check.stderr)
        proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 15
        up = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    up = True
                    break
            except OSError:
                time.sleep(0.05)
        if up:
            try:
                yield f"http://127.0.0.1:{port}/"
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        log = tmp / "error.log"
        last_error = (proc.stderr.read() if proc.stderr else "") + \
            (log.read_text(errors="replace") if log.exists() else "")
    raise AssertionError("nginx did not start:\n" + last_error)
