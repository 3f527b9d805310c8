"""The `policyqa ask --json` and `policyqa eval --json` contracts, through the real console script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL_FILE = ROOT / "tests" / "eval" / "questions.jsonl"
Q = "1至8月技术合同成交额是多少?"

CITATION_KEYS = {"n", "doc_id", "title", "date", "source", "chunk_id", "text"}
RETRIEVED_KEYS = {"doc_id", "chunk_id", "score", "text"}


def json_lines(stdout: bytes) -> list[dict[str, Any]]:
    """stdout must hold JSON objects only, one a line."""
    text = stdout.decode("utf-8")
    assert text.endswith("\n"), text[-200:]
    lines = text[:-1].split("\n")
    out = []
    for line in lines:
        obj = json.loads(line)  # anything else on stdout (a log line, a progress bar) fails here
        assert isinstance(obj, dict)
        out.append(obj)
    return out


def check_answer_shape(obj: dict[str, Any]) -> None:
    assert {"question", "answer", "refused", "citations", "retrieved"} <= set(obj)
    assert isinstance(obj["question"], str) and isinstance(obj["answer"], str) and isinstance(obj["refused"], bool)
    for c in obj["citations"]:
        assert CITATION_KEYS <= set(c), c.keys()
        assert isinstance(c["n"], int)
    for r in obj["retrieved"]:
        assert RETRIEVED_KEYS <= set(r), r.keys()
        assert isinstance(r["score"], float)
    scores = [r["score"] for r in obj["retrieved"]]
    assert scores == sorted(scores, reverse=True), "retrieved must be best first"


def test_ask_json_single_question(run_cli, kb_dir: Path) -> None:
    proc = run_cli("ask", Q, "--index-dir", str(kb_dir), "--json")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    [obj] = json_lines(proc.stdout)
    check_answer_shape(obj)
    assert obj["question"] == Q
    assert obj["refused"] is False
    assert "122.78亿元" in obj["answer"] and "[1]" in obj["answer"]
    c = obj["citations"][0]
    assert c["n"] == 1 and c["doc_id"] == "kunming-sti-2024-09-23.txt" and c["date"] == "2024-09-23"
    assert c["source"] == "昆明信息港" and c["title"] and c["chunk_id"] and "122.78" in c["text"]
    assert obj["retrieved"] and obj["retrieved"][0]["doc_id"] == "kunming-sti-2024-09-23.txt"


BATCH_LINES = [
    Q,
    "\x00\x01\x02",
    "？？？！！",
    "😀🎉👍",
    "玉溪1至7月技术合同成交额是多少?",
    "ab\x1ccd\x0bef\x85gh\u2028ij",  # characters str.splitlines() would break the line at
    "昆明技术合同成交额是多少?" * 4000,  # ~52 kB
    "1至8月技術合同成交額是多少?",
]


def test_ask_batch_plain_text(run_cli, kb_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "questions.txt"
    # blank lines are skipped; a CRLF line ending is not part of the question
    batch.write_text("\n".join(BATCH_LINES[:4]) + "\n\n   \n" + "\r\n".join(BATCH_LINES[4:]) + "\n", encoding="utf-8")
    proc = run_cli("ask", "--batch", str(batch), "--index-dir", str(kb_dir), "--json")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    objs = json_lines(proc.stdout)
    assert [o["question"] for o in objs] == BATCH_LINES, "one line per question, in order"
    for o in objs:
        check_answer_shape(o)
    good, ctrl, punct, emoji, yuxi, separators, huge, hant = objs
    assert not good["refused"] and "122.78亿元" in good["answer"]
    for bad in (ctrl, punct, emoji, separators, huge):
        assert bad["refused"] is True and bad["answer"], bad["question"][:40]
    assert huge["error"] and "太长" in huge["answer"]
    assert ctrl["answer"] == punct["answer"] == emoji["answer"] == "请输入一个问题。"
    assert not yuxi["refused"] and "36.52亿元" in yuxi["answer"]
    assert not hant["refused"] and "122.78億元" in hant["answer"]


def test_ask_batch_jsonl(run_cli, kb_dir: Path, tmp_path: Path) -> None:
    questions = [Q, "", "   ", "昆明2022年技术合同成交额是多少?", "\u0000\u0001", "What was the value of technology contracts from January to August?"]
    batch = tmp_path / "questions.jsonl"
    batch.write_text("".join(json.dumps({"q": q, "id": i}, ensure_ascii=i % 2 == 0) + "\n" for i, q in enumerate(questions)), encoding="utf-8")
    proc = run_cli("ask", "--batch", str(batch), "--index-dir", str(kb_dir), "--json")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    objs = json_lines(proc.stdout)
    assert [o["question"] for o in objs] == questions
    for o in objs:
        check_answer_shape(o)
    assert [o["refused"] for o in objs] == [False, True, True, True, True, False]
    assert objs[1]["answer"] == objs[2]["answer"] == "请输入一个问题。"
    assert objs[3]["answer"].startswith("文档中没有找到这个问题的答案") and objs[3]["retrieved"]
    assert "122.78" in objs[5]["answer"]


def test_eval_json(run_cli, kb_dir: Path) -> None:
    proc = run_cli("eval", str(EVAL_FILE), "--index-dir", str(kb_dir), "--json")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    [obj] = json_lines(proc.stdout)
    for key in ("n", "answerable", "hit@1", "hit@3", "hit@5", "mrr@10", "answer_accuracy", "refusal_accuracy", "unsupported_figures", "failures"):
        assert key in obj, key
    print("\nCLI EVAL", json.dumps({k: v for k, v in obj.items() if k not in ("failures", "by_lang")}))
    assert obj["n"] == sum(1 for line in EVAL_FILE.read_text(encoding="utf-8").splitlines() if line.strip())
    assert obj["hit@3"] >= 0.93  # test_eval_quality.HIT3_MIN
    assert obj["answer_accuracy"] >= 0.90  # the floors of test_eval_quality (README, Quality)
    assert obj["refusal_accuracy"] >= 0.90
    assert obj["unsupported_figures"] == 0


@pytest.mark.parametrize("args", [("ask", "--json"), ("ask", Q, "--mode", "bogus", "--json")])
def test_ask_usage_errors_are_json(run_cli, kb_dir: Path, args: tuple[str, ...]) -> None:
    proc = run_cli(*args, "--index-dir", str(kb_dir))
    assert proc.returncode != 0
    [obj] = json_lines(proc.stdout)
    assert obj["error"]


def test_ask_without_knowledge_base(run_cli, tmp_path: Path) -> None:
    proc = run_cli("ask", Q, "--index-dir", str(tmp_path / "nothing-here"), "--json")
    assert proc.returncode != 0
    [obj] = json_lines(proc.stdout)
    assert "policyqa ingest" in obj["error"]
