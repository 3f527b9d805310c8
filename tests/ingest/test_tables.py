"""Tables keep every cell with its headers: rules on grids, then real csv/xlsx/xls/docx/pdf files."""

from __future__ import annotations

from pathlib import Path

import pytest

from file_makers import table_pdf
from ingest.loaders import LoadError, load_document
from ingest.tables import grid_from_rows, render, table_figures

HEADER = ["指标", "2024年1—8月", "同比增长"]
ROWS = [["技术合同成交额", "122.78亿元", "15.2%"], ["高新技术企业", "706家", "8.1%"]]
CELL = "技术合同成交额｜2024年1—8月：122.78亿元"


@pytest.mark.parametrize(
    "rows, header_rows, header_cols, line",
    [
        # plain: first row headers, first column row headers
        ([HEADER, *ROWS], 1, 1, CELL + "；技术合同成交额｜同比增长：15.2%。"),
        # a 序号 column of running numbers: the name column is a row header too
        ([["序号", "指标", "数值"], ["1", "技术合同成交额", "122.78亿元"], ["2", "专利", "9件"]], 1, 2, "1·技术合同成交额｜数值：122.78亿元。"),
        # pdfplumber's merged header (None right of it) is expanded; stacked headers joined
        ([["指标", "2024年1—8月", None], [None, "数值", "同比增长"], ["技术合同成交额", "122.78亿元", "15.2%"]], 2, 1,
         "技术合同成交额｜2024年1—8月·数值：122.78亿元；技术合同成交额｜2024年1—8月·同比增长：15.2%。"),
        # numbers only: the first row still heads the columns
        ([["2022", "2023"], ["1.5", "2.5"]], 1, 1, "1.5｜2023：2.5。"),
        # text rows under a 序号 column (a notice's conditions): the body starts at row 1, not at row 3
        ([["序号", "申领条件"], ["1", "在曲靖市注册"], ["2", "职工总数不超过500人"], ["3", "无失信记录"]], 1, 1, "1｜申领条件：在曲靖市注册。"),
        # empty columns and rows vanish
        ([["指标", "", "数值"], ["", "", ""], ["成交额", "", "3亿元"]], 1, 1, "成交额｜数值：3亿元。"),
    ],
)
def test_grid_headers_and_rendering(rows, header_rows, header_cols, line):
    table = grid_from_rows(rows)
    assert (table.header_rows, table.header_cols) == (header_rows, header_cols)
    assert render(table).splitlines()[0] == line


def test_every_row_line_names_its_headers_so_a_long_table_splits_between_rows():
    """A 200-row table chunks into many pieces; every piece still says what each number is."""
    from ingest.chunking import chunk_document

    rows = [HEADER] + [[f"第{i}项指标", f"{i}.5亿元", f"{i % 9}.1%"] for i in range(1, 201)]
    text = render(grid_from_rows(rows, caption="昆明市科技统计表"))
    chunks = chunk_document("t", text, "统计", 320, 80)
    assert len(chunks) > 10
    for chunk in chunks:
        for line in chunk.text.splitlines():
            if line == "昆明市科技统计表":
                continue
            assert "｜2024年1—8月：" in line and "｜同比增长：" in line and line.endswith("。"), line


@pytest.mark.parametrize(
    "rows, metric, value, unit, period, place",
    [
        ([HEADER, *ROWS], "技术合同成交额", "122.78亿元", "亿元", "2024年1—8月", None),
        ([["地区", "2023年"], ["五华区", "35"]], "地区", "35", "", "2023年", "五华区"),
        ([["指标", "上半年"], ["成交额（亿元）", "12.5"]], "成交额", "12.5亿元", "亿元", "上半年", None),
    ],
)
def test_table_figures_take_metric_period_place_from_headers(rows, metric, value, unit, period, place):
    fig = table_figures(grid_from_rows(rows), "doc", "2024-09-01")[0]
    assert (fig.metric, fig.value, fig.unit, fig.period, fig.place) == (metric, value, unit, period, place)


