"""Page layout shared by the PDF and OCR readers: lines → paragraphs, running heads, page spans.

A PDF text layer (and an OCR result) is a list of *lines* with positions, not sentences: a line
break falls wherever the paper's margin was, so a figure ends up cut from its sentence, and the
page number and running head of every page land inside the next page's text.  This module turns
the positioned lines of each page into paragraphs, drops what repeats in the page margins, and
records which character range of the document each page became (``PageSpan``) so that every chunk
can say on which page it starts (``Chunk.meta["page"]``).

Hand-rolled because no maintained library does this for Chinese: pdfplumber/pdfminer group
characters into lines (and pdfminer's paragraph grouping needs spaces between words, which Chinese
text has none of); joining lines is a matter of "did the line run to the right margin and end
without sentence punctuation".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Line",
    "PageSpan",
    "annotate_chunks",
    "drop_running_lines",
    "is_page_number",
    "join_pages",
    "lines_to_paragraphs",
]

_SENTENCE_END = "。！？!?；;：:…”」』）)"
# a line opening a list item (一、 （二） 3. 4、 (5)) or a regulation's article or heading (第二十一条,
# 第三章) starts a paragraph even after a full line
_LIST_ITEM_RE = re.compile(
    r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十百零〇两\d]+[条章节编](?:之[一二三四五六七八九十]+)?(?:\s|$))"
)
_PAGE_NUMBER_RES = (
    re.compile(r"^[—–\-－_·•\s]*\d{1,4}[—–\-－_·•\s]*$"),  # "— 1 —", "- 12 -", "3"
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[/，,]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),  # "3/10"
    re.compile(r"^(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE),
)


@dataclass(frozen=True)
class Line:
    """One printed line: its text and where it sits on the page (points or pixels, top-left origin)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class PageSpan:
    """Characters ``[start, end)`` of the document text came from page ``page`` (1-based)."""

    start: int
    end: int
    page: int
    ocr: bool = False
    confidence: float | None = None  # mean OCR confidence of the page's text (None: text layer)


def is_page_number(text: str) -> bool:
    """A page number as printed in a margin: "— 1 —", "第3页", "3/10", "Page 2"."""
    s = unicodedata.normalize("NFKC", text).strip()
    return bool(s) and any(r.match(s) for r in _PAGE_NUMBER_RES)


def _margin_key(text: str) -> str:
    """A running head's identity across pages: digits vary (page numbers, dates), the words do not."""
    return re.sub(r"\d+", "#", unicodedata.normalize("NFKC", text)).replace(" ", "")


def drop_running_lines(
    pages: Sequence[Sequence[Line]], heights: Sequence[float], margin: float = 0.1, repeat: float = 0.5
) -> list[list[Line]]:
    """Each page's lines without page numbers and running heads/footers.

    A line is dropped when it lies in the top or bottom ``margin`` share of its page and is a page
    number, or when the same text (digits aside) sits in a margin of at least ``repeat`` of the
    pages (and at least two).  Body lines are never dropped, even when they repeat.
    """

    def in_margin(line: Line, height: float) -> bool:
        return line.bottom <= height * margin or line.top >= height * (1 - margin)

    counts: Counter[str] = Counter()
    for lines, height in zip(pages, heights):
        counts.update({_margin_key(ln.text) for ln in lines if in_margin(ln, height)})
    needed = max(2, int(len(pages) * repeat + 0.999))
    out: list[list[Line]] = []
    for lines, height in zip(pages, heights):
        kept = []
        for ln in lines:
            if in_margin(ln, height) and (is_page_number(ln.text) or counts[_margin_key(ln.text)] >= needed):
                continue
            kept.append(ln)
        out.append(kept)
    return out


