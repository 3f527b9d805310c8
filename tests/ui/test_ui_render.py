"""Rendering answers: everything from documents and users is text; figures are highlighted."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from assistant.api import Answer, Citation
from assistant.retrieval import RetrievedChunk
from ui import render
from ui.i18n import STRINGS, t

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> [x](javascript:alert(1)) $x$ `code` www.example.com'


class Tags(HTMLParser):
    """The tags and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    p = Tags()
    p.feed(html)
    return p.tags


def citation(n: int = 1, text: str = "合同成交額122.78億元。8月6日召開會議。", **kw) -> Citation:
    values = dict(n=n, doc_id="kunming.txt", title="昆明科技局通报", date="2024-09-23", source="昆明信息港", chunk_id=f"c{n}", text=text)
    values.update(kw)
    return Citation(**values)


def chunk(i: int, text: str = EVIL) -> RetrievedChunk:
    return RetrievedChunk(f"c{i}", f"d{i}.txt", f"title {i} {EVIL}", "2024-01-0%d" % (i + 1), EVIL, "", text, text)


def test_text_html_makes_everything_inert() -> None:
    out = render.text_html(EVIL + "\nline2")
    assert "<" not in out.replace("<br>", "") and ">" not in out.replace("<br>", "")
    assert "[" not in out and "]" not in out and ":" not in out and "`" not in out and "$" not in out
    assert out.endswith("<br>line2")
    assert [t for t, _ in tags_of(out)] == ["br"]


def test_answer_figures_skip_dates_and_citations() -> None:
    assert render.answer_figures("1月至8月,共登记技术合同7936项,合同成交额122.78亿元。[1][2]") == ["7936", "122.78"]
    assert render.answer_figures("截至目前,共有国家重点实验室8家。[1]") == ["8"]
    assert render.answer_figures("2024-09-23发布,2024年增长12.5%") == ["12.5"]
    assert render.answer_figures("1至8月,全市技术合同成交额为122.78亿元[1]。") == ["122.78"]
    assert render.answer_figures("window.__pwned=2 h264 e5") == []


def test_highlight_marks_whole_numbers_only() -> None:
    out = render.highlight("成交額122.78億元,1122.785,122.78", ["122.78"])
    assert out.count("<mark>") == 2
    assert "1122.785" in out
    out = render.highlight("8月6日,共有國家重點實驗室8家", ["8"])
    assert out == "8月6日,共有國家重點實驗室<mark>8</mark>家"
    assert render.highlight("<b>7</b>", ["7"]) == "&lt;b&gt;<mark>7</mark>&lt;/b&gt;"


def test_answer_html_citations_expandable_and_highlighted() -> None:
    ans = Answer("q", "1月至8月合同成交额122.78亿元。[1]", False, citations=[citation()], mode="extractive", seconds=0.12)
    html = render.answer_html(ans, "zh")
    tags = tags_of(html)
    assert ("details", {"class": "pq-cite pq-cite-1"}) in tags and any(t == "summary" for t, _ in tags)
    assert "<mark>122.78</mark>" in html and "<mark>8</mark>" not in html  # 8月 is a period, not a figure
    assert "昆明科技局通报" in html and "2024-09-23" in html and "昆明信息港" in html
    assert "&#91;1&#93;" in html and t("used_extractive", "zh") in html


def test_answer_html_with_malicious_document_has_no_live_markup() -> None:
    evil = citation(text=EVIL + " 122.78", title=EVIL, source=EVIL, doc_id=EVIL)
    ans = Answer(EVIL, EVIL + " 122.78 [1]", False, citations=[evil], mode="llm", model=EVIL)
    html = render.answer_html(ans, "en")
    allowed = {"div", "span", "details", "summary", "mark", "br", "button"}
    for tag, attrs in tags_of(html):
        assert tag in allowed, tag
        assert set(attrs) <= {"class", "role", "tabindex", "title", "type"}, attrs
    assert "javascript:" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
    assert re.search(r"<(script|img|a)\b", html) is None


def test_refusal_lists_nearest_three_passages() -> None:
    ans = Answer("深圳?", "文档中没有找到这个问题的答案。", True, retrieved=[chunk(i) for i in range(5)])
    html = render.answer_html(ans, "zh")
    assert "pq-refusal" in html and "pq-nearest" in html and html.count("<details") == 3
    assert "<script" not in html and "<img" not in html
    text = render.briefing_text(ans, "zh")
    assert text.startswith("文档中没有找到") and text.count("\n1. ") == 1 and "\n3. " in text and "\n4. " not in text


def test_briefing_text_lists_sources() -> None:
    ans = Answer("q", "合同成交额122.78亿元。[1]又见[2]", False, citations=[citation(1), citation(2, title="", source="", date="")])
    text = render.briefing_text(ans, "zh")
    assert text.splitlines()[0] == "合同成交额122.78亿元。[1]又见[2]"
    assert "[1] 《昆明科技局通报》，2024-09-23，昆明信息港" in text
    assert "[2] 《kunming.txt》，日期不详，kunming.txt" in text
    assert "Sources:" in render.briefing_text(ans, "en")


def test_result_json_is_plain_data() -> None:
    ans = Answer("q", "a [1]", False, citations=[citation()], mode="extractive")
    data = render.result_json(ans)
    assert data["citations"][0]["title"] == "昆明科技局通报" and data["nearest"] == []
    assert render.dumps(data)


def test_table_html_escapes_cells() -> None:
    html = render.table_html(["a<b>"], [[EVIL]])
    assert [t for t, _ in tags_of(html)] == ["table", "thead", "tr", "th", "tbody", "tr", "td"]


def test_every_string_has_both_languages() -> None:
    for key, (zh, en) in STRINGS.items():
        assert zh and en, key
        assert set(re.findall(r"{(\w+)", zh)) == set(re.findall(r"{(\w+)", en)), key


def test_copied_answer_dates_its_relative_times() -> None:
    """The copy button's text: 截至目前 carries the cited document's date, in the reader's script."""
    ans = Answer("目前有多少家国家重点实验室?", "截至目前，全市共有国家重点实验室8家[1]。", False, citations=[citation()])
    assert render.briefing_text(ans, "zh").splitlines()[0] == "截至目前（据2024年9月23日文件），全市共有国家重点实验室8家[1]。"
    hant = Answer("目前有多少家國家重點實驗室?", "截至目前，全市共有國家重點實驗室8家[1]。", False, citations=[citation()])
    assert render.briefing_text(hant, "zh").splitlines()[0] == "截至目前（據2024年9月23日文件），全市共有國家重點實驗室8家[1]。"
    assert "2024年9月23日" in render.answer_html(ans, "zh")  # the copy button's hidden text