def test_non_numeric_cells_are_not_figures():
    figs = table_figures(grid_from_rows([["项目", "负责单位"], ["平台建设", "市科技局"]]), "d", None)
    assert figs == []


# ----------------------------------------------------------------------------------------------
# real files


def test_csv(tmp_path: Path):
    path = tmp_path / "统计.csv"
    path.write_text("指标,2024年1—8月,同比增长\n技术合同成交额,122.78亿元,15.2%\n高新技术企业,706家,8.1%\n", "gbk")
    doc = load_document(path)
    assert CELL in doc.text
    assert doc.encoding and doc.encoding.lower().startswith("gb")
    assert len(doc.tables) == 1 and doc.text[doc.tables[0].start : doc.tables[0].end].startswith("统计")


def test_xlsx_two_sheets_merged_header_and_formula(tmp_path: Path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "技术合同"
    ws.append(["指标", "2024年1—8月", None])
    ws.append([None, "数值", "同比增长"])
    ws.append(["技术合同成交额", "122.78亿元", "15.2%"])
    ws.merge_cells("B1:C1")
    ws.merge_cells("A1:A2")
    ws["D3"] = '=HYPERLINK("http://example.invalid/x","详情")'  # never evaluated; no cached value → no cell
    other = book.create_sheet("高新技术企业")
    other.append(["县区", "2023年"])
    other.append(["五华区", 35])
    path = tmp_path / "统计.xlsx"
    book.save(path)
    doc = load_document(path)
    assert "技术合同成交额｜2024年1—8月·数值：122.78亿元" in doc.text
    assert "技术合同成交额｜2024年1—8月·同比增长：15.2%" in doc.text
    assert "五华区｜2023年：35" in doc.text
    assert "HYPERLINK" not in doc.text and "example.invalid" not in doc.text
    assert [t.table.caption for t in doc.tables] == ["技术合同", "高新技术企业"]


def test_xls_with_merged_header(tmp_path: Path):
    """A real BIFF8 .xls (written by xlwt, the format's own writer) with a merged header cell."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("技术合同")
    sheet.write(0, 0, "指标")
    sheet.write_merge(0, 0, 1, 2, "2024年1—8月")
    for c, v in enumerate(["", "数值", "同比增长"]):
        sheet.write(1, c, v)
    for c, v in enumerate(["技术合同成交额", "122.78亿元", "15.2%"]):
        sheet.write(2, c, v)
    sheet.write(3, 0, "登记项数")
    sheet.write(3, 1, 7936)
    path = tmp_path / "统计.xls"
    book.save(str(path))
    doc = load_document(path)
    assert "技术合同成交额｜2024年1—8月·数值：122.78亿元；技术合同成交额｜2024年1—8月·同比增长：15.2%。" in doc.text
    assert "登记项数｜2024年1—8月·数值：7936。" in doc.text  # a float cell 7936.0 reads as written


def test_docx_table_with_merged_header_cells(tmp_path: Path):
    import docx

    document = docx.Document()
    document.add_paragraph("2024年1—8月全市科技统计如下。")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 1).merge(table.cell(0, 2)).text = "2024年1—8月"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "指标"
    table.cell(0, 3).text = "2023年"
    for c, v in enumerate(["数值", "同比增长", "数值"], start=1):
        table.cell(1, c).text = v
    for c, v in enumerate(["技术合同成交额", "122.78亿元", "15.2%", "106.5亿元"]):
        table.cell(2, c).text = v
    document.add_paragraph("以上数据由市科技局提供。")
    path = tmp_path / "统计.docx"
    document.save(path)
    doc = load_document(path)
    lines = doc.text.splitlines()
    assert lines[0] == "2024年1—8月全市科技统计如下。" and lines[-1] == "以上数据由市科技局提供。"
    assert "技术合同成交额｜2024年1—8月·数值：122.78亿元；技术合同成交额｜2024年1—8月·同比增长：15.2%；技术合同成交额｜2023年·数值：106.5亿元。" in lines


def test_pdf_ruled_table(tmp_path: Path):
    path = table_pdf(tmp_path / "t.pdf", HEADER, ROWS, "昆明市2024年1—8月科技统计数据如下。")
    doc = load_document(path)
    assert doc.text.splitlines()[0] == "昆明市2024年1—8月科技统计数据如下。"
    assert CELL + "；技术合同成交额｜同比增长：15.2%。" in doc.text
    assert "高新技术企业｜2024年1—8月：706家" in doc.text
    assert doc.text.count("122.78") == 1  # the table's characters are not also in the running text
    assert doc.pages[0].page == 1


@pytest.mark.parametrize(
    "name, payload, reason",
    [
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a valid .xlsx"),
        ("broken.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "damaged .xls"),
        ("text.xls", b"just text", "not a valid .xls"),
    ],
)
def test_corrupt_spreadsheets_fail_with_a_reason(tmp_path: Path, name: str, payload: bytes, reason: str):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(LoadError) as err:
        load_document(path)
    assert reason in str(err.value)


def test_figures_table_lists_table_cells_with_their_headers(tmp_path: Path):
    from ingest.pipeline import _figures

    path = tmp_path / "统计.csv"
    path.write_text("指标,2024年1—8月\n技术合同成交额,122.78亿元\n", "utf-8")
    doc = load_document(path)
    rows = _figures(doc.text, "统计.csv", "2024-09-01", doc)
    assert [(r["metric"], r["value"], r["period"]) for r in rows] == [("技术合同成交额", "122.78亿元", "2024年1—8月")]


@pytest.mark.slow
def test_question_about_one_cell_answers_with_its_value_and_cites_the_table(tmp_path: Path, make_settings, e5_embedder):
    """Real pipeline, e5 and Chroma over a two-sheet .xlsx and a ruled-table PDF."""
    import openpyxl

    from assistant.api import Assistant
    from ingest.pipeline import ingest
    from ingest.store import read_manifest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    book = openpyxl.Workbook()
    book.active.title = "昆明市科技统计"
    for row in [HEADER, *ROWS, ["专利授权量", "5120件", "3.3%"]]:
        book.active.append(row)
    other = book.create_sheet("县区")
    other.append(["县区", "2023年"])
    other.append(["五华区", "35家"])
    book.save(corpus / "统计.xlsx")
    table_pdf(corpus / "科研平台.pdf", ["平台类型", "2024年", "2023年"], [["重点实验室", "48个", "41个"], ["工程技术研究中心", "66个", "60个"]],
              "全市科研平台建设情况如下表。")
    settings = make_settings(llm_base_url=None, llm_model=None, rerank_model=None)
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert not report.failed and report.added == 2, report.to_json()
    answer = Assistant(settings, embedder=e5_embedder).ask("2024年1—8月技术合同成交额是多少?")
    assert not answer.refused and "122.78亿元" in answer.answer, answer.answer
    cited = next(c for c in answer.citations if "122.78亿元" in c.text)
    assert cited.doc_id == "统计.xlsx" and CELL in cited.text
    chunk = next(r for r in answer.retrieved if r.chunk_id == cited.chunk_id)
    assert chunk.meta.get("table") is True
    figures = read_manifest(settings.index_dir).documents["统计.xlsx"].figures
    assert {"metric": "技术合同成交额", "value": "122.78亿元", "period": "2024年1—8月"}.items() <= next(
        f for f in figures if f["value"] == "122.78亿元").items()
    pdf_figs = read_manifest(settings.index_dir).documents["科研平台.pdf"].figures
    assert any(f["metric"] == "重点实验室" and f["value"] == "48个" and f["period"] == "2024年" for f in pdf_figs), pdf_figs
