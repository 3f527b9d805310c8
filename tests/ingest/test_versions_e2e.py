"""A newer version uploaded later supersedes the older one without re-embedding it; documents and diff commands.

Real files, the real e5 embedder, real embedded Chroma, the CLI as a subprocess.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.diff import compare
from assistant.retrieval import KnowledgeBase
from ingest.pipeline import ingest, remove_document
from ingest.store import read_manifest
from ingest_helpers import REPO, chroma_ids, run_cli, settings_for

POLICIES = REPO / "corpus" / "policies"
OLD, NEW = "国家科学技术奖励条例(2020-10-07).md", "国家科学技术奖励条例(2024-05-26).md"
EXPECTED = json.loads((REPO / "tests" / "eval" / "policies" / "diff_expected.json").read_text(encoding="utf-8"))
DOCUMENT_KEYS = {"doc_id", "title", "kind", "issuer", "jurisdiction", "date", "effective_date", "status", "superseded_by"}


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory, e5_embedder):
    """The 2020 text ingested alone, then the 2024 one added to the same folder (an upload)."""
    base = tmp_path_factory.mktemp("versions")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(POLICIES / OLD, corpus / OLD)
    settings = settings_for(base / "idx", corpus_dir=corpus)
    first = ingest([corpus], settings, embedder=e5_embedder)
    before = read_manifest(settings.index_dir)
    shutil.copy(POLICIES / NEW, corpus / NEW)
    second = ingest([corpus], settings, embedder=e5_embedder)
    after = read_manifest(settings.index_dir)
    assert before is not None and after is not None
    return settings, first, second, before, after


@pytest.mark.slow
def test_the_older_version_becomes_superseded_without_re_embedding(two_versions) -> None:
    settings, first, second, before, after = two_versions
    assert before.documents[OLD].status == "current" and before.documents[OLD].superseded_by is None
    old, new = after.documents[OLD], after.documents[NEW]
    assert (old.status, old.superseded_by) == ("superseded", NEW)
    assert (new.status, new.superseded_by) == ("current", None)
    assert old.chunks == before.documents[OLD].chunks  # same chunk ids: nothing of it was re-chunked
    assert second.unchanged == 1 and second.added == 1
    assert second.embedded == len(new.chunks)  # embedded count for the old version: 0
    assert set(old.chunks) | set(new.chunks) == chroma_ids(settings)
    assert (old.version_date, new.version_date) == ("2020-10-07", "2024-05-26")
    assert (new.kind, new.issuer, new.jurisdiction, new.norm_title) == ("administrative_regulation", "国务院", "national", "国家科学技术奖励条例")
    assert {"type": "revised", "date": "2024-05-26"} in new.events


@pytest.mark.slow
def test_chunks_carry_article_and_chapter_to_retrieval(two_versions) -> None:
    settings, *_, after = two_versions
    kb = KnowledgeBase(settings)
    chunks = kb.chunks(after.documents[NEW].chunks)
    by_article = {c.meta["article"]: c for c in chunks.values() if c.meta.get("article")}
    assert by_article["第二十五条"].meta["article_no"] == 25
    assert by_article["第二十五条"].meta["chapter"] == "第三章 国家科学技术奖的提名、评审和授予"
    assert "报党中央、国务院批准" in by_article["第二十五条"].text


@pytest.mark.slow
def test_documents_command(two_versions) -> None:
    settings, *_ = two_versions
    res = run_cli("documents", "--index-dir", str(settings.index_dir), "--json", cwd=REPO)
    assert res.code == 0, res.stderr
    rows = {r["doc_id"]: r for r in res.json_lines()}
    assert set(rows) == {OLD, NEW} and all(set(r) == DOCUMENT_KEYS for r in rows.values())
    assert rows[OLD]["status"] == "superseded" and rows[OLD]["superseded_by"] == NEW
    assert rows[NEW] == {
        "doc_id": NEW, "title": "国家科学技术奖励条例", "kind": "administrative_regulation", "issuer": "国务院",
        "jurisdiction": "national", "date": "2024-05-26", "effective_date": None, "status": "current", "superseded_by": None,
    }
    text = run_cli("documents", "--index-dir", str(settings.index_dir), cwd=REPO)
    assert text.code == 0 and len(text.stdout.strip().splitlines()) == 2 and f"superseded by {NEW}" in text.stdout


@pytest.mark.slow
def test_diff_command(two_versions) -> None:
    settings, *_ = two_versions
    res = run_cli("diff", "中华人民共和国国家科学技术奖励条例", "--index-dir", str(settings.index_dir), "--json", cwd=REPO)
    assert res.code == 0, res.stderr
    [result] = res.json_lines()
    assert [(c["from_article"], c["to_article"]) for c in result["changed"]] == [
        (c["from_article"], c["to_article"]) for c in EXPECTED["changed"]
    ]
    assert result["unchanged"] == EXPECTED["unchanged"] and result["added"] == result["removed"] == []
    text = run_cli("diff", "国家科学技术奖励条例", "--index-dir", str(settings.index_dir), cwd=REPO)
    assert text.code == 0 and "changed 第二十五条" in text.stdout and "+ 第二十五条" in text.stdout
    assert "8 changed, 0 added, 0 removed, 0 renumbered, 30 unchanged" in text.stdout
    bad = run_cli("diff", "不存在的条例", "--index-dir", str(settings.index_dir), "--json", cwd=REPO)
    assert bad.code == 2 and "no regulation titled" in bad.json_lines()[0]["error"]


@pytest.mark.slow
def test_diff_from_the_knowledge_base_when_the_files_are_gone(two_versions, tmp_path: Path) -> None:
    """The stored files moved away: the articles are read back from the chunks, with the same result."""
    settings, *_, after = two_versions
    from_files = compare("国家科学技术奖励条例", after, settings)
    moved = tmp_path / "moved"
    moved.mkdir()
    for name in (OLD, NEW):
        shutil.move(str(settings.corpus_dir / name), moved / name)
    try:
        from_chunks = compare("国家科学技术奖励条例", after, settings)
    finally:
        for name in (OLD, NEW):
            shutil.move(str(moved / name), settings.corpus_dir / name)
    assert from_chunks == from_files


@pytest.mark.slow
def test_removing_the_current_version_makes_the_older_one_current(two_versions) -> None:
    settings, *_ = two_versions
    assert remove_document(NEW, settings)
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None and list(manifest.documents) == [OLD]
    assert (manifest.documents[OLD].status, manifest.documents[OLD].superseded_by) == ("current", None)
