#!/usr/bin/env python3
"""Lanzarote for Kids: one command for the project's chores.

  python scripts/site.py check            check data and pages; print the band matrix
  python scripts/site.py help-report      per Party, which kinds of help service are confirmed
  python scripts/site.py build [--drafts] build the site into site/
  python scripts/site.py serve [--drafts] serve with live reload on http://127.0.0.1:8000/

Every check also runs inside `mkdocs build` and `mkdocs serve`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lanzarote.checks import run_checks  # noqa: E402
from lanzarote.content import format_matrix  # noqa: E402
from lanzarote.paths import layout_for  # noqa: E402

DRAFTS_ENV = "LANZAROTE_DRAFTS"


def cmd_check(args) -> int:
    layout = layout_for(args.root)
    report = run_checks(layout)
    if report.data and report.inventory:
        print(format_matrix(report.data, report.inventory))
        print()
    if report.readings:
        from lanzarote.quality import format_readings
        print(format_readings(report.readings))
        print()
    for problem in report.problems:
        print(problem)
    n_err, n_warn = len(report.errors), len(report.problems) - len(report.errors)
    print(f"check: {n_err} error(s), {n_warn} warning(s)" + ("" if n_err else " — OK"))
    if args.json:
        payload = {
            "ok": report.ok,
            "problems": [{"severity": p.severity, "path": p.path, "line": p.line, "message": p.message}
                         for p in report.problems],
            "matrix": report.inventory.matrix if report.inventory else {},
            "readings": [r.as_dict() for r in report.readings],
        }
        try:
            Path(args.json).write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            print(f"ERROR: {args.json}: cannot write the JSON report ({exc.strerror}); choose a writable path")
            return 1
    return 0 if report.ok else 1


def cmd_help_report(args) -> int:
    from lanzarote.help_data import coverage, format_coverage, load_help

    layout = layout_for(args.root)
    directory, problems = load_help(layout)
    rows = coverage(directory)
    print(format_coverage(rows))
    for problem in problems:
        print(problem)
    if args.json:
        try:
            Path(args.json).write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            print(f"ERROR: {args.json}: cannot write the JSON report ({exc.strerror}); choose a writable path")
            return 1
    return 1 if any(p.is_error for p in problems) else 0


def _mkdocs(args, verb: str, extra: list[str]) -> int:
    env = dict(os.environ)
    if args.drafts:
        env[DRAFTS_ENV] = "1"
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = layout_for(args.root).root
    cmd = [sys.executable, "-m", "mkdocs", verb, "-f", str(root / "mkdocs.yml")] + extra
    try:
        return subprocess.call(cmd, env=env, cwd=root)
    except KeyboardInterrupt:
        return 130


def cmd_build(args) -> int:
    return _mkdocs(args, "build", ["--site-dir", args.site_dir] if args.site_dir else [])


def cmd_serve(args) -> int:
    return _mkdocs(args, "serve", ["--dev-addr", args.dev_addr, "--livereload"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="site.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", help=argparse.SUPPRESS)  # tests point this at a fixture project
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="check data and pages; exit 1 on any error")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("help-report", help="which help services are confirmed, per Party")
    p.add_argument("--json", metavar="FILE", help="also write the coverage as JSON")
    p.set_defaults(func=cmd_help_report)

    p = sub.add_parser("build", help="build the site (runs every check)")
    p.add_argument("--drafts", action="store_true", help="include draft languages, for previewing")
    p.add_argument("--site-dir", help="output folder (default: site/)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="serve the site locally with live reload")
    p.add_argument("--drafts", action="store_true", help="include draft languages, for previewing")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address:port (default 127.0.0.1:8000)")
    p.set_defaults(func=cmd_serve)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
