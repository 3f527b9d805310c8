"""A real `policyqa serve` (UI and API on one port) with API keys, over a knowledge base built in tmp.

The launcher is tests/ui/ui_helpers.py's start_server (shared with the UI and reliability suites);
api_helpers adds the keys and an httpx client.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

TESTS = Path(__file__).resolve().parents[1]
for folder in (TESTS, TESTS / "ui", TESTS / "api"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from api_helpers import ADMIN, KEYS_ENV, MAX_UPLOAD_MB  # noqa: E402
from policyqa_env import _clean_policyqa_env  # noqa: E402,F401 (autouse: this folder's tests run without POLICYQA_*)
from ui_helpers import Server, ingest_kb, start_server, stop_server  # noqa: E402


@pytest.fixture(scope="session")
def api_kb(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("api-kb")
    corpus, index, report = ingest_kb(root)
    assert report["documents"] == 1 and not report["failed"], report
    return {"root": root, "corpus": corpus, "index": index, "feedback": root / "feedback.sqlite3"}


@pytest.fixture(scope="session")
def api_server(api_kb: dict[str, Path]) -> Iterator[Server]:
    """`policyqa serve` with a read and an admin key (and a small upload limit)."""
    server = start_server(
        api_kb["root"], api_kb["index"], api_kb["corpus"], api_kb["feedback"],
        POLICYQA_API_KEYS=KEYS_ENV, POLICYQA_MAX_UPLOAD_MB=str(MAX_UPLOAD_MB),
    )
    try:
        yield server
    finally:
        stop_server(server)
        assert ADMIN not in server.output()  # keys never reach the log
