"""Quality gates for content, in every language, offline: reading level per band, the
younger-is-easier rule, terminology, article citations, language of each paragraph, and help
numbers typed into pages instead of coming from data/help.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from functools import lru_cache

from .content import Inventory, Page
from .data import ProjectData, read_yaml, schema_problems
from .problems import Problem
from .readability import Reading, measure, prose_blocks

LEGAL_MARKER = "<!-- legal-term -->"
_QUOTED = re.compile(r"[\"“„«‘‚'][^\"“”»’']{2,80}[\"“”»’']")   # incl. German/Georgian „…“
# "Article 20", "Articles 39 to 41", "article 18(3)", "Art. 23", in the languages we write.
_ARTICLE = re.compile(r"(?<!\w)(?:Art\.|Articles?|articles?|Artikel|[Mm]adde\w*|მუხლ\w*|[Сс]татт\w*|[Сс]тать\w*|المادة|مادة)"
                      r"\s*(\d{1,3})((?:\s*(?:\(\d+\))?\s*(?:,|and|et|to|à|–|-|і|ve|و)\s*\d{1,3})*)", re.U)
# Languages that put the number first: Georgian "23-ე მუხლი", Turkish "20. madde".
_ARTICLE_AFTER = re.compile(r"(?<![\d.])(\d{1,3})(?:-?ე|\.)?\s*(?:მუხლ\w*|[Mm]adde\w*)", re.U)
_PHONE_SHAPE = re.compile(r"(?<![\w/.#-])\+?\d{2,4}(?:[ .\u00a0-]\d{2,4}){1,4}(?![\w/-])")
MIN_WORDS_FOR_LANGUAGE = 8


@dataclass
class PageReading:
    page: str
    lang: str
    band: str
    topic: str
    reading: Reading
    verdict: str          # "ok", "too hard", "empty" or "no ceilings"

    def as_dict(self) -> dict:
        return {"page": self.page, "lang": self.lang, "band": self.band, "topic": self.topic,
                "verdict": self.verdict, **self.reading.as_dict()}


def ceilings_for(data: ProjectData, lang: str, band: str) -> dict | None:
    """English ceilings from data/age_bands.yml; other languages from their own entry."""
    language = data.language(lang)
    if lang == "en":
        return data.band(band).ceilings
    return (language.ceilings or {}).get(band)


def _line_of(body_offset: int, text: str, needle_pos: int) -> int:
    return body_offset + text.count("\n", 0, needle_pos) + 1


def _body_offset(page: Page) -> int:
    return page.body_line


def check_reading(data: ProjectData, inventory: Inventory) -> tuple[list[PageReading], list[Problem]]:
    results, problems = [], []
    for page in inventory.child_pages():
        if page.untranslated:   # an English copy: nothing of this language to measure yet
            continue
        lang = data.language(page.lang)
        severity = "error" if lang.published else "warning"
        reading = measure(page.body, lang.dictionary)
        ceilings = ceilings_for(data, page.lang, page.band)
        verdict = "ok"
        if reading.words == 0:
            verdict = "empty"
            problems.append(Problem(page.rel, "has no prose to read; write the page's text", severity))
        elif not ceilings:
            verdict = "no ceilings"
            problems.append(Problem("data/languages.yml", f"{page.lang}: no reading-level ceilings for ages "
                                    f"{page.band}; calibrate them against English and add them under "
                                    f"ceilings: {{{page.band}: {{lix: …, mean_sentence: …}}}}", severity))
        else:
            too_hard = []
            if reading.lix > ceilings["lix"]:
                too_hard.append(f"LIX {reading.lix} > {ceilings['lix']}")
            if reading.mean_sentence > ceilings["mean_sentence"]:
                too_hard.append(f"mean sentence {reading.mean_sentence} > {ceilings['mean_sentence']} words")
            if ceilings.get("grade") is not None and reading.grade is not None and reading.grade > ceilings["grade"]:
                too_hard.append(f"grade {reading.grade} > {ceilings['grade']} ({reading.dictionary})")
            if too_hard:
                verdict = "too hard"
                problems.append(Problem(page.rel, f"too hard for ages {page.band}: {', '.join(too_hard)}; "
                                                  "use shorter sentences and more common words", severity))
        results.append(PageReading(page.rel, page.lang, page.band, page.topic, reading, verdict))
    problems.extend(_monotonic(data, results))
    return results, problems


def _monotonic(data: ProjectData, results: list[PageReading]) -> list[Problem]:
    """For each topic and language, 7-10 is easier than 11-14, which is easier than 15-17."""
    by_topic = defaultdict(dict)
    for r in results:
        if r.reading.words:
            by_topic[(r.lang, r.topic)][r.band] = r
    problems = []
    order = data.band_ids
    for (lang, topic), bands in sorted(by_topic.items()):
        present = [b for b in order if b in bands]
        severity = "error" if data.language(lang).published else "warning"
        for younger, older in zip(present, present[1:]):
            y, o = bands[younger], bands[older]
            for name, attr in (("LIX", "lix"), ("mean sentence", "mean_sentence")):
                if getattr(y.reading, attr) >= getattr(o.reading, attr):
                    problems.append(Problem(y.page, f"not easier than {o.page}: {name} "
                                                    f"{getattr(y.reading, attr)} (ages {younger}) >= "
                                                    f"{getattr(o.reading, attr)} (ages {older}); simplify the "
                                                    "younger page or give the older one more depth", severity))
    return problems


def load_terms(data: ProjectData) -> tuple[dict[str, list[dict]], list[Problem]]:
    terms, problems = {}, []
    for lang in data.languages:
        path = data.layout.data / "terms" / f"{lang.code}.yml"
        rel = data.layout.rel(path)
        if not path.exists():
            problems.append(Problem(rel, f"no list of terms to avoid for {lang.code}; copy data/terms/en.yml "
                                         "and write that language's own terms", "error" if lang.published else "warning"))
            continue
        value, probs = read_yaml(path, data.layout)
        probs = probs or schema_problems(value, data.layout.schemas / "terms.schema.json", rel, data.layout)
        if probs:
            problems.extend(probs)
            continue
        compiled = []
        for i, term in enumerate(value["terms"]):
            try:
                pattern = re.compile(rf"(?<!\w){term['avoid']}(?!\w)", re.I | re.U)
            except re.error as exc:
                problems.append(Problem(rel, f"terms.{i}.avoid: not a valid pattern ({exc}); fix the brackets"))
                continue
            compiled.append(dict(term, pattern=pattern))
        terms[lang.code] = compiled
    return terms, problems


def check_terms(data: ProjectData, inventory: Inventory, terms: dict) -> list[Problem]:
    problems = []
    for page in inventory.pages:
        offset = _body_offset(page)
        for number, line in enumerate(page.body.split("\n"), start=offset + 1):
            for term in terms.get(page.lang, []):
                for match in term["pattern"].finditer(line):
                    if term.get("legal_term") and LEGAL_MARKER in line and any(
                            q.start() <= match.start() < q.end() for q in _QUOTED.finditer(line)):
                        continue
                    problems.append(Problem(page.rel, f"avoid \"{match.group(0)}\": say \"{term['say']}\""
                                                      + (" (or, for the legal term, put it in quotes and "
                                                         f"mark the line {LEGAL_MARKER})" if term.get("legal_term") else ""),
                                            line=number))
    return problems


def mentioned_articles(text: str) -> list[tuple[int, int]]:
    """(article number, position) for every "Article N" (and lists/ranges after it) in text."""
    found = []
    for match in _ARTICLE.finditer(text):
        numbers = [int(match.group(1))]
        rest = match.group(2) or ""
        tail = re.findall(r"(,|and|et|to|à|–|-|і|ve|و)\s*(\d{1,3})", re.sub(r"\(\d+\)", "", rest))
        for joiner, n in tail:
            n = int(n)
            if joiner in ("to", "à", "–", "-") and numbers and n > numbers[-1]:
                numbers.extend(range(numbers[-1] + 1, n + 1))
            else:
                numbers.append(n)
        found.extend((n, match.start()) for n in numbers)
    found.extend((int(m.group(1)), m.start()) for m in _ARTICLE_AFTER.finditer(text))
    return sorted(found, key=lambda item: item[1])


def check_articles(data: ProjectData, inventory: Inventory) -> list[Problem]:
    problems = []
    default = data.site.source_language
    for page in inventory.pages:
        listed = set(page.articles)
        offset = _body_offset(page)
        for number, pos in mentioned_articles(page.body):
            line = _line_of(offset, page.body, pos)
            if not 1 <= number <= 50:
                problems.append(Problem(page.rel, f"Article {number} does not exist: the Convention has "
                                                  "articles 1 to 50", line=line))
            elif number not in listed:
                problems.append(Problem(page.rel, f"mentions Article {number} but front matter articles does "
                                                  f"not list it; add {number} to articles", line=line))
    # A topic cites the same articles in every band and language (the default language's 7-10 page
    # is the reference; a translation must not drop or add one).
    by_topic = defaultdict(list)
    for page in inventory.child_pages():
        if isinstance(page.meta.get("articles"), list):   # unreadable front matter is reported elsewhere
            by_topic[page.topic].append(page)
    for topic, pages in sorted(by_topic.items()):
        reference = next((p for p in pages if p.lang == default and p.band == data.band_ids[0]), None)
        if reference is None:
            continue
        want = set(reference.articles)
        for page in pages:
            if page is reference or set(page.articles) == want:
                continue
            extra, missing = sorted(set(page.articles) - want), sorted(want - set(page.articles))
            parts = ([f"adds {extra}"] if extra else []) + ([f"drops {missing}"] if missing else [])
            problems.append(Problem(page.rel, f"cites different articles from {reference.rel}: "
                                              f"{' and '.join(parts)}; a topic cites the same articles in every "
                                              "band and language"))
    return problems


@lru_cache(maxsize=1)
def _detectors(codes: tuple[str, ...]):
    """A fast detector for every paragraph and an accurate one to confirm what it flags."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, c.upper()) for c in codes if hasattr(IsoCode639_1, c.upper())]
    if len(isos) < 2:
        return None, None, set()
    fast = LanguageDetectorBuilder.from_iso_codes_639_1(*isos).with_low_accuracy_mode().build()
    accurate = LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()
    return fast, accurate, {c for c in codes if hasattr(IsoCode639_1, c.upper())}


