"""Text normalisation shared by documents and questions.

Search runs on one canonical form: NFKC (full-width digits and punctuation become ASCII) and
Simplified Chinese (OpenCC ``t2s``). The original text is kept for display and citation; only the
search side is normalised. Measured on the Traditional-Chinese report with Simplified questions,
keyword hit@3 goes from about 0.46 without t2s to about 0.89 with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["Hant", "Hans", "Latin", "Other"]


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


_SURROGATE = re.compile("[\ud800-\udfff]")


def nfkc(text: str) -> str:
    """NFKC, so ７９３６ and 7936, ：and : compare equal.

    Lone surrogates (a JSON ``"\\ud800"`` sent to the API) become U+FFFD: OpenCC, jieba and the
    embedder's tokenizer cannot encode them and would raise.
    """
    return unicodedata.normalize("NFKC", _SURROGATE.sub("\ufffd", text))


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def search_form(text: str) -> str:
    """The canonical form every index and every matcher compares on."""
    return to_simplified(nfkc(text)).lower()


def mainland_names(text: str) -> str:
    """Search-form text with the names Taiwan writes otherwise in their mainland form (义大利 → 意大利,
    纽西兰 → 新西兰, 寮国 → 老挝; OpenCC ``s2t`` then ``tw2sp``), for recognising names only: it also
    swaps ordinary words (建立 → 创建, 核心 → 内核), so the search form itself stays plain ``t2s``."""
    return _converter("tw2sp").convert(_converter("s2t").convert(text))


_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_script(text: str) -> Script:
    """Traditional vs Simplified by which OpenCC direction changes more characters.

    Most Han characters are shared by both scripts, so count only those that one conversion
    changes: t2s changes Traditional-only characters, s2t changes Simplified-only ones.
    """
    han = _HAN.findall(text)
    if not han:
        return "Latin" if _LATIN.search(text) else "Other"
    if len(_LATIN.findall(text)) > 3 * len(han):
        return "Latin"  # an English question quoting a Chinese name (春城计划)
    sample = "".join(han[:4000])
    trad = sum(a != b for a, b in zip(sample, to_simplified(sample)))
    simp = sum(a != b for a, b in zip(sample, to_traditional(sample)))
    if trad == simp == 0:
        return "Hans"
    return "Hant" if trad > simp else "Hans"


def to_script(text: str, script: Script) -> str:
    """Render display text in the reader's script (English readers get Simplified)."""
    return to_traditional(text) if script == "Hant" else to_simplified(text)


# --- document header metadata ------------------------------------------------------------------

_DATE_KEYS = ("時間", "时间", "發布時間", "发布时间", "發佈時間", "日期", "發布日期", "发布日期", "成文日期")
_SOURCE_KEYS = ("來源", "来源", "信息來源", "信息来源", "發布機構", "发布机构")
_HEADER_LINE = re.compile(r"^\s*[-•*]?\s*([\u3400-\u9fff]{2,6})\s*[:：]\s*(.+?)\s*$")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass(frozen=True)
class HeaderMeta:
    title: str | None
    date: str | None  # ISO yyyy-mm-dd
    source: str | None


def iso_date(text: str) -> str | None:
    """First date in ``text`` as ISO (2024-09-23, 2024年9月23日, 2024/9/23)."""
    m = _DATE.search(nfkc(text))
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def is_header_line(line: str) -> bool:
    m = _HEADER_LINE.match(nfkc(line))
    return bool(m and (m.group(1) in _DATE_KEYS or m.group(1) in _SOURCE_KEYS or m.group(1) in ("瀏覽", "浏览", "作者", "字號", "字号")))


def parse_header(text: str, title_hint: str | None = None) -> HeaderMeta:
    """Title, date and source that bureau pages state in their first lines.

    The shipped report starts with its title, then ``- 時間:2024-09-23`` and ``- 來源:昆明信息港``;
    Simplified pages write ``时间``/``来源``/``发布时间``. Only the first 15 lines are looked at,
    so a date quoted in the body is never taken for the publication date.
    """
    title = title_hint.strip() if title_hint and title_hint.strip() else None
    date = source = None
    for raw in text.splitlines()[:15]:
        line = raw.strip()
        if not line:
            continue
        m = _HEADER_LINE.match(nfkc(line))
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key in _DATE_KEYS and date is None:
                date = iso_date(value)
                continue
            if key in _SOURCE_KEYS and source is None:
                source = value
                continue
        if title is None and not is_header_line(line):
            title = line.lstrip("#").strip()[:200] or None
    return HeaderMeta(title=title, date=date, source=source)
