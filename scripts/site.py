#!/usr/bin/env python3
"""Lanzarote for Kids: one command for the project's chores.

  python scripts/site.py check            check data and pages; print the band matrix
  python scripts/site.py help-report      per Party, which kinds of help service are confirmed
  python scripts/site.py status           translation status per language and band
  python scripts/site.py mark-translated docs/fr/7-10/online.md   record a finished translation
  python scripts/site.py record-review docs/en/7-10/online.md --role legal --kind human --by "Name"
                                          record who reviewed a page, in which role
  python scripts/site.py new-language uk  add a draft language with everything to translate
  python scripts/site.py build [--drafts] build the site into site/
  python scripts/site.py serve [--drafts] serve with live reload on http://127.0.0.1:8000/
  python scripts/site.py handouts --lang en --band 7-10 [--topic online] [--country FR]
                                          printable PDFs (needs WeasyPrint: bash dev.sh handouts)
  python scripts/site.py build --handouts the site with every page's PDF under /handouts/
  python scripts/site.py offline --lang fr [--out DIR]
                                          one language's site as a zip that works from file://
  python scripts/site.py serve --lang fr  serve only that language (and the default one), faster

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


def _project(args):
    """The project's data and pages, or None after printing why they cannot be read."""
    from lanzarote.checks import run_checks

    report = run_checks(layout_for(args.root))
    if report.data is None:
        for problem in report.problems:
            print(problem)
        return None
    return report


def _write_json(target: str, payload) -> int:
    try:
        Path(target).write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        print(f"ERROR: {target}: cannot write the JSON report ({exc.strerror}); choose a writable path")
        return 1
    return 0


def cmd_status(args) -> int:
    from lanzarote.reviews import coverage, format_coverage
    from lanzarote.translation import format_status, status_table

    report = _project(args)
    if report is None:
        return 1
    rows = status_table(report.data, report.inventory)
    print("translations")
    print(format_status(rows))
    reviews = coverage(report.data, report.inventory)
    print()
    print("reviews (pages whose current text was reviewed, per role)")
    print(format_coverage(reviews))
    return _write_json(args.json, {"translations": rows, "reviews": reviews}) if args.json else 0


def cmd_record_review(args) -> int:
    from lanzarote.reviews import record_review

    report = _project(args)
    if report is None:
        return 1
    status = 0
    for name in args.pages:
        path = _page_path(args, name)
        try:
            print(record_review(report.data, path, args.role, args.kind, args.by, on=args.on, notes=args.notes))
        except ValueError as exc:
            print(f"ERROR: {exc}")
            status = 1
    return status


def _page_path(args, name: str) -> Path:
    """A page given on the command line: relative to the project first, then to where we are."""
    path = Path(name)
    if not path.is_absolute():
        in_project = layout_for(args.root).root / path
        path = in_project if in_project.exists() or not path.exists() else path.resolve()
    return path


def cmd_mark_translated(args) -> int:
    from lanzarote.translation import mark_translated

    report = _project(args)
    if report is None:
        return 1
    status = 0
    for name in args.pages:
        path = _page_path(args, name)
        try:
            print(mark_translated(report.data, path, reviewed_by=args.reviewed_by, translated_by=args.translated_by))
        except ValueError as exc:
            print(f"ERROR: {exc}")
            status = 1
    return status


def cmd_calibrate(args) -> int:
    from lanzarote.calibrate import calibrate

    report = _project(args)
    if report is None:
        return 1
    try:
        ceilings, comment = calibrate(report, args.code)
    except ValueError as exc:
        print(f"ERROR: {exc}")
        return 1
    print(f"# {comment}")
    print("ceilings:")
    for band, values in ceilings.items():
        print(f'  "{band}": {{lix: {values["lix"]}, mean_sentence: {values["mean_sentence"]}}}')
    if args.write:
        from lanzarote.calibrate import write_ceilings

        write_ceilings(layout_for(args.root).data / "languages.yml", args.code, ceilings, comment)
        print(f"written to data/languages.yml ({args.code})")
    return 0


def cmd_new_language(args) -> int:
    from lanzarote.translation import new_language

    report = _project(args)
    if report is None:
        return 1
    try:
        lines = new_language(report.data, args.code, autonym=args.autonym, direction=args.direction,
                             theme_language=args.theme_language)
    except ValueError as exc:
        print(f"ERROR: {exc}")
        return 1
    for line in lines:
        print(line)
    print(f"next: translate the pages in docs/{args.code}/, then run site.py mark-translated for each; "
          "site.py status shows what is left")
    return 0


def _host_env(args) -> dict:
    """The hosting options given on the command line, as the environment data.py reads."""
    from lanzarote.data import HOST_ENV

    env = {}
    for key, option in (("languages", "languages"), ("default_language", "default_language"),
                        ("home_country", "country"), ("quick_exit_url", "quick_exit_url")):
        if getattr(args, option, None):
            env[HOST_ENV[key]] = getattr(args, option)
    return env


