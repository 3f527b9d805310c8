"""Legacy Word (.doc) and WPS files through LibreOffice headless: a real .doc made at test time."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from file_makers import make_doc_via_libreoffice
from ingest.loaders import LoadError, load_document

pytestmark = pytest.mark.slow  # each conversion starts LibreOffice (a few seconds)


def _docx_bytes() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.core_properties.title = "科技计划项目管理办法"
    document.add_paragraph("第一条 为规范科技计划项目管理，制定本办法。")
    table = document.add_table(rows=2, cols=3)
    for c, v in enumerate(["指标", "2024年1—8月", "同比增长"]):
        table.cell(0, c).text = v
    for c, v in enumerate(["技术合同成交额", "122.78亿元", "15.2%"]):
        table.cell(1, c).text = v
    document.add_paragraph("第二条 本办法自发布之日起施行。")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def doc_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    data = make_doc_via_libreoffice(_docx_bytes(), tmp_path_factory.mktemp("doc"))
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # a real Word 97 binary, not a renamed docx
    return data


@pytest.mark.parametrize("name", ["办法.doc", "办法.wps"])
def test_doc_and_wps_read_with_paragraphs_and_table(tmp_path: Path, doc_bytes: bytes, name: str):
    path = tmp_path / name
    path.write_bytes(doc_bytes)
    doc = load_document(path)
    lines = doc.text.splitlines()
    assert lines[0] == "第一条 为规范科技计划项目管理，制定本办法。"
    assert "技术合同成交额｜2024年1—8月：122.78亿元；技术合同成交额｜同比增长：15.2%。" in lines
    assert lines[-1] == "第二条 本办法自发布之日起施行。"
    assert doc.title == "科技计划项目管理办法" and len(doc.tables) == 1


def test_without_libreoffice_the_reason_names_the_package(tmp_path: Path, doc_bytes: bytes, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "办法.doc"
    path.write_bytes(doc_bytes)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # a machine without soffice on PATH
    with pytest.raises(LoadError, match=r"install the Debian package libreoffice-writer-nogui"):
        load_document(path)


def test_conversion_is_bounded_in_time(tmp_path: Path, doc_bytes: bytes, make_settings):
    path = tmp_path / "办法.doc"
    path.write_bytes(doc_bytes)
    with pytest.raises(LoadError, match=r"did not convert the file within 0.05 s"):
        load_document(path, settings=make_settings(soffice_timeout=0.05))


@pytest.mark.parametrize(
    "payload, reason",
    [(b"plain text, not a Word file", r"not a valid \.doc"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, r"LibreOffice could not convert")],
)
def test_garbage_doc_fails_with_a_reason(tmp_path: Path, payload: bytes, reason: str):
    path = tmp_path / "x.doc"
    path.write_bytes(payload)
    with pytest.raises(LoadError, match=reason):
        load_document(path)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0.05, 0.95))
def test_truncated_doc_only_ever_raises_load_error_or_reads(tmp_path: Path, doc_bytes: bytes, cut: float):
    path = tmp_path / "cut.doc"
    path.write_bytes(doc_bytes[: int(len(doc_bytes) * cut)])
    try:
        doc = load_document(path)
    except LoadError as err:
        assert err.reason
    else:
        assert doc.text.strip()
