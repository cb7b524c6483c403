"""A child page's first visit is light: everything Chromium fetches until the network is idle
(HTML, CSS, JavaScript, icon), gzipped, stays within the budget. A size in bytes, measured in a
browser with an empty cache; never a time. benchmarks/weight.py prints the same figures."""
from __future__ import annotations

import sys

import pytest

from browser_support import browser, chromium_available, serve
from support import REPO
from test_search import BUILT, DATA, real_site, root_of

sys.path.insert(0, str(REPO / "benchmarks"))
from weight import BUDGET_GZIP, first_visit, totals  # noqa: E402

pytestmark = pytest.mark.browser
if not chromium_available():
    pytest.skip("Debian's chromium is not installed (bash dev.sh test installs it)", allow_module_level=True)

# In every language and band the help page (the heaviest: every country's services), and one
# ordinary topic page per language.
PAGES = [f"{root_of(code)}{band}/help/" for code in BUILT for band in DATA.language(code).bands] + \
        [f"{root_of(code)}{DATA.language(code).bands[0]}/online/" for code in BUILT]


def test_child_pages_first_visit_within_the_budget():
    site = real_site()
    over, heaviest, seen = [], (0, ""), 0
    with serve(site) as base, browser() as chromium:
        for path in PAGES:
            if not (site / path / "index.html").is_file():
                continue
            files = first_visit(chromium, base + path)
            n, raw, gz = totals(files)
            names = [f["url"][len(base):] for f in files]
            assert all(f["status"] == 200 for f in files), (path, [(f["url"], f["status"]) for f in files])
            # Nothing of search (index, lunr, worker) and no Material bundle on a page's first visit.
            assert not [u for u in names if "lunr" in u or "search_index" in u or "bundle." in u
                        or "workers/" in u or "lk-search-results" in u], (path, names)
            if gz > BUDGET_GZIP:
                over.append(f"{path}: {gz} bytes gzipped over {n} requests ({raw} raw)")
            heaviest = max(heaviest, (gz, path))
            seen += 1
    assert seen >= len(BUILT) * 2, "too few child pages found to measure"
    assert not over, f"over the {BUDGET_GZIP}-byte budget:\n" + "\n".join(over)
    print(f"\nheaviest child page first visit: {heaviest[1]} {heaviest[0]} bytes gzipped "
          f"(budget {BUDGET_GZIP})")
