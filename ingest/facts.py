"""Text facts: the one place that reads quantities, qualifiers, periods (with their year) and places.

Used at ingest (the figures table, per-chunk features) and on every question (analysis, answerability,
the figure guard, the headline), so a number, a bound or a period means the same thing everywhere.

* :func:`quantities`: numbers with units and their qualifier kept exactly as written — 不超过300万元 is
  an upper bound, not "about 300"; 100余次 is "more than 100"; 百分之五十 is 50 %; 三倍, 五年 and
  第三次 (an ordinal) are quantities of their own kind. Currencies (元, 美元, 欧元, …) keep their unit.
* :func:`period_keys` / :func:`periods`: canonical period keys (``M1-8``, ``Q1``, ``H1``, ``FY``, …) and
  the year each refers to, resolved against the document's date (今年, 上年度, "2023年度工作回顾").
* :func:`places` (in :mod:`ingest.divisions`): Chinese administrative divisions from the ``cpca``
  package's adcode table, with English (pinyin) names from ``pypinyin``.

Why hand-written patterns here: no maintained library parses Chinese statistical prose into
(number, unit, qualifier, period); ``cn2an`` does the numerals, the patterns below do the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ingest.normalize import nfkc

Bound = Literal["exact", "approx", "at_most", "at_least", "more_than", "less_than"]
Kind = Literal["money", "percent", "count", "multiple", "duration", "measure", "ordinal", "number"]

# --- units ------------------------------------------------------------------------------------

_CURRENCIES = ["万亿元", "亿元", "万元", "千元", "元", "美元", "欧元", "英镑", "日元", "港元", "港币", "人民币", "澳元", "卢布"]
_PERCENT = ["个百分点", "百分点", "%", "‰", "成"]  # 九成: nine tenths, 90 %
_MULTIPLE = ["倍"]
_DURATION = ["个工作日", "工作日", "个月", "年", "日", "天", "周", "小时", "分钟"]
_MEASURE = ["平方公里", "平方千米", "平方米", "立方米", "公里", "千米", "厘米", "毫米", "米", "公分", "英尺", "英里", "海里",
            "公顷", "亩", "吨", "公斤", "千克", "克", "英寸", "英亩", "码", "磅", "盎司", "加仑", "千瓦时", "千瓦", "兆瓦", "瓦", "伏", "度", "周岁", "岁", "GB", "TB", "MB"]
_COUNT = [
    "人次", "家次", "项次", "场次", "批次", "件次", "户次",
    "家", "项", "个", "所", "批", "次", "人", "名", "位", "场", "件", "篇", "台", "套", "条", "种", "类",
    "支", "座", "处", "份", "户", "届", "轮", "期", "例", "株", "张", "部", "间", "款", "枚", "本", "册",
    "艘", "架", "辆", "头", "只", "匹", "颗", "棵", "栋", "幢", "首", "集", "层", "粒", "尾",
]
_UNIT_KIND: dict[str, Kind] = {}
for _kind, _units in (("money", _CURRENCIES), ("percent", _PERCENT), ("multiple", _MULTIPLE),
                      ("duration", _DURATION), ("measure", _MEASURE), ("count", _COUNT)):
    for _u in _units:
        _UNIT_KIND.setdefault(_u, _kind)  # type: ignore[arg-type]
_UNITS = sorted(_UNIT_KIND, key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)

_MAGNITUDE = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
_MAG_RE = "万亿|千万|百万|亿|万|千"
_CN_DIGIT = "零〇一二两三四五六七八九十百千"
_CN_NUM = rf"[{_CN_DIGIT}]+(?:点[{_CN_DIGIT}]+)?"
_AR_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"

# qualifiers, longest first; what each says about the true value relative to the number
_PREFIX_QUALIFIERS: list[tuple[str, Bound]] = [
    ("不超过", "at_most"), ("不高于", "at_most"), ("不多于", "at_most"), ("不大于", "at_most"), ("最高不超过", "at_most"),
    ("最高", "at_most"), ("最多", "at_most"), ("至多", "at_most"), ("上限为", "at_most"), ("以内", "at_most"),
    ("不低于", "at_least"), ("不少于", "at_least"), ("不小于", "at_least"), ("至少", "at_least"), ("最低", "at_least"),
    ("最少", "at_least"), ("满", "at_least"),
    ("超过", "more_than"), ("高于", "more_than"), ("多于", "more_than"), ("逾", "more_than"), ("超", "more_than"),
    ("不足", "less_than"), ("不满", "less_than"), ("低于", "less_than"), ("少于", "less_than"), ("未满", "less_than"), ("不到", "less_than"),
    ("大约", "approx"), ("约", "approx"), ("将近", "approx"), ("接近", "approx"), ("近", "approx"), ("大概", "approx"),
]
_PREFIX_QUALIFIERS.sort(key=lambda q: len(q[0]), reverse=True)
_SUFFIX_QUALIFIERS: list[tuple[str, Bound]] = [
    ("以上", "at_least"), ("及以上", "at_least"), ("以下", "at_most"), ("及以下", "at_most"), ("以内", "at_most"),
    ("左右", "approx"), ("上下", "approx"), ("有余", "more_than"),
]
_SUFFIX_QUALIFIERS.sort(key=lambda q: len(q[0]), reverse=True)
_PREFIX_RE = "|".join(re.escape(q) for q, _ in _PREFIX_QUALIFIERS)
_SUFFIX_RE = "|".join(re.escape(q) for q, _ in _SUFFIX_QUALIFIERS)

_QUANTITY_RE = re.compile(
    rf"(?P<pre>{_PREFIX_RE})?"
    rf"(?P<pct>百分之)?"
    rf"(?P<num>{_AR_NUM}|{_CN_NUM})"
    rf"(?P<infix>余|多)?"
    rf"(?P<mag>{_MAG_RE})?"
    rf"(?P<infix2>余|多)?"
    rf"(?P<unit>{_UNIT_RE})?"
    rf"(?P<suf>{_SUFFIX_RE})?"
)
# 三分之二以上, 千分之三: a fraction, compared as a percentage (百分之 is the main pattern's)
_FRACTION_RE = re.compile(
    rf"(?P<pre>{_PREFIX_RE})?(?P<den>\d+|[{_CN_DIGIT}]+)分之(?P<num>{_AR_NUM}|{_CN_NUM})(?P<suf>{_SUFFIX_RE})?"
)
_MONTH_AFTER = re.compile(r"\s*(?:[正一二三四五六七八九十冬腊]{1,2}月|\d{1,2}\s*月|春|夏|秋|冬)")
# 半年, 一年半, 两个半小时: a half, in a duration
_HALF_RE = re.compile(
    rf"(?P<pre>{_PREFIX_RE})?(?:(?P<num>\d+|[{_CN_DIGIT}]+)(?:(?P<unit1>年|天|小时)半|个半(?P<unit2>月|小时))"
    rf"|(?<![上下前后])半(?P<unit3>个月|年|天|个小时|小时))(?P<suf>{_SUFFIX_RE})?"
)
_ORDINAL_RE = re.compile(rf"第(?P<num>\d+|[{_CN_DIGIT}]+)(?P<unit>次|批|届|期|轮|个|项|名|位|季度|条|章|节|款|代|任|版|号|大)?")
_EN_CURRENCY = re.compile(r"(?P<cur>US\$|\$|€|£|¥|RMB|USD|EUR|CNY)\s*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<mag>million|billion|thousand|k|m|bn)?", re.I)
_EN_MAG = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}


@dataclass(frozen=True)
class Quantity:
    """One quantity as written in the text.

    ``text`` is the whole expression with its qualifier (不超过300万元); ``number`` the numeral as a
    float (300); ``value`` scaled by the magnitude (3e6); ``unit`` the unit with its magnitude as
    written (万元); ``bound`` what the qualifier says (``at_most``); ``kind`` the unit's kind.
    """

    text: str
    number: float
    value: float
    unit: str
    qualifier: str
    bound: Bound
    kind: Kind
    start: int
    end: int

    @property
    def value_text(self) -> str:
        """The number and unit without the qualifier (300万元)."""
        q = self.qualifier
        t = self.text
        if q and t.startswith(q):
            return t[len(q):]
        if q and t.endswith(q):
            return t[: -len(q)]
        return t.replace("余", "").replace("多", "") if q in ("余", "多") else t


def cn_number(text: str) -> float | None:
    """A Chinese or Arabic numeral as a float (一百二十二点七八 → 122.78, 7,936 → 7936)."""
    t = text.replace(",", "")
    try:
        return float(t)
    except ValueError:
        pass
    import cn2an

    try:
        return float(cn2an.cn2an(t, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _qualifier_bound(word: str, table: list[tuple[str, Bound]]) -> Bound:
    return next(b for q, b in table if q == word)


def _qualifier(m: re.Match[str]) -> tuple[str, Bound]:
    """The qualifier a quantity match carries and the bound it says: its prefix (不超过) wins over an
    infix (100余次) and a suffix (以上): 不低于50%以上 is rare, and the prefix is the stronger wording."""
    groups = m.groupdict()
    if groups.get("pre"):
        return groups["pre"], _qualifier_bound(groups["pre"], _PREFIX_QUALIFIERS)
    if infix := groups.get("infix") or groups.get("infix2"):
        return infix, "more_than"
    if groups.get("suf"):
        return groups["suf"], _qualifier_bound(groups["suf"], _SUFFIX_QUALIFIERS)
    return "", "exact"


def quantities(text: str, with_bare: bool = False) -> list[Quantity]:
    """Quantities in ``text`` (any script: matched on the Simplified NFKC form, offsets into it).

    A quantity needs a unit, a magnitude, a percentage or an explicit qualifier; a bare number
    (a year, a code) is not one unless ``with_bare``. Years (2024年) and dates (8月6日) are not
    quantities; a single Chinese digit with a count unit is (两场, 三家), but 一 alone is not (一个新的阶段).
    """
    t = _simplified(text)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _QUANTITY_RE.finditer(t):
        num = m.group("num")
        unit = m.group("unit") or ""
        mag = m.group("mag") or ""
        pct = bool(m.group("pct"))
        is_cn = not num[0].isdigit()
        start, end = m.start(), m.end()
        if _is_date_or_year(t, m.start("num"), m.end("num"), unit, mag):
            continue
        prev = t[m.start("num") - 1] if m.start("num") > 0 and not m.group("pre") and not pct else ""
        if prev and (prev.isdigit() or prev in ".-/第" or (prev.isascii() and prev.isalpha())):
            continue
        if not m.group("pre") and not pct and t[max(0, m.start("num") - 1) : m.start("num")] in ("哪", "几"):
            continue  # 哪一年, 哪三处: a question about which ones, not a count of them
        if unit == "年" and t[end : end + 1] == "代":
            continue  # 50年代, 八十年代: a decade, not fifty years
        if is_cn:
            if not pct and not unit:
                continue
            if num in ("一", "十", "百", "千") and not pct and _UNIT_KIND.get(unit) not in ("duration", "money"):
                continue  # 一个, 百家: words, not counts
            if num == "一" and unit in ("个", "项", "种", "批") :
                continue
        if unit in ("年",) and not is_cn and not m.group("pre") and not m.group("suf"):
            # 2024年 and 394年 are years, and so is 5年 after an era name (民国5年); otherwise a one- or
            # two-digit count of years is a duration (试了5年, 满3年, 3年内)
            era = re.search(r"(?:民国|昭和|平成|明治|大正|令和|公元前?|西元前?|[\u4e00-\u9fff]{2}(?:元年|年间))$", t[max(0, m.start("num") - 4) : m.start("num")])
            if len(num) >= 4 or era or (len(num) == 3 and not re.match(r"[内以来后期]", t[end : end + 1] or " ")):
                continue
        if unit == "日" and not m.group("pre") and re.search(r"(?:月|初)$", t[max(0, m.start("num") - 3) : m.start("num")]):
            continue  # 8月6日, 四月初六日: a day of the month
        if unit == "年" and not m.group("pre") and not m.group("suf") and (_MONTH_AFTER.match(t, end) or (is_cn and _era_before(t, m.start("num")))):
            continue  # 隆武三年七月, 承久3年5月, 永历十五年: a year of an era (the month after it, or the era's name before)
        if not (unit or mag or pct or m.group("pre") or m.group("suf") or with_bare):
            continue
        if m.group("pre") and not (unit or mag or pct) and not with_bare:
            continue
        number = cn_number(num)
        if number is None:
            continue
        if unit == "成" and (number > 10 or _word_at(t, end - 1)):
            continue  # 三成员, 五成立: 成 begins a word (成员); 十五成 is no share of tenths
        qualifier, bound = _qualifier(m)
        kind: Kind = "percent" if pct else _UNIT_KIND.get(unit, "number") if unit else ("money" if mag and False else "number")
        scale = _MAGNITUDE.get(mag, 1.0)
        for u, s in _MAGNITUDE.items():
            if unit.startswith(u) and not mag:
                scale = s
        if unit == "成":
            scale = 10.0  # tenths, compared as a percentage (九成 ~ 90%)
            if not m.group("suf") and (tenth := t[end : end + 1]) and tenth in "一二三四五六七八九":
                number, end = number + (cn_number(tenth) or 0) / 10, end + 1  # 三成五: 35 %
        written_unit = ("%" if pct else "") + mag + unit
        out.append(Quantity(t[start:end], number, round(number * scale, 6), written_unit, qualifier, bound, kind, start, end))
        taken.append((start, end))
    for m in _HALF_RE.finditer(t):
        whole = cn_number(m.group("num")) if m.group("num") else 0.0
        if whole is None:
            continue
        # the whole number's own reading (一年 of 一年半, 两个 of 两个半小时) gives way to the longer one
        out = [q for q in out if not (m.start() <= q.start < m.end())]
        taken = [(a, b) for a, b in taken if not (m.start() <= a < m.end())]
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        unit = m.group("unit1") or m.group("unit2") or m.group("unit3")
        unit = "个月" if unit.endswith("月") else unit.lstrip("个")
        qualifier, bound = _qualifier(m)
        out.append(Quantity(m.group(0), whole + 0.5, whole + 0.5, unit, qualifier, bound, "duration", m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _FRACTION_RE.finditer(t):
        if m.group("den") == "百" or any(a < m.end() and m.start() < b for a, b in taken):
            continue
        den, number = cn_number("一千" if m.group("den") == "千" else m.group("den")), cn_number(m.group("num"))
        if not den or number is None or number > den:
            continue
        qualifier, bound = _qualifier(m)
        out.append(Quantity(m.group(0), number, round(100 * number / den, 6), f"{m.group('den')}分之", qualifier, bound, "percent", m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _EN_CURRENCY.finditer(t):
        number = cn_number(m.group("num"))
        if number is None or any(a <= m.start() < b for a, b in taken):
            continue
        scale = _EN_MAG.get((m.group("mag") or "").lower(), 1.0)
        out.append(Quantity(m.group(0), number, number * scale, m.group("cur"), "", "exact", "money", m.start(), m.end()))
    out.sort(key=lambda q: q.start)
    return out


def _word_at(text: str, i: int) -> bool:
    """Whether the character at ``i`` begins a two-character dictionary word with the next one (成员,
    成立: jieba's dictionary), so that it is not a unit standing on its own."""
    from ingest.keyword import word_frequency

    return i + 2 <= len(text) and word_frequency(text[i : i + 2]) > 0


def _era_before(text: str, i: int) -> bool:
    """Whether the word ending at ``i`` is a proper name jieba knows (隆武/nr, 永历/nz, 康熙/nrfg): the
    era a Chinese-numeral year counts in (隆武四年), where a verb or adverb (历时, 长达, 连续) makes a span."""
    return _ends_with_name(text[max(0, i - 4) : i])


@lru_cache(maxsize=4096)
def _ends_with_name(text: str) -> bool:
    import jieba.posseg as pseg

    words = pseg.lcut(text)
    return bool(words) and len(words[-1].word) >= 2 and words[-1].flag in ("nr", "nrfg", "nz")


def ordinals(text: str) -> list[tuple[str, int]]:
    """Ordinals (第三次, 第二批, 第45条) as (as written, the number)."""
    t = _simplified(text)
    found: list[tuple[str, int]] = []
    for m in _ORDINAL_RE.finditer(t):
        n = cn_number(m.group("num"))
        if n is not None and m.group("unit"):
            found.append((m.group(0), int(n)))
    return found


def _is_date_or_year(t: str, ns: int, ne: int, unit: str, mag: str) -> bool:
    num = t[ns:ne]
    after = t[ne : ne + 2]
    if re.fullmatch(r"(19|20)\d\d", num) and (unit in ("", "年") or after.startswith("年")) and not mag:
        return True
    if unit in ("", "日") and after[:1] in ("月",):
        return True
    if re.match(r"\d{1,2}", num) and after[:1] == "月":
        return True
    return False


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The form these patterns read (NFKC, Simplified): a :class:`Quantity`'s offsets index it."""
    return _simplified(text)


@lru_cache(maxsize=8192)
def _simplified(text: str) -> str:
    """NFKC + Traditional → Simplified, offset-preserving for what these patterns match."""
    t = nfkc(text)
    s = _t2s().convert(t)
    return s if len(s) == len(t) else t


def has_quantity(text: str) -> bool:
    """A counted figure (706家, 122.78亿元, 100余次, 不超过300万元), not a date or a code."""
    return bool(quantities(text))


def same_value(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities name the same amount, whatever their bounds: same scaled value, same
    kind (七十年 and 约70年)."""
    return abs(a.value - b.value) <= 1e-6 * max(1.0, abs(a.value)) and (a.kind == b.kind or "number" in (a.kind, b.kind))


def same_figure(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities state the same figure: same scaled value, same bound, same kind."""
    return same_value(a, b) and a.bound == b.bound


# --- periods ------------------------------------------------------------------------------------------

_CN_MONTH = "一二三四五六七八九十"


def arabic_months(text: str) -> str:
    """一至八月 → 1至8月, 前八个月 → 前8个月, 三季度 → 3季度: periods compare digit to digit."""

    def repl(m: re.Match[str]) -> str:
        value = cn_number(m.group(1))
        return f"{int(value)}{m.group(2)}" if value is not None else m.group(0)

    return re.sub(rf"([{_CN_MONTH}]{{1,3}})(月|个月|季度|至|到)", repl, text)


_EN_ORD = {"first": "1", "second": "2", "third": "3", "fourth": "4", "1st": "1", "2nd": "2", "3rd": "3", "4th": "4"}
_EN_NUM = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
           "ten": "10", "eleven": "11", "twelve": "12"}
_MONTH_NAMES = "january february march april may june july august september october november december".split()

# canonical keys: every wording of one period maps to one key
_PERIOD_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{1,2})\s*月?\s*(?:份)?\s*(?:至|到|-|~|—|–|－)\s*(\d{1,2})\s*月"), "M{0}-{1}"),
    (re.compile(r"前\s*(\d{1,2})\s*个?月"), "M1-{0}"),
    (re.compile(r"截[至止]\s*(\d{1,2})\s*月\s*(?:底|末)"), "M1-{0}"),
    (re.compile(r"前\s*([1-4])\s*(?:个)?季度"), "M1-{0}x3"),
    (re.compile(r"第?([1-4])\s*季度"), "Q{0}"),
    (re.compile(r"上半年|first half|\bh1\b"), "H1"),
    (re.compile(r"下半年|second half|\bh2\b"), "H2"),
    (re.compile(r"全年|全年度|整年|full year|whole year|for the year"), "FY"),
    (re.compile(r"年底|年末|year-end|end of the year|end of year|end of (?:19|20)\d\d"), "YE"),
    (re.compile(r"今年以来|年初以来|年初至今|so far this year|since the start of the year|year to date"), "YTD"),
    (re.compile(r"截至目前|截至今|目前|至今|现在|当前|现有|so far|to date|currently|\bnow\b"), "TODATE"),
]
_QUARTER_MONTHS = {"Q1": "M1-3", "Q2": "M4-6", "Q3": "M7-9", "Q4": "M10-12", "H1": "M1-6", "H2": "M7-12", "FY": "M1-12"}


