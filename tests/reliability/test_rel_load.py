"""Load: 50 concurrent gradio_client sessions ask `policyqa serve` for 60 seconds, on 127.0.0.1 only.

Each session rotates through questions whose answers hold a figure no other answer holds, so an
answer that went to the wrong session (or a wrong answer) is caught. Reported: answers per second,
p50/p95/max latency, errors (target: none), and answers that did not match their question (none).
tests/ui/test_ui_api.py fires 20 sessions once; this keeps 50 busy for a minute.
"""

from __future__ import annotations

import statistics
import threading
import time

import pytest

from rel_helpers import record
from ui_helpers import QUESTIONS

pytestmark = pytest.mark.slow  # about 70 s

SESSIONS = 50
SECONDS = 60.0
PER_ANSWER_TIMEOUT = 120.0


def test_fifty_sessions_for_a_minute(rel_server) -> None:
    from gradio_client import Client

    assert rel_server.url.startswith("http://127.0.0.1:")
    log_start = len(rel_server.output())
    questions = list(QUESTIONS)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    mismatches: list[str] = []
    clients: list[object] = [None] * SESSIONS
    box: dict[str, float] = {}
    # the clock starts when every session is connected (set by the barrier before it lets anyone go)
    ready = threading.Barrier(SESSIONS + 1, timeout=180, action=lambda: box.update(start=time.monotonic(), end=time.monotonic() + SECONDS))
    answered = [0] * SESSIONS

    def session(k: int) -> None:
        try:
            clients[k] = Client(rel_server.url, verbose=False)
        except Exception as exc:
            with lock:
                errors.append(f"session {k} could not connect: {exc}")
        ready.wait()
        client = clients[k]
        if client is None:
            return
        n = k  # sessions start at different questions
        while time.monotonic() < box["end"]:
            q = questions[n % len(questions)]
            n += 1
            started = time.monotonic()
            try:
                text, result = client.submit(q, None, "extractive", api_name="/ask").result(timeout=PER_ANSWER_TIMEOUT)
            except Exception as exc:
                with lock:
                    errors.append(f"{q!r}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            took = time.monotonic() - started
            others = [m for m in QUESTIONS.values() if m != QUESTIONS[q] and m in result.get("answer", "")]
            ok = result.get("question") == q and QUESTIONS[q] in (result.get("answer", "") + text) and not others
            with lock:
                latencies.append(took)
                answered[k] += 1
                if not ok:
                    mismatches.append(f"{q!r} -> {result.get('question')!r}: {result.get('answer', '')[:120]!r}")

    threads = [threading.Thread(target=session, args=(k,), daemon=True) for k in range(SESSIONS)]
    for t in threads:
        t.start()
    ready.wait()
    for t in threads:
        t.join(timeout=SECONDS + PER_ANSWER_TIMEOUT + 30)
    elapsed = time.monotonic() - box["start"]
    assert not any(t.is_alive() for t in threads), "a session hung"

    lat = sorted(latencies)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731
    figures = {
        "sessions": SESSIONS,
        "seconds": round(elapsed, 1),
        "answers": len(lat),
        "answers_per_second": round(len(lat) / elapsed, 2),
        "latency_p50_s": round(statistics.median(lat), 3) if lat else None,
        "latency_p95_s": round(p(0.95), 3) if lat else None,
        "latency_max_s": round(lat[-1], 3) if lat else None,
        "answers_per_session_min_max": [min(answered), max(answered)],
        "errors": len(errors),
        "mismatched_answers": len(mismatches),
        "server_tracebacks": rel_server.output()[log_start:].count("Traceback"),
    }
    record("load", figures)
    assert not errors, errors[:5]
    assert not mismatches, mismatches[:5]
    assert figures["server_tracebacks"] == 0
    assert min(answered) >= 1, answered  # every session was served
    assert rel_server.proc.poll() is None
