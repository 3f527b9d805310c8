"""OCR throughput and its share of ingest time: ``python -m bench.ocr --pages 3``.

Renders scanned-looking notices (Pillow + WenQuanYi Micro Hei: slight rotation, blur, noise, JPEG),
wraps each in a PDF with no text layer, adds a few generated text reports (bench.generate), and
ingests the folder with the real pipeline and the real e5 embedder into a fresh index with an empty
OCR cache. Reported: OCR pages/s (pages / seconds spent rendering + recognising), the OCR share of
the ingest's wall time, and the same ingest again with ``--rebuild`` (every page from the cache).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def _page(i: int) -> Any:
    """One A4 page at 150 dpi of a notice whose figures depend on ``i``, degraded like a scan."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height = 1240, 1754
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 30)
    lines = [f"关于开展第{i + 1}批科技项目申报工作的通知", "各有关单位："]
    for k in range(12):
        lines.append(f"{k + 1}、第{k + 1}类项目安排资金{(i + 3) * (k + 7)}万元，支持项目{k + 2 + i}个，申报截止日期为2024年{1 + k % 12}月{10 + k}日。")
    y = 120
    for line in lines:
        for start in range(0, len(line), 32):
            draw.text((120, y), line[start : start + 32], font=font, fill="black")
            y += 56
    img = page.rotate(0.5 * math.sin(i), resample=Image.BICUBIC, fillcolor="white").filter(ImageFilter.GaussianBlur(0.6))
    arr = np.asarray(img).astype(np.int16)
    arr = np.clip(arr + np.random.default_rng(i).normal(0, 8, arr.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=60)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def measure(pages: int, work: Path, text_chunks: int = 60) -> dict[str, Any]:
    from bench.generate import write_corpus
    from ingest.embedder import load_embedder
    from ingest.pipeline import ingest
    from ingest.settings import Settings

    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    for i in range(pages):
        _page(i).save(corpus / f"scan-{i:03d}.pdf", "PDF", resolution=150)
    write_corpus(corpus / "text", text_chunks, seed=7)
    settings = Settings(_env_file=None, index_dir=work / "index", ocr_cache_dir=work / "ocr-cache")
    embedder = load_embedder(settings.embed_model, settings.embed_batch_size)
    embedder.embed_passages(["预热"])  # model load and first-call cost are not ingest time
    from ingest.ocr import _engine

    t = time.perf_counter()
    _engine()
    engine_load = time.perf_counter() - t
    load_before = os.getloadavg()[0]
    first = ingest([corpus], settings, embedder=embedder)
    again = ingest([corpus], settings, rebuild=True, embedder=embedder)
    return {
        "pages": pages,
        "text_chunks": text_chunks,
        "ocr_engine_load_s": round(engine_load, 2),
        "ingest_s": round(first.seconds, 2),
        "ocr_pages": first.ocr_pages,
        "ocr_s": round(first.ocr_seconds, 2),
        "ocr_pages_per_s": round(first.ocr_pages / first.ocr_seconds, 3) if first.ocr_seconds else None,
        "ocr_share_of_ingest": round(first.ocr_seconds / first.seconds, 3) if first.seconds else None,
        "chunks": first.chunks,
        "failed": first.failed,
        "rebuild_ingest_s": round(again.seconds, 2),
        "rebuild_ocr_s_from_cache": round(again.ocr_seconds, 2),
        "loadavg_1min_before": round(load_before, 2),
        "loadavg_1min_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=3, help="scanned pages to OCR")
    p.add_argument("--work", default="/tmp/policyqa-bench-ocr")
    p.add_argument("--out", default=None, help="write the JSON here too")
    a = p.parse_args(argv)
    result = measure(a.pages, Path(a.work))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if a.out:
        Path(a.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
