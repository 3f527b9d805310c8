"""One measurement per process, so that each peak RSS and each start-up is its own.

``python -m bench.worker JOB --out result.json [options]`` with JOB one of:

* ``size``: ingest a generated corpus, raw embedder throughput on the same texts, re-ingest of the
  unchanged corpus, disk, retrieval and answer latency, hit@3 on generated questions;
* ``startup``: a fresh process's imports + ``Assistant(settings)`` + first ``ask``;
* ``server``: the same ingest and queries against a ``chroma run`` server and embedded, with the
  vectors of the ``size`` job (no model work, so the difference is the store);
* ``quality``: hit@k on ``tests/eval/questions.jsonl`` for our pipeline and the LangChain recipe,
  and the recipe's ingest and query speed on a generated corpus.

The orchestrator (``python -m bench``) runs these and assembles the report.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from bench.measure import (
    CachedEmbedder,
    Lazy,
    RecordingEmbedder,
    StageClock,
    SyntheticEmbedder,
    index_disk,
    load_vectors,
    loadavg,
    peak_rss_bytes,
    percentiles,
    proc_peak_rss_bytes,
    save_vectors,
    timed,
)

REPO = Path(__file__).resolve().parent.parent


def _settings(index_dir: Path, **kw: Any):
    from ingest.settings import Settings

    return Settings(index_dir=index_dir, **kw)


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def _hit3(rows: list[dict], results: list[Any]) -> dict[str, Any]:
    """hit@1/3 with ``assistant.evaluation.hit_rank`` (a chunk of row.doc containing row.support)."""
    from assistant.evaluation import EvalRow, hit_rank

    ranks = []
    for row, res in zip(rows, results):
        er = EvalRow(row["id"], row["q"], row.get("expect") or [], row["doc"], row["support"], True)
        ranks.append(hit_rank(er, res))
    n = max(len(ranks), 1)
    return {"n": len(ranks), "hit@1": round(sum(1 for r in ranks if r == 1) / n, 4),
            "hit@3": round(sum(1 for r in ranks if r is not None and r <= 3) / n, 4)}


class _Ranked:
    def __init__(self, retrieved: list[Any]) -> None:
        self.retrieved = retrieved


def query_latencies(settings: Any, embedder: Any, rows: list[dict], keyword_only_too: bool = True) -> dict[str, Any]:
    """Retrieval (analyse + HybridRetriever.retrieve) and Assistant.ask latencies.

    The first half of ``rows`` is retrieved, the second half asked, so that neither is timed on
    questions whose chunks the other already pulled into the knowledge base's cache; a warm-up
    question (the last row) goes first (start-up is measured apart, in a fresh process).
    """
    from assistant.api import Assistant
    from assistant.query import analyse
    from assistant.retrieval import HybridRetriever, KnowledgeBase

    half = max(1, (len(rows) - 1) // 2)
    warm, rows_r, rows_a = rows[-1], rows[:half], rows[half : 2 * half]
    with timed() as t_construct:
        bot = Assistant(settings, embedder=embedder)
    with timed() as t_first:
        bot.ask(warm["q"])
    retrieval, answers, ranked = [], [], []
    for row in rows_r:
        t = time.perf_counter()
        chunks = bot.retriever.retrieve(analyse(row["q"]))
        retrieval.append(time.perf_counter() - t)
        ranked.append(_Ranked(chunks))
    refused = 0
    answered: list[Any] = []
    for row in rows_a:
        t = time.perf_counter()
        ans = bot.ask(row["q"])
        answers.append(time.perf_counter() - t)
        refused += ans.refused
        answered.append(ans)
    hybrid = _hit3(rows_r + rows_a, ranked + answered)
    out: dict[str, Any] = {
        "assistant_construct_s": round(t_construct.wall, 3),
        "first_ask_s": round(t_first.wall, 3),
        "retrieve": percentiles(retrieval),
        "ask": percentiles(answers),
        "hybrid": hybrid,
        "answers_refused": f"{refused}/{len(rows_a)}",
    }
    out["peak_rss_after_queries_bytes"] = peak_rss_bytes()  # before the keyword-only pass loads a second index
    if keyword_only_too:
        kw_settings = settings.with_overrides(dense_weight=0.0)
        kw = HybridRetriever(KnowledgeBase(kw_settings, embedder=embedder), kw_settings)
        kw_ranked, kw_lat = [], []
        for row in rows_r + rows_a:
            t = time.perf_counter()
            kw_ranked.append(_Ranked(kw.retrieve(analyse(row["q"]))))
            kw_lat.append(time.perf_counter() - t)
        out["keyword_only"] = {**_hit3(rows_r + rows_a, kw_ranked), "retrieve": percentiles(kw_lat)}
    return out


# --- job: size --------------------------------------------------------------------------------------


def job_size(a: argparse.Namespace) -> dict[str, Any]:
    from bench.generate import questions
    from ingest.pipeline import ingest

    corpus = Path(a.corpus)
    docs = corpus / "docs"
    work = Path(a.work)
    index_dir = _fresh(work / f"index-{a.size}")
    settings = _settings(index_dir)
    res: dict[str, Any] = {"size": a.size, "load_start": loadavg(), "synthetic_vectors": a.synthetic}
    rows = questions(corpus, 2 * a.questions + 1)
    res["first_question"] = rows[0]["q"]

    # the embedder
    with timed() as t_load:
        real = Lazy(settings.embed_model, settings.embed_batch_size)
        if not a.synthetic:
            real.get()
    res["model_load_s"] = round(t_load.wall, 3)
    if a.synthetic:
        base, base_note = _synthetic_base(Path(a.base_vectors) if a.base_vectors else None, real, docs, settings, a.base_n)
        name = real.get().name
        embedder: Any = SyntheticEmbedder(base, name, real)
        res["synthetic"] = {"base_vectors": int(len(base)), "base_from": base_note, "noise": embedder.noise,
                            "note": "SYNTHETIC VECTORS: passage vectors are perturbed copies of real ones; "
                                    "no embedding throughput or dense quality is measured at this size"}
    else:
        embedder = RecordingEmbedder(real.get())

    # 1. ingest
    clock = StageClock()
    rss_before = peak_rss_bytes()
    with timed() as t_ingest:
        report = ingest([docs], settings, progress=clock, embedder=embedder)
    res["chunks"] = report.chunks
    res["documents"] = report.documents
    res["ingest"] = {
        **t_ingest.to_json(),
        "chunks_per_s": round(report.chunks / t_ingest.wall, 2),
        "chunks_per_cpu_s": round(report.chunks / max(t_ingest.cpu, 1e-9), 2),
        "embedded": report.embedded,
        "failed": len(report.failed),
        "stages_s": clock.durations(t_ingest.wall),
        "in_embed_passages_s": round(embedder.seconds, 3),
        "outside_embedder_s": round(t_ingest.wall - embedder.seconds, 3),
    }
    res["peak_rss_after_ingest_bytes"] = peak_rss_bytes()
    res["peak_rss_before_ingest_bytes"] = rss_before  # interpreter, imports and the loaded model

    # 2. the same embedder, raw, on the same texts in the same batches
    if not a.synthetic:
        batches = embedder.batches
        if a.raw_sample and a.raw_sample < report.chunks:
            rng = np.random.default_rng(1)
            flat = [t for b in batches for t in b]
            pick = sorted(rng.choice(len(flat), a.raw_sample, replace=False))
            flat = [flat[i] for i in pick]
            batches = [flat[i : i + settings.embed_batch_size] for i in range(0, len(flat), settings.embed_batch_size)]
        n_raw = sum(len(b) for b in batches)
        inner = embedder.inner
        with timed() as t_raw:
            for b in batches:
                inner.embed_passages(b)
        raw_cps = n_raw / t_raw.wall
        res["raw_embed"] = {**t_raw.to_json(), "texts": n_raw, "chunks_per_s": round(raw_cps, 2),
                            "chunks_per_cpu_s": round(n_raw / max(t_raw.cpu, 1e-9), 2),
                            "mean_chars": round(float(np.mean([len(t) for b in batches for t in b])), 1),
                            "sample": bool(a.raw_sample and a.raw_sample < report.chunks),
                            "of_texts": report.chunks}
        res["ingest"]["ratio_vs_raw_embed"] = round(res["ingest"]["chunks_per_s"] / raw_cps, 3)
        res["ingest"]["ratio_embed_share"] = round(embedder.seconds / t_ingest.wall, 3)
        res["ingest"]["ratio_cpu"] = round(res["ingest"]["chunks_per_cpu_s"] / res["raw_embed"]["chunks_per_cpu_s"], 3)
        save_vectors(work / "vectors" / f"{a.size}.npz", embedder.vectors)
    else:
        # the base vectors, for the server job at this size
        save_vectors(work / "vectors" / f"{a.size}-synthetic-base.npz", {str(i): v for i, v in enumerate(embedder.base)})

    # 3. re-ingest of the unchanged corpus
    clock2 = StageClock()
    with timed() as t_re:
        again = ingest([docs], settings, progress=clock2, embedder=embedder)
    res["reingest_unchanged"] = {**t_re.to_json(), "embedded": again.embedded, "unchanged": again.unchanged,
                                 "stages_s": clock2.durations(t_re.wall)}

    # 4. disk
    res["disk_bytes"] = index_disk(index_dir)

    # 5. latencies and hit@3 on generated questions (dense quality only with real vectors)
    res["queries"] = query_latencies(settings, embedder, rows)
    if a.synthetic:
        res["queries"]["hybrid"]["note"] = "dense side over synthetic vectors: not a quality figure"
    res["peak_rss_bytes"] = res["queries"]["peak_rss_after_queries_bytes"]
    res["load_end"] = loadavg()
    res["index_dir"] = str(index_dir)
    return res


def _synthetic_base(path: Path | None, real: Lazy, docs: Path, settings: Any, n: int) -> tuple[np.ndarray, str]:
    """Real passage vectors to perturb: from an earlier real run, else embedded now for ``n`` chunks."""
    if path and path.exists():
        vecs = load_vectors(path)
        if vecs:
            return np.stack(list(vecs.values())), f"{len(vecs)} real vectors from {path.name}"
    from ingest.chunking import chunk_document
    from ingest.normalize import parse_header

    texts: list[str] = []
    for f in sorted(docs.rglob("*.txt")):
        text = f.read_text(encoding="utf-8").strip()
        texts += [c.search_text for c in chunk_document(f.name, text, parse_header(text).title or f.stem,
                                                        settings.chunk_size, settings.chunk_overlap)]
        if len(texts) >= n:
            break
    return real.get().embed_passages(texts[:n]), f"{n} chunks embedded for real in this run"


# --- job: startup -------------------------------------------------------------------------------------


def job_startup(a: argparse.Namespace) -> dict[str, Any]:
    """Run first in a fresh interpreter: imports, construction and the first answer."""
    t0 = time.perf_counter()
    from assistant.api import Assistant

    t_import = time.perf_counter() - t0
    settings = _settings(Path(a.index_dir))
    t1 = time.perf_counter()
    bot = Assistant(settings)
    t_construct = time.perf_counter() - t1
    t2 = time.perf_counter()
    ans = bot.ask(a.question)
    t_first = time.perf_counter() - t2
    t3 = time.perf_counter()
    bot.ask(a.question)
    t_second = time.perf_counter() - t3
    return {"import_s": round(t_import, 3), "construct_s": round(t_construct, 3), "first_ask_s": round(t_first, 3),
            "total_s": round(t_import + t_construct + t_first, 3), "second_ask_s": round(t_second, 3),
            "refused": ans.refused, "peak_rss_bytes": peak_rss_bytes()}


# --- job: server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(path: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``chroma run`` on 127.0.0.1:<free port>; always stopped (its own process group, by pid)."""
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([exe, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    pid_file = log.with_suffix(".pid")
    pid_file.write_text(str(proc.pid))  # the orchestrator stops it if this worker dies first
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {proc.returncode}; see {log}")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"chroma run did not answer on {url} within 60 s; see {log}")
            time.sleep(0.3)
        yield url, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        pid_file.unlink(missing_ok=True)


def job_server(a: argparse.Namespace) -> dict[str, Any]:
    from bench.generate import questions
    from ingest.pipeline import ingest

    corpus = Path(a.corpus)
    docs = corpus / "docs"
    work = Path(a.work)
    rows = questions(corpus, 2 * a.questions + 1)
    real = Lazy(_settings(work).embed_model)
    name = real.get().name
    if a.synthetic:
        base, note = _synthetic_base(Path(a.base_vectors) if a.base_vectors else None, real, docs, _settings(work), a.base_n)
        embedder: Any = SyntheticEmbedder(base, name, real)
        vectors_note = f"synthetic vectors ({note})"
    else:
        cache = load_vectors(Path(a.vectors))
        embedder = CachedEmbedder(name, real.get().dim, cache, real.get(), real)
        vectors_note = f"{len(cache)} real vectors computed by the size job, reused (no model work during ingest)"
    res: dict[str, Any] = {"size": a.size, "vectors": vectors_note, "load_start": loadavg()}
    _warm_up(work, embedder)
    for where in ("embedded", "server"):
        index_dir = _fresh(work / f"server-test-{where}")
        store_dir = _fresh(work / "chroma-server-data")
        with (chroma_server(store_dir, work / "chroma-server.log") if where == "server" else _nothing()) as srv:
            url = srv[0] if srv else None
            settings = _settings(index_dir, chroma_url=url)
            with timed() as t_ing:
                rep = ingest([docs], settings, embedder=embedder)
            with timed() as t_re:
                ingest([docs], settings, embedder=embedder)
            q = query_latencies(settings, embedder, rows, keyword_only_too=False)
            out = {"chunks": rep.chunks, "ingest": {**t_ing.to_json(), "chunks_per_s": round(rep.chunks / t_ing.wall, 1)},
                   "reingest_unchanged": t_re.to_json(), "retrieve": q["retrieve"], "ask": q["ask"], "hybrid": q["hybrid"]}
            if srv:
                out["server_peak_rss_bytes"] = proc_peak_rss_bytes(srv[1].pid)
                out["server_disk_bytes"] = sum(f.stat().st_blocks * 512 for f in store_dir.rglob("*") if f.is_file())
                out["url"] = url
            res[where] = out
        shutil.rmtree(index_dir, ignore_errors=True)
        shutil.rmtree(store_dir, ignore_errors=True)
    e, s = res["embedded"], res["server"]
    res["overhead"] = {
        "ingest_x": round(s["ingest"]["wall_s"] / e["ingest"]["wall_s"], 2),
        "reingest_x": round(s["reingest_unchanged"]["wall_s"] / e["reingest_unchanged"]["wall_s"], 2),
        "retrieve_p50_ms": round(s["retrieve"]["p50_ms"] - e["retrieve"]["p50_ms"], 1),
        "retrieve_p95_ms": round(s["retrieve"]["p95_ms"] - e["retrieve"]["p95_ms"], 1),
        "ask_p50_ms": round(s["ask"]["p50_ms"] - e["ask"]["p50_ms"], 1),
    }
    res["client_peak_rss_bytes"] = peak_rss_bytes()
    res["load_end"] = loadavg()
    return res


def _warm_up(work: Path, embedder: Any) -> None:
    """One tiny ingest and question first, so that neither side pays for imports, jieba's dictionary
    or OpenCC's tables."""
    from assistant.api import Assistant
    from ingest.pipeline import ingest

    folder = _fresh(work / "warm-up")
    (folder / "docs").mkdir()
    (folder / "docs" / "w.txt").write_text("昆明市科技局通知\n- 时间:2024-01-02\n- 来源:昆明市科学技术局\n全市共登记技术合同7936项。\n",
                                          encoding="utf-8")
    settings = _settings(folder / "index")
    ingest([folder / "docs"], settings, embedder=embedder)
    Assistant(settings, embedder=embedder).ask("技术合同登记了多少项?")
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


# --- job: quality -------------------------------------------------------------------------------------


def _run_recipe(work: Path, tag: str, paths: list[Path], answerable: list[Any], embeddings: Any, load_s: float,
                chunk_size: int, chunk_overlap: int) -> dict[str, Any]:
    """The plain recipe on ``paths``: build, then similarity_search(k=4) for each answerable question."""
    from assistant.evaluation import hit_rank
    from bench import baseline as bl

    d = _fresh(work / f"quality-recipe-{tag}")  # a folder per run: chromadb caches clients by path
    with timed() as t_b:
        base = bl.build(paths, embeddings, d, chunk_size, chunk_overlap)
    lat, ranks = [], []
    for r in answerable:
        t = time.perf_counter()
        got = bl.search(base, r.q, k=4)
        lat.append(time.perf_counter() - t)
        ranks.append(hit_rank(r, got))
    n = max(len(ranks), 1)
    out = {"chunks": base.n_chunks, "ingest_s": round(t_b.wall, 3), "model_load_s": round(load_s, 3),
           "chunk_size": chunk_size, "chunk_overlap": chunk_overlap,
           "hit@1": round(sum(1 for x in ranks if x == 1) / n, 4),
           "hit@3": round(sum(1 for x in ranks if x is not None and x <= 3) / n, 4),
           "hit@4": round(sum(1 for x in ranks if x is not None) / n, 4), "query": percentiles(lat)}
    return out


def haystack(corpus: Path, out: Path, avoid: set[str], limit: int = 200) -> Path:
    """Generated documents about other cities (none mentions a place in ``avoid``), as distractors.

    Five documents let a retriever that returns whole documents score hit@3 ≥ 0.6 at random; a bureau's
    real index has hundreds of near-identical reports of other places and years. Documents that mention
    the eval corpus's own city or a place an eval question names are left out, so that no question
    gets a second right answer and no unanswerable one becomes answerable.
    """
    docs = out / "docs"
    shutil.rmtree(out, ignore_errors=True)
    docs.mkdir(parents=True)
    n = 0
    for f in sorted((corpus / "docs").rglob("*.txt")):
        text = f.read_text(encoding="utf-8")
        if any(place in text for place in avoid):
            continue
        target = docs / f.relative_to(corpus / "docs")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        n += 1
        if n >= limit:
            break
    return docs


def job_quality(a: argparse.Namespace) -> dict[str, Any]:
    """hit@k on the shipped evaluation set, alone and among generated distractors: ours vs the LangChain
    recipe (LangChain's default splitter and the RAG tutorial's; MiniLM, and our e5-small)."""
    from assistant.api import Assistant
    from assistant.evaluation import evaluate, read_rows
    from bench import baseline as bl
    from ingest.embedder import LangChainEmbeddings, load_embedder
    from ingest.pipeline import ingest

    work = Path(a.work)
    eval_file = REPO / "tests/eval/questions.jsonl"
    paths = [REPO / "corpus", REPO / "tests/eval/fixtures"]
    rows = read_rows(eval_file)
    answerable = [r for r in rows if r.answerable and r.doc and r.support]
    res: dict[str, Any] = {"eval_file": str(eval_file.relative_to(REPO)), "corpus": [str(p.relative_to(REPO)) for p in paths],
                           "rows": len(rows), "answerable": len(answerable), "load_start": loadavg()}
    sets: dict[str, list[Path]] = {"eval": paths}
    if a.haystack:
        from assistant.query import analyse
        from bench.generate import OTHERS, YUNNAN

        cities = {name for name, _, _ in YUNNAN + OTHERS}  # not 云南 (in every document's source) or other words
        avoid = {_settings(work).home_place} | {p for r in rows for p in analyse(r.q).places if p in cities}
        hay = haystack(Path(a.haystack), work / "quality-haystack", avoid)
        sets["haystack"] = [*paths, hay]
        res["haystack"] = {"from": a.haystack, "documents": sum(1 for _ in hay.rglob("*.txt")), "avoided_places": sorted(avoid),
                           "note": "generated bureau documents of other places (none the home city or a place an eval "
                                   "question names) added to the eval corpus"}

    with timed() as t_load:
        e5 = load_embedder(_settings(work).embed_model, _settings(work).embed_batch_size)
    with timed() as t_ml:
        minilm = bl.MiniLMEmbeddings()
    models = {"MiniLM": (minilm, t_ml.wall), "e5-small": (LangChainEmbeddings(e5), 0.0)}

    for name, set_paths in sets.items():
        index_dir = _fresh(work / f"quality-ours-{name}")
        settings = _settings(index_dir)
        with timed() as t_ing:
            rep = ingest(set_paths, settings, embedder=e5)
        with timed() as t_eval:
            result = evaluate(Assistant(settings, embedder=e5), rows)
        data = result.to_json()
        entry: dict[str, Any] = {"documents": rep.documents, "ours": {
            "chunks": rep.chunks, "ingest_s": round(t_ing.wall, 3), "model_load_s": round(t_load.wall, 3),
            "eval_s": round(t_eval.wall, 3), **{k: data[k] for k in ("hit@1", "hit@3", "hit@5", "mrr@10",
            "answer_accuracy", "refusal_accuracy", "unsupported_figures")}}, "recipes": {}}
        for m, (model, (emb, load_s)) in enumerate(models.items()):
            for sp, (split, (size, overlap)) in enumerate(bl.SPLITTERS.items()):
                entry["recipes"][f"{model}, {split}"] = _run_recipe(
                    work, f"{name}-{m}{sp}", set_paths, answerable, emb, load_s, size, overlap)
        # with whole-document chunks, hit@3 over D documents is 3/D for a retriever that ranks at random
        entry["random_ranking_hit@3_whole_docs"] = round(min(3, rep.documents) / max(rep.documents, 1), 4)
        res[name] = entry
        shutil.rmtree(index_dir, ignore_errors=True)

    base = f"MiniLM, {next(iter(bl.SPLITTERS))}"  # the recipe exactly as written in bench/baseline.py
    res["baseline"] = base
    for name in sets:
        res[name]["margin_hit@3"] = round(res[name]["ours"]["hit@3"] - res[name]["recipes"][base]["hit@3"], 4)
        res[name]["max_possible_margin_hit@3"] = round(1.0 - res[name]["recipes"][base]["hit@3"], 4)
    res["margin_hit@3"] = res["eval"]["margin_hit@3"]

    # the recipe on generated corpora: ingest and query speed, and hit@3 on generated questions
    from bench.generate import questions

    res["generated"] = []
    for corpus in a.corpora or []:
        corpus = Path(corpus)
        info = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))["info"]
        grows = questions(corpus, a.questions)
        d = _fresh(work / f"quality-gen-{info['target_chunks']}")
        with timed() as t_b:
            base = bl.build([corpus / "docs"], minilm, d)
        lat, got = [], []
        for r in grows:
            t = time.perf_counter()
            got.append(bl.search(base, r["q"], k=4))
            lat.append(time.perf_counter() - t)
        res["generated"].append({"size": info["target_chunks"], "documents": base.n_docs, "chunks": base.n_chunks,
                                 "corpus_chars": info["chars"], "ingest": {**t_b.to_json(),
                                 "docs_per_s": round(base.n_docs / t_b.wall, 2), "chunks_per_s": round(base.n_chunks / t_b.wall, 2),
                                 "chars_per_s": round(info["chars"] / t_b.wall, 1)},
                                 "query": percentiles(lat), **_hit3(grows, got), "disk_bytes": _du(d)})
        shutil.rmtree(d, ignore_errors=True)
    res["peak_rss_bytes"] = peak_rss_bytes()
    res["load_end"] = loadavg()
    return res


def _du(path: Path) -> int:
    from bench.measure import du

    return du(path)


# --- entry --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.worker")
    p.add_argument("job", choices=["size", "startup", "server", "quality"])
    p.add_argument("--out", required=True)
    p.add_argument("--work", default="/tmp/policyqa-bench")
    p.add_argument("--corpus")
    p.add_argument("--corpora", nargs="*")
    p.add_argument("--haystack", help="quality: a generated corpus whose other-city documents join the eval corpus")
    p.add_argument("--size", type=int, default=0)
    p.add_argument("--synthetic", action="store_true")
    p.add_argument("--base-vectors")
    p.add_argument("--base-n", type=int, default=256)
    p.add_argument("--vectors")
    p.add_argument("--raw-sample", type=int, default=0)
    p.add_argument("--questions", type=int, default=50)
    p.add_argument("--index-dir")
    p.add_argument("--question", default="昆明1至8月技术合同成交额是多少?")
    a = p.parse_args(argv)
    fn = {"size": job_size, "startup": job_startup, "server": job_server, "quality": job_quality}[a.job]
    result = fn(a)
    Path(a.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
