"""Figures for briefings: the staff's view of the numbers the documents report.

The figures table is extracted at ingest (:mod:`ingest.figures`) and stored per document in the
manifest. This module turns it back into records that know their document
(:func:`load_figures`), writes chosen figures as a cited briefing (:func:`briefing_markdown`,
:func:`briefing_docx`) and groups one metric across periods, places and documents for a chart
(:func:`series`, :func:`chart_groups`). No Gradio here: the UI tab (``ui/figures.py``) and the
CLI (``policyqa figures``) both call it.

A briefing is a table of the chosen figures — metric, value with unit, period, place — where each
row carries the number ``[n]`` of its document; then the sentence each figure comes from, quoted
as printed; then the reference list ``[n] title, date, source (doc_id)``, one entry per document,
numbered in order of first use.

>>> f = SourcedFigure("技术合同成交额", "122.78", 122.78, "亿元", False, "1月至8月", "昆明",
...                   "全市共登记技术合同7936项,合同成交额122.78亿元。", "km.txt", "2024-09-23", title="昆明科技工作", source="昆明信息港")
>>> print(briefing_markdown([f], title="简报"))  # doctest: +NORMALIZE_WHITESPACE
# 简报
<BLANKLINE>
| 序号 | 指标 | 数值 | 时期 | 地点 | 出处 |
|---|---|---|---|---|---|
| 1 | 技术合同成交额 | 122.78亿元 | 2024年1月至8月 | 昆明 | [1] |
<BLANKLINE>
## 原文摘录
<BLANKLINE>
1. “全市共登记技术合同7936项,合同成交额122.78亿元。”[1]
<BLANKLINE>
## 参考来源
<BLANKLINE>
[1] 昆明科技工作, 2024-09-23, 昆明信息港 (km.txt)
<BLANKLINE>
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ingest.figures import Figure
from ingest.normalize import nfkc, search_form
from ingest.settings import Settings

__all__ = [
    "SourcedFigure",
    "Reference",
    "load_figures",
    "manifest_figures",
    "references",
    "value_text",
    "figure_period",
    "briefing_markdown",
    "briefing_docx",
    "briefing_filename",
    "column_widths",
    "metric_key",
    "series",
    "chart_groups",
]


@dataclass(frozen=True)
class SourcedFigure(Figure):
    """A :class:`~ingest.figures.Figure` that knows the title and source of its document."""

    title: str = ""
    source: str = ""


@dataclass(frozen=True)
class Reference:
    """One entry of a briefing's reference list."""

    n: int
    doc_id: str
    title: str
    date: str | None
    source: str

    def text(self, lang: str = "zh") -> str:
        """``title, date, source (doc_id)``, without the ``[n]``."""
        date = self.date or _label("no_date", lang)
        return f"{self.title or self.doc_id}, {date}, {self.source or self.doc_id} ({self.doc_id})"


_FIGURE_FIELDS = [f.name for f in dataclasses.fields(Figure)]

#: key -> (Simplified Chinese, English); the words of a briefing (the document text stays as printed)
_LABELS: dict[str, tuple[str, str]] = {
    "title": ("数据简报", "Figures briefing"),
    "cols": ("序号|指标|数值|时期|地点|出处", "#|Metric|Value|Period|Place|Source"),
    "quotes": ("原文摘录", "Quoted sentences"),
    "refs": ("参考来源", "Sources"),
    "no_date": ("日期不详", "no date"),
    "approx": ("(约数)", " (approx.)"),
    "rows": ("第{rows}项", "row {rows}"),
    "empty": ("(没有选择数据)", "(no figures chosen)"),
    "doc_date": ("文档日期", "Document date"),
    "generated": ("生成日期:{date}(policyqa)", "Generated {date} by policyqa"),
}


def _label(key: str, lang: str) -> str:
    zh, en = _LABELS[key]
    return en if lang == "en" else zh


# --- loading ------------------------------------------------------------------------------------


