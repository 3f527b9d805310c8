"""Load: 50 concurrent API clients for 60 s against one `policyqa serve` (REST and OpenAI-compatible).

Each client asks the ten QUESTIONS of tests/ui/ui_helpers.py in turn; every answer must hold the
marker of its own question (and no error), so an answer delivered to the wrong request is caught.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from pathlib import Path

import pytest

from api_helpers import READ, client
from ui_helpers import QUESTIONS

pytestmark = pytest.mark.slow

CLIENTS = 50
SECONDS = 60.0
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "api"


def test_50_clients_for_60_seconds(api_server) -> None:
    questions = list(QUESTIONS.items())
    latencies: list[float] = []
    errors: list[str] = []
    mismatches: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)
    deadline: list[float] = []

    def worker(k: int) -> None:
        chat = k % 2 == 1  # half the clients use /v1/chat/completions, half /api/v1/ask
        with client(api_server.url, READ, timeout=120) as http:
            start.wait()
            n = k
            while time.monotonic() < deadline[0]:
                question, marker = questions[n % len(questions)]
                n += 1
                t0 = time.monotonic()
                try:
                    if chat:
                        resp = http.post("/v1/chat/completions", json={"model": "policyqa", "messages": [{"role": "user", "content": question}]})
                        body = resp.json()
                        text, ok_question = body["choices"][0]["message"]["content"], True
                    else:
                        resp = http.post("/api/v1/ask", json={"question": question})
                        body = resp.json()
                        text, ok_question = body["answer"], body["question"] == question
                    took = time.monotonic() - t0
                    with lock:
                        if resp.status_code != 200 or body.get("error"):
                            errors.append(f"{resp.status_code}: {str(body)[:200]}")
                        elif not ok_question or marker not in text:
                            mismatches.append(f"{question!r} → {text[:120]!r}")
                        else:
                            latencies.append(took)
                except Exception as exc:  # any failure of the server counts
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(CLIENTS)]
    deadline.append(time.monotonic() + SECONDS + 5)  # the barrier releases all clients together
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 180)
    latencies.sort()
    result = {
        "clients": CLIENTS, "seconds": SECONDS, "answers": len(latencies), "errors": len(errors), "mismatches": len(mismatches),
        "per_second": round(len(latencies) / SECONDS, 1),
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3) if latencies else None,
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"\napi load: {result}")
    assert not errors, errors[:5]
    assert not mismatches, mismatches[:5]
    assert len(latencies) >= CLIENTS
