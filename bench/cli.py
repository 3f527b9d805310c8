"""``python -m bench``: run the benchmarks, print a table, write JSON (and the same tables as Markdown).

    python -m bench --sizes 1000 --out bench/results/latest.json
    python -m bench --sizes 1000,10000,100000 --out bench/results/latest.json
    python -m bench devsets [--set cmrc|drcd|all] ...   # answer quality on the development sets (bench/devsets.py)

Per size: a generated corpus of about that many chunks (bench/generate.py), then in separate
processes (so each peak RSS and start-up is its own): the ``size`` job, a fresh-process ``startup``,
and once per run the Chroma-server job and the ``quality`` job (ours vs the plain LangChain recipe).

Embedding is the physical limit on this kind of machine (2 cores, no GPU). A size is embedded for
real when ``--mode real``, or in ``--mode auto`` when the chunks/s measured at the previous real size
predicts that its ingest plus the raw-embedder pass fits ``--real-budget-min``. Other sizes run with
SYNTHETIC vectors (real vectors of a subset, perturbed): store, keyword, re-ingest, start-up and query
paths are real there, embedding throughput and dense quality are not measured, and the output says so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import loadavg, machine, versions

REPO = Path(__file__).resolve().parent.parent


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')} load {' '.join(f'{x:.1f}' for x in os.getloadavg())}] {msg}", file=sys.stderr, flush=True)


_WORKER_ENV: dict[str, str] = {}


def _run_worker(args: list[str], out: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.worker", *args, "--out", str(out)]
    started = time.perf_counter()
    out.unlink(missing_ok=True)
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**os.environ, **_WORKER_ENV})
    elapsed = time.perf_counter() - started
    if proc.returncode != 0 or not out.exists():
        tail = "\n".join(proc.stdout.splitlines()[-25:])
        _log(f"worker {args[0]} failed ({proc.returncode}):\n{tail}")
        return {"error": f"exit {proc.returncode}", "output_tail": tail, "job_wall_s": round(elapsed, 1)}
    data = json.loads(out.read_text(encoding="utf-8"))
    data["job_wall_s"] = round(elapsed, 1)
    return data


def _stop_stray_server(work: Path) -> None:
    pid_file = work / "chroma-server.pid"
    if pid_file.exists():
        try:
            pid = int(pid_file.read_text())
            os.killpg(pid, signal.SIGTERM)
            _log(f"stopped a chroma server left by a failed worker (pid {pid})")
        except (ValueError, ProcessLookupError, PermissionError):
            pass
        pid_file.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["devsets"]:
        from bench.devsets import main as devsets_main

        return devsets_main(args[1:])
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1000", help="comma-separated target chunk counts (default 1000)")
    p.add_argument("--out", default="bench/results/latest.json")
    p.add_argument("--work", default="/tmp/policyqa-bench", help="corpora (cached), indexes and vectors")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--questions", type=int, default=50, help="generated questions per latency measurement")
    p.add_argument("--raw-sample", type=int, default=2000, help="at most this many of the ingested texts for the raw-embedder pass (0 = all)")
    p.add_argument("--mode", choices=["auto", "real", "synthetic"], default="auto")
    p.add_argument("--real-budget-min", type=float, default=25.0, help="auto: embed a size for real if predicted to fit")
    p.add_argument("--max-real", type=int, default=10000, help="auto: never embed more chunks than this for real")
    p.add_argument("--base-n", type=int, default=256, help="real vectors behind synthetic ones, when no real run gave any")
    p.add_argument("--server-size", type=int, default=-1, help="size for the Chroma server job (-1: 10000 if run, else the largest; 0: skip)")
    p.add_argument("--no-quality", action="store_true", help="skip ours-vs-LangChain quality")
    p.add_argument("--ocr-pages", type=int, default=0, help="also measure OCR pages/s and its share of ingest time (bench.ocr)")
    p.add_argument("--keep", action="store_true", help="keep the indexes under --work")
    p.add_argument("--omp-wait-policy", default="PASSIVE",
                   help="OMP_WAIT_POLICY for the workers (PASSIVE, as `policyqa serve` sets it; '' leaves the environment)")
    a = p.parse_args(argv)
    if a.omp_wait_policy and "OMP_WAIT_POLICY" not in os.environ:
        _WORKER_ENV["OMP_WAIT_POLICY"] = a.omp_wait_policy

    sizes = sorted({int(s) for s in a.sizes.split(",") if s.strip()})
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    t_run = time.perf_counter()
    from ingest.settings import Settings

    st = Settings()
    result: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "load_start": loadavg(),
        "versions": versions(),
        "settings": {k: getattr(st, k) for k in ("embed_model", "embed_batch_size", "chunk_size", "chunk_overlap",
                                                 "retrieve_k", "top_k", "rrf_k", "mode")},
        "policyqa_env_vars_set": sorted(k for k in os.environ if k.startswith("POLICYQA_")),
        "worker_omp_wait_policy": _WORKER_ENV.get("OMP_WAIT_POLICY", os.environ.get("OMP_WAIT_POLICY")),
        "sizes": [],
    }
    _log(f"sizes {sizes}, work dir {work}")

    # corpora
    from bench.generate import write_corpus

    corpora: dict[int, Path] = {}
    gen_info: dict[int, dict[str, Any]] = {}
    for size in sizes:
        folder = work / f"corpus-{size}-seed{a.seed}"
        t = time.perf_counter()
        info = write_corpus(folder, size, seed=a.seed, chunk_size=st.chunk_size, chunk_overlap=st.chunk_overlap)
        gen_info[size] = {**info.__dict__, "seconds": round(time.perf_counter() - t, 1)}
        corpora[size] = folder
        _log(f"corpus {size}: {info.documents} docs, {info.chunks} chunks, {info.chars} chars ({gen_info[size]['seconds']} s)")

    from bench.report import markdown, print_tables

    def save() -> None:
        result["load_end"] = loadavg()
        result["total_wall_s"] = round(time.perf_counter() - t_run, 1)
        result["notes"] = NOTES
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")

    state: dict[str, Any] = {"cps": None, "last_real": None}

    def run_size(size: int) -> None:
        entry: dict[str, Any] = {"size": size, "corpus": gen_info[size]}
        cps, last_real = state["cps"], state["last_real"]
        if a.mode == "real":
            synthetic, why = False, "--mode real"
        elif a.mode == "synthetic":
            synthetic, why = True, "--mode synthetic"
        elif size > a.max_real:
            synthetic, why = True, f"more than --max-real {a.max_real} chunks: embedding them here takes hours"
        elif cps:
            predicted = (size + min(size, a.raw_sample or size)) / cps
            synthetic = predicted > a.real_budget_min * 60
            why = (f"predicted {predicted / 60:.0f} min to embed (ingest + raw pass) at the {cps:.1f} chunks/s measured "
                   f"at {last_real} ({'over' if synthetic else 'within'} the {a.real_budget_min:g} min budget)")
        else:
            synthetic, why = False, "first size: embedded for real"
        entry["vectors"] = "synthetic" if synthetic else "real"
        entry["vectors_reason"] = why
        _log(f"size {size}: {entry['vectors']} vectors ({why})")
        args = ["size", "--work", str(work), "--corpus", str(corpora[size]), "--size", str(size),
                "--questions", str(a.questions), "--raw-sample", str(a.raw_sample), "--base-n", str(a.base_n)]
        if synthetic:
            args.append("--synthetic")
            if last_real:
                args += ["--base-vectors", str(work / "vectors" / f"{last_real}.npz")]
        res = _run_worker(args, work / f"result-size-{size}.json")
        entry["run"] = res
        if "error" not in res:
            if not synthetic:
                state["cps"], state["last_real"] = res["ingest"]["chunks_per_s"], size
            rows_q = res.get("first_question") or "昆明1至8月技术合同成交额是多少?"
            _log(f"size {size}: ingest {res['ingest']['wall_s']} s; start-up in a fresh process")
            entry["startup"] = _run_worker(["startup", "--index-dir", res["index_dir"], "--question", rows_q],
                                           work / f"result-startup-{size}.json")
            if not a.keep:
                shutil.rmtree(res["index_dir"], ignore_errors=True)
        _log(f"size {size} done in {res.get('job_wall_s')} s")
        result["sizes"].append(entry)
        save()

    def run_server(size: int) -> None:
        entry = next((e for e in result["sizes"] if e["size"] == size and "error" not in e["run"]), None)
        if entry is None:
            _log(f"no successful run at {size}; skipping the server job")
            return
        _log(f"Chroma server vs embedded at {size}")
        args = ["server", "--work", str(work), "--corpus", str(corpora[size]), "--size", str(size),
                "--questions", str(a.questions)]
        if entry["vectors"] == "synthetic":
            args += ["--synthetic", "--base-vectors", str(work / "vectors" / f"{size}-synthetic-base.npz")]
        else:
            args += ["--vectors", str(work / "vectors" / f"{size}.npz")]
        try:
            result["chroma_server"] = _run_worker(args, work / "result-server.json")
        finally:
            _stop_stray_server(work)
        save()

    def run_quality() -> None:
        real_sizes = [e["size"] for e in result["sizes"] if e["vectors"] == "real" and "error" not in e["run"]]
        _log(f"quality: ours vs LangChain recipe (eval set; recipe ingest on generated {real_sizes})")
        args = ["quality", "--work", str(work), "--questions", str(a.questions)]
        if real_sizes:
            args += ["--corpora", *[str(corpora[s]) for s in real_sizes]]
        args += ["--haystack", str(corpora[sizes[0]])]  # distractor documents for the eval set
        result["quality"] = _run_worker(args, work / "result-quality.json")
        save()

    # sizes up to the server size, the server job, quality, then the larger sizes (the long ones last)
    server_size = (10000 if 10000 in sizes else sizes[-1]) if a.server_size < 0 else a.server_size
    for size in [s for s in sizes if not server_size or s <= server_size]:
        run_size(size)
    if server_size:
        run_server(server_size)
    if not a.no_quality:
        run_quality()
    for size in [s for s in sizes if server_size and s > server_size]:
        run_size(size)
    if a.ocr_pages:
        _log(f"ocr: {a.ocr_pages} scanned pages (bench.ocr)")
        from bench.ocr import measure as measure_ocr

        result["ocr"] = measure_ocr(a.ocr_pages, work / "ocr")
        save()

    if not a.keep:
        shutil.rmtree(work / "vectors", ignore_errors=True)
        for d in work.glob("quality-*"):
            shutil.rmtree(d, ignore_errors=True)
    save()
    print_tables(result)
    _log(f"wrote {out} and {out.with_suffix('.md')} ({result['total_wall_s']} s)")
    return 0


NOTES = [
    "ingest chunks/s: ingest() end to end with the embedder already loaded (model load is model_load_s).",
    "ratio = ingest chunks/s / raw embed_passages chunks/s on the same texts in the same batches, measured right after "
    "the ingest in the same process (target >= 0.8); ratio_embed_share = time inside embed_passages / ingest time.",
    "Timings are wall clock on a shared machine: see load_start/load_end (1-minute load averages) per size; cpu_s is "
    "this process's CPU time (all threads), less sensitive to other load: chunks_per_cpu_s and ratio_cpu are the "
    "same figures per CPU-second (on an idle machine with nproc cores, wall chunks/s approaches nproc x chunks_per_cpu_s "
    "when the embedder scales over the cores).",
    "Workers run with OMP_WAIT_POLICY=PASSIVE (as ingest/embedder.py and `policyqa serve` set it) unless "
    "--omp-wait-policy '' is given.",
    "The product code measured is the working tree when each worker process started (job_wall_s and the log give the "
    "order); others were editing ingest/ and assistant/ during the run.",
    "SYNTHETIC vectors (sizes marked so): passage vectors are seeded perturbations of real ones (those of the largest "
    "real size of the run, else --base-n chunks embedded for real); ingest "
    "chunks/s there is the pipeline without model work, never an embedding throughput, and hybrid hit@3 there is not "
    "a quality figure (keyword-only hit@3 is real).",
    "ratio at a SYNTHETIC size is predicted, not measured: (1 / raw chunks/s at the last real size) / (that + the "
    "time per chunk the ingest spent outside the embedder at this size), i.e. what the ingest would reach with the "
    "real model, given everything else measured at this size.",
    "hit@3 on generated questions: a chunk of the question's document containing its support string in the top 3 "
    "(assistant.evaluation.hit_rank); questions whose figure another document states for the same place/year/period "
    "are not asked.",
    "start-up: a fresh process: imports + Assistant(settings) + the first ask (the model is loaded on the first query).",
]


if __name__ == "__main__":
    sys.exit(main())
