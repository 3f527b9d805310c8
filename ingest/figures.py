"""Rule-based extraction of the figures ("数据") a bureau document reports.

Staff preparing briefings want every reported quantity of a document as a record: what is
counted (``metric``), the number as written, its unit, whether it is approximate, the period and
the place it belongs to, and the sentence it comes from so it can be checked and cited.

Why rules and not a model: government reports state figures in a small number of fixed
patterns, and a briefing needs *exactly* the figure as printed, never a paraphrase.  The two
patterns that cover almost everything are

* **noun-first** ("B"): ``合同成交額122.78億元`` / ``推薦項目71個`` — the metric is the phrase
  before the number, from the start of its clause;
* **number-first** ("A"): ``29所高校`` / ``5個小分隊開展…`` / ``27項科技成果得到轉化應用`` — the
  metric is the phrase after the classifier.

Everything runs on NFKC text (full-width digits and punctuation become ASCII; Chinese characters
are untouched, so metric and unit stay in the document's own script).  ``jieba.posseg`` is used
only to find word boundaries, verbs and place names, on an OpenCC ``t2s`` copy of the text
(jieba's dictionary is Simplified); ``t2s`` keeps character offsets, so the results map back onto
the original script.

Decisions (also pinned by ``tests/ingest/test_figures.py``):

* Not figures: dates (8月6日), years (2024年, also inside names such as 2024年度…會議 or
  2025年重點領域), ordinals (第一批, 首屆), anything inside quotation or title marks
  (“3815”戰略, “六個春城”, “三上門”, 《…2024年…方案》), numbers without a unit, and page metadata
  lines (``- 瀏覽:77``).
* Chinese-numeral counts are rare in official statistics (GB/T 15835 asks for Arabic digits
  there) and common in slogans, so they are accepted only with a counting classifier directly
  after them (兩場 → 2 場), never for 一 alone or for bare 十/百/千/萬 (一個新的階段, 百家),
  and never in the slogan form numeral + 個 + a one/two-character word closing the clause
  (一個聚焦、五個關鍵).  ``七大工程``/``七大攻堅``/``三鏈融合`` have no classifier, so they are
  names, not figures.
* ``N批共M個X`` gives two figures with the same metric X (3 批 and 32 個).
* ``period`` is the nearest period phrase *before* the figure in the same sentence; it is not
  carried across sentences.  A bare year only counts as a period when used adverbially
  (``2023年,…`` / ``2023年玉溪市…``), not as a modifier (``2025年重點領域``).  A "new" figure
  (新增…) under a point-in-time period (截至目前) takes the earlier interval period of the
  sentence if there is one (上半年,…截至目前,…新增…1家 → 上半年).
* ``place``: the nearest explicit place before the figure (or a locative 在X after it in the
  same clause).  全市/本市/我市 are resolved to the city named in the document title (昆明),
  because figures from many cities' documents are compared side by side; the original wording
  stays in ``sentence``.  Other markers (全省, 全國) are kept as written; 玉溪市 → 玉溪.  A place
  name used as a modifier inside a name (云南實驗室, 昆明日報) is not a place.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Iterable, Literal, Sequence

__all__ = [
    "Figure",
    "extract_figures",
    "figures_to_rows",
    "filter_figures",
    "format_figures",
]


@dataclass(frozen=True)
class Figure:
    """One reported quantity of a document."""

    metric: str
    value: str
    number: float
    unit: str
    approx: bool
    period: str | None
    place: str | None
    sentence: str
    doc_id: str
    date: str | None
    # the qualifier exactly as written (不超过, 余, 以上, 约) and what it says: exact / approx / at_most /
    # at_least / more_than / less_than (ingest.facts). A cap (不超过300万元) is a bound, never "approximate".
    qualifier: str = ""
    bound: str = "exact"


# --------------------------------------------------------------------------------------------
# lazily loaded helpers (jieba's dictionary takes ~1 s to load; OpenCC is cheap but shared)


@lru_cache(maxsize=1)
def _t2s_converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    """Simplified copy of ``text`` — used for dictionary look-ups and for matching queries."""
    return _t2s_converter().convert(text)


@lru_cache(maxsize=1)
def _posseg():  # type: ignore[no-untyped-def]
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    return pseg


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, word, flag) for ``text``, tagged on its Simplified copy.

    Offsets refer to ``text`` itself: t2s is character-for-character for the vocabulary of these
    documents; if it ever is not, the original text is tagged instead (jieba is weaker on
    Traditional, but offsets stay right).
    """
    simp = _t2s(text)
    if len(simp) != len(text):
        simp = text
    out: list[tuple[int, int, str, str]] = []
    pos = 0
    for pair in _posseg().cut(simp):
        word, flag = pair.word, pair.flag
        out.append((pos, pos + len(word), text[pos : pos + len(word)], flag))
        pos += len(word)
    return tuple(out)


