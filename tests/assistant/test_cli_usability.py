"""What a new user meets on the command line, through the real `policyqa` subprocess.

Bad input says one ``error:`` line on standard error with exit code 2 (``{"error": …}`` on standard
output with ``--json``), never a traceback; help texts keep their bracketed hints; the figures
command speaks JSON Lines like the others; ingest's summary stays one line when piped.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from ingest.settings import PROJECT_DIR

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "corpus" / "kunming-sti-2024-09-23.txt"
EVAL_FILE = ROOT / "tests" / "eval" / "questions.jsonl"

pytestmark = pytest.mark.slow  # every case starts the real CLI (seconds on 2 shared cores)


def _exe() -> list[str]:
    script = Path(sys.executable).with_name("policyqa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_") and k != "COLUMNS"}
    env.update({"HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8", "OMP_WAIT_POLICY": "PASSIVE"})
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``policyqa ARGS`` in a clean working folder (no .env, no POLICYQA_*), output as text, stdout piped."""
    cwd = tmp_path_factory.mktemp("cli-usability")
    (cwd / "bad.jsonl").write_text('{"q": "x", "expect": \n', encoding="utf-8")
    (cwd / "not-rows.jsonl").write_text("[1, 2]\n", encoding="utf-8")
    (cwd / "latin1.txt").write_bytes("caf\xe9 question\n".encode("latin-1"))

    def run(*args: str, cwd_: Path | None = None, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_exe(), *args], cwd=cwd_ or cwd, env=_env(**env), stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=timeout,
        )

    run.cwd = cwd  # type: ignore[attr-defined]
    return run


