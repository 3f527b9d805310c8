"""`policyqa`: a thin command line over the ingest pipeline and the Assistant API.

With ``--json`` standard output carries only JSON; progress bars and logs go to standard error.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, TypeVar

import typer

from ingest.settings import Settings

# rich_markup_mode=None: plain Click help, so "[env POLICYQA_INDEX_DIR, ...]" is printed, not eaten as Rich markup
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, help="Questions and answers over S&T bureau documents.")
err = logging.getLogger("policyqa")

IndexDir = typer.Option(
    None, "--index-dir", metavar="DIR", help="Knowledge base folder [env POLICYQA_INDEX_DIR, default data/index of the project]."
)
ChromaUrl = typer.Option(None, "--chroma-url", metavar="URL", help="Chroma server URL instead of the embedded store [env POLICYQA_CHROMA_URL].")
EmbedModel = typer.Option(None, "--embed-model", metavar="NAME", help="Embedding model [env POLICYQA_EMBED_MODEL].")
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
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    # the level on the handler too: libraries that set their own logger to DEBUG (bm25s does) stay quiet
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)


def _progress_bar() -> Any:
    """A tqdm bar per stage on standard error, with items per second."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            unit = {"embedding": "chunk", "ocr": "page"}.get(stage, "doc")
            bar = bars[stage] = tqdm(total=total, desc=stage, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True)
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bars.pop(stage).close()  # a stage can run again (OCR: once per scanned file)

    return update


@app.command()
def ingest(
    paths: Optional[list[Path]] = typer.Argument(None, metavar="PATH", show_default=False, hidden=True),
    index_dir: Optional[Path] = IndexDir,
    rebuild: bool = typer.Option(False, "--rebuild", help="Start the knowledge base from scratch."),
    chroma_url: Optional[str] = ChromaUrl,
    embed_model: Optional[str] = EmbedModel,
    as_json: bool = JsonOut,
) -> None:
    """Add new and changed documents, remove deleted ones; report added/updated/removed/unchanged/failed.

    PATH: files or folders to ingest (default: the corpus folder).
    """
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

        out = Console(soft_wrap=True)  # one line per fact, also when piped (Rich wraps at 80 columns then)
        out.print(
            f"[bold]added[/] {report.added}  [bold]updated[/] {report.updated}  [bold]removed[/] {report.removed}  "
            f"[bold]unchanged[/] {report.unchanged}  [bold]failed[/] {len(report.failed)}  → {report.documents} documents, "
            f"{report.chunks} chunks ({report.embedded} embedded in {report.seconds:.1f} s)"
        )
        for f in report.failed:
            out.print(f"[red]failed[/] {f['path']}: {f['error']}")
        for f in report.skipped:
            out.print(f"[yellow]skipped[/] {f['path']}: {f['reason']}")
        if report.ocr_pages:
            out.print(f"OCR: {report.ocr_pages} pages in {report.ocr_seconds:.1f} s")
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


_NO_LLM = (
    "--mode llm needs an LLM, and none is configured: set POLICYQA_LLM_MODEL and POLICYQA_LLM_BASE_URL "
    "(or POLICYQA_LLM_PROVIDER=ollama), or use --mode extractive"
)


