"""`policyqa`: a thin command line over the ingest pipeline and the Assistant API.

With ``--json`` standard output carries only JSON; progress bars and logs go to standard error.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, Iterator, Optional

import typer

from ingest.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Questions and answers over S&T bureau documents.")
err = logging.getLogger("policyqa")

IndexDir = typer.Option(None, "--index-dir", help="Knowledge base folder [env POLICYQA_INDEX_DIR, default data/index].")
ChromaUrl = typer.Option(None, "--chroma-url", help="Chroma server URL instead of the embedded store [env POLICYQA_CHROMA_URL].")
EmbedModel = typer.Option(None, "--embed-model", help="Embedding model [env POLICYQA_EMBED_MODEL].")
JsonOut = typer.Option(False, "--json", help="Machine-readable JSON on standard output.")


def _settings(**overrides: Any) -> Settings:
    return Settings().with_overrides(**overrides)


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _fail(message: str, as_json: bool, code: int = 2) -> None:
    if as_json:
        _emit({"error": message})
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log details to standard error.")) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def _progress_bar() -> Any:
    """A tqdm bar per stage on standard error, with items per second."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            unit = "chunk" if stage == "embedding" else "doc"
            bar = bars[stage] = tqdm(total=total, desc=stage, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True)
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


@app.command()
def ingest(
    paths: Optional[list[Path]] = typer.Argument(None, help="Files or folders (default: the corpus folder)."),
    index_dir: Optional[Path] = IndexDir,
    rebuild: bool = typer.Option(False, "--rebuild", help="Start the knowledge base from scratch."),
    chroma_url: Optional[str] = ChromaUrl,
    embed_model: Optional[str] = EmbedModel,
    as_json: bool = JsonOut,
) -> None:
    """Add new and changed documents, remove deleted ones; report added/updated/removed/unchanged/failed."""
    from ingest.embedder import EmbedderError
    from ingest.pipeline import ingest as run
    from ingest.store import StoreError

    settings = _settings(index_dir=index_dir, chroma_url=chroma_url, embed_model=embed_model)
    targets = paths or [settings.corpus_dir]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}", as_json)
    try:
        report = run(list(targets), settings, rebuild=rebuild, progress=_progress_bar())
    except (StoreError, EmbedderError, OSError) as exc:  # OSError: a disk or folder problem, said in one line
        _fail(str(exc), as_json)
        return
    if as_json:
        _emit(report.to_json())
    else:
        from rich.console import Console

        out = Console()
        out.print(
            f"[bold]added[/] {report.added}  [bold]updated[/] {report.updated}  [bold]removed[/] {report.removed}  "
            f"[bold]unchanged[/] {report.unchanged}  [bold]failed[/] {len(report.failed)}  → {report.documents} documents, "
            f"{report.chunks} chunks ({report.embedded} embedded in {report.seconds:.1f} s)"
        )
        for f in report.failed:
            out.print(f"[red]failed[/] {f['path']}: {f['error']}")
    if report.failed and not report.documents:
        raise typer.Exit(1)


@app.command()
def status(index_dir: Optional[Path] = IndexDir, as_json: bool = JsonOut) -> None:
    """What the knowledge base holds (instant: reads only the manifest)."""
    from ingest.store import StoreError
    from kb import KnowledgeService

    service = KnowledgeService(_settings(index_dir=index_dir))
    try:
        info, docs = service.status().to_json(), service.documents()
    except StoreError as exc:  # kb.NoKnowledgeBase too
        _fail(str(exc), as_json)
        return
    if as_json:
        _emit(info)
        return
    for k, v in info.items():
        typer.echo(f"{k:12} {v}")
    for d in docs:
        typer.echo(f"  {d.doc_id}  {d.date or '-'}  {d.chunks} chunks  {d.title}")


def _questions(batch: Path) -> Iterator[str]:
    # split on newlines only: str.splitlines() also breaks at \x0b, \x0c, \x1c-\x1e, \x85 and \u2028,
    # which would turn one question with control characters into several
    for line in batch.read_text(encoding="utf-8").split("\n"):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                yield str(json.loads(line).get("q", ""))
                continue
            except ValueError:
                pass
        yield line


