"""The 数据速查 / Figures tab: every figure the documents report, searchable, citable, exportable.

``figures_tab(settings, lang)`` adds the tab; call it inside the ``gr.Tabs()`` of
:func:`ui.app.build`. Everything it shows comes from the manifest (figures are extracted at
ingest, see :mod:`ingest.figures`), so it needs neither Chroma nor the embedder and works the
moment a knowledge base exists; a new ingest is picked up the next time the tab is opened or a
search is run.

* Search words (metric, period, place) go through :func:`ingest.figures.filter_figures`, which
  compares Simplified with Traditional, so 技术合同 finds 技術合同成交額.
* Rows are chosen in the table itself: its first column is a checkbox (its header ticks every
  row); every other column is read-only. Ticked rows stay, at the top, when the user searches
  again. Clicking another cell shows the sentence the figure comes from and its source. Document
  text reaches the page only as escaped text (:func:`ui.render.text_html`) and plain ``str`` cells.
* Periods carry their year (:func:`assistant.briefing.figure_period`): 1月至8月 reads 2024年1月至8月,
  in the table, the chart and both exports.
* The ticked rows are exported with :mod:`assistant.briefing` as Markdown (rendered preview with a
  copy button, and a ``.md`` file) or as a Word ``.docx``.
* When the ticked rows (or, with none ticked, the figures found) include one metric for several
  periods, places or documents, a bar chart compares them (one chart per metric, chosen in a
  dropdown); otherwise it is hidden.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Iterable

import gradio as gr

from ingest.settings import Settings
from ui import render
from ui.i18n import DEFAULT_LANG, norm_lang, t

ALL_DOCS = "*"
#: rows the table shows besides the ticked ones (the rest: narrow the search)
MAX_ROWS = 500
#: in pixels, not per cent: on a phone the table scrolls sideways instead of one character per line
_COLUMN_WIDTHS = ["76px", "200px", "80px", "56px", "56px", "140px", "64px", "280px", "104px"]
_DATATYPES = ["bool"] + ["str"] * (len(_COLUMN_WIDTHS) - 1)


def _figure_key(doc_id: str, i: int) -> str:
    """Stable name of a figure: the document and its place in reading order."""
    return f"{doc_id}#{i}"


class FigureView:
    """The figures of the knowledge base, re-read when the manifest changes; the export folder."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self.figs: list[Any] = []
        self.by_key: dict[str, Any] = {}
        self.key_of: dict[int, str] = {}
        self.docs: list[tuple[str, str, str]] = []  # (doc_id, title, date)
        self.exists = False
        self.export_dir = Path(tempfile.mkdtemp(prefix="policyqa-figures-"))
        atexit.register(shutil.rmtree, self.export_dir, ignore_errors=True)  # Gradio serves copies from its cache

    def load(self) -> None:
        """Refresh from the manifest if it changed. Raises StoreError for an unreadable one."""
        from assistant.briefing import manifest_figures
        from ingest.normalize import to_simplified
        from ingest.store import MANIFEST, read_manifest

        path = Path(self.settings.index_dir) / MANIFEST
        try:
            st = path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp is not None and stamp == self._stamp:
                return
            manifest = read_manifest(Path(self.settings.index_dir)) if stamp is not None else None
            figs = [reader_copy(f) for f in manifest_figures(manifest)] if manifest is not None else []
            by_key: dict[str, Any] = {}
            key_of: dict[int, str] = {}
            count: dict[str, int] = {}
            for f in figs:
                i = count.get(f.doc_id, 0)
                count[f.doc_id] = i + 1
                key = _figure_key(f.doc_id, i)
                by_key[key] = f
                key_of[id(f)] = key
            self.figs, self.by_key, self.key_of = figs, by_key, key_of
            self.docs = (
                [(d.doc_id, to_simplified(d.title or d.doc_id), d.date or "") for d in sorted(manifest.documents.values(), key=lambda d: d.doc_id)]
                if manifest is not None
                else []
            )
            self.exists = manifest is not None
            self._stamp = stamp

    def key(self, f: Any) -> str:
        return self.key_of[id(f)]

    def picked(self, keys: Iterable[str] | None) -> list[Any]:
        """The figures of ``keys`` that still exist: newest document first, reading order inside one."""
        wanted = set(keys or [])
        return newest_first(f for k, f in self.by_key.items() if k in wanted)

    def export_path(self, suffix: str, title: str | None = None, lang: str = DEFAULT_LANG) -> Path:
        """A fresh file name in a folder of its own (two sessions exporting at once never collide)."""
        for old in self.export_dir.iterdir():  # exports older than an hour are gone from Gradio's cache too
            try:
                if time.time() - old.stat().st_mtime > 3600:
                    shutil.rmtree(old, ignore_errors=True)
            except OSError:
                pass
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = self.export_dir / f"{stamp}-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
        folder.mkdir(parents=True)
        from assistant.briefing import briefing_filename

        return folder / briefing_filename(title, suffix, lang)  # the briefing's title, as the user gave it


