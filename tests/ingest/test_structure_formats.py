"""The same regulation as .docx, .pdf and .html parses to the same articles as its Markdown text.

The files are made here from a shipped text: python-docx paragraphs (chapters as Word headings),
a PDF by fpdf2 with the WenQuanYi font (long paragraphs wrap, as in real PDFs, and pypdf gives the
wrapped lines back), and plain HTML (h1/h2/p), each read through the product's loaders.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from ingest.chunking import chunk_document
from ingest.loaders import load_document
from ingest.normalize import parse_header
from ingest.structure import document_meta, parse_structure
from ingest_helpers import REPO

SOURCE = REPO / "corpus" / "policies" / "国家科学技术奖励条例(2024-05-26).md"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def source_lines() -> list[str]:
    return [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_docx(path: Path) -> None:
    document = docx.Document()
    for line in source_lines():
        if line.startswith("# "):
            document.add_heading(line[2:], level=1)
        elif line.startswith("## "):
            document.add_heading(line[3:], level=2)
        else:
            document.add_paragraph(line)
    document.save(str(path))


def make_pdf(path: Path) -> None:
    if not CJK_FONT.is_file():
        pytest.fail(f"CJK font {CJK_FONT} is missing: `apt-get install -y fonts-wqy-microhei` (scripts/system-deps.sh)")
    pdf = FPDF()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    pdf.set_font("wqy", size=11)
    pdf.add_page()
    for line in source_lines():
        # a paragraph per cell: long ones wrap onto several lines
        pdf.multi_cell(0, 7, line.lstrip("# "), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def make_html(path: Path) -> None:
    parts = []
    for line in source_lines():
        if line.startswith("# "):
            parts.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            parts.append(f"<h2>{html.escape(line[3:])}</h2>")
        else:
            parts.append(f"<p>{html.escape(line)}</p>")
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>国家科学技术奖励条例</title></head>"
        f"<body><article>{''.join(parts)}</article></body></html>"
    )
    path.write_text(page, encoding="utf-8")


MAKERS = {".docx": make_docx, ".pdf": make_pdf, ".html": make_html}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def reference():
    text = SOURCE.read_text(encoding="utf-8").strip()
    reg = parse_structure(text)
    assert reg is not None
    return text, reg


@pytest.mark.parametrize("suffix", sorted(MAKERS))
def test_same_articles_in_every_format(suffix: str, tmp_path: Path, reference) -> None:
    text, want = reference
    path = tmp_path / f"国家科学技术奖励条例{suffix}"
    MAKERS[suffix](path)
    loaded = load_document(path).text.strip()
    # (the PDF's lines really wrap; ingest.layout rejoins them into paragraphs before the parser sees them)
    got = parse_structure(loaded)
    assert got is not None, f"{suffix}: no articles found in {loaded[:200]!r}"
    assert [a.label for a in got.articles] == [a.label for a in want.articles]
    assert [h.label for h in got.headings] == [h.label for h in want.headings]
    assert [a.chapter for a in got.articles] == [a.chapter for a in want.articles]
    for a, b in zip(got.articles, want.articles):
        if suffix == ".pdf":
            # a PDF keeps no paragraph marks: ingest.layout guesses them from line ends, so only the
            # items (their labels are in the text) must come out the same
            assert [x.label for x in a.blocks if x.kind == "item"] == [x.label for x in b.blocks if x.kind == "item"], a.label
        else:
            assert [(x.kind, x.label) for x in a.blocks] == [(x.kind, x.label) for x in b.blocks], a.label
        assert squeeze(a.text) == squeeze(b.text), a.label


@pytest.mark.parametrize("suffix", sorted(MAKERS))
def test_same_metadata_and_article_chunks_in_every_format(suffix: str, tmp_path: Path, reference) -> None:
    text, want = reference
    path = tmp_path / f"国家科学技术奖励条例(2024-05-26){suffix}"
    MAKERS[suffix](path)
    loaded = load_document(path)
    body = loaded.text.strip()
    header = parse_header(body, title_hint=loaded.title)
    reg = parse_structure(body)
    meta = document_meta(body, header.title or "", reg, path.name, header.date, bool(header.source))
    assert (meta.kind, meta.issuer, meta.jurisdiction, meta.version_date) == ("administrative_regulation", "国务院", "national", "2024-05-26")
    chunks = chunk_document("doc", body, header.title or "", 320, 80, regulation=reg)
    articles = [c.meta["article"] for c in chunks if c.meta["article_no"]]
    assert sorted(set(articles), key=articles.index) == [a.label for a in want.articles]
