"""SIGKILL `policyqa ingest` at seeded random points, over and over; the knowledge base never tears.

tests/ingest/test_killed_ingest.py kills one ingest once, in the embedding stage. Here a few hundred
one-chunk documents are ingested by real `policyqa ingest` subprocesses that are killed more than
twenty times, at seeded random points of each stage (start-up, reading, embedding, the commit), so
that the kills land everywhere; between kills some documents change, as they do. After every kill:

* ``manifest.json`` is byte-for-byte the previously committed one (or, when the kill came after the
  commit, a complete new one -- then some documents are edited so the next run has work again);
* a fresh Assistant answers a fixed question exactly as before (answer text and citations);
* nothing the killed run added to Chroma is trusted: retrieval returns only manifest ids, the
  keyword index holds exactly the manifest's ids, and every committed chunk is still in Chroma.

Finally an uninterrupted run converges to exactly what a clean ingest of the same corpus into a fresh
index gives (chunk ids per document and counts), with no orphans left in Chroma or on disk.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.query import analyse
from ingest.pipeline import ingest
from ingest.store import open_client, read_manifest, reopen
from ingest_helpers import REPORT_ID, copy_report, keyword_ids, settings_for
from rel_helpers import FIXED_FIGURE, FIXED_QUESTION, StderrLog, cli, env_with, note_text, record, write_notes

pytestmark = pytest.mark.slow

N_DOCS = 300
N_KILLS = 22
SEED = 20241129
BATCH = "8"  # small embedding batches: a kill often lands between two Chroma writes
#: how many kills aim at each stage
PLAN = {"startup": 3, "reading": 5, "embedding": 8, "commit": 4, "cleanup": 2}
#: where in its stage each kill lands: seconds after start-up, a random share of the stage's progress bar
#: (so that it does not depend on the machine's speed), seconds after the commit stage shows, or the
#: moment the new manifest is in place (the clean-up of step 5 in ingest/store.py)
STARTUP_DELAY = (0.05, 1.0)
COMMIT_DELAY = (0.0, 0.12)
STAGE_ORDER = ["reading", "embedding", "keyword index"]
NOTE_Q = "测试市第17号科普基地本年度接待参观者多少人次?"
EDITS_AFTER_COMMIT = 60
EDITS_BEFORE_EMBEDDING = 20


def chroma_ids(index_dir: Path, collection: str) -> tuple[set[str], int]:
    """Every id in the collection and its count, read from disk now (not a client cached earlier)."""
    with open_client(index_dir, None, fresh=True).using() as client:
        col = client.get_collection(collection)
        ids = set(col.get(include=[])["ids"])
        return ids, col.count()


def look(settings, e5) -> tuple[tuple, object, list]:
    """A fresh Assistant's answer to the fixed question, its manifest, and what it retrieves for a note."""
    reopen(settings.index_dir)
    bot = Assistant(settings, embedder=e5)
    ans = bot.ask(FIXED_QUESTION)
    key = (ans.answer, ans.refused, [(c.n, c.doc_id, c.chunk_id) for c in ans.citations])
    retrieved = bot.retriever.retrieve(analyse(NOTE_Q), k=30)
    assert bot.kb.valid == bot.kb.manifest.chunk_ids
    return key, bot.kb.manifest, retrieved


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _progress(text: str, stage: str) -> tuple[int, int] | None:
    import re

    found = re.findall(rf"{stage}:[^|\r\n]*\|[^|\r\n]*\|\s*(\d+)/(\d+)", text)
    return (int(found[-1][0]), int(found[-1][1])) if found else None


def _stamp(index_dir: Path) -> tuple[int, int]:
    st = (index_dir / "manifest.json").stat()
    return st.st_ino, st.st_mtime_ns


