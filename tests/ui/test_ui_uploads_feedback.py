"""Upload safety (names, types, sizes) and the SQLite feedback store with its CSV export."""

from __future__ import annotations

import csv
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ui.feedback import FeedbackStore, csv_safe
from ui.uploads import ALLOWED_SUFFIXES, is_upload, safe_filename, save_uploads


@pytest.mark.parametrize(
    "given, expected",
    [
        ("../../x.txt", "x.txt"),
        ("a/b/c.pdf", "c.pdf"),
        ("..\\..\\windows\\evil.DOCX", "evil.docx"),
        ("/etc/passwd.md", "passwd.md"),
        ("报告 (终稿).html", "报告_终稿.html"),
        (".hidden.txt", "hidden.txt"),
        ("...txt", "upload.txt"),
        ("a<script>b.md", "a_script_b.md"),
        ("x" * 300 + ".txt", "x" * 80 + ".txt"),
        ("tool.exe", None),
        ("archive.tar.gz", None),
        ("noext", None),
        ("report.txt.exe", None),
        ("", None),
    ],
)
def test_safe_filename(given: str, expected: str | None) -> None:
    assert safe_filename(given) == expected


def test_allowed_types_match_the_loaders() -> None:
    from ingest.loaders import SUPPORTED_SUFFIXES

    assert set(ALLOWED_SUFFIXES) <= set(SUPPORTED_SUFFIXES)
    assert {".txt", ".md", ".html", ".pdf", ".docx"} <= set(ALLOWED_SUFFIXES)


def test_save_uploads(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    ok = src / "好.txt"
    ok.write_text("内容", encoding="utf-8")
    exe = src / "x.exe"
    exe.write_bytes(b"MZ")
    big = src / "big.pdf"
    big.write_bytes(b"0" * (1024 * 1024 + 1))
    empty = src / "empty.md"
    empty.write_bytes(b"")
    corpus = tmp_path / "corpus"
    result = save_uploads([ok, exe, big, empty, src / "missing.txt"], corpus, max_mb=1)
    assert [p.name for p in result.saved] == ["好.txt"]
    assert result.saved[0].parent == corpus / "uploads"
    assert result.saved[0].read_text(encoding="utf-8") == "内容"
    reasons = {name: key for name, key, _ in result.refused}
    assert reasons == {"x.exe": "upload_bad_type", "big.pdf": "upload_too_big", "empty.md": "upload_empty", "missing.txt": "upload_empty"}
    assert list((corpus / "uploads").iterdir()) == [corpus / "uploads" / "好.txt"]  # no temp files left
    # a same-named upload replaces the earlier version
    ok.write_text("新内容", encoding="utf-8")
    again = save_uploads([ok], corpus, max_mb=1)
    assert again.saved[0].read_text(encoding="utf-8") == "新内容"
    assert is_upload(again.saved[0], corpus)
    assert not is_upload(corpus / "other.txt", corpus)
    assert not is_upload(corpus / "uploads" / ".." / "other.txt", corpus)


def test_feedback_round_trip_and_csv(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "feedback.sqlite3"
    store = FeedbackStore(db)
    cites = [{"n": 1, "doc_id": "k.txt", "title": "昆明", "date": "2024-09-23", "source": "昆明信息港"}]
    up = store.add("1至8月技术合同成交额是多少?", "122.78亿元。[1]", cites, "up", session="s1", mode="extractive")
    comment = '<img src=x onerror=alert(1)> =HYPERLINK("http://x") 年份不对'
    down = store.add("那上半年呢?", "文档中没有找到", [], "down", "", session="s1", refused=True)
    assert store.set_comment(down, comment, session="s1")
    assert not store.set_comment(down, "hijack", session="someone-else")
    assert store.get(down)["comment"] == comment
    assert store.count() == 2 and [r["id"] for r in store.rows()] == [down, up]
    with pytest.raises(ValueError):
        store.add("q", "a", [], "meh")

    out = store.export_csv(tmp_path / "export" / "fb.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel/WPS open Chinese correctly
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["rating"] for r in rows] == ["up", "down"]
    assert rows[0]["question"] == "1至8月技术合同成交额是多少?" and '"title": "昆明"' in rows[0]["citations"]
    assert rows[1]["comment"] == comment and rows[1]["refused"] == "1"
    # the data stays in SQLite as given
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT comment FROM feedback WHERE id=?", (down,)).fetchone()[0] == comment


def test_csv_formulas_are_neutralised(tmp_path: Path) -> None:
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("+x") == "'+x" and csv_safe("@a") == "'@a" and csv_safe("-2") == "'-2"
    assert csv_safe("年份不对") == "年份不对" and csv_safe(None) == ""
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.add("=cmd|' /C calc'!A0", "a", [], "down", "=2+3")
    with open(store.export_csv(tmp_path / "f.csv"), encoding="utf-8-sig", newline="") as fh:
        row = list(csv.DictReader(fh))[0]
    assert row["question"].startswith("'=") and row["comment"] == "'=2+3"


def test_feedback_store_is_thread_safe(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda i: store.add(f"q{i}", "a", [], "up", f"c{i}", session=str(i)), range(40)))
    assert len(set(ids)) == 40 and store.count() == 40
