"""Help services (data/help/*.yml): read, validate, and choose what a page may show.

One file per Party (data/parties.yml) plus international.yml. Children only ever see entries with
`confidence: confirmed`; the adults' directory shows everything with its source and check date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .data import read_yaml, schema_problems
from .paths import Layout
from .problems import DataError, Problem

INTERNATIONAL = "INTERNATIONAL"
KINDS = ("child-helpline", "emergency", "report-online-abuse", "missing-children", "police", "other")
STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class Party:
    code: str
    name: str
    languages: tuple[str, ...]


@dataclass
class HelpDirectory:
    parties: list[Party]
    countries: dict[str, dict] = field(default_factory=dict)   # ISO code -> file content
    international: dict | None = None

    def confirmed(self, code: str | None) -> list[dict]:
        entry = self.international if code in (None, INTERNATIONAL) else self.countries.get(code)
        return [s for s in (entry or {}).get("services", []) if s.get("confidence") == "confirmed"]

    def for_children(self, country: str | None = None) -> list[dict]:
        """Confirmed services only: the home country's first, then the Europe-wide ones."""
        return (self.confirmed(country) if country else []) + self.confirmed(INTERNATIONAL)

    def ordered_parties(self, lang: str, home: str | None, names: dict[str, str]) -> list[Party]:
        """Home country first, then Parties where `lang` is a national language, then by name."""
        def key(party: Party):
            return (party.code != home, lang not in party.languages, names.get(party.code, party.name))
        return sorted(self.parties, key=key)


def _dates_as_text(value):
    """YAML turns an unquoted 2026-11-23 into a date; the schema wants the text."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_parties(layout: Layout) -> list[Party]:
    path = layout.data / "parties.yml"
    value, problems = read_yaml(path, layout)
    if not problems:
        problems = schema_problems(value, layout.schemas / "parties.schema.json", layout.rel(path), layout)
    if problems:
        raise DataError(problems)
    return [Party(p["code"], p["name"], tuple(p["languages"])) for p in value["parties"]]


def load_help(layout: Layout, today: dt.date | None = None) -> tuple[HelpDirectory, list[Problem]]:
    today = today or dt.date.today()
    try:
        parties = load_parties(layout)
    except DataError as exc:
        return HelpDirectory([]), list(exc.problems)
    directory = HelpDirectory(parties)
    problems: list[Problem] = []
    schema = layout.schemas / "help.schema.json"
    party_codes = {p.code for p in parties}
    files = sorted(layout.help.glob("*.yml")) if layout.help.is_dir() else []
    for path in files:
        rel = layout.rel(path)
        value, probs = read_yaml(path, layout)
        value = _dates_as_text(value)
        probs = probs or schema_problems(value, schema, rel, layout)
        if probs:
            problems.extend(probs)
            continue
        code = value["country"]
        if code != INTERNATIONAL and code not in party_codes:
            problems.append(Problem(rel, f"country: {code} is not a Party to the Convention (data/parties.yml); "
                                         "remove the file or fix the code"))
            continue
        expected = "international" if code == INTERNATIONAL else code.lower()
        if path.stem != expected:
            problems.append(Problem(rel, f"country: {code} belongs in data/help/{expected}.yml; rename the "
                                         "file or fix the code"))
            continue
        problems.extend(_service_problems(value, rel, today))
        if code == INTERNATIONAL:
            directory.international = value
        else:
            directory.countries[code] = value
    have = set(directory.countries)
    for party in parties:
        if party.code not in have and not any(p.path == f"data/help/{party.code.lower()}.yml" for p in problems):
            problems.append(Problem(f"data/help/{party.code.lower()}.yml",
                                    f"no help file for {party.name}; create it (country: {party.code}, "
                                    "services: []) and record what research found in notes"))
    return directory, problems


def _service_problems(value: dict, rel: str, today: dt.date) -> list[Problem]:
    problems = []
    seen_ids, seen_contacts = set(), set()
    for i, service in enumerate(value["services"]):
        where = f"services.{i} ({service['id']})"
        if service["id"] in seen_ids:
            problems.append(Problem(rel, f"{where}: id '{service['id']}' is used twice; give each service "
                                         "its own id or remove the duplicate"))
        seen_ids.add(service["id"])
        contact = (service["kind"], service["contact"].get("phone") or service["contact"].get("web"))
        if contact in seen_contacts:
            problems.append(Problem(rel, f"{where}: the same {service['kind']} contact is listed twice; "
                                         "remove the duplicate"))
        seen_contacts.add(contact)
        try:
            checked = dt.date.fromisoformat(service["verified_on"])
        except ValueError:
            problems.append(Problem(rel, f"{where}.verified_on: '{service['verified_on']}' is not a real "
                                         "date; write YYYY-MM-DD"))
            continue
        if checked > today:
            problems.append(Problem(rel, f"{where}.verified_on: {checked} is in the future; write the day "
                                         "the source was checked"))
        elif (today - checked).days > STALE_AFTER_DAYS and service["confidence"] == "confirmed":
            problems.append(Problem(rel, f"{where}: last checked {checked}, more than 12 months ago; "
                                         "check the source again and update verified_on", "warning"))
    return problems


def coverage(directory: HelpDirectory) -> list[dict]:
    """Per Party, which kinds of service are confirmed (and which are only unconfirmed)."""
    rows = []
    for party in directory.parties:
        services = directory.countries.get(party.code, {}).get("services", [])
        row = {"code": party.code, "name": party.name}
        for kind in ("child-helpline", "emergency", "report-online-abuse", "missing-children"):
            kinds = [s for s in services if s["kind"] == kind]
            row[kind] = ("confirmed" if any(s["confidence"] == "confirmed" for s in kinds)
                         else "unconfirmed" if kinds else "missing")
        rows.append(row)
    return rows


def format_coverage(rows: list[dict]) -> str:
    cols = ("child-helpline", "emergency", "report-online-abuse", "missing-children")
    mark = {"confirmed": "✓", "unconfirmed": "?", "missing": "—"}
    out = ["code  " + "  ".join(c.ljust(19) for c in cols) + "  party"]
    for row in rows:
        out.append(row["code"].ljust(6) + "  ".join(mark[row[c]].ljust(19) for c in cols) + "  " + row["name"])
    totals = {c: sum(r[c] == "confirmed" for r in rows) for c in cols}
    out.append("confirmed: " + ", ".join(f"{c} {n}/{len(rows)}" for c, n in totals.items()))
    out.append("✓ confirmed (shown to children)   ? unconfirmed (adults' directory only)   — nothing found")
    return "\n".join(out)
