"""The 资格自查 / Eligibility tab: check a company against a notice's conditions.

Choose a notice (or leave 自动 and let the text pick it: the programme it names, else the notice whose
conditions it meets most), type or paste the profile (free text or JSON), and see the checklist
(✔ met, ✘ not met, ？ unknown, each with its reason and where the condition is); copy it as text or
export it as .docx. The check is :mod:`assistant.eligibility`'s; this tab only lays it out.

The tab's strings live here (a small table of its own, like ui/i18n.py's) so the shared string table
is not edited by every tab.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from ingest.settings import Settings
from ui.i18n import DEFAULT_LANG, norm_lang
from ui.render import text_html

_S: dict[str, tuple[str, str]] = {
    "tab": ("资格自查", "Eligibility"),
    "intro": (
        "选择一个通知（或选“自动”，按您写的内容选择），填写单位情况，逐条核对申报条件：✔ 满足，✘ 不满足，？ 资料未说明、需要确认。"
        "结果只依据您填写的情况，不会把没说的当成满足。",
        "Choose a notice (or Auto: picked from what you write), describe the company, and check each condition: "
        "✔ met, ✘ not met, ？ not stated, to confirm. Only what you state counts: nothing unstated is taken as met.",
    ),
    "doc": ("通知", "Notice"),
    "auto": ("自动（按填写内容选择）", "Auto (picked from the text)"),
    "profile": ("单位情况（文字或 JSON）", "Company profile (text or JSON)"),
    "profile_ph": (
        "例如：我们是2019年在昆明呈贡区注册的独立法人企业，上年度营业收入5000万元，研发投入200万元，职工120人，其中研发人员15人，去年认定为高新技术企业",
        "e.g. 我们是2019年在昆明呈贡区注册的独立法人企业，上年度营业收入5000万元，研发投入200万元，职工120人",
    ),
    "run": ("自查", "Check"),
    "export": ("导出 Word", "Export .docx"),
    "text": ("核对结果（可复制）", "Checklist (to copy)"),
    "file": ("Word 文件", "Word file"),
    "status": ("结果", "Result"),
    "condition": ("条件", "Condition"),
    "where": ("出处", "Where"),
    "reason": ("理由", "Reason"),
    "met": ("满足", "met"),
    "not_met": ("不满足", "not met"),
    "unknown": ("需确认", "to confirm"),
    "eligible_true": ("全部条件均满足。", "Every condition is met."),
    "eligible_false": ("有条件不满足，按所填情况暂不符合申报条件。", "A condition is not met: not eligible as described."),
    "eligible_none": ("尚不能确定：请确认标为 ？ 的条件。", "Undetermined: confirm the conditions marked ？."),
    "missing": ("需要确认", "To confirm"),
    "no_docs": ("知识库里没有列出申报条件的文件。", "No document in the knowledge base sets conditions of eligibility."),
    "empty": ("请填写单位情况。", "Please describe the company."),
}
MARKS = {"met": "✔", "not_met": "✘", "unknown": "？"}
COLORS = {"met": "#135200", "not_met": "#a8071a", "unknown": "#ad6800"}


def s(key: str, lang: str) -> str:
    zh, en = _S[key]
    return en if norm_lang(lang) == "en" else zh


def _verdict(result: Any, lang: str) -> str:
    return s({True: "eligible_true", False: "eligible_false", None: "eligible_none"}[result.eligible], lang)


def checklist_html(result: Any, lang: str) -> str:
    """The checklist as an HTML table, one row per condition (every text escaped)."""
    rows = []
    for c in result.conditions:
        cond = c.condition
        rows.append(
            f'<tr class="pq-elig-row" data-status="{c.status}" data-n="{cond.n}">'
            f'<td style="color:{COLORS[c.status]};white-space:nowrap"><b>{MARKS[c.status]}</b> {text_html(s(c.status, lang))}</td>'
            f'<td>{cond.n}. {text_html(cond.text)}</td><td class="pq-elig-where">{text_html(cond.article)}</td>'
            f'<td class="pq-elig-reason">{text_html(c.reason)}</td></tr>'
        )
    head = "".join(f"<th>{text_html(s(k, lang))}</th>" for k in ("status", "condition", "where", "reason"))
    out = [
        f'<p class="pq-elig-title"><b>《{text_html(result.title)}》</b> ({text_html(result.doc_id)})</p>',
        f'<table class="pq-table pq-elig-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>',
        f'<p class="pq-elig-verdict" data-eligible="{str(result.eligible).lower()}">{text_html(_verdict(result, lang))}</p>',
    ]
    if result.missing_facts:
        out.append(f'<p class="pq-elig-missing">{text_html(s("missing", lang))}：{text_html("；".join(result.missing_facts))}</p>')
    return "".join(out)


def checklist_text(result: Any, lang: str) -> str:
    """The checklist as plain text (for the copy button)."""
    lines = [f"《{result.title}》 ({result.doc_id})"]
    for c in result.conditions:
        lines.append(f"{MARKS[c.status]} {c.condition.n}. {c.condition.text}（{c.condition.article}）\n   {c.reason}")
    lines.append(_verdict(result, lang))
    if result.missing_facts:
        lines.append(f"{s('missing', lang)}：" + "；".join(result.missing_facts))
    return "\n".join(lines)


def checklist_docx(result: Any, lang: str, folder: Path) -> Path:
    """The checklist as a Word document (python-docx), written under ``folder``."""
    from docx import Document

    doc = Document()
    doc.add_heading(f"{s('tab', lang)}：《{result.title}》", level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, ("status", "condition", "where", "reason")):
        cell.text = s(key, lang)
    for c in result.conditions:
        row = table.add_row().cells
        row[0].text = f"{MARKS[c.status]} {s(c.status, lang)}"
        row[1].text = f"{c.condition.n}. {c.condition.text}"
        row[2].text = c.condition.article
        row[3].text = c.reason
    doc.add_paragraph(_verdict(result, lang))
    if result.missing_facts:
        doc.add_paragraph(f"{s('missing', lang)}：" + "；".join(result.missing_facts))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"资格自查-{Path(result.doc_id).stem}.docx"
    doc.save(str(path))
    return path


def eligibility_tab(settings: Settings, lang: gr.Radio) -> gr.Tab:
    """Add the 资格自查 tab to the enclosing ``gr.Tabs`` and wire it; ``lang`` is the interface-language radio."""
    from assistant.eligibility.library import EligibilityError, best_match, check_document, documents_with_conditions
    from assistant.eligibility.profile import ProfileError
    from ingest.store import StoreError

    lang0 = DEFAULT_LANG
    state: dict[str, Any] = {}

    def kb() -> Any:
        from assistant.retrieval import KnowledgeBase

        if "kb" not in state:
            state["kb"] = KnowledgeBase(settings)
        state["kb"].refresh()
        return state["kb"]

    with gr.Tab(s("tab", lang0), id="eligibility", elem_id="pq-elig-tab") as tab:
        intro = gr.Markdown(s("intro", lang0))
        doc = gr.Dropdown([(s("auto", lang0), "")], value="", label=s("doc", lang0), elem_id="pq-elig-doc")
        profile = gr.Textbox(label=s("profile", lang0), placeholder=s("profile_ph", lang0), lines=4, max_lines=12,
                             max_length=4000, elem_id="pq-elig-profile")
        with gr.Row():
            run = gr.Button(s("run", lang0), variant="primary", elem_id="pq-elig-run")
            export = gr.Button(s("export", lang0), elem_id="pq-elig-export")
        result = gr.HTML("", elem_id="pq-elig-result")
        text = gr.Textbox(label=s("text", lang0), lines=6, interactive=False, buttons=["copy"], elem_id="pq-elig-text")
        file = gr.File(label=s("file", lang0), interactive=False, height=90, elem_id="pq-elig-file")

    def compute(doc_id: str | None, profile_text: str, lang_value: str) -> tuple[Any, str]:
        lv = norm_lang(lang_value)
        if not (profile_text or "").strip():
            return None, f'<div class="pq-err">{text_html(s("empty", lv))}</div>'
        try:
            if doc_id:
                res = check_document(doc_id, profile_text, settings, kb())
            else:
                res = best_match(profile_text, settings, kb())
                if res is None:
                    return None, f"<p>{text_html(s('no_docs', lv))}</p>"
        except (EligibilityError, ProfileError, StoreError) as exc:
            return None, f'<div class="pq-err">{text_html(str(exc))}</div>'
        return res, checklist_html(res, lv)

    def on_run(doc_id: str | None, profile_text: str, lang_value: str):
        res, html = compute(doc_id, profile_text, lang_value)
        return html, checklist_text(res, norm_lang(lang_value)) if res is not None else ""

    def on_export(doc_id: str | None, profile_text: str, lang_value: str):
        res, html = compute(doc_id, profile_text, lang_value)
        if res is None:
            return html, "", None
        folder = Path(tempfile.mkdtemp(prefix="pq-elig-"))
        lv = norm_lang(lang_value)
        return html, checklist_text(res, lv), str(checklist_docx(res, lv, folder))

    def on_open(doc_id: str | None, lang_value: str):
        lv = norm_lang(lang_value)
        try:
            docs = documents_with_conditions(settings, kb())
        except StoreError:
            docs = []
        choices = [(s("auto", lv), "")] + [(f"{title} · {d}", d) for d, title in docs]
        return gr.update(choices=choices, value=doc_id if doc_id in {d for d, _ in docs} else "")

    def switch(lang_value: str):
        lv = norm_lang(lang_value)
        return [gr.update(label=s("tab", lv)), gr.update(value=s("intro", lv)), gr.update(label=s("doc", lv)),
                gr.update(label=s("profile", lv), placeholder=s("profile_ph", lv)), gr.update(value=s("run", lv)),
                gr.update(value=s("export", lv)), gr.update(label=s("text", lv)), gr.update(label=s("file", lv))]

    private = {"api_visibility": "private"}
    tab.select(on_open, [doc, lang], [doc], **private)
    run.click(on_run, [doc, profile, lang], [result, text], **private)
    profile.submit(on_run, [doc, profile, lang], [result, text], **private)
    export.click(on_export, [doc, profile, lang], [result, text, file], **private)
    lang.change(switch, [lang], [tab, intro, doc, profile, run, export, text, file], queue=False, **private)
    return tab
