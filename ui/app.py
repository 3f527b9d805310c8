"""The Gradio chat of policyqa: ``build(settings)`` lays it out; ``api.server`` mounts and serves it beside the HTTP API.

One :class:`assistant.api.Assistant` is built at start-up and shared by every session (it only
reads); everything that belongs to one user — the conversation, its raw history for follow-up
questions, the answers shown, the last feedback row — lives in ``gr.State`` / the chatbot value
of that browser session, so answers never mix between sessions.

API endpoints (gradio_client): ``/ask`` (question, history, mode) → (answer text with references,
result dict), ``/chat`` (the streaming chat event), ``/export_feedback`` → CSV file,
``/upload`` and ``/remove_document`` for the knowledge base.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import gradio as gr

from ingest.settings import Settings
from ui import render
from ui.feedback import FeedbackStore
from ui.compare import compare_tab
from ui.eligibility import eligibility_tab
from ui.figures import figures_tab
from ui.i18n import DEFAULT_LANG, norm_lang, t
from ui.uploads import ALLOWED_SUFFIXES

log = logging.getLogger(__name__)

#: Questions answered at once; the rest wait in the queue (the machine has few cores, a question
#: is CPU-bound for ~0.1 s in extractive mode).
CONCURRENCY = 4
QUEUE_MAX = 256
MAX_HISTORY = 10
#: answers a browser keeps across a reload (its local storage holds their HTML)
MAX_SAVED = 30
WARMUP_QUESTION = "1至8月技术合同成交额是多少?"

EXAMPLES: dict[str, list[str]] = {
    "ex_enterprise": ["1至8月技术合同成交额是多少？", "全市高新技术企业通过专家评审多少家？"],
    "ex_staff": ["2025年重点领域科技计划项目申报指南支持哪些领域？", "“春城计划”高层次科技人才项目实现经济效益多少？"],
    "ex_outreach": ["How many national key laboratories does Kunming have?", "全市已建设多少个国际科技合作基地？"],
}

CSS = """
#pq-header h1 {margin: 0 0 4px 0; font-size: 1.5em;}
#pq-header p {margin: 0; color: var(--body-text-color-subdued);}
.pq-answer, .pq-refusal, .pq-question {line-height: 1.7;}
.pq-pending {color: var(--body-text-color-subdued);}
.pq-refusal {border-left: 4px solid #d4380d; padding-left: 8px;}
.pq-badge {display: inline-block; background: #fff1f0; color: #a8071a; border: 1px solid #ffa39e;
  border-radius: 4px; padding: 0 6px; margin-right: 4px; font-size: 0.85em;}
.pq-sources {margin-top: 10px;}
.pq-h {font-weight: 600; margin-bottom: 4px;}
.pq-cite {border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 4px 8px; margin: 4px 0;}
.pq-cite summary {cursor: pointer;}
.pq-n {font-weight: 600;}
.pq-src {color: var(--body-text-color-subdued); font-size: 0.9em;}
.pq-passage {margin-top: 6px; line-height: 1.7; white-space: normal;}
.pq-passage mark, .pq-answer mark {background: #ffe58f; color: inherit; padding: 0 2px; border-radius: 2px;}
.pq-doc, .pq-meta {font-size: 0.8em; color: var(--body-text-color-subdued); margin-top: 4px;}
.pq-note {font-size: 0.9em; color: #ad6800; margin-top: 6px;}
.pq-table {border-collapse: collapse; width: 100%; font-size: 0.9em;}
.pq-table th, .pq-table td {border: 1px solid var(--border-color-primary); padding: 4px 6px; text-align: left; vertical-align: top;}
.pq-ok {color: #237804;} .pq-err {color: #a8071a;}
.pq-status div {margin: 2px 0;}
"""

CSS += """
#pq-chat .placeholder, #pq-chat .pq-welcome {text-align: left;}
.pq-welcome {line-height: 1.7; padding: 4px 8px;}
.pq-welcome h3 {margin: 0 0 6px 0;}
.pq-ref {color: var(--color-accent); cursor: pointer; text-decoration: underline dotted; white-space: nowrap;}
.pq-ref:focus {outline: 2px solid var(--color-accent); outline-offset: 1px;}
.pq-flash {box-shadow: 0 0 0 3px #ffd666; transition: box-shadow 0.3s;}
.pq-orig {margin-top: 6px; font-size: 0.9em;}
.pq-orig summary {color: var(--body-text-color-subdued);}
.pq-superseded {background: #fff7e6; color: #ad4e00; border-color: #ffd591;}
.pq-ocr {background: #f0f5ff; color: #1d39c4; border-color: #adc6ff;}
.pq-copy-row {margin-top: 8px; display: flex; flex-wrap: wrap; align-items: center; gap: 8px;}
.pq-copy-btn {border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 2px 10px; background: var(--button-secondary-background-fill); cursor: pointer; font-size: 0.9em;}
.pq-copy-msg {font-size: 0.9em; color: #237804;}
.pq-copy-failed .pq-copy-msg {color: #a8071a;}
.pq-copytext, .pq-copy-ok, .pq-copy-fail {display: none;}
.pq-copy-failed .pq-copytext {display: block; white-space: pre-wrap; width: 100%; border: 1px dashed #a8071a; padding: 6px; user-select: all;}
#pq-fig-table [role=gridcell] input[type=checkbox] {border: 1.5px solid var(--body-text-color-subdued); cursor: pointer;}  /* the row pickers: visible, not greyed out */
#pq-counter {font-size: 0.85em; color: var(--body-text-color-subdued); text-align: right; margin-top: -6px;}
#pq-counter.pq-full {color: #a8071a; font-weight: 600;}
@media (max-width: 640px) {
  #pq-top, #pq-ask-row, #pq-fig-search-row, #pq-fig-export-row {flex-direction: column !important; align-items: stretch !important;}
  #pq-top > *, #pq-ask-row > *, #pq-fig-search-row > *, #pq-fig-export-row > * {width: 100% !important; min-width: 0 !important; max-width: 100% !important; flex: 1 1 auto !important;}
  #pq-header h1 {font-size: 1.25em;}
}
"""

#: Document-level script (``mount_gradio_app(head=...)`` in api.server): copy buttons, clickable [n], the question counter,
#: scrolling to a new question. Hand-written: Gradio has no per-message custom buttons, and the
#: chat's own copy button would copy our HTML rather than the answer's text.
PAGE_JS = """
<script>
(() => {
  const copyText = async (text) => {
    try {
      if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
    } catch (e) {}
    try {
      const ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
      document.body.appendChild(ta); ta.select();
      const ok = document.execCommand("copy"); ta.remove(); return ok;
    } catch (e) { return false; }
  };
  const refNumber = (el) => { for (const c of el.classList) { const m = c.match(/^pq-ref-(\\d+)$/); if (m) return m[1]; } return null; };
  const openRef = (ref) => {
    const n = refNumber(ref); const msg = ref.closest(".pq-msg");
    const cite = n && msg ? msg.querySelector("details.pq-cite-" + n) : null;
    if (!cite) return;
    cite.open = true;
    cite.scrollIntoView({block: "nearest"});
    cite.classList.add("pq-flash"); setTimeout(() => cite.classList.remove("pq-flash"), 1500);
  };
  document.addEventListener("click", async (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    if (!target) return;
    const btn = target.closest(".pq-copy-btn");
    if (btn) {
      ev.preventDefault(); ev.stopPropagation();
      const row = btn.closest(".pq-copy-row");
      const box = row.querySelector(".pq-copytext"), msg = row.querySelector(".pq-copy-msg");
      const ok = await copyText(box.textContent);
      if (ok) {
        row.classList.remove("pq-copy-failed");
        msg.textContent = row.querySelector(".pq-copy-ok").textContent;
        setTimeout(() => { if (!row.classList.contains("pq-copy-failed")) msg.textContent = ""; }, 2500);
      } else {
        row.classList.add("pq-copy-failed");
        msg.textContent = row.querySelector(".pq-copy-fail").textContent;
        const range = document.createRange(); range.selectNodeContents(box);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      }
      return;
    }
    const ref = target.closest(".pq-ref");
    if (ref) { ev.preventDefault(); ev.stopPropagation(); openRef(ref); }
  }, true);
  document.addEventListener("keydown", (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    if (target && target.classList.contains("pq-ref") && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); openRef(target); }
  }, true);
  setInterval(() => {
    const ta = document.querySelector("#pq-question textarea"), c = document.querySelector("#pq-counter .pq-counter");
    if (!ta || !c) return;
    const max = Number(c.dataset.max || ta.maxLength || 0), n = ta.value.length;
    const text = (c.dataset.tpl || "{n}/{max}").replace("{n}", n).replace("{max}", max);
    if (c.textContent !== text) c.textContent = text;
    document.querySelector("#pq-counter").classList.toggle("pq-full", max > 0 && n >= max);
  }, 250);
})();
</script>
"""

#: after a question is answered: bring its start into view (the page and the chat scroll as needed)
SCROLL_JS = """() => { const q = document.querySelectorAll('#pq-chat .pq-question'); if (q.length) q[q.length - 1].scrollIntoView({block: 'start'}); }"""


def theme() -> gr.themes.Base:
    # System fonts only: the server and its users may have no internet (no Google Fonts).
    return gr.themes.Soft(
        font=["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "system-ui", "sans-serif"],
        font_mono=["Noto Sans Mono CJK SC", "monospace"],
    )


class NoKnowledgeBase(RuntimeError):
    """There is no usable knowledge base yet (nothing ingested, or it cannot be opened)."""


# --- the shared, read-only engine ----------------------------------------------------------------


class Engine:
    """What every session shares: the knowledge-base service (and its one Assistant), the feedback store, the settings."""

    def __init__(self, settings: Settings, assistant: Any = None, service: Any = None) -> None:
        from kb import KnowledgeService

        self.settings = settings
        self.kb = service or KnowledgeService(settings, assistant=assistant)
        self.feedback = FeedbackStore(settings.feedback_db)
        self.export_dir = Path(tempfile.mkdtemp(prefix="policyqa-export-"))

    @property
    def error(self) -> str | None:
        return self.kb.error

    def assistant(self) -> Any:
        """The Assistant, or ``None`` while there is no knowledge base (``self.error`` says why)."""
        return self.kb.assistant()


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``user:password``, or a file of ``user:password`` lines (``#`` comments), → Gradio's auth list."""
    if not value:
        return None
    path = Path(value).expanduser()
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else [value]
    pairs: list[tuple[str, str]] = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            raise ValueError("POLICYQA_AUTH must be user:password or the path of a file of user:password lines")
        pairs.append((user, password))
    if not pairs:
        raise ValueError(f"POLICYQA_AUTH file {path} has no user:password lines")
    return pairs


def admin_names(settings: Settings) -> set[str]:
    return {name.strip() for name in (settings.admins or "").split(",") if name.strip()}


def is_admin(settings: Settings, request: Any) -> bool:
    """Without a login everyone at the (loopback) UI manages it; with one, only POLICYQA_ADMINS do."""
    if not settings.auth:
        return True
    return (getattr(request, "username", None) or "") in admin_names(settings)


def local_time(iso: str | None) -> str:
    """``2026-12-01T19:59:57+00:00`` → ``2026-12-01 20:59`` in the server's time zone (``-`` if unknown)."""
    from datetime import datetime

    if not iso:
        return "-"
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(iso)


# --- build ---------------------------------------------------------------------------------------


def build(settings: Settings | None = None, assistant: Any = None, service: Any = None) -> gr.Blocks:
    """The whole interface; ``assistant`` is built lazily from ``settings`` when not given.

    ``service`` (a kb.KnowledgeService) is shared with the HTTP API when both are served together."""
    settings = settings or Settings()
    engine = Engine(settings, assistant, service)
    llm_ok = settings.llm_configured

    def mode_choices(lang: str) -> list[tuple[str, str]]:
        choices = [(t("mode_extractive", lang), "extractive")]
        if llm_ok:
            choices.append((t("mode_llm", lang), "llm"))
        return choices

    def header_html(lang: str) -> str:
        return f'<div id="pq-header"><h1>{render.text_html(t("title", lang))}</h1><p>{render.text_html(t("intro", lang))}</p></div>'

    def welcome_html(lang: str) -> str:
        """What an empty chat shows above its suggested questions."""
        return f'<div class="pq-welcome"><h3>{render.text_html(t("title", lang))}</h3><p>{render.text_html(t("welcome", lang))}</p></div>'

    def chat_examples(lang: str) -> list[dict[str, str]]:
        return [
            {"text": q, "display_text": f"{t(key, lang)} · {q}"} for key, questions in EXAMPLES.items() for q in questions
        ]

    def counter_html(lang: str) -> str:
        limit = settings.max_question_chars
        tpl = render.text_html(t("counter", lang, n="{n}", max="{max}"))
        return f'<span class="pq-counter" data-max="{limit}" data-tpl="{tpl}">{render.text_html(t("counter", lang, n=0, max=limit))}</span>'

    # ---- chat ----------------------------------------------------------------------------------

    def _answer(question: str, pairs: list, mode: str) -> Iterator[Any]:
        """Deltas (str) then the final Answer, or raises."""
        bot = engine.assistant()
        if bot is None:
            raise NoKnowledgeBase(engine.error or "no knowledge base")
        if mode not in ("extractive", "llm") or (mode == "llm" and not llm_ok):
            mode = "extractive"
        yield from bot.stream(question, pairs[-MAX_HISTORY:], mode)

    def respond(question: str, chat: list, pairs: list, turns: list, mode: str, lang: str):
        """Stream one answer into the chat. Outputs: chat, pairs, turns, question box, saved history
        (gr.BrowserState), feedback row, feedback row visibility, last feedback id."""
        from assistant.api import Answer

        q = (question or "").strip()
        chat, pairs, turns = list(chat or []), list(pairs or []), list(turns or [])
        if not q:
            yield chat, pairs, turns, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        # a question over the limit is refused by the Assistant; the box keeps it so nothing is lost
        keep = gr.skip() if len(q) > settings.max_question_chars else ""
        chat += [{"role": "user", "content": render.question_html(q)}, {"role": "assistant", "content": render.pending_html("", lang)}]
        yield chat, pairs, turns, keep, gr.skip(), gr.skip(), None
        parts: list[str] = []
        final: Answer | None = None
        shown = time.monotonic()

        def done(turn: dict):
            turns.append(turn)
            kept = turns[-MAX_SAVED:]
            saved = {"chat": chat[-2 * len(kept):], "pairs": pairs, "turns": kept}
            return chat, pairs, turns, keep, saved, gr.update(visible=True), None

        try:
            for item in _answer(q, pairs, mode):
                if isinstance(item, Answer):
                    final = item
                    break
                parts.append(item)
                if time.monotonic() - shown > 0.08:
                    shown = time.monotonic()
                    chat[-1] = {"role": "assistant", "content": render.pending_html("".join(parts), lang)}
                    yield chat, pairs, turns, keep, gr.skip(), gr.skip(), None
        except NoKnowledgeBase:
            message = t("no_kb", lang)
            chat[-1] = {"role": "assistant", "content": f'<div class="pq-refusal">{render.text_html(message)}</div>'}
            yield done({"question": q, "answer": message, "citations": [], "refused": True, "mode": "", "model": None, "briefing": message})
            return
        except Exception as exc:  # the chat stays usable; the details go to the server log
            log.exception("answering %r failed", q)
            chat[-1] = {"role": "assistant", "content": render.error_html(str(exc) or type(exc).__name__, lang)}
            yield done({"question": q, "answer": str(exc), "citations": [], "refused": True, "mode": "", "model": None, "briefing": ""})
            return
        assert final is not None
        chat[-1] = {"role": "assistant", "content": render.answer_html(final, lang)}
        pairs = (pairs + [[q, final.answer]])[-MAX_HISTORY:]
        turn = render.result_json(final)
        turn["briefing"] = render.briefing_text(final, lang)
        yield done(turn)

    def respond_example(chat: list, pairs: list, turns: list, mode: str, lang: str, evt: gr.SelectData):
        value = evt.value if isinstance(evt.value, dict) else {"text": str(evt.value or "")}
        yield from respond(str(value.get("text") or ""), chat, pairs, turns, mode, lang)

    def clear_chat():
        """新对话: the chat, its history for follow-ups and the copy kept in the browser all start over."""
        return [], [], [], "", {"chat": [], "pairs": [], "turns": []}, gr.update(visible=False), None, ""

    def restore(saved: dict | None):
        """A reload shows this browser's conversation again (kept in its local storage)."""
        saved = saved if isinstance(saved, dict) else {}
        chat_v = [m for m in saved.get("chat") or [] if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
        pairs_v = [p for p in saved.get("pairs") or [] if isinstance(p, (list, tuple)) and len(p) == 2][-MAX_HISTORY:]
        turns_v = [x for x in saved.get("turns") or [] if isinstance(x, dict)]
        if len(chat_v) != 2 * len(turns_v):  # not a conversation this app saved: start afresh
            chat_v, pairs_v, turns_v = [], [], []
        return chat_v, pairs_v, turns_v, gr.update(visible=bool(turns_v))

    # ---- feedback ------------------------------------------------------------------------------

    def _store(turn: dict, rating: str, comment: str, request: gr.Request | None) -> int:
        return engine.feedback.add(
            turn.get("question", ""), turn.get("answer", ""), turn.get("citations", []), rating, comment or "",
            session=getattr(request, "session_hash", "") or "", mode=turn.get("mode", ""), model=turn.get("model"),
            refused=bool(turn.get("refused")),
        )

    def _saved(fid: int, lang: str) -> str:
        return f'<div class="pq-ok">{render.text_html(t("fb_saved", lang, id=fid))}</div>'

    def _none(lang: str) -> str:
        return f'<div class="pq-err">{render.text_html(t("fb_none", lang))}</div>'

    def on_like(turns: list, comment: str, lang: str, data: gr.LikeData, request: gr.Request):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        k = int(index) // 2
        if data.liked is True:
            rating = "up"
        elif data.liked is False:
            rating = "down"
        else:
            return gr.skip(), gr.skip(), gr.skip()
        if not turns or k >= len(turns):
            return _none(lang), gr.skip(), gr.skip()
        fid = _store(turns[k], rating, comment, request)
        return _saved(fid, lang), fid, ""

    def send_comment(turns: list, comment: str, last_fb: int | None, lang: str, request: gr.Request):
        comment = (comment or "").strip()
        if not comment:
            return gr.skip(), gr.skip(), gr.skip()
        if not turns:
            return _none(lang), gr.skip(), gr.skip()
        session = getattr(request, "session_hash", "") or ""
        if last_fb and engine.feedback.set_comment(int(last_fb), comment, session=session):
            return _saved(int(last_fb), lang), last_fb, ""
        fid = _store(turns[-1], "comment", comment, request)
        return _saved(fid, lang), fid, ""

    def feedback_view(lang: str, request: gr.Request) -> tuple[str, str]:
        if not is_admin(settings, request):
            return f'<div class="pq-err">{render.text_html(t("admins_only", lang))}</div>', ""
        rows = engine.feedback.rows(limit=20)
        count = f"<p>{render.text_html(t('fb_count', lang, n=engine.feedback.count()))}</p>"
        if not rows:
            return count, f"<p>{render.text_html(t('fb_empty', lang))}</p>"
        names = {"up": t("rating_up", lang), "down": t("rating_down", lang), "comment": t("rating_comment", lang)}
        table = render.table_html(
            t("fb_cols", lang).split("|"),
            [(local_time(r["created_at"]), names.get(r["rating"], r["rating"]), r["question"], r["comment"]) for r in rows],
        )
        return count, table

    def export_feedback(request: gr.Request) -> str | None:
        """All feedback as a CSV file (UTF-8 with BOM); administrators only."""
        if not is_admin(settings, request):
            raise gr.Error(t("admins_only", DEFAULT_LANG))
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for old in engine.export_dir.iterdir():  # exports older than an hour are gone from Gradio's cache too
            if time.time() - old.stat().st_mtime > 3600:
                shutil.rmtree(old, ignore_errors=True)
        out = engine.export_dir / f"{stamp}-{os.getpid()}-{threading.get_ident()}" / f"policyqa-feedback-{stamp}.csv"
        return str(engine.feedback.export_csv(out))

    # ---- knowledge base ------------------------------------------------------------------------

    def kb_view(lang: str) -> tuple[str, str, Any]:
        from ingest.store import StoreError
        from kb import NoKnowledgeBase

        try:
            status, docs = engine.kb.status(), engine.kb.documents()
        except NoKnowledgeBase:
            return f"<p>{render.text_html(t('kb_none', lang))}</p>", "", gr.update(choices=[], value=None)
        except StoreError as exc:
            return f'<div class="pq-err">{render.text_html(str(exc))}</div>', "", gr.update(choices=[], value=None)
        info = t("kb_info", lang, docs=status.documents, chunks=status.chunks, last=local_time(status.last_ingest))
        docs = sorted(docs, key=lambda d: d.doc_id)
        rows = [(d.doc_id, d.title, d.date or "-", d.source or "-", d.chunks, local_time(d.ingested_at)) for d in docs]
        table = render.table_html(t("kb_cols", lang).split("|"), rows)
        # the remove list names documents by title (and date); the id is the value
        choices = [(f"{d.title or d.doc_id} · {d.date}" if d.date else (d.title or d.doc_id), d.doc_id) for d in docs]
        return f'<p class="pq-kb-count" data-docs="{len(docs)}">{render.text_html(info)}</p>', table, gr.update(choices=choices, value=None)

    def _status(lines: list[tuple[bool, str]]) -> str:
        return '<div class="pq-status">' + "".join(
            f'<div class="{"pq-ok" if ok else "pq-err"}">{render.text_html(text)}</div>' for ok, text in lines
        ) + "</div>"

    def upload(files: list[str] | None, lang: str, request: gr.Request, progress=gr.Progress()):
        if not is_admin(settings, request):
            return (_status([(False, t("admins_only", lang))]), *kb_view(lang), None)

        files = [f for f in (files or []) if f]
        if not files:
            return (_status([(False, t("upload_none", lang))]), *kb_view(lang), None)
        # only files Gradio received from this browser: a payload naming a server path (/etc/passwd,
        # the corpus, the index) is refused before anything reads it
        outside = [f for f in files if not _received_upload(f)]
        if outside:
            raise gr.Error(t("upload_none", lang))
        hidden = [f for f in files if Path(f).name.startswith(".")]
        files = [f for f in files if f not in hidden]
        if not files:
            types = " ".join(sorted(ALLOWED_SUFFIXES))
            return (_status([(False, t("upload_bad_type", lang, name=Path(f).name, types=types)) for f in hidden]), *kb_view(lang), None)

        def report(stage: str, done: int, total: int) -> None:
            key = f"stage_{stage}"
            desc = t(key, lang) if key in _STAGE_KEYS else stage
            progress(done / total if total else 1.0, desc=desc)

        saved = engine.kb.add_files(files, progress=report)
        lines: list[tuple[bool, str]] = [(False, t(key, lang, name=name, **kw)) for name, key, kw in saved.refused]
        lines += [(True, t("upload_saved", lang, name=p.name)) for p in saved.saved]
        if saved.error:
            lines.append((False, t("ingest_error", lang, e=saved.error)))
        elif saved.report is not None:
            result = saved.report
            for f in result.failed:
                lines.append((False, t("ingest_failed_file", lang, name=Path(f.get("path", "")).name, error=f.get("error", ""))))
            lines.append((True, t(
                "ingest_result", lang, added=result.added, updated=result.updated, unchanged=result.unchanged,
                removed=result.removed, failed=len(result.failed), documents=result.documents, chunks=result.chunks,
            )))
        return (_status(lines), *kb_view(lang), None)

    def remove(doc_id: str | None, lang: str, request: gr.Request):
        from ingest.store import StoreError
        from kb import UnknownDocument

        if not is_admin(settings, request):
            return (_status([(False, t("admins_only", lang))]), *kb_view(lang))
        if not doc_id:
            return (_status([(False, t("remove_none", lang))]), *kb_view(lang))
        try:
            title = engine.kb.document(doc_id).title or doc_id
            done = engine.kb.remove(doc_id)
        except UnknownDocument:
            return (_status([(False, t("remove_unknown", lang, doc=doc_id))]), *kb_view(lang))
        except StoreError as exc:
            return (_status([(False, t("ingest_error", lang, e=str(exc)))]), *kb_view(lang))
        lines = [(True, t("removed", lang, doc=title))]
        if done.file_deleted:
            lines.append((True, t("removed_file", lang)))
        elif done.source_kept:
            lines.append((False, t("removed_source_kept", lang, path=done.source_kept)))
        view = kb_view(lang)  # the count said here and the header come from the same read of the service
        lines.append((True, t("kb_now", lang, docs=len(engine.kb.documents()))))
        return (_status(lines), *view)

    def ask_remove(doc_id: str | None, lang: str, request: gr.Request):
        """The first click on 移除文档: name the document and ask to confirm (nothing is removed yet)."""
        from ingest.store import StoreError
        from kb import UnknownDocument

        if not is_admin(settings, request):
            return _status([(False, t("admins_only", lang))]), gr.update(visible=False)
        if not doc_id:
            return _status([(False, t("remove_none", lang))]), gr.update(visible=False)
        try:
            record = engine.kb.document(doc_id)
        except UnknownDocument:
            record = None
        except StoreError as exc:
            return _status([(False, str(exc))]), gr.update(visible=False)
        if record is None:
            return _status([(False, t("remove_unknown", lang, doc=doc_id))]), gr.update(visible=False)
        return _status([(False, t("remove_confirm", lang, doc=record.title or doc_id, chunks=record.chunks))]), gr.update(visible=True)

    def permissions(request: gr.Request):
        admin = is_admin(settings, request)
        return gr.update(visible=admin), gr.update(visible=admin)

    # ---- the API for programs ------------------------------------------------------------------

    def ask(question: str, history: list | None = None, mode: str = "extractive") -> tuple[str, dict]:
        """Answer one question. history: [[question, answer], ...] or chat messages; mode: extractive | llm.
        Returns the answer with its reference list (plain text) and the result (answer, refused, citations, …)."""
        from assistant.api import Answer, history_pairs

        final: Answer | None = None
        try:
            for item in _answer(question or "", history_pairs(history or []), mode or "extractive"):
                if isinstance(item, Answer):
                    final = item
        except NoKnowledgeBase:
            return t("no_kb", DEFAULT_LANG), {"question": question, "answer": "", "refused": True, "citations": [], "error": engine.error}
        assert final is not None
        from ingest.normalize import detect_script

        lang = "en" if detect_script(question or "") == "Latin" else DEFAULT_LANG
        return render.briefing_text(final, lang), render.result_json(final)

    # ---- layout --------------------------------------------------------------------------------

    lang0 = DEFAULT_LANG
    # delete_cache: uploads and exports in Gradio's cache older than a day go, checked hourly
    with gr.Blocks(title="policyqa", analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        pairs = gr.State([])  # raw (question, answer) history of this session, for follow-ups
        turns = gr.State([])  # what each answer of this session was (for feedback and copying)
        last_fb = gr.State(None)  # the feedback row a comment attaches to
        saved = gr.BrowserState({"chat": [], "pairs": [], "turns": []}, storage_key="policyqa-chat")
        with gr.Row(equal_height=True, elem_id="pq-top"):
            header = gr.HTML(header_html(lang0), scale=5)
            lang = gr.Radio([("中文", "zh"), ("English", "en")], value=lang0, label=t("lang_label", lang0), scale=1, min_width=180, elem_id="pq-lang")
        with gr.Tabs():
            with gr.Tab(t("tab_chat", lang0), id="chat") as tab_chat:
                chat = gr.Chatbot(
                    label=t("chat_label", lang0), show_label=False, elem_id="pq-chat", height=560, render_markdown=False,
                    sanitize_html=True, latex_delimiters=[], allow_tags=False, line_breaks=False,
                    feedback_options=("Like", "Dislike"), buttons=[], autoscroll=False,
                    placeholder=welcome_html(lang0), examples=chat_examples(lang0),
                )
                with gr.Row(elem_id="pq-ask-row"):
                    question = gr.Textbox(
                        label=t("question_label", lang0), placeholder=t("question_ph", lang0), lines=1, max_lines=6,
                        scale=6, elem_id="pq-question", max_length=settings.max_question_chars, autofocus=True,
                    )
                    with gr.Column(scale=1, min_width=140):
                        send = gr.Button(t("send", lang0), variant="primary", elem_id="pq-send")
                        clear = gr.Button(t("clear", lang0), elem_id="pq-clear")
                counter = gr.HTML(counter_html(lang0), elem_id="pq-counter")
                # one option only without an LLM: then there is nothing to choose
                mode = gr.Radio(
                    mode_choices(lang0), value="llm" if llm_ok and settings.mode == "llm" else "extractive",
                    label=t("mode_label", lang0), elem_id="pq-mode", visible=llm_ok,
                )
                # the thumbs are on each answer; a comment attaches to the last one given (or the last answer)
                with gr.Row(visible=False, elem_id="pq-fb-row") as fb_row:
                    comment = gr.Textbox(label=t("fb_comment_label", lang0), placeholder=t("fb_comment_ph", lang0), lines=1, scale=4, elem_id="pq-comment", max_length=4000)
                    send_fb = gr.Button(t("fb_submit", lang0), size="sm", elem_id="pq-send-comment", min_width=100)
                fb_status = gr.HTML("", elem_id="pq-fb-status")
            figures_tab(settings, lang)  # 数据速查: ui/figures.py
            compare_tab(settings, lang)  # 版本对比: ui/compare.py
            eligibility_tab(settings, lang)  # 资格自查: ui/eligibility.py (issue 14)
            with gr.Tab(t("tab_kb", lang0), id="kb") as tab_kb:
                kb_info = gr.HTML("", elem_id="pq-kb-info")
                kb_head = gr.Markdown(f"### {t('kb_docs', lang0)}")
                kb_table = gr.HTML("", elem_id="pq-kb-table")
                kb_refresh = gr.Button(t("kb_refresh", lang0), size="sm")
                admin0 = not settings.auth  # with a login, demo.load shows these to POLICYQA_ADMINS only
                with gr.Column(visible=admin0, elem_id="pq-kb-admin") as kb_admin:
                    # no file_types: Gradio would refuse a mixed selection with its own English error;
                    # ui.uploads refuses other types with a message and keeps the accepted files
                    files = gr.File(
                        label=t("upload_label", lang0, mb=settings.max_upload_mb), file_count="multiple",
                        type="filepath", elem_id="pq-upload",
                    )
                    upload_btn = gr.Button(t("upload_btn", lang0), variant="primary", elem_id="pq-upload-btn")
                    upload_status = gr.HTML("", elem_id="pq-upload-status")
                    with gr.Row():
                        remove_choice = gr.Dropdown([], label=t("remove_label", lang0), allow_custom_value=True, scale=4, elem_id="pq-remove-choice")
                        remove_btn = gr.Button(t("remove_btn", lang0), variant="stop", scale=1, elem_id="pq-remove-btn")
                    remove_status = gr.HTML("", elem_id="pq-remove-status")
                    with gr.Row(visible=False, elem_id="pq-remove-confirm") as confirm_row:
                        confirm_btn = gr.Button(t("remove_yes", lang0), variant="stop", elem_id="pq-remove-yes")
                        cancel_btn = gr.Button(t("remove_cancel", lang0), elem_id="pq-remove-cancel")
            with gr.Tab(t("tab_feedback", lang0), id="feedback", visible=admin0) as tab_fb:
                fb_count = gr.HTML("")
                fb_head = gr.Markdown(f"### {t('fb_recent', lang0)}")
                fb_table = gr.HTML("", elem_id="pq-fb-table")
                with gr.Row():
                    fb_refresh = gr.Button(t("fb_refresh", lang0), size="sm")
                    fb_export = gr.Button(t("fb_export", lang0), elem_id="pq-fb-export")
                fb_file = gr.File(label=t("fb_file", lang0), interactive=False, elem_id="pq-fb-file")

        # ---- wiring ----
        chat_outputs = [chat, pairs, turns, question, saved, fb_row, last_fb]
        chat_inputs = [question, chat, pairs, turns, mode, lang]
        private = {"api_visibility": "private"}
        send.click(respond, chat_inputs, chat_outputs, api_name="chat").then(None, js=SCROLL_JS, **private)
        question.submit(respond, chat_inputs, chat_outputs, **private).then(None, js=SCROLL_JS, **private)
        chat.example_select(respond_example, [chat, pairs, turns, mode, lang], chat_outputs, **private).then(None, js=SCROLL_JS, **private)
        clear_outputs = [chat, pairs, turns, question, saved, fb_row, last_fb, fb_status]
        clear.click(clear_chat, None, clear_outputs, queue=False, **private)
        chat.clear(clear_chat, None, clear_outputs, queue=False, **private)

        chat.like(on_like, [turns, comment, lang], [fb_status, last_fb, comment], **private)
        send_fb.click(send_comment, [turns, comment, last_fb, lang], [fb_status, last_fb, comment], **private)
        comment.submit(send_comment, [turns, comment, last_fb, lang], [fb_status, last_fb, comment], **private)

        kb_outputs = [kb_info, kb_table, remove_choice]
        upload_btn.click(upload, [files, lang], [upload_status, *kb_outputs, files], api_name="upload", concurrency_limit=1, concurrency_id="kb")
        remove_btn.click(ask_remove, [remove_choice, lang], [remove_status, confirm_row], **private)
        remove_choice.input(lambda: ("", gr.update(visible=False)), None, [remove_status, confirm_row], queue=False, **private)
        cancel_btn.click(lambda: ("", gr.update(visible=False)), None, [remove_status, confirm_row], queue=False, **private)
        confirm_btn.click(remove, [remove_choice, lang], [remove_status, *kb_outputs], api_name="remove_document", concurrency_limit=1, concurrency_id="kb").then(
            lambda: gr.update(visible=False), None, [confirm_row], queue=False, **private
        )
        kb_refresh.click(kb_view, [lang], kb_outputs, api_visibility="private")
        tab_kb.select(kb_view, [lang], kb_outputs, api_visibility="private")
        fb_refresh.click(feedback_view, [lang], [fb_count, fb_table], api_visibility="private")
        tab_fb.select(feedback_view, [lang], [fb_count, fb_table], api_visibility="private")
        fb_export.click(export_feedback, None, [fb_file], api_name="export_feedback")
        # real types, not the strings `from __future__ import annotations` leaves: gr.api types the endpoint from them
        ask.__annotations__ = {"question": str, "history": list | None, "mode": str, "return": tuple[str, dict]}
        gr.api(ask, api_name="ask")

        def switch(lang_value: str):
            lv = norm_lang(lang_value)
            updates: list[Any] = [
                header_html(lv),
                gr.update(label=t("lang_label", lv)),
                gr.update(label=t("tab_chat", lv)),
                gr.update(label=t("tab_kb", lv)),
                gr.update(label=t("tab_feedback", lv)),
                gr.update(label=t("chat_label", lv), placeholder=welcome_html(lv), examples=chat_examples(lv)),
                gr.update(label=t("question_label", lv), placeholder=t("question_ph", lv)),
                gr.update(value=t("send", lv)),
                gr.update(value=t("clear", lv)),
                counter_html(lv),
                gr.update(label=t("mode_label", lv), choices=mode_choices(lv)),
                gr.update(label=t("fb_comment_label", lv), placeholder=t("fb_comment_ph", lv)),
                gr.update(value=t("fb_submit", lv)),
                gr.update(value=f"### {t('kb_docs', lv)}"),
                gr.update(value=t("kb_refresh", lv)),
                gr.update(label=t("upload_label", lv, mb=settings.max_upload_mb)),
                gr.update(value=t("upload_btn", lv)),
                gr.update(label=t("remove_label", lv)),
                gr.update(value=t("remove_btn", lv)),
                gr.update(value=t("remove_yes", lv)),
                gr.update(value=t("remove_cancel", lv)),
                gr.update(value=f"### {t('fb_recent', lv)}"),
                gr.update(value=t("fb_refresh", lv)),
                gr.update(value=t("fb_export", lv)),
                gr.update(label=t("fb_file", lv)),
            ]
            return updates

        lang.change(
            switch,
            [lang],
            [
                header, lang, tab_chat, tab_kb, tab_fb, chat, question, send, clear, counter, mode,
                comment, send_fb, kb_head, kb_refresh,
                files, upload_btn, remove_choice, remove_btn, confirm_btn, cancel_btn, fb_head, fb_refresh, fb_export, fb_file,
            ],
            api_visibility="private",
            queue=False,
        )
        demo.load(kb_view, [lang], kb_outputs, api_visibility="private")
        demo.load(restore, [saved], [chat, pairs, turns, fb_row], api_visibility="private")
        demo.load(permissions, None, [kb_admin, tab_fb], api_visibility="private", queue=False)
    return demo


_STAGE_KEYS = {"stage_reading", "stage_embedding", "stage_keyword index"}


# --- launch --------------------------------------------------------------------------------------


def warm_up(settings: Settings) -> tuple[Any, dict[str, float]]:
    """Build the one Assistant and answer one question, so the first user does not pay for loading.

    Returns the assistant (``None`` without a knowledge base) and the timings in seconds.
    """
    from assistant.api import Assistant
    from ingest.embedder import EmbedderError
    from ingest.store import StoreError

    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        bot = Assistant(settings)
    except (StoreError, EmbedderError) as exc:
        print(f"policyqa: no usable knowledge base yet ({exc}); upload documents in the Knowledge base tab.", file=sys.stderr, flush=True)
        return None, timings
    timings["open"] = time.perf_counter() - started
    first = time.perf_counter()
    try:
        bot.ask(WARMUP_QUESTION, mode="extractive")
    except Exception as exc:  # a broken model should not keep the chat from starting
        print(f"policyqa: warm-up question failed: {exc}", file=sys.stderr, flush=True)
        return bot, timings
    timings["first_answer"] = time.perf_counter() - first
    second = time.perf_counter()
    bot.ask(WARMUP_QUESTION, mode="extractive")
    timings["warm_answer"] = time.perf_counter() - second
    return bot, timings


def _received_upload(path: str) -> bool:
    """Whether ``path`` is a file Gradio stored from an upload (its temp folder), not any server path."""
    from gradio.utils import get_upload_folder

    root = Path(get_upload_folder()).resolve()
    try:
        return Path(path).resolve().is_relative_to(root)
    except (OSError, ValueError):
        return False
