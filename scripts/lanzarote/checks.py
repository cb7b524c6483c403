"""Everything `site.py check` and every mkdocs build verify, in one place."""
from __future__ import annotations

from dataclasses import dataclass, field

from .content import Inventory, scan
from .data import ProjectData, load_project, theme_language_for
from .help_data import load_help
from .quality import run_quality
from .reviews import check_reviews
from .rules import check_rules, load_rules
from .translation import check_translations
from .paths import Layout
from .problems import DataError, Problem, errors


@dataclass
class Report:
    data: ProjectData | None
    inventory: Inventory | None
    problems: list[Problem] = field(default_factory=list)
    readings: list = field(default_factory=list)   # quality.PageReading per child page

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
    directory, help_problems = load_help(layout)
    problems += help_problems
    readings, quality_problems = run_quality(data, inventory, known_numbers(directory))
    problems += quality_problems
    problems += check_translations(data, inventory)
    problems += check_reviews(data, inventory)
    rules, rule_problems = load_rules(data)
    problems += rule_problems + check_rules(data, inventory, rules)
    for lang in data.languages:
        _, warning = theme_language_for(lang, layout)
        if warning:
            problems.append(warning)
    return Report(data, inventory, sorted(set(problems), key=_order), readings)


def known_numbers(directory) -> set[str]:
    services = [s for entry in list(directory.countries.values()) + [directory.international or {}]
                for s in entry.get("services", [])]
    return {s["contact"]["phone"] for s in services if s["contact"].get("phone")}


def _order(p: Problem):
    return (not p.is_error, p.path, p.line or 0, p.message)
