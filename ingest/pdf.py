"""PDF pages as sentences, tables and OCR, decided page by page.

Each page is read from its text layer with pdfplumber when it has a usable one; a page with
(almost) no text, or text that is mostly garbage (unmapped glyphs, private-use characters), but
with an image on it is rendered (pypdfium2) and OCR'd (:mod:`ingest.ocr`).  So a PDF of text
pages with one scanned annex reads each page the right way.

Ruled tables on text pages are found by pdfplumber and rendered with their headers
(:mod:`ingest.tables`); their characters are removed from the page's running text.  Lines become
paragraphs and running heads/footers/page numbers are dropped (:mod:`ingest.layout`).
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ingest.layout import Line, PageSpan, drop_running_lines, join_pages, lines_to_paragraphs
from ingest.tables import Table, TableSpan, grid_from_rows, render

__all__ = ["PdfText", "read_pdf", "text_is_usable"]

_CID_RE = re.compile(r"\(cid:\d+\)")


@dataclass
class PdfText:
    text: str
    pages: list[PageSpan]
    tables: list[TableSpan] = field(default_factory=list)
    ocr_pages: int = 0
    ocr_seconds: float = 0.0
    ocr_cached: int = 0


def text_is_usable(text: str, min_chars: int, max_garbage: float) -> bool:
    """A page's text layer is usable when it has ``min_chars`` letters/digits/hanzi and at most
    ``max_garbage`` of its characters are unmapped glyphs, private-use or replacement characters."""
    cids = len(_CID_RE.findall(text))
    stripped = _CID_RE.sub("", text)
    good = bad = 0
    for ch in stripped:
        if ch.isspace():
            continue
        cat = unicodedata.category(ch)
        if cat in ("Co", "Cs", "Cc") or ch == "\ufffd":
            bad += 1
        elif cat[0] in "LN":
            good += 1
    bad += cids
    total = good + bad
    return good >= min_chars and (total == 0 or bad / total <= max_garbage)


def _page_lines(page: Any) -> list[Line]:
    out = []
    for ln in page.extract_text_lines(strip=True, return_chars=False):
        text = ln.get("text", "")
        if text.strip():
            out.append(Line(text, float(ln["x0"]), float(ln["x1"]), float(ln["top"]), float(ln["bottom"])))
    return out


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def read_pdf(
    data: bytes,
    *,
    ocr: Callable[[Any], Any] | None,
    min_chars: int,
    max_garbage: float,
    dpi: int,
    max_ocr_pages: int,
    progress: Callable[[int, int], None] | None = None,
    max_side: int = 2400,
) -> PdfText:
    """Text, page spans and tables of a PDF (already checked for damage and encryption by the caller).

    ``ocr(image) -> OcrPage`` is called for pages without a usable text layer; ``None`` means no OCR
    is available, and such pages contribute no text. Raises ValueError when more than
    ``max_ocr_pages`` pages would need OCR (checked before any OCR runs).
    """
    import pdfplumber

    page_lines: list[list[Line]] = []
    heights: list[float] = []
    page_tables: list[list[tuple[float, Table]]] = []
    needs_ocr: list[int] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages):
            heights.append(float(page.height))
            raw = page.extract_text() or ""
            if not text_is_usable(raw, min_chars, max_garbage) and (page.images or raw.strip()):
                needs_ocr.append(i)
                page_lines.append([])
                page_tables.append([])
                page.close()
                continue
            found = []
            try:
                found = page.find_tables()
            except Exception:  # table detection is a bonus: the text is still read
                found = []
            tables: list[tuple[float, Table]] = []
            boxes = []
            for t in found:
                table = grid_from_rows(t.extract() or [])
                if table is not None and table.header_rows and len(table.grid) > table.header_rows and len(table.grid[0]) > 1:
                    tables.append((float(t.bbox[1]), table))
                    boxes.append(tuple(float(v) for v in t.bbox))
            body = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) if boxes else page
            page_lines.append(_page_lines(body))
            page_tables.append(tables)
            page.close()
    if len(needs_ocr) > max_ocr_pages:
        raise ValueError(f"{len(needs_ocr)} pages need OCR, more than the limit of {max_ocr_pages} (POLICYQA_OCR_MAX_PAGES)")

    cleaned = drop_running_lines(page_lines, heights)
    per_page: list[tuple[list[str], bool, float | None]] = []
    table_marks: list[list[tuple[str, Table]]] = []
    ocr_seconds = 0.0
    ocr_done = 0
    ocr_results: dict[int, Any] = {}
    if needs_ocr and ocr is not None:
        import pypdfium2

        doc = pypdfium2.PdfDocument(data)
        try:
            for n, i in enumerate(needs_ocr):
                if progress:
                    progress(n, len(needs_ocr))
                started = time.perf_counter()
                page = doc[i]
                w, h = page.get_size()
                # a page with a huge media box must not render to gigabytes: never beyond max_side pixels
                scale = min(dpi / 72, max_side / max(w, h, 1.0))
                image = page.render(scale=scale).to_pil()
                ocr_results[i] = ocr(image)
                ocr_seconds += time.perf_counter() - started
                ocr_done += 1
        finally:
            doc.close()
        if progress:
            progress(len(needs_ocr), len(needs_ocr))
    for i, lines in enumerate(cleaned):
        if i in ocr_results:
            result = ocr_results[i]
            per_page.append((list(result.paragraphs), True, float(result.confidence)))
            table_marks.append([])
            continue
        # tables go where they stand on the page: before the first line below their top edge
        paragraphs: list[str] = []
        marks: list[tuple[str, Table]] = []
        pending = sorted(page_tables[i], key=lambda t: t[0])
        block: list[Line] = []
        for ln in lines:
            while pending and pending[0][0] <= ln.top:
                paragraphs.extend(lines_to_paragraphs(block))
                block = []
                rendered = render(pending[0][1])
                paragraphs.append(rendered)
                marks.append((rendered, pending[0][1]))
                pending.pop(0)
            block.append(ln)
        paragraphs.extend(lines_to_paragraphs(block))
        for _, table in pending:
            rendered = render(table)
            paragraphs.append(rendered)
            marks.append((rendered, table))
        per_page.append((paragraphs, False, None))
        table_marks.append(marks)
    text, spans = join_pages(per_page)
    table_spans: list[TableSpan] = []
    for span, marks in zip(spans, table_marks):
        pos = span.start
        for rendered, table in marks:
            at = text.find(rendered, pos)
            if at != -1:
                table_spans.append(TableSpan(at, at + len(rendered), table))
                pos = at + len(rendered)
    cached = sum(bool(getattr(r, "cached", False)) for r in ocr_results.values())
    return PdfText(text, spans, table_spans, ocr_done, ocr_seconds, cached)
