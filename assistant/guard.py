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
from functools import lru_cache
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from assistant.query import Query, years
from ingest.normalize import search_form

if TYPE_CHECKING:
    from ingest.facts import Quantity

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
    strong_ratio: float = 1.0

    @property
    def reason(self) -> str:
        return "、".join(self.missing)


_SENTENCE_SPLIT = re.compile(r"[。!?\n]")  # not ";": it separates clauses of one sentence (…80项;增加研发投入1.1亿元)
_PARENS = re.compile(r"[((][^()()]{0,6}[))]")


@dataclass(frozen=True)
class CoverageRules:
    """The thresholds of the answerability decision (from Settings: ``min_strong_coverage`` …)."""

    min_strong_coverage: float = 0.75
    min_term_coverage: float = 0.5
    partial_credit: float = 0.5
    # the kinds of figure a question may state as a condition that the passage must then hold
    stated_figure_kinds: tuple[str, ...] = ("money", "percent", "measure", "duration")


# a figure right after these is a difference the question worked out (比…少9年, 增长了12%), not one
# the passage must state
_DIFFERENCE_BEFORE = re.compile(r"(?:少|多|增长|增加|减少|下降|上升|提高|降低|相差|差|高出|低出|快|慢|长|短)了?$")


_FIRST_PERSON = re.compile(r"我们|我司|我公司|本公司|咱们|(?<![自])我(?!国)|\b(?:we|our|us|i|my)\b", re.I)


@lru_cache(maxsize=1024)
def stated_figures(question: str, asked_type: str, kinds: tuple[str, ...]) -> tuple[Quantity, ...]:
    """The figures a question states as a condition (约七十年没有黑子活动, 5亿元以上的项目): a passage
    about another span or amount does not answer it, however well its words match. Counts (三处,
    两种) are left out: questions restate a list's size in their own words; so are a yes-no
    question's figures (是否超过10%: the passage may well say 12%), worked-out differences and
    periods (前八个月, 近三年: the period and year checks read those)."""
    if asked_type == "yes_no" or re.search(r"吗\s*[?？!！。]?\s*$", question):
        return ()  # …吗: whether, the question's figure is what the passage is checked against
    from ingest.facts import is_period_span, quantities, simplified

    t = simplified(question)
    # 我们公司有50名员工,要满足什么条件: the asker's own circumstances, which no passage states
    own = asked_type == "condition" or bool(_FIRST_PERSON.search(t))
    return tuple(
        q for q in quantities(question)
        # a count written out in digits (其中10,300名…) states a figure as surely as an amount does; a list's
        # size in words (哪三处, 两种) is how the question restates it
        if (q.kind in kinds or (q.kind == "count" and re.match(r"\d", q.value_text) and q.number >= 10 and not own))
        and not _DIFFERENCE_BEFORE.search(t[max(0, q.start - 3) : q.start])
        and not is_period_span(question, q)  # 前八个月, 上一年度: the period check's
    )


def term_covered(term: str, text: str, query: Query, vocabulary: set[str] | frozenset[str] = frozenset()) -> float:
    """1.0 when ``text`` holds the term, a translation of it (English questions), a Cilin synonym of it,
    or a corpus word it abbreviates (科小 → 科技型中小企业); ``partial_credit`` for a two-character piece of
    a longer term (科技成果转化 → 成果); else 0."""
    if term in text:
        return 1.0
    alts = query.alternatives.get(term)
    if alts is not None:
        return 1.0 if any(a in text for a in alts) else 0.0
    if term in query.unknown_terms:
        from assistant.lexicon import pinyin_in

        return 1.0 if term in text.lower() or pinyin_in(term, text) else 0.0
    from assistant.lexicon import abbreviation_in, two_word_abbreviation_in

    if any(s in text for s in query.synonyms_of(term)):
        return 1.0
    if (len(term) >= 3 or (vocabulary and term not in vocabulary)) and abbreviation_in(term, text):
        # an abbreviation of a word this passage uses (科小 → 科技型中小企业, 人大常委会 → 人民代表大会常务委员会);
        # two characters in order match too much by chance, so those only for words the corpus never uses
        return 1.0
    if two_word_abbreviation_in(term, text):
        return 1.0  # a word the corpus uses, spelled out here (研发 → 研究开发, 高校 → 高等院校)
    if len(term) >= 3 and compound_of_words(term) and any(term[i : i + 2] in text for i in range(len(term) - 1)):
        return -1.0  # partial: the caller applies its credit
    return 0.0


def title_in(title: str, text: str) -> bool:
    """A quoted title stands in ``text``: whole, without the 中华人民共和国 every national law's full
    title begins with, or shortened (成果转化法 in 促进科技成果转化法: its characters in order, each at
    most four after the previous, within one run of Chinese characters)."""
    bare = title.replace("中华人民共和国", "")
    text = re.sub(r"\s+", "", text)  # ONE PIECE 死亡尽头 is quoted with its spaces or without
    if not bare or bare in text:
        return True
    if len(bare) < 3 or not re.fullmatch(r"[\u4e00-\u9fff]+", bare):
        return False
    from assistant.lexicon import in_order_pattern

    return in_order_pattern(bare).search(text) is not None


