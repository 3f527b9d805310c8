"""Hostile files: the loaders under fuzzing and under big, crafted files; then one ingest of all of them.

tests/ingest/test_loaders.py fuzzes each loader with 2 KB of random, truncated and spliced bytes. This
adds generators that aim at the parsers' soft spots -- mixed encodings in one file, very long lines,
deep and unclosed HTML, PDFs with cyclic, huge or bogus object graphs, docx zips with strange XML --
and the big crafted files a fuzzer will not reach (a 50 MB file, a zip bomb, a docx of 120 MB of XML,
a PDF whose content stream inflates to 400 MB, billion laughs), each loaded in its own subprocess so
that its wall time and peak RSS are measured. Every case must end in a document or a LoadError, in
bounded time and memory; then `policyqa ingest` of a folder holding every refused file plus one good
document indexes the good one and lists each bad one in ``failed`` with its reason.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.loaders import LoadError, load_document
from rel_helpers import cli, env_with, no_traceback, record

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Duplicate name")]

MB = 1 << 20
CASE_SECONDS = 10.0  # one fuzz case, in process (the slowest seen is well under a second)
BIG_SECONDS = 30.0  # one crafted big file, in its own process
BIG_RSS_MB = 1024  # peak RSS of that process
SAVE_PER_KIND = 12  # refused fuzz inputs kept for the folder ingest, per kind

FUZZ: dict[str, dict] = {}  # kind -> {"cases", "refused", "loaded", "max_seconds"}
REFUSED: dict[str, list[tuple[str, bytes]]] = {}
BIG: dict[str, dict] = {}

CHARS = (
    "科技创新成果转化昆明市局合同成交额亿元項目創新臺灣資訊"  # Simplified and Traditional
    "abcXYZ0123456789 ,.;:!?-_/\\<>&\"'()[]{}#%"
    "ひらがなカタカナ한국어éüßøπжж"
    "😀🎉🚀\u200b\u200e\u202e\ufeff\ufffd\ue000\x00\x01\x07\x1b\x7f\r\n\t"
)
ENCODINGS = ["utf-8", "gb18030", "gbk", "big5", "utf-16-le", "utf-16-be", "latin-1", "shift_jis", "euc-kr", "cp1252"]
BOMS = [b"", b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]


def check(kind: str, path: Path, data: bytes) -> None:
    """load_document ends in a document or a LoadError, quickly; count it, keep a few refused inputs."""
    path.write_bytes(data)
    stats = FUZZ.setdefault(kind, {"cases": 0, "refused": 0, "loaded": 0, "max_seconds": 0.0})
    started = time.perf_counter()
    try:
        doc = load_document(path)
    except LoadError as err:
        assert err.reason and "\n" not in err.reason and len(err.reason) < 400, err.reason
        stats["refused"] += 1
        kept = REFUSED.setdefault(kind, [])
        if len(kept) < SAVE_PER_KIND:
            kept.append((path.suffix, data))
    else:
        assert isinstance(doc.text, str) and doc.text.strip()
        stats["loaded"] += 1
    seconds = time.perf_counter() - started
    stats["cases"] += 1
    stats["max_seconds"] = round(max(stats["max_seconds"], seconds), 3)
    assert seconds < CASE_SECONDS, (kind, len(data), seconds)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-fuzz")


FUZZ_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


# --- generators -------------------------------------------------------------------------------------

mixed_text = st.tuples(
    st.sampled_from(BOMS),
    st.lists(st.tuples(st.text(alphabet=CHARS, min_size=1, max_size=300), st.sampled_from(ENCODINGS)), min_size=1, max_size=8),
).map(lambda t: t[0] + b"".join(s.encode(enc, errors="ignore") for s, enc in t[1]))

long_line = st.tuples(
    st.text(alphabet=CHARS.replace("\n", "").replace("\r", ""), min_size=1, max_size=12),
    st.integers(min_value=2_000, max_value=400_000),
    st.sampled_from(["utf-8", "gb18030", "big5"]),
).map(lambda t: (t[0] * (t[1] // len(t[0]))).encode(t[2], errors="ignore"))


@st.composite
def html_torture(draw) -> bytes:
    tag = draw(st.sampled_from(["div", "span", "table", "b", "p", "li", "td", "article", "script", "style", "noscript"]))
    depth = draw(st.integers(0, 30_000))
    text = draw(st.text(alphabet=CHARS, max_size=400))
    closed = draw(st.booleans())
    extras = draw(st.lists(st.sampled_from([
        "<script>" + "x" * 5000, "<!--" + "y" * 5000, "&#x" + "41;&#x" * 3000, "&" + "amp;" * 3000,
        '<a href="javascript:alert(1)" title="' + "z" * 100_000 + '">link</a>', "<![CDATA[" + "w" * 3000,
        "<meta charset=" + draw(st.sampled_from(["gbk", "big5", "utf-16", "x-unknown", "utf-7", '"'])) + ">",
        "<title>" + "标题" * 2000 + "</title>", "</" * 2000, "<" * 5000, "\x00" * 10,
    ]), max_size=4))
    body = f"<{tag}>" * depth + text + (f"</{tag}>" * depth if closed else "")
    return ("<html><head>" + "".join(extras[:1]) + "</head><body>" + body + "".join(extras[1:]) + "</body></html>").encode(
        draw(st.sampled_from(["utf-8", "gb18030", "utf-16"])), errors="ignore"
    )


@st.composite
def pdf_structure(draw) -> bytes:
    """A PDF-looking file whose object graph is random: cycles, bogus lengths and filters, wild counts."""
    n = draw(st.integers(1, 25))
    ref = st.integers(0, n + 2).map(lambda i: f"{i} 0 R")
    out = [b"%PDF-1." + str(draw(st.integers(0, 9))).encode() + b"\n"]
    for i in range(1, n + 1):
        kind = draw(st.sampled_from(["page", "pages", "stream", "font", "array", "junk"]))
        if kind == "page":
            body = f"<< /Type /Page /Parent {draw(ref)} /Contents {draw(ref)} /Resources << /Font << /F1 {draw(ref)} >> >> /MediaBox [0 0 {draw(st.integers(-10**9, 10**9))} 9] >>"
        elif kind == "pages":
            kids = " ".join(draw(ref) for _ in range(draw(st.integers(0, 5))))
            body = f"<< /Type /Pages /Kids [{kids}] /Count {draw(st.integers(-5, 10**12))} >>"
        elif kind == "stream":
            raw = draw(st.one_of(st.binary(max_size=300), st.just(zlib.compress(b"BT /F1 12 Tf (Hello) Tj ET" * 20))))
            filt = draw(st.sampled_from(["FlateDecode", "LZWDecode", "ASCIIHexDecode", "ASCII85Decode", "RunLengthDecode", "DCTDecode", "JBIG2Decode", "Bogus"]))
            body = f"<< /Length {draw(st.integers(-10, 10**9))} /Filter /{filt} >>\nstream\n".encode("latin-1") + raw + b"\nendstream"
        elif kind == "font":
            body = f"<< /Type /Font /Subtype /{draw(st.sampled_from(['Type0', 'Type1', 'TrueType', 'Type3']))} /ToUnicode {draw(ref)} /DescendantFonts [{draw(ref)}] /Encoding {draw(ref)} >>"
        elif kind == "array":
            body = "[" + " ".join(draw(ref) for _ in range(draw(st.integers(0, 50)))) + "]"
        else:
            body = draw(st.binary(max_size=200))
        body = body if isinstance(body, bytes) else body.encode("latin-1")
        out.append(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    out.append(f"{n + 1} 0 obj\n<< /Type /Catalog /Pages {draw(ref)} >>\nendobj\n".encode())
    out.append(f"xref\n0 {draw(st.integers(0, n + 2))}\ntrailer\n<< /Root {n + 1} 0 R /Size {draw(st.integers(-1, 10**9))} >>\n".encode())
    out.append(f"startxref\n{draw(st.integers(-1, 10**6))}\n%%EOF\n".encode())
    return b"".join(out)


@st.composite
def docx_structure(draw) -> bytes:
    """A zip with Word-ish parts whose XML is random: bad namespaces, deep nesting, entities, junk."""
    out = io.BytesIO()
    doc_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    depth = draw(st.integers(0, 5_000))
    text = draw(st.text(alphabet=CHARS, max_size=300)).replace("<", "&lt;").replace("&", "&amp;")
    variants = [
        f'<?xml version="1.0"?><w:document xmlns:w="{doc_ns}"><w:body>' + "<w:p>" * depth + f"<w:r><w:t>{text}</w:t></w:r>" + "</w:p>" * depth + "</w:body></w:document>",
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "{"x" * 1000}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="{doc_ns}"><w:body><w:p><w:r><w:t>&b;&b;&b;</w:t></w:r></w:p></w:body></w:document>',
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:document xmlns:w="{doc_ns}"><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>',
        "<not-xml " + text,
        f'<w:document xmlns:w="urn:wrong"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
    ]
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        f'Target="{draw(st.sampled_from(["word/document.xml", "../../etc/passwd", "word/missing.xml", "/word/document.xml"]))}"/></Relationships>'
    )
    with zipfile.ZipFile(out, "w", compression=draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))) as z:
        z.writestr("[Content_Types].xml", draw(st.sampled_from([content_types, content_types[:80], ""])))
        z.writestr("_rels/.rels", draw(st.sampled_from([rels, rels[:60], "<x/>"])))
        z.writestr("word/document.xml", draw(st.sampled_from(variants)))
        for k in range(draw(st.integers(0, 3))):
            z.writestr(draw(st.sampled_from(["word/media/x.png", f"word/part{k}.xml", "../evil.xml", "docProps/core.xml"])), draw(st.binary(max_size=200)))
    data = out.getvalue()
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    return data if cut is None else data[:cut]


# --- the fuzz tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@FUZZ_SETTINGS
@given(data=mixed_text)
def test_mixed_encodings(fuzz_dir: Path, suffix: str, data: bytes) -> None:
    check("mixed encodings", fuzz_dir / f"mixed{suffix}", data)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=long_line, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_very_long_lines(fuzz_dir: Path, data: bytes, suffix: str) -> None:
    check("very long lines", fuzz_dir / f"long{suffix}", data)


@FUZZ_SETTINGS
@given(data=html_torture(), suffix=st.sampled_from([".html", ".htm"]))
def test_html_torture(fuzz_dir: Path, data: bytes, suffix: str) -> None:
    check("html: deep, unclosed, entities", fuzz_dir / f"torture{suffix}", data)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=pdf_structure())
def test_pdf_object_graphs(fuzz_dir: Path, data: bytes) -> None:
    check("pdf: random object graphs", fuzz_dir / "graph.pdf", data)


@FUZZ_SETTINGS
@given(data=docx_structure())
def test_docx_structures(fuzz_dir: Path, data: bytes) -> None:
    check("docx: random parts and XML", fuzz_dir / "parts.docx", data)


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".txt"])
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(min_size=1, max_size=256 * 1024))
def test_random_bytes_up_to_256k(fuzz_dir: Path, suffix: str, data: bytes) -> None:
    check("random bytes (up to 256 KB)", fuzz_dir / f"noise{suffix}", data)


# --- crafted big files, each in its own process --------------------------------------------------

WORKER = """
import json, sys, time
from pathlib import Path
from ingest.loaders import LoadError, load_document
t = time.perf_counter()
try:
    d = load_document(Path(sys.argv[1]))
    out = {"loaded": True, "chars": len(d.text)}
