"""Interface strings: Simplified Chinese by default, English on request.

>>> t("send", "zh"), t("send", "en")
('提问', 'Ask')
>>> t("seconds", "en", s=1.25)
'1.2 s'
"""

from __future__ import annotations

import re
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

#: key -> (Simplified Chinese, English)
STRINGS: dict[str, tuple[str, str]] = {
    "title": ("科技政策问答助手", "S&T policy assistant"),
    "intro": (
        "根据科技局发布的文件回答问题。每个回答都标明出处 [n],点开出处可以看到原文段落;文件里没有的内容,会直接说明没有找到。",
        "Answers questions from Science & Technology Bureau documents. Every answer cites its sources [n]; "
        "open a source to read the passage. When the documents do not say, it tells you so.",
    ),
    "lang_label": ("界面语言 / Language", "界面语言 / Language"),
    "tab_chat": ("问答", "Ask"),
    "tab_kb": ("知识库", "Knowledge base"),
    "tab_feedback": ("反馈", "Feedback"),
    "chat_label": ("对话", "Conversation"),
    "question_label": ("您的问题", "Your question"),
    "question_ph": ("例如:1至8月技术合同成交额是多少?", "e.g. How many national key laboratories does Kunming have?"),
    "send": ("提问", "Ask"),
    "clear": ("新对话", "New conversation"),
    "mode_label": ("回答方式", "Answer mode"),
    "mode_extractive": ("快速回答(原文摘录)", "Quick answer (quoted from the documents)"),
    "mode_llm": ("大模型回答", "LLM answer"),
    "examples": ("示例问题", "Example questions"),
    "ex_enterprise": ("企业咨询", "Enterprises"),
    "ex_staff": ("局内材料准备", "Bureau staff (briefings)"),
    "ex_outreach": ("服务团队走访", "Service-team outreach"),
    "copy_btn": ("复制答案和出处", "Copy answer with sources"),
    "copy_label": ("答案和出处(可直接粘贴到材料中)", "Answer with sources (ready to paste into a briefing)"),
    "references": ("参考来源", "Sources"),
    "sources": ("出处", "Sources"),
    "nearest": ("最相关的段落(仅供参考)", "Nearest passages (for reference only)"),
    "document": ("文档", "Document"),
    "no_date": ("日期不详", "no date"),
    "used_extractive": ("快速回答(原文摘录)", "quick answer (quoted)"),
    "used_llm": ("大模型回答,模型:{model}", "LLM answer, model: {model}"),
    "seconds": ("用时 {s:.1f} 秒", "{s:.1f} s"),
    "searching": ("正在查找…", "Searching…"),
    "refused_badge": ("未找到答案", "Not found in the documents"),
    "no_kb": ("知识库还没有建立:请先在“知识库”页上传文件。", "The knowledge base is empty: upload documents on the Knowledge base tab first."),
    "error": ("出错了:{e}", "Something went wrong: {e}"),
    "fallback": ("(大模型不可用,已改为原文摘录:{e})", "(The LLM was unavailable, so the quoted answer is shown: {e})"),
    "flagged": ("已核对数字", "figures checked"),
    "welcome": (
        "您好!我根据科技局发布的文件回答问题,每个回答都标明出处 [n]。可以直接提问,或者点一个示例问题:",
        "Hello! I answer from the bureau's documents and cite every answer [n]. Ask a question, or pick an example:",
    ),
    "counter": ("{n}/{max} 字", "{n}/{max} characters"),
    "page": ("第{p}页", "p. {p}"),
    "list_sep": (",", ", "),
    "colon": (":", ": "),
    "original": ("查看原文(原始字形)", "Original text (as printed)"),
    "superseded": ("旧版本,已被取代", "superseded version"),
    "ocr": ("识别文本", "OCR text"),
    "ocr_hint": ("这段文字由扫描件识别得到,可能有误,请核对原件。", "Recognised from a scan: check the original."),
    "copied": ("已复制", "Copied"),
    "copy_failed": (
        "浏览器不允许访问剪贴板:下面的文字已选中,请按 Ctrl+C 复制。",
        "The browser refused the clipboard: the text below is selected, press Ctrl+C to copy it.",
    ),
    # feedback
    "fb_up": ("有用", "Helpful"),
    "fb_down": ("没用", "Not helpful"),
    "fb_comment_label": ("意见(可选)", "Comment (optional)"),
    "fb_comment_ph": ("哪里不对,或者还缺什么?", "What was wrong or missing?"),
    "fb_submit": ("提交意见", "Send comment"),
    "fb_saved": ("已记录反馈 #{id},谢谢!", "Feedback #{id} saved, thank you!"),
    "fb_none": ("还没有可以评价的回答。", "There is no answer to rate yet."),
    "fb_export": ("导出全部反馈(CSV)", "Export all feedback (CSV)"),
    "fb_file": ("反馈文件", "Feedback file"),
    "fb_recent": ("最近的反馈", "Recent feedback"),
    "fb_count": ("共 {n} 条反馈", "{n} feedback entries"),
    "fb_refresh": ("刷新", "Refresh"),
    "fb_empty": ("还没有反馈。", "No feedback yet."),
    "fb_cols": ("时间|评价|问题|意见", "Time|Rating|Question|Comment"),
    "rating_up": ("有用", "helpful"),
    "rating_down": ("没用", "not helpful"),
    "rating_comment": ("意见", "comment"),
    # knowledge base
    "kb_docs": ("已收录的文档", "Documents in the knowledge base"),
    "kb_info": ("{docs} 篇文档 · {chunks} 个段落 · 最近导入:{last}", "{docs} documents · {chunks} passages · last ingest: {last}"),
    "kb_now": ("知识库现有 {docs} 篇文档。", "The knowledge base now holds {docs} documents."),
    "admins_only": ("只有管理员可以上传、移除文档和查看反馈。", "Only administrators may upload or remove documents and read feedback."),
    "remove_confirm": (
        "确定要移除《{doc}》({chunks} 个段落)吗?移除后需要重新上传才能恢复。",
        "Remove “{doc}” ({chunks} passages)? It comes back only by uploading it again.",
    ),
    "remove_yes": ("确认移除", "Yes, remove it"),
    "remove_cancel": ("取消", "Cancel"),
    "kb_none": ("知识库还没有建立。", "There is no knowledge base yet."),
    "kb_cols": ("文档ID|标题|日期|来源|段落数|导入时间", "doc_id|Title|Date|Source|Chunks|Ingested"),
    "kb_refresh": ("刷新", "Refresh"),
    "upload_label": ("上传文件(.txt .md .html .pdf .docx,每个不超过 {mb:g} MB)", "Upload files (.txt .md .html .pdf .docx, up to {mb:g} MB each)"),
    "upload_btn": ("上传并导入", "Upload and ingest"),
    "upload_none": ("请先选择文件。", "Choose files first."),
    "upload_saved": ("已保存 {name}", "Saved {name}"),
    "upload_bad_type": ("{name}:不支持这种文件类型(只接受 {types})", "{name}: this file type is not accepted (only {types})"),
    "upload_too_big": ("{name}:文件太大({mb:.1f} MB,上限 {max:g} MB)", "{name}: too large ({mb:.1f} MB, the limit is {max:g} MB)"),
    "upload_empty": ("{name}:文件是空的", "{name}: the file is empty"),
    "ingest_result": (
        "导入完成:新增 {added},更新 {updated},未变 {unchanged},移除 {removed},失败 {failed}。知识库共 {documents} 篇文档、{chunks} 个段落。",
        "Ingest finished: {added} added, {updated} updated, {unchanged} unchanged, {removed} removed, {failed} failed. "
        "The knowledge base has {documents} documents, {chunks} passages.",
    ),
    "ingest_failed_file": ("导入失败 {name}:{error}", "Could not ingest {name}: {error}"),
    "ingest_error": ("导入没有完成:{e}", "The ingest did not finish: {e}"),
    "stage_reading": ("读取文件", "Reading files"),
    "stage_embedding": ("计算向量", "Embedding"),
    "stage_keyword index": ("建立关键词索引", "Building the keyword index"),
    "remove_label": ("选择要移除的文档", "Document to remove"),
    "remove_btn": ("移除文档", "Remove document"),
    "remove_none": ("请先选择一篇文档。", "Choose a document first."),
    "removed": ("已从知识库移除《{doc}》。", "Removed “{doc}” from the knowledge base."),
    "removed_file": ("上传的文件也已删除。", "The uploaded file was deleted too."),
    "removed_source_kept": (
        "注意:原文件仍在语料目录中({path}),下次导入整个目录时会重新收录;如不再需要,请从目录中删除。",
        "Note: the source file is still in the corpus folder ({path}) and will come back with the next ingest of that folder; delete it there if it is no longer wanted.",
    ),
    "remove_unknown": ("知识库中没有 {doc}。", "{doc} is not in the knowledge base."),
    # figures tab (ui/figures.py)
    "tab_figures": ("数据速查", "Figures"),
    "fig_intro": (
        "查找文件中报告的数字:按指标、时期或地点搜索(简体、繁体均可),点击一行查看原句和出处,在表格第一列勾选数据,对比成图或导出为带出处的简报。",
        "Look up the figures the documents report: search by metric, period or place (Simplified or Traditional Chinese), "
        "click a row to see its sentence and source, tick rows in the first column to chart them or export them as a briefing with sources.",
    ),
    "fig_query_label": ("搜索(指标、时期、地点)", "Search (metric, period, place)"),
    "fig_query_ph": ("例如:技术合同 1月至8月", "e.g. 技术合同 1月至8月"),
    "fig_doc_label": ("文档", "Document"),
    "fig_all_docs": ("全部文档", "All documents"),
    "fig_search": ("查找", "Search"),
    "fig_count": ("找到 {n} 条数据(知识库共 {total} 条)。", "{n} figures found ({total} in the knowledge base)."),
    "fig_capped": ("表格只显示前 {shown} 条,请缩小搜索范围。", "The table shows the first {shown}; narrow the search."),
    "fig_none": ("没有找到符合条件的数据。", "No figures match."),
    "fig_cols": ("选择|指标|数值|单位|约数|时期|地点|文档|日期", "Pick|Metric|Value|Unit|Approx.|Period|Place|Document|Date"),
    "fig_approx": ("约", "approx."),
    "fig_detail_hint": ("勾选第一列选择数据;点击一行的其他单元格,查看这个数字所在的原句和出处。", "Tick the first column to choose figures; click another cell of a row to see the sentence the figure comes from and its source."),
    "fig_sentence": ("原句", "Sentence"),
    "fig_source": ("出处", "Source"),
    "fig_pick_label": ("勾选要导出、对比的行(换一个搜索,已勾选的留在最上面)", "Tick the rows to export and compare (ticked rows stay on top when you search again)"),
    "fig_picked": ("已勾选 {n} 条:图表和导出只含这些数据。", "{n} ticked: the chart and the exports show only these."),
    "fig_title_label": ("简报标题", "Briefing title"),
    "fig_title_default": ("数据简报", "Figures briefing"),
    "fig_export_md": ("导出 Markdown", "Export Markdown"),
    "fig_export_docx": ("导出 Word(.docx)", "Export Word (.docx)"),
    "fig_md_label": ("简报预览(复制按钮复制 Markdown)", "Briefing preview (the copy button copies its Markdown)"),
    "fig_md_source": ("Markdown 源码", "Markdown source"),
    "fig_top": ("先显示最常引用的 {n} 个指标;输入搜索词查看全部。", "Showing the {n} most-cited metrics first; search to see every figure."),
    "fig_md_file": ("Markdown 文件", "Markdown file"),
    "fig_docx_file": ("Word 文件", "Word file"),
    "fig_pick_none": ("请先在表格第一列勾选要导出的数据。", "Tick the figures to export in the table's first column first."),
    "fig_exported": ("已导出 {n} 条数据。", "{n} figures exported."),
    "fig_chart_label": ("同一指标在不同时期、地点的对比", "One metric across periods and places"),
    "fig_chart_metric": ("图表中的指标", "Metric in the chart"),
    "fig_place": ("地点", "Place"),
    "fig_period": ("时期", "Period"),
    "fig_chart_x": ("地点 · 年份时期", "Place · year and period"),
    # 版本对比 / Versions tab (ui/compare.py)
    "tab_versions": ("版本对比", "Versions"),
    "cmp_intro": (
        "选择一部收录了多个版本的法规,逐条对比两个版本:修改的条文左右并排(删去的字标红、新增的字标绿),新增和删除的条文列在下面。",
        "Pick a regulation held in several versions to compare two of them article by article: changed articles side "
        "by side (removed words in red, added words in green), added and removed articles listed below.",
    ),
    "cmp_title": ("法规", "Regulation"),
    "cmp_from": ("旧版本", "Older version"),
    "cmp_to": ("新版本", "Newer version"),
    "cmp_run": ("对比", "Compare"),
    "cmp_version": ("{date} 版", "Version of {date}"),
    "cmp_summary": (
        "《{title}》{new}版与{old}版相比:修改 {changed} 条,新增 {added} 条,删除 {removed} 条,其余 {unchanged} 条未变。",
        "《{title}》, {new} against {old}: {changed} articles changed, {added} added, {removed} removed, {unchanged} unchanged.",
    ),
    "cmp_added": ("{date} 版新增的条文", "Added in the version of {date}"),
    "cmp_removed": ("{date} 版中被删除的条文", "Removed from the version of {date}"),
    "cmp_renumbered": ("条文序号变化", "Renumbered articles"),
    "cmp_same": ("两个版本的条文没有差别。", "The two versions differ in no article."),
    "cmp_same_version": ("请选择两个不同的版本。", "Choose two different versions."),
    "cmp_none": ("知识库中没有收录多个版本的法规。", "The knowledge base holds no regulation in more than one version."),
}


#: ASCII punctuation typed in Chinese strings → the full-width forms Chinese text uses
_ZH_PUNCT = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})
_FIELD = re.compile(r"(\{[^{}]*\})")


def zh_punct(template: str) -> str:
    """Full-width ，：；？！（） in a Chinese template, outside its ``{field:spec}`` placeholders.

    The strings above are typed with ASCII punctuation (easier to edit); readers see the Chinese forms.
    """
    return "".join(part if _FIELD.fullmatch(part) else part.translate(_ZH_PUNCT) for part in _FIELD.split(template))


def template(key: str, lang: str | None = None) -> str:
    zh, en = STRINGS[key]
    return en if lang == "en" else zh_punct(zh)


def t(key: str, lang: str | None = None, **kw: Any) -> str:
    """The string for ``key`` in ``lang`` (``zh`` unless ``en``), formatted with ``kw``."""
    text = template(key, lang)
    return text.format(**kw) if kw else text


def norm_lang(lang: str | None) -> str:
    return "en" if (lang or "").lower().startswith("en") else "zh"