# --- what the components show ------------------------------------------------------------------


def reader_copy(f: Any) -> Any:
    """The figure as the tab shows it: metric, unit, period, place and document title in the reader's
    script (Simplified for both interface languages); the sentence stays as printed (quotes are
    quotes), and the detail view shows it converted with the printed text one click away."""
    import dataclasses

    from ingest.normalize import to_simplified

    conv = {k: to_simplified(v) for k in ("metric", "unit", "period", "place", "title") if isinstance(v := getattr(f, k, None), str) and v}
    return dataclasses.replace(f, **conv) if conv else f


def newest_first(figs: Iterable[Any]) -> list[Any]:
    """Figures of the newest document first; reading order kept within a document (stable sort)."""
    return sorted(figs, key=lambda f: f.date or "", reverse=True)


def rank_groups(groups: list[dict[str, Any]], query: str | None) -> list[dict[str, Any]]:
    """Chart groups whose metric contains every search word first (the search also matches sentences)."""
    from ingest.normalize import search_form

    terms = [search_form(w) for w in (query or "").split()]
    if not terms:
        return groups
    return sorted(groups, key=lambda g: not all(w in g["key"].split("|")[0] for w in terms))


def most_cited(figs: list[Any], n: int) -> list[Any]:
    """The figures of the ``n`` metrics reported by most documents (then most often): what the tab
    opens on, instead of every figure of the knowledge base."""
    from assistant.briefing import metric_key

    docs: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for f in figs:
        k = metric_key(f.metric)
        docs.setdefault(k, set()).add(f.doc_id)
        count[k] = count.get(k, 0) + 1
    top = set(sorted(docs, key=lambda k: (-len(docs[k]), -count[k], k))[:n])
    return [f for f in figs if metric_key(f.metric) in top]


def _short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def doc_choices(view: FigureView, lang: str) -> list[tuple[str, str]]:
    out = [(t("fig_all_docs", lang), ALL_DOCS)]
    out += [(f"{_short(title)} · {date}" if date else _short(title), doc_id) for doc_id, title, date in view.docs]
    return out


def row_cells(f: Any, lang: str) -> list[str]:
    """The text cells of a figure's row (after the checkbox): metric, value, unit, approx, period
    with its year, place, document, date."""
    from assistant.briefing import figure_period

    approx = t("fig_approx", lang) if f.approx else ""
    return [f.metric, f.value, f.unit, approx, figure_period(f), f.place or "", getattr(f, "title", "") or f.doc_id, f.date or ""]


def table_frame(figs: list[Any], lang: str, ticked: set[int] | None = None) -> Any:
    """The table: a checkbox column (ticked for the figures whose ``id`` is in ``ticked``), then text."""
    import pandas as pd

    cols = t("fig_cols", lang).split("|")
    chosen = ticked or set()
    frame = pd.DataFrame([row_cells(f, lang) for f in figs], columns=cols[1:], dtype=str)
    frame.insert(0, cols[0], pd.Series([id(f) in chosen for f in figs], dtype=bool))
    return frame


