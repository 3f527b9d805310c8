"""The development-set route (`python -m bench devsets`): sampling, withholding, and the report end to end.

The sample in tests/eval/devsample/ is 12 paragraphs of CMRC 2018 dev (CC BY-SA 4.0, Cui et al. 2019)
and 12 of DRCD dev (CC BY-SA 3.0, Delta Electronics).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation import percentile
from bench.devsets import SETS, DevsetError, answer_sentence, draw, find_data_dir, load_squad, main
from ingest.normalize import search_form
from ingest.store import read_manifest

SAMPLE = Path(__file__).resolve().parent.parent / "eval" / "devsample"


@pytest.mark.parametrize(
    ("context", "answer", "start", "expected"),
    [
        ("甲是一。乙是二。丙是三。", "二", 6, "乙是二。"),
        ("甲是一。乙是二。丙是三。", "二", -1, "乙是二。"),  # no offset: found by search
        ("甲是一。乙是二。丙是三。", "二", 0, "乙是二。"),  # wrong offset: found by search
        ("他问：真的吗？是的，1998年。", "1998年", 10, "是的，1998年。"),
        ("第一行\n第二行有答案\n第三行", "答案", 8, "第二行有答案"),
        ("没有这个词。", "答案", 0, "答案"),  # not in the context: the answer itself
        ("跨句。答案。", "跨句。答案", 0, "跨句。答案"),  # an answer spanning sentences is kept whole
    ],
)
def test_answer_sentence(context: str, answer: str, start: int, expected: str) -> None:
    assert answer_sentence(context, answer, start) == expected


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 50, 0.0), ([5.0], 95, 5.0), ([1, 2, 3, 4], 50, 2), ([1, 2, 3, 4], 95, 4), (list(range(1, 101)), 95, 95), ([3, 1, 2], 0, 1)],
)
def test_percentile_nearest_rank(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == expected


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json", "not SQuAD-format"),
        ('{"data": [{"title": "t", "paragraphs": [{"qas": []}]}]}', "not SQuAD-format"),  # no context
        ('{"data": []}', "no paragraphs"),
        ('{"rows": []}', "not SQuAD-format"),
    ],
)
def test_load_squad_rejects_bad_files(tmp_path: Path, content: str, reason: str) -> None:
    f = tmp_path / "x.json"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(DevsetError, match=reason):
        load_squad(f)


def test_missing_inputs_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(DevsetError, match="does not exist"):
        load_squad(tmp_path / "none.json")
    with pytest.raises(DevsetError, match="not a folder"):
        find_data_dir(tmp_path / "nowhere")
    paragraphs = load_squad(SAMPLE / SETS["cmrc"])
    for n, withhold in ((100, 0.2), (1, 0.2), (12, 1.0), (12, -0.1)):
        with pytest.raises(DevsetError):
            draw(paragraphs, n, 13, withhold, 10, "cmrc")


def test_cli_reports_missing_data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["--data-dir", str(tmp_path / "absent"), "--index-root", str(tmp_path / "i"), "--out", str(tmp_path / "o.json")])
    assert rc == 2
    assert "not a folder" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_draw_withholds_and_is_stable(set_name: str) -> None:
    paragraphs = load_squad(SAMPLE / SETS[set_name])
    sample = draw(paragraphs, 12, 13, 0.25, 40, set_name)
    assert len(sample.withheld) == 3 and len(sample.ingested) == 9
    base = [search_form(p.text) for p in sample.ingested]
    withheld_docs = {p.doc_id for p in sample.withheld}
    unanswerable = [r for r in sample.rows if not r["answerable"]]
    assert unanswerable, "the sample must yield unanswerable questions"
    for r in unanswerable:
        assert r["paragraph"] in withheld_docs and r["doc"] is None
        assert not any(search_form(a) in doc for a in r["expect"][0] for doc in base), r
    for r in sample.rows:
        if r["answerable"]:
            assert r["paragraph"] not in withheld_docs and r["doc"] == r["paragraph"]
            assert search_form(r["support"]) in search_form(next(p.text for p in sample.ingested if p.doc_id == r["doc"]))
    # the first 12 questions come from 12 distinct paragraphs (round-robin)
    assert len({r["paragraph"] for r in sample.rows[:12]}) == 12
    # fewer questions = a prefix of the same questions on the same base; another seed = another sample
    short = draw(paragraphs, 12, 13, 0.25, 7, set_name)
    assert short.rows == sample.rows[:7] and short.ingested == sample.ingested
    others = [draw(paragraphs, 12, seed, 0.25, 40, set_name) for seed in (14, 15, 16)]
    assert any({p.pid for p in o.withheld} != {p.pid for p in sample.withheld} for o in others)
    assert all([r["id"] for r in o.rows] != [r["id"] for r in sample.rows] for o in others)


@pytest.mark.slow
def test_devsets_route_end_to_end(tmp_path: Path, e5_embedder) -> None:
    root, out = tmp_path / "devsets", tmp_path / "results" / "devsets.json"
    argv = ["--set", "all", "--data-dir", str(SAMPLE), "--paragraphs", "12", "--withhold", "0.25", "--seed", "13",
            "--index-root", str(root), "--out", str(out)]
    overrides = {"_env_file": None}
    assert main([*argv, "--questions", "14"], embedder=e5_embedder, settings_overrides=overrides) == 0

    summary = json.loads(out.read_text(encoding="utf-8"))
    assert set(summary["sets"]) == set(SETS)
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    for name, s in summary["sets"].items():
        assert s["questions"] == 14 and s["answerable"] + s["unanswerable"] == 14 and s["unanswerable"] >= 1
        assert (s["ingested_documents"], s["withheld_documents"]) == (9, 3)
        for key in ("hit@1", "hit@3", "answer_accuracy", "refusal", "false_refusal", "misstated_rate"):
            assert 0.0 <= s[key] <= 1.0, key
        assert s["hit@1"] <= s["hit@3"]
        assert s["latency_ms"]["p50"] <= s["latency_ms"]["p95"] and s["latency_ms"]["p50"] > 0
        assert f"| {name} | 9 (3) | 14 ({s['unanswerable']}) |" in md
        set_dir = root / f"{name}-13-12"
        assert Path(s["index_dir"]) == set_dir / "index"

        # the withholding rule, on what was really ingested: the manifest's documents
        manifest = read_manifest(set_dir / "index")
        ingested_text = [search_form(Path(d.path).read_text(encoding="utf-8")) for d in manifest.documents.values()]
        sample = json.loads((set_dir / "sample.json").read_text(encoding="utf-8"))
        assert len(manifest.documents) == 9 == len(sample["ingested"])
        withheld_ids = {pid.replace("/", "_") + ".txt" for pid in sample["withheld"]}
        assert not withheld_ids & set(manifest.documents)
        details = [json.loads(line) for line in Path(s["details_file"]).read_text(encoding="utf-8").splitlines()]
        assert len(details) == 14
        for d in details:
            assert {"id", "q", "gold", "answerable", "refused", "answer", "hit_rank", "correct"} <= set(d)
            assert len(d["answer"]) <= 200
            if not d["answerable"]:
                assert d["hit_rank"] is None and d["correct"] == d["refused"]
                assert not any(search_form(g) in t for g in d["gold"] for t in ingested_text), d
            elif d["hit_rank"] is not None:
                assert 1 <= d["hit_rank"] <= 10
        # the summary is computed from the details
        ans = [d for d in details if d["answerable"]]
        assert s["false_refusal"] == round(sum(d["refused"] for d in ans) / len(ans), 4)
        assert s["answer_accuracy"] == round(sum(d["correct"] for d in ans) / len(ans), 4)

    # quick mode on the existing index: nothing re-embedded, the same first questions, the other set kept
    first = [json.loads(line)["id"] for line in (root / "devsets-cmrc.jsonl").read_text(encoding="utf-8").splitlines()]
    assert main([*argv, "--set", "cmrc", "--questions", "5"], embedder=e5_embedder, settings_overrides=overrides) == 0
    again = json.loads(out.read_text(encoding="utf-8"))
    assert again["sets"]["cmrc"]["ingest"]["embedded"] == 0 and again["sets"]["cmrc"]["ingest"]["unchanged"] == 9
    assert again["sets"]["cmrc"]["questions"] == 5 and again["sets"]["drcd"]["questions"] == 14
    quick = [json.loads(line)["id"] for line in (root / "devsets-cmrc.jsonl").read_text(encoding="utf-8").splitlines()]
    assert quick == first[:5]