def manifest_figures(manifest: Any) -> list[SourcedFigure]:
    """The figure records stored per document in the manifest, in document and reading order."""
    out: list[SourcedFigure] = []
    for d in manifest.documents.values():
        for row in d.figures or []:
            values = {k: row.get(k) for k in _FIGURE_FIELDS}
            values["doc_id"] = d.doc_id
            values["date"] = row.get("date") or d.date or None
            values["metric"] = str(values["metric"] or "")
            values["value"] = str(values["value"] or "")
            values["unit"] = str(values["unit"] or "")
            values["sentence"] = str(values["sentence"] or "")
            values["approx"] = bool(values["approx"])
            try:
                values["number"] = float(values["number"])
            except (TypeError, ValueError):
                values["number"] = float("nan")
            out.append(SourcedFigure(**values, title=d.title or "", source=d.source or ""))
    return out


def load_figures(settings: Settings) -> list[SourcedFigure]:
    """Every figure of the knowledge base at ``settings.index_dir`` (empty without one).

    Reads only the manifest, so it is instant and needs neither Chroma nor the embedder. Raises
    :class:`ingest.store.StoreError` when the manifest is unreadable.
    """
    from ingest.store import read_manifest

    manifest = read_manifest(Path(settings.index_dir))
    return manifest_figures(manifest) if manifest is not None else []


# --- briefing -----------------------------------------------------------------------------------


def references(figs: Iterable[Figure]) -> tuple[list[Reference], dict[str, int]]:
    """One reference per document, numbered in order of first use, and doc_id -> n."""
    refs: list[Reference] = []
    n_of: dict[str, int] = {}
    for f in figs:
        if f.doc_id in n_of:
            continue
        n_of[f.doc_id] = len(refs) + 1
        refs.append(
            Reference(n_of[f.doc_id], f.doc_id, getattr(f, "title", "") or "", f.date, getattr(f, "source", "") or "")
        )
    return refs, n_of


def value_text(f: Figure, lang: str = "zh") -> str:
    """``122.78亿元``, and ``900人次(约数)`` for an approximate figure (900余人次)."""
    return f"{f.value}{f.unit}" + (_label("approx", lang) if f.approx else "")


def _quotes(figs: Sequence[Figure]) -> list[tuple[str, int, list[int]]]:
    """(sentence, reference n, table rows it supports), one per distinct sentence of a document.

    When a sentence supports several rows, every quote names its rows ("第1、2项"); when each row
    has a sentence of its own, quote k is row k and the row numbers are left out.
    """
    _, n_of = references(figs)
    seen: dict[tuple[str, str], int] = {}
    out: list[tuple[str, int, list[int]]] = []
    for row, f in enumerate(figs, 1):
        key = (f.doc_id, f.sentence)
        if key in seen:
            out[seen[key]][2].append(row)
            continue
        seen[key] = len(out)
        out.append((f.sentence, n_of[f.doc_id], [row]))
    return out


def _rows_text(rows: list[int], lang: str) -> str:
    return _label("rows", lang).format(rows="、".join(map(str, rows)) if lang != "en" else ", ".join(map(str, rows)))


