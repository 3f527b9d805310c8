"""A real `policyqa serve` over a knowledge base built in tmp, and a real headless Chromium.

The server is started once per session (``ui_server``); browser pages are fresh per test. Nothing
touches the repository's corpus/ or data/: the shipped report is copied into a tmp corpus folder,
the index, the feedback database and Gradio's upload cache live under tmp as well.
Screenshots go to test-artifacts/ui/ (git-ignored).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest
from ui_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Server, ingest_kb, open_page, start_server, stop_server


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def ui_kb(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A knowledge base of the shipped report, built in tmp with `policyqa ingest`."""
    root = tmp_path_factory.mktemp("ui-kb")
    corpus, index, report = ingest_kb(root, POLICYQA_CORPUS_DIR=str(root / "corpus"))
    assert report["documents"] == 1 and not report["failed"], report
    return {"root": root, "corpus": corpus, "index": index, "feedback": root / "feedback.sqlite3"}


@pytest.fixture(scope="session")
def ui_server(ui_kb: dict[str, Path], artifacts: Path) -> Iterator[Server]:
    server = start_server(ui_kb["root"], ui_kb["index"], ui_kb["corpus"], ui_kb["feedback"])
    try:
        yield server
    finally:
        stop_server(server)
        shutil.copy2(server.log, artifacts / "serve.log")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, ui_server: Server):
    """A fresh browser session on the chat, with page errors collected in ``page.errors``."""
    context, pg = open_page(browser, ui_server.url)
    try:
        yield pg
    finally:
        context.close()
