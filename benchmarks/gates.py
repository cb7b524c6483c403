#!/usr/bin/env python3
"""How much time the content checks and quality gates add to `mkdocs build`.

Prints figures and a ratio from one run:  .venv/bin/python benchmarks/gates.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from lanzarote.checks import known_numbers  # noqa: E402
from lanzarote.content import scan  # noqa: E402
from lanzarote.data import load_project  # noqa: E402
from lanzarote.help_data import load_help  # noqa: E402
from lanzarote.paths import Layout  # noqa: E402
from lanzarote.quality import run_quality  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    layout = Layout()
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        build_s, result = timed(lambda: subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", out], cwd=ROOT, env=env,
            capture_output=True, text=True))
        if result.returncode:
            print(result.stdout + result.stderr)
            return 1
    # The same work the build's on_config does, split into its parts (fresh process state aside).
    data_s, (data, _) = timed(lambda: load_project(layout))
    scan_s, inventory = timed(lambda: scan(data))
    help_s, (directory, _) = timed(lambda: load_help(layout))
    gates_s, (readings, _) = timed(lambda: run_quality(data, inventory, known_numbers(directory)))
    checks_s = data_s + scan_s + help_s + gates_s
    pages = len(inventory.pages)
    print(f"pages checked:                      {pages} ({len(readings)} child pages measured)")
    print(f"mkdocs build, all checks included:  {build_s:6.2f} s")
    print(f"  data + band check + help data:    {data_s + scan_s + help_s:6.2f} s")
    print(f"  quality gates:                    {gates_s:6.2f} s ({1000 * gates_s / max(pages, 1):.1f} ms a page)")
    print(f"build without the checks (est.):    {build_s - checks_s:6.2f} s")
    print(f"ratio, build with / without checks: {build_s / max(build_s - checks_s, 1e-6):6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