def _other_language(accurate, block: str, lang: str) -> str | None:
    """The block's language if the accurate detector is sure it is not `lang`, else None."""
    values = accurate.compute_language_confidence_values(block)
    if not values:
        return None
    best = values[0]
    own = next((v.value for v in values if v.language.iso_code_639_1.name.lower() == lang), 0.0)
    found = best.language.iso_code_639_1.name.lower()
    return found if found != lang and best.value >= 0.75 and own <= 0.2 else None


def check_language(data: ProjectData, inventory: Inventory) -> list[Problem]:
    """Each paragraph of a page is in its folder's language (lingua, offline)."""
    codes = tuple(sorted({lang.code for lang in data.languages} | {"en"}))
    detector, accurate, known = _detectors(codes)
    if detector is None:
        return []
    problems = []
    for page in inventory.pages:
        if page.lang not in known or page.untranslated:
            continue
        blocks = [b for b in prose_blocks(page.body) if len(b.split()) >= MIN_WORDS_FOR_LANGUAGE]
        if not blocks:
            continue
        results = detector.detect_languages_in_parallel_of(blocks) if hasattr(
            detector, "detect_languages_in_parallel_of") else [detector.detect_language_of(b) for b in blocks]
        for block, found in zip(blocks, results):
            if found is None:
                continue
            if found.iso_code_639_1.name.lower() == page.lang:
                continue
            found_code = _other_language(accurate, block, page.lang)
            if found_code:
                snippet = block[:60] + ("…" if len(block) > 60 else "")
                problems.append(Problem(page.rel, f"a paragraph looks like {found_code}, not {page.lang}: "
                                                  f"\"{snippet}\"; translate it",
                                        "error" if data.language(page.lang).published else "warning"))
    return problems


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def check_phone_numbers(data: ProjectData, inventory: Inventory, known_numbers: set[str]) -> list[Problem]:
    """Help numbers come from data/help, never typed into a page."""
    known = {_digits(n) for n in known_numbers if len(_digits(n)) >= 3}
    known_pattern = re.compile(r"(?<![\w.,/-])(" + "|".join(
        sorted((r"[ .\u00a0-]?".join(map(re.escape, k)) for k in known), key=len, reverse=True)) + r")(?![\w/-]|[.,]\d)") if known else None
    problems = []
    for page in inventory.pages:
        offset = _body_offset(page)
        for number, line in enumerate(page.body.split("\n"), start=offset + 1):
            if line.lstrip().startswith(("](", "[")) and "](" in line and "http" in line:
                pass
            hits = {m.group(0) for m in _PHONE_SHAPE.finditer(line) if len(_digits(m.group(0))) >= 6}
            if known_pattern:
                hits |= {m.group(1) for m in known_pattern.finditer(line)}
            for hit in sorted(hits):
                problems.append(Problem(page.rel, f"phone number \"{hit.strip()}\" typed into the page; help "
                                                  "numbers come from data/help and appear on the help page — "
                                                  "link to the help page instead", line=number))
    return problems


