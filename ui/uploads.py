"""Saving uploaded files under ``corpus_dir/uploads/`` with safe names (pure helpers, no Gradio).

>>> safe_filename("../../x.txt")
'x.txt'
>>> safe_filename("a/b/c.PDF")
'c.pdf'
>>> safe_filename("C:\\\\Users\\\\me\\\\报告 (终稿).docx")
'报告_终稿.docx'
>>> safe_filename("tool.exe") is None
True
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

#: What the upload area accepts (the loaders read .htm as well; keep the list the UI shows short).
ALLOWED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
UPLOADS = "uploads"
MAX_STEM = 80


def safe_filename(name: str) -> str | None:
    """The file name to store ``name`` under, or ``None`` when its type is not accepted.

    Directories (``../``, ``a/b/``, ``C:\\``) are dropped, only letters (any script), digits,
    ``-`` and ``_`` are kept in the stem, the suffix is lower-cased and must be an accepted type,
    and the name never starts with a dot (the ingest skips hidden files).
    """
    base = unicodedata.normalize("NFKC", str(name or "")).replace("\\", "/").split("/")[-1]
    base = base.replace("\x00", "").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        return None
    suffix = "." + suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return None
    stem = re.sub(r"[^\w\-]+", "_", stem, flags=re.UNICODE)  # \w: letters and digits of any script, and _
    stem = re.sub(r"_+", "_", stem).strip("_-.")[:MAX_STEM].strip("_-.")
    return f"{stem or 'upload'}{suffix}"


@dataclass
class SaveResult:
    saved: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str, dict]] = field(default_factory=list)  # (original name, reason key, details)


def uploads_dir(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / UPLOADS


def save_uploads(files: list[str | Path], corpus_dir: Path, max_mb: float) -> SaveResult:
    """Copy accepted files into ``corpus_dir/uploads/`` (a same-named upload replaces the old one)."""
    result = SaveResult()
    target_dir = uploads_dir(corpus_dir)
    limit = int(max_mb * 1024 * 1024)
    for f in files:
        src = Path(f)
        shown = src.name
        name = safe_filename(shown)
        if name is None:
            result.refused.append((shown, "upload_bad_type", {"types": " ".join(ALLOWED_SUFFIXES)}))
            continue
        try:
            size = src.stat().st_size
        except OSError:
            result.refused.append((shown, "upload_empty", {}))
            continue
        if size > limit:
            result.refused.append((shown, "upload_too_big", {"mb": size / 1024 / 1024, "max": max_mb}))
            continue
        if size == 0:
            result.refused.append((shown, "upload_empty", {}))
            continue
        target_dir.mkdir(parents=True, exist_ok=True)
        dest = target_dir / name
        tmp = target_dir / f".{name}.part"
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
        result.saved.append(dest)
    return result


def is_upload(path: str | Path, corpus_dir: Path) -> bool:
    """Whether ``path`` is a file the UI saved (inside ``corpus_dir/uploads/``)."""
    try:
        Path(path).resolve().relative_to(uploads_dir(corpus_dir).resolve())
        return True
    except ValueError:
        return False