def _read_questions(batch: Path, as_json: bool) -> list[str]:
    """The questions of a --batch file, or one error line (missing, unreadable, not UTF-8)."""
    try:
        return list(_questions(batch))
    except FileNotFoundError:
        _fail(f"no such file: {batch.absolute()}", as_json)
    except UnicodeDecodeError as exc:
        _fail(f"cannot read {batch.absolute()}: not UTF-8 text ({exc.reason} at byte {exc.start})", as_json)
    except OSError as exc:
        _fail(f"cannot read {batch.absolute()}: {exc.strerror or exc}", as_json)
    return []


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
    question: Optional[str] = typer.Argument(None, metavar="QUESTION", hidden=True),  # said in the docstring: no "<str>"
    batch: Optional[Path] = typer.Option(None, "--batch", metavar="FILE", help="One question per line, or JSONL objects with a `q` field."),
    index_dir: Optional[Path] = IndexDir,
    mode: Optional[str] = typer.Option(
        None, "--mode", metavar="extractive|llm", help="extractive (offline) or llm (needs POLICYQA_LLM_*) [env POLICYQA_MODE, default extractive]."
    ),
    chroma_url: Optional[str] = ChromaUrl,
    as_json: bool = JsonOut,
) -> None:
    """Answer a question (or a batch of them) with citations, or say the documents do not say.

    QUESTION: the question in quotes (or give --batch FILE).
    """
    from assistant.api import Answer, Assistant
    from assistant.llm import LLMError
    from ingest.embedder import EmbedderError
    from ingest.store import StoreError

    if mode not in (None, "extractive", "llm"):
        _fail("--mode must be extractive or llm", as_json)
    if question is None and batch is None:
        _fail("give a QUESTION or --batch FILE", as_json)
    settings = _settings(index_dir=index_dir, chroma_url=chroma_url, mode=mode)
    if settings.mode == "llm" and not settings.llm_configured:
        _fail(_NO_LLM, as_json)
    questions = _read_questions(batch, as_json) if batch else [question or ""]
    try:
        bot = Assistant(settings)
    except (StoreError, EmbedderError) as exc:
        _fail(str(exc), as_json)
        return
    for q in questions:
        try:
            ans = bot.ask(q)
        except (LLMError, StoreError, EmbedderError) as exc:
            ans = Answer(question=q, answer=str(exc), refused=True, error=str(exc))
        if as_json:
            _emit(ans.to_json())
            continue
        from ingest.normalize import detect_script

        typer.echo(ans.answer)
        for c in ans.citations:
            typer.echo(f"  [{c.n}] {c.label(english=detect_script(ans.question) == 'Latin')}")
        if ans.refused and ans.retrieved and not ans.error:
            for c in ans.retrieved[:3]:
                typer.echo(f"  - {c.doc_id}: {c.text[:80]}…")


@app.command("eval")
def eval_cmd(
    file: Path = typer.Argument(..., metavar="FILE", hidden=True),  # said in the docstring: no "<path>"
    index_dir: Optional[Path] = IndexDir,
    as_json: bool = JsonOut,
) -> None:
    """hit@1/3/5, MRR@10, answer, refusal and article accuracy, with the failures.

    FILE: JSONL rows {id, q, expect, doc, support, answerable[, article]}, e.g. tests/eval/questions.jsonl.
    Article accuracy: of the answered answerable rows naming an article, the share whose first
    citation is that article of that document.
    """
    from assistant.api import Assistant
    from assistant.evaluation import evaluate, read_rows
    from ingest.embedder import EmbedderError
    from ingest.store import StoreError

    settings = _settings(index_dir=index_dir)
    try:
        rows = read_rows(file.absolute())
    except FileNotFoundError:
        _fail(f"no such file: {file.absolute()}", as_json)
        return
    except UnicodeDecodeError as exc:
        _fail(f"cannot read {file.absolute()}: not UTF-8 text ({exc.reason} at byte {exc.start})", as_json)
        return
    except ValueError as exc:  # read_rows: "FILE:LINE: not an evaluation row (...)"
        _fail(str(exc), as_json)
        return
    except OSError as exc:
        _fail(f"cannot read {file.absolute()}: {exc.strerror or exc}", as_json)
        return
    if not rows:
        _fail(f"{file.absolute()} holds no evaluation rows", as_json)
    try:
        bot = Assistant(settings)
    except (StoreError, EmbedderError) as exc:
        _fail(str(exc), as_json)
        return
    result = evaluate(bot, rows)
    if as_json:
        _emit(result.to_json())
        return
    data = result.to_json()
    for key in ("n", "answerable", "hit@1", "hit@3", "hit@5", "mrr@10", "answer_accuracy", "refusal_accuracy", "unsupported_figures"):
        typer.echo(f"{key:20} {data[key]}")
    if data["article_scored"]:  # rows naming the article that answers (first citation; see assistant.evaluation)
        typer.echo(f"{'article_accuracy':20} {data['article_accuracy']} (of {data['article_scored']} answered rows naming an article)")
    for lang, v in data["by_lang"].items():
        typer.echo(f"  {lang:8} n={v['n']} correct={v['correct']} refusal_ok={v['refusal_ok']}")
    for f in result.failures:
        typer.echo(f"FAIL {f['id']} rank={f['hit_rank']} refused={f['refused']} q={f['q']}\n     → {f['answer'][:160]}")


