"""The 数据速查 / Figures tab in a real headless Chromium against a real `policyqa serve`.

This module starts its own server (the session server of conftest.py holds only the shipped
report; a chart needs the same metric from several documents): a knowledge base built in tmp with
`policyqa ingest` from the shipped report, tests/eval/fixtures/ (other cities and years with
技术合同成交额) and one hostile document whose figure carries markup. The server's TMPDIR and
Gradio cache are in tmp too, so exported briefings never land outside it.
Screenshots: test-artifacts/ui/figures-*.png.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from ui_helpers import REPO, SHIPPED, Server, ingest_kb, open_page, start_server, stop_server

pytestmark = pytest.mark.slow

FIXTURES = REPO / "tests" / "eval" / "fixtures"
SHIPPED_TITLE = "昆明深入實施科技創新賦能高質量發展“七大工程” 打通科技到產業的“雙向”通道"
#: the tab shows rows, titles and charts in the reader's script (Simplified); quotes stay as printed
TITLE_SHOWN = "昆明深入实施科技创新赋能高质量发展“七大工程” 打通科技到产业的“双向”通道"

HOSTILE_DOC = """<img src=x onerror="window.__pwned=2">保山市科学技术局工作通报
- 时间:2024-11-05
- 来源:保山市科学技术局<script>window.__pwned=1</script>
2024年,保山市科技工作稳步推进。<script>window.__pwned=1</script>
保山市2024年<b>众创空间</b>数量为19家<img src=x onerror="window.__pwned=2">,详见[点我](javascript:window.__pwned=3)。
"""


@pytest.fixture(scope="module")
def figures_server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("ui-figures")
    corpus, index, report = ingest_kb(
        root,
        [SHIPPED, *sorted(FIXTURES.glob("*.txt"))],
        texts={"baoshan-hostile.txt": HOSTILE_DOC},
        timeout=600,
        POLICYQA_CORPUS_DIR=str(root / "corpus"),
    )
    assert report["documents"] == 6 and not report["failed"], report
    tmp = root / "tmp"
    tmp.mkdir()
    server = start_server(root, index, corpus, root / "feedback.sqlite3", TMPDIR=str(tmp))
    try:
        yield server
    finally:
        stop_server(server)
        shutil.copy2(server.log, artifacts / "serve-figures.log")


@pytest.fixture
def fig_page(browser, figures_server: Server):
    """A fresh browser session on the 数据速查 tab; page errors collected in ``page.errors``."""
    context, pg = open_page(browser, figures_server.url, accept_downloads=True)
    pg.get_by_role("tab", name="数据速查").click()
    pg.wait_for_selector("#pq-fig-status .pq-ok")  # the whole table is there
    try:
        yield pg
    finally:
        context.close()


def search(page, words: str) -> str:
    """Type search words, run the search, wait for its result line; returns it."""
    before = page.inner_text("#pq-fig-status")
    page.fill("#pq-fig-query input", words)
    page.click("#pq-fig-search")
    page.wait_for_function("(before) => document.querySelector('#pq-fig-status').innerText !== before", arg=before)
    return page.inner_text("#pq-fig-status")


def cells(page) -> list[str]:
    """The texts of the table's body cells (Gradio 6 renders them as role=gridcell)."""
    return page.locator("#pq-fig-table [role=gridcell]").all_inner_texts()


def wait_cells(page, *texts: str) -> list[str]:
    """Wait until the table shows a cell with each of ``texts`` (it renders after the status line)."""
    page.wait_for_function(
        "(texts) => { const c = [...document.querySelectorAll('#pq-fig-table [role=gridcell]')].map(e => e.innerText);"
        " return texts.every(t => c.includes(t)); }",
        arg=list(texts),
    )
    return cells(page)


def exact(text: str) -> re.Pattern[str]:
    """A whole cell's text (Gradio pads cells with spaces)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def row(page, *texts: str | re.Pattern[str]):
    """The table row with a cell for each of ``texts`` (a string: the whole cell; a pattern: a search)."""
    rows = page.locator("#pq-fig-table [role=row]")
    for text in texts:
        pattern = text if isinstance(text, re.Pattern) else exact(text)
        rows = rows.filter(has=page.locator("[role=gridcell]", has_text=pattern))
    return rows.first


def tick(page, *texts: str | re.Pattern[str]) -> None:
    """Tick (or untick) a row's checkbox in the table; wait until the server counted the ticks."""
    from playwright.sync_api import expect

    # a locator, not an element handle: the table re-renders after a tick (ticked rows move to the top),
    # so a handle would keep reading the replaced checkbox, and a click that lands while the table is
    # being replaced is lost: click again until the row's box has turned
    box = row(page, *texts).locator("input[type=checkbox]")
    was = box.is_checked()
    for _ in range(6):
        box.click()
        try:
            expect(box).to_be_checked(checked=not was, timeout=10_000)
            break
        except AssertionError:
            continue
    expect(box).to_be_checked(checked=not was, timeout=1_000)
    n = page.locator("#pq-fig-table [role=gridcell] input[type=checkbox]:checked").count()
    page.wait_for_selector(f"#pq-fig-picked .pq-ok:has-text('已勾选 {n} 条')" if n else "#pq-fig-picked .pq-src")


