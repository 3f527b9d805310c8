"""Threads of one worker answering at the moment another process commits an ingest.

Every thread sees the new manifest at once; before the refresh was serialised, several of them
reopened the Chroma client together and some failed with "'RustBindingsAPI' object has no attribute
'bindings'" (found by tests/reliability/test_rel_concurrency.py, 1 run in 4).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # real ingests in another process, the real model

THREADS = 8
ROUNDS = 3


def test_threads_picking_up_a_new_ingest_together_all_answer(
    tmp_path: Path, e5_embedder: Any, run_cli, assistant_settings
) -> None:
    from assistant.api import Assistant
    from assistant.query import analyse

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy2(ROOT / "corpus" / "kunming-sti-2024-09-23.txt", corpus)
    assert run_cli("ingest", str(corpus), "--index-dir", str(index)).returncode == 0
    bot = Assistant(assistant_settings(index), embedder=e5_embedder)
    assert "122.78" in bot.ask("1至8月技术合同成交额是多少?").answer

    for r in range(ROUNDS):
        (corpus / f"new-{r}.txt").write_text(f"测试通知{r}\n全市新增新型研发机构{r + 3}家。\n", encoding="utf-8")
        done = run_cli("ingest", str(corpus), "--index-dir", str(index))  # another process commits
        assert done.returncode == 0, done.stderr[-2000:]
        barrier = threading.Barrier(THREADS)
        errors: list[str] = []
        results: list[list[str]] = []

        def ask() -> None:
            barrier.wait()
            try:
                results.append([c.doc_id for c in bot.retriever.retrieve(analyse(f"新增新型研发机构{r + 3}家"))])
            except Exception as exc:  # the assertion below reports it
                errors.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=ask) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors[:3]
        assert len(results) == THREADS
        assert all(f"new-{r}.txt" in docs for docs in results), "a thread answered from the old knowledge base"