def _english_periods(t: str) -> str:
    for i, name in enumerate(_MONTH_NAMES, 1):
        t = re.sub(rf"\b{name}\b", f"{i}月", t)
    t = re.sub(r"(\d{1,2})月\s*(?:and|to|through|until|till|-)\s*(\d{1,2})月", r"\1月至\2月", t)
    t = re.sub(r"first\s+(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months",
               lambda m: f"前{_EN_NUM.get(m.group(1), m.group(1))}个月", t)
    t = re.sub(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter", lambda m: f"第{_EN_ORD[m.group(1)]}季度", t)
    t = re.sub(r"\bq([1-4])\b", r"第\1季度", t)
    return t


def period_keys(text: str) -> set[str]:
    """Periods named in ``text``, as canonical keys (``M1-8``, ``Q1``, ``H1``, ``FY``, ``YTD``, …).

    A quarter or half also yields its month range (一季度 → Q1 and M1-3), so 1至3月 and 一季度 meet.
    """
    t = arabic_months(_simplified(text).lower())
    t = _english_periods(t)
    keys: set[str] = set()
    for pattern, template in _PERIOD_PATTERNS:
        for m in pattern.finditer(t):
            key = template.format(*m.groups())
            if key.endswith("x3"):
                key = f"M1-{int(key[3:-2]) * 3}"
            keys.add(key)
    for k in list(keys):
        if k in _QUARTER_MONTHS:
            keys.add(_QUARTER_MONTHS[k])
    inverse = {v: k for k, v in _QUARTER_MONTHS.items()}
    for k in list(keys):
        if k in inverse:
            keys.add(inverse[k])
    return keys


def strip_periods(text: str) -> str:
    """``text`` with its period and year expressions blanked (subject words are what remains)."""
    t = _english_periods(arabic_months(text))
    for pattern, _ in _PERIOD_PATTERNS:
        t = pattern.sub(" ", t)
    t = re.sub(r"(?<!\d)(?:19|20)\d{2}\s*年度?|(?<![a-z])(?:this|last|next|previous) year\b|\b(?:19|20)\d{2}\b", " ", t)
    t = re.sub(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b", " ", t)
    return t


PERIOD_NAMES_ZH = {"H1": "上半年", "H2": "下半年", "Q1": "一季度", "Q2": "二季度", "Q3": "三季度", "Q4": "四季度",
                   "FY": "全年", "YE": "年底", "YTD": "年初以来", "TODATE": "截至目前"}
PERIOD_NAMES_EN = {"H1": "the first half", "H2": "the second half", "Q1": "the first quarter", "Q2": "the second quarter",
                   "Q3": "the third quarter", "Q4": "the fourth quarter", "FY": "the full year", "YE": "the year end",
                   "YTD": "the year to date", "TODATE": "to date"}


def display_periods(keys: set[str]) -> list[str]:
    """The keys worth naming: 一季度 rather than both 一季度 and 1月至3月."""
    named = {_QUARTER_MONTHS[k] for k in keys if k in _QUARTER_MONTHS}
    return sorted(k for k in keys if k not in named)


def period_name(key: str, year: str | None = None, english: bool = False) -> str:
    """A period key as words, with its year when known (2024年1月至8月, January–August 2024)."""
    if key.startswith("M") and "-" in key:
        a, b = key[1:].split("-")
        if english:
            name = f"{_MONTH_NAMES[int(a) - 1].title()}–{_MONTH_NAMES[int(b) - 1].title()}"
            return f"{name} {year}" if year else name
        name = f"{a}月至{b}月"
    else:
        name = (PERIOD_NAMES_EN if english else PERIOD_NAMES_ZH).get(key, key)
        if english:
            return f"{name} of {year}" if year else name
    return f"{year}年{name}" if year else name


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*年|(?!\d))")
_REL_YEAR = {"今年": 0, "本年": 0, "本年度": 0, "当年": 0, "this year": 0, "去年": -1, "上年": -1, "上年度": -1,
             "上一年": -1, "last year": -1, "previous year": -1, "前年": -2, "明年": 1, "next year": 1}
_REL_YEAR_RE = re.compile("|".join(sorted(map(re.escape, _REL_YEAR), key=len, reverse=True)))


_RELATIVE_BEFORE = re.compile(r"(?:近|前|过去|最近|上|头|后|未来|今后|这|那|本)$")


def is_period_span(text: str, q: Quantity) -> bool:
    """Whether a duration in ``text`` is part of a period expression (前八个月, 上一年度, 近三年,
    过去五年): a span anchored to the text's own time, read by the period and year checks, not an
    amount of time a passage must repeat. ``q`` comes from ``quantities(text)``."""
    if q.kind != "duration":
        return False
    if q.qualifier == "近" and q.unit in ("年", "个月", "天", "日", "周"):
        return True  # 近三年: the last three years, not "nearly three years"
    t = _simplified(text)
    if period_keys(t[max(0, q.start - 2) : q.end + 1]) or _RELATIVE_BEFORE.search(t[max(0, q.start - 2) : q.start]):
        return True
    if t[q.end : q.end + 1] == "度":
        return True  # 一年度
    return any(m.start() < q.end and q.start < m.end() for m in _REL_YEAR_RE.finditer(t))


def years(text: str) -> set[str]:
    """Years written as numbers (2024年, 2024)."""
    return set(_YEAR.findall(_simplified(text)))


def resolved_years(text: str, doc_year: int | None = None) -> set[str]:
    """Years named in ``text``, relative ones (今年, 去年, last year) resolved against ``doc_year``."""
    t = _simplified(text).lower()
    found = years(t)
    if doc_year:
        for m in _REL_YEAR_RE.finditer(t):
            found.add(str(doc_year + _REL_YEAR[m.group(0)]))
    return found


def context_year(text: str, doc_date: str | None) -> int | None:
    """The year a document reports on: a "2023年度工作回顾"/"2023年工作总结" title or heading wins over the
    publication date (a review published in February 2024 reports 2023); else the date's year."""
    m = re.search(r"((?:19|20)\d{2})\s*年度?(?:工作)?(?:回顾|总结|综述|报告|年报|统计公报|情况)", _simplified(text)[:400])
    if m:
        return int(m.group(1))
    if doc_date and re.match(r"\d{4}", doc_date):
        return int(doc_date[:4])
    return None


@dataclass(frozen=True)
class Period:
    key: str
    year: str | None
    text: str


def sentence_periods(sentence: str, doc_year: int | None) -> list[Period]:
    """Periods of one sentence with the year each refers to: the year written just before it
    (2024年1至8月), else a relative year of the sentence (今年, 去年), else the document's year."""
    t = arabic_months(_simplified(sentence))
    out: list[Period] = []
    keys = period_keys(t)
    written = sorted(years(t))
    rel = resolved_years(t, doc_year) - set(written)
    year = written[0] if len(written) == 1 else (next(iter(rel)) if len(rel) == 1 else (str(doc_year) if doc_year else None))
    for k in sorted(keys):
        out.append(Period(k, year if k != "TODATE" else None, period_name(k, year if k != "TODATE" else None)))
    return out


# --- relative time ("now", "this year") -----------------------------------------------------------------

RelativeKind = Literal["now", "year"]


def relative_time_spans(text: str) -> list[tuple[int, int, RelativeKind, int]]:
    """Where ``text`` speaks relative to its own date: (start, end, kind, year offset).

    ``now``: 截至目前, 目前, 当前, 至今, 今年以来, so far this year … (the TODATE and YTD periods above);
    ``year``: 今年, 去年, 上年度, last year … (offset -1 for 去年). Offsets index ``text`` itself (any
    script); where two matches overlap the one ending last wins (截至今年 is 今年, 今年以来 is one span).
    """
    t = _simplified(text).lower()
    if len(t) != len(text):  # NFKC changed the length: match the text as given (offsets must hold)
        t = text.lower()
    found: list[tuple[int, int, RelativeKind, int]] = []
    for pattern, key in _PERIOD_PATTERNS:
        if key in ("TODATE", "YTD"):
            found += [(m.start(), m.end(), "now", 0) for m in pattern.finditer(t) if m.end() > m.start()]
    found += [(m.start(), m.end(), "year", _REL_YEAR[m.group(0)]) for m in _REL_YEAR_RE.finditer(t)]
    found.sort(key=lambda s: (-s[1], s[0]))
    taken: list[tuple[int, int, RelativeKind, int]] = []
    for s in found:
        if all(s[1] <= a or s[0] >= b for a, b, _, _ in taken):
            taken.append(s)
    return sorted(taken)