except LoadError as e:
    out = {"loaded": False, "reason": e.reason}
out["seconds"] = round(time.perf_counter() - t, 3)
# this process's own peak (VmHWM resets at exec; ru_maxrss would include the forked parent)
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
out["peak_rss_mb"] = round(int(hwm) / 1024)
print(json.dumps(out, ensure_ascii=False))
"""


def _docx_with(document_xml_writer, level: int = 6) -> bytes:
    import docx

    src = io.BytesIO()
    docx.Document().save(src)
    base = zipfile.ZipFile(io.BytesIO(src.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name in base.namelist():
            if name == "word/document.xml":
                with z.open(name, "w", force_zip64=True) as member:
                    document_xml_writer(member)
            else:
                z.writestr(name, base.read(name))
    return out.getvalue()


def _xml_flood(member) -> None:
    rng = random.Random(2)
    words = [("%04x" % rng.getrandbits(16)).encode() for _ in range(16)]
    member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    block = b"".join(b"<w:p><w:r><w:t>" + b" ".join(rng.choice(words) for _ in range(200)) + b"</w:t></w:r></w:p>" for _ in range(1000))
    for _ in range(120 * MB // len(block) + 1):  # 1 MB blocks: deflate's 32 KB window cannot see they repeat
        member.write(block)
    member.write(b"</w:body></w:document>")


def _laughs(member) -> None:
    ents = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    member.write(
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{ents}]><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>'.encode()
    )


def _zeros_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(b"\0" * MB)
    return out.getvalue()


def _flate_bomb_pdf() -> bytes:
    """One page whose content stream inflates to 400 MB (about 400 KB compressed)."""
    comp = zlib.compressobj(1)
    block = b"0 0 m " * (MB // 6)
    stream = b"".join(comp.compress(block) for _ in range(400)) + comp.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    body, offsets = io.BytesIO(), []
    body.write(b"%PDF-1.7\n")
    for i, o in enumerate(objs, 1):
        offsets.append(body.tell())
        body.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = body.tell()
    body.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        body.write(b"%010d 00000 n \n" % off)
    body.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return body.getvalue()


def big_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, what must happen: 'refused' or 'loaded')."""
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[bytes | None, str, str]] = {
        "50 MB + 1 KB text (over the limit)": (None, "over-limit.txt", "refused"),
        "49 MB of random bytes as .pdf (header and %%EOF)": (b"%PDF-1.7\n" + rng.randbytes(49 * MB) + b"\n%%EOF\n", "noise-49mb.pdf", "refused"),
        "49 MB of random bytes (no NUL) as .txt": (rng.randbytes(49 * MB).replace(b"\0", b"\1"), "noise-49mb.txt", "refused"),
        "49 MB HTML, one line": (b"<html><body><p>" + "科技创新".encode() * (49 * MB // 12) + b"</p></body></html>", "line-49mb.html", "any"),
        "20 MB text, one line": ("科技创新发展".encode() * (20 * MB // 18), "line-20mb.txt", "loaded"),
        "docx zip bomb (300 MB of zeros)": (_zeros_bomb(), "bomb.docx", "refused"),
        "docx with 120 MB of XML in a 30 MB file": (_docx_with(_xml_flood, level=1), "xml-flood.docx", "refused"),
        "docx billion laughs": (_docx_with(_laughs), "laughs.docx", "refused"),
        "PDF content stream inflating to 400 MB": (_flate_bomb_pdf(), "flate-bomb.pdf", "refused"),
        "HTML nested 200,000 deep": (b"<html><body>" + b"<div>" * 200_000 + b"x" + b"</div>" * 200_000 + b"</body></html>", "nested.html", "refused"),
    }
    out = {}
    for name, (data, file_name, expect) in files.items():
        path = folder / file_name
        if data is None:
            with open(path, "wb") as fh:  # sparse: no need to write 50 MB
                fh.truncate(50 * MB + 1024)
                fh.seek(0)
                fh.write("科技".encode() * 100)
        else:
            path.write_bytes(data)
        out[name] = (path, expect)
    return out


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Path, str]]]:
    yield big_files(tmp_path_factory.mktemp("hostile-big"))


def _peak_rss_mb(path: Path) -> tuple[dict, float]:
    """Run the loader on ``path`` in a child of its own; its result and its peak RSS in MB."""
    proc = subprocess.run([sys.executable, "-c", WORKER, str(path)], capture_output=True, env=env_with(), timeout=120)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0 and no_traceback(err), err[-2000:]
    result = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    return result, result["peak_rss_mb"]


def test_crafted_big_files_in_bounded_time_and_memory(crafted) -> None:
    for name, (path, expect) in crafted.items():
        result, rss = _peak_rss_mb(path)
        BIG[name] = {
            "size_mb": round(path.stat().st_size / MB, 1), "loaded": result["loaded"],
            "reason": result.get("reason"), "seconds": result["seconds"], "peak_rss_mb": round(rss),
        }
        if expect != "any":
            assert result["loaded"] == (expect == "loaded"), (name, result)
        assert result["seconds"] < BIG_SECONDS, (name, result)
        assert rss < BIG_RSS_MB, (name, rss)


def test_ingest_a_folder_of_hostile_files_and_one_good_document(crafted, tmp_path: Path) -> None:
    """Every refused input in one folder with one good document: the good one is indexed, each bad one listed."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    bad: set[str] = set()
    for name, (path, expect) in crafted.items():
        if expect == "refused":
            target = folder / path.name
            os.link(path, target)
            bad.add(str(target.resolve()))
    n = 0
    for kind, kept in REFUSED.items():
        for suffix, data in kept:
            target = folder / f"fuzz-{n:03d}{suffix}"
            target.write_bytes(data)
            bad.add(str(target.resolve()))
            n += 1
    good = folder / "good.txt"
    good.write_text(
        "测试市科学技术局关于科技型中小企业评价入库情况的通报\n- 时间:2024-10-09\n- 来源:测试市科学技术局\n"
        "2024年,测试市科技型中小企业评价入库1234家,同比增长16%。\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    proc = subprocess.run(cli("ingest", str(folder), "--index-dir", str(tmp_path / "idx"), "--json"), cwd=tmp_path,
                          env=env_with(), capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - started
    assert proc.returncode == 0 and no_traceback(proc.stderr), proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (report["added"], report["documents"]) == (1, 1), report
    failed = {f["path"]: f["error"] for f in report["failed"]}
    assert set(failed) == bad, (set(failed) ^ bad)
    for path, reason in failed.items():
        assert reason.strip() and "\n" not in reason and len(reason) < 400, (path, reason)
    from assistant import Assistant
    from ingest_helpers import settings_for

    ans = Assistant(settings_for(tmp_path / "idx")).ask("测试市科技型中小企业评价入库多少家?")
    assert not ans.refused and "1234家" in ans.answer, ans.answer
    record("hostile_files", {
        "fuzz_cases": sum(s["cases"] for s in FUZZ.values()),
        "fuzz_by_kind": FUZZ,
        "crafted_big_files": BIG,
        "folder_ingest": {"files": len(bad) + 1, "failed_listed": len(failed), "indexed": report["added"], "seconds": round(seconds, 1)},
    })
