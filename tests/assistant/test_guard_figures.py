"""The figure guard: every number an answer states must stand in a passage it cites, however written."""

from __future__ import annotations

import pytest

from assistant.guard import chunk_coverage, figures_in, unsupported_figures
from assistant.llm import cited_numbers

PASSAGE = "1月至8月,全市高新技术企业通过专家评审706家;全市共登记技术合同7936项,合同成交额122.78亿元。"


def values(text: str) -> set[float]:
    return {v for _, vs in figures_in(text) for v in vs}


@pytest.mark.parametrize(
    ("answer", "passage"),
    [
        ("共登记技术合同7,936项", "共登记技术合同7936项"),  # thousands separator
        ("共登记技术合同7936项", "共登记技术合同7,936项"),
        ("共登记技术合同７９３６项", "共登记技术合同7936项"),  # full-width digits
        ("合同成交额122.78億元", "合同成交额122.78亿元"),  # Traditional unit
        ("合同成交额122.78亿元", "合同成交額122.78億元"),
        ("合同成交额一百二十二点七八亿元", "合同成交额122.78亿元"),  # Chinese numerals
        ("合同成交额122.78亿元", "合同成交额一百二十二点七八亿元"),
        ("合同成交额12278000000元", "合同成交额122.78亿元"),  # the same amount in yuan
        ("合同成交额122.78亿元", "合同成交额12278000000元"),
        ("合同成交额1227800万元", "合同成交额122.78亿元"),  # in 万元
        ("通过专家评审七百零六家", "通过专家评审706家"),
        ("合同成交额122.78", "合同成交额122.78亿元"),  # a bare number may quote the passage's digits
    ],
)
def test_same_figure_written_differently_is_supported(answer: str, passage: str) -> None:
    assert unsupported_figures(answer, [passage]) == []


def test_written_forms_normalise_to_the_same_values() -> None:
    assert values("7,936") == values("7936") == values("７９３６") == {7936.0}
    assert values("122.78億元") == values("122.78亿元") == values("一百二十二点七八亿") == {122.78, 12278000000.0}
    assert 12278000000.0 in values("12278000000元")
    assert figures_in("一百二十二点七八亿")[0][0] == "122.78亿"


def test_invented_figure_is_flagged() -> None:
    assert unsupported_figures("合同成交额999亿元[1]", [PASSAGE]) == ["999亿"]
    assert unsupported_figures("合同成交额122.78亿元,另有999亿元", [PASSAGE]) == ["999亿"]
    assert unsupported_figures("共有99家国家重点实验室", ["共有国家重点实验室8家"]) == ["99"]


def test_wrong_scale_is_flagged() -> None:
    """The count 7936 (项) does not support 7936亿元, nor does 122.78亿 support 122.78万."""
    assert unsupported_figures("合同成交额7936亿元", [PASSAGE]) == ["7936亿"]
    assert unsupported_figures("合同成交额122.78万元", [PASSAGE]) == ["122.78万"]


def test_figures_are_checked_against_the_passages_given() -> None:
    assert unsupported_figures("合同成交额122.78亿元", []) == ["122.78亿"]
    assert unsupported_figures("合同成交额122.78亿元", ["玉溪合同成交额36.52亿元"]) == ["122.78亿"]
    assert unsupported_figures("合同成交额122.78亿元", ["玉溪合同成交额36.52亿元", PASSAGE]) == []


def test_citation_markers_are_not_figures() -> None:
    assert figures_in("[1]") == [] and figures_in("见[2][13]。") == []
    assert unsupported_figures("合同成交额122.78亿元[1],登记7936项[2][3]。", [PASSAGE]) == []
    assert [w for w, _ in figures_in("合同成交额122.78亿元[7]")] == ["122.78亿"]
    assert unsupported_figures("文档中没有找到这个问题的答案。[1]", []) == []


def test_cited_numbers_parses_markers() -> None:
    assert cited_numbers("合同成交额122.78亿元[1],登记7936项[3][1]。参见[12]") == [1, 3, 12]
    assert cited_numbers("没有引用,122.78亿元,[a],[ 1 ],[1234]") == []


def test_a_phrase_may_span_clauses_joined_by_a_semicolon() -> None:
    """"上年度…;增加研发投入1.1亿元" is one sentence: 年度研发投入 stands in it, word by word."""
    from assistant.query import analyse

    q = analyse("第一批市级企业科技创新中心上年度研发投入增加了多少钱?")
    phrase = ("年度", "研发", "投入")
    one = "统计数据显示,第一批市级企业科技创新中心上年度共获各项专利80项;增加研发投入1.1亿元。"
    two = "第一批市级企业科技创新中心上年度共获各项专利80项。另有企业增加研发投入1.1亿元。"
    assert chunk_coverage(q, one, required_phrases=[phrase]).ok
    assert "年度研发投入" in chunk_coverage(q, two, required_phrases=[phrase]).missing
