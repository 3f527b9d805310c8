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


# --- chat messages --------------------------------------------------------------------------------


def _get(obj: Any, name: str, default: Any = "") -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def source_line(c: Any, lang: str) -> str:
    """``title, date, source`` of a citation or retrieved chunk (plain text)."""
    title = _get(c, "title") or _get(c, "doc_id")
    date = _get(c, "date") or t("no_date", lang)
    source = _get(c, "source") or _get(c, "doc_id")
    return f"{title}, {date}, {source}"


def passage_html(c: Any, label: str, figures: Sequence[str], lang: str) -> str:
    """One expandable source: summary line with title, date and source; the passage inside."""
    title = _get(c, "title") or _get(c, "doc_id")
    date = _get(c, "date") or t("no_date", lang)
    source = _get(c, "source")
    meta = " · ".join(text_html(x) for x in (date, source) if x)
    return (
        '<details class="pq-cite">'
        f'<summary><span class="pq-n">{text_html(label)}</span> <span class="pq-title">{text_html(title)}</span>'
        f' <span class="pq-src">{meta}</span></summary>'
        f'<div class="pq-passage">{highlight(_get(c, "text"), figures)}</div>'
        f'<div class="pq-doc">{text_html(t("document", lang))}: {text_html(_get(c, "doc_id"))}</div>'
        "</details>"
    )


def question_html(question: str) -> str:
    return f'<div class="pq-question">{text_html(question)}</div>'


def pending_html(partial: str, lang: str) -> str:
    body = text_html(partial) if partial else text_html(t("searching", lang))
    return f'<div class="pq-answer pq-pending">{body}</div>'


def error_html(message: str, lang: str) -> str:
    return f'<div class="pq-refusal">{text_html(t("error", lang, e=message))}</div>'


def answer_html(ans: Any, lang: str) -> str:
    """The whole assistant message: answer, expandable [n] sources (or nearest passages), mode line."""
    parts: list[str] = []
    if ans.refused:
        parts.append(f'<div class="pq-refusal"><span class="pq-badge">{text_html(t("refused_badge", lang))}</span> {text_html(ans.answer)}</div>')
    else:
        parts.append(f'<div class="pq-answer">{text_html(ans.answer)}</div>')
    if ans.error and not ans.refused:
        parts.append(f'<div class="pq-note">{text_html(t("fallback", lang, e=ans.error))}</div>')
    figures = answer_figures(ans.answer) if not ans.refused else []
    if ans.citations:
        items = "".join(passage_html(c, f"[{c.n}]", figures, lang) for c in ans.citations)
        parts.append(f'<div class="pq-sources"><div class="pq-h">{text_html(t("sources", lang))}</div>{items}</div>')
    elif ans.refused and ans.retrieved and not (ans.error and not ans.retrieved):
        items = "".join(passage_html(c, f"{i}.", [], lang) for i, c in enumerate(ans.retrieved[:3], 1))
        parts.append(f'<div class="pq-sources pq-nearest"><div class="pq-h">{text_html(t("nearest", lang))}</div>{items}</div>')
    used = t("used_llm", lang, model=ans.model or "?") if ans.mode == "llm" else t("used_extractive", lang)
    seconds = getattr(ans, "seconds", 0.0) or 0.0
    parts.append(f'<div class="pq-meta">{text_html(used)} · {text_html(t("seconds", lang, s=seconds))}</div>')
    return "".join(parts)


# --- paste-ready text -----------------------------------------------------------------------------


def briefing_text(ans: Any, lang: str) -> str:
    """Answer plus a reference list ``[n] title, date, source``: what staff paste into a briefing."""
    lines = [str(ans.answer).strip()]
    if ans.citations:
        lines += ["", t("references", lang) + ":"]
        lines += [f"[{c.n}] {source_line(c, lang)}" for c in ans.citations]
    elif ans.refused and ans.retrieved:
        lines += ["", t("nearest", lang) + ":"]
        lines += [f"{i}. {source_line(c, lang)}" for i, c in enumerate(ans.retrieved[:3], 1)]
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
