"""What the reader sees of an answer: their script, Chinese punctuation, linked [n], the right marks,
and a citation's article, page, recognised-text and superseded flags (plain functions, no browser)."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from assistant.api import Answer, Citation
from ui import render
from ui.i18n import STRINGS, template

TRAD = "全市共登記技術合同7936項,合同成交額122.78億元。專利80項。"


def cite(n: int = 1, text: str = TRAD, **kw) -> Citation:
    values = dict(n=n, doc_id="km.txt", title="昆明科技創新通報", date="2024-09-23", source="昆明信息港", chunk_id=f"c{n}", text=text)
    values.update(kw)
    return Citation(**values)


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("合同成交额122.78亿元。[1]专利80项。[2]", {1: ["122.78"], 2: ["80"]}),
        ("合同成交额122.78亿元,专利80项。[1][2]", {1: ["122.78", "80"], 2: ["122.78", "80"]}),
        ("1月至8月共7936项。[1]", {1: ["7936"]}),
        ("没有引用的122.78亿元。", {}),
        ("先[1]后122.78亿元[2]", {1: [], 2: ["122.78"]}),
    ],
)
def test_figures_by_citation(answer: str, expected: dict) -> None:
    assert render.figures_by_citation(answer) == expected


def test_a_citation_marks_only_the_figures_taken_from_it() -> None:
    ans = Answer("成交额和专利?", "合同成交额122.78亿元。[1]专利80项。[2]", False, citations=[cite(1), cite(2)])
    html = render.answer_html(ans, "zh")
    first, second = html.split('class="pq-cite pq-cite-2"')
    assert "<mark>122.78</mark>" in first and "<mark>80</mark>" not in first.split("pq-cite-1")[1]
    assert "<mark>80</mark>" in second and "<mark>122.78</mark>" not in second


@pytest.mark.parametrize(
    "text, expected",
    [
        ("技术合同成交额(1月至8月、昆明):122.78亿元", "技术合同成交额（1月至8月、昆明）：122.78亿元"),
        ("1月至8月,全市706家;共7936项。", "1月至8月，全市706家；共7936项。"),
        ("比例1:2,共1,234项", "比例1:2，共1,234项"),
        ("Kunming has 8 labs, see (p. 3).", "Kunming has 8 labs, see (p. 3)."),
        ("是多少?", "是多少？"),
    ],
)
def test_cjk_punct(text: str, expected: str) -> None:
    assert render.cjk_punct(text) == expected


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_chinese_interface_strings_use_full_width_punctuation(key: str) -> None:
    outside_fields = re.sub(r"\{[^{}]*\}", "", template(key, "zh"))
    assert not re.search(r"[,;:?!()]", outside_fields), (key, outside_fields)


@pytest.mark.parametrize(
    "question, shown, original_toggle",
    [
        ("技术合同成交额是多少?", "全市共登记技术合同7936项", True),  # Simplified reader, Traditional document
        ("技術合同成交額是多少?", "全市共登記技術合同7936項", False),  # Traditional reader: as printed
        ("How much was the contract turnover?", "全市共登记技术合同7936项", True),  # English readers: Simplified
    ],
)
def test_citations_in_the_readers_script_with_the_original_one_click_away(question: str, shown: str, original_toggle: bool) -> None:
    ans = Answer(question, "成交额122.78亿元。[1]", False, citations=[cite()])
    html = render.answer_html(ans, "zh")
    passage = html.split('class="pq-passage">', 1)[1]
    assert passage.startswith(shown), passage[:80]
    assert ('class="pq-orig"' in html) is original_toggle
    if original_toggle:
        assert "全市共登記技術合同" in html.split('class="pq-orig"', 1)[1]  # the printed script, inside the toggle
    title = "《昆明科技创新通报》" if original_toggle else "《昆明科技創新通報》"
    assert title in html and title in render.briefing_text(ans, "zh")


@pytest.mark.parametrize(
    "extra, lang, wanted, unwanted",
    [
        ({"article": "第四十五条"}, "zh", ["《昆明科技创新通报》第四十五条"], ["pq-ocr", "pq-superseded"]),
        ({"page": 3}, "zh", ["第3页"], []),
        ({"page": 3}, "en", ["p. 3"], []),
        ({"ocr": True}, "zh", ["pq-ocr", "识别文本"], []),
        ({"doc_status": "superseded", "version_date": "2019-05-01"}, "zh", ["pq-superseded", "旧版本，已被取代 2019-05-01"], []),
        ({"doc_status": "current"}, "zh", [], ["pq-superseded"]),
    ],
)
def test_citation_facts(extra: dict, lang: str, wanted: list[str], unwanted: list[str]) -> None:
    html = render.answer_html(Answer("成交额?", "成交额122.78亿元。[1]", False, citations=[cite(**extra)]), lang)
    summary = html.split("<summary>", 1)[1].split("</summary>", 1)[0]
    for w in wanted:
        assert w in summary, (w, summary)
    for u in unwanted:
        assert u not in summary


def test_only_markers_of_existing_citations_are_links() -> None:
    html = render.answer_html(Answer("q", "甲。[1]乙。[7]", False, citations=[cite(1)]), "zh")
    assert html.count('class="pq-ref pq-ref-1"') == 1 and "pq-ref-7" not in html and "&#91;7&#93;" in html


def test_one_copy_button_holding_the_answer_and_its_sources() -> None:
    html = render.answer_html(Answer("成交额?", "成交额122.78亿元。[1]", False, citations=[cite()]), "zh")
    assert html.count('class="pq-copy-btn"') == 1
    copied = html_lib.unescape(html.split('class="pq-copytext">', 1)[1].split("</div>", 1)[0])  # its textContent
    assert "成交额122.78亿元。[1]\n\n参考来源：\n[1] 《昆明科技创新通报》，2024-09-23，昆明信息港" in copied
