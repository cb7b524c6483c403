"""Reading-level ceilings for a new language, calibrated against the English reference.

Method (the one used for French): measure every child page in English and in the language, over
the same pages. LIX ceiling = English ceiling + the median LIX difference; mean-sentence ceiling =
English ceiling x the median ratio of mean sentence lengths (rounded up to .5). A grade ceiling is
set only for English: the Flesch-Kincaid formula is calibrated on English syllables.
"""
from __future__ import annotations

import math
import statistics

from .checks import Report


def _half_up(value: float) -> float:
    return math.ceil(value * 2) / 2


def calibrate(report: Report, lang: str) -> tuple[dict, str]:
    data = report.data
    source = data.site.source_language
    readings = {(r.lang, r.band, r.topic): r.reading for r in report.readings}
    pairs = [(readings[(source, b, t)], readings[(lang, b, t)])
             for (l, b, t) in readings if l == lang and (source, b, t) in readings
             and readings[(lang, b, t)].words and readings[(source, b, t)].words]
    if len(pairs) < 6:
        raise ValueError(f"{lang}: only {len(pairs)} translated child pages to compare; translate more "
                         "pages (at least two per band) before calibrating")
    lix_diff = statistics.median(t.lix - s.lix for s, t in pairs)
    mean_ratio = statistics.median(t.mean_sentence / s.mean_sentence for s, t in pairs)
    ceilings = {}
    for band in data.bands:
        english = band.ceilings
        ceilings[band.id] = {"lix": math.ceil(english["lix"] + lix_diff),
                             "mean_sentence": _half_up(english["mean_sentence"] * mean_ratio)}
    lo = min(t.lix - s.lix for s, t in pairs)
    hi = max(t.lix - s.lix for s, t in pairs)
    comment = (f"Calibrated on {len(pairs)} parallel pages against English: LIX ran a median "
               f"{lix_diff:+.1f} points (range {lo:+.1f} to {hi:+.1f}), mean sentence length "
               f"{mean_ratio:.2f} times English. LIX ceiling = English {'+' if lix_diff >= 0 else '-'} "
               f"{abs(lix_diff):.1f} (rounded up); "
               f"mean sentence = English x {mean_ratio:.2f} (rounded up to .5). No grade ceiling: "
               "Flesch-Kincaid is calibrated on English syllables.")
    return ceilings, comment


def write_ceilings(path, code: str, ceilings: dict, comment: str) -> None:
    """Put the ceilings (with the comment saying how they were set) into the language's entry
    in data/languages.yml, replacing earlier ones, and keep the rest of the file as it is."""
    import re
    import textwrap

    lines = path.read_text(encoding="utf-8").split("\n")
    start = next((i for i, l in enumerate(lines) if re.match(rf"^(\s*)- code: {re.escape(code)}\s*$", l)), None)
    if start is None:
        raise ValueError(f"data/languages.yml: no entry for {code}")
    pad = re.match(r"^(\s*)-", lines[start]).group(1) + "  "
    end = start + 1
    while end < len(lines) and lines[end].startswith(pad):
        end += 1
    keep = []
    skipping = False
    for line in lines[start + 1:end]:
        body = line[len(pad):]
        if body.startswith("# Calibrated") or body.startswith("# ceilings:") or body.startswith("ceilings:"):
            skipping = True
            continue
        if skipping and (line.startswith(pad + "  ") or body.startswith("# ")) and not re.match(r"^[a-z_]+:", body):
            continue
        skipping = False
        keep.append(line)
    block = [pad + "# " + l for l in textwrap.wrap(comment, 90)] + [pad + "ceilings:"]
    block += [f'{pad}  "{band}": {{lix: {v["lix"]}, mean_sentence: {v["mean_sentence"]}}}' for band, v in ceilings.items()]
    lines[start + 1:end] = keep + block
    path.write_text("\n".join(lines), encoding="utf-8")
