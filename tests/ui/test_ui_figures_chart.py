"""The figures tab's chart and opening view as plain functions: zero baseline, one series per place
(or per period), every bar named by place, year and period; the tab opens on the most-cited metrics."""

from __future__ import annotations

import pytest

from assistant.briefing import SourcedFigure, chart_groups
import pandas as pd

from ui.figures import bar_label, chart_plot, most_cited, row_cells, table_frame, ticked_keys


def fig(metric: str, value: float, place: str | None, period: str | None, date: str, doc: str) -> SourcedFigure:
    return SourcedFigure(metric, f"{value:g}", value, "亿元", False, period, place, f"{metric}{value:g}亿元。", doc, date, doc, "")


@pytest.mark.parametrize(
    "place, period, title, date, label",
    [
        ("昆明", "1月至8月", "昆明深入实施", "2024-09-23", "昆明 · 2024年1月至8月"),
        # a review of 2023 published in January 2024: its 全年 is 2023's, not 2024's
        ("昆明", "全年", "昆明市科技局2023年工作综述", "2024-01-26", "昆明 · 2023年全年"),
        ("玉溪", "2024年上半年", "玉溪", "2024-08-15", "玉溪 · 2024年上半年"),
        ("昆明", "截至目前", "昆明深入实施", "2024-09-23", "昆明 · 截至2024年9月23日"),
        (None, None, "无时期", "2024-01-02", "2024年"),
        ("大理", "1至7月", "无日期", None, "大理 · 1至7月"),
    ],
)
def test_bar_label(place: str | None, period: str | None, title: str, date: str | None, label: str) -> None:
    f = SourcedFigure("技术合同成交额", "1", 1.0, "亿元", False, period, place, "合同成交额1亿元。", "a", date, title=title)
    other = SourcedFigure("技术合同成交额", "2", 2.0, "亿元", False, "全年", "曲靖", "合同成交额2亿元。", "b", "2020-01-01", title="x")
    [group] = chart_groups([f, other])
    [point] = [p for p in group["points"] if p["doc_id"] == "a"]
    assert bar_label(point) == label


def _plot(figs):
    [group] = chart_groups(figs)
    return chart_plot(group, "zh")


def test_chart_starts_at_zero_and_colours_each_place() -> None:
    plot = _plot([fig("技术合同成交额", 122.78, "昆明", "1月至8月", "2024-09-23", "a"), fig("技术合同成交额", 36.52, "玉溪", "1至7月", "2024-08-15", "b")])
    assert plot.y_lim[0] == 0 and plot.y_lim[1] >= 122.78
    assert plot.color.startswith("series")
    frame = plot.value["data"] if isinstance(plot.value, dict) else plot.value
    columns = plot.value["columns"] if isinstance(plot.value, dict) else list(frame.columns)
    rows = [dict(zip(columns, r)) for r in frame] if isinstance(plot.value, dict) else frame.to_dict("records")
    assert {r[plot.color] for r in rows} == {"昆明", "玉溪"}
    assert {r["label"] for r in rows} == {"昆明 · 2024年1月至8月", "玉溪 · 2024年1月至7月"}


def test_one_place_is_one_series_per_period() -> None:
    plot = _plot([fig("专利", 80, "昆明", "上年度", "2024-09-23", "a"), fig("专利", 60, "昆明", "全年", "2023-12-31", "b")])
    rows = plot.value["data"] if isinstance(plot.value, dict) else plot.value.values.tolist()
    columns = plot.value["columns"] if isinstance(plot.value, dict) else list(plot.value.columns)
    assert {dict(zip(columns, r))[plot.color] for r in rows} == {"上年度（2023年）", "2023年全年"}


def test_each_chart_names_its_colour_column() -> None:
    """Gradio keeps the colour domain of the plot before when the column name stays the same
    (the new bars then have no colour); each metric and series kind gets its own column name."""
    a = _plot([fig("专利", 80, "昆明", "上年度", "2024-09-23", "a"), fig("专利", 60, "昆明", "全年", "2023-12-31", "b")])
    b = _plot([fig("技术合同成交额", 1, "昆明", "全年", "2024-09-23", "a"), fig("技术合同成交额", 2, "玉溪", "全年", "2024-08-15", "b")])
    assert a.color != b.color and a.color.isidentifier() and b.color.isidentifier()


def test_opening_view_is_the_most_cited_metrics() -> None:
    figs = [fig("技术合同成交额", 1 + i, "昆明", None, "2024-01-01", f"d{i}") for i in range(3)]
    figs += [fig("高新技术企业", 5, "昆明", None, "2024-01-01", "d0"), fig("高新技术企业", 6, "昆明", None, "2024-01-01", "d1")]
    figs += [fig("会议", 2, "昆明", None, "2024-01-01", "d0")]
    assert {f.metric for f in most_cited(figs, 1)} == {"技术合同成交额"}
    assert {f.metric for f in most_cited(figs, 2)} == {"技术合同成交额", "高新技术企业"}
    assert len(most_cited(figs, 10)) == len(figs)


class _View:
    """The part of ui.figures.FigureView that ticked_keys reads: figures by key."""

    def __init__(self, figs: list[SourcedFigure]) -> None:
        self.by_key = {f"{f.doc_id}#{i}": f for i, f in enumerate(figs)}
        self._key = {id(f): k for k, f in self.by_key.items()}

    def key(self, f: SourcedFigure) -> str:
        return self._key[id(f)]


@pytest.mark.parametrize(
    "ticks, order, picked",
    [
        ([True, False, True], [0, 1, 2], ["a#0", "c#2"]),
        ([False, False, False], [0, 1, 2], []),
        (["true", "false", "True"], [0, 1, 2], ["a#0", "c#2"]),  # as text
        ([True, True, float("nan")], [0, 1, 2], ["a#0", "b#1"]),  # an empty cell is not ticked
        # the browser sorted the table: rows are found by their cells, not their position
        ([True, False, False], [2, 0, 1], ["c#2"]),
    ],
)
def test_ticked_rows_are_the_selection(ticks: list[object], order: list[int], picked: list[str]) -> None:
    figs = [fig("技术合同成交额", 122.78, "昆明", "1月至8月", "2024-09-23", "a"), fig("技术合同成交额", 36.52, "玉溪", "1至7月", "2024-08-15", "b"),
            fig("高新技术企业", 946, "昆明", "全年", "2024-01-26", "c")]
    view = _View(figs)
    keys = [view.key(f) for f in figs]
    frame = table_frame(figs, "zh").iloc[order].reset_index(drop=True)
    frame[frame.columns[0]] = pd.Series(ticks, dtype=object)
    assert ticked_keys(view, keys, frame) == picked  # type: ignore[arg-type]
    assert ticked_keys(view, keys, {"data": frame.values.tolist()}) == picked  # type: ignore[arg-type]


def test_table_rows_show_the_year_and_the_ticks() -> None:
    figs = [fig("技术合同成交额", 122.78, "昆明", "1月至8月", "2024-09-23", "a"), fig("技术合同成交额", 36.52, "玉溪", "1至7月", "2024-08-15", "b")]
    frame = table_frame(figs, "zh", {id(figs[1])})
    assert list(frame.columns[:2]) == ["选择", "指标"]
    assert frame.iloc[:, 0].tolist() == [False, True]
    assert frame["时期"].tolist() == ["2024年1月至8月", "2024年1月至7月"]
    assert row_cells(figs[0], "zh")[4] == "2024年1月至8月"
