#!/usr/bin/env python3
"""Handouts: full render vs incremental re-runs, on a throw-away copy of the real project.

    .venv/bin/python benchmarks/handouts.py [--lang en] [--repeat 3]

Prints wall-clock seconds of `site.py handouts` (whole command, as a user runs it) for:
  full         empty cache: every page of the language, the booklets and the consultation kit
  unchanged    the same command again (nothing changed: nothing is rendered)
  one page     after changing one child page (its handout and its band's booklet re-render)
and the ratios full / incremental. Needs WeasyPrint and the Noto fonts (bash dev.sh handouts).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def copy_project(target: Path) -> Path:
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, target / name)
    for name in ("overrides", "data", "docs"):
        shutil.copytree(REPO / name, target / name)
    (target / "scripts").symlink_to(REPO / "scripts")
    return target


def handouts(root: Path, lang: str) -> tuple[float, int, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "site.py"), "--root", str(root), "handouts",
                             "--lang", lang, "--out", str(root / "out")],
                            capture_output=True, text=True,
                            env=dict(os.environ, LANZAROTE_SITE_URL="https://bench.test/"))
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"handouts failed:\n{result.stdout}{result.stderr}")
    summary = result.stdout.strip().splitlines()[-1]
    rendered = int(re.search(r"(\d+) rendered", summary).group(1))
    return elapsed, rendered, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median is reported)")
    args = parser.parse_args()

    full, unchanged, one_page = [], [], []
    counts = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="lk-bench-") as tmp:
            root = copy_project(Path(tmp))
            t, n, summary = handouts(root, args.lang)
            full.append(t)
            counts["full"], counts["pdfs"] = n, summary
            t, n, _ = handouts(root, args.lang)
            unchanged.append(t)
            counts["unchanged"] = n
            page = root / "docs" / args.lang / "7-10" / "online.md"
            page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence for the benchmark.\n",
                            encoding="utf-8")
            t, n, _ = handouts(root, args.lang)
            one_page.append(t)
            counts["one page"] = n

    med = {name: statistics.median(v) for name, v in
           (("full", full), ("unchanged", unchanged), ("one page", one_page))}
    print(f"handouts for '{args.lang}', median of {args.repeat} run(s) each; {counts['pdfs']}")
    print(f"{'run':12} {'seconds':>8} {'PDFs rendered':>14}")
    for name in ("full", "unchanged", "one page"):
        print(f"{name:12} {med[name]:8.2f} {counts[name]:14d}")
    print(f"ratio full / unchanged: {med['full'] / med['unchanged']:.1f}x")
    print(f"ratio full / one page:  {med['full'] / med['one page']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
