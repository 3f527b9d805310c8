"""Figure extraction on the shipped Kunming report, against a hand-made gold list.

The gold list was made by reading corpus/kunming-sti-2024-09-23.txt sentence by sentence.

IN (29 figures):
* every Arabic-digit quantity with a unit in the body, including list items
  (29所高校、16家科研院所、… one figure each), both "3個項目" (different metrics), both halves of
  "新增云南實驗室1家,總數達6家" and both numbers of "3批共32個國際科技合作基地";
* 兩場 (…大規模會議): a Chinese-numeral count with a classifier is still a count of events.

OUT (names, dates and metadata, not figures):
* dates 8月6日 / 8月24日 / 5月16日 and the header date 2024-09-23; years 2024年度…會議,
  2024騰沖科學家論壇, 省級2024年…計劃, 2025年重點領域 (years inside names/modifiers);
* page metadata "瀏覽:77";
* ordinals 第一批, 首屆, 第一資源;
* names and slogans: “七大工程”, “七大攻堅”, “3815”戰略, “六個春城”, “三上門”, 三鏈融合,
  "一個聚焦 … 五個關鍵" (a policy formula, not a statistic).

Period is the nearest period phrase before the figure *in its sentence* (so 11項/31個/50.14億元
and the resource-library list have none: their period is only in earlier sentences).  新增云南
實驗室1家 gets 上半年, not 截至目前: a "new" count belongs to the interval, not to the stock date.
Place: 全市 is resolved to 昆明 (the city named in the title).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.figures import Figure, extract_figures, figures_to_rows, filter_figures, format_figures

DOC = Path(__file__).resolve().parents[2] / "corpus" / "kunming-sti-2024-09-23.txt"
DOC_ID = "kunming-sti-2024-09-23"
DATE = "2024-09-23"

# (value, unit, period, metric keyword, approx, place)
GOLD: list[tuple[str, str, str | None, str, bool, str | None]] = [
    ("兩", "場", "近期", "會議", False, "昆明"),
    ("706", "家", "1月至8月", "高新技術企業", False, "昆明"),
    ("7936", "項", "1月至8月", "技術合同", False, "昆明"),
    ("122.78", "億元", "1月至8月", "技術合同成交額", False, "昆明"),
    ("5", "個", "1月至7月", "小分隊", False, None),
    ("100", "次", "1月至7月", "上門服務", True, None),
    ("900", "人次", "1月至7月", "培訓", True, None),
    ("29", "所", None, "高校", False, "昆明"),
    ("16", "家", None, "科研院所", False, "昆明"),
    ("62", "家", None, "企業", False, "昆明"),
    ("156", "個", None, "國家級科技創新平臺", False, "昆明"),
    ("297", "個", None, "省級科技創新平臺", False, "昆明"),
    ("198", "個", None, "優秀人才團隊", False, "昆明"),
    ("3", "個", "今年以來", "生物醫藥", False, None),
    ("3", "個", "今年以來", "高原特色農業", False, None),
    ("71", "個", None, "推薦項目", False, None),
    ("8", "家", "截至目前", "國家重點實驗室", False, "昆明"),
    ("1", "家", "上半年", "新增云南實驗室", False, "昆明"),
    ("6", "家", "截至目前", "云南實驗室總數", False, "昆明"),
    ("80", "項", "上年度", "專利", False, None),
    ("9", "項", "上年度", "技術標準", False, None),
    ("25", "項", "上年度", "新產品", False, None),
    ("1.1", "億元", "上年度", "研發投入", False, None),
    ("27", "項", "上年度", "科技成果", False, None),
    ("11", "項", None, "春城計劃", False, "昆明"),
    ("31", "個", None, "新產品批件", False, "昆明"),
    ("50.14", "億元", None, "經濟效益", False, "昆明"),
    ("3", "批", "截至目前", "國際科技合作基地", False, "昆明"),
    ("32", "個", "截至目前", "國際科技合作基地", False, "昆明"),
]


@pytest.fixture(scope="module")
def figs() -> list[Figure]:
    return extract_figures(DOC.read_text(encoding="utf-8"), DOC_ID, DATE)


def _pr(pred: Counter, gold: Counter) -> tuple[float, float]:
    tp = sum((pred & gold).values())
    return tp / max(1, sum(pred.values())), tp / max(1, sum(gold.values()))


def _match(figs: list[Figure]) -> list[tuple[tuple, Figure | None]]:
    """Pair each gold row with the extracted figure of the same (value, unit, period), in order."""
    pool = list(figs)
    pairs = []
    for g in GOLD:
        hit = next((f for f in pool if (f.value, f.unit, f.period) == g[:3]), None)
        if hit is not None:
            pool.remove(hit)
        pairs.append((g, hit))
    return pairs


def test_precision_recall_against_gold(figs: list[Figure]) -> None:
    p_vu, r_vu = _pr(Counter((f.value, f.unit) for f in figs), Counter(g[:2] for g in GOLD))
    p, r = _pr(Counter((f.value, f.unit, f.period) for f in figs), Counter(g[:3] for g in GOLD))
    pairs = [(g, f) for g, f in _match(figs) if f is not None]
    metric_acc = sum(g[3] in f.metric for g, f in pairs) / len(pairs)
    approx_acc = sum(g[4] == f.approx for g, f in pairs) / len(pairs)
    place_acc = sum(g[5] == f.place for g, f in pairs) / len(pairs)
    print(
        f"\nfigures: extracted={len(figs)} gold={len(GOLD)}\n"
        f"(value,unit)        P={p_vu:.3f} R={r_vu:.3f}\n"
        f"(value,unit,period) P={p:.3f} R={r:.3f}\n"
        f"metric keyword acc={metric_acc:.3f} approx acc={approx_acc:.3f} place acc={place_acc:.3f}"
    )
    for g, f in _match(figs):
        if f is None or g[3] not in f.metric:
            print("  miss:", g, "->", f and f.metric)
    assert p >= 0.95 and r >= 0.95
    assert p_vu >= 0.95 and r_vu >= 0.95
    assert metric_acc >= 0.95
    assert approx_acc == 1.0
    assert place_acc >= 0.9


def test_specific_figures(figs: list[Figure]) -> None:
    deal = [f for f in figs if f.value == "122.78"]
    assert len(deal) == 1
    d = deal[0]
    assert (d.unit, d.period, d.approx, d.number) == ("億元", "1月至8月", False, 122.78)
    assert "成交額" in d.metric and "技術合同" in d.metric
    assert d.place == "昆明" and d.doc_id == DOC_ID and d.date == DATE
    assert d.sentence.startswith("1月至8月") and d.sentence.endswith("。")

    visits = [f for f in figs if f.value == "100"]
    assert len(visits) == 1
    v = visits[0]
    assert (v.unit, v.approx, v.period, v.number) == ("次", True, "1月至7月", 100.0)

    people = next(f for f in figs if f.unit == "人次")
    assert (people.value, people.approx) == ("900", True)

    two = next(f for f in figs if f.value == "兩")
    assert two.number == 2.0 and two.unit == "場"


def test_not_figures(figs: list[Figure]) -> None:
    values = Counter(f.value for f in figs)
    for bad in ("2024", "2025", "77", "3815", "24", "09", "23", "七", "五", "六", "一", "三"):
        assert bad not in values, bad
    # 6 only as 云南實驗室總數 6家, never from 8月6日; 16 only as 16家科研院所, never 5月16日
    assert [(f.unit, f.metric) for f in figs if f.value == "6"] == [("家", "云南實驗室總數")]
    assert [f.unit for f in figs if f.value == "16"] == ["家"]
    assert all("瀏覽" not in f.sentence for f in figs)
    assert not any(f.metric.startswith("第") for f in figs)


def test_lists_and_pairs(figs: list[Figure]) -> None:
    by_value = {f.value: f for f in figs}
    assert by_value["29"].metric == "高校"
    assert by_value["16"].metric == "科研院所"
    assert by_value["62"].metric == "企業"
    assert by_value["198"].metric == "優秀人才團隊"
    projects = [f for f in figs if f.value == "3" and f.unit == "個"]
    assert len(projects) == 2 and projects[0].metric != projects[1].metric
    labs = [f for f in figs if f.value in {"1", "6"} and f.unit == "家"]
    assert [f.metric for f in labs] == ["新增云南實驗室", "云南實驗室總數"]
    bases = [f for f in figs if "國際科技合作基地" in f.metric]
    assert [(f.value, f.unit) for f in bases] == [("3", "批"), ("32", "個")]


def test_filter_simplified_query(figs: list[Figure]) -> None:
    hits = filter_figures(figs, "技术合同")  # Simplified query, Traditional document
    assert {f.value for f in hits} >= {"7936", "122.78"}
    assert all("技術合同" in f.sentence for f in hits)
    # the query also matches the sentence, so the whole 1月至8月 sentence comes back
    assert [f.value for f in filter_figures(figs, "成交额 1月至8月")] == ["706", "7936", "122.78"]
    assert [f.value for f in filter_figures(figs, "经济效益")] == ["11", "31", "50.14"]
    assert {f.value for f in filter_figures(figs, "上年度")} == {"80", "9", "25", "1.1", "27"}
    assert filter_figures(figs, "国际科技合作基地", doc_id=DOC_ID)[-1].value == "32"
    assert filter_figures(figs, "技术合同", doc_id="other-doc") == []
    assert filter_figures(figs) == figs


def test_format_figures(figs: list[Figure]) -> None:
    sub = filter_figures(figs, "技术合同")
    rows = figures_to_rows(sub)
    for key in ("metric", "value", "unit", "approx", "period", "place", "sentence", "doc_id", "date"):
        assert key in rows[0]

    parsed = list(csv.DictReader(io.StringIO(format_figures(sub, "csv"))))
    assert len(parsed) == len(sub)
    deal = next(r for r in parsed if r["value"] == "122.78")
    assert deal["unit"] == "億元" and deal["period"] == "1月至8月" and deal["approx"] == "False"
    assert deal["sentence"] == next(f for f in sub if f.value == "122.78").sentence

    data = json.loads(format_figures(sub, "json"))
    assert isinstance(data, list) and data == json.loads(json.dumps(rows, ensure_ascii=False))

    table = format_figures(sub, "table")
    lines = table.strip().splitlines()
    assert lines[0].split()[:3] == ["metric", "value", "unit"]
    assert len(lines) == len(sub) + 2 and "122.78" in table

    md = format_figures(sub, "md")
    md_lines = md.strip().splitlines()
    assert md_lines[0].startswith("| metric |") and md_lines[1].startswith("|---")
    assert len(md_lines) == len(sub) + 2

    with pytest.raises(ValueError):
        format_figures(sub, "xml")  # type: ignore[arg-type]


def test_made_up_simplified_other_city() -> None:
    text = "2023年,玉溪市技术合同成交额达45.6亿元,同比增长12%。"
    got = extract_figures(text, "yuxi-test", "2024-01-05")
    assert [(f.value, f.unit) for f in got] == [("45.6", "亿元"), ("12", "%")]
    amount, growth = got
    assert (amount.period, amount.place, amount.approx) == ("2023年", "玉溪", False)
    assert "技术合同成交额" in amount.metric
    assert (growth.period, growth.place, growth.number) == ("2023年", "玉溪", 12.0)
    assert "增长" in growth.metric
    assert all(f.date == "2024-01-05" and f.doc_id == "yuxi-test" for f in got)
