"""Chinese administrative divisions: every province, city, district and county, with English names.

Data: the adcode table shipped in the ``cpca`` package (3,500 divisions: 省/自治区/直辖市, 地级市/州/盟,
区/县/县级市/旗), read once. English (pinyin) names come from ``pypinyin`` (绵阳 → Mianyang), so an
English question about a city outside the corpus is recognised as naming a place instead of silently
losing the word. A question naming 呈贡区 is about a district of 昆明; one naming 绵阳 is not about
any city the corpus covers.

Why not cpca's own matcher: it resolves full addresses into (province, city, district) columns
through pandas; the question side needs the names, their levels and parents, and a fast lookup.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

Level = str  # "province" | "city" | "county"

# The generic suffixes of division names, longest first: 西双版纳傣族自治州 → 西双版纳
_SUFFIXES = sorted(
    "特别行政区 维吾尔自治区 壮族自治区 回族自治区 自治区 自治州 自治县 省 市 州 盟 地区 区 县 旗 林区 矿区 特区 新区".split(),
    key=len, reverse=True,
)
# The 56 nationalities (GB/T 3304), for names such as 西双版纳傣族自治州 → 西双版纳
_NATIONALITIES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 "
    "土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 "
    "鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_ETHNIC = re.compile("(?:" + "|".join(sorted(_NATIONALITIES, key=len, reverse=True)) + ")+族$")
_GENERIC = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Division:
    name: str  # full name, 呈贡区
    short: str  # without its generic suffix, 呈贡
    level: Level
    adcode: str
    parent_city: str | None  # 昆明市 for 呈贡区
    province: str | None  # 云南省

    @property
    def english(self) -> str:
        """The pinyin name: Chenggong, Mianyang (pypinyin; loaded on first use, ~1 s)."""
        return _pinyin(self.short).title()

    @property
    def city_short(self) -> str | None:
        return short_name(self.parent_city) if self.parent_city else (self.short if self.level == "city" else None)


def short_name(name: str) -> str:
    """呈贡区 → 呈贡, 西双版纳傣族自治州 → 西双版纳, 内蒙古自治区 → 内蒙古 (at least two characters kept)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            base = name[: -len(suffix)]
            if suffix.startswith("自治") or suffix.endswith("自治区"):
                stripped = base
                while True:  # 玉龙纳西族 → 玉龙; 双江拉祜族佤族布朗族傣族 → 双江
                    shorter = _ETHNIC.sub("", stripped)
                    if shorter == stripped or len(shorter) < 2:
                        break
                    stripped = shorter
                base = stripped
            return base
    return name


def package_dir(name: str) -> Path:
    """A data package's folder, found without importing it (cpca's __init__ imports pandas: ~1 s)."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the package {name!r} is not installed (pip install {name})")
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=8192)
def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).replace("ü", "v")


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """All divisions of the cpca table (read once; ~30 ms)."""
    raw = (package_dir("cpca") / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    rows = {r["adcode"][:6]: r["name"] for r in csv.DictReader(io.StringIO(raw))}
    out: list[Division] = []
    for code, name in rows.items():
        if code.endswith("0000"):
            level, city, prov = "province", None, None
        elif code.endswith("00"):
            level, city, prov = "city", None, rows.get(code[:2] + "0000")
        else:
            level = "county"
            city = rows.get(code[:4] + "00")
            prov = rows.get(code[:2] + "0000")
            if city is None or city in _GENERIC:
                city = prov if prov in ("北京市", "天津市", "上海市", "重庆市") else None
        if name in _GENERIC:
            continue
        out.append(Division(name, short_name(name), level, code, city, prov))
    return tuple(out)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[Division]]:
    index: dict[str, list[Division]] = {}
    for d in divisions():
        for key in {d.name, d.short}:
            index.setdefault(key, []).append(d)
    return index


@lru_cache(maxsize=1)
def _by_english() -> dict[str, list[Division]]:
    index: dict[str, list[Division]] = {}
    for d in divisions():
        if d.level in ("province", "city") or len(d.short) >= 2:
            index.setdefault(d.english.lower(), []).append(d)
    return index


def lookup(name: str) -> list[Division]:
    """Divisions with this full or short name (several counties share a name: 安宁市 / 安宁区)."""
    return list(_by_name().get(name, []))


def lookup_english(word: str) -> list[Division]:
    """Divisions whose pinyin name is ``word`` (Mianyang, Chenggong), provinces and cities first."""
    found = _by_english().get(re.sub(r"[\s'’-]", "", word.lower()), [])
    order = {"province": 0, "city": 1, "county": 2}
    return sorted(found, key=lambda d: order[d.level])


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@lru_cache(maxsize=1)
def _names_by_length() -> dict[int, frozenset[str]]:
    out: dict[int, set[str]] = {}
    for key in _by_name():
        out.setdefault(len(key), set()).add(key)
    return {n: frozenset(v) for n, v in out.items()}


def find_places(text: str, common_words: frozenset[str] = frozenset()) -> list[tuple[str, Division]]:
    """Division names in Chinese text, longest match first, as (as written, division).

    A short name that is also an everyday word (``common_words``: 城市 is not a place) only counts
    with its suffix written (新城区, not 新城).
    """
    found: list[tuple[str, Division]] = []
    lengths = sorted(_names_by_length(), reverse=True)
    names = _names_by_length()
    for run in _CJK_RUN.finditer(text):
        s = run.group(0)
        i = 0
        while i < len(s):
            for n in lengths:
                piece = s[i : i + n]
                if len(piece) == n and piece in names[n]:
                    cands = lookup(piece)
                    full = [d for d in cands if d.name == piece]
                    # a short name counts alone only for provinces and cities (昆明, 绵阳): county short
                    # names are often everyday words (和平, 城关, 新华), so they need their suffix
                    upper = [d for d in cands if d.level in ("province", "city")]
                    if not full and (piece in common_words or not upper):
                        continue
                    cands = full or upper
                    found.append((piece, cands[0]))
                    i += n - 1
                    break
            i += 1
    return found
