"""Turn an :class:`assistant.api.Answer` into safe HTML for the chat, and into paste-ready text.

Every piece of document or user text goes through :func:`text_html` (``html.escape`` plus
line breaks) *before* any markup of ours is added, and the chat renders messages with
Markdown turned off, so a document that contains ``<script>``, ``<img onerror=...>`` or a
Markdown link ``[x](javascript:...)`` is shown as those characters and never runs or links.
Gradio's own sanitiser stays on as a second line, not the only one.

>>> text_html('<img src=x onerror="alert(1)"> [x](javascript:alert(1))')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#91;x&#93;(javascript&#58;alert(1))'
>>> answer_figures("1月至8月,共登记技术合同7936项,合同成交额122.78亿元。[1]")
['7936', '122.78']
>>> highlight("合同成交額122.78億元,8月6日", ["122.78"])
'合同成交額<mark>122.78</mark>億元,8月6日'
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Iterable, Sequence

from ingest.normalize import Script, detect_script, to_script
from ui.i18n import t

# Characters Markdown (or a link auto-detector) could act on are written as entities too, so the
# text stays inert even if some future renderer parses Markdown in it.
_EXTRA = str.maketrans({"[": "&#91;", "]": "&#93;", ":": "&#58;", "`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def text_html(text: Any) -> str:
    """Plain text → HTML that displays exactly that text (newlines become ``<br>``)."""
    s = html.escape(str(text if text is not None else ""), quote=True).translate(_EXTRA)
    return s.replace("\r\n", "\n").replace("\n", "<br>")


# --- figures ------------------------------------------------------------------------------------

_CITE = re.compile(r"\[\d{1,3}\]")
_NUMBER = re.compile(r"(?<![\d.A-Za-z_])\d+(?:\.\d+)?(?![\d])")
# a number followed by one of these is a date or a period, not a figure
_DATE_UNITS = set("年月日号號时時")
_RANGE = set("至到~～")  # the first number of "1至8月" is a period too


def answer_figures(answer: str) -> list[str]:
    """The figures an answer states (122.78, 7936, 8 …), without citation markers, dates and periods."""
    text = _CITE.sub(" ", answer or "")
    text = re.sub(r"\d{4}-\d{1,2}-\d{1,2}", " ", text)
    out: list[str] = []
    for m in _NUMBER.finditer(text):
        after = text[m.end() : m.end() + 1]
        if after in _DATE_UNITS or after in _RANGE:
            continue
        value = m.group(0)
        if len(value) == 1 and not ("\u4e00" <= after <= "\u9fff" or after == "%"):
            continue  # a lone digit is a figure only with a unit after it (8家, 5%)
        if value not in out:
            out.append(value)
    return out


def _figure_spans(text: str, figures: Sequence[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _NUMBER.finditer(text):
        value = m.group(0)
        if value in figures and text[m.end() : m.end() + 1] not in _DATE_UNITS:
            spans.append((m.start(), m.end()))
    return spans


def highlight(text: str, figures: Sequence[str]) -> str:
    """Escaped ``text`` with each of ``figures`` wrapped in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end in _figure_spans(text or "", figures):
        out.append(text_html(text[pos:start]))
        out.append(f"<mark>{text_html(text[start:end])}</mark>")
        pos = end
    out.append(text_html((text or "")[pos:]))
    return "".join(out)


def figures_by_citation(answer: str) -> dict[int, list[str]]:
    """The figures each ``[n]`` of an answer stands behind: those of the text before its marker group.

    "…成交额122.78亿元。[1] …专利80项。[2]" → {1: ["122.78"], 2: ["80"]}: a citation highlights only the
    figures the answer takes from it, not every number that happens to recur in its passage.
    """
    out: dict[int, list[str]] = {}
    pos = 0
    for m in re.finditer(r"(?:\[\d{1,3}\])+", answer or ""):
        figs = answer_figures(answer[pos : m.start()])
        for n in map(int, re.findall(r"\d+", m.group(0))):
            out.setdefault(n, [])
            out[n] += [f for f in figs if f not in out[n]]
        pos = m.end()
    return out


_REF = re.compile(r"&#91;(\d{1,3})&#93;")


def linked_refs(escaped: str, known: Sequence[int]) -> str:
    """``[n]`` markers of escaped answer text → clickable links to citation n (when it exists).

    Only class names carry the number (``pq-ref-n``): they survive any HTML sanitiser, and the
    page script (ui/app.py, ``PAGE_JS``) opens and scrolls to ``details.pq-cite-n`` of the same message.
    """
    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<span class="pq-ref pq-ref-{n}" role="link" tabindex="0" title="[{n}]">&#91;{n}&#93;</span>'

    return _REF.sub(link, escaped)


def reader_script(ans: Any) -> Script:
    """The script the reader asked in; English questions read Chinese passages in Simplified."""
    return detect_script(_get(ans, "question") or "")


