"""Helpers for the ingestion tests: small generated corpora, the CLI as a subprocess, direct store reads.

Everything here is real: real files, the real embedder, real Chroma. Corpora are kept small because
the e5 model embeds about ten chunks a second on two cores.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.settings import Settings

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "corpus" / "kunming-sti-2024-09-23.txt"
REPORT_ID = REPORT.name

_CITIES = ["昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧", "楚雄", "红河", "文山", "大理"]
_TOPICS = ["技术合同登记", "高新技术企业培育", "科技特派员服务", "专利转化运用", "孵化器建设", "科普活动开展"]


def synthetic_doc(i: int, paragraphs: int = 3, variant: str = "") -> str:
    """A bureau-style Simplified-Chinese report, different for every ``i``, with its own figures.

    Each paragraph is three or four sentences (about 120 characters), so three paragraphs make
    two chunks at the default chunk size.
    """
    city = _CITIES[i % len(_CITIES)]
    topic = _TOPICS[(i // len(_CITIES)) % len(_TOPICS)]
    n = 100 + 7 * i
    lines = [
        f"{city}市科技局通报{topic}工作进展(第{i + 1}期){variant}",
        f"- 时间:2024年{1 + i % 12}月{1 + i % 27}日",
        f"- 来源:{city}市科学技术局",
    ]
    body = [
        f"今年以来,{city}市科技局围绕{topic}持续发力,全市累计完成相关事项{n}项,同比增长{5 + i % 20}.{i % 10}%。"
        f"市科技局组织专题培训{3 + i % 9}场,服务企业和科研单位{40 + i}家次。"
        f"有关负责人表示,下一步将继续优化服务流程,提高办事效率。",
        f"在平台建设方面,{city}新认定市级研发平台{2 + i % 5}个,其中企业牵头建设的占{60 + i % 30}%。"
        f"各平台共吸纳科技人员{200 + 3 * i}名,承担省级以上科技项目{10 + i % 15}项。"
        f"平台运行情况将纳入年度绩效评价。",
        f"在成果转化方面,{city}全年促成科技成果转化{30 + i}项,实现技术交易额{1 + i % 9}.{i % 7}亿元。"
        f"市科技局还联合金融机构推出科技贷款产品,为{15 + i % 11}家科技型中小企业解决融资需求。"
        f"{variant or '相关工作正在有序推进'}。",
        f"在人才引育方面,{city}引进高层次科技人才团队{4 + i % 6}个,新建专家工作站{1 + i % 4}家。"
        f"下一步将围绕重点产业链完善人才服务保障。",
    ]
    return "\n".join(lines + [body[k % len(body)] for k in range(paragraphs)]) + "\n"


def write_corpus(folder: Path, count: int, start: int = 0, paragraphs: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(start, start + count):
        path = folder / f"doc-{i:03d}.txt"
        path.write_text(synthetic_doc(i, paragraphs), encoding="utf-8")
        files.append(path)
    return files


def settings_for(index_dir: Path, **values: Any) -> Settings:
    """Settings for an index folder, ignoring any .env file of the working folder."""
    return Settings(_env_file=None, index_dir=index_dir, **values)


def copy_report(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(REPORT, folder / REPORT_ID))


# --- the CLI as a real subprocess ---------------------------------------------------------------


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_")}
    env.update(extra)
    return env


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", *args]


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json_lines(self) -> list[Any]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 240) -> CliResult:
    proc = subprocess.run(
        cli_command(*args), cwd=cwd, env=env or cli_env(), capture_output=True, text=True, timeout=timeout
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


_STAGES = ("reading", "embedding", "keyword index")
_PROGRESS = re.compile(r"(reading|embedding|keyword index):[^|\r\n]*\|[^|\r\n]*\|\s*(\d+)/(\d+)")
_EMBED_PROGRESS = re.compile(r"embedding:[^|\r\n]*\|[^|\r\n]*\|\s*(\d+)/(\d+)")


class StderrLog:
    """Reads a subprocess's standard error (tqdm bars with \\r) in a thread, noting when each stage first shows.

    Lives here, not in tests/reliability, because both suites watch a running ingest with it
    (tests/reliability puts this folder on sys.path; rel_helpers re-exports it).
    """

    def __init__(self, stream) -> None:
        self.text = ""
        self.started = time.monotonic()
        self.first_seen: dict[str, float] = {}
        self._stream = stream
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for chunk in iter(lambda: self._stream.read1(4096), b""):
            self.text += chunk.decode("utf-8", "replace")
            now = time.monotonic()
            for stage in _STAGES:
                if stage not in self.first_seen and f"{stage}:" in self.text:
                    self.first_seen[stage] = now

    def join(self, timeout: float = 10) -> None:
        self._thread.join(timeout)

    def stage(self) -> tuple[str, int, int]:
        """(the last stage shown, done, total) -- ("startup", 0, 0) before the first bar."""
        found = _PROGRESS.findall(self.text)
        if not found:
            return ("startup", 0, 0)
        stage, done, total = found[-1]
        return stage, int(done), int(total)

    def embedded(self) -> tuple[int, int]:
        """(done, total) of the last embedding bar -- (0, 0) before it shows."""
        found = _EMBED_PROGRESS.findall(self.text)
        return (int(found[-1][0]), int(found[-1][1])) if found else (0, 0)


# --- direct reads of the two stores ---------------------------------------------------------------


def chroma_ids(settings: Settings) -> set[str]:
    """Every id in the manifest's collection, read with chromadb itself (not through ingest.store)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from ingest.store import read_manifest

    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    client = chromadb.PersistentClient(
        path=str(settings.index_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_collection(manifest.collection)
    return set(collection.get(include=[])["ids"])


def keyword_ids(settings: Settings) -> set[str]:
    from ingest.store import load_keyword_index, read_manifest

    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    index = load_keyword_index(settings.index_dir, manifest)
    assert set(index.tokens) == set(index.ids)
    return set(index.ids)
