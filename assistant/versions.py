"""Current version first: how much a passage of a superseded regulation counts in retrieval.

A question about a regulation is about the text in force, so a superseded version's passages are
down-weighted (``Settings.superseded_weight``) — unless the question asks about the past: it names
a year the old version was in force ("2020年版", "2021年时…"), or asks about history or the text
before an amendment (原来 / 旧版 / 修订前 / 历史 / previously...). Then both versions compete on
their merits, and the year re-weighting of retrieval favours the one of that year.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.normalize import search_form

#: how questions ask about an earlier text (question words, not corpus words)
_HISTORY = re.compile(
    r"原来|原先|原文|以前|此前|之前|过去|当时|曾经|旧版|老版|旧的|原版|原条例|原规定|上一版|前一版|修订前|修改前|修正前"
    r"|历史|沿革|历次|变化|变更|改动|改了|有何不同|哪些不同|区别|对比"
    r"|\b(?:previous|previously|former|formerly|old|older|earlier|original|originally|history|historical|before the (?:amendment|revision)|changed?|differences?)\b"
)
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


def asks_history(query_text: str) -> bool:
    return bool(_HISTORY.search(search_form(query_text)))


def names_version_year(doc: Any, query_text: str, successor_date: str | None = None) -> bool:
    """The question names a year in which ``doc`` was the text in force: from its own version year up
    to (not including) its successor's year when known, else its own version year only."""
    start = (getattr(doc, "version_date", None) or getattr(doc, "date", None) or "")[:4]
    if not start.isdigit():
        return False
    end = int(successor_date[:4]) if successor_date and successor_date[:4].isdigit() else int(start) + 1
    return any(int(start) <= int(y) < max(end, int(start) + 1) for y in _YEAR.findall(search_form(query_text)))


def version_factor(doc: Any, query_text: str, weight: float = 0.5, successor_date: str | None = None) -> float:
    """Retrieval multiplier of a passage of ``doc`` (a manifest DocRecord, or None) for a question.

    1 for current and unversioned texts; ``weight`` for a superseded one unless the question asks about
    an older version (its year, or history words).
    """
    if doc is None or getattr(doc, "status", None) != "superseded":
        return 1.0
    if asks_history(query_text) or names_version_year(doc, query_text, successor_date):
        return 1.0
    return weight
