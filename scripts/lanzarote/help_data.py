"""Help services (data/help/*.yml): read, validate, and pick what a page may show."""
from __future__ import annotations

from dataclasses import dataclass

from .data import read_yaml, schema_problems
from .paths import Layout
from .problems import Problem

INTERNATIONAL = "INTERNATIONAL"


@dataclass
class HelpDirectory:
    countries: dict[str, dict]          # ISO code -> file content
    international: dict | None

    def for_children(self, country: str | None = None) -> list[dict]:
        """Confirmed services only: the home country's first, then the Europe-wide ones."""
        chosen = []
        if country and country in self.countries:
            chosen += self.countries[country].get("services", [])
        if self.international:
            chosen += self.international.get("services", [])
        return [s for s in chosen if s.get("confidence") == "confirmed"]


def load_help(layout: Layout) -> tuple[HelpDirectory, list[Problem]]:
    problems: list[Problem] = []
    countries: dict[str, dict] = {}
    international = None
    schema = layout.schemas / "help.schema.json"
    for path in sorted(layout.help.glob("*.yml")) if layout.help.is_dir() else []:
        rel = layout.rel(path)
        value, probs = read_yaml(path, layout)
        probs = probs or schema_problems(value, schema, rel, layout)
        if probs:
            problems.extend(probs)
            continue
        code = value["country"]
        expected = "international" if code == INTERNATIONAL else code.lower()
        if path.stem != expected:
            problems.append(Problem(rel, f"country {code} belongs in data/help/{expected}.yml; rename the file "
                                         "or fix the country code"))
            continue
        if code == INTERNATIONAL:
            international = value
        else:
            countries[code] = value
    return HelpDirectory(countries, international), problems
