"""Two ingests racing for one index, and an ingest while `policyqa serve` answers a stream of questions.

tests/ingest/test_cli_ingest.py holds the lock from the test process; here two real `policyqa ingest`
processes race: the one with a short POLICYQA_LOCK_TIMEOUT gives up with a message while the first
runs, a third one with a long timeout waits its turn, and the index ends up holding both batches,
consistent in Chroma, the keyword index and the manifest.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from ingest.store import read_manifest
from ingest_helpers import keyword_ids, settings_for
from rel_helpers import FIXED_FIGURE, FIXED_QUESTION, StderrLog, cli, env_with, no_traceback, record, write_notes

pytestmark = pytest.mark.slow

NEW_DOC = (
    "测试市科学技术局关于新型研发机构认定结果的通报\n- 时间:2024-10-08\n- 来源:测试市科学技术局\n"
    "经评审,测试市2024年新认定新型研发机构17家,累计达到59家。\n"
)
NEW_Q = "测试市2024年新认定新型研发机构多少家?"
#: questions about the shipped report, each with the figure only its answer holds
ASKED = {
    FIXED_QUESTION: FIXED_FIGURE,
    "截至目前全市共有国家重点实验室多少家?": "国家重点实验室8家",
    "全市已建设多少个国际科技合作基地?": "32个国际科技合作基地",
    "“春城计划”高层次科技人才项目实现经济效益多少?": "50.14亿元",
    "重点产业链创新资源库涵盖多少所高校?": "29所高校",
}


def collection_count(index_dir: Path) -> tuple[set[str], int]:
    from ingest.store import open_client

    with open_client(index_dir, None, fresh=True).using() as client:  # read from disk now, not a view cached earlier
        col = client.get_collection(read_manifest(index_dir).collection)
        return set(col.get(include=[])["ids"]), col.count()


def start_ingest(folder: Path, index_dir: Path, cwd: Path, lock_timeout: float) -> tuple[subprocess.Popen, StderrLog]:
    proc = subprocess.Popen(
        cli("ingest", str(folder), "--index-dir", str(index_dir), "--json"), cwd=cwd,
        env=env_with(POLICYQA_LOCK_TIMEOUT=str(lock_timeout)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    return proc, StderrLog(proc.stderr)


def finish(proc: subprocess.Popen, log: StderrLog, timeout: float = 300) -> tuple[int, str, float]:
    try:
        out = proc.stdout.read().decode("utf-8", "replace")
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.join()
    return proc.returncode, out, time.monotonic()


def test_two_ingests_at_once(rel_kb, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    shutil.copytree(rel_kb["index"], index_dir)
    first, second = tmp_path / "first", tmp_path / "second"
    write_notes(first, 80)  # long enough that the impatient one gives up while it runs
    write_notes(second, 10, start=100)
    before = (index_dir / "manifest.json").read_bytes()

    a, a_log = start_ingest(first, index_dir, tmp_path, lock_timeout=300)
    deadline = time.monotonic() + 120
    while "reading" not in a_log.first_seen and a.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the reading bar shows once A holds the lock
    assert a.poll() is None, a_log.text[-2000:]
    impatient, i_log = start_ingest(second, index_dir, tmp_path, lock_timeout=0.5)
    patient, p_log = start_ingest(second, index_dir, tmp_path, lock_timeout=300)

    code_i, out_i, ended_i = finish(impatient, i_log, timeout=120)
    a_running = a.poll() is None
    manifest_meanwhile = (index_dir / "manifest.json").read_bytes()
    code_a, out_a, ended_a = finish(a, a_log)
    code_p, out_p, ended_p = finish(patient, p_log)

    # the impatient one gave up while A ran, with a message and nothing else
    assert a_running, "A finished before the impatient ingest timed out: make A bigger"
    assert code_i == 2 and no_traceback(i_log.text), i_log.text[-2000:]
    error = json.loads(out_i.strip())["error"]
    assert "Another ingest is running" in error and "waited 0.5 s" in error, error
    assert manifest_meanwhile == before  # A had not committed yet, and nobody else did
    # A and the patient one both succeeded, one after the other
    assert code_a == 0 and code_p == 0, (a_log.text[-1500:], p_log.text[-1500:])
    # (A releases the lock after its commit, then takes a moment to exit)
    assert p_log.first_seen["reading"] > a_log.first_seen["keyword index"], "the patient ingest ran while A held the lock"
    ra, rp = json.loads(out_a.strip().splitlines()[-1]), json.loads(out_p.strip().splitlines()[-1])
    assert (ra["added"], rp["added"]) == (80, 10)

    manifest = read_manifest(index_dir)
    assert len(manifest.documents) == 1 + 80 + 10
    ids, count = collection_count(index_dir)
    assert ids == manifest.chunk_ids == keyword_ids(settings_for(index_dir)) and count == manifest.n_chunks
    record("two_ingests_at_once", {
        "first_ingest_seconds": ra["seconds"], "second_waited_and_took_seconds": round(ended_p - ended_i, 1),
        "impatient_exit": code_i, "impatient_message": error, "documents_after": len(manifest.documents),
    })


def test_ingest_while_serving(rel_server, served_kb, tmp_path: Path) -> None:
    from gradio_client import Client

    new = served_kb["root"] / "incoming"
    write_notes(new, 20, start=200)
    (new / "yanfa.txt").write_text(NEW_DOC, encoding="utf-8")
    log_start = len(rel_server.output())
    stop = threading.Event()
    answers: list[tuple[float, str, bool]] = []
    errors: list[str] = []
    lock = threading.Lock()

    from assistant.relative_time import dated_text  # and 截至目前 with its document's date
    from ui.render import cjk_punct  # the paste-ready text carries Chinese punctuation

    def asker(k: int) -> None:
        client = Client(rel_server.url, verbose=False)
        questions = list(ASKED)
        n = k
        while not stop.is_set():
            q = questions[n % len(questions)]
            n += 1
            try:
                text, result = client.predict(q, None, "extractive", api_name="/ask")
                ok = (
                    result["question"] == q and not result["refused"] and ASKED[q] in result["answer"]
                    and text.startswith(cjk_punct(dated_text(result["answer"], result["citations"]))) and result["citations"]
                    and all(c["doc_id"] == "kunming-sti-2024-09-23.txt" for c in result["citations"])
                )
                with lock:
                    answers.append((time.monotonic(), q, bool(ok)))
                    if not ok:
                        errors.append(f"malformed answer to {q!r}: {result}")
            except Exception as exc:  # any failure of the server counts
                with lock:
                    errors.append(f"{q!r}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=asker, args=(k,), daemon=True) for k in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)  # answers before the ingest starts
    ingest_started = time.monotonic()
    proc, log = start_ingest(new, served_kb["index"], served_kb["root"], lock_timeout=60)
    code, out, ingest_ended = finish(proc, log, timeout=300)
    # the server picks the new manifest up without a restart
    seen_after = None
    client = Client(rel_server.url, verbose=False)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        _, result = client.predict(NEW_Q, None, "extractive", api_name="/ask")
        if not result["refused"] and "17家" in result["answer"]:
            seen_after = time.monotonic() - ingest_ended
            assert result["citations"][0]["doc_id"] == "yanfa.txt"
            break
        time.sleep(0.5)
    time.sleep(2)  # answers after the ingest
    stop.set()
    for t in threads:
        t.join(timeout=120)

    assert code == 0, log.text[-3000:]
    report = json.loads(out.strip().splitlines()[-1])
    assert report["added"] == 21 and not report["failed"], report
    during = [a for a in answers if ingest_started <= a[0] <= ingest_ended]
    assert not errors, errors[:5]
    assert len(during) >= 10, f"only {len(during)} answers while the ingest ran"
    assert seen_after is not None, "the server never answered from the newly ingested document"
    assert rel_server.proc.poll() is None, "the server died"
    assert "Traceback" not in rel_server.output()[log_start:], rel_server.output()[log_start:][-3000:]
    record("ingest_while_serving", {
        "answers_total": len(answers), "answers_during_ingest": len(during), "errors": len(errors),
        "ingest_seconds": round(ingest_ended - ingest_started, 1), "documents_added": report["added"],
        "new_document_answered_after_s": round(seen_after, 2),
    })
