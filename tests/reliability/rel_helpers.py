"""Helpers of the reliability suite (not a test file): summary figures, generated corpora, subprocesses, a browser thread."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from ingest_helpers import StderrLog  # noqa: F401  (re-exported)
from ui_helpers import CHROMIUM, CHROMIUM_ARGS, REPO, SHIPPED, clean_env, policyqa_exe  # noqa: F401  (re-exported)

ARTIFACTS = REPO / "test-artifacts" / "reliability"
SUMMARY = ARTIFACTS / "summary.json"
_summary_lock = threading.Lock()
#: sections recorded in this run, for the terminal summary (conftest.py)
RECORDED: list[str] = []

#: asked of the shipped report; the answer (text and citations) must not change under faults
FIXED_QUESTION = "1至8月技术合同成交额是多少?"
FIXED_FIGURE = "122.78亿元"
#: POLICYQA_MAX_UPLOAD_MB of the shared server (Gradio itself refuses uploads over 2 x this + 1 MB)
MAX_UPLOAD_MB = 2


def record(section: str, data: dict[str, Any]) -> None:
    """Merge ``data`` into summary.json under ``section`` and print it (pytest -s shows it; -q keeps it in the log)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with _summary_lock:
        try:
            summary = json.loads(SUMMARY.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summary = {}
        summary[section] = {**data, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        SUMMARY.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if section not in RECORDED:
            RECORDED.append(section)
    print(f"\n[reliability] {section}: {json.dumps(data, ensure_ascii=False)}", flush=True)


def world_readable_tmp(prefix: str) -> Path:
    """A fresh folder under /tmp that an unprivileged user can read (pytest's tmp_path is 0700)."""
    root = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    root.chmod(0o755)
    return root


# --- generated corpora ----------------------------------------------------------------------------


def note_text(i: int, variant: int = 0) -> str:
    """A one-chunk bureau note about a fictional 测试市 site, with figures unique to ``i`` (and ``variant``)."""
    visitors = 1000 + 13 * i + 100_000 * variant
    return (
        f"测试市第{i}号科普基地建设简报{'(修订' + str(variant) + ')' if variant else ''}\n"
        f"- 时间:2023-{1 + i % 12:02d}-{1 + i % 27:02d}\n"
        f"- 来源:测试市科学技术协会\n"
        f"测试市第{i}号科普基地本年度接待参观者{visitors}人次,举办科普讲座{5 + i % 40}场,"
        f"编号为KP{i:04d}的展项完成更新改造。\n"
    )


def write_notes(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + count):
        path = folder / f"note-{i:03d}.txt"
        path.write_text(note_text(i), encoding="utf-8")
        out.append(path)
    return out


# --- subprocesses -----------------------------------------------------------------------------------


def cli(*args: str) -> list[str]:
    """`policyqa ARGS` run by this interpreter, so that SIGKILL hits the ingest itself (no wrapper)."""
    return [sys.executable, "-m", "assistant.cli", *args]


def no_traceback(stderr: str) -> bool:
    return "Traceback" not in stderr and not re.search(r"^\s*File \".*\", line \d+", stderr, re.M)


# --- a browser in its own thread ------------------------------------------------------------------


class BrowserThread:
    """Headless Chromium (Debian's, via Playwright) owned by one worker thread.

    Playwright's sync API allows one instance per thread; tests/ui keeps its own for the whole session,
    so this suite drives its browser from a thread of its own: ``run(fn)`` calls ``fn(browser)`` there.
    """

    def __init__(self) -> None:
        if not CHROMIUM.exists():
            raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rel-browser")
        self._pw: Any = None
        self.browser: Any = None
        self._pool.submit(self._start).result(timeout=120)

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float = 600) -> Any:
        return self._pool.submit(fn, self.browser, *args).result(timeout=timeout)

    def close(self) -> None:
        def stop() -> None:
            try:
                if self.browser is not None:
                    self.browser.close()
            finally:
                if self._pw is not None:
                    self._pw.stop()

        try:
            self._pool.submit(stop).result(timeout=60)
        finally:
            self._pool.shutdown(wait=False)


def env_with(**extra: str) -> dict[str, str]:
    env = clean_env(**extra)
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def run_quiet(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# --- raw HTTP to a Gradio server (no gradio_client: it would upload local paths itself) ----------


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 30,
         opener=None) -> tuple[int, bytes, dict[str, str]]:
    """(status, body, headers) of one request, redirects not followed, no proxy."""
    import urllib.error
    import urllib.request

    from ui_helpers import _NoRedirect

    req = urllib.request.Request(url, data=data, headers={"User-Agent": "policyqa-tests", **(headers or {})})
    opener = opener or urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    try:
        with opener.open(req, timeout=timeout) as resp:
            return int(resp.status), resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read(), dict(exc.headers or {})


def multipart(field: str, filename: str, data: bytes, content_type: str = "application/octet-stream") -> tuple[bytes, str]:
    boundary = "pqboundary" + os.urandom(8).hex()
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode("utf-8")
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def raw_upload(base: str, filename: str, data: bytes, opener=None) -> tuple[int, Any]:
    """POST one file to /gradio_api/upload under ``filename``; (status, JSON list of server paths or text)."""
    body, ctype = multipart("files", filename, data)
    status, out, _ = http(base + "gradio_api/upload", body, {"Content-Type": ctype}, opener=opener)
    try:
        return status, json.loads(out)
    except ValueError:
        return status, out.decode("utf-8", "replace")


def raw_call(base: str, api: str, data: list, opener=None, timeout: float = 120) -> tuple[str, Any]:
    """/gradio_api/call/<api> then its event stream: ("complete", data) or ("error", message)."""
    status, out, _ = http(base + f"gradio_api/call/{api}", json.dumps({"data": data}).encode(),
                          {"Content-Type": "application/json"}, opener=opener)
    if status != 200:
        return f"http {status}", out.decode("utf-8", "replace")[:300]
    event_id = json.loads(out)["event_id"]
    status, stream, _ = http(base + f"gradio_api/call/{api}/{event_id}", opener=opener, timeout=timeout)
    event, payload = "", None
    for line in stream.decode("utf-8", "replace").splitlines():
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and event in ("complete", "error"):
            payload = json.loads(line.split(":", 1)[1].strip() or "null")
    return event, payload


def file_data(path: str) -> dict[str, Any]:
    return {"path": path, "meta": {"_type": "gradio.FileData"}}
