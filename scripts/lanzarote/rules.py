"""The contradiction guard: the few safety instructions that pages of one band must never give
in two incompatible ways (keeping or deleting images, whether a helpline keeps everything
secret, needing a parent's permission).

The rules are data, one file per language (data/rules/<lang>.yml), so translators extend them
with their own phrases. Two kinds:

- `conflict`: side `a` and side `b` are incompatible instructions. If any page of a band says
  one and any page of the same band (and language) says the other, that is an error.
- `together`: where a page says `when` (e.g. "a helpline keeps what you say private"), the same
  paragraph (or list) must also say `with` (its limit: "if you are in danger they may need to
  get help"): the limit belongs where the promise is read, not on another page.

A phrase does not count when one of the rule's `unless_before` phrases comes before it in the
same sentence ("You do NOT NEED TO ask your parents first").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .content import Inventory, Page
from .data import ProjectData, read_yaml, schema_problems
from .problems import Problem

_SENTENCE_START = re.compile(r"[.!?。؟\n]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Side:
    says: str                      # the instruction in plain words, for messages
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str                      # "conflict" or "together"
    about: str
    a: Side                        # conflict: one instruction; together: the `when` side
    b: Side                        # conflict: the incompatible one; together: the `with` side
    unless_before: tuple[re.Pattern, ...] = ()


@dataclass(frozen=True)
class Hit:
    page: Page
    line: int
    text: str


def _compile(patterns, rel: str, where: str, problems: list[Problem]) -> tuple[re.Pattern, ...]:
    out = []
    for i, pattern in enumerate(patterns):
        try:
            out.append(re.compile(rf"(?<!\w){pattern}(?!\w)", re.I | re.U))
        except re.error as exc:
            problems.append(Problem(rel, f"{where}.{i}: not a valid pattern ({exc}); fix the brackets"))
    return tuple(out)


def load_rules(data: ProjectData) -> tuple[dict[str, list[Rule]], list[Problem]]:
    rules: dict[str, list[Rule]] = {}
    problems: list[Problem] = []
    for lang in data.languages:
        path = data.layout.data / "rules" / f"{lang.code}.yml"
        rel = data.layout.rel(path)
        if not path.exists():
            problems.append(Problem(rel, f"no contradiction rules for {lang.code}; copy data/rules/en.yml and "
                                         "write that language's own phrases", "warning"))
            continue
        value, probs = read_yaml(path, data.layout)
        probs = probs or schema_problems(value, data.layout.schemas / "rules.schema.json", rel, data.layout)
        if probs:
            problems.extend(probs)
            continue
        own = []
        for i, entry in enumerate(value["rules"]):
            kind = "together" if "when" in entry else "conflict"
            first, second = ("when", "with") if kind == "together" else ("a", "b")
            a = Side(entry[first]["says"], _compile(entry[first]["phrases"], rel, f"rules.{i}.{first}.phrases", problems))
            b = Side(entry[second]["says"], _compile(entry[second]["phrases"], rel, f"rules.{i}.{second}.phrases", problems))
            unless = _compile(entry.get("unless_before", []), rel, f"rules.{i}.unless_before", problems)
            own.append(Rule(entry["id"], kind, entry["about"], a, b, unless))
        rules[lang.code] = own
    return rules, problems


def _hits(page: Page, side: Side, unless: tuple[re.Pattern, ...], text: str | None = None,
          offset: int = 0) -> list[Hit]:
    text = page.body if text is None else text
    hits = []
    for pattern in side.patterns:
        for match in pattern.finditer(text):
            starts = [m.end() for m in _SENTENCE_START.finditer(text, 0, match.start())]
            sentence_so_far = text[(starts[-1] if starts else 0):match.start()]
            if any(u.search(sentence_so_far) for u in unless):
                continue
            line = page.body_line + offset + text.count("\n", 0, match.start()) + 1
            hits.append(Hit(page, line, match.group(0)))
    return sorted(hits, key=lambda h: h.line)


def _paragraphs(body: str) -> list[tuple[int, str]]:
    """(line offset, text) of each paragraph or list of the body."""
    starts = [0] + [m.end() for m in _BLANK_LINES.finditer(body)]
    ends = [m.start() for m in _BLANK_LINES.finditer(body)] + [len(body)]
    return [(body.count("\n", 0, s), body[s:e]) for s, e in zip(starts, ends)]


def check_rules(data: ProjectData, inventory: Inventory, rules: dict[str, list[Rule]]) -> list[Problem]:
    problems = []
    groups: dict[tuple[str, str], list[Page]] = {}
    for page in inventory.child_pages():
        if not page.untranslated:
            groups.setdefault((page.lang, page.band), []).append(page)
    for (lang, band), pages in sorted(groups.items()):
        language = data.language(lang)
        severity = "error" if language and language.published else "warning"
        for rule in rules.get(lang, []):
            if rule.kind == "conflict":
                problems += _conflicts(rule, pages, lang, band, severity)
            else:
                problems += _missing_together(rule, pages, lang, severity)
    return problems


def _conflicts(rule: Rule, pages: list[Page], lang: str, band: str, severity: str) -> list[Problem]:
    a_hits = [h for p in pages for h in _hits(p, rule.a, rule.unless_before)]
    b_hits = [h for p in pages for h in _hits(p, rule.b, rule.unless_before)]
    if not a_hits or not b_hits:
        return []
    other = b_hits[0]
    return [Problem(hit.page.rel, f"contradicts {other.page.rel}:{other.line} on {rule.about}: this says "
                                  f"\"{hit.text}\" ({rule.a.says}), that says \"{other.text}\" ({rule.b.says}); "
                                  f"pages for ages {band} must give one instruction: fix one of them "
                                  f"(rule {rule.id} in data/rules/{lang}.yml)", severity, line=hit.line)
            for hit in a_hits]


def _missing_together(rule: Rule, pages: list[Page], lang: str, severity: str) -> list[Problem]:
    problems = []
    for page in pages:
        for offset, paragraph in _paragraphs(page.body):
            when = _hits(page, rule.a, rule.unless_before, paragraph, offset)
            if when and not _hits(page, rule.b, (), paragraph, offset):
                problems.append(Problem(page.rel, f"says \"{when[0].text}\" ({rule.a.says}) but not, in the same "
                                                  f"paragraph, {rule.b.says}; say it there too "
                                                  f"(rule {rule.id} in data/rules/{lang}.yml)", severity,
                                        line=when[0].line))
    return problems
