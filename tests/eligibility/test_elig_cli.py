"""`policyqa check` and `policyqa match` over a real knowledge base of the four notices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.eligibility.library import join_chunks

DATA = Path(__file__).parent / "data"
PROFILES = [json.loads(line) for line in (DATA / "profiles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
KUNMING = "昆明市2025年度科技型中小企业研发费用补助申报指南.md"
ISSUE_EXAMPLE = PROFILES[0]["profile"]


@pytest.mark.parametrize(
    "pieces, text",
    [
        (["abcdefghij klmnopqrst", "klmnopqrst uvwxyz"], "abcdefghij klmnopqrst uvwxyz"),
        (["第一段内容很长很长。", "第二段没有重叠。"], "第一段内容很长很长。\n\n第二段没有重叠。"),
        ([], ""),
    ],
)
def test_join_chunks(pieces: list[str], text: str) -> None:
    assert join_chunks(pieces) == text


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


@pytest.mark.slow
def test_check_json_shape(notices_kb) -> None:
    code, out = run("check", KUNMING, "--profile", ISSUE_EXAMPLE, "--index-dir", str(notices_kb.index_dir), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert list(data) == ["doc_id", "title", "eligible", "conditions", "missing_facts"]
    assert data["doc_id"] == KUNMING and data["eligible"] is None
    assert [list(c) for c in data["conditions"]] == [["n", "text", "tests", "status", "reason", "facts", "citation"]] * 7
    assert [c["status"] for c in data["conditions"]] == PROFILES[0]["expected"]
    c4 = data["conditions"][3]
    assert c4["citation"] == {"doc_id": KUNMING, "article": "二、申报条件（四）", "text": c4["text"]}
    assert "4%" in c4["reason"] and c4["tests"] == ["rd_ratio"]
    assert "是否为科技型中小企业" in data["missing_facts"]


@pytest.mark.slow
@pytest.mark.parametrize("row", PROFILES, ids=[r["id"] for r in PROFILES])
def test_check_every_profile_through_the_index(notices_kb, row: dict, tmp_path: Path) -> None:
    """The same statuses from the knowledge base's chunks as from the files (JSON profiles through @FILE)."""
    profile = row["profile"]
    if isinstance(profile, dict):
        path = tmp_path / "profile.json"
        path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
        profile = f"@{path}"
    code, out = run("check", row["notice"], "--profile", profile, "--index-dir", str(notices_kb.index_dir), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert [c["status"] for c in data["conditions"]] == row["expected"]
    assert data["eligible"] is row["eligible"]


@pytest.mark.slow
def test_check_text_output(notices_kb) -> None:
    code, out = run("check", KUNMING, "--profile", ISSUE_EXAMPLE, "--index-dir", str(notices_kb.index_dir))
    assert code == 0
    assert out.count("✔") == 4 and out.count("？") == 3 and "✘" not in out
    assert "undetermined" in out and "to confirm:" in out


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "nope.md", "--profile", "昆明的企业"], "no document 'nope.md'"),
        (["check", KUNMING, "--profile", ""], "empty"),
        (["check", KUNMING, "--profile", '{"revenu": 1}'], "unknown profile keys"),
        (["check", KUNMING, "--profile", "@/nonexistent/profile.txt"], "cannot read the profile file"),
        (["match", "--profile", "{bad"], "not valid"),
    ],
)
def test_bad_input_is_a_clear_error(notices_kb, args: list[str], message: str) -> None:
    code, out = run(*args, "--index-dir", str(notices_kb.index_dir), "--json")
    assert code == 2
    assert message in json.loads(out)["error"]


def test_check_without_an_index_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run("check", KUNMING, "--profile", "昆明的企业", "--index-dir", str(tmp_path / "none"), "--json")
    assert code == 2 and "No knowledge base" in json.loads(out)["error"]


@pytest.mark.slow
def test_match_ranks_by_conditions_met(notices_kb) -> None:
    # P13: every condition of the Qujing notice met
    code, out = run("match", "--profile", PROFILES[12]["profile"], "--index-dir", str(notices_kb.index_dir), "--json")
    assert code == 0, out
    docs = json.loads(out)["documents"]
    assert len(docs) == 4
    assert docs[0]["doc_id"] == "曲靖市2025年科技创新券申领指南.md" and docs[0]["eligible"] is True
    assert docs[0]["met"] == docs[0]["conditions"] == 6
    assert [d["met"] for d in docs] == sorted((d["met"] for d in docs), reverse=True)
    for d in docs[1:]:
        assert d["eligible"] is not True
        assert len(d["not_met_conditions"]) == d["not_met"] and len(d["unknown_conditions"]) == d["unknown"]
    kunming = next(d for d in docs if d["doc_id"] == KUNMING)
    assert any("曲靖" in c["reason"] for c in kunming["not_met_conditions"])  # the place is named in the reason


@pytest.mark.slow
def test_match_text_output(notices_kb) -> None:
    code, out = run("match", "--profile", ISSUE_EXAMPLE, "--index-dir", str(notices_kb.index_dir))
    assert code == 0
    assert out.splitlines()[0].startswith("1. 4/7 met, 0 not met, 3 unknown  " + KUNMING)
    assert "✘" in out and "？" in out


@pytest.mark.parametrize("command", ["check", "match"])
def test_help(command: str) -> None:
    code, out = run(command, "--help")
    text = " ".join(out.split())
    assert code == 0 and "TEXT|@FILE" in text and "[env POLICYQA_INDEX_DIR" in text
