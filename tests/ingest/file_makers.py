"""Real files made at test time: scanned pages (Pillow + WenQuanYi), ruled-table PDFs (fpdf2),
Word tables with merged headers (python-docx), spreadsheets (openpyxl), and character accuracy."""

from __future__ import annotations

import io
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

NOTICE_TITLE = "关于开展2024年度科技创新券申报工作的通知"
NOTICE_LINES = [
    "各县（市）区科技局，各有关单位：",
    "为降低企业研发成本，现将2024年度科技创新券申报工作通知如下。",
    "一、申报对象为在本市注册的科技型中小企业，共安排资金3500万元。",
    "二、单个企业年度支持额度不超过30万元，补助比例为合同金额的50%。",
    "三、申报时间为2024年3月15日至2024年4月30日。",
    "四、咨询电话：0871-63151234。",
    "昆明市科学技术局",
    "2024年3月1日",
]
NOTICE_FIGURES = ["3500万元", "30万元", "50%", "2024年3月15日", "2024年4月30日", "0871-63151234"]


def render_page(lines: list[str], title: str = NOTICE_TITLE, *, seal: bool = True, width: int = 1240, size: int = 30) -> "Image.Image":
    """A white A4-ish page with a centred title, indented body lines and a red seal over the signature."""
    from PIL import Image, ImageDraw, ImageFont

    height = int(width * 1.414)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), size)
    big = ImageFont.truetype(str(FONT), int(size * 1.3))
    tw = draw.textlength(title, font=big)
    draw.text(((width - tw) / 2, 120), title, font=big, fill="black")
    y = 240
    for line in lines[:-2]:
        draw.text((120 + 2 * size, y), line, font=font, fill="black")
        y += int(size * 1.9)
    # signature block, right aligned, with the seal stamped over it
    y += size * 2
    for line in lines[-2:]:
        lw = draw.textlength(line, font=font)
        draw.text((width - 160 - lw, y), line, font=font, fill="black")
        y += int(size * 1.9)
    if seal:
        # a stamp is ink over the print: multiply a red layer onto the page (black stays black)
        from PIL import ImageChops
        import math

        layer = Image.new("RGB", page.size, "white")
        ink = ImageDraw.Draw(layer)
        cx, cy, r = width - 160 - 120, y - int(size * 2.5), 120
        ink.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(220, 30, 30), width=8)
        small = ImageFont.truetype(str(FONT), 26)
        ring = "昆明市科学技术局印章专用"
        for k, ch in enumerate(ring):
            a = math.pi * (0.85 + 1.3 * k / (len(ring) - 1))
            x, yy = cx + (r - 34) * math.cos(a), cy + (r - 34) * math.sin(a)
            ink.text((x - 13, yy - 13), ch, font=small, fill=(220, 30, 30))
        ink.text((cx - 22, cy - 22), "★", font=ImageFont.truetype(str(FONT), 44), fill=(220, 30, 30))
        page = ImageChops.multiply(page, layer)
    return page


