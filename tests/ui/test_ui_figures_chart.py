"""The figures tab's chart and opening view as plain functions: zero baseline, one series per place
(or per period), every bar named by place, year and period; the tab opens on the most-cited metrics."""

from __future__ import annotations

import pytest

from assistant.briefing import SourcedFigure, chart_groups
from ui.figures import bar_label, chart_plot, most_cited


def fig(metric: str, value: float, place: str | None, period: str | None, date: str, doc: str) -> SourcedFigure:
    return SourcedFigure(metric, f"{value:g}", value, "亿元", False, period, place, f"{metric}{value:g}亿元。", doc, date, doc, "")


@pytest.mark.parametrize(
    "point, label",
    [
        ({"place": "昆明", "period": "1月至8月", "date": "2024-09-23"}, "昆明 · 2024年1月至8月"),
        ({"place": "昆明", "period": "全年", "date": "2023-12-31"}, "昆明 · 2023年全年"),
        ({"place": "玉溪", "period": "2024年上半年", "date": "2024-08-15"}, "玉溪 · 2024年上半年"),
        ({"place": None, "period": None, "date": "2024-01-02"}, "2024年"),
        ({"place": "大理", "period": "1至7月", "date": None}, "大理 · 1至7月"),
    ],
)
def test_bar_label(point: dict, label: str) -> None:
    assert bar_label(point) == label


def _plot(figs):
    [group] = chart_groups(figs)
    return chart_plot(group, "zh")


def test_chart_starts_at_zero_and_colours_each_place() -> None:
    plot = _plot([fig("技术合同成交额", 122.78, "昆明", "1月至8月", "2024-09-23", "a"), fig("技术合同成交额", 36.52, "玉溪", "1至7月", "2024-08-15", "b")])
    assert plot.y_lim[0] == 0 and plot.y_lim[1] >= 122.78
    assert plot.color == "series"
    frame = plot.value["data"] if isinstance(plot.value, dict) else plot.value
    columns = plot.value["columns"] if isinstance(plot.value, dict) else list(frame.columns)
    rows = [dict(zip(columns, r)) for r in frame] if isinstance(plot.value, dict) else frame.to_dict("records")
    assert {r["series"] for r in rows} == {"昆明", "玉溪"}
    assert {r["label"] for r in rows} == {"昆明 · 2024年1月至8月", "玉溪 · 2024年1至7月"}


def test_one_place_is_one_series_per_period() -> None:
    plot = _plot([fig("专利", 80, "昆明", "上年度", "2024-09-23", "a"), fig("专利", 60, "昆明", "全年", "2023-12-31", "b")])
    rows = plot.value["data"] if isinstance(plot.value, dict) else plot.value.values.tolist()
    columns = plot.value["columns"] if isinstance(plot.value, dict) else list(plot.value.columns)
    assert {dict(zip(columns, r))["series"] for r in rows} == {"上年度", "全年"}


def test_opening_view_is_the_most_cited_metrics() -> None:
    figs = [fig("技术合同成交额", 1 + i, "昆明", None, "2024-01-01", f"d{i}") for i in range(3)]
    figs += [fig("高新技术企业", 5, "昆明", None, "2024-01-01", "d0"), fig("高新技术企业", 6, "昆明", None, "2024-01-01", "d1")]
    figs += [fig("会议", 2, "昆明", None, "2024-01-01", "d0")]
    assert {f.metric for f in most_cited(figs, 1)} == {"技术合同成交额"}
    assert {f.metric for f in most_cited(figs, 2)} == {"技术合同成交额", "高新技术企业"}
    assert len(most_cited(figs, 10)) == len(figs)
