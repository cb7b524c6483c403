"""Everything `site.py check` and every mkdocs build verify, in one place."""
from __future__ import annotations

from dataclasses import dataclass, field

from .content import Inventory, scan
from .data import ProjectData, load_project, theme_language_for
from .help_data import load_help
from .paths import Layout
from .problems import DataError, Problem, errors


@dataclass
class Report:
    data: ProjectData | None
    inventory: Inventory | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def ok(self) -> bool:
        return not self.errors


def run_checks(layout: Layout | None = None) -> Report:
    layout = layout or Layout()
    try:
        data, problems = load_project(layout)
    except DataError as exc:
        return Report(None, None, list(exc.problems))
    inventory = scan(data)
    problems = problems + inventory.problems
    problems += load_help(layout)[1]
    for lang in data.languages:
        _, warning = theme_language_for(lang, layout)
        if warning:
            problems.append(warning)
    return Report(data, inventory, sorted(set(problems), key=_order))


def _order(p: Problem):
    return (not p.is_error, p.path, p.line or 0, p.message)