@pytest.fixture(scope="module")
def small_kb(cli, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The shipped report ingested with the real CLI (8 chunks); stdout piped, as in a script."""
    root = tmp_path_factory.mktemp("cli-kb")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / SHIPPED.name).write_bytes(SHIPPED.read_bytes())
    done = cli("ingest", str(corpus), "--index-dir", str(root / "index"))
    assert done.returncode == 0, done.stderr[-2000:]
    return {"index": root / "index", "ingest": done}


# --- help ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["ingest", "status", "ask", "eval", "figures", "serve"])
def test_help_keeps_bracketed_hints_and_has_no_type_placeholders(cli, command: str) -> None:
    done = cli(command, "--help", COLUMNS="100")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # help wraps lines
    assert "[env POLICYQA_" in text, text
    assert "<bool>" not in text and "<str>" not in text and "<path>" not in text, text
    assert "Traceback" not in done.stderr


# --- bad input: one line, exit 2 ------------------------------------------------------------------

ERROR_CASES = [
    # (id, args, words the error line must contain)
    ("eval-missing-index", ["eval", str(EVAL_FILE), "--index-dir", "nowhere/index"], ["knowledge base", "/nowhere/index"]),
    ("eval-missing-file", ["eval", "missing.jsonl", "--index-dir", "nowhere/index"], ["no such file", "/missing.jsonl"]),
    ("eval-malformed-file", ["eval", "bad.jsonl", "--index-dir", "nowhere/index"], ["bad.jsonl:1", "not an evaluation row"]),
    ("eval-rows-not-objects", ["eval", "not-rows.jsonl", "--index-dir", "nowhere/index"], ["not-rows.jsonl:1", "not an evaluation row"]),
    ("eval-a-folder", ["eval", ".", "--index-dir", "nowhere/index"], ["cannot read"]),
    ("batch-missing-file", ["ask", "--batch", "questions.txt", "--index-dir", "nowhere/index"], ["no such file", "/questions.txt"]),
    ("batch-not-utf8", ["ask", "--batch", "latin1.txt", "--index-dir", "nowhere/index"], ["not UTF-8"]),
    ("llm-not-configured", ["ask", "1至8月技术合同成交额是多少?", "--mode", "llm", "--index-dir", "nowhere/index"], ["--mode llm", "POLICYQA_LLM_MODEL"]),
    ("status-relative-index", ["status", "--index-dir", "rel/index"], ["/rel/index"]),
    ("figures-missing-index", ["figures", "--query", "技术合同", "--index-dir", "nowhere/index"], ["knowledge base", "/nowhere/index"]),
]


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_bad_input_is_one_error_line_with_exit_2(cli, case, as_json: bool) -> None:
    _, args, words = case
    done = cli(*args, *(["--json"] if as_json else []))
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for w in words:  # a path ("/x") is named absolute: resolved against the working folder
        assert (f"{cli.cwd}{w}" if w.startswith("/") else w) in lines[0], (w, lines[0])
    if as_json:
        [obj] = [json.loads(x) for x in done.stdout.splitlines()]
        assert obj == {"error": lines[0].removeprefix("error: ")}
    else:
        assert done.stdout == ""


def test_default_index_is_the_projects_from_any_folder(cli, tmp_path: Path) -> None:
    """No --index-dir: the same absolute path, whichever folder the command runs in."""
    expected = str(PROJECT_DIR / "data" / "index")
    outputs = []
    for where in (cli.cwd, tmp_path):
        done = cli("status", "--json", cwd_=where)
        obj = json.loads(done.stdout.splitlines()[0])
        outputs.append(obj)
        if done.returncode == 0:
            assert obj["index_dir"] == expected
        else:
            assert done.returncode == 2 and expected in obj["error"], obj
    assert outputs[0] == outputs[1]


def test_busy_port_is_one_line_before_the_warm_up(cli, small_kb) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        done = cli("serve", "--index-dir", str(small_kb["index"]), "--port", str(port), timeout=120)
        took = time.monotonic() - started
    assert done.returncode == 2, done.stderr[-2000:]
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: ") and str(port) in line and "--port" in line and "POLICYQA_PORT" in line, line
    assert "knowledge base opened" not in done.stdout + done.stderr  # said before the warm-up
    assert took < 60


# --- ingest output -------------------------------------------------------------------------------


def test_ingest_summary_is_one_line_when_piped_and_no_debug_logs(small_kb) -> None:
    done = small_kb["ingest"]
    [summary] = done.stdout.strip().splitlines()
    assert summary.startswith("added 1") and summary.endswith("s)") and len(summary) > 80, summary
    assert "DEBUG" not in done.stderr, done.stderr[-2000:]


# --- figures ------------------------------------------------------------------------------------


def _rows(done: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_figures_json_is_one_object_per_line(cli, small_kb) -> None:
    index = str(small_kb["index"])
    rows = _rows(cli("figures", "--query", "技术合同", "--index-dir", index, "--json"))
    assert rows and all(isinstance(r, dict) for r in rows)
    assert ("122.78", "kunming-sti-2024-09-23.txt") in {(r["value"], r["doc_id"]) for r in rows}
    assert _rows(cli("figures", "--query", "技术合同", "--index-dir", index, "--format", "json")) == rows


@pytest.mark.parametrize(
    "simplified, traditional",
    [("技术合同", "技術合同"), ("国家重点实验室", "國家重點實驗室"), ("高新技术企业", "高新技術企業"), ("1月至8月 成交额", "1月至8月 成交額")],
)
def test_figures_traditional_query_finds_the_same_rows(cli, small_kb, simplified: str, traditional: str) -> None:
    index = str(small_kb["index"])
    a = _rows(cli("figures", "--query", simplified, "--index-dir", index, "--json"))
    b = _rows(cli("figures", "--query", traditional, "--index-dir", index, "--json"))
    assert a and a == b


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["--doc", "no-such-doc.txt"], 2, ["error:", "no-such-doc.txt", "kunming-sti-2024-09-23.txt"]),
        (["--query", "没有这种指标"], 1, ["no figures match", "没有这种指标"]),
    ],
    ids=["unknown-doc", "no-rows"],
)
def test_figures_unknown_doc_or_no_rows_say_so(cli, small_kb, args: list[str], code: int, words: list[str]) -> None:
    done = cli("figures", *args, "--index-dir", str(small_kb["index"]))
    assert done.returncode == code, done.stderr
    assert done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    for w in words:
        assert w in line, line
