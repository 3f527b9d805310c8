"""Tests for ingest.loaders: every format on real files, and every failure as LoadError.

All fixtures are built here in temporary directories; the only shipped file
used is the real Kunming report in corpus/.  The Chinese PDF needs the Debian
package fonts-wqy-microhei: without it the PDF tests fail (they do not skip),
because silently skipping would hide a broken CI image.
"""

from __future__ import annotations

import io
import pickle
import random
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pypdf
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from file_makers import LEGACY_WORD, extra_format_samples
from ingest import loaders
from ingest.loaders import SUPPORTED_SUFFIXES, LoadedDocument, LoadError, load_document

REPO_ROOT = Path(__file__).resolve().parents[2]
KUNMING_REPORT = REPO_ROOT / "corpus" / "kunming-sti-2024-09-23.txt"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# A bad file must be refused quickly (no decompressing a zip bomb, no
# pathological parsing); generous enough not to flake on a busy CI machine.
FAST_SECONDS = 5.0

SIMPLIFIED = (
    "为深入实施创新驱动发展战略，加快推进科技成果转化，市科技局决定组织开展2024年度高新技术企业认定工作。"
    "请各县（市）区科技主管部门认真组织，按时提交申报材料。"
    "全市全社会研发经费投入达到122.78亿元，同比增长百分之十二。"
)
TRADITIONAL = (
    "為深入實施創新驅動發展戰略，加快推進科技成果轉化，市科技局決定組織開展2024年度高新技術企業認定工作。"
    "請各縣（市）區科技主管部門認真組織，按時提交申報材料。"
    "全市全社會研發經費投入達到122.78億元，同比增長百分之十二。"
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>关于开展2024年度科技计划项目申报工作的通知 - 昆明市科学技术局</title>
<meta property="og:title" content="关于开展2024年度科技计划项目申报工作的通知">
<style>.menu {{ color: red; }} /* 样式噪音 */</style>
<script>var tracker = "统计脚本内容"; console.log("脚本噪音");</script>
</head>
<body>
<header><div class="logo">门户网站标志栏</div></header>
<nav class="menu"><ul>
<li><a href="/">首页</a></li> | <li><a href="/news">新闻</a></li> | <li><a href="/contact">联系我们</a></li>
</ul></nav>
<div class="main"><article>
<h1>关于开展2024年度科技计划项目申报工作的通知</h1>
<p>各县（市）区科技主管部门、各有关单位：</p>
<p>{body}</p>
<p>申报单位应当具有独立法人资格，具备完善的财务管理制度，近三年内无不良信用记录。申报项目须在截止日期前通过系统提交全部材料，逾期不予受理。</p>
<table><tr><td>项目类别</td><td>支持金额</td></tr><tr><td>重点研发</td><td>50万元</td></tr></table>
</article></div>
<aside>热门链接：政务公开</aside>
<footer><p>版权所有：昆明市科学技术局 滇ICP备12345678号</p></footer>
<script>document.write("页面底部脚本");</script>
</body>
</html>
""".format(body=SIMPLIFIED)

MENU_AND_NOISE = ("首页", "新闻", "联系我们", "版权所有", "ICP备", "脚本", "tracker", "样式噪音", "门户网站标志栏", "热门链接")


# --------------------------------------------------------------------------
# fixture builders


def require_cjk_font() -> Path:
    if not CJK_FONT.is_file():
        pytest.fail(
            f"CJK font {CJK_FONT} is missing: the Chinese PDF fixtures need it. "
            "Install it with `apt-get update && apt-get install -y fonts-wqy-microhei`."
        )
    return CJK_FONT


def make_pdf(pages: list[str], title: str | None = None) -> bytes:
    """A PDF with a real Chinese text layer (fpdf2 embeds a subset of WenQuanYi Micro Hei)."""
    pdf = FPDF()
    pdf.add_font("wqy", fname=str(require_cjk_font()))
    pdf.set_font("wqy", size=12)
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def make_blank_pdf() -> bytes:
    """A PDF with drawings but no text layer, like a scan."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    return bytes(pdf.output())


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(title: str | None = "科技计划项目管理办法") -> bytes:
    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    document.add_paragraph("第一条 为规范科技计划项目管理，制定本办法。")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate((("项目名称", "承担单位", "经费（万元）"), ("智能制造关键技术", "昆明理工大学", "120"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("第二条 本办法自发布之日起施行。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip_bomb(uncompressed_mb: int) -> bytes:
    """A .docx-named zip whose one member is ``uncompressed_mb`` MB of zeros (deflates to ~1000:1)."""
    out = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(uncompressed_mb):
                member.write(chunk)
    return out.getvalue()


@pytest.fixture(scope="module")
def zip_bomb_300mb() -> bytes:
    return make_zip_bomb(300)


@pytest.fixture(scope="module")
def chinese_pdf() -> bytes:
    return make_pdf(
        [
            "昆明市科技局关于促进科技成果转化的若干措施\n" + SIMPLIFIED,
            "第二页：繁體內容測試。" + TRADITIONAL,
        ],
        title="关于促进科技成果转化的若干措施",
    )


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------
# text files


@pytest.mark.parametrize(
    ("text", "encoding", "family"),
    [
        (SIMPLIFIED, "gbk", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "gbk", "gb18030"),  # Traditional characters written by a GBK editor
    ],
)
def test_chinese_legacy_encodings(tmp_path: Path, text: str, encoding: str, family: str) -> None:
    doc = load_document(write(tmp_path, "notice.txt", text.encode(encoding)))
    assert doc.text == text
    assert doc.encoding == family
    assert doc.title is None


def test_gb18030_four_byte_character(tmp_path: Path) -> None:
    """gb18030 is preferred over gbk: 䶮 exists only in GB18030's four-byte area."""
    text = "南汉开国皇帝刘䶮的研究资料已整理完毕，请各单位查阅。"
    doc = load_document(write(tmp_path, "name.txt", text.encode("gb18030")))
    assert doc.text == text
    assert doc.encoding == "gb18030"


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


SHORT_CASES = [
    (text, encoding)
    for text in ("通知", "科技", "联通", "科技创新", "附件1", "会议纪要", "科技計畫", "項目", "標題")
    for encoding in ("gbk", "big5")
    if _encodable(text, encoding)
]


@pytest.mark.parametrize(("text", "encoding"), SHORT_CASES)
def test_short_chinese_is_not_misdetected(tmp_path: Path, text: str, encoding: str) -> None:
    """charset-normalizer alone calls these cp949 / UTF-16 / UTF-8; the loader must not."""
    assert load_document(write(tmp_path, "short.txt", text.encode(encoding))).text == text


def test_utf8_with_bom(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8")))
    assert doc.text == SIMPLIFIED  # no stray U+FEFF
    assert doc.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    data = SIMPLIFIED.encode(codec) if codec == "utf-16" else b"\xfe\xff" + SIMPLIFIED.encode(codec)
    doc = load_document(write(tmp_path, "u16.txt", data))
    assert doc.text == SIMPLIFIED


def test_newlines_are_normalised_and_markdown_loads(tmp_path: Path) -> None:
    raw = "# 标题\r\n\r\n第一段。\r第二段。\n第三段。"
    doc = load_document(write(tmp_path, "readme.md", raw.encode("utf-8")))
    assert doc.text == "# 标题\n\n第一段。\n第二段。\n第三段。"
    assert "\r" not in doc.text
    assert doc.encoding == "utf-8"
    assert doc.title is None


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert load_document(write(tmp_path, "UPPER.TXT", "大写后缀".encode())).text == "大写后缀"


def test_real_kunming_report_keeps_traditional_script() -> None:
    doc = load_document(KUNMING_REPORT)
    assert doc.text.startswith("昆明深入實施")
    assert "122.78億元" in doc.text
    assert doc.encoding == "utf-8"
    assert isinstance(doc, LoadedDocument)


# --------------------------------------------------------------------------
# HTML


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_main_text_without_navigation(tmp_path: Path, suffix: str) -> None:
    doc = load_document(write(tmp_path, "page" + suffix, HTML_PAGE.encode("utf-8")))
    assert doc.title == "关于开展2024年度科技计划项目申报工作的通知"
    assert "加快推进科技成果转化" in doc.text
    assert "122.78亿元" in doc.text
    assert "申报单位应当具有独立法人资格" in doc.text
    assert "重点研发" in doc.text and "50万元" in doc.text  # tables are kept
    for noise in MENU_AND_NOISE:
        assert noise not in doc.text, f"boilerplate {noise!r} leaked into the text"
    assert doc.encoding == "utf-8"


def test_html_gbk_page_with_meta_charset(tmp_path: Path) -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    page = HTML_PAGE.replace('<meta charset="utf-8">', meta)
    doc = load_document(write(tmp_path, "gbk.html", page.encode("gbk")))
    assert doc.encoding == "gb18030"  # gb2312 label upgraded to its superset
    assert "加快推进科技成果转化" in doc.text
    assert doc.title == "关于开展2024年度科技计划项目申报工作的通知"


@pytest.mark.parametrize(
    ("label", "encoding", "expected"),
    [
        ("utf-8", "gbk", "gb18030"),  # label says UTF-8, bytes are GBK: detection takes over
        ("gb2312", "utf-8", "utf-8"),  # copy-pasted gb2312 label on a UTF-8 page
        ("iso-8859-1", "gbk", "gb18030"),  # server default Latin-1 on a GBK page
        ("utf-16", "utf-8", "utf-8"),  # UTF-16 label without BOM is never right
        ("big5", "big5", "big5"),
    ],
)
def test_html_wrong_or_odd_charset_labels(tmp_path: Path, label: str, encoding: str, expected: str) -> None:
    body = TRADITIONAL if encoding == "big5" else SIMPLIFIED
    page = (
        f'<html><head><meta charset="{label}"><title>科技局</title></head>'
        f"<body><article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    doc = load_document(write(tmp_path, "label.html", page.encode(encoding)))
    assert doc.encoding == expected
    assert body[:20] in doc.text
    assert doc.title == "科技局"


def test_html_title_falls_back_to_title_tag_then_h1(tmp_path: Path) -> None:
    only_title = "<html><head><title> 科技局  工作动态 </title></head><body><p>" + SIMPLIFIED + "</p></body></html>"
    assert load_document(write(tmp_path, "a.html", only_title.encode())).title == "科技局 工作动态"
    only_h1 = "<html><body><h1>科技创新大会召开</h1><p>" + SIMPLIFIED + "</p></body></html>"
    assert load_document(write(tmp_path, "b.html", only_h1.encode())).title == "科技创新大会召开"


def test_html_fallback_when_trafilatura_finds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    doc = load_document(write(tmp_path, "page.html", HTML_PAGE.encode("utf-8")))
    assert "加快推进科技成果转化" in doc.text
    assert "项目类别" in doc.text
    for noise in MENU_AND_NOISE:
        assert noise not in doc.text, f"boilerplate {noise!r} leaked into the fallback text"
    assert "\n" in doc.text  # block elements become separate lines


# --------------------------------------------------------------------------
# PDF


def test_pdf_chinese_text_layer(tmp_path: Path, chinese_pdf: bytes) -> None:
    doc = load_document(write(tmp_path, "measures.pdf", chinese_pdf))
    flat = doc.text.replace("\n", "")
    assert "昆明市科技局关于促进科技成果转化的若干措施" in flat
    assert "122.78亿元" in flat
    assert "122.78億元" in flat  # second page, Traditional script kept as is
    assert flat.index("若干措施") < flat.index("第二页")  # pages in order
    assert doc.title == "关于促进科技成果转化的若干措施"
    assert doc.encoding is None


def test_pdf_with_owner_password_only_is_readable(tmp_path: Path, chinese_pdf: bytes) -> None:
    doc = load_document(write(tmp_path, "restricted.pdf", encrypt_pdf(chinese_pdf, user_password="")))
    assert "科技成果转化" in doc.text


def test_pdf_without_title_metadata(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "untitled.pdf", make_pdf(["没有标题元数据的文件。"])))
    assert doc.title is None
    assert "没有标题元数据的文件" in doc.text


# --------------------------------------------------------------------------
# DOCX


def test_docx_paragraphs_and_table_in_order(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "rules.docx", make_docx()))
    assert doc.text.split("\n") == [
        "第一条 为规范科技计划项目管理，制定本办法。",
        # each cell with its row and column header (ingest.tables)
        "智能制造关键技术｜承担单位：昆明理工大学；智能制造关键技术｜经费（万元）：120。",
        "第二条 本办法自发布之日起施行。",
    ]
    assert doc.title == "科技计划项目管理办法"
    assert doc.encoding is None


def test_docx_without_title(tmp_path: Path) -> None:
    assert load_document(write(tmp_path, "untitled.docx", make_docx(title=None))).title is None


# --------------------------------------------------------------------------
# failures


def _random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _random_bytes_without_nul(n: int, seed: int) -> bytes:
    return bytes(b or 1 for b in _random_bytes(n, seed))


def _zip_without_word_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "不是Word文档")
    return out.getvalue()


BadCase = tuple[str, Callable[[], bytes], str]

BAD_FILES: dict[str, BadCase] = {
    "empty txt": ("empty.txt", lambda: b"", r"empty"),
    "empty pdf": ("empty.pdf", lambda: b"", r"empty"),
    "empty docx": ("empty.docx", lambda: b"", r"empty"),
    "whitespace only": ("blank.md", lambda: b" \r\n\t\n ", r"no text"),
    "random bytes .txt": ("noise.txt", lambda: _random_bytes(4096, 1), r"binary|undecodable"),
    "random bytes .txt without NUL": ("noise2.txt", lambda: _random_bytes_without_nul(4096, 2), r"binary|undecodable"),
    "random bytes .html": ("noise.html", lambda: _random_bytes(4096, 3), r"binary|undecodable"),
    "random bytes .pdf": ("noise.pdf", lambda: _random_bytes(4096, 4), r"not a PDF"),
    "random bytes after a PDF header": (
        "noise2.pdf",
        lambda: b"%PDF-1.7\n" + _random_bytes(4096, 5) + b"\n%%EOF\n",
        r"PDF is damaged",
    ),
    "PDF without text layer": ("scan.pdf", make_blank_pdf, r"no text layer \(scanned PDF\?\)"),
    "fake docx": ("fake.docx", lambda: "这不是一个Word文件".encode(), r"not a valid \.docx.*not a zip"),
    "zip without a Word document": ("other.docx", _zip_without_word_document, r"not a valid \.docx"),
    "compression ratio bomb": ("ratio.docx", lambda: make_zip_bomb(20), r"compression ratio .*zip bomb"),
}


@pytest.mark.parametrize("case", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_files_raise_load_error_fast(tmp_path: Path, case: BadCase) -> None:
    name, build, reason = case
    path = write(tmp_path, name, build())
    start = time.perf_counter()
    with pytest.raises(LoadError, match=reason) as info:
        load_document(path)
    assert time.perf_counter() - start < FAST_SECONDS
    assert info.value.path == path
    assert str(info.value) == info.value.reason


def test_truncated_pdf(tmp_path: Path, chinese_pdf: bytes) -> None:
    path = write(tmp_path, "cut.pdf", chinese_pdf[: len(chinese_pdf) // 2])
    with pytest.raises(LoadError, match=r"PDF is damaged or truncated"):
        load_document(path)


def test_encrypted_pdf(tmp_path: Path, chinese_pdf: bytes) -> None:
    path = write(tmp_path, "secret.pdf", encrypt_pdf(chinese_pdf, user_password="secret"))
    with pytest.raises(LoadError, match=r"encrypted"):
        load_document(path)


def test_truncated_docx(tmp_path: Path) -> None:
    data = make_docx()
    with pytest.raises(LoadError, match=r"docx"):
        load_document(write(tmp_path, "cut.docx", data[: len(data) // 2]))


def test_zip_bomb_docx_is_refused_before_inflating(tmp_path: Path, zip_bomb_300mb: bytes) -> None:
    path = write(tmp_path, "bomb.docx", zip_bomb_300mb)
    assert path.stat().st_size < 2 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(LoadError, match=r"zip bomb"):
        load_document(path)
    assert time.perf_counter() - start < 1.0  # inflating 300 MB would take longer


def test_file_over_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", SIMPLIFIED.encode("utf-8"))
    with pytest.raises(LoadError, match=r"too large"):
        load_document(path, max_bytes=64)
    assert load_document(path, max_bytes=path.stat().st_size).text == SIMPLIFIED  # the limit is inclusive


@pytest.mark.parametrize("name", ["slides.pptx", "notes.rtf", "README", "archive.tar.gz"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"whatever")
    with pytest.raises(LoadError, match=r"unsupported file type"):
        load_document(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"does not exist"):
        load_document(tmp_path / "missing.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(LoadError, match=r"not a regular file"):
        load_document(folder)


def test_load_error_survives_pickling(tmp_path: Path) -> None:
    err = LoadError(tmp_path / "x.pdf", "PDF is damaged or truncated: boom")
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.reason, str(copy)) == (err.path, err.reason, "PDF is damaged or truncated: boom")


# --------------------------------------------------------------------------
# property: garbage in, LoadError (or a document) out -- never anything else


@pytest.fixture(scope="module")
def valid_samples(chinese_pdf: bytes) -> dict[str, bytes]:
    return {
        ".txt": SIMPLIFIED.encode("gbk"),
        ".md": ("# 標題\n" + TRADITIONAL).encode("big5"),
        ".html": HTML_PAGE.encode("utf-8"),
        ".htm": HTML_PAGE.encode("gbk"),
        ".pdf": chinese_pdf,
        ".docx": make_docx(),
        **extra_format_samples(),  # csv, spreadsheets, images, legacy Word (tests/ingest/file_makers.py)
    }


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def test_every_suffix_has_a_fuzz_sample(valid_samples: dict[str, bytes]) -> None:
    assert set(valid_samples) | LEGACY_WORD == set(SUPPORTED_SUFFIXES) == set(loaders._LOADERS)


# .doc/.wps (LibreOffice) and images (OCR) cost seconds per example: test_legacy_word.py and
# test_hostile_files2.py fuzz them with fewer examples
@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES - LEGACY_WORD - loaders.IMAGE_SUFFIXES))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_garbage_only_ever_raises_load_error(
    suffix: str, valid_samples: dict[str, bytes], fuzz_dir: Path, data: st.DataObject
) -> None:
    valid = valid_samples[suffix]
    payload = data.draw(
        st.one_of(
            st.binary(max_size=2048),
            st.integers(min_value=0, max_value=len(valid)).map(lambda n: valid[:n]),
            st.tuples(st.integers(0, len(valid) - 1), st.binary(min_size=1, max_size=64)).map(
                lambda cut: valid[: cut[0]] + cut[1] + valid[cut[0] + len(cut[1]) :]
            ),
        ),
        label="payload",
    )
    path = write(fuzz_dir, "sample" + suffix, payload)
    try:
        doc = load_document(path)
    except LoadError as err:
        assert err.reason and err.path == path
    else:
        assert isinstance(doc.text, str) and doc.text.strip()
