"""Server mode: the dense store is a real `chroma run` server on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant import Assistant
from ingest.pipeline import ingest
from ingest.store import read_manifest
from ingest_helpers import REPORT_ID, copy_report, keyword_ids, run_cli, settings_for, synthetic_doc, write_corpus

pytestmark = pytest.mark.slow  # real subprocesses and the real model


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chroma_cli() -> str:
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the chroma CLI (from the chromadb package) is not installed")
    return found


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A Chroma server on 127.0.0.1:<free port>, stopped whatever happens."""
    data = tmp_path_factory.mktemp("chroma_server")
    port = _free_port()
    log = open(data / "server.log", "wb")
    proc = subprocess.Popen(
        [_chroma_cli(), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=data,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited with {proc.returncode}: {(data / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"chroma server did not answer its heartbeat: {(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def server_ids(url: str, collection: str) -> set[str]:
    port = int(url.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))
    return set(client.get_collection(collection).get(include=[])["ids"])


def test_ingest_and_ask_through_a_chroma_server(chroma_server: str, tmp_path: Path, e5_embedder) -> None:
    corpus = tmp_path / "corpus"
    copy_report(corpus)
    index_dir = tmp_path / "idx"
    result = run_cli("ingest", str(corpus), "--index-dir", str(index_dir), "--chroma-url", chroma_server, "--json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    [report] = result.json_lines()
    assert (report["added"], report["documents"], report["failed"]) == (1, 1, [])
    assert not (index_dir / "chroma").exists(), "server mode must not create an embedded store"

    manifest = read_manifest(index_dir)
    assert server_ids(chroma_server, manifest.collection) == manifest.chunk_ids
    settings = settings_for(index_dir, chroma_url=chroma_server)
    assert keyword_ids(settings) == manifest.chunk_ids

    answer = Assistant(settings, embedder=e5_embedder).ask("昆明1至8月全市共登记技术合同多少项?")
    assert not answer.refused, answer.answer
    assert "7936" in answer.answer
    assert answer.citations and answer.citations[0].doc_id == REPORT_ID
    assert answer.citations[0].source == "昆明信息港"

    # the same server, through the CLI's ask command
    asked = run_cli("ask", "1至8月技术合同成交额是多少?", "--index-dir", str(index_dir), "--chroma-url", chroma_server, "--json", cwd=tmp_path)
    assert asked.code == 0, asked.stderr
    [ans] = asked.json_lines()
    assert not ans["refused"] and ans["citations"][0]["doc_id"] == REPORT_ID


def test_changes_in_server_mode(chroma_server: str, tmp_path: Path, e5_embedder) -> None:
    corpus = tmp_path / "corpus"
    files = write_corpus(corpus, 2, paragraphs=1)
    settings = settings_for(tmp_path / "idx", chroma_url=chroma_server)
    ingest([corpus], settings, embedder=e5_embedder)
    manifest = read_manifest(settings.index_dir)
    old = set(manifest.documents["doc-001.txt"].chunks)

    again = ingest([corpus], settings, embedder=e5_embedder)
    assert (again.unchanged, again.embedded) == (2, 0)

    files[1].write_text(synthetic_doc(1, paragraphs=1, variant="(更正)"), encoding="utf-8")
    files[0].unlink()
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert (report.updated, report.removed, report.documents) == (1, 1, 1)
    manifest = read_manifest(settings.index_dir)
    ids = server_ids(chroma_server, manifest.collection)
    assert ids == manifest.chunk_ids == keyword_ids(settings)
    assert not old & ids
