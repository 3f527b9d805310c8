"""An ingest killed with SIGKILL half-way leaves the previous knowledge base whole; a re-run converges."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings

import pytest

from assistant import Assistant
from assistant.query import analyse
from ingest.pipeline import ingest
from ingest.settings import Settings
from ingest.store import read_manifest
from ingest_helpers import REPORT_ID, StderrLog, chroma_ids, cli_command, cli_env, copy_report, keyword_ids, run_cli, settings_for, write_corpus

pytestmark = pytest.mark.slow  # real subprocesses and the real model

BATCH = 4  # small embedding and Chroma write batches: the kill lands after some were written to Chroma
N_DOCS = 12
N_CHUNKS = 2 * N_DOCS


def collection_count(settings: Settings) -> int:
    manifest = read_manifest(settings.index_dir)
    client = chromadb.PersistentClient(path=str(settings.index_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_collection(manifest.collection).count()


def test_killed_ingest_keeps_the_old_knowledge_base_and_a_rerun_converges(tmp_path: Path, e5_embedder) -> None:
    index_dir = tmp_path / "idx"
    settings = settings_for(index_dir, corpus_dir=tmp_path / "old")
    old_corpus = tmp_path / "old"
    copy_report(old_corpus)
    big = tmp_path / "big"
    write_corpus(big, N_DOCS, paragraphs=3)  # two chunks each

    # 1. the previous knowledge base: the shipped report, built by another process
    first = run_cli("ingest", str(old_corpus), "--index-dir", str(index_dir), "--json", cwd=tmp_path)
    assert first.code == 0, first.stderr
    old_manifest = read_manifest(index_dir)
    old_bytes = (index_dir / "manifest.json").read_bytes()
    old_ids = old_manifest.chunk_ids

    # 2. a big ingest into the same index, killed once a few embedding batches are in Chroma
    proc = subprocess.Popen(
        cli_command("ingest", str(big), "--index-dir", str(index_dir), "--json"),
        cwd=tmp_path,
        env=cli_env(POLICYQA_EMBED_BATCH_SIZE=str(BATCH), POLICYQA_STORE_BATCH_SIZE=str(BATCH)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader = StderrLog(proc.stderr)
    try:
        deadline = time.monotonic() + 180
        while reader.embedded()[0] < 2 * BATCH and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"the ingest was not killed part-way:\n{reader.text[-2000:]}"
    done, total = reader.embedded()
    assert 2 * BATCH <= done < total == N_CHUNKS

    # 3. the old knowledge base is untouched and still answers
    assert (index_dir / "manifest.json").read_bytes() == old_bytes
    assert read_manifest(index_dir) == old_manifest
    assert collection_count(settings) > len(old_ids), "the killed run left no additions (test is too fast?)"
    assert keyword_ids(settings) == old_ids

    bot = Assistant(settings, embedder=e5_embedder)
    answer = bot.ask("昆明1至8月技术合同成交额是多少?")
    assert not answer.refused, answer.answer
    assert "122.78" in answer.answer
    assert {c.doc_id for c in answer.citations} == {REPORT_ID}
    assert {c.chunk_id for c in answer.retrieved} <= old_ids
    # a question about the half-ingested documents gets nothing of theirs: their chunks are not trusted
    for q in ("昆明市科技局通报技术合同登记工作进展", "曲靖市累计完成相关事项多少项?"):
        retrieved = bot.retriever.retrieve(analyse(q), k=20)
        assert {c.chunk_id for c in retrieved} <= old_ids
        assert {c.doc_id for c in retrieved} <= {REPORT_ID}

    # 4. a re-run converges, re-using what the killed run had embedded
    rerun = ingest([big], settings, embedder=e5_embedder)
    assert (rerun.added, rerun.updated, rerun.removed, rerun.failed) == (N_DOCS, 0, 0, [])
    assert rerun.embedded <= N_CHUNKS - 2 * BATCH
    after = read_manifest(index_dir)
    assert after.documents[REPORT_ID] == old_manifest.documents[REPORT_ID]
    assert collection_count(settings) == after.n_chunks == len(old_ids) + N_CHUNKS
    assert chroma_ids(settings) == keyword_ids(settings) == after.chunk_ids

    # ... to exactly what an uninterrupted ingest of the same corpus into a fresh index gives
    fresh = settings_for(tmp_path / "fresh")
    clean = ingest([big], fresh, embedder=e5_embedder)
    assert clean.embedded == N_CHUNKS
    reference = read_manifest(fresh.index_dir)
    big_docs = {k: v.chunks for k, v in after.documents.items() if k != REPORT_ID}
    assert big_docs == {k: v.chunks for k, v in reference.documents.items()}
    assert collection_count(fresh) == reference.n_chunks == N_CHUNKS

    # and the merged knowledge base answers from both corpora
    bot = Assistant(settings, embedder=e5_embedder)
    answer = bot.ask("曲靖市技术合同登记工作累计完成相关事项多少项?")
    assert not answer.refused and answer.citations[0].doc_id == "doc-001.txt", answer.answer
    assert "107项" in answer.answer
    assert not bot.ask("昆明1至8月技术合同成交额是多少?").refused
