"""Helpers of the UI tests: build a knowledge base, start and stop a real `policyqa serve`, plain HTTP checks (not a test file)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "ui"
SHIPPED = REPO / "corpus" / "kunming-sti-2024-09-23.txt"
CHROMIUM = Path(os.environ.get("POLICYQA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: ten questions on the shipped report, each answered by a different sentence: the marker is in that
#: answer and no other (asked by tests/ui/test_ui_api.py and tests/reliability/test_rel_load.py)
QUESTIONS: dict[str, str] = {
    "1至8月技术合同成交额是多少?": "122.78亿元",
    "截至目前全市共有国家重点实验室多少家?": "国家重点实验室8家",
    "全市已建设多少个国际科技合作基地?": "32个国际科技合作基地",
    "“春城计划”高层次科技人才项目实现经济效益多少?": "50.14亿元",
    "市科技局共向省科技厅推荐项目多少个?": "推荐项目71个",
    "1至7月小分队开展上门服务活动多少次?": "100余次",
    "重点产业链创新资源库涵盖多少所高校?": "29所高校",
    "第一批市级企业科技创新中心上年度共获各项专利多少项?": "专利80项",
    "How many national key laboratories does Kunming have?": "國家重點實驗室8家",
    "深圳2022年的专利授权量是多少?": "文档中没有找到",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def policyqa_exe() -> list[str]:
    exe = Path(sys.executable).with_name("policyqa")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant.cli"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without a developer's POLICYQA_* settings or proxies, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_") and "proxy" not in k.lower()}
    env.update({"GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1", "NO_PROXY": "127.0.0.1,localhost"})
    env.update(extra)
    return env


def ingest_kb(
    root: Path, files: Sequence[Path] = (SHIPPED,), texts: dict[str, str] | None = None, timeout: float = 300, **env: str
) -> tuple[Path, Path, dict[str, Any]]:
    """Build a knowledge base under ``root`` with a real `policyqa ingest`, as a user would.

    ``files`` are copied and ``texts`` (name -> content) written into root/corpus; the index goes to
    root/index and ``env`` is added to the clean environment. Returns (corpus, index, the --json report).
    """
    corpus = root / "corpus"
    corpus.mkdir()
    for f in files:
        shutil.copy2(f, corpus / f.name)
    for name, text in (texts or {}).items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = root / "index"
    done = subprocess.run(
        [*policyqa_exe(), "ingest", str(corpus), "--index-dir", str(index), "--json"],
        cwd=root, env=clean_env(**env), capture_output=True, text=True, timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return corpus, index, json.loads(done.stdout.strip().splitlines()[-1])


def http_status(url: str, timeout: float = 5.0) -> int:
    req = urllib.request.Request(url, headers={"User-Agent": "policyqa-tests"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    try:
        with opener.open(req, timeout=timeout) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - report redirects as they are
        return None


@dataclass
class Server:
    url: str
    port: int
    proc: subprocess.Popen
    log: Path
    index_dir: Path
    corpus_dir: Path
    feedback_db: Path
    started_in: float

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def start_server(root: Path, index_dir: Path, corpus_dir: Path, feedback_db: Path, timeout: float = 180.0, **env: str) -> Server:
    """Start `policyqa serve` on a free loopback port and wait until it answers HTTP."""
    port = free_port()
    log = root / f"serve-{port}.log"
    gradio_tmp = root / "gradio-tmp"
    gradio_tmp.mkdir(parents=True, exist_ok=True)
    cmd = [*policyqa_exe(), "serve", "--index-dir", str(index_dir), "--host", "127.0.0.1", "--port", str(port)]
    environ = clean_env(
        POLICYQA_CORPUS_DIR=str(corpus_dir), POLICYQA_FEEDBACK_DB=str(feedback_db), GRADIO_TEMP_DIR=str(gradio_tmp), **env
    )
    started = time.monotonic()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=environ, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    server = Server(url, port, proc, log, index_dir, corpus_dir, feedback_db, 0.0)
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"policyqa serve exited with {proc.returncode}:\n{server.output()[-4000:]}")
        try:
            if http_status(url, timeout=2) in (200, 401, 302, 307):
                server.started_in = time.monotonic() - started
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"policyqa serve did not answer within {timeout:.0f} s:\n{server.output()[-4000:]}")


def stop_server(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(timeout=10)


def open_page(browser, url: str, **context_options: Any):
    """A fresh browser context and page on ``url`` (chat loaded), page errors and dialogs collected in
    ``page.errors``; returns (context, page): the caller closes the context."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN", **context_options)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.errors.append(f"dialog: {d.message}"), d.dismiss()))  # type: ignore[attr-defined]
    pg.set_default_timeout(60_000)
    pg.goto(url)
    pg.wait_for_selector("#pq-question textarea")
    return context, pg
