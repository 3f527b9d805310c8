"""Fixtures of the reliability suite: faults, hostile input, load and access, all against real processes.

Helpers shared with the other suites (ui_helpers, ingest_helpers, llm_server) are imported from their
folders; the measured figures of every test go to test-artifacts/reliability/summary.json.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

TESTS = Path(__file__).resolve().parents[1]
for sub in ("", "ui", "ingest"):
    folder = str(TESTS / sub) if sub else str(TESTS)
    if folder not in sys.path:
        sys.path.insert(0, folder)

from policyqa_env import _clean_policyqa_env  # noqa: E402,F401 (autouse: this folder's tests run without POLICYQA_*)
from rel_helpers import MAX_UPLOAD_MB, world_readable_tmp  # noqa: E402
from ui_helpers import Server, ingest_kb, start_server, stop_server  # noqa: E402


@pytest.fixture(scope="session")
def rel_kb() -> Iterator[dict[str, Path]]:
    """A knowledge base of the shipped report, built by `policyqa ingest` in a folder anyone can read.

    World-readable (not pytest's 0700 tmp) so that a subprocess running as ``nobody`` can open it.
    """
    root = world_readable_tmp("policyqa-rel-kb-")
    try:
        corpus, index, _ = ingest_kb(root)
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        yield {"root": root, "corpus": corpus, "index": index}
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def served_kb(rel_kb: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """A copy of ``rel_kb`` that a server may change (uploads, concurrent ingests)."""
    root = world_readable_tmp("policyqa-rel-served-")
    try:
        shutil.copytree(rel_kb["corpus"], root / "corpus")
        shutil.copytree(rel_kb["index"], root / "index")
        yield {"root": root, "corpus": root / "corpus", "index": root / "index", "feedback": root / "feedback.sqlite3"}
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def rel_server(served_kb: dict[str, Path]) -> Iterator[Server]:
    """One real `policyqa serve` (no login) over ``served_kb``, shared by the hostile-input, concurrency and load tests."""
    # small upload limits, so that the oversize checks need only a few MB
    server = start_server(
        served_kb["root"], served_kb["index"], served_kb["corpus"], served_kb["feedback"], POLICYQA_MAX_UPLOAD_MB=str(MAX_UPLOAD_MB)
    )
    try:
        yield server
    finally:
        stop_server(server)
        from rel_helpers import ARTIFACTS

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy2(server.log, ARTIFACTS / "serve.log")


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the figures this run measured (also in test-artifacts/reliability/summary.json)."""
    from rel_helpers import RECORDED, SUMMARY

    if not RECORDED:
        return
    summary = json.loads(SUMMARY.read_text(encoding="utf-8"))
    terminalreporter.write_sep("-", f"reliability figures ({SUMMARY.relative_to(TESTS.parent)})")
    for section in RECORDED:
        data = {k: v for k, v in summary.get(section, {}).items() if k not in ("runs", "measured_at")}
        terminalreporter.write_line(f"{section}: {json.dumps(data, ensure_ascii=False)}")
