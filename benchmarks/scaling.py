#!/usr/bin/env python3
"""Build time as languages grow, and what building one language saves while translating.

  .venv/bin/python benchmarks/scaling.py [--repeat 1]

1. A temporary fixture project (tests/support.py make_project) with 1, 2, 4 and 8 languages, each
   a copy of the real English content (docs/en) under a test code (qa, qb, …; codes no language
   detector knows, so the copies pass every gate). Times `mkdocs build` (checks, every language,
   search split, CSP hashing; Python start-up included) and `site.py check` alone, and prints time
   per language and per page, the ratios to one language, and a least-squares line.
2. The real project: every published language against what `site.py serve --lang fr` rebuilds
   (the default language and French) on each change.
benchmarks/gates.py splits the checks' own time further (data, band check, quality gates).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

COUNTS = (1, 2, 4, 8)
TEST_CODES = ["qa", "qb", "qc", "qd", "qe", "qf", "qg"]


def fixture(root: Path, n: int) -> int:
    """A project with n copies of the English content; returns pages per language."""
    from support import make_project

    real = yaml.safe_load((ROOT / "data" / "languages.yml").read_text(encoding="utf-8"))["languages"]
    english = next(lang for lang in real if lang["code"] == "en")
    bands = yaml.safe_load((ROOT / "data" / "age_bands.yml").read_text(encoding="utf-8"))["bands"]
    ceilings = {b["id"]: {"lix": b["ceilings"]["lix"], "mean_sentence": b["ceilings"]["mean_sentence"]} for b in bands}
    languages = [english] + [{"code": code, "autonym": f"Test {code}", "name": f"Test {code}", "direction": "ltr",
                              "status": "published", "theme_language": "en", "dictionary": "en_US",
                              "ceilings": ceilings} for code in TEST_CODES[: n - 1]]
    topics = yaml.safe_load((ROOT / "data" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    strings, terms = ROOT / "data" / "strings", ROOT / "data" / "terms"
    make_project(root, languages=languages, topics=topics)
    for lang in languages:
        shutil.copy(strings / "en.yml", root / "data" / "strings" / f"{lang['code']}.yml")
        shutil.copy(terms / "en.yml", root / "data" / "terms" / f"{lang['code']}.yml")
        shutil.rmtree(root / "docs" / lang["code"])
        shutil.copytree(ROOT / "docs" / "en", root / "docs" / lang["code"])
    return sum(1 for _ in (ROOT / "docs" / "en").rglob("*.md"))


def timed(args: list[str], cwd: Path, env: dict | None = None) -> float:
    full = dict(os.environ, NO_MKDOCS_2_WARNING="1", LANZAROTE_DRAFTS="0", **(env or {}))
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=full, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return seconds


def build_time(root: Path, out: Path, env: dict | None = None, repeat: int = 1) -> float:
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)]
    return statistics.median(timed(args, root, env) for _ in range(repeat))


def check_time(root: Path, repeat: int = 1) -> float:
    args = [sys.executable, str(ROOT / "scripts" / "site.py"), "--root", str(root), "check"]
    return statistics.median(timed(args, ROOT) for _ in range(repeat))


def line_fit(xs, ys) -> tuple[float, float]:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return slope, my - slope * mx


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (the median is printed)")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="lk-scaling-") as tmp:
        for n in COUNTS:
            root = Path(tmp) / f"n{n}"
            pages = fixture(root, n)
            build_s = build_time(root, root / "site", repeat=args.repeat)
            built = sum(1 for _ in (root / "site").rglob("*.html"))
            check_s = check_time(root, args.repeat)
            rows.append((n, pages, built, build_s, check_s))

    print("1. Build time as languages grow (copies of the English content; mkdocs build, all checks)")
    print(f"{'languages':>9} {'pages':>6} {'build s':>8} {'s/lang':>7} {'ms/page':>8} {'x one':>6} "
          f"{'check s':>8} {'check share':>11}")
    one = rows[0][3]
    for n, _, built, build_s, check_s in rows:
        print(f"{n:9d} {built:6d} {build_s:8.2f} {build_s / n:7.2f} {1000 * build_s / built:8.1f} "
              f"{build_s / one:6.2f} {check_s:8.2f} {check_s / build_s:10.0%}")
    slope, intercept = line_fit([r[0] for r in rows], [r[3] for r in rows])
    worst = max(abs(r[3] - (intercept + slope * r[0])) / r[3] for r in rows)
    print(f"least squares: build ≈ {intercept:.2f} s + {slope:.2f} s × languages "
          f"(largest deviation from the line {worst:.0%}); {rows[-1][3] / one:.2f}× the time for "
          f"{rows[-1][0]}× the languages")
    cslope, cintercept = line_fit([r[0] for r in rows], [r[4] for r in rows])
    print(f"checks alone (site.py check): ≈ {cintercept:.2f} s + {cslope:.2f} s × languages")

    from lanzarote.data import load_project

    data, _ = load_project()
    published = [lang.code for lang in data.built_languages()]
    default = data.site.default_language
    other = next((c for c in published if c != default), default)
    with tempfile.TemporaryDirectory(prefix="lk-scaling-real-") as tmp:
        every = build_time(ROOT, Path(tmp) / "all", repeat=args.repeat)
        one_lang = build_time(ROOT, Path(tmp) / "one", {"LANZAROTE_LANGUAGES": f"{default},{other}"},
                              repeat=args.repeat)
    print(f"\n2. The real project: every published language ({len(published)}: {', '.join(published)}) "
          f"{every:.2f} s; `serve --lang {other}` rebuilds {default}+{other} in {one_lang:.2f} s "
          f"({every / one_lang:.1f}× faster per change)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