def _mkdocs(args, verb: str, extra: list[str], env_extra: dict | None = None) -> int:
    env = dict(os.environ, **(env_extra or {}))
    if args.drafts:
        env[DRAFTS_ENV] = "1"
    env.update(_host_env(args))
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = layout_for(args.root).root
    cmd = [sys.executable, "-m", "mkdocs", verb, "-f", str(root / "mkdocs.yml")] + extra
    try:
        return subprocess.call(cmd, env=env, cwd=root)
    except KeyboardInterrupt:
        return 130


def cmd_build(args) -> int:
    if getattr(args, "handouts", False):
        return _build_with_handouts(args)
    return _mkdocs(args, "build", ["--site-dir", args.site_dir] if args.site_dir else [])


def _build_with_handouts(args) -> int:
    """Render the PDFs first (incremental), build with their list in LANZAROTE_HANDOUTS so the
    page partial links only PDFs that exist, then copy them into <site>/handouts/."""
    import shutil

    from lanzarote import handouts

    layout = layout_for(args.root)
    staging = layout.root / handouts.CACHE_FOLDER / "site"
    os.environ.update(_host_env(args))   # the PDFs follow the same hosting options as the build
    try:
        result = handouts.run_for_site(layout, staging, drafts=args.drafts, country=args.country,
                                       paper=args.paper, log=_flush_print)
    except handouts.HandoutError as exc:
        print(f"ERROR: {exc}")
        return 1
    _print_handout_summary(layout, result)
    extra = ["--site-dir", args.site_dir] if args.site_dir else []
    rc = _mkdocs(args, "build", extra, {handouts.LINKS_ENV: " ".join(result.keys)})
    if rc != 0:
        return rc
    site_dir = layout.root / args.site_dir if args.site_dir else layout.site
    target = site_dir / handouts.SITE_FOLDER
    try:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(staging, target)
    except OSError as exc:
        print(f"ERROR: {target}: cannot copy the PDFs into the site ({exc.strerror or exc}); check the folder")
        return 1
    print(f"handouts: {len(result.keys)} PDF(s) copied to {handouts.display(layout, target)}/")
    return 0


def _flush_print(line: str) -> None:
    print(line, flush=True)


def _print_handout_summary(layout, result) -> None:
    from lanzarote.handouts import display

    print(f"handouts: {len(result.keys)} PDF(s) in {display(layout, result.out)}/ — {len(result.rendered)} rendered, "
          f"{len(result.reused)} unchanged (reused from the cache)")