def _glue(left: str, right: str) -> str:
    """Join two pieces of one sentence: no space between CJK characters, one between Latin words."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if a.isascii() and b.isascii() and a.isalnum() and b.isalnum():
        return f"{left} {right}"
    return left + right


def _looks_like_heading(text: str) -> bool:
    s = text.strip()
    return len(s) <= 30 and not any(ch in s for ch in "，,。")


def lines_to_paragraphs(lines: Sequence[Line], tolerance: float = 0.06) -> list[str]:
    """Paragraphs of one page (or column): a line that reaches the right edge of the text and does
    not end a sentence continues on the next line, unless the next line is indented.

    ``tolerance`` is the share of the text width a line may stop short of the right edge and still
    count as running to the margin (justified Chinese text fills the line; the last line of a
    paragraph usually does not).
    """
    rows = [ln for ln in lines if ln.text.strip()]
    if not rows:
        return []
    left = min(ln.x0 for ln in rows)
    right = max(ln.x1 for ln in rows)
    width = max(right - left, 1.0)
    heights = sorted(ln.bottom - ln.top for ln in rows)
    char = max(heights[len(heights) // 2], 1.0)  # a line's height ~ one character's width
    paragraphs: list[str] = []
    current = ""
    for i, ln in enumerate(rows):
        text = ln.text.strip()
        if not current:
            current = text
        else:
            current = _glue(current, text)
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        full = ln.x1 >= right - tolerance * width
        indented = nxt is not None and nxt.x0 - left >= 1.5 * char
        gap = nxt is not None and nxt.top - ln.bottom > 1.2 * char  # a blank line between them
        item = nxt is not None and text[-1] in _SENTENCE_END and bool(_LIST_ITEM_RE.match(nxt.text))
        if nxt is None or not full or indented or gap or item:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def join_pages(pages: Sequence[tuple[list[str], bool, float | None]]) -> tuple[str, list[PageSpan]]:
    """The document text from each page's paragraphs, and the span of text each page became.

    ``pages`` holds (paragraphs, ocr, confidence) per page.  A sentence running over a page break
    (the page's last paragraph does not end a sentence and the next page does not start with a
    heading) is rejoined; the rejoined tail counts to the earlier page.
    """
    text = ""
    last = ""  # the previous page's last paragraph
    spans: list[PageSpan] = []
    for number, (paragraphs, ocr, confidence) in enumerate(pages, start=1):
        paras = [p.strip() for p in paragraphs if p.strip()]
        start = len(text)
        if paras:
            first, rest = paras[0], paras[1:]
            runs_on = text and text[-1] not in _SENTENCE_END and not _looks_like_heading(last)
            last = paras[-1]
            if runs_on and not _looks_like_heading(first):
                text = _glue(text, first)
                start = len(text) - len(first)
            else:
                text = f"{text}\n{first}" if text else first
                start = len(text) - len(first)
            for p in rest:
                text += "\n" + p
        spans.append(PageSpan(start, len(text), number, ocr, confidence))
    return text, spans


def annotate_chunks(chunks: Sequence[object], pages: Sequence[PageSpan], low_confidence: float) -> None:
    """Set ``page`` (1-based: the page the chunk starts on; ``page_end`` when it runs onto later
    pages) and the OCR keys in each chunk's ``meta``.

    ``ocr_low_confidence`` is True when any page the chunk touches was OCR'd with a mean confidence
    below ``low_confidence``: its citations then say the text was recognised, to be checked against
    the original.
    """
    if not pages:
        return
    for chunk in chunks:
        start = int(getattr(chunk, "start"))
        end = start + len(getattr(chunk, "text"))
        touched = [p for p in pages if p.start < max(end, start + 1) and p.end > start] or [
            max((p for p in pages if p.start <= start), key=lambda p: p.start, default=pages[0])
        ]
        meta = getattr(chunk, "meta")
        meta["page"] = touched[0].page
        if touched[-1].page != touched[0].page:
            meta["page_end"] = touched[-1].page  # a chunk running over a page break
        ocr_pages = [p for p in touched if p.ocr]
        if ocr_pages:
            meta["ocr"] = True
            conf = min(p.confidence if p.confidence is not None else 0.0 for p in ocr_pages)
            meta["ocr_confidence"] = round(conf, 4)
            meta["ocr_low_confidence"] = conf < low_confidence