@app.command()
def ask(
    question: Optional[str] = typer.Argument(None, help="The question (or use --batch)."),
    batch: Optional[Path] = typer.Option(None, "--batch", help="One question per line, or JSONL objects with a `q` field."),
    index_dir: Optional[Path] = IndexDir,
    mode: Optional[str] = typer.Option(None, "--mode", help="extractive (default, offline) or llm."),
    chroma_url: Optional[str] = ChromaUrl,
    as_json: bool = JsonOut,
) -> None:
    """Answer a question (or a batch of them) with citations, or say the documents do not say."""
    from assistant.api import Answer, Assistant
    from assistant.llm import LLMError
    from ingest.embedder import EmbedderError
    from ingest.store import StoreError

    if mode not in (None, "extractive", "llm"):
        _fail("--mode must be extractive or llm", as_json)
    if question is None and batch is None:
        _fail("give a QUESTION or --batch FILE", as_json)
    settings = _settings(index_dir=index_dir, chroma_url=chroma_url, mode=mode)
    try:
        bot = Assistant(settings)
    except (StoreError, EmbedderError) as exc:
        _fail(str(exc), as_json)
        return
    questions = list(_questions(batch)) if batch else [question or ""]
    for q in questions:
        try:
            ans = bot.ask(q)
        except (LLMError, StoreError, EmbedderError) as exc:
            ans = Answer(question=q, answer=str(exc), refused=True, error=str(exc))
        if as_json:
            _emit(ans.to_json())
            continue
        typer.echo(ans.answer)
        for c in ans.citations:
            typer.echo(f"  [{c.n}] {c.title} ({c.date or 'n.d.'}, {c.source or c.doc_id})")
        if ans.refused and ans.retrieved and not ans.error:
            for c in ans.retrieved[:3]:
                typer.echo(f"  - {c.doc_id}: {c.text[:80]}…")


@app.command("eval")
def eval_cmd(
    file: Path = typer.Argument(..., help="JSONL rows {id,q,expect,doc,support,answerable}."),
    index_dir: Optional[Path] = IndexDir,
    as_json: bool = JsonOut,
) -> None:
    """hit@1/3/5, MRR@10, answer accuracy and refusal accuracy, with the failures."""
    from assistant.api import Assistant
    from assistant.evaluation import evaluate, read_rows

    settings = _settings(index_dir=index_dir)
    rows = read_rows(file)
    result = evaluate(Assistant(settings), rows)
    if as_json:
        _emit(result.to_json())
        return
    data = result.to_json()
    for key in ("n", "answerable", "hit@1", "hit@3", "hit@5", "mrr@10", "answer_accuracy", "refusal_accuracy", "unsupported_figures"):
        typer.echo(f"{key:20} {data[key]}")
    for lang, v in data["by_lang"].items():
        typer.echo(f"  {lang:8} n={v['n']} correct={v['correct']} refusal_ok={v['refusal_ok']}")
    for f in result.failures:
        typer.echo(f"FAIL {f['id']} rank={f['hit_rank']} refused={f['refused']} q={f['q']}\n     → {f['answer'][:160]}")


@app.command()
def figures(
    query: Optional[str] = typer.Option(None, "--query", help="Words the metric, sentence, period or place must contain."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only figures of this document id."),
    index_dir: Optional[Path] = IndexDir,
    fmt: str = typer.Option("table", "--format", help="table, csv, json or md."),
) -> None:
    """The figures table extracted at ingest: metric, value, unit, period, place, sentence, source."""
    from ingest.figures import format_figures
    from ingest.store import StoreError
    from kb import KnowledgeService

    if fmt not in ("table", "csv", "json", "md"):
        _fail("--format must be table, csv, json or md", fmt == "json")
    try:
        rows = KnowledgeService(_settings(index_dir=index_dir)).figures(query=query, doc_id=doc)
    except StoreError as exc:  # kb.NoKnowledgeBase too
        _fail(str(exc), fmt == "json")
        return
    sys.stdout.write(format_figures(rows, fmt))  # type: ignore[arg-type]


@app.command()
def serve(
    index_dir: Optional[Path] = IndexDir,
    host: Optional[str] = typer.Option(None, "--host", help="Interface to bind [default 127.0.0.1]."),
    port: Optional[int] = typer.Option(None, "--port", help="Port [default 7860]."),
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """Start the Gradio chat and the HTTP API (/api/v1, OpenAI-compatible /v1, docs at /docs) on one port."""
    from api.server import ServeRefused, serve as run

    try:
        run(_settings(index_dir=index_dir, host=host, port=port, chroma_url=chroma_url))
    except (ServeRefused, ValueError) as exc:  # ValueError: a malformed POLICYQA_AUTH or POLICYQA_API_KEYS
        _fail(str(exc), False)


@app.command()
def mcp(
    index_dir: Optional[Path] = IndexDir,
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """Serve the tools ask, search, figures and documents over MCP (stdio), for agent hosts."""
    from api.mcp_server import run

    run(_settings(index_dir=index_dir, chroma_url=chroma_url))


if __name__ == "__main__":  # pragma: no cover
    app()