_HAN = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’"
_CJK_PUNCT = re.compile(f"(?<=[{_HAN}])[,;:?!]|[,;:?!](?=[{_HAN}])")
_CJK_PARENS = re.compile(f"\\(([^()]*[{_HAN}][^()]*)\\)")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def cjk_punct(text: str) -> str:
    """ASCII ,;:?! next to Chinese characters, and (…) around Chinese, in their full-width forms.

    Documents are searched in NFKC, which turns the printed ，；：（） into ASCII; a Chinese reader
    gets them back. Numbers (1,234 / 10:30) and English text are left alone.
    """
    text = _CJK_PARENS.sub(lambda m: f"（{m.group(1)}）", text or "")
    return _CJK_PUNCT.sub(lambda m: _FULL[m.group(0)], text)


def in_script(text: str, script: Script) -> str:
    """Display text in the reader's script, with Chinese punctuation."""
    return cjk_punct(to_script(text, script)) if text else ""


def plain_html(text: Any) -> str:
    """Escaped text with its newlines kept as characters (for ``textContent`` of hidden copy text)."""
    return html.escape(str(text if text is not None else ""), quote=True).translate(_EXTRA)


# --- chat messages --------------------------------------------------------------------------------


def _get(obj: Any, name: str, default: Any = "") -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def cite_title(c: Any, lang: str, script: Script | None = None) -> str:
    """``《title》第四十五条`` (the article when the passage is one), in the reader's script when given."""
    title = _get(c, "title") or _get(c, "doc_id")
    article = _get(c, "article", None) or ""
    if script is not None:
        title, article = in_script(title, script), in_script(article, script)
    if lang == "en":
        return f"{title}, {article}" if article else title
    return f"《{title}》{article}"


def cite_facts(c: Any, lang: str) -> list[str]:
    """Page, date and source of a citation, each a short plain-text item."""
    facts: list[str] = []
    page = _get(c, "page", None)
    if isinstance(page, int) and page > 0:
        facts.append(t("page", lang, p=page))
    facts.append(_get(c, "date") or t("no_date", lang))
    source = _get(c, "source")
    if source:
        facts.append(source)
    return facts


def source_line(c: Any, lang: str, script: Script | None = None) -> str:
    """``《title》第四十五条, 第3页, date, source`` of a citation or retrieved chunk (plain text)."""
    parts = [cite_title(c, lang, script), *cite_facts(c, lang)]
    if not _get(c, "source"):
        parts.append(_get(c, "doc_id"))
    return t("list_sep", lang).join(parts)


def passage_html(c: Any, label: str, figures: Sequence[str], lang: str, script: Script | None = None, n: int | None = None) -> str:
    """One expandable source: summary with [n], 《title》article, page, date, source and badges
    (superseded version, recognised text); inside, the passage in the reader's script with the
    figures the answer uses marked, and the original script one click further when it differs."""
    text = _get(c, "text") or ""
    shown = in_script(text, script) if script is not None else text
    badges = ""
    if _get(c, "doc_status", None) == "superseded":
        version = _get(c, "version_date", None)
        badges += f' <span class="pq-badge pq-superseded">{text_html(t("superseded", lang) + (f" {version}" if version else ""))}</span>'
    if _get(c, "ocr", False):
        badges += f' <span class="pq-badge pq-ocr" title="{text_html(t("ocr_hint", lang))}">{text_html(t("ocr", lang))}</span>'
    meta = " · ".join(text_html(x) for x in cite_facts(c, lang))
    original = ""
    if script is not None and to_script(text, script) != text:  # another script, not just punctuation
        original = (
            f'<details class="pq-orig"><summary>{text_html(t("original", lang))}</summary>'
            f'<div class="pq-passage">{highlight(text, figures)}</div></details>'
        )
    css = f"pq-cite pq-cite-{n}" if n is not None else "pq-cite"
    return (
        f'<details class="{css}">'
        f'<summary><span class="pq-n">{text_html(label)}</span> <span class="pq-title">{text_html(cite_title(c, lang, script))}</span>'
        f' <span class="pq-src">{meta}</span>{badges}</summary>'
        f'<div class="pq-passage">{highlight(shown, figures)}</div>{original}'
        f'<div class="pq-doc">{text_html(t("document", lang))}{text_html(t("colon", lang))}{text_html(_get(c, "doc_id"))}</div>'
        "</details>"
    )


def question_html(question: str) -> str:
    return f'<div class="pq-question">{text_html(question)}</div>'


def pending_html(partial: str, lang: str) -> str:
    body = text_html(partial) if partial else text_html(t("searching", lang))
    return f'<div class="pq-answer pq-pending">{body}</div>'


def error_html(message: str, lang: str) -> str:
    return f'<div class="pq-refusal">{text_html(t("error", lang, e=message))}</div>'