def is_ticked(page, *texts: str | re.Pattern[str]) -> bool:
    return row(page, *texts).locator("input[type=checkbox]").is_checked()


def markdown_source(page, contains: str) -> str:
    """The exported Markdown: the source sits in a closed accordion under the rendered preview."""
    if not page.locator("#pq-fig-md textarea").count():
        page.click("#pq-fig-md-source button.label-wrap")
    page.wait_for_function(
        "(w) => { const t = document.querySelector('#pq-fig-md textarea'); return t && t.value.includes(w); }", arg=contains
    )
    return page.input_value("#pq-fig-md textarea")


def download(page, selector: str, dest: Path) -> Path:
    """Download the file a gr.File shows, through the browser's own download."""
    link = page.locator(f"{selector} a[download]").first
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    target = dest.parent / info.value.suggested_filename  # the name the server gave the file
    info.value.save_as(str(target))
    return target


def test_search_chart_select_and_export(fig_page, artifacts: Path, tmp_path: Path) -> None:
    import docx

    page = fig_page
    status = search(page, "技术合同")  # Simplified words, Traditional report
    assert re.search(r"找到 \d+ 条数据", status), status
    wait_cells(page, "122.78", "36.52", "163.47")  # shipped report, Yuxi, Kunming 2023
    # periods carry their year: the 2023 review's 全年 is 2023, not its publication year 2024
    assert row(page, "122.78").locator("[role=gridcell]", has_text=exact("2024年1月至8月")).count() == 1
    assert row(page, "163.47").locator("[role=gridcell]", has_text=exact("2023年全年")).count() == 1
    assert page.locator("#pq-fig-table [role=gridcell]", has_text="122.78").first.is_visible()

    # the same metric from several documents: a chart, rendered
    assert page.locator("#pq-fig-chart-box").is_visible()
    page.wait_for_selector("#pq-fig-chart svg, #pq-fig-chart canvas")
    assert page.locator("#pq-fig-chart").locator("svg, canvas").first.is_visible()
    page.screenshot(path=str(artifacts / "figures-search.png"), full_page=True)

    # a row: its sentence and source, and the chart follows its metric
    page.locator("#pq-fig-table [role=gridcell]", has_text="122.78").first.click()
    page.wait_for_selector("#pq-fig-detail .pq-fig-sentence")
    sentence = page.inner_text("#pq-fig-detail .pq-fig-sentence")
    assert "合同成交额122.78亿元" in sentence and page.locator("#pq-fig-detail .pq-fig-sentence mark", has_text="122.78").count() == 1
    page.click("#pq-fig-detail details.pq-orig summary")  # the sentence as printed, one click away
    assert "合同成交額122.78億元" in page.inner_text("#pq-fig-detail .pq-fig-original")
    source = page.inner_text("#pq-fig-detail .pq-fig-source")
    assert TITLE_SHOWN in source and "2024-09-23" in source and "昆明信息港" in source and SHIPPED.name in source
    page.wait_for_function("() => document.querySelector('#pq-fig-chart-metric input').value.startsWith('技术合同成交额')")
    chart_text = page.locator("#pq-fig-chart").inner_text()
    assert "技术合同成交额" in chart_text, chart_text  # the chart's title, in the reader's script
    page.locator("#pq-fig-chart").screenshot(path=str(artifacts / "figures-chart.png"))

    # pick figures in the table itself: the chart follows the ticked rows ...
    for value in ("122.78", "36.52", "163.47"):
        tick(page, "技术合同成交额", value)
    assert "已勾选 3 条" in page.inner_text("#pq-fig-picked")
    page.wait_for_function("() => document.querySelector('#pq-fig-chart-metric input').value === '技术合同成交额 (亿元) · 3'")
    page.wait_for_function("() => document.querySelectorAll('#pq-fig-chart svg .mark-rect path').length === 3")
    labels = page.evaluate("() => document.querySelector('#pq-fig-chart svg').textContent")
    assert "昆明 · 2024年1月至8月" in labels and "昆明 · 2023年全年" in labels and "玉溪 · 2024年1月至7月" in labels, labels
    # ... and so do the exports: Markdown ...
    page.fill("#pq-fig-title input", "技术合同成交额对比")
    page.click("#pq-fig-export-md")
    md = markdown_source(page, "122.78")
    assert md.startswith("# 技术合同成交额对比\n")
    assert "| 技术合同成交额 | 122.78亿元 | 2024年1月至8月 | 昆明 | [1] |" in md  # newest document first: [1]
    assert "| 技术合同成交额 | 36.52亿元 | 2024年1月至7月 | 玉溪 | [2] |" in md
    assert "| 技术合同成交额 | 163.47亿元 | 2023年全年 | 昆明 | [3] |" in md
    assert md.count("| 技术合同成交额 |") == 3  # the ticked rows, no other
    assert f"[1] {TITLE_SHOWN}, 2024-09-23, 昆明信息港 ({SHIPPED.name})" in md
    assert "合同成交額122.78億元。”[1]" in md
    assert "已导出 3 条数据" in page.inner_text("#pq-fig-export-status")
    # rendered, not raw table syntax: the preview shows a table, its copy button copies the Markdown
    preview = page.locator("#pq-fig-md-preview")
    assert preview.locator("table td", has_text="122.78亿元").count() == 1 and "|---|" not in preview.inner_text()
    saved_md = download(page, "#pq-fig-md-file", tmp_path / "briefing.md")
    assert saved_md.read_text(encoding="utf-8") == md
    assert saved_md.name == "技术合同成交额对比.md"  # the briefing's title, not a time stamp

    # ... and as Word
    page.click("#pq-fig-export-docx")
    saved = download(page, "#pq-fig-docx-file", tmp_path / "briefing.docx")
    doc = docx.Document(str(saved))
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["序号", "指标", "数值", "时期", "地点", "文档日期", "出处"]
    assert ["1", "技术合同成交额", "122.78亿元", "2024年1月至8月", "昆明", "2024-09-23", "[1]"] in rows and len(rows) == 4
    assert ["3", "技术合同成交额", "163.47亿元", "2023年全年", "昆明", "2024-01-26", "[3]"] in rows
    assert saved.name == "技术合同成交额对比.docx" and doc.core_properties.title == "技术合同成交额对比"
    assert doc.core_properties.author == "policyqa"
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "技术合同成交额对比" and paragraphs[1].startswith("生成日期：")
    assert f"[1] {TITLE_SHOWN}, 2024-09-23, 昆明信息港 ({SHIPPED.name})" in paragraphs
    assert any("合同成交額122.78億元" in p and "[1]" in p for p in paragraphs)
    page.screenshot(path=str(artifacts / "figures-export.png"), full_page=True)
    assert not page.errors  # type: ignore[attr-defined]