def degrade(page: "Image.Image", *, angle: float = 0.6, blur: float = 0.7, quality: int = 55, seed: int = 7) -> "Image.Image":
    """Like a scan: slight rotation, blur, speckle noise and JPEG artefacts."""
    import numpy as np
    from PIL import Image, ImageFilter

    img = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor="white")
    img = img.filter(ImageFilter.GaussianBlur(blur))
    arr = np.asarray(img).astype(np.int16)
    rng = np.random.default_rng(seed)
    arr = np.clip(arr + rng.normal(0, 8, arr.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def image_pdf(images: list["Image.Image"], path: Path) -> Path:
    """A PDF whose pages are only images (no text layer), as a scanner writes."""
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


def text_pdf(pages: list[list[str]], path: Path, *, head: str | None = None, scanned: dict[int, "Image.Image"] | None = None) -> Path:
    """A text-layer PDF (fpdf2): each page's paragraphs wrapped at the margin, a running head and
    a "— n —" page number; pages in ``scanned`` are an image instead."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_auto_page_break(False)
    for n, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        if scanned and n in scanned:
            buf = io.BytesIO()
            scanned[n].save(buf, "PNG")
            pdf.image(buf, x=0, y=0, w=210, h=297)
            continue
        pdf.set_font("wqy", size=9)
        if head:
            pdf.set_xy(20, 8)
            pdf.cell(170, 5, head, align="C")
        pdf.set_font("wqy", size=12)
        pdf.set_xy(20, 25)
        for para in paragraphs:
            pdf.set_x(20)
            pdf.multi_cell(170, 7, "\u3000\u3000" + para, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("wqy", size=10)
        pdf.set_xy(20, 282)
        pdf.cell(170, 5, f"— {n} —", align="C")
    pdf.output(str(path))
    return path


def table_pdf(path: Path, header: list[str], rows: list[list[str]], intro: str) -> Path:
    """A one-page PDF with a paragraph and a ruled table (fpdf2's table())."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("wqy", fname=str(FONT))
    pdf.add_font("wqy", style="B", fname=str(FONT))  # table headings are bold
    pdf.add_page()
    pdf.set_font("wqy", size=12)
    pdf.multi_cell(0, 7, intro, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(borders_layout="ALL", text_align="CENTER") as table:
        for data_row in [header, *rows]:
            row = table.row()
            for datum in data_row:
                row.cell(datum)
    pdf.output(str(path))
    return path


def char_accuracy(got: str, want: str) -> float:
    """1 − edit distance / len(want), whitespace ignored (the usual OCR character accuracy)."""
    a = "".join(got.split())
    b = "".join(want.split())
    prev = list(range(len(a) + 1))
    for i, cb in enumerate(b, start=1):
        cur = [i] + [0] * len(a)
        for j, ca in enumerate(a, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return 1 - prev[-1] / max(len(b), 1)


def make_doc_via_libreoffice(docx_bytes: bytes, workdir: Path) -> bytes:
    """A real Word 97 .doc, written by LibreOffice from a .docx made by the test."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:  # scripts/system-deps.sh installs it for `make test`
        raise RuntimeError("LibreOffice (Debian libreoffice-writer-nogui) is needed to make .doc fixtures: run scripts/system-deps.sh")
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / "fixture.docx"
    src.write_bytes(docx_bytes)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(workdir / 'profile').as_uri()}", "--headless", "--convert-to", "doc:MS Word 97",
         "--outdir", str(workdir), str(src)],
        check=True, capture_output=True, timeout=180, env={**__import__("os").environ, "HOME": str(workdir)},
    )
    return (workdir / "fixture.doc").read_bytes()


def small_image_bytes(fmt: str) -> bytes:
    """A tiny image with two printed characters (OCR of it takes a fraction of a second)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (96, 40), "white")
    ImageDraw.Draw(img).text((8, 4), "科技", font=ImageFont.truetype(str(FONT), 28), fill="black")
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def small_xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["指标", "2024年1—8月"])
    book.active.append(["技术合同成交额", "122.78亿元"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def small_xls_bytes() -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表1")
    for r, row in enumerate([["指标", "2024年1—8月"], ["技术合同成交额", "122.78亿元"]]):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def extra_format_samples() -> dict[str, bytes]:
    """A valid sample of each format beyond txt/md/html/pdf/docx (the loaders' fuzz seeds)."""
    samples = {
        ".csv": "指标,2024年1—8月\n技术合同成交额,122.78亿元\n".encode("utf-8"),
        ".xlsx": small_xlsx_bytes(),
        ".xls": small_xls_bytes(),
        ".png": small_image_bytes("PNG"),
        ".jpg": small_image_bytes("JPEG"),
        ".jpeg": small_image_bytes("JPEG"),
        ".tif": small_image_bytes("TIFF"),
        ".tiff": small_image_bytes("TIFF"),
        ".bmp": small_image_bytes("BMP"),
    }
    return samples


#: formats converted by LibreOffice: too slow to fuzz 50 times each (test_legacy_word.py fuzzes a few)
LEGACY_WORD = frozenset({".doc", ".wps"})
