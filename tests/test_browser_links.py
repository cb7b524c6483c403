"""No broken internal link in any published language: linkchecker (Debian's package) crawls the
built site over HTTP from the start page, following every link and resource on every page --
the text's links and those the page shell writes (switchers, help box, age picker, navigation).

Why linkchecker on the built site: it sees exactly what a reader's browser gets, in every
language, where MkDocs' validation sees only the Markdown links. That validation still runs in
every build and is asserted in test_browser_pages.py, with every #anchor checked there against
the live page (linkchecker's AnchorCheck re-downloads a page for each anchor: minutes here).
"""
from __future__ import annotations

import pytest

from browser_audit import built_site, linkchecker_available, page_paths, run_linkchecker, serve_for_linkchecker

pytestmark = pytest.mark.browser
if not linkchecker_available():
    pytest.skip("linkchecker is not installed (bash dev.sh test installs it)", allow_module_level=True)


def describe(rows) -> str:
    return "\n".join(f"{r.get('parentname')} line {r.get('line')}: {r.get('urlname')} -> "
                     f"{r.get('result')} {r.get('warningstring')}" for r in rows)


def test_no_broken_link_in_the_built_site(tmp_path):
    site = built_site()
    with serve_for_linkchecker(site) as base:
        code, rows, stderr = run_linkchecker(base, tmp_path)
    assert not rows, "broken links:\n" + describe(rows)
    assert code == 0, stderr
    assert "internal error" not in stderr.lower(), stderr
    print(f"\nlinkchecker: 0 broken links from {base} ({len(page_paths(site))} pages)")


def test_linkchecker_reports_a_broken_link(tmp_path):
    """The checker as configured here does catch a link to a missing page and a missing image."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<html><body><a href="a/">fine</a> <a href="gone/">gone</a>'
                                     '<a href="https://example.org/">outside</a></body></html>')
    (site / "a" / "index.html").write_text('<html><body><img src="missing.png" alt="x"></body></html>')
    with serve_for_linkchecker(site) as base:
        code, rows, _ = run_linkchecker(base, tmp_path / "lc")
    reported = sorted(r["urlname"] for r in rows)
    assert reported == ["gone/", "missing.png"], describe(rows)
    assert code == 1
