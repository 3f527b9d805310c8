"""Give "now" its date in text that leaves the app: 截至目前 → 截至目前（据2024年9月23日文件）.

An answer quotes documents that say 截至目前, 今年以来, 目前, 今年, so far this year … Read in the
chat, the citation's date is one line below; pasted into a briefing months later, "now" silently
becomes the reader's now. :func:`dated_text` writes the cited document's date (or, for 今年/去年,
the year meant) after each such expression, so copied text keeps when it was true.

Where the expressions are is :func:`ingest.facts.relative_time_spans` (the one place that reads
periods); which document a sentence speaks for is the first ``[n]`` after the expression in its
sentence, else the only date all citations share. Used for the copy button's text
(:func:`ui.render.briefing_text`) and the figures tab's 截至目前 rows (:mod:`assistant.briefing`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Sequence

from ingest.facts import context_year, relative_time_spans

_MARKER = re.compile(r"\[(\d{1,3})\]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_ALREADY = re.compile(r"\s*[（(]\s*(?:据|據|as of|(?:19|20)\d\d)")
_ISO = re.compile(r"((?:19|20)\d\d)(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_words(date: str | None, english: bool = False) -> str | None:
    """``2024-09-23`` as ``2024年9月23日`` (or kept as ISO in English); None for no readable date."""
    m = _ISO.match((date or "").strip())
    if not m:
        return None
    if english:
        return m.group(0)
    y, mo, d = m.groups()
    return f"{y}年" + (f"{int(mo)}月" if mo else "") + (f"{int(d)}日" if mo and d else "")


def note(kind: str, offset: int, date: str | None, title: str = "", english: bool = False) -> str | None:
    """What follows the expression: （据2024年9月23日文件） for "now", （2023年） for 去年."""
    if kind == "year":
        year = context_year(title or "", date)
        if year is None:
            return None
        return f" ({year + offset})" if english else f"（{year + offset}年）"
    when = date_words(date, english)
    if when is None:
        return None
    return f" (as of the document dated {when})" if english else f"（据{when}文件）"


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(60)
    return jieba


def _word_end(text: str, end: int) -> int:
    """``end`` moved to the end of the word it falls in (截至今|日 → 截至今日|), so a note never
    splits a word; the words are jieba's (already used for keyword search)."""
    if end >= len(text) or not re.match(r"[\u3400-\u9fff]", text[end]):
        return end
    start = max(0, end - 8)
    for _, a, b in _jieba().tokenize(text[start : end + 8]):
        if start + a < end < start + b:
            return start + b
    return end


def _cited(text: str, end: int) -> int | None:
    """The first ``[n]`` after ``end`` within the sentence (markers may follow the full stop's clause)."""
    stop = _SENTENCE_END.search(text, end)
    m = _MARKER.search(text, end, stop.start() if stop else len(text))
    return int(m.group(1)) if m else None


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def dated_text(text: str, citations: Sequence[Any]) -> str:
    """``text`` with each "now"/"this year" expression followed by its document's date or year.

    ``citations`` are :class:`assistant.api.Citation` (or dicts) with ``n``, ``date``,
    ``version_date`` and ``title``. An expression whose document is unknown (no ``[n]`` in its
    sentence and citations of several dates) or undated is left as it is; so is one already
    followed by a date in brackets.
    """
    if not text or not citations:
        return text
    by_n = {_get(c, "n"): c for c in citations}
    dates = {_get(c, "date") or _get(c, "version_date") for c in citations}
    only = next(iter(citations)) if len(dates) == 1 else None
    out: list[str] = []
    last = 0
    for start, end, kind, offset in relative_time_spans(text):
        if end <= last:
            continue
        end = _word_end(text, end)
        if _ALREADY.match(text, end):
            continue
        n = _cited(text, end)
        c = by_n.get(n) if n is not None else only
        if c is None:
            continue
        english = text[start:end].isascii()
        added = note(kind, offset, _get(c, "date") or _get(c, "version_date"), _get(c, "title") or "", english)
        if added is None:
            continue
        out += [text[last:end], added]
        last = end
    out.append(text[last:])
    return "".join(out)