def _due(log: StderrLog, target: str, at: float, started: float, index_dir: Path, before: tuple[int, int]) -> bool:
    """Whether the kill aimed at ``target`` (``at``: seconds, or a share of the stage's bar) is due."""
    now = time.monotonic()
    if target == "startup":
        return now >= started + at
    if target == "cleanup":
        return _stamp(index_dir) != before  # os.replace gives the manifest a new inode
    stage = {"reading": "reading", "embedding": "embedding", "commit": "keyword index"}[target]
    later = STAGE_ORDER[STAGE_ORDER.index(stage) + 1 :]
    if any(s in log.first_seen for s in later):
        return True  # the stage ended before the share was reached: kill right away
    if stage not in log.first_seen:
        return False
    if target == "commit":
        return now >= log.first_seen[stage] + at
    progress = _progress(log.text, stage)
    return progress is not None and (progress[1] == 0 or progress[0] >= at * progress[1])


def kill_once(big: Path, index_dir: Path, cwd: Path, target: str, at: float) -> dict:
    """Start an ingest of ``big`` and SIGKILL it when ``target`` is reached (see ``_due``)."""
    proc = subprocess.Popen(
        cli("ingest", str(big), "--index-dir", str(index_dir), "--json"),
        cwd=cwd, env=env_with(POLICYQA_EMBED_BATCH_SIZE=BATCH), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    log = StderrLog(proc.stderr)
    started = time.monotonic()
    before = _stamp(index_dir)
    stage_at_kill = None
    try:
        deadline = started + 240
        while proc.poll() is None and time.monotonic() < deadline:
            if _due(log, target, at, started, index_dir, before):
                stage_at_kill = log.stage()
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.003)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.join()
    elapsed = time.monotonic() - started
    assert proc.returncode in (0, -signal.SIGKILL), (proc.returncode, log.text[-3000:])
    if proc.returncode == 0:
        return {"target": target, "landed": "finished before the kill", "seconds": round(elapsed, 2), "killed": False}
    stage, done, total = stage_at_kill or ("startup", 0, 0)
    landed = {"keyword index": "commit"}.get(stage, stage)
    if _stamp(index_dir) != before:
        landed = "after commit (clean-up)"
    return {"target": target, "landed": landed, "progress": f"{done}/{total}", "seconds": round(elapsed, 2), "killed": True}


