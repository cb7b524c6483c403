#!/usr/bin/env python3
"""First-visit weight of a child page, against a stock Material page from the same Markdown.

  .venv/bin/python benchmarks/weight.py            (bash dev.sh test installs what it needs)

Builds the site (published languages) and a stock site into temporary folders: a mkdocs.yml
with only `theme: material` and `plugins: [search]`, no hooks, and docs/en copied as its docs.
Serves each on 127.0.0.1 and opens pages in Debian's chromium (Playwright, empty cache) until
the network is idle, adding up every response body: raw bytes, and gzip level 6 of each body
(what a server with gzip sends, without headers). Prints a table per page and the ratios.
"""
from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

BUDGET_GZIP = 45 * 1024          # a child page's first visit, every file, gzipped
PAGES = ["7-10/online/", "11-14/telling/", "15-17/online/", "7-10/help/", "fr/7-10/online/",
         "uk/11-14/online/", "ka/15-17/online/", "ar/7-10/online/"]
STOCK_PAGE = "7-10/online/"
STOCK_CONFIG = "site_name: Stock Material\ntheme:\n  name: material\nplugins:\n  - search\n"


def build_site(out: Path, root: Path = ROOT) -> None:
    """The project's site (published languages), as `mkdocs build` makes it."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", LANZAROTE_DRAFTS="0")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                             "-d", str(out)], cwd=root, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit("mkdocs build failed:\n" + result.stdout + result.stderr)


def build_stock(work: Path, out: Path) -> None:
    """Material with default settings (only the search plugin), from the English Markdown."""
    shutil.copytree(ROOT / "docs" / "en", work / "docs")
    (work / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml"),
                             "-d", str(out)], cwd=work, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit("stock mkdocs build failed:\n" + result.stdout + result.stderr)


def first_visit(chromium, url: str) -> list[dict]:
    """Every response a first visit to `url` receives until the network is idle (fresh context,
    so nothing is cached): url, status, raw body bytes and gzip-6 bytes."""
    context = chromium.new_context()
    seen: list = []
    page = context.new_page()
    page.on("response", lambda r: seen.append(r))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)                    # anything a script starts after idle
    page.wait_for_load_state("networkidle")
    files = []
    for response in seen:
        try:
            body = response.body()
        except Exception:                         # redirects have no body
            body = b""
        files.append({"url": response.url, "status": response.status, "raw": len(body),
                      "gzip": len(gzip.compress(body, 6)) if body else 0})
    context.close()
    return files


def totals(files: list[dict]) -> tuple[int, int, int]:
    return len(files), sum(f["raw"] for f in files), sum(f["gzip"] for f in files)


def kb(n: int) -> str:
    return f"{n / 1024:7.1f}"


def short(url: str, base: str) -> str:
    return url[len(base):] if url.startswith(base) else url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", help="measure this already built site instead of building one")
    parser.add_argument("--files", action="store_true", help="also list every file fetched")
    args = parser.parse_args()

    from browser_support import browser, serve

    with tempfile.TemporaryDirectory(prefix="lk-weight-") as tmp:
        tmp = Path(tmp)
        site = Path(args.site) if args.site else tmp / "site"
        if not args.site:
            build_site(site)
        build_stock(tmp / "stock", tmp / "stock-site")
        rows = []
        with browser() as chromium:
            with serve(tmp / "stock-site") as base:
                stock = first_visit(chromium, base + STOCK_PAGE)
                rows.append(("stock Material: " + STOCK_PAGE, stock, base))
            with serve(site) as base:
                for path in PAGES:
                    if (site / path / "index.html").exists():
                        rows.append((path, first_visit(chromium, base + path), base))

    print(f"{'first visit (empty cache)':40} {'requests':>8} {'raw KB':>8} {'gzip KB':>8}")
    for name, files, _ in rows:
        n, raw, gz = totals(files)
        print(f"{name:40} {n:8d} {kb(raw)} {kb(gz)}")
    _, stock_raw, stock_gz = totals(rows[0][1])
    ours = [totals(files) for _, files, _ in rows[1:]]
    if ours:
        worst = max(gz for _, _, gz in ours)
        child = totals(rows[1][1])
        print(f"\nbudget: {BUDGET_GZIP / 1024:.0f} KB gzip; heaviest page measured {worst / 1024:.1f} KB "
              f"({'within' if worst <= BUDGET_GZIP else 'OVER'} budget)")
        print(f"ratio, stock / ours ({rows[1][0]}): raw {stock_raw / child[1]:.1f}x, gzip {stock_gz / child[2]:.1f}x")
    if args.files:
        for name, files, base in rows:
            print(f"\n{name}")
            for f in files:
                print(f"  {f['status']} {kb(f['raw'])} {kb(f['gzip'])}  {short(f['url'], base)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
