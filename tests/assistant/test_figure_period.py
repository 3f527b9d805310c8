"""Periods carry their year wherever a figure is shown (issue 16: "1月至8月" must read 2024年1月至8月,
and a 2023 review's 全年 must not read as 2024). Table-driven over assistant.briefing.figure_period,
the one function the figures table, the chart labels, the Markdown and the Word briefing use."""

from __future__ import annotations

import pytest

from assistant.briefing import SourcedFigure, briefing_markdown, chart_groups, figure_period

KM = ("昆明深入实施科技创新赋能高质量发展", "2024-09-23")
REVIEW = ("昆明市科技局2023年工作综述：创新主体持续壮大", "2024-01-26")  # published 2024, reports 2023
DALI = ("大理州科技局召开2024年上半年工作总结会", "2024-07-20")


def fig(period: str | None, doc: tuple[str, str | None] = KM, sentence: str = "", place: str | None = "昆明", value: float = 1.0) -> SourcedFigure:
    title, date = doc
    return SourcedFigure("技术合同成交额", f"{value:g}", value, "亿元", False, period, place, sentence or f"{period or ''}合同成交额{value:g}亿元。",
                         title[:4], date, title=title)


@pytest.mark.parametrize(
    "period, doc, sentence, shown",
    [
        ("1月至8月", KM, "", "2024年1月至8月"),
        ("1至7月", KM, "", "2024年1月至7月"),
        ("上半年", DALI, "", "2024年上半年"),
        ("全年", REVIEW, "", "2023年全年"),  # the year reviewed, not the publication year
        ("全年", KM, "", "2024年全年"),
        # a year written before the period in the sentence wins; one after it is a comparison
        ("全年", KM, "2023年，全市全年技术合同成交额163.47亿元。", "2023年全年"),
        ("1至7月", KM, "1至7月合同成交额36.52亿元，比2023年同期增长。", "2024年1月至7月"),
        ("截至7月底", KM, "截至7月底,入库企业412家,较去年同期明显增加。", "截至2024年7月底"),
        ("截至6月底", DALI, "", "截至2024年6月底"),
        # relative years keep their wording and get the year meant
        ("上年度", KM, "", "上年度（2023年）"),
        ("去年同期", KM, "", "去年同期（2023年）"),
        ("今年以来", KM, "", "今年以来（2024年）"),
        # "now": the document's date
        ("截至目前", KM, "", "截至目前（据2024年9月23日文件）"),
        # already dated, unknown, none
        ("2023年", KM, "", "2023年"),
        ("截至2023年底", KM, "", "截至2023年底"),
        ("2024年上半年", DALI, "", "2024年上半年"),
        ("近期", KM, "", "近期"),
        ("1至7月", ("无日期的文件", None), "", "1至7月"),
        (None, KM, "", ""),
    ],
)
def test_figure_period(period: str | None, doc: tuple[str, str | None], sentence: str, shown: str) -> None:
    assert figure_period(fig(period, doc, sentence)) == shown


def test_chart_labels_short_dates_for_now() -> None:
    """Bar labels are cut by the chart at 180 px: 截至目前 there is the date itself."""
    assert figure_period(fig("截至目前"), compact=True) == "截至2024年9月23日"
    assert figure_period(fig("1月至8月"), compact=True) == "2024年1月至8月"


def test_markdown_rows_carry_the_year() -> None:
    md = briefing_markdown([fig("1月至8月", value=122.78), fig("全年", REVIEW, value=163.47)], title="对比")
    assert "| 1 | 技术合同成交额 | 122.78亿元 | 2024年1月至8月 | 昆明 | [1] |" in md
    assert "| 2 | 技术合同成交额 | 163.47亿元 | 2023年全年 | 昆明 | [2] |" in md


def test_chart_points_know_their_year() -> None:
    [group] = chart_groups([fig("1月至8月", value=122.78), fig("全年", REVIEW, value=163.47)])
    assert {p["when"] for p in group["points"]} == {"2024年1月至8月", "2023年全年"}