def test_ticked_figures_stay_and_the_chart_hides_for_one_document(fig_page, artifacts: Path) -> None:
    page = fig_page
    search(page, "國家重點實驗室")  # Traditional words find the figure
    wait_cells(page, "8")
    tick(page, "国家重点实验室", "8")
    search(page, "技術合同")  # Traditional words find the Simplified Yuxi document as well
    wait_cells(page, "36.52", "122.78", "国家重点实验室")
    assert is_ticked(page, "国家重点实验室", "8")  # the ticked row stays, on top
    assert cells(page)[1] == "国家重点实验室"
    assert not is_ticked(page, "技术合同成交额", "36.52")

    # only the shipped report: every metric has one point, so no chart
    page.locator("#pq-fig-doc input").click()
    page.get_by_role("option", name=re.compile("^昆明深入实施")).click()
    page.wait_for_function("() => !document.querySelector('#pq-fig-table').innerText.includes('36.52')")
    wait_cells(page, "122.78")
    page.wait_for_selector("#pq-fig-chart-box", state="hidden")
    page.click("#pq-fig-export-md")
    markdown_source(page, "国家重点实验室")
    page.screenshot(path=str(artifacts / "figures-one-document.png"), full_page=True)

    # nothing ticked: a message, no file
    tick(page, "国家重点实验室", "8")
    page.click("#pq-fig-export-docx")
    page.wait_for_selector("#pq-fig-export-status .pq-err:has-text('请先在表格第一列勾选')")
    assert page.locator("#pq-fig-docx-file a[download]").count() == 0


