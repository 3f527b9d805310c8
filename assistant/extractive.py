"""Extractive answering, the offline default: quote the sentences that answer, with [n] citations.

No language model: the answer is made of the documents' own sentences, chosen by how much of the
question's subject they cover, whether they carry the period the question names, and whether they
hold a number when a number is asked for. Every figure in it is therefore in a cited passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.query import Query, period_keys
from assistant.retrieval import RetrievedChunk
from ingest.chunking import sentences
from ingest.normalize import search_form

_HAS_NUMBER = re.compile(r"\d")


@dataclass
class Sentence:
    text: str  # original script
    search: str
    chunk: RetrievedChunk
    rank: int
    score: float = 0.0
    matched: frozenset[str] = frozenset()


def _weight(term: str) -> float:
    """Longer terms are more specific (高新技术企业 says more than 企业)."""
    return min(len(term), 6) ** 1.2


def score_sentence(query: Query, sent: Sentence) -> Sentence:
    terms = query.content_terms or query.tokens
    total = sum(_weight(t) for t in terms) or 1.0
    matched = frozenset(t for t in terms if t in sent.search)
    score = sum(_weight(t) for t in matched) / total
    if query.periods:
        keys = period_keys(sent.search)
        if query.periods & keys:
            score += 0.3
        elif keys:
            score -= 0.05
    if query.asks_number:
        score += 0.15 if _HAS_NUMBER.search(sent.search) else -0.1
    score += 0.12 / (1 + sent.rank)
    return Sentence(sent.text, sent.search, sent.chunk, sent.rank, score, matched)


def candidate_sentences(chunks: list[RetrievedChunk], limit_chunks: int = 4) -> list[Sentence]:
    seen: set[str] = set()
    out: list[Sentence] = []
    for rank, chunk in enumerate(chunks[:limit_chunks]):
        for text in sentences(chunk.text):
            search = search_form(text)
            # skip headings, header lines and fragments: they are not answers
            if len(search) < 8 or search in seen:
                continue
            seen.add(search)
            out.append(Sentence(text, search, chunk, rank))
    return out


def select(query: Query, chunks: list[RetrievedChunk], max_sentences: int = 3) -> list[Sentence]:
    """The best sentence, plus others that add question terms the first one lacks (lists, comparisons)."""
    scored = sorted((score_sentence(query, s) for s in candidate_sentences(chunks)), key=lambda s: s.score, reverse=True)
    if not scored or scored[0].score <= 0.15:
        return scored[:1]
    best = scored[0]
    chosen = [best]
    covered = set(best.matched)
    for s in scored[1:]:
        if len(chosen) >= max_sentences:
            break
        adds = s.matched - covered
        if s.score >= 0.8 * best.score and adds:
            chosen.append(s)
            covered |= s.matched
    # keep document order within a chunk, so a list reads as the document wrote it
    return chosen
