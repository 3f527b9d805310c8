"""A long-running `policyqa serve` picks up 50 ingests of another process without growing.

Each ingest commits a new manifest; the server's knowledge base reopens its Chroma client
(ingest.store.ClientHandle: close() and open, chromadb's public API) and must answer the new
document at once. Its resident memory after the 50th ingest must stay within 10 % of after the first.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from api_helpers import client
from ingest_worker import note
from ui_helpers import clean_env, ingest_kb, start_server, stop_server

pytestmark = pytest.mark.slow

INGESTS = 50


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_rss_stays_flat_over_50_ingests_and_each_new_document_is_answered(tmp_path: Path) -> None:
    corpus, index, _ = ingest_kb(tmp_path)
    server = start_server(tmp_path, index, corpus, tmp_path / "fb.sqlite3")
    worker = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("ingest_worker.py")), str(corpus), str(index)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=clean_env(PYTHONPATH=str(Path(__file__).resolve().parents[2])),
        cwd=tmp_path,
    )
    rss: list[float] = []
    lag: list[float] = []
    try:
        assert worker.stdout.readline().strip() == "ready"
        with client(server.url) as http:
            for n in range(1, INGESTS + 1):
                worker.stdin.write(f"{n}\n")
                worker.stdin.flush()
                assert worker.stdout.readline().split() == ["done", str(n), "1"]
                committed = time.monotonic()
                _, question, figure = note(n)
                ans = http.post("/api/v1/ask", json={"question": question}).json()
                lag.append(time.monotonic() - committed)
                assert not ans["refused"] and figure in ans["answer"], (n, ans["answer"])
                assert ans["citations"][0]["doc_id"] == f"note-{n}.txt"
                hits = http.post("/api/v1/search", json={"query": question, "k": 3}).json()["passages"]
                assert hits[0]["doc_id"] == f"note-{n}.txt"
                rss.append(rss_mb(server.proc.pid))
    finally:
        worker.kill()
        worker.wait()
        stop_server(server)
    growth = rss[-1] / rss[0] - 1
    print(f"\nserve RSS after ingest 1: {rss[0]:.1f} MB, after 10: {rss[9]:.1f} MB, after {INGESTS}: {rss[-1]:.1f} MB "
          f"({growth:+.1%}); max {max(rss):.1f} MB; answer right after each commit: max {max(lag):.2f} s")
    assert growth <= 0.10, rss
