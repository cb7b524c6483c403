#!/usr/bin/env python3
"""Search index size per language against one combined index, and what a first search costs.

  .venv/bin/python benchmarks/search.py [--site DIR]

Builds the site (published languages) unless --site names a built one. Prints, per language, its
index (raw and gzip level 6) and its share of one index holding every language (the same entries
in one file, as static-i18n merges them); then, in Chromium, what the reader's first search
fetches (search code, lunr, stemmer, index) and how long until results show.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

WORDS = {"en": "helpline", "fr": "aide", "uk": "допомога", "tr": "yardım", "ka": "დახმარება", "ar": "مساعدة"}


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def kb(n: int) -> str:
    return f"{n / 1024:8.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", help="an already built site")
    args = parser.parse_args()

    from lanzarote import search
    from lanzarote.data import load_project
    from weight import build_site

    data, _ = load_project()
    default = data.site.default_language
    with tempfile.TemporaryDirectory(prefix="lk-search-bench-") as tmp:
        site = Path(args.site) if args.site else Path(tmp) / "site"
        if not args.site:
            build_site(site)
        codes = [c.code for c in data.built_languages()
                 if (site / search.language_root(c.code, default) / search.INDEX_NAME).is_file()]
        indexes, combined_docs = {}, []
        for code in codes:
            raw = (site / search.language_root(code, default) / search.INDEX_NAME).read_bytes()
            payload = json.loads(raw.decode("utf-8").split("=", 1)[1].rstrip().rstrip(";"))
            indexes[code] = (raw, payload)
            prefix = search.language_root(code, default)
            combined_docs += [dict(d, location=prefix + d["location"]) for d in payload["docs"]]
        combined = search.index_script("*", None, combined_docs).encode("utf-8")

        n = len(codes)
        print(f"1. Index per language against one combined index ({n} languages; 1/{n} = {1 / n:.0%})")
        print(f"{'index':16} {'entries':>7} {'raw KB':>8} {'gzip KB':>8} {'share raw':>9} {'share gz':>9}  stemmer")
        for code, (raw, payload) in indexes.items():
            print(f"{code:16} {len(payload['docs']):7d} {kb(len(raw))} {kb(gz(raw))} "
                  f"{len(raw) / len(combined):9.0%} {gz(raw) / gz(combined):9.0%}  {payload['stemmer'] or 'none'}")
        print(f"{'combined (all)':16} {len(combined_docs):7d} {kb(len(combined))} {kb(gz(combined))} "
              f"{1:9.0%} {1:9.0%}")
        mean_gz = sum(gz(raw) for raw, _ in indexes.values()) / n
        print(f"a reader downloads {mean_gz / gz(combined):.0%} of the combined index on average "
              f"({gz(combined) / mean_gz:.1f}x less), and only when searching")

        print("\n2. A reader's first search in Chromium (nothing of it is fetched before the box is used)")
        print(f"{'page':22} {'word':12} {'files':>5} {'raw KB':>8} {'gzip KB':>8} {'ms to results':>13} {'results':>7}")
        from browser_support import browser, serve

        with serve(site) as base, browser() as chromium:
            for code in codes:
                start = search.language_root(code, default) + "11-14/online/"
                context = chromium.new_context()
                page = context.new_page()
                page.goto(base + start, wait_until="networkidle")
                seen: list = []
                page.on("response", lambda r: seen.append(r))
                word = WORDS.get(code, "a")
                began = time.perf_counter()
                page.click("input.md-search__input")
                page.fill("input.md-search__input", word)
                page.wait_for_selector(f".md-search-result__list[data-query='{word}']", state="attached",
                                       timeout=30000)
                ms = 1000 * (time.perf_counter() - began)
                found = page.locator(".md-search-result__item").count()
                page.wait_for_load_state("networkidle")
                bodies = [r.body() for r in seen]
                print(f"{start:22} {word:12} {len(bodies):5d} {kb(sum(map(len, bodies)))} "
                      f"{kb(sum(gz(b) for b in bodies))} {ms:13.0f} {found:7d}")
                context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
