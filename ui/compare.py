"""The 版本对比 / Versions tab: two versions of a regulation side by side, article by article.

The comparison is `policyqa diff`'s (:func:`assistant.diff.compare`: articles aligned by content);
this tab only lays it out: each changed article as a row old | new with both versions' labels and the
edited words marked (:func:`assistant.changes.word_edits`, word by word), then the added, removed and
renumbered articles. Only regulations the knowledge base holds in more than one version are offered.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ingest.settings import Settings
from ui.i18n import DEFAULT_LANG, norm_lang, t
from ui.render import text_html

#: inline styles (the tab adds no CSS of its own to the page): deletions red and struck, insertions green
DEL_STYLE = "background:#ffd8d6;color:#a8071a;text-decoration:line-through;"
INS_STYLE = "background:#d9f7be;color:#135200;text-decoration:none;"


def _body(text: str, label: str) -> str:
    return text[len(label):].lstrip() if text.startswith(label) else text


def marked_pair(old: str, new: str) -> tuple[str, str]:
    """Two article texts as HTML, the words only the old one has in ``<del>``, only the new one in ``<ins>``."""
    from assistant.changes import word_opcodes  # the same word diff as the chat's answer

    left: list[str] = []
    right: list[str] = []
    for op, x_text, y_text in word_opcodes(old, new):
        x, y = text_html(x_text), text_html(y_text)
        if op == "equal":
            left.append(x)
            right.append(y)
            continue
        if x:
            left.append(f'<del class="pq-del" style="{DEL_STYLE}">{x}</del>')
        if y:
            right.append(f'<ins class="pq-ins" style="{INS_STYLE}">{y}</ins>')
    return "".join(left), "".join(right)


def comparison_html(result: dict[str, Any], lang: str) -> str:
    """The comparison (``assistant.diff.compare``'s dict) as HTML: a summary, the changed articles side
    by side, then the added, removed and renumbered ones. Every text is escaped."""
    a, b = result["from"]["date"], result["to"]["date"]
    changed, added, removed, renumbered = result["changed"], result["added"], result["removed"], result["renumbered"]
    out = [
        f'<p class="pq-cmp-summary">{text_html(t("cmp_summary", lang, title=result["title"], old=a, new=b, changed=len(changed), added=len(added), removed=len(removed), unchanged=result["unchanged"]))}</p>'
    ]
    if changed:
        rows = []
        for c in changed:
            left, right = marked_pair(_body(c["from_text"], c["from_article"]), _body(c["to_text"], c["to_article"]))
            rows.append(
                f'<tr class="pq-cmp-row" data-from="{text_html(c["from_article"])}" data-to="{text_html(c["to_article"])}">'
                f'<td class="pq-cmp-old"><div class="pq-h">{text_html(c["from_article"])}</div>{left}</td>'
                f'<td class="pq-cmp-new"><div class="pq-h">{text_html(c["to_article"])}</div>{right}</td></tr>'
            )
        head = f'<th style="width:50%">{text_html(t("cmp_version", lang, date=a))}</th><th style="width:50%">{text_html(t("cmp_version", lang, date=b))}</th>'
        out.append(f'<table class="pq-table pq-cmp-changed"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    for key, items, date in (("cmp_added", added, b), ("cmp_removed", removed, a)):
        if items:
            lis = "".join(
                f'<li><b>{text_html(x["article"])}</b> {text_html(_body(x["text"], x["article"]))}</li>' for x in items
            )
            out.append(f'<div class="pq-h">{text_html(t(key, lang, date=date))}</div><ul class="pq-{key.replace("_", "-")}">{lis}</ul>')
    if renumbered:
        lis = "".join(f"<li>{text_html(r['from_article'])} → {text_html(r['to_article'])}</li>" for r in renumbered)
        out.append(f'<div class="pq-h">{text_html(t("cmp_renumbered", lang))}</div><ul class="pq-cmp-renumbered">{lis}</ul>')
    if not (changed or added or removed):
        out.append(f"<p>{text_html(t('cmp_same', lang))}</p>")
    return "".join(out)


def versioned_titles(manifest: Any) -> list[tuple[str, list[Any]]]:
    """(title shown, its versions oldest first) for every regulation held in more than one version."""
    from ingest.versioning import VERSIONED_KINDS, norm_title, versions_of

    seen: dict[str, list[Any]] = {}
    for d in manifest.documents.values():
        if d.kind in VERSIONED_KINDS:
            key = d.norm_title or norm_title(d.title)
            if key not in seen:
                seen[key] = versions_of(manifest.documents.values(), key)
    return sorted(((v[-1].title, v) for v in seen.values() if len(v) >= 2), key=lambda x: x[0])


def compare_tab(settings: Settings, lang: gr.Radio) -> gr.Tab:
    """Add the 版本对比 tab to the enclosing ``gr.Tabs`` and wire it; ``lang`` is the interface-language radio."""
    from assistant.diff import DiffError, compare
    from ingest.store import StoreError, read_manifest

    lang0 = DEFAULT_LANG
    with gr.Tab(t("tab_versions", lang0), id="versions", elem_id="pq-versions-tab") as tab:
        intro = gr.Markdown(t("cmp_intro", lang0))
        with gr.Row(equal_height=True):
            title = gr.Dropdown([], label=t("cmp_title", lang0), scale=4, elem_id="pq-cmp-title")
            old = gr.Dropdown([], label=t("cmp_from", lang0), scale=2, elem_id="pq-cmp-from")
            new = gr.Dropdown([], label=t("cmp_to", lang0), scale=2, elem_id="pq-cmp-to")
            run = gr.Button(t("cmp_run", lang0), variant="primary", scale=1, min_width=100, elem_id="pq-cmp-run")
        result = gr.HTML("", elem_id="pq-cmp-result")

    def _manifest() -> Any:
        return read_manifest(settings.index_dir)

    def dates(versions: list[Any]) -> list[tuple[str, str]]:
        return [(f"{v.version_date or v.date} · {v.doc_id}", v.doc_id) for v in versions]

    def show(title_value: str | None, old_id: str | None, new_id: str | None, lang_value: str) -> str:
        lv = norm_lang(lang_value)
        try:
            manifest = _manifest()
        except StoreError as exc:
            return f'<div class="pq-err">{text_html(str(exc))}</div>'
        if manifest is None:
            return f'<div class="pq-err">{text_html(t("kb_none", lv))}</div>'
        groups = dict(versioned_titles(manifest))
        versions = groups.get(title_value or "")
        if not versions:
            return f"<p>{text_html(t('cmp_none', lv))}</p>"
        by_id = {v.doc_id: v for v in versions}
        a, b = by_id.get(old_id or ""), by_id.get(new_id or "")
        if a is None or b is None:
            a, b = versions[-2], versions[-1]
        if (a.version_date or "", a.doc_id) > (b.version_date or "", b.doc_id):
            a, b = b, a  # always old | new
        if a.doc_id == b.doc_id:
            return f'<div class="pq-err">{text_html(t("cmp_same_version", lv))}</div>'
        try:
            res = compare(title_value or "", manifest, settings, a.version_date or a.date, b.version_date or b.date)
        except (DiffError, StoreError) as exc:
            return f'<div class="pq-err">{text_html(str(exc))}</div>'
        return comparison_html(res, lv)

    def on_open(title_value: str | None, lang_value: str):
        """Offer the regulations in more than one version; keep the choice if it is still there."""
        try:
            manifest = _manifest()
        except StoreError as exc:
            return gr.update(choices=[], value=None), gr.update(choices=[]), gr.update(choices=[]), f'<div class="pq-err">{text_html(str(exc))}</div>'
        groups = versioned_titles(manifest) if manifest is not None else []
        if not groups:
            return (gr.update(choices=[], value=None), gr.update(choices=[], value=None), gr.update(choices=[], value=None),
                    f"<p>{text_html(t('cmp_none', norm_lang(lang_value)))}</p>")
        names = [g[0] for g in groups]
        chosen = title_value if title_value in names else names[0]
        versions = dict(groups)[chosen]
        return (
            gr.update(choices=names, value=chosen),
            gr.update(choices=dates(versions), value=versions[-2].doc_id),
            gr.update(choices=dates(versions), value=versions[-1].doc_id),
            show(chosen, versions[-2].doc_id, versions[-1].doc_id, lang_value),
        )

    def on_title(title_value: str | None, lang_value: str):
        return on_open(title_value, lang_value)

    def switch(lang_value: str):
        lv = norm_lang(lang_value)
        return [
            gr.update(label=t("tab_versions", lv)),
            gr.update(value=t("cmp_intro", lv)),
            gr.update(label=t("cmp_title", lv)),
            gr.update(label=t("cmp_from", lv)),
            gr.update(label=t("cmp_to", lv)),
            gr.update(value=t("cmp_run", lv)),
        ]

    private = {"api_visibility": "private"}
    outputs = [title, old, new, result]
    tab.select(on_open, [title, lang], outputs, **private)
    title.input(on_title, [title, lang], outputs, **private)
    run.click(show, [title, old, new, lang], [result], **private)
    old.input(show, [title, old, new, lang], [result], **private)
    new.input(show, [title, old, new, lang], [result], **private)
    lang.change(switch, [lang], [tab, intro, title, old, new, run], queue=False, **private).then(
        show, [title, old, new, lang], [result], **private
    )
    return tab