def _is_verb(flag: str) -> bool:
    return flag == "v" or flag == "vd" or flag == "vi"


# --------------------------------------------------------------------------------------------
# lexical resources

_BASE_UNITS = [
    # money / rates / measures
    "萬美元", "万美元", "億美元", "亿美元", "美元", "元",
    "個百分點", "个百分点", "百分點", "百分点", "%", "‰", "倍",
    "平方公里", "平方米", "公里", "公頃", "公顷", "畝", "亩", "噸", "吨",
    "千瓦時", "千瓦时", "千瓦", "兆瓦",
    # counts (longest first where one is a prefix of another)
    "人次", "家次", "項次", "项次", "場次", "场次", "批次", "件次",
    "家", "項", "项", "個", "个", "所", "批", "次", "人", "名", "位", "場", "场", "件",
    "篇", "台", "套", "條", "条", "種", "种", "類", "类", "支", "座", "處", "处", "份",
    "戶", "户", "屆", "届", "輪", "轮", "期", "例", "株", "張", "张", "部", "間", "间",
]
_BASE_UNITS.sort(key=len, reverse=True)
# classifiers accepted after a Chinese numeral (no money, no rates: 多元/二元 are words)
_CN_UNITS = {
    "家", "項", "项", "個", "个", "所", "批", "次", "人次", "名", "位", "場", "场", "件", "篇",
    "套", "條", "条", "種", "种", "類", "类", "支", "座", "處", "处", "屆", "届", "輪", "轮",
    "批次", "場次", "场次",
}
_MAGNITUDE = "萬万億亿千百"
_CN_DIGITS = "〇零一二兩两三四五六七八九"
_CN_NUMERAL = f"[{_CN_DIGITS}十百千萬万億亿]+"
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_UNIT_RE = "|".join(re.escape(u) for u in _BASE_UNITS)

_FIGURE_RE = re.compile(
    rf"(?P<num>{_ARABIC}|{_CN_NUMERAL})"
    rf"(?P<ax1>余|餘|多)?"
    rf"(?P<mag>[{_MAGNITUDE}])?"
    rf"(?P<ax2>余|餘|多)?"
    rf"(?P<unit>{_UNIT_RE})"
    rf"(?P<ax3>以上|左右|有餘|有余)?"
)
# 3個月 / 2個年度 are durations, 人民/名單/部門 are words
_BAD_AFTER_UNIT = {"個": "月年", "个": "月年", "人": "民", "名": "單单称稱", "期": "間间"}

