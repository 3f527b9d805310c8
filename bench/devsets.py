"""``python -m bench devsets``: answer quality on public Chinese QA sets nobody tuned for.

    python -m bench devsets --set all --paragraphs 600 --questions 250      # the baseline run
    python -m bench devsets --set cmrc --questions 80                       # quick, on the existing index

Each set (CMRC 2018 dev, Simplified; DRCD dev, Traditional; SQuAD-format JSON in ``../shared/datasets``)
becomes a *pooled* knowledge base: a seeded sample of ``--paragraphs`` paragraphs, each one document
(``<title>\\n<paragraph>``, so the product's header parsing takes the article title), ingested with the
product's own pipeline into ``<index-root>/<set>-<seed>-<n>/index``. Every question is asked against the
whole base with the real :class:`assistant.api.Assistant` (extractive mode, default settings but the
index folder) and scored by :func:`assistant.evaluation.evaluate`.

Unanswerable questions: a seeded ``--withhold`` share of the sampled paragraphs is not ingested; their
questions are kept as unanswerable only when no ingested document contains any of their gold answers
(search form), so a refusal is the only right reply. The withheld set and the question order depend on
(set, seed, paragraphs, withhold) only, never on ``--questions``: a quick run asks a prefix of the same
questions on the same index.

Outputs: the summary (per set) to ``--out`` (JSON, merged by set, plus the same table as Markdown next
to it), one record per question to ``<index-root>/devsets-<set>.jsonl`` (not in git: failure analysis),
and the rows themselves to ``<index-root>/<set>-<seed>-<n>/questions.jsonl``, so
``policyqa eval <that file> --index-dir <that index>`` asks the same questions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

#: set name -> file in the datasets folder (see ../shared/datasets/README.md for sources and licences)
SETS: dict[str, str] = {"cmrc": "cmrc2018_dev.json", "drcd": "drcd_dev.json"}

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


class DevsetError(Exception):
    """Missing or unreadable data: one clear sentence for the command line."""


@dataclass(frozen=True)
class Question:
    qid: str
    q: str
    answers: tuple[str, ...]  # distinct gold answer strings, first = the canonical one
    start: int  # answer_start of the first answer (-1 when absent)


@dataclass(frozen=True)
class Paragraph:
    pid: str
    title: str
    context: str
    qas: tuple[Question, ...]

    @property
    def doc_id(self) -> str:
        """The document id the pipeline gives the file written for this paragraph."""
        return re.sub(r"[^\w.-]", "_", self.pid) + ".txt"

    @property
    def text(self) -> str:
        """The document as ingested: title line (taken as the title by ingest.normalize.parse_header), then the paragraph."""
        return f"{self.title}\n{self.context}\n"


@dataclass(frozen=True)
class Sample:
    """What one (set, seed, n, withhold) run ingests and asks."""

    ingested: list[Paragraph]
    withheld: list[Paragraph]
    rows: list[dict[str, Any]]  # evaluation rows (assistant.evaluation format), in asking order
    dropped: list[str]  # withheld questions not kept: an ingested document contains a gold answer


# --- data ----------------------------------------------------------------------------------------


def find_data_dir(given: Path | None = None) -> Path:
    """``given``, else the first ``shared/datasets`` beside the repository or one of its parents.

    The main checkout (/work/main) and the worktrees (/work/wt/<name>) sit at different depths below
    the shared folder, so ``../shared/datasets`` is looked for from every ancestor.
    """
    if given is not None:
        if not given.is_dir():
            raise DevsetError(f"--data-dir {given} is not a folder")
        return given
    tried = []
    for base in [REPO, *REPO.parents]:
        cand = base / "shared" / "datasets"
        tried.append(str(cand))
        if cand.is_dir():
            return cand
    raise DevsetError(
        "No datasets folder found (looked for shared/datasets beside the repository and its parents: "
        f"{', '.join(tried[:3])}, ...). Pass --data-dir with the folder holding {', '.join(SETS.values())}."
    )


def load_squad(path: Path) -> list[Paragraph]:
    """The paragraphs (with their questions) of a SQuAD-format JSON file."""
    if not path.is_file():
        raise DevsetError(f"{path} does not exist (expected a SQuAD-format JSON file)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        out: list[Paragraph] = []
        for article in data["data"]:
            title = str(article.get("title") or "").strip()
            for n, para in enumerate(article["paragraphs"]):
                pid = str(para.get("id") or f"{article.get('id', len(out))}-{n}")
                qas = []
                for qa in para.get("qas", []):
                    texts = [str(a["text"]).strip() for a in qa.get("answers", []) if str(a.get("text", "")).strip()]
                    if not texts:
                        continue
                    answers = tuple(dict.fromkeys(texts))
                    start = next((int(a["answer_start"]) for a in qa["answers"] if "answer_start" in a), -1)
                    qas.append(Question(str(qa["id"]), str(qa["question"]).strip(), answers, start))
                out.append(Paragraph(pid, title or pid, str(para["context"]).strip(), tuple(qas)))
    except (ValueError, KeyError, TypeError) as exc:
        raise DevsetError(f"{path}: not SQuAD-format JSON ({type(exc).__name__}: {exc})") from None
    if not out:
        raise DevsetError(f"{path}: no paragraphs")
    return out


def answer_sentence(context: str, answer: str, start: int) -> str:
    """The sentence of ``context`` holding the answer span (kept with each row for failure analysis)."""
    pos = start if start >= 0 and context[start : start + len(answer)] == answer else context.find(answer)
    if pos < 0:
        return answer
    for m in _SENTENCE.finditer(context):
        if m.start() <= pos < m.end():
            return m.group().strip() if pos + len(answer) <= m.end() else context[m.start() : pos + len(answer)].strip()
    return answer


# --- sampling ------------------------------------------------------------------------------------


def draw(paragraphs: list[Paragraph], n: int, seed: int, withhold: float, questions: int, set_name: str) -> Sample:
    """Seeded sample: ``n`` paragraphs, a ``withhold`` share of them withheld, ``questions`` rows.

    Questions go round-robin over the sampled paragraphs (in seeded order, each paragraph's questions
    in a seeded order of their own), so up to ``n`` questions come from distinct paragraphs and about
    a ``withhold`` share of them from withheld ones. A withheld paragraph's question is kept only if no
    ingested document contains any of its gold answers (search form); otherwise it is skipped and
    the next one taken. Everything but the number of rows is independent of ``questions``.
    """
    from ingest.normalize import search_form

    if not 0 <= withhold < 1:
        raise DevsetError(f"--withhold must be in [0, 1), got {withhold}")
    pool = [p for p in paragraphs if p.qas]
    if n < 2 or n > len(pool):
        raise DevsetError(f"--paragraphs must be between 2 and {len(pool)} (paragraphs with questions), got {n}")
    rng = random.Random(f"{set_name}:{seed}")
    chosen = rng.sample(pool, n)  # seeded order
    k = round(withhold * n)
    withheld_ids = {p.pid for p in rng.sample(chosen, k)}
    ingested = [p for p in chosen if p.pid not in withheld_ids]
    withheld = [p for p in chosen if p.pid in withheld_ids]
    base = [search_form(p.text) for p in ingested]

    def leaked(q: Question) -> bool:
        forms = [search_form(a) for a in q.answers]
        return any(f and f in doc for f in forms for doc in base)

    orders = {p.pid: random.Random(f"{set_name}:{seed}:{p.pid}").sample(list(p.qas), len(p.qas)) for p in chosen}
    rows: list[dict[str, Any]] = []
    dropped: list[str] = []
    depth = max(len(v) for v in orders.values())
    for round_ in range(depth):
        for p in chosen:
            if len(rows) >= questions:
                break
            if round_ >= len(orders[p.pid]):
                continue
            q = orders[p.pid][round_]
            answerable = p.pid not in withheld_ids
            if not answerable and leaked(q):
                dropped.append(q.qid)
                continue
            rows.append(
                {
                    "id": q.qid,
                    "q": q.q,
                    "expect": [list(q.answers)],
                    "doc": p.doc_id if answerable else None,
                    "support": q.answers[0] if answerable else None,
                    "answerable": answerable,
                    "title": p.title,
                    "paragraph": p.doc_id,
                    "sentence": answer_sentence(p.context, q.answers[0], q.start),
                }
            )
    return Sample(ingested=ingested, withheld=withheld, rows=rows, dropped=dropped)


# --- knowledge base ------------------------------------------------------------------------------


def write_documents(folder: Path, paragraphs: list[Paragraph]) -> dict[str, int]:
    """Make ``folder`` hold exactly one .txt per paragraph; unchanged files are left alone (incremental ingest)."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {p.doc_id: p.text for p in paragraphs}
    written = removed = 0
    for f in folder.glob("*.txt"):
        if f.name not in wanted:
            f.unlink()
            removed += 1
    for name, text in wanted.items():
        f = folder / name
        if not f.exists() or f.read_text(encoding="utf-8") != text:
            f.write_text(text, encoding="utf-8")
            written += 1
    return {"documents": len(wanted), "written": written, "removed": removed}


