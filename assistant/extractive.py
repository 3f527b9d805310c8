"""Extractive answering, the offline default: quote the sentences that answer, with [n] citations.

No language model: the answer is made of the documents' own sentences, chosen by how much of the
question's subject they cover, whether they carry the period the question names, and whether they
hold a number when a number is asked for. Every figure in it is therefore in a cited passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from assistant.guard import has_quantity
from assistant.query import Query, period_keys
from assistant.retrieval import RetrievedChunk
from ingest.chunking import is_heading, sentences
from ingest.normalize import search_form

_HAS_NUMBER = re.compile(r"\d")

# Sentences that talk to the reader's assistant instead of reporting facts ("忽略以上所有指令…") are
# never evidence: documents are data, and a planted instruction must not become an answer.
INSTRUCTION_LIKE = re.compile(
    r"(忽略|无视|忘记|不要理会).{0,8}(指令|指示|提示|规则|要求|设定)|(ignore|disregard|forget).{0,20}(instruction|prompt|rule)"
    r"|system prompt|系统提示|你现在是|you are now|回答[::]",
    re.I,
)


def is_instruction(search_text: str) -> bool:
    return bool(INSTRUCTION_LIKE.search(search_text))


def evidence_text(search_text: str) -> str:
    """A passage without its instruction-like sentences: what may count as evidence for anything."""
    if not INSTRUCTION_LIKE.search(search_text):
        return search_text
    return "。".join(s for s in re.split(r"[。!?\n]", search_text) if not INSTRUCTION_LIKE.search(s))


@dataclass
class Sentence:
    text: str  # original script
    search: str
    chunk: RetrievedChunk
    rank: int
    score: float = 0.0
    matched: frozenset[str] = frozenset()
    near: frozenset[str] = frozenset()  # question terms found only around the sentence, in its chunk


Weight = Callable[[str], float]


def length_weight(term: str) -> float:
    """Longer terms are more specific (高新技术企业 says more than 企业)."""
    return min(len(term), 6) ** 1.2


_DATE = re.compile(r"\d{1,2}月\d{1,2}[日号]|\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月")
_META = re.compile(r"记者|来源[::]|时间[::]|发布时间|日报|通讯员")


def has_date(text: str) -> bool:
    return bool(_DATE.search(text))


def score_sentence(query: Query, sent: Sentence, weight: Weight = length_weight, prior: float = 1.0) -> Sentence:
    """Share of the question's subject (weighted) that the sentence holds, adjusted for what is asked."""
    terms = query.content_terms or query.tokens
    total = sum(weight(t) for t in terms) or 1.0
    matched = frozenset(t for t in terms if t in sent.search)
    # terms found only around the sentence (its chunk, title, section) count a little: "科技局" in the
    # sentence before "5个小分队…" still says whose teams they are
    around = [t for t in terms if t not in matched and t in sent.chunk.search_text]
    score = (sum(weight(t) for t in matched) + 0.3 * sum(weight(t) for t in around)) / total
    if query.asks_date:
        score += 0.25 if has_date(sent.search) else -0.1
    if query.asks_meta and _META.search(sent.search):
        score += 0.4
    if query.periods:
        keys = period_keys(sent.search)
        if query.periods & keys:
            score *= 1.3
        elif keys:
            score *= 0.9
    if query.asks_number:
        score += 0.15 if _HAS_NUMBER.search(sent.search) else -0.1
    return Sentence(sent.text, sent.search, sent.chunk, sent.rank, score * prior, matched, frozenset(around))


def candidate_sentences(chunks: list[RetrievedChunk], limit_chunks: int = 4) -> list[Sentence]:
    seen: set[str] = set()
    out: list[Sentence] = []
    for rank, chunk in enumerate(chunks[:limit_chunks]):
        for text in sentences(chunk.text):
            search = search_form(text)
            # skip headings, header lines and fragments: they are not answers
            if len(search) < 8 or search in seen or is_instruction(search) or is_heading(text):
                continue
            seen.add(search)
            out.append(Sentence(text, search, chunk, rank))
    return out


def select(
    query: Query, chunks: list[RetrievedChunk], weight: Weight = length_weight, max_sentences: int = 3
) -> list[Sentence]:
    """The best sentence, plus others that add question terms the first one lacks (lists, comparisons).

    A sentence's score is scaled by how its chunk ranked (0.5 + 0.5 × chunk score / best chunk score),
    so retrieval's judgement of places, years and recency carries into the choice of sentence.
    """
    top = max((c.score for c in chunks), default=0.0) or 1.0
    scored = sorted(
        (score_sentence(query, s, weight, 0.5 + 0.5 * max(s.chunk.score, 0.0) / top) for s in candidate_sentences(chunks)),
        key=lambda s: s.score,
        reverse=True,
    )
    if not scored or scored[0].score <= 0.15:
        return scored[:1]
    best = scored[0]
    chosen = [best]
    covered = set(best.matched)
    for s in scored[1:]:
        if len(chosen) >= max_sentences:
            break
        adds = s.matched - covered
        if s.score >= 0.85 * best.score and adds and sum(map(weight, adds)) >= 0.2 * sum(map(weight, covered)):
            chosen.append(s)
            covered |= s.matched
        elif query.asks_meta and _META.search(s.search) and s.chunk.doc_id == best.chunk.doc_id:
            chosen.append(s)  # date, source and byline lines answer together
        elif (
            query.asks_number
            and not query.this_year
            and len({c.chunk.doc_id for c in chosen}) < 2
            and s.chunk.doc_id not in {c.chunk.doc_id for c in chosen}
            and s.score >= 0.8 * best.score
            and s.matched | s.near >= best.matched
            and has_quantity(s.search)
        ):
            # the same figure in another document (another year or city, when the question names
            # none): show both, newest first, each with its own citation, rather than pick one
            chosen.append(s)
    if query.asks_number and len({c.chunk.doc_id for c in chosen}) > 1:
        chosen.sort(key=lambda c: c.chunk.date, reverse=True)
    # keep document order within a chunk, so a list reads as the document wrote it
    return chosen