def test_twenty_kills_never_tear_the_knowledge_base(tmp_path: Path, e5_embedder) -> None:
    started = time.monotonic()
    index_dir = tmp_path / "idx"
    small, big = tmp_path / "small", tmp_path / "big"
    copy_report(small)
    write_notes(big, N_DOCS)
    variants = {i: 0 for i in range(N_DOCS)}
    settings = settings_for(index_dir)

    # the committed knowledge base every kill must leave whole: the shipped report, built by another process
    first = subprocess.run(cli("ingest", str(small), "--index-dir", str(index_dir), "--json"), cwd=tmp_path,
                           env=env_with(), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    committed = (index_dir / "manifest.json").read_bytes()
    baseline, manifest, _ = look(settings, e5_embedder)
    assert not baseline[1] and FIXED_FIGURE in baseline[0], baseline

    def edit(which: list[int]) -> None:
        for i in which:
            variants[i] += 1
            (big / f"note-{i:03d}.txt").write_text(note_text(i, variants[i]), encoding="utf-8")

    rng = random.Random(SEED)
    targets = [stage for stage, n in PLAN.items() for _ in range(n)]
    rng.shuffle(targets)
    assert len(targets) == N_KILLS >= 20
    runs: list[dict] = []
    max_orphans = 0
    commits = 0
    # a run may finish before its kill (little left to do): then it commits, and the loop goes on (bounded)
    while sum(r["killed"] for r in runs) < N_KILLS and len(runs) < N_KILLS + 12:
        target = targets[len(runs) % len(targets)]
        at = rng.uniform(*STARTUP_DELAY) if target == "startup" else rng.uniform(*COMMIT_DELAY) if target == "commit" else rng.random()
        if target == "embedding":
            # documents keep changing between crashes: there is always something to embed
            edit(rng.sample(range(N_DOCS), EDITS_BEFORE_EMBEDDING))
        run = kill_once(big, index_dir, tmp_path, target, at)
        now = (index_dir / "manifest.json").read_bytes()
        answer, manifest, retrieved = look(settings, e5_embedder)
        trusted = manifest.chunk_ids
        in_chroma, _ = chroma_ids(index_dir, manifest.collection)
        assert trusted <= in_chroma, f"committed chunks vanished from Chroma after {run}"
        assert keyword_ids(settings) == trusted, run
        assert {c.chunk_id for c in retrieved} <= trusted, run
        if now == committed:
            assert answer == baseline, (run, answer, baseline)
            max_orphans = max(max_orphans, len(in_chroma - trusted))
        else:
            # the kill came after the commit (or the run finished): the new manifest is complete
            commits += 1
            notes = {d: r for d, r in manifest.documents.items() if d.startswith("note-")}
            assert len(notes) == N_DOCS and len(manifest.documents) == N_DOCS + 1, run
            for doc_id, rec in notes.items():
                assert rec.hash == sha256(big / doc_id), (run, doc_id)
            assert not answer[1] and FIXED_FIGURE in answer[0], answer
            committed, baseline = now, answer
            edit(rng.sample(range(N_DOCS), EDITS_AFTER_COMMIT))  # so that the next runs have work again
        runs.append(run)

    kills = [r for r in runs if r["killed"]]
    assert len(kills) >= N_KILLS, runs
    landed = Counter(r["landed"] for r in runs)
    # the kills really were spread: before the first bar, while reading, while embedding, in the commit
    assert landed["embedding"] and len({r["landed"] for r in kills}) >= 3, landed
    assert max_orphans > 0, "no kill ever left uncommitted additions in Chroma: the test is not testing"

    # an uninterrupted run converges...
    final = subprocess.run(cli("ingest", str(big), "--index-dir", str(index_dir), "--json"), cwd=tmp_path,
                           env=env_with(), capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr[-3000:]
    after = read_manifest(index_dir)
    ids, count = chroma_ids(index_dir, after.collection)
    assert count == after.n_chunks == N_DOCS + len(after.documents[REPORT_ID].chunks)
    assert ids == after.chunk_ids == keyword_ids(settings)
    assert not list(index_dir.glob(".manifest.json.*.tmp")), "killed runs' manifest copies were not cleaned up"
    assert len([p for p in (index_dir / "keyword").iterdir()]) == 1

    # ... to exactly what a clean ingest of the same corpus into a fresh index gives
    fresh = settings_for(tmp_path / "fresh")
    clean = ingest([big], fresh, embedder=e5_embedder)
    assert clean.failed == [] and clean.documents == N_DOCS
    reference = read_manifest(fresh.index_dir)
    assert {d: r.chunks for d, r in after.documents.items() if d.startswith("note-")} == {
        d: r.chunks for d, r in reference.documents.items()
    }
    ref_ids, ref_count = chroma_ids(fresh.index_dir, reference.collection)
    assert ref_count == reference.n_chunks == N_DOCS and ref_ids <= ids

    # and the notes are now answerable, with their latest figures
    bot = Assistant(settings, embedder=e5_embedder)
    note = bot.ask(NOTE_Q)
    expected = f"{1000 + 13 * 17 + 100_000 * variants[17]}人次"
    assert not note.refused and expected in note.answer, (expected, note.answer)
    assert note.citations[0].doc_id == "note-017.txt"
    assert bot.ask(FIXED_QUESTION).answer == baseline[0]

    record(
        "killed_ingest",
        {
            "documents": N_DOCS,
            "kills": len(kills),
            "kills_by_stage": dict(Counter(r["landed"] for r in kills)),
            "runs_that_finished_before_their_kill": landed["finished before the kill"],
            "commits_between_kills": commits,
            "max_uncommitted_chunks_in_chroma": max_orphans,
            "final_chunks": after.n_chunks,
            "seconds": round(time.monotonic() - started, 1),
            "runs": runs,
        },
    )