@app.command()
def figures(
    query: Optional[str] = typer.Option(None, "--query", metavar="WORDS", help="Words the metric, sentence, period or place must contain (Simplified or Traditional)."),
    doc: Optional[str] = typer.Option(None, "--doc", metavar="ID", help="Only figures of this document id (see `policyqa status`)."),
    index_dir: Optional[Path] = IndexDir,
    fmt: str = typer.Option("table", "--format", metavar="table|csv|json|md", help="Output format; json is one object per line [default table].", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per figure and line on standard output (= --format json)."),
) -> None:
    """The figures table extracted at ingest: metric, value, unit, period, place, sentence, source.

    Exit codes: 0 figures printed, 1 no figure matches (a message on standard error),
    2 bad input (unknown --doc or --format, no knowledge base).
    """
    from ingest.figures import figures_to_rows, format_figures
    from ingest.store import StoreError
    from kb import KnowledgeService

    if as_json:
        fmt = "json"
    json_out = fmt == "json"
    if fmt not in ("table", "csv", "json", "md"):
        _fail("--format must be table, csv, json or md", json_out)
    settings = _settings(index_dir=index_dir)
    service = KnowledgeService(settings)
    try:
        manifest = service.manifest()
    except StoreError as exc:  # kb.NoKnowledgeBase too
        _fail(str(exc), json_out)
        return
    if doc is not None and doc not in manifest.documents:
        known = ", ".join(sorted(manifest.documents)[:5]) + (" …" if len(manifest.documents) > 5 else "")
        _fail(f"no document {doc!r} in the knowledge base (documents: {known or 'none'}; see `policyqa status`)", json_out)
    rows = service.figures(query=query, doc_id=doc)
    if not rows:
        typer.echo(f"no figures match{f' {query!r}' if query else ''}{f' in {doc}' if doc else ''}", err=True)
        raise typer.Exit(1)
    if json_out:
        for row in figures_to_rows(rows):
            _emit(row)
        return
    sys.stdout.write(format_figures(rows, fmt))  # type: ignore[arg-type]


@app.command()
def serve(
    index_dir: Optional[Path] = IndexDir,
    host: Optional[str] = typer.Option(None, "--host", metavar="HOST", help="Interface to bind [env POLICYQA_HOST, default 127.0.0.1]."),
    port: Optional[int] = typer.Option(None, "--port", metavar="PORT", help="Port [env POLICYQA_PORT, default 7860]."),
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """Start the Gradio chat and the HTTP API (/api/v1, OpenAI-compatible /v1, docs at /docs) on one port."""
    from api.server import ServeRefused, serve as run  # light: Gradio is imported when the app is built
    from ui.ports import PortBusy, check_port

    settings = _settings(index_dir=index_dir, host=host, port=port, chroma_url=chroma_url)
    try:
        check_port(settings.host, settings.port)  # before Gradio's import and the warm-up
        run(settings)
    except (PortBusy, ServeRefused, ValueError) as exc:  # ValueError: a malformed POLICYQA_AUTH or POLICYQA_API_KEYS
        _fail(str(exc), False)


# --- regulations: documents and what changed between versions (issue 12) -----------------------

_DOCUMENT_FIELDS = ("doc_id", "title", "kind", "issuer", "jurisdiction", "date", "effective_date", "status", "superseded_by")


@app.command()
def documents(index_dir: Optional[Path] = IndexDir, as_json: bool = JsonOut) -> None:
    """One line (or JSON object) per document: kind, issuer, jurisdiction, dates, version status."""
    from ingest.store import StoreError, read_manifest

    settings = _settings(index_dir=index_dir)
    try:
        manifest = read_manifest(settings.index_dir)
    except StoreError as exc:
        _fail(str(exc), as_json)
        return
    if manifest is None:
        _fail(f"no knowledge base at {settings.index_dir}; run `policyqa ingest` first", as_json)
        return
    for d in manifest.documents.values():
        row = {k: getattr(d, k, None) for k in _DOCUMENT_FIELDS}
        row["date"] = d.version_date or d.date or None
        if as_json:
            _emit(row)
            continue
        status = d.status or "-"
        if d.superseded_by:
            status += f" by {d.superseded_by}"
        typer.echo(
            f"{d.doc_id}  {row['date'] or '-'}  {d.kind or '-'}  {d.jurisdiction or '-'}  {d.issuer or '-'}  "
            f"effective {d.effective_date or '-'}  {status}  {d.title}"
        )


@app.command()
def diff(
    title: str = typer.Argument(..., help="The regulation's title (the 中华人民共和国 prefix is optional)."),
    from_date: Optional[str] = typer.Option(None, "--from", help="The older version's date (2020, 2020-10-07) [default: the second latest]."),
    to_date: Optional[str] = typer.Option(None, "--to", help="The newer version's date [default: the latest]."),
    index_dir: Optional[Path] = IndexDir,
    as_json: bool = JsonOut,
) -> None:
    """What changed between two versions of a regulation, article by article (aligned by content)."""
    from assistant.diff import DiffError, diff_versions
    from ingest.store import StoreError

    settings = _settings(index_dir=index_dir)
    try:
        result = diff_versions(title, settings, from_date, to_date)
    except (DiffError, StoreError) as exc:
        _fail(str(exc), as_json)
        return
    if as_json:
        _emit(result)
        return
    a, b = result["from"], result["to"]
    typer.echo(f"《{result['title']}》 {a['date']} ({a['doc_id']}) → {b['date']} ({b['doc_id']})")
    for c in result["changed"]:
        arrow = c["from_article"] if c["from_article"] == c["to_article"] else f"{c['from_article']} → {c['to_article']}"
        typer.echo(f"\nchanged {arrow}")
        for line in difflib_lines(c["from_text"], c["to_text"]):
            typer.echo(f"  {line}")
    for x in result["added"]:
        typer.echo(f"\nadded {x['article']}\n  + {x['text']}")
    for x in result["removed"]:
        typer.echo(f"\nremoved {x['article']}\n  - {x['text']}")
    for r in result["renumbered"]:
        typer.echo(f"renumbered {r['from_article']} → {r['to_article']}")
    typer.echo(
        f"\n{len(result['changed'])} changed, {len(result['added'])} added, {len(result['removed'])} removed, "
        f"{len(result['renumbered'])} renumbered, {result['unchanged']} unchanged"
    )


def difflib_lines(old: str, new: str) -> list[str]:
    """The paragraphs of two texts of one article that differ, as - / + lines."""
    import difflib

    return [
        line for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:1] in "-+" and line[2:].strip()
    ]


@app.command()
def mcp(
    index_dir: Optional[Path] = IndexDir,
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """Serve the tools ask, search, figures and documents over MCP (stdio), for agent hosts."""
    from api.mcp_server import run

    run(_settings(index_dir=index_dir, chroma_url=chroma_url))


# --- eligibility self-check: "can my company apply?" (issue 14) ------------------------------------

ProfileOpt = typer.Option(..., "--profile", metavar="TEXT|@FILE", help="The company's facts as text or JSON, or @FILE to read them from a file.")
_MARKS = {"met": "✔", "not_met": "✘", "unknown": "？"}
T = TypeVar("T")


def _read_profile(profile: str, as_json: bool) -> str:
    if not profile.startswith("@"):
        return profile
    path = Path(profile[1:]).expanduser()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read the profile file {path}: {exc}", as_json)
        raise  # unreachable: _fail exits


def _run_on_profile(run: Callable[[str, Settings], T], profile: str, index_dir: Optional[Path], as_json: bool,
                    errors: tuple[type[Exception], ...] = ()) -> T:
    """`run(profile text, settings)` for `check` and `match`: a profile, store or `errors` problem is a clear error (exit 2)."""
    from assistant.eligibility.profile import ProfileError
    from ingest.store import StoreError

    text = _read_profile(profile, as_json)
    try:
        return run(text, _settings(index_dir=index_dir))
    except (ProfileError, StoreError, *errors) as exc:
        _fail(str(exc), as_json)
        raise  # unreachable: _fail exits


@app.command("check")
def check_cmd(
    doc_id: str = typer.Argument(..., metavar="DOC_ID", help="The document, as `policyqa documents` lists it."),
    profile: str = ProfileOpt,
    index_dir: Optional[Path] = IndexDir,
    as_json: bool = JsonOut,
) -> None:
    """Check a company against one document's conditions: each met / not met / unknown, with its reason."""
    from assistant.eligibility.library import EligibilityError, check_document

    result = _run_on_profile(lambda text, settings: check_document(doc_id, text, settings), profile, index_dir,
                             as_json, errors=(EligibilityError,))
    if as_json:
        _emit(result.to_json())
        return
    typer.echo(f"《{result.title}》 ({result.doc_id})")
    for c in result.conditions:
        typer.echo(f"{_MARKS[c.status]} {c.condition.n}. {c.condition.text}  [{c.condition.article}]\n    {c.reason}")
    verdict = {True: "eligible: every condition is met", False: "not eligible: a condition is not met", None: "undetermined: confirm the unknown conditions"}
    typer.echo(f"\n{verdict[result.eligible]} ({result.count('met')} met, {result.count('not_met')} not met, {result.count('unknown')} unknown)")
    if result.missing_facts:
        typer.echo("to confirm: " + "；".join(result.missing_facts))


@app.command()
def match(
    profile: str = ProfileOpt,
    index_dir: Optional[Path] = IndexDir,
    as_json: bool = JsonOut,
) -> None:
    """The library's documents that set conditions, ranked by how many the company meets."""
    from assistant.eligibility.library import match as match_documents

    ranked = _run_on_profile(match_documents, profile, index_dir, as_json)
    rows = [
        {
            "doc_id": r.doc_id, "title": r.title, "eligible": r.eligible, "met": r.count("met"),
            "not_met": r.count("not_met"), "unknown": r.count("unknown"), "conditions": len(r.conditions),
            "not_met_conditions": [{"n": c.condition.n, "text": c.condition.text, "reason": c.reason} for c in r.conditions if c.status == "not_met"],
            "unknown_conditions": [{"n": c.condition.n, "text": c.condition.text, "reason": c.reason} for c in r.conditions if c.status == "unknown"],
        }
        for r in ranked
    ]
    if as_json:
        _emit({"documents": rows})
        return
    if not rows:
        typer.echo("no document in the knowledge base sets conditions of eligibility")
    for i, r in enumerate(rows, 1):
        typer.echo(f"{i}. {r['met']}/{r['conditions']} met, {r['not_met']} not met, {r['unknown']} unknown  {r['doc_id']}  {r['title']}")
        for c in r["not_met_conditions"]:
            typer.echo(f"   ✘ {c['n']}. {c['text']} — {c['reason']}")
        for c in r["unknown_conditions"]:
            typer.echo(f"   ？ {c['n']}. {c['text']}")


if __name__ == "__main__":  # pragma: no cover
    app()