def figure_period(f: Figure, compact: bool = False) -> str:
    """The figure's period with the year it refers to: 1月至8月 → 2024年1月至8月, a 2023 review's
    全年 → 2023年全年, 上年度 → 上年度（2023年）, 截至6月底 → 截至2024年6月底, 截至目前 →
    截至目前（据2024年9月23日文件）; a period that names its year is kept as printed.

    The year: the one year the sentence writes before the period ("2023年,…全年…"), else the
    document's (:func:`~ingest.facts.context_year`, as the answer's headline: a "2023年工作综述"
    reports 2023 whatever its publication date). Years and relative years *after* the period are
    comparisons (比2023年同期, 较去年同期), not its year. ``compact`` (a chart's bar label, which
    Vega cuts at 180 px): 截至目前 as 截至2024年9月23日, the date of the document that says it.
    """
    from assistant.relative_time import date_words, note
    from ingest.facts import context_year, display_periods, period_keys, period_name, resolved_years, years

    period = (f.period or "").strip()
    if not period or years(period):
        return period
    title = getattr(f, "title", "") or ""
    doc_year = context_year(title, f.date)
    keys = period_keys(period)
    if "TODATE" in keys:  # a point in time: the document's date says when "now" was
        if compact:
            when = date_words(f.date)
            return f"截至{when}" if when else period
        return period + (note("now", 0, f.date) or "")
    relative = resolved_years(period, doc_year)
    if relative:  # 上年度, 今年以来, 去年同期: keep the wording, add the year meant
        return f"{period}（{'、'.join(f'{y}年' for y in sorted(relative))}）"
    year = _sentence_year(f.sentence or "", period) or (str(doc_year) if doc_year else None)
    if not year:
        return period
    if period.startswith(("截至", "截止")):  # 截至6月底 stays a point in time: 截至2024年6月底
        return f"{period[:2]}{year}年{period[2:]}"
    if keys:
        return "、".join(period_name(k, year) for k in display_periods(keys))
    return period


def _sentence_year(sentence: str, period: str) -> str | None:
    """The single year written in ``sentence`` before ``period`` (both compared in search form)."""
    from ingest.facts import years

    text, where = search_form(sentence), search_form(period)
    at = text.find(where)
    before = years(text[:at]) if at >= 0 else set()
    return next(iter(before)) if len(before) == 1 else None


# Characters that would make Markdown build HTML, links or code out of document text, or break the
# table; escaped with a backslash they render as themselves.
_MD_SPECIAL = re.compile(r"([\\`<>\[\]|])")


