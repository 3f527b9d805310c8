"""The two guards that keep a wrong number from being said with confidence.

* :func:`unsupported_figures`: every number in an answer must occur in a passage it cites, after
  normalising how numbers are written (7,936 / ７９３６ / 122.78億元 / 一百二十二点七八亿).
* :func:`coverage`: a question is answerable only when the evidence covers its key terms: the
  places, years and subject terms it names. A bare similarity threshold does not separate
  answerable from unanswerable questions (measured), because a question about another city's
  or year's figure looks just like one about ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from assistant.query import Query, years
from ingest.normalize import search_form

_CN_NUM_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]{2,}")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_CITATION = re.compile(r"\[\d{1,3}\]")
_SCALE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}


def _arabic(text: str) -> str:
    """Chinese numerals of two or more characters become Arabic (一百二十二点七八亿 → 122.78亿)."""
    import cn2an

    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        unit = ""
        for u in ("万亿", "亿", "万"):
            if run.endswith(u) and len(run) > len(u):
                run, unit = run[: -len(u)], u
                break
        try:
            value = cn2an.cn2an(run, "smart")
        except (ValueError, KeyError):
            return m.group(0)
        return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"

    return _CN_NUM_RUN.sub(repl, text)


def figures_in(text: str) -> list[tuple[str, set[float]]]:
    """Numbers in ``text`` as (as written, the values it may stand for: raw and unit-scaled)."""
    t = search_form(text)
    t = _CITATION.sub(" ", t)
    t = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", t)
    t = _arabic(t)
    out: list[tuple[str, set[float]]] = []
    for m in _NUMBER.finditer(t):
        raw = float(m.group(1))
        values = {round(raw, 6)}
        if m.group(2):
            values.add(round(raw * _SCALE[m.group(2)], 2))
        out.append((m.group(0).strip(), values))
    return out


def unsupported_figures(answer: str, passages: Iterable[str]) -> list[str]:
    """Numbers of ``answer`` that occur in none of ``passages`` (as written there, in any form)."""
    known: set[float] = set()
    for p in passages:
        for _, values in figures_in(p):
            known |= values
    return [written for written, values in figures_in(answer) if not values & known]


@dataclass
class Coverage:
    ok: bool
    missing: list[str] = field(default_factory=list)
    ratio: float = 1.0

    @property
    def reason(self) -> str:
        return "、".join(self.missing)


def coverage(query: Query, evidence: list[str], vocabulary: set[str] | frozenset[str] = frozenset()) -> Coverage:
    """Do the evidence passages (search form, with title and date) cover what the question names?

    * every year and every place named must occur in the evidence;
    * subject terms: a term absent from the evidence *and* from the whole corpus (``vocabulary``)
      means the documents never speak of it (专利授权量, 研发投入强度); at least 60 % of the subject
      terms must be found in the evidence.
    """
    text = " ".join(evidence)
    missing: list[str] = []
    evidence_years = years(text)
    missing += [f"{y}年" for y in sorted(query.years) if y not in evidence_years]
    missing += [p for p in sorted(query.places) if p not in text]
    terms = query.content_terms
    found = 0.0
    for term in terms:
        if term in text:
            found += 1
        elif len(term) >= 3 and any(term[i : i + 2] in text for i in range(len(term) - 1)):
            found += 0.5
        elif not vocabulary or term not in vocabulary:
            if len(term) >= 2:
                missing.append(term)
    ratio = found / len(terms) if terms else 1.0
    if terms and ratio < 0.6 and not missing:
        missing.append("、".join(t for t in terms if t not in text))
    return Coverage(ok=not missing, missing=missing, ratio=ratio)