def copy_html(text: str, lang: str) -> str:
    """One copy button per answer: the paste-ready text sits hidden next to it; the page script
    copies it, says 已复制, or shows the text selected with a message when the clipboard is refused."""
    return (
        '<div class="pq-copy-row">'
        f'<button type="button" class="pq-copy-btn">{text_html(t("copy_btn", lang))}</button>'
        '<span class="pq-copy-msg" role="status"></span>'
        f'<span class="pq-copy-ok">{text_html(t("copied", lang))}</span><span class="pq-copy-fail">{text_html(t("copy_failed", lang))}</span>'
        f'<div class="pq-copytext">{plain_html(text)}</div>'
        "</div>"
    )


def answer_html(ans: Any, lang: str) -> str:
    """The whole assistant message: answer with clickable [n], expandable sources (or nearest
    passages), mode line, and the copy button for the answer with its reference list."""
    script = reader_script(ans)
    parts: list[str] = []
    known = [c.n for c in ans.citations]
    body = linked_refs(text_html(cjk_punct(ans.answer)), known)
    if ans.refused:
        parts.append(f'<div class="pq-refusal"><span class="pq-badge">{text_html(t("refused_badge", lang))}</span> {body}</div>')
    else:
        parts.append(f'<div class="pq-answer">{body}</div>')
    if ans.error and not ans.refused:
        parts.append(f'<div class="pq-note">{text_html(t("fallback", lang, e=ans.error))}</div>')
    by_n = figures_by_citation(ans.answer) if not ans.refused else {}
    if ans.citations:
        items = "".join(passage_html(c, f"[{c.n}]", by_n.get(c.n, []), lang, script, n=c.n) for c in ans.citations)
        parts.append(f'<div class="pq-sources"><div class="pq-h">{text_html(t("sources", lang))}</div>{items}</div>')
    elif ans.refused and ans.retrieved and not (ans.error and not ans.retrieved):
        items = "".join(passage_html(c, f"{i}.", [], lang, script) for i, c in enumerate(ans.retrieved[:3], 1))
        parts.append(f'<div class="pq-sources pq-nearest"><div class="pq-h">{text_html(t("nearest", lang))}</div>{items}</div>')
    used = t("used_llm", lang, model=ans.model or "?") if ans.mode == "llm" else t("used_extractive", lang)
    seconds = getattr(ans, "seconds", 0.0) or 0.0
    parts.append(f'<div class="pq-meta">{text_html(used)} · {text_html(t("seconds", lang, s=seconds))}</div>')
    parts.append(copy_html(briefing_text(ans, lang), lang))
    return '<div class="pq-msg">' + "".join(parts) + "</div>"


# --- paste-ready text -----------------------------------------------------------------------------


def briefing_text(ans: Any, lang: str) -> str:
    """Answer plus a reference list ``[n] title, date, source``: what staff paste into a briefing.
    Relative times (截至目前, 今年) get the cited document's date (:mod:`assistant.relative_time`)."""
    from assistant.relative_time import dated_text

    script = reader_script(ans)
    colon = t("colon", lang)
    # 截至目前 / 今年 … carry their document's date: pasted later, "now" would be the reader's now
    text = dated_text(str(ans.answer).strip(), ans.citations if not ans.refused else [])
    lines = [cjk_punct(to_script(text, script) if script == "Hant" else text)]
    if ans.citations:
        lines += ["", t("references", lang) + colon]
        lines += [f"[{c.n}] {source_line(c, lang, script)}" for c in ans.citations]
    elif ans.refused and ans.retrieved:
        lines += ["", t("nearest", lang) + colon]
        lines += [f"{i}. {source_line(c, lang, script)}" for i, c in enumerate(ans.retrieved[:3], 1)]
    return "\n".join(lines)


def citations_json(ans: Any) -> list[dict[str, Any]]:
    return [c.to_json() if hasattr(c, "to_json") else dict(c) for c in ans.citations]


def result_json(ans: Any) -> dict[str, Any]:
    """What the ``/ask`` API returns next to the text: the answer's fields that a client needs."""
    return {
        "question": ans.question,
        "answer": ans.answer,
        "refused": bool(ans.refused),
        "citations": citations_json(ans),
        "nearest": [
            {"doc_id": c.doc_id, "chunk_id": c.chunk_id, "title": c.title, "date": c.date, "source": c.source, "text": c.text}
            for c in (ans.retrieved[:3] if ans.refused else [])
        ],
        "mode": ans.mode,
        "model": ans.model,
        "standalone_question": getattr(ans, "standalone_question", None),
        "note": ans.note,
        "error": ans.error,
        "seconds": round(float(getattr(ans, "seconds", 0.0) or 0.0), 3),
    }


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def table_html(headers: Iterable[str], rows: Iterable[Iterable[Any]], css_class: str = "pq-table") -> str:
    """A plain HTML table whose every cell is escaped text."""
    head = "".join(f"<th>{text_html(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{text_html(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