def cmd_handouts(args) -> int:
    from lanzarote import handouts

    layout = layout_for(args.root)
    options = handouts.Options(langs=args.lang, bands=args.band, topics=args.topic, country=args.country,
                               paper=args.paper, out=Path(args.out).resolve() if args.out else None,
                               drafts=args.drafts, booklets=not args.no_booklet)
    try:
        result = handouts.run(layout, options, log=_flush_print)
    except handouts.HandoutError as exc:
        print(f"ERROR: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    _print_handout_summary(layout, result)
    return 0


def cmd_serve(args) -> int:
    env = {}
    if args.lang:   # only this language and the default one (static-i18n's outer build), drafts too
        from lanzarote.data import HOST_ENV, load_project
        from lanzarote.problems import DataError

        try:
            data, _ = load_project(layout_for(args.root))
        except DataError as exc:
            print(exc.problems[0])
            return 1
        codes = [lang.code for lang in data.languages]
        if args.lang not in codes:
            print(f"ERROR: --lang {args.lang}: not a language of this site; choose one of {', '.join(codes)} "
                  "(data/languages.yml)")
            return 1
        env[HOST_ENV["languages"]] = ",".join(dict.fromkeys([data.site.default_language, args.lang]))
        if not data.language(args.lang).published:
            args.drafts = True
    return _mkdocs(args, "serve", ["--dev-addr", args.dev_addr, "--livereload"], env)


def cmd_offline(args) -> int:
    from lanzarote import offline

    layout = layout_for(args.root)
    try:
        result = offline.run(layout, args.lang, Path(args.out) if args.out else None, log=_flush_print)
    except offline.OfflineError as exc:
        print(f"ERROR: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    for line in result.warnings:
        print(line)
    print(f"offline: {offline.display(layout, result.zip_path)}: {offline.mb(result.size)} ({result.pages} pages, "
          f"{result.pdfs} PDF(s), {offline.mb(result.unpacked)} unpacked without PDFs); open index.html "
          "inside it, or read README.txt")
    return 0


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

    p = sub.add_parser("status", help="translation status per language and band")
    p.add_argument("--json", metavar="FILE", help="also write the table as JSON")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("mark-translated", help="record that translated pages match the current English")
    p.add_argument("pages", nargs="+", help="translated pages, e.g. docs/fr/7-10/online.md")
    p.add_argument("--translated-by", help="who translated it (name or organisation)")
    p.add_argument("--reviewed-by", help="who reviewed it (records today's date too)")
    p.set_defaults(func=cmd_mark_translated)

    p = sub.add_parser("record-review", help="record that a page (as it is now) was reviewed, and by whom")
    p.add_argument("pages", nargs="+", help="reviewed pages, e.g. docs/en/7-10/online.md")
    p.add_argument("--role", required=True, help="child-protection, legal, language or child-reader")
    p.add_argument("--kind", required=True, help="human (a person reviewed it) or automated (a desk review "
                                                 "by a program); pages say 'reviewed by' only for people")
    p.add_argument("--by", required=True, help="who reviewed it (name or organisation, or which automated review)")
    p.add_argument("--on", help="date of the review, YYYY-MM-DD (default: today)")
    p.add_argument("--notes", help="one line on what the review found or changed")
    p.set_defaults(func=cmd_record_review)

    p = sub.add_parser("calibrate", help="suggest a language's reading-level ceilings from its translations")
    p.add_argument("code", help="language code, e.g. uk")
    p.add_argument("--write", action="store_true", help="put them into data/languages.yml")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("new-language", help="add a draft language with everything to translate")
    p.add_argument("code", help="ISO 639-1 code, e.g. uk, tr, ka, ar")
    p.add_argument("--autonym", help="the language's name in itself (default from CLDR)")
    p.add_argument("--direction", choices=["ltr", "rtl"], help="text direction (default: rtl for ar, he, fa, ur)")
    p.add_argument("--theme-language", help="Material UI translation to use when it has none for this code")
    p.set_defaults(func=cmd_new_language)

    p = sub.add_parser("build", help="build the site (runs every check)")
    p.add_argument("--drafts", action="store_true", help="include draft languages, for previewing")
    p.add_argument("--site-dir", help="output folder (default: site/)")
    p.add_argument("--handouts", action="store_true",
                   help="also render every page's PDF (and booklets, consultation kit) into <site>/handouts/ "
                        "and link them from the pages (needs WeasyPrint: bash dev.sh build --handouts)")
    p.add_argument("--country", help="show this country's help services first on help pages (and in "
                                     "handouts); ISO code, e.g. DE (default: data/site.yml home_country)")
    p.add_argument("--paper", default="a4", help="with --handouts: a4 (default) or letter")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("handouts", help="printable PDFs of the pages, booklets and the consultation kit",
                       description="Render pages to print-ready PDFs with WeasyPrint (bash dev.sh handouts "
                                   "installs it and the fonts). Reuses unchanged PDFs from .cache/handouts/.")
    p.add_argument("--lang", action="append", metavar="CODE", help="language (repeatable; default: every "
                   "built language)")
    p.add_argument("--band", action="append", metavar="BAND", help="7-10, 11-14, 15-17 or adults (the "
                   "consultation kit); repeatable; default: all, and the kit")
    p.add_argument("--topic", action="append", metavar="TOPIC", help="topic id from data/topics.yml "
                   "(repeatable; default: every topic, plus a booklet per band)")
    p.add_argument("--country", metavar="CC", help="help services of this country, e.g. FR (default: "
                   "data/site.yml home_country; Europe-wide services always follow)")
    p.add_argument("--paper", default="a4", metavar="SIZE", help="a4 (default) or letter")
    p.add_argument("--out", metavar="DIR", help="output folder (default: handouts/)")
    p.add_argument("--drafts", action="store_true", help="without --lang: include draft languages")
    p.add_argument("--no-booklet", action="store_true", help="skip the booklets")
    p.set_defaults(func=cmd_handouts)

    p = sub.add_parser("serve", help="serve the site locally with live reload")
    p.add_argument("--drafts", action="store_true", help="include draft languages, for previewing")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address:port (default 127.0.0.1:8000)")
    p.add_argument("--country", help="show this country's help services first (ISO code, e.g. DE)")
    p.add_argument("--lang", metavar="CODE", help="build only this language (and the default one), so "
                   "live reload stays fast while translating; a draft language is included")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("offline", help="one language's whole site as a zip that works without internet",
                       description="Build one language for file:// (a USB stick, a laptop offline) into "
                                   "<out>/lanzarote-for-kids-<lang>.zip, with a README for facilitators. "
                                   "PDFs made earlier by `build --handouts` are included and linked.")
    p.add_argument("--lang", required=True, metavar="CODE", help="language code, e.g. fr")
    p.add_argument("--out", metavar="DIR", help="folder for the zip (default: offline/)")
    p.set_defaults(func=cmd_offline)

    for name in ("build", "serve"):   # options for organisations hosting their own copy
        p = sub.choices[name]
        p.add_argument("--languages", help="publish only these languages, e.g. en,fr (default: all published)")
        p.add_argument("--default-language", help="language served at the site root (default: data/site.yml)")
        p.add_argument("--quick-exit-url", help="where the quick-exit button goes (default: data/site.yml)")

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