def _rows(value: Any) -> list[list[Any]]:
    """A table value from the browser as rows (Gradio passes a DataFrame; a dict or lists also do)."""
    if value is None:
        return []
    if hasattr(value, "values") and hasattr(value, "columns"):
        return [list(r) for r in value.values.tolist()]
    if isinstance(value, dict):
        return [list(r) for r in value.get("data") or []]
    return [list(r) for r in value]


def _ticked(cell: Any) -> bool:
    """A checkbox cell as the browser sends it: a bool (numpy's too), or its text."""
    if isinstance(cell, str):
        return cell.strip().lower() in ("true", "1", "✓")
    try:
        return cell == cell and bool(cell)  # NaN (an empty cell) is not ticked
    except (TypeError, ValueError):
        return False


def ticked_keys(view: "FigureView", keys: list[str], value: Any) -> list[str]:
    """The keys of the table rows the user ticked, in table order.

    A row is matched by position when its cells are that figure's, else by its cells among the
    table's figures (a table sorted in the browser reports rows in its own order); rows that are
    no figure of the table (an added or pasted row) are ignored.
    """
    out: list[str] = []
    for i, row in enumerate(_rows(value)):
        if not row or not _ticked(row[0]):
            continue
        f = _row_match(view, keys, i, row[1:])
        if f is not None and view.key(f) not in out:
            out.append(view.key(f))
    return out


def _same_row(f: Any, cells: list[Any]) -> bool:
    """Whether ``cells`` show ``f`` (the approx column is language-dependent and left out)."""
    want = row_cells(f, DEFAULT_LANG)
    got = [str(c) if c is not None else "" for c in cells]
    return len(got) >= len(want) and [*got[:3], *got[4 : len(want)]] == [*want[:3], *want[4:]]


def detail_html(f: Any, lang: str) -> str:
    """The figure, its sentence (figure marked) and its source — every document string escaped."""
    from assistant.briefing import value_text

    where = " · ".join(x for x in (f.period, f.place) if x)
    head = f"{render.text_html(f.metric)}: <strong class=\"pq-fig-value\">{render.text_html(value_text(f, lang))}</strong>"
    if where:
        head += f' <span class="pq-src">{render.text_html(where)}</span>'
    title = getattr(f, "title", "") or f.doc_id
    source = getattr(f, "source", "") or f.doc_id
    src = f"{title}, {f.date or t('no_date', lang)}, {source} ({f.doc_id})"
    return (
        '<div class="pq-fig-detail">'
        f'<div class="pq-fig-head">{head}</div>'
        f'<div class="pq-h">{render.text_html(t("fig_sentence", lang))}</div>'
        f'<div class="pq-passage pq-fig-sentence">“{render.highlight(render.in_script(f.sentence, "Hans"), [f.value])}”</div>'
        + _original(f.sentence, f.value, lang) +
        f'<div class="pq-h">{render.text_html(t("fig_source", lang))}</div>'
        f'<div class="pq-src pq-fig-source">{render.text_html(src)}</div>'
        "</div>"
    )


def _original(sentence: str, value: str, lang: str) -> str:
    from ingest.normalize import to_simplified

    if to_simplified(sentence) == sentence:
        return ""
    return (
        f'<details class="pq-orig"><summary>{render.text_html(t("original", lang))}</summary>'
        f'<div class="pq-passage pq-fig-original">“{render.highlight(sentence, [value])}”</div></details>'
    )


def _row_match(view: FigureView, keys: list[str], index: Any, cells: Any) -> Any:
    f = view.by_key.get(keys[index]) if isinstance(index, int) and 0 <= index < len(keys) else None
    if not isinstance(cells, (list, tuple)) or len(cells) < 6:
        return f
    if f is not None and _same_row(f, list(cells)):
        return f
    return next((g for k in keys if (g := view.by_key.get(k)) is not None and _same_row(g, list(cells))), None)


def row_figure(view: FigureView, keys: list[str], index: Any, row: Any) -> Any:
    """The figure of a clicked table row (checkbox first, then its cells): by position, checked
    against (or found by) the row's cells, since a table the user sorted in the browser may report
    the position in the sorted view."""
    cells = list(row)[1:] if isinstance(row, (list, tuple)) else None
    return _row_match(view, keys, index, cells)