def run_quality(data: ProjectData, inventory: Inventory, known_numbers: set[str]) -> tuple[list[PageReading], list[Problem]]:
    readings, problems = check_reading(data, inventory)
    terms, term_problems = load_terms(data)
    problems += term_problems
    problems += check_terms(data, inventory, terms)
    problems += check_articles(data, inventory)
    problems += check_language(data, inventory)
    problems += check_phone_numbers(data, inventory, known_numbers)
    return readings, problems


def format_readings(readings: list[PageReading]) -> str:
    head = f"{'page':34} {'band':6} {'words':>5} {'sent':>4} {'mean':>5} {'LIX':>5} {'grade':>5}  verdict"
    lines = [head]
    for r in readings:
        g = f"{r.reading.grade:5.1f}" if r.reading.grade is not None else "  n/a"
        lines.append(f"{r.page[5:39]:34} {r.band:6} {r.reading.words:5d} {r.reading.sentences:4d} "
                     f"{r.reading.mean_sentence:5.1f} {r.reading.lix:5.1f} {g}  {r.verdict}")
    return "\n".join(lines)


def readings_as_json(readings: list[PageReading]) -> list[dict]:
    return [r.as_dict() for r in readings]


__all__ = ["run_quality", "format_readings", "readings_as_json", "mentioned_articles", "PageReading", "asdict"]