def _md(text: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", str(text if text is not None else "")).replace("\r", " ").replace("\n", " ")


def briefing_markdown(figs: Sequence[Figure], title: str | None = None, lang: str = "zh") -> str:
    """The chosen figures as a Markdown briefing: table with [n], quoted sentences, reference list."""
    figs = list(figs)
    title = (title or "").strip() or _label("title", lang)
    refs, n_of = references(figs)
    cols = _label("cols", lang).split("|")
    lines = [f"# {_md(title)}", ""]
    if not figs:
        return "\n".join(lines + [_label("empty", lang), ""])
    lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for i, f in enumerate(figs, 1):
        # a bare "[1]" (no "(url)" after it) is not a Markdown link; document text has its brackets escaped
        cells = [str(i), _md(f.metric), _md(value_text(f, lang)), _md(figure_period(f)), _md(f.place or ""), f"[{n_of[f.doc_id]}]"]
        lines.append("| " + " | ".join(cells) + " |")
    quotes = _quotes(figs)
    lines += ["", f"## {_label('quotes', lang)}", ""]
    for k, (sentence, n, rows) in enumerate(quotes, 1):
        which = f" ({_rows_text(rows, lang)})" if len(quotes) < len(figs) else ""
        lines.append(f"{k}. “{_md(sentence)}”[{n}]{which}")
    lines += ["", f"## {_label('refs', lang)}", ""]
    lines += [f"[{r.n}] {_md(r.text(lang))}" for r in refs]
    return "\n".join(lines) + "\n"


# XML 1.0 cannot hold most control characters; python-docx refuses them, so they are dropped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: Any) -> str:
    return _XML_ILLEGAL.sub("", str(text if text is not None else ""))


def _display_width(text: str) -> int:
    """Columns a text takes when printed: CJK and full-width characters count double."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(rows: Sequence[Sequence[str]], total: float, minimum: float) -> list[float]:
    """Widths (same unit as ``total``) proportional to each column's widest cell, none below ``minimum``.

    >>> [round(w, 1) for w in column_widths([["序号", "指标"], ["1", "技术合同成交额"]], 100.0, 10.0)]
    [22.2, 77.8]
    """
    n = len(rows[0])
    need = [max(_display_width(str(r[i])) for r in rows) or 1 for i in range(n)]
    widths = [total * w / sum(need) for w in need]
    short = [i for i, w in enumerate(widths) if w < minimum]
    if short and minimum * n <= total:  # raise the narrow ones, take it from the others in proportion
        rest = [i for i in range(n) if i not in short]
        spare = total - minimum * len(short)
        room = sum(need[i] for i in rest)
        widths = [minimum if i in short else spare * need[i] / room for i in range(n)]
    return widths


def briefing_docx(
    figs: Sequence[Figure], path: str | Path, title: str | None = None, lang: str = "zh", generated: Any = None
) -> Path:
    """The same briefing as a Word file at ``path`` (python-docx); returns the path.

    A4 with 2.5/2 cm margins, table columns sized to their content, the briefing's title as the
    document title, author "policyqa", the generation date under the heading and each figure's
    document date in the table (``generated``: a datetime, default now).
    """
    from datetime import datetime, timezone

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    figs = list(figs)
    title = (title or "").strip() or _label("title", lang)
    when = generated or datetime.now().astimezone()
    refs, n_of = references(figs)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.0)
    props = doc.core_properties
    props.title = _x(title)
    props.author = props.last_modified_by = "policyqa"
    props.created = props.modified = when.astimezone(timezone.utc).replace(tzinfo=None)  # Word stores UTC
    props.revision = 1
    props.comments = props.keywords = props.subject = props.category = ""
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        try:
            style = doc.styles[name]
        except KeyError:  # pragma: no cover - the default template has them all
            continue
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), "SimSun")  # Chinese text in a Chinese font, also in Word without CJK defaults
    doc.styles["Normal"].font.size = Pt(10.5)

    doc.add_heading(_x(title), level=1)
    doc.add_paragraph(_x(_gen_line(when, lang)))
    if not figs:
        doc.add_paragraph(_label("empty", lang))
    else:
        cols = _label("cols", lang).split("|")
        cols = [*cols[:-1], _label("doc_date", lang), cols[-1]]
        body = [
            [str(i), f.metric, value_text(f, lang), figure_period(f), f.place or "", f.date or _label("no_date", lang), f"[{n_of[f.doc_id]}]"]
            for i, f in enumerate(figs, 1)
        ]
        table = doc.add_table(rows=1, cols=len(cols))
        table.style = "Table Grid"
        table.autofit = False
        usable = (section.page_width - section.left_margin - section.right_margin) / Cm(1)
        widths = [Cm(w) for w in column_widths([cols, *body], usable, 1.2)]
        for cell, name in zip(table.rows[0].cells, cols):
            cell.text = name
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in body:
            cells = table.add_row().cells
            for cell, value in zip(cells, values):
                cell.text = _x(value)
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width

        doc.add_heading(_label("quotes", lang), level=2)
        quotes = _quotes(figs)
        for k, (sentence, n, rows) in enumerate(quotes, 1):
            which = f" ({_rows_text(rows, lang)})" if len(quotes) < len(figs) else ""
            doc.add_paragraph(_x(f"{k}. “{sentence}”[{n}]{which}"))

        doc.add_heading(_label("refs", lang), level=2)
        for r in refs:
            doc.add_paragraph(_x(f"[{r.n}] {r.text(lang)}"))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _gen_line(when: Any, lang: str) -> str:
    zh, en = _LABELS["generated"]
    text = en if lang == "en" else zh.replace(":", "：").replace("(", "（").replace(")", "）")
    return text.format(date=when.strftime("%Y-%m-%d"))


def briefing_filename(title: str | None, suffix: str, lang: str = "zh") -> str:
    """The export's file name: the briefing's title (letters of any script, digits, - and _)."""
    import unicodedata

    name = unicodedata.normalize("NFKC", (title or "").strip() or _label("title", lang))
    stem = re.sub(r"[^\w\-]+", "_", name, flags=re.UNICODE).strip("._")[:80] or "briefing"
    return f"{stem}{suffix}"


# --- series for charts --------------------------------------------------------------------------


def metric_key(metric: str) -> str:
    """What makes two metrics the same: 技術合同成交額 and 技术合同成交额 (and ｜full-width｜) match."""
    return re.sub(r"\s+", "", search_form(metric or ""))


def _unit_key(unit: str) -> str:
    return search_form(unit or "")


def _point(f: Figure) -> dict[str, Any]:
    where = " · ".join(x for x in (f.place, f.period) if x)
    label = f"{where} ({f.date})" if f.date and where else (where or f.date or f.doc_id)
    return {
        "label": label,
        "metric": f.metric,
        "value": f.value,
        "number": f.number,
        "unit": f.unit,
        "approx": f.approx,
        "period": f.period,
        "when": figure_period(f, compact=True),  # the period with its year, as the chart labels it
        "place": f.place,
        "doc_id": f.doc_id,
        "date": f.date,
        "title": getattr(f, "title", "") or "",
        "source": getattr(f, "source", "") or "",
        "sentence": f.sentence,
    }


def _points(group: list[Figure]) -> list[dict[str, Any]]:
    """Distinct points of one metric, oldest document first; labels made unique."""
    seen: set[tuple[Any, ...]] = set()
    chosen: list[tuple[int, Figure]] = []
    for order, f in enumerate(group):
        key = (f.doc_id, f.value, f.period, f.place)
        if key in seen:
            continue
        seen.add(key)
        chosen.append((order, f))
    chosen.sort(key=lambda p: (p[1].date or "", p[0]))
    points = [_point(f) for _, f in chosen]
    count: dict[str, int] = {}
    for p in points:
        count[p["label"]] = count.get(p["label"], 0) + 1
        if count[p["label"]] > 1:
            p["label"] = f"{p['label']} #{count[p['label']]}"
    return points


def _groups(figs: Iterable[Figure]) -> list[tuple[tuple[str, str], list[Figure]]]:
    groups: dict[tuple[str, str], list[Figure]] = {}
    for f in figs:
        groups.setdefault((metric_key(f.metric), _unit_key(f.unit)), []).append(f)
    return list(groups.items())


def _comparable(points: list[dict[str, Any]]) -> bool:
    """Several periods, places or documents — something a chart can compare."""
    return len({(p["period"], p["place"], p["doc_id"]) for p in points}) >= 2


def chart_groups(figs: Iterable[Figure]) -> list[dict[str, Any]]:
    """Metrics of ``figs`` reported for several periods/places/documents, most points first.

    Each group is ``{"key", "metric", "unit", "points"}``: ``key`` is the normalised metric and
    unit (for a dropdown), ``metric``/``unit`` as first printed, ``points`` as in :func:`series`.
    """
    out = []
    for (mkey, ukey), group in _groups(figs):
        points = _points(group)
        if _comparable(points):
            out.append({"key": f"{mkey}|{ukey}", "metric": group[0].metric, "unit": group[0].unit, "points": points})
    out.sort(key=lambda g: -len(g["points"]))  # stable: equal sizes keep reading order
    return out


def series(figs: Iterable[Figure], metric_query: str) -> list[dict[str, Any]]:
    """One metric across periods, places and documents: the points of a chart.

    Metrics are compared in search form (Simplified, NFKC, lower case), so 技術合同成交額 and
    技术合同成交额 are one series. Among the metrics that contain ``metric_query`` the one equal
    to it wins, else the one with most points; figures of another unit (3批 vs 32个) are another
    series. Each point is a dict with ``label`` (place · period (document date)), ``metric``,
    ``value`` (as printed), ``number``, ``unit``, ``approx``, ``period``, ``place``, ``doc_id``,
    ``date``, ``title``, ``source`` and ``sentence``; oldest document first.
    """
    q = metric_key(nfkc(metric_query or ""))
    if not q:
        return []
    candidates = [((mkey, ukey), group) for (mkey, ukey), group in _groups(figs) if q in mkey]
    if not candidates:
        return []
    exact = [c for c in candidates if c[0][0] == q]
    pool = exact or candidates
    best = max(pool, key=lambda c: len(_points(c[1])))  # first of the largest
    return _points(best[1])