def _hint(lang: str) -> str:
    return f'<div class="pq-src">{render.text_html(t("fig_detail_hint", lang))}</div>'


def _msg(ok: bool, text: str) -> str:
    return f'<div class="{"pq-ok" if ok else "pq-err"}">{render.text_html(text)}</div>'


def chart_choices(groups: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f"{g['metric']} ({g['unit']}) · {len(g['points'])}", g["key"]) for g in groups]


def bar_label(p: dict[str, Any]) -> str:
    """Every bar names its place and its period with the year (``when``, see
    :func:`assistant.briefing.figure_period`); a figure without a period, its document's year."""
    from ingest.facts import context_year

    when = p.get("when") or ""
    if not when:
        year = context_year(p.get("title") or "", p.get("date"))
        when = f"{year}年" if year else ""
    return " · ".join(x for x in (p.get("place") or "", when) if x) or (p.get("title") or p.get("doc_id") or "")


def chart_plot(group: dict[str, Any] | None, lang: str) -> Any:
    """The bar chart of one metric: y from zero, one colour (series) per place — or per period when
    every point is one place — and bars of a series side by side; each bar labelled place · year period.
    """
    import pandas as pd

    if group is None:  # keep the last plot (its box is hidden): an empty value unmounts the plot's
        return gr.skip()  # container while Gradio's resize observer still reads it (a page error)
    points = group["points"]
    places = {p["place"] or "-" for p in points}
    by_place = len(places) > 1
    labels = [bar_label(p) for p in points]
    # The colour column is named after the chart: Gradio's plot keeps the colour domain of the plot
    # before when only the data changes, and bars whose series is not in it are drawn without colour.
    # (letters and digits only: Vega reads dots, brackets and colons in a field name as paths)
    series = "series_" + hashlib.sha1(f"{group['key']}|{by_place}".encode()).hexdigest()[:10]
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):  # two bars never share a label (the chart would stack them)
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[i] = f"{label} ({points[i]['date'] or points[i]['doc_id']})"
    frame = pd.DataFrame(
        {
            "label": labels,
            "number": [float(p["number"]) for p in points],
            series: [(p["place"] or "-") if by_place else (p.get("when") or p["period"] or "-") for p in points],
            "value": [f"{p['value']}{p['unit']}" for p in points],
            "document": [p["title"] or p["doc_id"] for p in points],
        }
    )
    frame = frame.sort_values([series], kind="stable")
    top = float(frame["number"].max()) if len(frame) else 1.0
    return gr.BarPlot(
        value=frame,
        x="label",
        y="number",
        color=series,
        color_title=t("fig_place" if by_place else "fig_period", lang),
        title=f"{group['metric']} ({group['unit']})",
        x_title=t("fig_chart_x", lang),
        y_title=group["unit"],
        y_lim=[0, top * 1.1 if top > 0 else 1],
        sort=list(frame["label"]),
        tooltip=["label", "value", "document"],
        # vertical: a slanted label of the first bar runs off the chart's left edge on a phone (390 px)
        x_label_angle=-90,
    )


# --- the tab ------------------------------------------------------------------------------------


