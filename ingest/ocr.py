"""Offline OCR of scanned pages and photographed notices (RapidOCR on onnxruntime).

RapidOCR ships its Chinese PP-OCR detection and recognition models inside the PyPI wheel, so no
network is needed; it is imported lazily (onnxruntime and the models take ~1 s to load) and
one engine is kept per process.

What this module adds around the engine:

* **Seal removal**: a red official seal stamped over the signature is read as ring text into the
  body; pixels that are clearly red (red well above green and blue) are painted white first.
* **Bounded images**: Pillow's decompression-bomb limit is set from Settings and the image is
  scaled so its longer side is at most ``ocr_max_side`` before recognition.
* **Reading order**: text boxes are split into columns at vertical gutters (an XY cut), then read
  line by line in each column, and lines become paragraphs (:mod:`ingest.layout`).
* **Cache**: the result for an image is stored under the SHA-256 of its pixels, so re-ingesting a
  file (a rebuild, a changed chunk size) never OCRs the same page twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.layout import Line, lines_to_paragraphs

log = logging.getLogger(__name__)

__all__ = ["OcrPage", "OcrUnavailable", "ocr_image", "remove_red_seal", "reading_order"]

#: Bump when preprocessing or layout changes what a cached page would say.
OCR_VERSION = 1


class OcrUnavailable(RuntimeError):
    """rapidocr / onnxruntime are not installed."""


@dataclass(frozen=True)
class OcrPage:
    """The recognised text of one image, as paragraphs, with the mean confidence of its lines."""

    paragraphs: list[str]
    confidence: float  # mean recognition score of the kept lines, 0..1 (0 when nothing was read)
    lines: int
    seconds: float
    cached: bool = False  # read from the OCR cache, not recognised again


_engine_lock = threading.Lock()


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr import RapidOCR
    except ImportError as exc:  # pragma: no cover - both are declared dependencies
        raise OcrUnavailable("OCR needs the Python packages 'rapidocr' and 'onnxruntime' (pip install rapidocr onnxruntime)") from exc
    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    threads = int(os.environ.get("POLICYQA_OCR_THREADS", "0") or 0)
    params: dict[str, Any] = {"Global.log_level": "warning"}
    if threads > 0:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
    return RapidOCR(params=params)


def remove_red_seal(rgb: Any, strength: int = 25) -> Any:
    """Paint clearly red pixels white (numpy HxWx3 uint8 in, same out).

    Black or grey print has R ≈ G ≈ B; a red seal has R far above both G and B. ``strength`` is
    how far above: 25 is about twice what JPEG noise and a scanner's tint do to grey print, and catches
    the stamp's faint, anti-aliased edges (which otherwise come back as stray characters).
    """
    import numpy as np

    arr = rgb.astype(np.int16)
    r, g, b = arr[..., 0], arr[..., 1], arr[..., 2]
    red = (r - np.maximum(g, b) > strength) & (r > 100)
    out = rgb.copy()
    out[red] = 255
    return out


def reading_order(boxes: list[tuple[float, float, float, float, str, float]]) -> list[list[Line]]:
    """Columns of lines from OCR boxes (x0, top, x1, bottom, text, score), in reading order.

    A recursive XY cut: split at the widest horizontal band no box crosses (a section break), then
    at the widest vertical gutter (columns), until neither exists; each leaf's boxes are grouped
    into lines by vertical overlap. Gutters narrower than two character heights are not columns.
    """
    if not boxes:
        return []
    heights = sorted(b[3] - b[1] for b in boxes)
    char = max(heights[len(heights) // 2], 1.0)

    def gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
        spans = sorted(spans)
        out, end = [], spans[0][1]
        for s, e in spans[1:]:
            if s > end:
                out.append((end, s))
            end = max(end, e)
        return out

    def cut(group: list[tuple[float, float, float, float, str, float]]) -> list[list[Line]]:
        if len(group) > 1:
            vgaps = [g for g in gaps([(b[0], b[2]) for b in group]) if g[1] - g[0] >= 2 * char]
            if vgaps:
                at = max(vgaps, key=lambda g: g[1] - g[0])
                mid = (at[0] + at[1]) / 2
                # a full-width line above the columns (a title) is cut off first by the horizontal pass
                return cut([b for b in group if b[2] <= mid]) + cut([b for b in group if b[0] >= mid])
            hgaps = [g for g in gaps([(b[1], b[3]) for b in group]) if g[1] - g[0] >= 0.8 * char]
            for g in hgaps:  # try each section break: one above which and below which columns differ
                mid = (g[0] + g[1]) / 2
                top = [b for b in group if b[3] <= mid]
                bottom = [b for b in group if b[1] >= mid]
                if top and bottom and (_has_gutter(top, char) or _has_gutter(bottom, char)):
                    return cut(top) + cut(bottom)
        return [_lines(group)]

    return cut(list(boxes))


def _has_gutter(group: list[tuple[float, float, float, float, str, float]], char: float) -> bool:
    spans = sorted((b[0], b[2]) for b in group)
    end = spans[0][1]
    for s, e in spans[1:]:
        if s - end >= 2 * char:
            return True
        end = max(end, e)
    return False


def _lines(group: list[tuple[float, float, float, float, str, float]]) -> list[Line]:
    """Boxes of one column grouped into lines (boxes whose vertical centres lie within each other)."""
    rows: list[list[tuple[float, float, float, float, str, float]]] = []
    for b in sorted(group, key=lambda b: (b[1] + b[3]) / 2):
        centre = (b[1] + b[3]) / 2
        if rows:
            last = rows[-1]
            top = min(x[1] for x in last)
            bottom = max(x[3] for x in last)
            if top <= centre <= bottom:
                last.append(b)
                continue
        rows.append([b])
    out = []
    for row in rows:
        row.sort(key=lambda b: b[0])
        text = ""
        for b in row:
            text = text + b[4] if not text or not (text[-1].isascii() and b[4][:1].isascii()) else f"{text} {b[4]}"
        out.append(Line(text, min(b[0] for b in row), max(b[2] for b in row), min(b[1] for b in row), max(b[3] for b in row)))
    return out


def _prepare(image: Any, max_side: int, seal: bool) -> Any:
    """RGB numpy array, scaled down to ``max_side``, seal removed."""
    import numpy as np
    from PIL import Image

    img = image.convert("RGB")
    w, h = img.size
    scale = max_side / max(w, h)
    if scale < 1:
        img = img.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.LANCZOS)
    arr = np.asarray(img)
    return remove_red_seal(arr) if seal else arr


def _cache_path(cache_dir: Path | None, digest: str) -> Path | None:
    return cache_dir / digest[:2] / f"{digest}.json" if cache_dir is not None else None


def ocr_image(image: Any, *, max_side: int = 2400, seal: bool = True, cache_dir: Path | None = None) -> OcrPage:
    """Recognise one PIL image; results are cached by the SHA-256 of the prepared pixels."""
    import numpy as np

    arr = _prepare(image, max_side, seal)
    digest = hashlib.sha256(f"v{OCR_VERSION}:{arr.shape}".encode() + np.ascontiguousarray(arr).tobytes()).hexdigest()
    path = _cache_path(cache_dir, digest)
    if path is not None and path.is_file():
        try:
            data = json.loads(path.read_text("utf-8"))
            return OcrPage(paragraphs=list(data["paragraphs"]), confidence=float(data["confidence"]), lines=int(data["lines"]), seconds=0.0, cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is recomputed
    started = time.perf_counter()
    engine = _engine()
    with _engine_lock:  # onnxruntime sessions are thread-safe, but two pages at once only thrash 2 cores
        result = engine(arr)
    boxes = []
    if result.boxes is not None and result.txts:
        for box, text, score in zip(result.boxes, result.txts, result.scores):
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            if text.strip():
                boxes.append((min(xs), min(ys), max(xs), max(ys), text.strip(), float(score)))
    paragraphs = [p for column in reading_order(boxes) for p in lines_to_paragraphs(column)]
    confidence = sum(b[5] for b in boxes) / len(boxes) if boxes else 0.0
    page = OcrPage(paragraphs, confidence, len(boxes), time.perf_counter() - started)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({k: v for k, v in asdict(page).items() if k not in ("seconds", "cached")}, ensure_ascii=False), "utf-8")
            tmp.replace(path)
        except OSError as exc:  # a read-only cache costs time, not correctness
            log.warning("could not write the OCR cache entry %s: %s", path, exc)
    return page
