"""Text-layer PDFs read as sentences: lines rejoined, running heads/footers/page numbers dropped,
every chunk knows its page."""

from __future__ import annotations

from pathlib import Path

import pytest

from file_makers import text_pdf
from ingest.layout import Line, PageSpan, drop_running_lines, is_page_number, join_pages, lines_to_paragraphs
from ingest.loaders import load_document
from ingest.pdf import text_is_usable


@pytest.mark.parametrize(
    "text, expected",
    [("— 1 —", True), ("- 12 -", True), ("3", True), ("第3页", True), ("第 3 页 共 10 页", True), ("3/10", True),
     ("Page 2 of 9", True), ("2024年", False), ("一、总体要求", False), ("122.78亿元", False), ("", False)],
)
def test_page_numbers(text: str, expected: bool):
    assert is_page_number(text) is expected


def _line(text: str, x0: float, x1: float, top: float) -> Line:
    return Line(text, x0, x1, top, top + 12)


def test_lines_of_a_paragraph_are_joined_and_paragraphs_kept_apart():
    lines = [
        _line("全市共登记技术合同7936项，合同成交额", 94, 500, 100),  # indented first line, runs to the margin
        _line("122.78亿元，同比增长15.2%。", 70, 260, 116),  # the paragraph's short last line
        _line("下一步，市科技局将继续优化服务流程，提", 94, 500, 132),
        _line("高办事效率。English words", 70, 500, 148),
        _line("continue here.", 70, 150, 164),
    ]
    assert lines_to_paragraphs(lines) == [
        "全市共登记技术合同7936项，合同成交额122.78亿元，同比增长15.2%。",
        "下一步，市科技局将继续优化服务流程，提高办事效率。English words continue here.",
    ]


def test_list_items_start_their_own_paragraph_even_after_a_full_line():
    lines = [_line("一、申报对象为本市注册的科技型中小企业。", 70, 500, 100), _line("二、支持额度不超过30万元。", 70, 498, 116)]
    assert lines_to_paragraphs(lines) == ["一、申报对象为本市注册的科技型中小企业。", "二、支持额度不超过30万元。"]


def test_running_heads_and_page_numbers_are_dropped_body_repeats_are_not():
    pages = []
    for n in range(1, 4):
        pages.append([
            _line("昆明市科学技术局文件", 200, 400, 20),  # running head in the top margin
            _line("同意。", 70, 120, 300),  # a body line repeating on every page stays
            _line(f"— {n} —", 280, 320, 780),  # page number in the bottom margin
        ])
    kept = drop_running_lines(pages, [800.0] * 3)
    assert [[ln.text for ln in page] for page in kept] == [["同意。"]] * 3


def test_a_sentence_running_over_a_page_break_is_rejoined_and_spans_follow_pages():
    cut = "全市共登记技术合同7936项，合同成交额达到"
    text, spans = join_pages([(["第一段。", cut], False, None), (["122.78亿元。", "第二段。"], False, None), ([], True, 0.5)])
    assert text == f"第一段。\n{cut}122.78亿元。\n第二段。"
    assert spans[0] == PageSpan(0, len("第一段。\n" + cut), 1)
    assert text[spans[1].start : spans[1].end] == "122.78亿元。\n第二段。" and spans[1].page == 2
    assert spans[2].page == 3 and spans[2].ocr and spans[2].start == spans[2].end == len(text)


def test_a_heading_at_the_foot_of_a_page_is_not_glued_to_the_next_page():
    text, _ = join_pages([(["正文。", "附件1"], False, None), (["申报单位基本情况表，请如实填写，于9月30日前报送。"], False, None)])
    assert text == "正文。\n附件1\n申报单位基本情况表，请如实填写，于9月30日前报送。"


@pytest.mark.parametrize(
    "text, usable",
    [("全市共登记技术合同7936项，合同成交额122.78亿元。", True), ("", False), ("  12  ", False),
     ("(cid:12)(cid:13)(cid:14)" * 10 + "合同成交额", False), ("\ue001\ue002\ue003" * 10 + "技术合同登记成交额达到一百二十二亿元", False)],
)
def test_text_layer_usability(text: str, usable: bool):
    assert text_is_usable(text, min_chars=20, max_garbage=0.3) is usable


PARA = ("为深入实施创新驱动发展战略，加快建设区域科技创新中心，市科技局会同有关部门制定了本方案，"
        "现就有关事项通知如下，请各单位认真贯彻落实，确保各项任务按期完成。")


def test_text_pdf_reads_as_sentences_with_pages(tmp_path: Path):
    pages = [
        [PARA, "全市共登记技术合同7936项，合同成交额122.78亿元，同比增长15.2%，技术合同登记工作继续保持较快增长势头。"],
        [PARA, "1月至8月，全市高新技术企业通过专家评审706家，比上年同期增加较多，科技型中小企业评价入库数量创历史新高。"],
        ["第三页只有一段文字，说明附件的报送方式和联系人，请各单位于9月30日前报送。"],
    ]
    path = text_pdf(pages, tmp_path / "方案.pdf", head="昆明市科学技术局文件")
    doc = load_document(path)
    lines = doc.text.splitlines()
    # each paragraph one line: fpdf2 wrapped them at the margin, the reader joined them again
    assert "全市共登记技术合同7936项，合同成交额122.78亿元，同比增长15.2%，技术合同登记工作继续保持较快增长势头。" in lines
    assert "昆明市科学技术局文件" not in doc.text and "—" not in doc.text
    assert [p.page for p in doc.pages] == [1, 2, 3]
    assert "706家" in doc.text[doc.pages[1].start : doc.pages[1].end]


def test_chunks_know_their_page(tmp_path: Path, make_settings):
    from ingest.pipeline import _prepare

    pages = [[PARA * 2], [PARA, "第二页：全市共登记技术合同7936项。"], [PARA, "第三页：合同成交额122.78亿元。"]]
    path = text_pdf(pages, tmp_path / "方案.pdf")
    record, chunks = _prepare(tmp_path, path, "方案.pdf", "x", make_settings(chunk_size=120, chunk_overlap=0))
    by_text = {c.meta["page"]: c.text for c in chunks}
    assert all(isinstance(c.meta["page"], int) for c in chunks)
    page_of = {c.text: c.meta["page"] for c in chunks}
    assert [page_of[t] for t in page_of if "7936项" in t] == [2]
    assert [page_of[t] for t in page_of if "122.78亿元" in t] == [3]
    assert set(by_text) == {1, 2, 3} and not any("ocr_low_confidence" in c.meta for c in chunks)
