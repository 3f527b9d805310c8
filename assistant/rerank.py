"""Optional cross-encoder re-ranking (``POLICYQA_RERANK_MODEL``), through sentence-transformers.

No reranker ships offline, so this is off by default; any CrossEncoder name or local path works.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.retrieval import RetrievedChunk


class RerankerError(RuntimeError):
    pass


class CrossEncoderReranker:
    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import CrossEncoder

            self.model = CrossEncoder(model, device="cpu")
        except Exception as exc:
            raise RerankerError(
                f"Could not load the re-ranking model {model!r} (POLICYQA_RERANK_MODEL): {type(exc).__name__}: {exc}"
            ) from None

    def rerank(self, question: str, chunks: list["RetrievedChunk"]) -> list["RetrievedChunk"]:
        """Order by the cross-encoder's score of (question, passage); the score replaces the fused one."""
        if not chunks:
            return chunks
        scores = self.model.predict([(question, c.search_text) for c in chunks], show_progress_bar=False)
        ranked = sorted(zip(chunks, scores), key=lambda x: float(x[1]), reverse=True)
        return [replace(c, score=float(s)) for c, s in ranked]
