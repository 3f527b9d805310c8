"""OCR of scanned notices: real pages rendered with a Chinese font, degraded like a scan.

OCR is CPU heavy (several seconds a page on two shared cores), so the degraded notice is made and
recognised as few times as possible: one scanned PDF, one mixed PDF (whose OCR result the
end-to-end test reads back from the cache), one small PNG.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from file_makers import NOTICE_FIGURES, NOTICE_LINES, NOTICE_TITLE, char_accuracy, degrade, image_pdf, render_page, text_pdf
from ingest.loaders import load_document
from ingest.ocr import reading_order, remove_red_seal

SOURCE = NOTICE_TITLE + "".join(NOTICE_LINES)


# ----------------------------------------------------------------------------------------------
# rules (no OCR engine)


def _box(x0, top, x1, bottom, text):
    return (x0, top, x1, bottom, text, 0.99)


@pytest.mark.parametrize(
    "boxes, columns",
    [
        # one column: lines top to bottom, boxes of a line left to right
        ([_box(100, 10, 300, 40, "第一行"), _box(310, 12, 500, 40, "后半"), _box(100, 60, 500, 90, "第二行")],
         [["第一行后半", "第二行"]]),
        # two columns: the left one is read completely before the right one
        ([_box(0, 0, 400, 30, "左一"), _box(600, 0, 1000, 30, "右一"), _box(0, 50, 400, 80, "左二"), _box(600, 50, 1000, 80, "右二")],
         [["左一", "左二"], ["右一", "右二"]]),
        # a full-width title above two columns
        ([_box(0, 0, 1000, 30, "标题"), _box(0, 80, 400, 110, "左"), _box(600, 80, 1000, 110, "右")],
         [["标题"], ["左"], ["右"]]),
    ],
)
def test_reading_order(boxes, columns):
    got = [[ln.text for ln in col] for col in reading_order(boxes)]
    assert got == columns


def test_red_seal_is_removed_and_black_print_kept():
    import numpy as np

    img = np.full((4, 4, 3), 255, np.uint8)
    img[0, 0] = (220, 30, 30)  # seal ink
    img[1, 1] = (180, 90, 80)  # faint anti-aliased seal edge
    img[2, 2] = (20, 20, 20)  # black print
    img[3, 3] = (120, 110, 105)  # grey print tinted by the scanner
    out = remove_red_seal(img)
    assert tuple(out[0, 0]) == (255, 255, 255) and tuple(out[1, 1]) == (255, 255, 255)
    assert tuple(out[2, 2]) == (20, 20, 20) and tuple(out[3, 3]) == (120, 110, 105)


# ----------------------------------------------------------------------------------------------
# real OCR


@pytest.fixture(scope="module")
def scan() -> "Image.Image":
    return degrade(render_page(NOTICE_LINES))


@pytest.fixture(scope="module")
def ocr_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ocr-cache")


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory: pytest.TempPathFactory, scan) -> Path:
    """Page 1 and 3 have a text layer, page 2 is the scanned notice."""
    text = [
        ["市科技局2024年第一季度工作简报",
         "一季度全市新增省级科技型中小企业210家，组织科技特派员下乡服务45次，相关工作有序推进。"
         "市科技局围绕重点产业链部署创新链，组织实施重大科技专项12项，带动社会研发投入持续增长。"
         "全市技术合同登记工作保持稳定，各县区科技管理部门加强了政策宣传和申报辅导。",
         "二季度将重点抓好科技创新券申报、科技型企业梯度培育和科技成果转化等工作，确保全年目标任务顺利完成。"
         "各单位要按照职责分工，细化工作措施，加强协调配合，及时报送工作进展情况。"],
        [],
        ["附件说明：本简报的附件为科技创新券申报通知的扫描件，原件存市科技局办公室备查，如有疑问请与办公室联系。"],
    ]
    return text_pdf(text, tmp_path_factory.mktemp("mixed") / "简报.pdf", head="市科技局工作简报", scanned={2: scan})


@pytest.mark.slow
def test_scanned_pdf_is_read_by_ocr(tmp_path: Path, scan, make_settings):
    path = image_pdf([scan], tmp_path / "通知.pdf")
    settings = make_settings(ocr_cache_dir=tmp_path / "cache")
    doc = load_document(path, settings=settings)
    assert char_accuracy(doc.text, SOURCE) >= 0.97, doc.text
    for figure in NOTICE_FIGURES:
        assert figure in doc.text, figure
    assert "印章" not in doc.text  # the seal's ring text stays out of the body
    (page,) = doc.pages
    assert page.page == 1 and page.ocr and page.confidence > 0.9
    assert doc.ocr_pages == 1 and doc.ocr_cached == 0
    # the list items keep their own lines; the date is its own line
    lines = doc.text.splitlines()
    assert any(line.startswith("三、申报时间为2024年3月15日") for line in lines) and "2024年3月1日" in lines
    # a second read of the same file is served from the cache by content hash
    again = load_document(path, settings=settings)
    assert again.text == doc.text and again.ocr_cached == 1


@pytest.mark.slow
def test_the_same_page_as_a_png(tmp_path: Path, scan, make_settings):
    path = tmp_path / "通知.png"
    scan.save(path)
    doc = load_document(path, settings=make_settings(ocr_cache_dir=tmp_path / "cache"))
    assert char_accuracy(doc.text, SOURCE) >= 0.97, doc.text
    for figure in NOTICE_FIGURES:
        assert figure in doc.text, figure
    assert doc.pages[0].ocr and doc.pages[0].page == 1 and doc.ocr_pages == 1


@pytest.mark.slow
def test_mixed_pdf_reads_each_page_the_right_way(mixed_pdf: Path, ocr_cache: Path, make_settings):
    doc = load_document(mixed_pdf, settings=make_settings(ocr_cache_dir=ocr_cache))
    assert [(p.page, p.ocr) for p in doc.pages] == [(1, False), (2, True), (3, False)]
    page1, page2, page3 = (doc.text[p.start : p.end] for p in doc.pages)
    assert "新增省级科技型中小企业210家" in page1 and "市科技局工作简报" not in page1  # running head dropped
    assert page1.splitlines()[0] == "市科技局2024年第一季度工作简报"
    assert "30万元" in page2 and "3500万元" in page2
    assert page3.startswith("附件说明") and "— 3 —" not in doc.text
    assert doc.ocr_pages == 1


@pytest.mark.slow
def test_scanned_page_answer_cites_its_page(tmp_path: Path, mixed_pdf: Path, ocr_cache: Path, make_settings, e5_embedder):
    """Real pipeline, real e5, real Chroma: the chunk from the scanned page carries page 2 to its citation."""
    from assistant.api import Assistant, Citation
    from assistant.retrieval import RetrievedChunk  # noqa: F401  (the type Citation.of reads)
    from ingest.pipeline import ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / mixed_pdf.name).write_bytes(mixed_pdf.read_bytes())
    settings = make_settings(ocr_cache_dir=ocr_cache, llm_base_url=None, llm_model=None, rerank_model=None)
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert not report.failed and report.ocr_pages == 1, report.to_json()
    answer = Assistant(settings, embedder=e5_embedder).ask("科技创新券单个企业年度支持额度是多少?")
    assert not answer.refused and "30万元" in answer.answer, answer.answer
    cited = [c for c in answer.citations if "30万元" in c.text]
    assert cited and cited[0].page == 2
    top = next(r for r in answer.retrieved if "30万元" in r.text)
    assert top.meta["page"] == 2 and top.meta["ocr"] is True
    assert Citation.of(1, top).page == 2
    assert top.meta["ocr_low_confidence"] is (top.meta["ocr_confidence"] < settings.ocr_low_confidence)


def test_low_confidence_pages_mark_their_chunks():
    from ingest.chunking import chunk_document
    from ingest.layout import PageSpan, annotate_chunks

    text = "第一页的文字。" * 30 + "\n" + "第二页识别出的文字。" * 30
    split = text.index("\n") + 1
    pages = [PageSpan(0, split - 1, 1), PageSpan(split, len(text), 2, ocr=True, confidence=0.7)]
    chunks = chunk_document("d", text, "t", 120, 20)
    annotate_chunks(chunks, pages, low_confidence=0.9)
    first, last = chunks[0], chunks[-1]
    assert first.meta["page"] == 1 and "ocr_low_confidence" not in first.meta
    assert last.meta["page"] == 2 and last.meta["ocr_low_confidence"] is True and last.meta["ocr_confidence"] == 0.7
