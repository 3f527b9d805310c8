"""Relative times in text that leaves the app carry their document's date (issue 16: "截至目前" in a
copied answer). Table-driven: the expression, the citations, the text a reader pastes."""

from __future__ import annotations

import pytest

from assistant.relative_time import date_words, dated_text
from ingest.facts import relative_time_spans

KM = {"n": 1, "date": "2024-09-23", "title": "昆明深入实施科技创新赋能高质量发展"}
REVIEW = {"n": 2, "date": "2024-01-26", "title": "昆明市科技局2023年工作综述"}
UNDATED = {"n": 3, "date": "", "title": "无日期"}


@pytest.mark.parametrize(
    "text, citations, pasted",
    [
        ("截至目前，全市共有国家重点实验室8家[1]。", [KM], "截至目前（据2024年9月23日文件），全市共有国家重点实验室8家[1]。"),
        ("目前共有8家[1]。", [KM], "目前（据2024年9月23日文件）共有8家[1]。"),
        ("当前，全市共有8家[1]。", [KM], "当前（据2024年9月23日文件），全市共有8家[1]。"),
        ("今年以来，技术合同成交额122.78亿元[1]。", [KM], "今年以来（据2024年9月23日文件），技术合同成交额122.78亿元[1]。"),
        # 今年 / 去年: the year meant; a review of 2023 published in 2024 speaks of 2023
        ("今年新增高新技术企业100家[1]。", [KM], "今年（2024年）新增高新技术企业100家[1]。"),
        ("去年同期为100亿元[2]。", [KM, REVIEW], "去年同期（2022年）为100亿元[2]。"),
        ("截至今年8月底，共有8家[1]。", [KM], "截至今年（2024年）8月底，共有8家[1]。"),
        # the note never splits a word (截至今 | 日)
        ("截至今日，共有8家[2]。", [KM, REVIEW], "截至今日（据2024年1月26日文件），共有8家[2]。"),
        # each sentence takes the date of its own [n]
        ("截至目前有8家[1]。截至目前有5家[2]。", [KM, REVIEW],
         "截至目前（据2024年9月23日文件）有8家[1]。截至目前（据2024年1月26日文件）有5家[2]。"),
        # Traditional text: found as well (the note is turned into the reader's script by the caller)
        ("截至目前，當前共有8家[1]。", [KM], "截至目前（据2024年9月23日文件），當前（据2024年9月23日文件）共有8家[1]。"),
        ("So far this year, 12 firms were certified [1].", [KM], "So far this year (as of the document dated 2024-09-23), 12 firms were certified [1]."),
        # no [n] in the sentence: the one date every citation shares, else left alone
        ("截至目前共有8家。", [KM], "截至目前（据2024年9月23日文件）共有8家。"),
        ("截至目前共有8家。", [KM, REVIEW], "截至目前共有8家。"),
        # undated document, already dated, nothing relative, no citations
        ("截至目前共有8家[3]。", [KM, UNDATED], "截至目前共有8家[3]。"),
        ("截至目前（据2024年9月23日文件）共有8家[1]。", [KM], "截至目前（据2024年9月23日文件）共有8家[1]。"),
        ("2024年1至8月合同成交额122.78亿元[1]。", [KM], "2024年1至8月合同成交额122.78亿元[1]。"),
        ("截至目前共有8家[1]。", [], "截至目前共有8家[1]。"),
    ],
)
def test_dated_text(text: str, citations: list[dict], pasted: str) -> None:
    assert dated_text(text, citations) == pasted


@pytest.mark.parametrize(
    "text, kinds",
    [("截至目前", [("now", 0)]), ("今年以来", [("now", 0)]), ("截至今年8月", [("year", 0)]), ("去年同期", [("year", -1)]),
     ("上年度", [("year", -1)]), ("currently 5 and last year 4", [("now", 0), ("year", -1)]), ("2024年1至8月", [])],
)
def test_relative_time_spans(text: str, kinds: list[tuple[str, int]]) -> None:
    assert [(k, o) for _, _, k, o in relative_time_spans(text)] == kinds


@pytest.mark.parametrize(
    "date, english, words",
    [("2024-09-23", False, "2024年9月23日"), ("2024-09", False, "2024年9月"), ("2024", False, "2024年"),
     ("2024-09-23", True, "2024-09-23"), ("", False, None), (None, False, None), ("n.d.", False, None)],
)
def test_date_words(date: str | None, english: bool, words: str | None) -> None:
    assert date_words(date, english) == words