def test_document_markup_is_shown_as_text(fig_page, artifacts: Path) -> None:
    page = fig_page
    search(page, "众创空间")
    wait_cells(page, "2024年<b>众创空间</b>数量")  # the markup, as characters
    assert page.locator("#pq-fig-table b").count() == 0
    page.locator("#pq-fig-table [role=gridcell]", has_text="众创空间").first.click()
    page.wait_for_selector("#pq-fig-detail .pq-fig-sentence")
    detail = page.inner_text("#pq-fig-detail")
    assert '<img src=x onerror="window.__pwned=2">' in detail and "[点我](javascript:window.__pwned=3)" in detail
    assert "<script>window.__pwned=1</script>" in page.inner_text("#pq-fig-detail .pq-fig-source")
    assert page.locator("#pq-fig-detail img, #pq-fig-detail script, #pq-fig-detail b").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    tick(page, re.compile("众创空间"))
    assert page.locator("#pq-fig-table b").count() == 0
    page.click("#pq-fig-export-md")
    md = markdown_source(page, "众创空间")
    assert r"\<b\>众创空间\</b\>" in md and r"\<img src=x" in md
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    page.screenshot(path=str(artifacts / "figures-escaped.png"), full_page=True)
    assert not [e for e in page.errors if "__pwned" in e]  # type: ignore[attr-defined]


def test_english_interface(fig_page, artifacts: Path) -> None:
    page = fig_page
    page.get_by_label("English").check()
    page.wait_for_selector("#pq-fig-search:has-text('Search')")
    assert page.get_by_role("tab", name="Figures").is_visible()
    status = search(page, "技术合同成交额")
    assert "figures found" in status, status
    headers = page.locator("#pq-fig-table [role=columnheader]").all_inner_texts()
    assert [h.strip() for h in headers][1:4] == ["Metric", "Value", "Unit"] and "Pick" in headers[0], headers
    assert page.input_value("#pq-fig-title input") == "Figures briefing"
    page.wait_for_selector("#pq-fig-chart svg, #pq-fig-chart canvas")
    page.screenshot(path=str(artifacts / "figures-english.png"), full_page=True)


#: every text of the chart (bar labels, axis and legend) must lie inside the chart's block
CHART_TEXTS = """() => {
  const block = document.querySelector('#pq-fig-chart'), svg = block.querySelector('svg');
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {block: box(block), svg: box(svg), width: document.documentElement.clientWidth,
          texts: [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => ({text: t.textContent, box: box(t)})),
          fills: [...svg.querySelectorAll('.mark-rect path')].map(p => getComputedStyle(p).fill)};
}"""


@pytest.mark.parametrize("words, bars", [("国家重点实验室", 2), ("技术合同成交额", 4)])
def test_chart_labels_fit_a_phone(browser, figures_server: Server, artifacts: Path, words: str, bars: int) -> None:
    """At 390×844 every bar label (place, period and year), the axes and the legend are inside the
    chart, none is cut short by Vega's label limit, and every bar is drawn (has a colour)."""
    context, page = open_page(browser, figures_server.url)
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_role("tab", name="数据速查").click()
        page.wait_for_selector("#pq-fig-status .pq-ok")
        search(page, words)
        page.wait_for_function(
            "(w) => { const s = document.querySelector('#pq-fig-chart svg'); return s && s.textContent.includes(w); }", arg=words
        )
        page.wait_for_function("(n) => document.querySelectorAll('#pq-fig-chart svg .mark-rect path').length === n", arg=bars)
        page.locator("#pq-fig-chart").scroll_into_view_if_needed()
        got = page.evaluate(CHART_TEXTS)
        page.locator("#pq-fig-chart").screenshot(path=str(artifacts / f"figures-chart-390-{bars}.png"))
        left, top, right, bottom = got["block"]
        assert right <= got["width"] + 1, got["block"]
        outside = [t["text"] for t in got["texts"]
                   if t["box"][0] < max(left, got["svg"][0]) - 1 or t["box"][2] > min(right, got["svg"][2]) + 1
                   or t["box"][1] < top - 1 or t["box"][3] > bottom + 1]
        assert not outside, (outside, got)
        assert not [t["text"] for t in got["texts"] if t["text"].endswith("…")], got["texts"]
        labels = [t["text"] for t in got["texts"]]
        assert sum(1 for x in labels if re.search(r"(19|20)\d\d年", x) and " · " in x) >= bars, labels  # place · year period
        assert len(got["fills"]) == bars and all(f not in ("none", "", "transparent") for f in got["fills"]), got["fills"]
        assert not page.errors  # type: ignore[attr-defined]
    finally:
        context.close()