def _git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "HEAD"), "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
            "dirty_answering": bool(git("status", "--porcelain", "--", "assistant", "ingest", ":!assistant/evaluation.py"))}


def _log(msg: str) -> None:
    print(f"[devsets {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_set(
    set_name: str,
    data_dir: Path,
    index_root: Path,
    *,
    paragraphs: int,
    seed: int,
    withhold: float,
    questions: int,
    rebuild: bool = False,
    embedder: Any = None,
    settings_overrides: dict[str, Any] | None = None,
    code: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Sample, ingest (incrementally), ask and score one set; write its per-question JSONL. Returns the summary."""
    from assistant.api import Assistant
    from assistant.evaluation import EvalRow, evaluate
    from ingest.pipeline import ingest
    from ingest.settings import Settings

    t_start = time.perf_counter()
    source = data_dir / SETS[set_name]
    all_paragraphs = load_squad(source)
    sample = draw(all_paragraphs, paragraphs, seed, withhold, questions, set_name)
    set_dir = index_root / f"{set_name}-{seed}-{paragraphs}"
    docs, index_dir = set_dir / "docs", set_dir / "index"
    # an encyclopedia pooled into one knowledge base has no home city: the default (the bureau's own city)
    # would boost every paragraph that mentions it and add it to every question's search
    settings = Settings(index_dir=index_dir, **{"home_place": "", **(settings_overrides or {})})

    written = write_documents(docs, sample.ingested)
    (set_dir / "sample.json").write_text(json.dumps({
        "set": set_name, "source": str(source), "seed": seed, "paragraphs": paragraphs, "withhold": withhold,
        "ingested": [p.pid for p in sample.ingested], "withheld": [p.pid for p in sample.withheld],
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    _log(f"{set_name}: {len(sample.ingested)} documents to {docs} ({written['written']} written, {written['removed']} removed); ingesting")
    t_ingest = time.perf_counter()
    logged: set[tuple[str, int]] = set()

    def ingest_progress(stage: str, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if stage == "embedding" and total and (stage, tenth) not in logged:
            logged.add((stage, tenth))
            _log(f"{set_name}: embedding {done}/{total} chunks ({time.perf_counter() - t_ingest:.0f} s)")

    report = ingest([docs], settings, rebuild=rebuild, embedder=embedder, progress=ingest_progress)
    ingest_s = time.perf_counter() - t_ingest
    _log(f"{set_name}: ingest {report.to_json()}")
    if report.failed:
        raise DevsetError(f"{set_name}: {len(report.failed)} documents failed to ingest, e.g. {report.failed[0]}")

    rows_file = set_dir / "questions.jsonl"
    rows_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample.rows), encoding="utf-8")
    rows = [EvalRow(id=r["id"], q=r["q"], expect=r["expect"], doc=r["doc"], support=r["support"], answerable=r["answerable"],
                    extra={k: v for k, v in r.items() if k not in {"id", "q", "expect", "doc", "support", "answerable"}})
            for r in sample.rows]
    assistant = Assistant(settings, embedder=embedder)
    assistant.ask(sample.rows[0]["q"])  # warm-up: model and index load are not answer latency

    def progress(i: int, total: int) -> None:
        if i and i % 25 == 0:
            _log(f"{set_name}: {i}/{total} questions")

    t_eval = time.perf_counter()
    result = evaluate(assistant, rows, on_row=progress)
    eval_s = time.perf_counter() - t_eval
    by_id = {r["id"]: r for r in sample.rows}
    details_file = index_root / f"devsets-{set_name}.jsonl"
    with details_file.open("w", encoding="utf-8") as fh:
        for d in result.details:
            extra = {k: by_id[d["id"]][k] for k in ("title", "paragraph", "sentence")}
            fh.write(json.dumps({**d, **extra}, ensure_ascii=False) + "\n")
    data = result.to_json()
    misstated = sum(bool(d["flagged"]) for d in result.details)
    return {
        "set": set_name,
        "source": SETS[set_name],
        "seed": seed,
        "paragraphs": paragraphs,
        "withhold": withhold,
        "ingested_documents": len(sample.ingested),
        "withheld_documents": len(sample.withheld),
        "chunks": report.chunks,
        "questions": data["n"],
        "answerable": data["answerable"],
        "unanswerable": data["unanswerable"],
        "unanswerable_dropped": len(sample.dropped),
        "hit@1": data["hit@1"],
        "hit@3": data["hit@3"],
        "hit@5": data["hit@5"],
        "mrr@10": data["mrr@10"],
        "answer_accuracy": data["answer_accuracy"],
        "refusal": data["unanswerable_refused"],
        "false_refusal": data["false_refusal_rate"],
        "answered": data["answered"],
        "misstated_figures": misstated,
        "misstated_rate": round(misstated / max(data["answered"], 1), 4),
        "latency_ms": data["latency_ms"],
        "ingest": {**report.to_json(), "failed": len(report.failed), "wall_s": round(ingest_s, 1)},
        "eval_wall_s": round(eval_s, 1),
        "wall_s": round(time.perf_counter() - t_start, 1),
        "index_dir": str(index_dir),
        "questions_file": str(rows_file),
        "details_file": str(details_file),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "code": code or _git_state(),
        "settings": {"mode": settings.mode, "embed_model": settings.embed_model, "chunk_size": settings.chunk_size,
                     "chunk_overlap": settings.chunk_overlap, "top_k": settings.top_k},
    }


# --- report --------------------------------------------------------------------------------------

COLUMNS = [
    ("set", "set"), ("docs (withheld)", None), ("questions (unans.)", None), ("hit@1", "hit@1"), ("hit@3", "hit@3"),
    ("answer acc.", "answer_accuracy"), ("refusal", "refusal"), ("false refusal", "false_refusal"),
    ("misstated figures", None), ("latency p50 / p95 ms", None),
]

NOTES = [
    "Pooled knowledge base per set: every sampled paragraph is one document (title line + paragraph), every question "
    "is asked against the whole base, extractive mode, default Settings but index_dir.",
    "Unanswerable: the paragraphs of a seeded share of the sample are withheld (not ingested); their questions count "
    "only when no ingested document contains any gold answer (search form); the others are dropped (see "
    "unanswerable_dropped).",
    "hit@k: a chunk of the question's paragraph containing its (first) gold answer among the top k retrieved. "
    "answer acc.: not refused and the answer contains a gold answer (search form), over answerable questions. "
    "refusal: unanswerable questions refused. false refusal: answerable questions refused.",
    "misstated figures: answered questions whose answer holds a figure found in none of its cited passages "
    "(assistant.guard.unsupported_figures over the citations' text, title and date, as `policyqa eval`).",
    "latency: Assistant.ask wall time per question after one warm-up question, on a shared 2-core machine.",
    "CMRC 2018 dev: CC BY-SA 4.0 (Cui et al., 2019); DRCD dev: CC BY-SA 3.0 (Delta Electronics).",
]


def markdown(summary: dict[str, Any]) -> str:
    lines = ["# Development sets: answer quality (`python -m bench devsets`)", ""]
    lines.append("| " + " | ".join(c for c, _ in COLUMNS) + " |")
    lines.append("|" + "---|" * len(COLUMNS))
    for s in summary["sets"].values():
        cells = []
        for title, key in COLUMNS:
            if key:
                v = s[key]
                cells.append(f"{v:.2f}" if isinstance(v, float) else str(v))
            elif title.startswith("docs"):
                cells.append(f"{s['ingested_documents']} ({s['withheld_documents']})")
            elif title.startswith("questions"):
                cells.append(f"{s['questions']} ({s['unanswerable']})")
            elif title.startswith("misstated"):
                cells.append(f"{s['misstated_figures']} of {s['answered']}")
            else:
                cells.append(f"{s['latency_ms']['p50']:.0f} / {s['latency_ms']['p95']:.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for s in summary["sets"].values():
        code = s["code"]
        lines.append(f"- {s['set']}: seed {s['seed']}, {s['paragraphs']} paragraphs, withhold {s['withhold']}, "
                     f"{s['unanswerable_dropped']} withheld questions dropped (answer in the base), {s['chunks']} chunks; "
                     f"code {code['commit'][:10]} ({code['branch']}{', answering code modified' if code['dirty_answering'] else ''}), "
                     f"{s['measured_at']}; `{s.get('command', '')}`")
    lines.append("")
    lines += [f"- {n}" for n in NOTES]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None, embedder: Any = None, settings_overrides: dict[str, Any] | None = None) -> int:
    """The command line; ``embedder`` and ``settings_overrides`` let a test share its loaded model and skip a .env."""
    p = argparse.ArgumentParser(prog="python -m bench devsets", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", default="all", choices=[*SETS, "all"])
    p.add_argument("--paragraphs", type=int, default=600, help="paragraphs sampled per set (default 600)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--withhold", type=float, default=0.2, help="share of sampled paragraphs not ingested (default 0.2)")
    p.add_argument("--questions", type=int, default=250, help="questions asked per set (default 250)")
    p.add_argument("--index-root", type=Path, default=Path("data/devsets"))
    p.add_argument("--data-dir", type=Path, default=None, help="folder of the SQuAD-format files (default: shared/datasets beside the repo)")
    p.add_argument("--out", type=Path, default=Path("bench/results/devsets.json"), help="summary JSON (merged by set) and .md beside it")
    p.add_argument("--rebuild", action="store_true", help="re-ingest each set's index from scratch")
    a = p.parse_args(argv)
    from ingest.store import StoreError

    command = "python -m bench devsets " + " ".join(argv if argv is not None else sys.argv[2:])
    try:
        data_dir = find_data_dir(a.data_dir)
        if a.questions < 1:
            raise DevsetError("--questions must be at least 1")
        sets = list(SETS) if a.set == "all" else [a.set]
        code = _git_state()  # the code measured is the one this run started with
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.index_root.mkdir(parents=True, exist_ok=True)
        try:
            summary = json.loads(a.out.read_text(encoding="utf-8")) if a.out.exists() else {}
        except ValueError:
            summary = {}
        summary.setdefault("sets", {})
        for name in sets:
            entry = run_set(name, data_dir, a.index_root, paragraphs=a.paragraphs, seed=a.seed, withhold=a.withhold,
                            questions=a.questions, rebuild=a.rebuild, embedder=embedder,
                            settings_overrides=settings_overrides, code=code)
            entry["command"] = command
            summary["sets"][name] = entry
            summary["notes"] = NOTES
            a.out.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
            a.out.with_suffix(".md").write_text(markdown(summary), encoding="utf-8")
            _log(f"{name}: " + ", ".join(f"{k} {entry[k]}" for k in ("questions", "unanswerable", "hit@1", "hit@3",
                 "answer_accuracy", "refusal", "false_refusal", "misstated_figures", "latency_ms")))
    except (DevsetError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(a.out.with_suffix(".md").read_text(encoding="utf-8"))
    _log(f"wrote {a.out} and {a.out.with_suffix('.md')}")
    return 0