def figures_tab(settings: Settings, lang: gr.Radio) -> gr.Tab:
    """Add the 数据速查 tab to the enclosing ``gr.Tabs`` and wire it; ``lang`` is the interface-language radio."""
    from assistant.briefing import briefing_docx, briefing_markdown, chart_groups
    from ingest.figures import filter_figures
    from ingest.store import StoreError

    view = FigureView(settings)
    lang0 = DEFAULT_LANG

    with gr.Tab(t("tab_figures", lang0), id="figures", elem_id="pq-figures-tab") as tab:
        intro = gr.Markdown(t("fig_intro", lang0))
        with gr.Row(equal_height=True, elem_id="pq-fig-search-row"):
            query = gr.Textbox(
                label=t("fig_query_label", lang0), placeholder=t("fig_query_ph", lang0), lines=1, max_lines=1,
                scale=4, elem_id="pq-fig-query", max_length=200,
            )
            doc = gr.Dropdown(
                [(t("fig_all_docs", lang0), ALL_DOCS)], value=ALL_DOCS, label=t("fig_doc_label", lang0), scale=3,
                elem_id="pq-fig-doc",
            )
            search = gr.Button(t("fig_search", lang0), variant="primary", scale=1, min_width=100, elem_id="pq-fig-search")
        status = gr.HTML("", elem_id="pq-fig-status")
        # interactive only for the checkbox column: every text column is static (read-only)
        table = gr.Dataframe(
            table_frame([], lang0), interactive=True, static_columns=list(range(1, len(_COLUMN_WIDTHS))), wrap=True,
            max_height=420, column_widths=_COLUMN_WIDTHS, datatype=_DATATYPES, label=t("fig_pick_label", lang0),
            show_label=True, elem_id="pq-fig-table",
        )
        picked_note = gr.HTML(f'<div class="pq-src">{render.text_html(t("fig_pick_none", lang0))}</div>', elem_id="pq-fig-picked")
        detail = gr.HTML(_hint(lang0), elem_id="pq-fig-detail")
        with gr.Column(visible=False, elem_id="pq-fig-chart-box") as chart_box:
            chart_metric = gr.Dropdown([], label=t("fig_chart_metric", lang0), info=t("fig_chart_label", lang0), elem_id="pq-fig-chart-metric")
            # no block label: Gradio sizes the plot to the block's full height, so a label pushes the
            # bottom of the chart (axis title, legend) out of the block, where it is cut off
            chart = gr.BarPlot(None, x="label", y="number", label=t("fig_chart_label", lang0), show_label=False, height=480, elem_id="pq-fig-chart")
        with gr.Row(equal_height=True, elem_id="pq-fig-export-row"):
            title = gr.Textbox(t("fig_title_default", lang0), label=t("fig_title_label", lang0), max_lines=1, scale=3, max_length=200, elem_id="pq-fig-title")
            md_btn = gr.Button(t("fig_export_md", lang0), scale=1, elem_id="pq-fig-export-md")
            docx_btn = gr.Button(t("fig_export_docx", lang0), scale=1, elem_id="pq-fig-export-docx")
        export_status = gr.HTML("", elem_id="pq-fig-export-status")
        # the briefing as it will read (rendered), with a copy button for its Markdown; the source a click away
        md_preview = gr.Markdown("", buttons=["copy"], container=True, padding=True, elem_id="pq-fig-md-preview", visible=False)
        with gr.Accordion(t("fig_md_source", lang0), open=False, elem_id="pq-fig-md-source") as md_source:
            md_box = gr.Textbox(
                label=t("fig_md_label", lang0), lines=8, max_lines=30, buttons=["copy"], interactive=False, elem_id="pq-fig-md",
            )
        with gr.Row():
            md_file = gr.File(label=t("fig_md_file", lang0), interactive=False, height=110, elem_id="pq-fig-md-file")
            docx_file = gr.File(label=t("fig_docx_file", lang0), interactive=False, height=110, elem_id="pq-fig-docx-file")
        shown = gr.State({"table": [], "found": []})  # keys of the table rows and of every figure found

    # ---- handlers ----

    def picked_html(n: int, lv: str) -> str:
        return _msg(True, t("fig_picked", lv, n=n)) if n else f'<div class="pq-src">{render.text_html(t("fig_pick_none", lv))}</div>'

    def chart_source(state: dict, picked: list[str]) -> list[Any]:
        """What the chart compares: the ticked rows, or with none ticked every figure found."""
        keys = picked or (state or {}).get("found", [])
        return [view.by_key[k] for k in keys if k in view.by_key]

    def chart_updates(figs: list[Any], q: str | None, lv: str) -> tuple[Any, Any, Any]:
        groups = rank_groups(chart_groups(figs), q)
        return (
            # "hidden" keeps the plot mounted: unmounting it (visible=False) leaves Gradio's resize
            # observer reading a removed element, a page error on every resize
            gr.update(visible=True if groups else "hidden"),
            gr.update(choices=chart_choices(groups), value=groups[0]["key"] if groups else None),
            chart_plot(groups[0] if groups else None, lv),
        )

    def run(q: str | None, doc_value: str | None, table_value: Any, state: dict, lang_value: str, reload_docs: bool):
        lv = norm_lang(lang_value)
        docs_update: Any = gr.skip()
        kept_before = ticked_keys(view, (state or {}).get("table", []), table_value)
        try:
            view.load()
        except StoreError as exc:
            return (docs_update, _msg(False, str(exc)), table_frame([], lv), picked_html(0, lv), _hint(lv),
                    gr.update(visible="hidden"), gr.update(choices=[], value=None), gr.skip(), {"table": [], "found": []})
        if reload_docs:
            known = {d for d, _, _ in view.docs}
            docs_update = gr.update(choices=doc_choices(view, lv), value=doc_value if doc_value in known else ALL_DOCS)
        doc_id = doc_value if doc_value and doc_value != ALL_DOCS and any(d == doc_value for d, _, _ in view.docs) else None
        found = newest_first(filter_figures(view.figs, query=q or None, doc_id=doc_id))
        opening = not (q or "").strip() and doc_id is None
        if opening:  # no search yet: the most-cited metrics, not every figure
            found = most_cited(found, settings.figures_top_metrics)
        kept = [view.by_key[k] for k in kept_before if k in view.by_key]  # ticked rows stay, on top
        kept_ids = {id(f) for f in kept}
        rows = kept + [f for f in found if id(f) not in kept_ids][:MAX_ROWS]
        if not view.exists:
            note = _msg(False, t("kb_none", lv))
        elif not found:
            note = _msg(False, t("fig_none", lv))
        else:
            note = _msg(True, t("fig_count", lv, n=len(found), total=len(view.figs)))
            if opening:
                note += _msg(True, t("fig_top", lv, n=settings.figures_top_metrics))
            if len(found) > MAX_ROWS:
                note += _msg(False, t("fig_capped", lv, shown=MAX_ROWS))
        state = {"table": [view.key(f) for f in rows], "found": [view.key(f) for f in found]}
        picked = [view.key(f) for f in kept]
        return (docs_update, note, table_frame(rows, lv, kept_ids), picked_html(len(kept), lv), _hint(lv),
                *chart_updates(chart_source(state, picked), q, lv), state)

    def on_search(q, doc_value, table_value, state, lang_value):
        return run(q, doc_value, table_value, state, lang_value, reload_docs=False)

    def on_open(q, doc_value, table_value, state, lang_value):
        return run(q, doc_value, table_value, state, lang_value, reload_docs=True)

    def on_tick(table_value: Any, state: dict, q: str | None, lang_value: str):
        """A checkbox (or the header's tick-all) changed: the count and the chart follow the ticked rows."""
        lv = norm_lang(lang_value)
        picked = ticked_keys(view, (state or {}).get("table", []), table_value)
        return (picked_html(len(picked), lv), *chart_updates(chart_source(state, picked), q, lv))

    def on_select(state: dict, table_value: Any, lang_value: str, evt: gr.SelectData):
        lv = norm_lang(lang_value)
        keys = (state or {}).get("table", [])
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        column = evt.index[1] if isinstance(evt.index, (list, tuple)) and len(evt.index) > 1 else None
        if column == 0:  # the checkbox cell: ticking is handled by on_tick
            return gr.skip(), gr.skip(), gr.skip()
        f = row_figure(view, keys, index, evt.row_value)
        if f is None:
            return _hint(lv), gr.skip(), gr.skip()
        # the chart follows the clicked figure's metric, when that metric has a chart
        picked = ticked_keys(view, keys, table_value)
        for g in chart_groups(chart_source(state, picked)):
            if any(p["doc_id"] == f.doc_id and p["value"] == f.value and p["metric"] == f.metric for p in g["points"]):
                return detail_html(f, lv), gr.update(value=g["key"]), chart_plot(g, lv)
        return detail_html(f, lv), gr.skip(), gr.skip()

    def on_chart(key: str | None, state: dict, table_value: Any, lang_value: str):
        lv = norm_lang(lang_value)
        picked = ticked_keys(view, (state or {}).get("table", []), table_value)
        groups = {g["key"]: g for g in chart_groups(chart_source(state, picked))}
        return chart_plot(groups.get(key or ""), lv)

    def export_md(table_value: Any, state: dict, brief_title: str, lang_value: str):
        lv = norm_lang(lang_value)
        figs = view.picked(ticked_keys(view, (state or {}).get("table", []), table_value))
        if not figs:
            return _msg(False, t("fig_pick_none", lv)), gr.skip(), gr.skip(), gr.skip()
        text = briefing_markdown(figs, title=brief_title, lang=lv)
        path = view.export_path(".md", brief_title, lv)
        path.write_text(text, encoding="utf-8")
        return _msg(True, t("fig_exported", lv, n=len(figs))), text, str(path), gr.update(value=text, visible=True)

    def export_docx(table_value: Any, state: dict, brief_title: str, lang_value: str):
        lv = norm_lang(lang_value)
        figs = view.picked(ticked_keys(view, (state or {}).get("table", []), table_value))
        if not figs:
            return _msg(False, t("fig_pick_none", lv)), gr.skip()
        path = briefing_docx(figs, view.export_path(".docx", brief_title, lv), title=brief_title, lang=lv)
        return _msg(True, t("fig_exported", lv, n=len(figs))), str(path)

    def switch(lang_value: str, brief_title: str):
        lv = norm_lang(lang_value)
        other = "zh" if lv == "en" else "en"
        new_title = t("fig_title_default", lv) if (brief_title or "").strip() in ("", t("fig_title_default", other)) else gr.skip()
        return [
            gr.update(label=t("tab_figures", lv)),
            gr.update(value=t("fig_intro", lv)),
            gr.update(label=t("fig_query_label", lv), placeholder=t("fig_query_ph", lv)),
            gr.update(label=t("fig_doc_label", lv)),
            gr.update(value=t("fig_search", lv)),
            gr.update(label=t("fig_chart_metric", lv), info=t("fig_chart_label", lv)),
            gr.update(label=t("fig_chart_label", lv)),
            gr.update(label=t("fig_pick_label", lv)),
            gr.update(label=t("fig_title_label", lv), value=new_title),
            gr.update(value=t("fig_export_md", lv)),
            gr.update(value=t("fig_export_docx", lv)),
            gr.update(label=t("fig_md_label", lv)),
            gr.update(label=t("fig_md_source", lv)),
            gr.update(label=t("fig_md_file", lv)),
            gr.update(label=t("fig_docx_file", lv)),
        ]

    # ---- wiring ----
    run_inputs = [query, doc, table, shown, lang]
    run_outputs = [doc, status, table, picked_note, detail, chart_box, chart_metric, chart, shown]
    private = {"api_visibility": "private"}
    tab.select(on_open, run_inputs, run_outputs, **private)
    search.click(on_search, run_inputs, run_outputs, **private)
    query.submit(on_search, run_inputs, run_outputs, **private)
    doc.input(on_search, run_inputs, run_outputs, **private)
    table.input(on_tick, [table, shown, query, lang], [picked_note, chart_box, chart_metric, chart], **private)
    table.select(on_select, [shown, table, lang], [detail, chart_metric, chart], **private)
    chart_metric.input(on_chart, [chart_metric, shown, table, lang], [chart], **private)
    md_btn.click(export_md, [table, shown, title, lang], [export_status, md_box, md_file, md_preview], **private)
    docx_btn.click(export_docx, [table, shown, title, lang], [export_status, docx_file], **private)
    lang.change(
        switch, [lang, title],
        [tab, intro, query, doc, search, chart_metric, chart, table, title, md_btn, docx_btn, md_box, md_source, md_file, docx_file],
        queue=False, **private,
    ).then(on_open, run_inputs, run_outputs, **private)
    return tab