@lru_cache(maxsize=8192)
def compound_of_words(term: str) -> bool:
    """Whether a term is built of dictionary words (科技成果转化 = 科技成果 + 转化), so that a passage
    holding one of them covers part of it. A name coined from single characters (线蚓鳗, 钩盲蛇) is
    not: 蚓鳗 in a passage about another eel says nothing about it."""
    import jieba

    return all(len(w) >= 2 for w in jieba.lcut(term, HMM=False))


def chunk_coverage(
    query: Query,
    text: str,
    vocabulary: set[str] | frozenset[str] = frozenset(),
    required_phrases: list[tuple[str, ...]] | None = None,
    rules: CoverageRules = CoverageRules(),
) -> Coverage:
    """How well one passage (search form, with its title and date) covers the question.

    Named signals, one decision:
    * every year and every place the question names must occur in it (hard), and every figure it
      states as a condition (:func:`stated_figures`);
    * an English word the dictionary does not know must occur in it literally (hard);
    * a phrase of the question the corpus uses must stand whole in it, or all its words in one sentence (hard);
    * the subject nouns, each covered by the term itself, a translation, a synonym or an abbreviation's
      expansion *in this passage* (not anywhere in the corpus), must reach ``min_strong_coverage`` of
      their weight, and all subject terms ``min_term_coverage``.
    """
    required_phrases = required_phrases or []
    missing: list[str] = []
    text = f"{text} {_PARENS.sub('', text)}"  # 县(市)区 also reads as 县区
    evidence_years = years(text)
    missing += [f"{y}年" for y in sorted(query.years) if y not in evidence_years]
    missing += [p for p in sorted(query.places) if p not in text]
    # an English question's search form carries dictionary translations (annual → 一年): read what was asked
    stated = stated_figures(query.original if query.english else query.search, query.asked.type, rules.stated_figure_kinds)
    if stated:
        from ingest.facts import quantities, same_value

        held = quantities(text)  # the passage must state the figure, however written (七十年 / 约70年)
        missing += [f.text for f in stated if not any(same_value(f, h) for h in held)]
    from assistant.lexicon import is_generic_noun, pinyin_in

    missing += [w for w in query.unknown_terms if w not in text.lower() and not pinyin_in(w, text)]
    missing += [w for w in query.proper_terms if w not in query.unknown_terms and term_covered(w, text, query, vocabulary) < 1.0]
    missing += [f"《{t}》" for t in query.quoted_titles if not title_in(t, text)]
    found = total = 0.0
    strong_found = strong_total = 0.0
    uncovered_strong: list[str] = []
    for term in query.content_terms:
        weight = float(min(len(term), 4)) if not query.english else 3.0
        total += weight
        strong = term in query.strong_terms
        got = term_covered(term, text, query, vocabulary)
        credit = rules.partial_credit if got < 0 else got
        found += weight * credit
        if strong and credit < 1.0 and is_generic_noun(term):
            strong = False  # 哪一种代步方式: a framing noun the answering passage need not repeat
        if strong:
            strong_total += weight
            strong_found += weight * credit
            if credit < 1.0:
                uncovered_strong.append(term)
    sentences = _SENTENCE_SPLIT.split(text)
    for phrase in required_phrases:
        # the phrase itself, or all its words within one sentence (技术合同7936项,合同成交额…)
        if "".join(phrase) not in text and not any(all(w in s for w in phrase) for s in sentences):
            missing.append("".join(phrase))
    ratio = found / total if total else 1.0
    strong_ratio = strong_found / strong_total if strong_total else 1.0
    if not missing and (strong_ratio < rules.min_strong_coverage or ratio < rules.min_term_coverage):
        # most of what the question is about (its nouns) is not in this passage
        # the terms it lacks, counting the synonyms and abbreviations it holds as held (公司 by 企业)
        missing.extend(uncovered_strong or [t for t in query.content_terms if term_covered(t, text, query, vocabulary) != 1.0])
    return Coverage(ok=not missing, missing=missing, ratio=ratio, strong_ratio=strong_ratio)


def coverages(
    query: Query,
    evidence: list[str],
    vocabulary: set[str] | frozenset[str] = frozenset(),
    context: list[str] | None = None,
    rules: CoverageRules = CoverageRules(),
) -> list[Coverage]:
    """Coverage of the question by each evidence passage on its own.

    The answer must stand in one passage, so a city named in one chunk and a metric in another do
    not make a question answerable. A phrase of the question that the corpus uses (国家重点实验室,
    seen in ``context``) must stand whole in the passage, or all its words in one sentence of it.
    """
    joined = " ".join(context or evidence)
    used = ["".join(p) for p in query.phrases if "".join(p) in joined]
    required = [p for p in query.phrases if "".join(p) in used and not any("".join(p) != q and "".join(p) in q for q in used)]

    return [chunk_coverage(query, text, vocabulary, required, rules) for text in evidence]


def best_coverage(covs: list[Coverage]) -> Coverage:
    if not covs:
        return Coverage(ok=False, missing=["(no passages)"], ratio=0.0)
    return max(covs, key=lambda c: (c.ok, c.strong_ratio, c.ratio, -len(c.missing)))
