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
    flagged: list[str] = []
    for written, values in figures_in(answer):
        # a figure written with a unit must match at that scale: 7936项 in a passage does not support
        # 7936亿元 (the unit-scaled value is the largest of the values it may stand for)
        wanted = {max(values)} if written[-1:] in ("亿", "万", "千") else values
        if not wanted & known:
            flagged.append(written)
    return flagged


@dataclass
class Coverage:
    ok: bool
    missing: list[str] = field(default_factory=list)
    ratio: float = 1.0

    @property
    def reason(self) -> str:
        return "、".join(self.missing)


_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:余|多)?\s*(?:万亿|亿|万|千)?\s*(?:元|家|项|个|所|批|次|人次|人|名|件|台|套|篇|场|支|条|%|％|倍|亩|吨|户|座|款|种|类|期|届|位|份)")


def has_quantity(text: str) -> bool:
    """A counted figure (706家, 122.78亿元, 100余次), not just a date or a name with digits."""
    return bool(_QUANTITY.search(search_form(text)))


_SENTENCE_SPLIT = re.compile(r"[。!?\n]")  # not ";": it separates clauses of one sentence (…80项;增加研发投入1.1亿元)
_PARENS = re.compile(r"[((][^()()]{0,6}[))]")


def chunk_coverage(
    query: Query,
    text: str,
    vocabulary: set[str] | frozenset[str] = frozenset(),
    required_phrases: list[tuple[str, ...]] | None = None,
) -> Coverage:
    """How well one passage (search form, with its title and date) covers the question.

    * every year and every place the question names must occur in it;
    * a subject noun it lacks that the whole corpus never uses (专利授权量, 研发投入强度) means the
      documents do not speak of it;
    * at least half of the subject terms (weighted by length) must occur in it.
    """
    required_phrases = required_phrases or []
    missing: list[str] = []
    text = f"{text} {_PARENS.sub('', text)}"  # 县(市)区 also reads as 县区
    evidence_years = years(text)
    missing += [f"{y}年" for y in sorted(query.years) if y not in evidence_years]
    missing += [p for p in sorted(query.places) if p not in text]
    found = total = 0.0
    strong_found = strong_total = 0
    for term in query.content_terms:
        weight = min(len(term), 4)
        total += weight
        strong = term in query.strong_terms
        strong_total += strong
        if term in text:
            found += weight
            strong_found += strong
        elif len(term) >= 3 and any(term[i : i + 2] in text for i in range(len(term) - 1)):
            found += weight / 2
            strong_found += strong
        elif strong and term not in vocabulary and term not in missing:
            missing.append(term)
    if strong_total >= 2 and strong_found / strong_total < 0.6 and not missing:
        # most of what the question is about (its nouns) is not in this passage
        missing.extend(t for t in query.content_terms if t in query.strong_terms and t not in text)
    sentences = _SENTENCE_SPLIT.split(text)
    for phrase in required_phrases:
        # the phrase itself, or all its words within one sentence (技术合同7936项,合同成交额…)
        if "".join(phrase) not in text and not any(all(w in s for w in phrase) for s in sentences):
            missing.append("".join(phrase))
    ratio = found / total if total else 1.0
    if ratio < 0.5 and not missing:
        missing.extend(t for t in query.content_terms if t not in text)
    return Coverage(ok=not missing, missing=missing, ratio=ratio)


def coverages(
    query: Query, evidence: list[str], vocabulary: set[str] | frozenset[str] = frozenset(), context: list[str] | None = None
) -> list[Coverage]:
    """Coverage of the question by each evidence passage on its own.

    The answer must stand in one passage, so a city named in one chunk and a metric in another do
    not make a question answerable. A phrase of the question that the corpus uses (国家重点实验室,
    seen in ``context``) must stand whole in the passage, or all its words in one sentence of it.
    """
    joined = " ".join(context or evidence)
    used = ["".join(p) for p in query.phrases if "".join(p) in joined]
    required = [p for p in query.phrases if "".join(p) in used and not any("".join(p) != q and "".join(p) in q for q in used)]
    return [chunk_coverage(query, text, vocabulary, required) for text in evidence]


def best_coverage(covs: list[Coverage]) -> Coverage:
    if not covs:
        return Coverage(ok=False, missing=["(no passages)"], ratio=0.0)
    return max(covs, key=lambda c: (c.ok, c.ratio, -len(c.missing)))
