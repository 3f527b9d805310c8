"""What changed between two versions (assistant.diff): alignment by content, the shipped pair, the CLI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cn2an import an2cn

from assistant.diff import ArticleText, DiffError, align, compare, join_pieces
from ingest.pipeline import _prepare, file_hash
from ingest.settings import Settings
from ingest.store import Manifest
from ingest.structure import cn_number
from ingest.versioning import assign_versions

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "corpus" / "policies"
PAIR = ["国家科学技术奖励条例(2020-10-07).md", "国家科学技术奖励条例(2024-05-26).md"]
EXPECTED = json.loads((ROOT / "tests" / "eval" / "policies" / "diff_expected.json").read_text(encoding="utf-8"))
NUM = "一二三四五六七八九十"


def arts(*bodies: str) -> list[ArticleText]:
    return [ArticleText(n, f"第{NUM[n - 1]}条", f"第{NUM[n - 1]}条 {b}") for n, b in enumerate(bodies, 1)]


A = "国家设立国家科学技术奖励委员会，负责评审工作的组织。"
B = "国家最高科学技术奖每年授予人数不超过二名，由国家主席签署证书。"
C = "国家自然科学奖授予在基础研究中做出重大科学发现的个人。"
D = "获奖者剽窃他人成果的，撤销奖励，追回奖章、证书和奖金。"
E = "本条例自公布之日起施行。"
NEW = "国家鼓励社会力量设立科学技术奖，不得收取任何费用。"


def summary(al) -> dict:
    return {
        "pairs": sorted((a.label, b.label, a.key == b.key) for a, b in al.pairs),
        "split_merged": sorted((a.label, b.label) for a, b in al.split_merged),
        "added": [x.label for x in al.added],
        "removed": [x.label for x in al.removed],
    }


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (arts(A, B, C), arts(A, B, C),
         {"pairs": [("第一条", "第一条", True), ("第三条", "第三条", True), ("第二条", "第二条", True)], "split_merged": [], "added": [], "removed": []}),
        # a new article at the start renumbers every later one: matched by content, not by number
        (arts(A, B, C), arts(NEW, A, B, C),
         {"pairs": [("第一条", "第二条", True), ("第三条", "第四条", True), ("第二条", "第三条", True)], "split_merged": [], "added": ["第一条"], "removed": []}),
        (arts(A, B, C, D), arts(A, C, D),
         {"pairs": [("第一条", "第一条", True), ("第三条", "第二条", True), ("第四条", "第三条", True)], "split_merged": [], "added": [], "removed": ["第二条"]}),
        (arts(A, B, C), arts(A, B.replace("二名", "三名"), C),
         {"pairs": [("第一条", "第一条", True), ("第三条", "第三条", True), ("第二条", "第二条", False)], "split_merged": [], "added": [], "removed": []}),
        # two articles swapped
        (arts(A, B, C), arts(A, C, B),
         {"pairs": [("第一条", "第一条", True), ("第三条", "第二条", True), ("第二条", "第三条", True)], "split_merged": [], "added": [], "removed": []}),
        # one article split in two: one pair per resulting article
        (arts(A, B + C, D), arts(A, B, C, D),
         {"pairs": [("第一条", "第一条", True), ("第三条", "第四条", True), ("第二条", "第二条", False)],
          "split_merged": [("第二条", "第三条")], "added": [], "removed": []}),
        # two merged into one
        (arts(A, B, C, D), arts(A, B + C, D),
         {"pairs": [("第一条", "第一条", True), ("第二条", "第二条", False), ("第四条", "第三条", True)],
          "split_merged": [("第三条", "第二条")], "added": [], "removed": []}),
        # rewritten beyond recognition: removed and added, not "changed"
        (arts(A, B, E), arts(A, B, NEW),
         {"pairs": [("第一条", "第一条", True), ("第二条", "第二条", True)], "split_merged": [], "added": ["第三条"], "removed": ["第三条"]}),
        (arts(A), [], {"pairs": [], "split_merged": [], "added": [], "removed": ["第一条"]}),
    ],
    ids=["same", "inserted", "deleted", "changed", "swapped", "split", "merged", "rewritten", "emptied"],
)
def test_align(old: list[ArticleText], new: list[ArticleText], expected: dict) -> None:
    assert summary(align(old, new, 0.5, 0.6)) == expected


def test_whitespace_and_width_are_no_change() -> None:
    old = [ArticleText(1, "第一条", "第一条 国家设立下列奖项：（一）国家最高科学技术奖；")]
    new = [ArticleText(1, "第一条", "第一条　国家设立下列奖项:\n(一) 国家最高科学技术奖;")]
    assert align(old, new, 0.5, 0.6).pairs[0][0].key == align(old, new, 0.5, 0.6).pairs[0][1].key


@pytest.mark.parametrize(
    "pieces, expected",
    [
        (["第九条 有下列情形之一的：\n（一）甲；"], "第九条 有下列情形之一的：\n（一）甲；"),
        (["第九条 有下列情形之一的：\n（一）甲；", "第九条 有下列情形之一的：\n（二）乙。"], "第九条 有下列情形之一的：\n（一）甲；\n（二）乙。"),
        (["第九条 很长的引导句，有下列情形之一的：\n（一）甲；", "第九条 很长的引导句…\n（二）乙。"], "第九条 很长的引导句，有下列情形之一的：\n（一）甲；\n（二）乙。"),
        (["第九条 第一款。", "第二款全文。"], "第九条 第一款。\n第二款全文。"),
    ],
)
def test_join_pieces_drops_the_repeated_lead(pieces: list[str], expected: str) -> None:
    assert join_pieces(pieces) == expected


def manifest_of(files: list[Path], settings: Settings) -> Manifest:
    docs = {}
    for f in files:
        rec, _ = _prepare(f.parent, f, f.name, file_hash(f), settings)
        docs[rec.doc_id] = rec
    return Manifest(documents=assign_versions(docs.values()))


@pytest.fixture(scope="module")
def pair_manifest() -> Manifest:
    return manifest_of([POLICIES / p for p in PAIR], Settings(_env_file=None))


def check_against_expected(result: dict) -> None:
    assert (result["from"]["doc_id"], result["to"]["doc_id"]) == (EXPECTED["from"], EXPECTED["to"])
    assert [(c["from_article"], c["to_article"]) for c in result["changed"]] == [
        (c["from_article"], c["to_article"]) for c in EXPECTED["changed"]
    ]
    assert result["added"] == EXPECTED["added"] and result["removed"] == EXPECTED["removed"]
    assert result["renumbered"] == EXPECTED["renumbered"] and result["unchanged"] == EXPECTED["unchanged"]


@pytest.mark.parametrize("title", ["国家科学技术奖励条例", "中华人民共和国国家科学技术奖励条例", "《国家科学技术奖励条例》"])
def test_the_shipped_pair_finds_every_changed_article(title: str, pair_manifest: Manifest) -> None:
    result = compare(title, pair_manifest, Settings(_env_file=None))
    check_against_expected(result)
    assert set(result) == {"title", "from", "to", "added", "removed", "changed", "renumbered", "unchanged"}
    assert result["from"] == {"doc_id": PAIR[0], "date": "2020-10-07"} and result["to"] == {"doc_id": PAIR[1], "date": "2024-05-26"}
    by_article = {c["to_article"]: c for c in result["changed"]}
    assert "由国务院规定" in by_article["第二十五条"]["from_text"] and "报党中央、国务院批准" in by_article["第二十五条"]["to_text"]
    assert by_article["第四条"]["to_text"].count("\n") == 1  # the paragraph added inside 第四条


def test_three_versions_compare_the_two_latest_unless_told(tmp_path: Path) -> None:
    """A third, later version (the 2024 text with 第二十五条 changed again and an article added at the start)."""
    for p in PAIR:
        shutil.copy(POLICIES / p, tmp_path / p)
    text = (POLICIES / PAIR[1]).read_text(encoding="utf-8")
    text = text.replace("2024年5月26日 《国务院关于修改〈国家科学技术奖励条例〉的决定》第四次修订）",
                        "2024年5月26日 《国务院关于修改〈国家科学技术奖励条例〉的决定》第四次修订\n\n2030年1月1日 中华人民共和国国务院令第999号第五次修订）")
    lines = text.split("\n")
    renumbered = []
    for line in lines:  # insert a new 第一条, shift every other article by one
        m = re.match(r"^第([一二三四五六七八九十百零]+)条 (.*)$", line)
        if m:
            n = cn_number(m.group(1))
            if n == 1:
                renumbered.append("第一条 国家建立科学技术奖励信息公开平台，定期向社会发布年度奖励工作报告。")
            line = f"第{an2cn(n + 1)}条 {m.group(2)}"
        renumbered.append(line)
    (tmp_path / "国家科学技术奖励条例(2030-01-01).md").write_text("\n".join(renumbered), encoding="utf-8")
    settings = Settings(_env_file=None)
    manifest = manifest_of(sorted(tmp_path.glob("*.md")), settings)
    assert [d.status for d in sorted(manifest.documents.values(), key=lambda d: d.version_date)] == ["superseded", "superseded", "current"]

    latest = compare("国家科学技术奖励条例", manifest, settings)
    assert (latest["from"]["date"], latest["to"]["date"]) == ("2024-05-26", "2030-01-01")
    assert [a["article"] for a in latest["added"]] == ["第一条"]
    assert latest["changed"] == [] and latest["unchanged"] == 0
    assert len(latest["renumbered"]) == 38 and latest["renumbered"][0] == {"from_article": "第一条", "to_article": "第二条"}

    check_against_expected(compare("国家科学技术奖励条例", manifest, settings, from_date="2020", to_date="2024-05"))
    assert compare("国家科学技术奖励条例", manifest, settings, to_date="2024")["from"]["date"] == "2020-10-07"
    assert compare("国家科学技术奖励条例", manifest, settings, from_date="2020")["to"]["date"] == "2030-01-01"


@pytest.mark.parametrize(
    "title, kw, message",
    [
        ("不存在的条例", {}, "no regulation titled"),
        ("科学技术进步法", {}, "one version"),
        ("国家科学技术奖励条例", {"from_date": "2019"}, "no version dated 2019"),
        ("国家科学技术奖励条例", {"from_date": "2024"}, "no version later than"),
        ("国家科学技术奖励条例", {"from_date": "2024", "to_date": "2024"}, "same version"),
    ],
)
def test_clear_errors(title: str, kw: dict, message: str, pair_manifest: Manifest) -> None:
    settings = Settings(_env_file=None)
    manifest = Manifest(documents={**pair_manifest.documents, **manifest_of([next(POLICIES.glob("科学技术进步法*"))], settings).documents})
    with pytest.raises(DiffError, match=message):
        compare(title, manifest, settings, **kw)