def _bounds() -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Qualifier words and their bounds from ingest.facts, in both scripts (this module reads the
    document's own script), longest first."""
    from ingest.facts import _PREFIX_QUALIFIERS, _SUFFIX_QUALIFIERS

    def both(table: list[tuple[str, str]]) -> list[tuple[str, str]]:
        out = dict(table)
        for word, bound in table:
            out.setdefault(_s2t(word), bound)
        return sorted(out.items(), key=lambda x: len(x[0]), reverse=True)

    return both(_PREFIX_QUALIFIERS), dict(both(_SUFFIX_QUALIFIERS))


def _s2t(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


_PREFIX_BOUND, _SUFFIX_BOUND = _bounds()
_ORDINAL_BEFORE = ("第", "每", "逐", "初", "周", "週", "星期", "數", "数", "幾", "几")

_STRONG_BOUNDARY = set(",;:。!?，；：！？\n—")
_QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", "〈": "〉", '"': '"', "‘": "’"}

_PERIOD_RES = [
    re.compile(p)
    for p in (
        r"(?:\d{4}年)?\d{1,2}月?(?:至|到|-|—|~|－)\d{1,2}月份?",
        r"(?:\d{4}年)?(?:前|頭|头)[一二三四五六七八九十两兩\d]{1,2}(?:個|个)?(?:月|季度)",
        r"(?:\d{4}年)?(?:第?[一二三四1-4]季度|上半年|下半年|全年|年初以來|年初以来|年初|年底|年末|年內|年内)",
        r"(?:\d{4}年)?\d{1,2}月\d{1,2}日",
        r"截[至止](?:目前|今|(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末|上旬|中旬|下旬)?)",
        r"今年以來|今年以来|今年初|今年上半年|今年|去年同期|去年|上年度|上一年度|上年|本年度|當年|当年"
        r"|近年來|近年来|近年|近期|近日|日前|目前|年初至今",
        # a bare year (or 年度) — kept only when used adverbially, see _year_is_period
        r"\d{4}年度?(?:以來|以来)?",
    )
]
_POINT_PERIOD = re.compile(r"^(?:截[至止]|目前)")
_PLACE_MARKERS = re.compile(r"全市|本市|我市|全省|本省|我省|全國|全国|全州|本州|全縣|全县|全區|全区")
_CITY_MARKERS = {"全市", "本市", "我市"}
_NS_STOP = {
    "城市", "国内", "国外", "国家", "海外", "各地", "当地", "本地", "地方", "境内", "境外", "中外",
    "省内", "市内", "全国", "国际", "内地",
}
_ADMIN_SUFFIX = re.compile(r"(?:市|省)$")

_LEAD_FILLERS = (
    "同時", "同时", "其中", "另外", "此外", "已經", "已经", "累計", "累计", "共有", "共計", "共计",
    "總共", "总共", "合計", "合计", "分別", "分别", "並", "并", "且", "還", "还", "又", "已", "均",
    "共", "有", "計", "计",
)
_TRAIL_FILLERS = (
    "達到", "达到", "約為", "约为", "共有", "已有", "累計有", "累计有", "共計", "共计", "合計", "合计", "總計", "总计", "累計", "累计",
    "突破", "增至", "達", "达", "為", "为", "是", "共", "計", "计", "約", "约", "超", "等", "的",
)
_GENERIC_HEADS = {
    "總數", "总数", "總量", "总量", "總計", "总计", "總額", "总额", "累計", "累计", "合計", "合计",
    "共計", "共计", "同比增長", "同比增长", "增長", "增长", "增幅", "增速", "同比", "同比提高",
    "提高", "比上年增長", "比上年增长", "較上年增長", "较上年增长", "其中", "數量", "数量",
}
_NEW_PREFIX = ("新增", "新建", "新認定", "新认定", "新獲批", "新获批", "新引進", "新引进")
_QUOTE_CHARS = "“”《》「」『』〈〉\"‘’"
_METADATA_LINE = re.compile(
    r"^\s*(?:[-*•·]\s*\S{1,8}\s*[:：]|(?:時間|时间|來源|来源|瀏覽|浏览|作者|編輯|编辑|責任編輯|责任编辑"
    r"|發布時間|发布时间|點擊|点击|閱讀|阅读|字號|字号)\s*[:：])"
)
_SENTENCE_END = re.compile(r"(?<=[。!?！？])")


# --------------------------------------------------------------------------------------------
# small text utilities


def _mask_quoted(text: str) -> str:
    """Replace what is inside quotation/title marks by ``※`` (same length).

    Names live there (“3815”戰略, 《…2024年…方案》, “六個春城”): their numbers are not figures and
    their years are not periods.  The marks themselves are kept so clause logic still sees them.
    """
    out = list(text)
    i = 0
    while i < len(text):
        close = _QUOTE_PAIRS.get(text[i])
        if close is not None:
            j = text.find(close, i + 1)
            if j != -1 and j - i <= 80:
                for k in range(i + 1, j):
                    out[k] = "※"
                i = j + 1
                continue
        i += 1
    return "".join(out)


def _quoted_spans(masked: str) -> list[tuple[int, int]]:
    """Spans masked by :func:`_mask_quoted` — verbs inside a name do not end a metric."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(masked):
        if masked[i] == "※":
            j = i
            while j < len(masked) and masked[j] == "※":
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def _in_spans(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _strip_fillers(s: str, fillers: Sequence[str], *, lead: bool) -> str:
    changed = True
    while changed and s:
        changed = False
        for f in fillers:
            if lead and s.startswith(f) and len(s) > len(f):
                # keep 共建/共享/有效/計劃 etc. — a filler must not start a longer word
                nxt = _tokens(s)
                if nxt and nxt[0][1] > len(f) and nxt[0][2] != f:
                    continue
                s = s[len(f) :]
                changed = True
                break
            if not lead and s.endswith(f) and len(s) > len(f):
                s = s[: -len(f)]
                changed = True
                break
    return s


def _clean_metric(s: str) -> str:
    s = s.strip(" \t、,;:，；：")
    s = "".join(ch for ch in s if ch not in _QUOTE_CHARS)
    return s.strip(" \t、,;:，；：")


def _to_number(value: str) -> float:
    """Numeric value of a figure as written: Arabic as float, Chinese via cn2an."""
    if re.fullmatch(_ARABIC, value):
        return float(value.replace(",", ""))
    import cn2an

    return float(cn2an.cn2an(_t2s(value), "smart"))


def _norm_place(name: str) -> str:
    stripped = _ADMIN_SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


def _doc_city(title: str) -> str | None:
    """The city a document is about, taken from its title (first place name in it)."""
    masked = _mask_quoted(unicodedata.normalize("NFKC", title))
    for _, _, word, flag in _tokens(masked):
        if flag == "ns" and len(word) >= 2 and _t2s(word) not in _NS_STOP:
            return _norm_place(word)
    m = re.search(r"([\u4e00-\u9fff]{2,4})市", masked)
    return m.group(1) if m else None


# --------------------------------------------------------------------------------------------
# per-sentence analysis


@dataclass
class _Cand:
    start: int  # start of the approx prefix or the number
    num_start: int
    num_end: int
    end: int  # after unit and approx suffix
    value: str
    unit: str
    approx: bool
    qualifier: str = ""
    bound: str = "exact"
    kind: str = "B"  # "A" number-first, "B" noun-first, "C" chained (3批共32個)
    metric_span: tuple[int, int] = (0, 0)
    metric: str = ""


def _periods(masked: str, places: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for rx in _PERIOD_RES:
        for m in rx.finditer(masked):
            found.append((m.start(), m.end(), m.group()))
    # longest match wins where matches overlap
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for s, e, txt in found:
        if s < last_end:
            continue
        if re.fullmatch(r"\d{4}年度?", txt) and not _year_is_period(masked, s, e, places):
            continue
        if s > 0 and masked[s - 1].isdigit():
            continue
        chosen.append((s, e, txt))
        last_end = e
    return chosen


def _year_is_period(masked: str, s: int, e: int, places: list[tuple[int, int, str]]) -> bool:
    """``2023年,…`` / ``2023年玉溪市…`` are periods; ``2025年重點領域`` is a modifier."""
    if e >= len(masked) or masked[e] in _STRONG_BOUNDARY or masked[e] == "、":
        return True
    return any(ps == e for ps, _, _ in places)


def _places(masked: str, city: str | None) -> list[tuple[int, int, str]]:
    """(start, end, place) mentions: 全市-type markers and jieba place names."""
    out: list[tuple[int, int, str]] = []
    for m in _PLACE_MARKERS.finditer(masked):
        name = m.group()
        out.append((m.start(), m.end(), city if (name in _CITY_MARKERS and city) else name))
    toks = _tokens(masked)
    for i, (s, e, word, flag) in enumerate(toks):
        if flag != "ns" or len(word) < 2 or _t2s(word) in _NS_STOP:
            continue
        if any(a <= s < b for a, b, _ in out):
            continue
        has_suffix = bool(_ADMIN_SUFFIX.search(word))
        if not has_suffix and i + 1 < len(toks):
            nflag = toks[i + 1][3]
            prev = toks[i - 1][2] if i > 0 else ""
            # 云南實驗室 / 昆明日報: a place used as part of a name
            if nflag in {"n", "nt", "ns", "nr", "b", "vn", "a", "j"} and prev not in {"在", "于", "於"}:
                continue
        out.append((s, e, _norm_place(word)))
    out.sort()
    return out


def _candidates(norm: str, masked: str) -> list[_Cand]:
    cands: list[_Cand] = []
    for m in _FIGURE_RE.finditer(masked):
        num, unit = m.group("num"), m.group("unit")
        ns, ne = m.start("num"), m.end("num")
        mag = m.group("mag") or ""
        is_cn = not num[0].isdigit()
        before = masked[max(0, ns - 2) : ns]
        after = masked[m.end("unit") : m.end("unit") + 1]
        if unit in _BAD_AFTER_UNIT and after and after in _BAD_AFTER_UNIT[unit]:
            continue
        if any(before.endswith(o) for o in _ORDINAL_BEFORE):
            continue
        prev_ch = masked[ns - 1] if ns > 0 else ""
        if prev_ch and (prev_ch.isdigit() or prev_ch in ".-/" or (prev_ch.isascii() and prev_ch.isalpha())):
            continue
        if is_cn:
            full_unit = mag + unit
            if mag or full_unit not in _CN_UNITS:
                continue
            if num == "一" or not any(ch in _CN_DIGITS for ch in num):
                continue
            # slogan form: 五個關鍵, / 兩個市場、
            tail = re.match(r"[\u4e00-\u9fff]{1,2}(?=$|[,;:。!?、”和与與及等])", masked[m.end():])
            if unit in {"個", "个", "項", "项"} and tail and not m.group("ax3"):
                continue
        infix = m.group("ax1") or m.group("ax2")
        suffix = m.group("ax3") or ""
        approx = bool(infix or suffix in ("左右", "有餘", "有余"))
        qualifier, bound = (infix, "more_than") if infix else (suffix, _SUFFIX_BOUND.get(suffix, "exact")) if suffix else ("", "exact")
        start = ns
        # the qualifier before the number, longest first (不超过 before 超过: a cap is not "more than")
        for p, b in _PREFIX_BOUND:
            if masked[:ns].endswith(p):
                qualifier, bound, start = p, b, ns - len(p)
                approx = b == "approx"
                break
        cands.append(
            _Cand(
                start=start,
                num_start=ns,
                num_end=ne,
                end=m.end(),
                value=norm[ns:ne],
                unit=mag + unit,
                approx=approx,
                qualifier=qualifier,
                bound=bound,
            )
        )
    return cands


def _prev_boundary(masked: str, pos: int) -> int:
    i = pos - 1
    while i >= 0 and masked[i] not in _STRONG_BOUNDARY:
        i -= 1
    return i + 1


def _next_boundary(masked: str, pos: int, *, list_comma: bool = True) -> int:
    i = pos
    while i < len(masked) and masked[i] not in _STRONG_BOUNDARY and not (list_comma and masked[i] == "、"):
        i += 1
    return i


def _first_verb(norm: str, quoted: list[tuple[int, int]], a: int, b: int) -> int | None:
    """Offset of the first verb in norm[a:b] (outside quotes), or None."""
    for s, _, _, flag in _tokens(norm[a:b]):
        if s > 0 and _is_verb(flag) and not _in_spans(a + s, quoted):
            return a + s
    return None


def _noun_first_follows(norm: str, masked: str, pos: int) -> bool:
    """True when the text after a figure starts a noun phrase (``29所高校``), i.e. pattern A."""
    if pos >= len(masked):
        return False
    ch = masked[pos]
    if ch in _STRONG_BOUNDARY or ch == "、" or ch in ")]）】":
        return False
    if ch in "“《「『\"":
        return True
    if not ("\u4e00" <= ch <= "\u9fff"):
        return False
    end = _next_boundary(masked, pos)
    toks = _tokens(norm[pos:end])
    if not toks:
        return False
    flag = toks[0][3]
    return not (_is_verb(flag) or flag in {"p", "d", "c", "u", "uj", "ul", "uz", "r", "y", "e", "f", "m"})


def _analyse(norm: str, masked: str, cands: list[_Cand]) -> None:
    """Decide pattern A/B/C of each figure and set its raw metric span."""
    quoted = _quoted_spans(masked)
    consumed = 0
    for i, c in enumerate(cands):
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        clause_end = _next_boundary(masked, c.end, list_comma=False)
        gap = masked[c.end : nxt.start] if nxt else None
        if nxt is not None and nxt.start <= clause_end and gap in {"", "共", "合計", "合计", "總計", "总计", "共計", "共计"}:
            c.kind = "C"
            consumed = c.end
            continue
        if _noun_first_follows(norm, masked, c.end):
            c.kind = "A"
            end = _next_boundary(masked, c.end)
            split = None
            if nxt is not None and nxt.start < end:
                split = _first_verb(norm, quoted, c.end, nxt.start)
                end = split if split is not None else nxt.start
            # cut at a locative (…會議在昆明…) and, inside an enumeration, at 的
            in_list = masked[c.start - 1 : c.start] == "、" or masked[end : end + 1] == "、"
            for s, _, word, flag in _tokens(norm[c.end : end]):
                if _in_spans(c.end + s, quoted) or s == 0:
                    continue
                if (flag == "p" and word in {"在", "于", "於"}) or (in_list and word == "的"):
                    end = c.end + s
                    break
            c.metric_span = (c.end, end)
            consumed = split if split is not None else end
        else:
            c.kind = "B"
            start = max(_prev_boundary(masked, c.start), consumed)
            c.metric_span = (start, c.start)
            consumed = c.end


def _metric_text(norm: str, span: tuple[int, int], periods, places) -> tuple[str, int]:
    """Metric phrase of a noun-first span; returns (text, start offset actually used)."""
    a, b = span
    # a period inside the span separates the subject from what is counted:
    # 第一批市級企業科技創新中心上年度共獲各項專利80項 → 共獲各項專利
    for ps, pe, _ in periods:
        if a <= ps and pe <= b:
            a = pe
    while a < b and norm[a] in " ,、;:，；：":
        a += 1
    moved = True
    while moved:
        moved = False
        for ps, pe, _ in places:
            if ps == a and pe <= b:
                a = pe
                moved = True
        for ps, pe, _ in periods:
            if ps == a and pe <= b:
                a = pe
                moved = True
        while a < b and norm[a] in " ,、;:，；：":
            a += 1
            moved = True
        stripped = _strip_fillers(norm[a:b], _LEAD_FILLERS, lead=True)
        if len(stripped) < b - a:
            a = b - len(stripped)
            moved = True
    text = _strip_fillers(norm[a:b], _TRAIL_FILLERS, lead=False)
    return text, a


def _object_of(metric: str) -> str:
    """Trailing noun run of a metric: 新增云南實驗室 → 云南實驗室, 登記技術合同 → 技術合同."""
    toks = _tokens(metric)
    i = len(toks)
    while i > 0 and not _is_verb(toks[i - 1][3]) and toks[i - 1][2] not in "、,":
        i -= 1
    return metric[toks[i][0] :] if i < len(toks) else metric


def _expand(metric: str, prev: str | None) -> str:
    """Make a metric that leans on the previous clause self-contained.

    ``總數達6家`` after ``新增云南實驗室1家`` → 云南實驗室總數;
    ``合同成交額`` after ``登記技術合同`` → 技術合同成交額.
    """
    if not prev:
        return metric
    toks = _tokens(metric)
    if metric in _NEW_PREFIX or (len(toks) == 1 and _is_verb(toks[0][3])):
        # 其中新增35家 → 新增 + 高新技術企業
        obj = _object_of(prev)
        return metric + obj if obj else metric
    if metric in _GENERIC_HEADS or not metric:
        obj = _object_of(prev)
        return obj + metric if obj and not metric.startswith(obj) else metric or obj
    if not toks:
        return metric
    head = toks[0][2]
    if len(head) < 2:
        return metric
    ptoks = _tokens(prev)
    for j, (_, _, word, _) in enumerate(ptoks):
        if word == head and j > 0:
            k = j
            while k > 0 and not _is_verb(ptoks[k - 1][3]):
                k -= 1
            prefix = prev[ptoks[k][0] : ptoks[j][0]] if k < j else ""
            if prefix and not metric.startswith(prefix):
                return prefix + metric
            break
    return metric


def _sentence_figures(sentence: str, doc_id: str, date: str | None, city: str | None) -> list[Figure]:
    norm = unicodedata.normalize("NFKC", sentence)
    masked = _mask_quoted(norm)
    cands = _candidates(norm, masked)
    if not cands:
        return []
    places = _places(masked, city)
    periods = _periods(masked, places)
    _analyse(norm, masked, cands)

    # metric text
    for c in cands:
        if c.kind == "A":
            c.metric = _clean_metric(norm[c.metric_span[0] : c.metric_span[1]])
        elif c.kind == "B":
            text, used = _metric_text(norm, c.metric_span, periods, places)
            c.metric_span = (used, c.metric_span[1])
            c.metric = _clean_metric(text)
            if not c.metric:
                # 約2.5萬人次參加培訓: nothing before the number, the predicate after it is the metric
                after_end = _next_boundary(masked, c.end)
                c.metric = _clean_metric(norm[c.end : after_end])
    for i in range(len(cands) - 1, -1, -1):  # chained figures borrow the next figure's metric
        if cands[i].kind == "C" and i + 1 < len(cands):
            cands[i].metric = cands[i + 1].metric
            cands[i].metric_span = cands[i + 1].metric_span
    prev: str | None = None
    for c in cands:
        if c.kind == "B":
            c.metric = _expand(c.metric, prev)
        prev = c.metric or prev

    # period and place
    metric_spans = [c.metric_span for c in cands if c.kind == "B"]
    figs: list[Figure] = []
    for c in cands:
        before = [p for p in periods if p[1] <= c.start]
        period = before[-1][2] if before else None
        if period and _POINT_PERIOD.match(period) and c.metric.startswith(_NEW_PREFIX):
            intervals = [p for p in before if not _POINT_PERIOD.match(p[2])]
            if intervals:
                period = intervals[-1][2]
        place = None
        for ps, pe, name in reversed(places):
            if pe <= c.start and not any(a <= ps < b for a, b in metric_spans):
                place = name
                break
        if place is None:
            clause_end = _next_boundary(masked, c.end, list_comma=False)
            for ps, pe, name in places:
                if c.end <= ps < clause_end and masked[ps - 1 : ps] in {"在", "于", "於"}:
                    place = name
                    break
        figs.append(
            Figure(
                metric=c.metric,
                value=c.value,
                number=_to_number(c.value),
                unit=c.unit,
                approx=c.approx,
                qualifier=c.qualifier,
                bound=c.bound,
                period=period,
                place=place,
                sentence=sentence.strip(),
                doc_id=doc_id,
                date=date,
            )
        )
    return figs


def _sentences(text: str) -> tuple[str | None, list[str]]:
    """(title, sentences): title is the first non-empty line; metadata lines are dropped."""
    title: str | None = None
    out: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if _METADATA_LINE.match(unicodedata.normalize("NFKC", line)):
            continue
        if title is None:
            title = line.strip()
        out.extend(s for s in _SENTENCE_END.split(line) if s.strip())
    return title, out


def extract_figures(text: str, doc_id: str, date: str | None = None) -> list[Figure]:
    """Every figure of a document, in reading order.

    ``date`` is the document's (ISO) date and is copied onto each record so figures stay
    comparable once separated from their document.
    """
    title, sentences = _sentences(text)
    city = _doc_city(title) if title else None
    figs: list[Figure] = []
    for s in sentences:
        figs.extend(_sentence_figures(s, doc_id, date, city))
    return figs


# --------------------------------------------------------------------------------------------
# output helpers

_ROW_FIELDS = ["metric", "value", "number", "unit", "approx", "qualifier", "bound", "period", "place", "sentence", "doc_id", "date"]
_SHORT_FIELDS = ["metric", "value", "unit", "approx", "qualifier", "period", "place", "doc_id", "date"]


def figures_to_rows(figs: Iterable[Figure]) -> list[dict]:
    """Plain dicts (JSON/CSV-ready), one per figure, with a stable key order."""
    rows = []
    for f in figs:
        d = asdict(f)
        rows.append({k: d[k] for k in _ROW_FIELDS})
    return rows


def filter_figures(figs: Iterable[Figure], query: str | None = None, doc_id: str | None = None) -> list[Figure]:
    """Figures whose metric/sentence/period/place contain every whitespace-separated query term.

    Both sides go through OpenCC t2s and NFKC, so a Simplified query (技术合同) finds figures in a
    Traditional document (技術合同) and ７月 finds 7月.
    """
    terms = [_t2s(unicodedata.normalize("NFKC", t)).lower() for t in (query or "").split()]
    out = []
    for f in figs:
        if doc_id is not None and f.doc_id != doc_id:
            continue
        if terms:
            hay = _t2s(unicodedata.normalize("NFKC", " ".join([f.metric, f.sentence, f.period or "", f.place or ""]))).lower()
            if not all(t in hay for t in terms):
                continue
        out.append(f)
    return out


def _width(s: str) -> int:
    """Display width in a terminal: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    return str(v)


def format_figures(figs: Iterable[Figure], fmt: Literal["table", "csv", "json", "md"] = "table") -> str:
    """Render figures for a briefing.

    ``table`` is aligned plain text (CJK counted double width) without the sentence, for a
    terminal; ``md`` is a Markdown table with the same columns; ``csv`` and ``json`` carry every
    field, including the sentence, for spreadsheets and other tools.
    """
    rows = figures_to_rows(figs)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=_ROW_FIELDS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r[k] is None else r[k]) for k in _ROW_FIELDS})
        return buf.getvalue()
    if fmt == "md":
        lines = ["| " + " | ".join(_SHORT_FIELDS) + " |", "|" + "---|" * len(_SHORT_FIELDS)]
        for r in rows:
            cells = [_cell(r[k]).replace("|", "\\|").replace("\n", " ") for k in _SHORT_FIELDS]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"
    if fmt == "table":
        table = [_SHORT_FIELDS] + [[_cell(r[k]) for k in _SHORT_FIELDS] for r in rows]
        widths = [max(_width(row[i]) for row in table) for i in range(len(_SHORT_FIELDS))]
        out = []
        for n, row in enumerate(table):
            out.append("  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(row)).rstrip())
            if n == 0:
                out.append("  ".join("-" * w for w in widths))
        return "\n".join(out) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected table, csv, json or md")
