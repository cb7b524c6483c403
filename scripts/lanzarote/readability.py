"""Reading-level figures for a page's prose, measured offline.

LIX works for any alphabet (mean sentence length + percentage of words longer than six
letters). Syllables, and so the Flesch-Kincaid grade, need a pyphen hyphenation dictionary:
syllables per word = hyphenation points + 1, as the writing guide specifies.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import pyphen

# Block elements whose text is prose. Each block ends a sentence even without a full stop
# (headings and list items rarely have one).
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote"}
_SKIP = {"pre", "code", "script", "style"}
# Sentence ends for Latin, Cyrillic, Greek (;), Armenian (։), Georgian, Arabic (؟ ۔), CJK.
_SENTENCE_END = re.compile(r"(?<=[.!?…։؟۔。！？])[\"'»”)\]]*\s+|(?<=[。！？])")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)


class _ProseParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._current.append(data)

    def _flush(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def close(self):
        super().close()
        self._flush()


def prose_blocks(markdown_text: str) -> list[str]:
    """The page's prose as a list of text blocks (paragraphs, list items, headings)."""
    body = _FRONT_MATTER.sub("", markdown_text, count=1)
    html = markdown.markdown(body, extensions=["tables", "attr_list", "md_in_html", "admonition"])
    parser = _ProseParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


def sentences(blocks: list[str]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out.extend(s for s in (p.strip() for p in _SENTENCE_END.split(block)) if _WORD.search(s))
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=None)
def _dictionary(name: str | None):
    if not name:
        return None
    found = pyphen.language_fallback(name)
    return pyphen.Pyphen(lang=found) if found else None


def syllables(word: str, dictionary: str) -> int:
    dic = _dictionary(dictionary)
    if dic is None:
        raise ValueError(f"no hyphenation dictionary for {dictionary!r}")
    return len(dic.positions(word.lower())) + 1


@dataclass
class Reading:
    words: int
    sentences: int
    mean_sentence: float
    long_words_pct: float
    lix: float
    syllables_per_word: float | None
    grade: float | None
    dictionary: str | None

    def as_dict(self) -> dict:
        return asdict(self)


def measure(markdown_text: str, dictionary: str | None = None) -> Reading:
    """Measure a Markdown page. `dictionary` is a pyphen name (e.g. en_US) or None."""
    sents = sentences(prose_blocks(markdown_text))
    all_words = [w for s in sents for w in words(s)]
    n_words, n_sents = len(all_words), len(sents)
    if not n_words or not n_sents:
        return Reading(0, 0, 0.0, 0.0, 0.0, None, None, dictionary)
    mean = n_words / n_sents
    long_pct = 100.0 * sum(1 for w in all_words if len(w) > 6) / n_words
    spw = grade = None
    if _dictionary(dictionary) is not None:
        spw = sum(syllables(w, dictionary) for w in all_words) / n_words
        grade = round(0.39 * mean + 11.8 * spw - 15.59, 2)
        spw = round(spw, 3)
    return Reading(n_words, n_sents, round(mean, 2), round(long_pct, 2), round(mean + long_pct, 2),
                   spw, grade, dictionary if spw is not None else None)


if __name__ == "__main__":  # quick look: python scripts/lanzarote/readability.py FILE.md [en_US]
    import sys

    text = open(sys.argv[1], encoding="utf-8").read()
    r = measure(text, sys.argv[2] if len(sys.argv) > 2 else "en_US")
    print(f"{sys.argv[1]}: words {r.words}, sentences {r.sentences}, mean {r.mean_sentence}, "
          f"LIX {r.lix}, grade {r.grade} ({r.dictionary})")
