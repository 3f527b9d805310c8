"""End to end in a real headless Chromium against a real `policyqa serve` (see conftest.py)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

ANSWERS = "#pq-chat .pq-answer:not(.pq-pending), #pq-chat .pq-refusal"

# Places the question analyser knows (玉溪, 保山) but that the shipped corpus never mentions, so the
# only possible answer is the uploaded document.
UPLOAD_DOC = """玉溪市科学技术局2024年科技创新工作情况通报
- 时间:2024-12-01
- 来源:玉溪市科学技术局
2024年,玉溪市深入实施创新驱动发展战略,科技创新工作取得新进展。
玉溪市2024年孵化器数量为37家,较上年增加5家;全市新认定众创空间12家。
下一步,玉溪市科学技术局将继续优化创新生态,服务企业科技创新。
"""

XSS_DOC = """<img src=x onerror="window.__pwned=2">保山市科学技术局工作通报
- 时间:2024-11-05
- 来源:保山市科学技术局<script>window.__pwned=1</script>
2024年,保山市科技工作稳步推进。<script>window.__pwned=1</script>
保山市2024年众创空间数量为19家<img src=x onerror="window.__pwned=2">,详见[点我](javascript:window.__pwned=3)。
"""


def ask(page, question: str, timeout: float = 90_000) -> str:
    """Type a question, send it, wait for the finished answer; returns its text."""
    before = page.locator(ANSWERS).count()
    page.fill("#pq-question textarea", question)
    page.click("#pq-send")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n && !document.querySelector('#pq-chat .pq-pending')",
        arg=[ANSWERS, before],
        timeout=timeout,
    )
    return page.locator(ANSWERS).nth(before).inner_text()


def last_message(page):
    """The last assistant message (answer + sources + meta line)."""
    return page.locator("#pq-chat .pq-meta").last.locator("xpath=..")


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def upload(page, path: Path) -> str:
    open_tab(page, "知识库")
    page.set_input_files("#pq-upload input[type=file]", str(path))
    page.wait_for_selector(f'#pq-upload a[data-testid="download-link"][download="{path.name}"]')  # uploaded
    page.click("#pq-upload-btn")
    page.wait_for_selector("#pq-upload-status .pq-ok:has-text('导入完成')", timeout=120_000)
    return page.inner_text("#pq-upload-status")


def pwned(page):
    return page.evaluate("() => window.__pwned")


def test_answer_citation_and_follow_up(page, artifacts: Path) -> None:
    text = ask(page, "1至8月技术合同成交额是多少?")
    assert "122.78亿元" in text and "[1]" in text

    cite = page.locator("#pq-chat details.pq-cite").first
    summary = cite.locator(":scope > summary").inner_text()
    assert "[1]" in summary and "昆明" in summary and "2024-09-23" in summary and "昆明信息港" in summary
    assert not cite.locator(":scope > .pq-passage").is_visible()  # collapsed until asked for
    cite.locator(":scope > summary").click()
    passage = cite.locator(":scope > .pq-passage")
    assert passage.is_visible()
    marks = passage.locator("mark").all_inner_texts()
    assert "122.78" in marks, marks
    assert passage.locator("mark", has_text="122.78").is_visible()

    # the paste-ready text for a briefing: answer + [n] 《title》, date, source (hidden next to the copy button)
    briefing = last_message(page).locator(".pq-copytext").text_content()
    assert "122.78亿元" in briefing and re.search(r"\[1\] 《昆明.+》，2024-09-23，昆明信息港", briefing), briefing
    shot = artifacts / "chat-answer.png"
    page.screenshot(path=str(shot), full_page=True)
    # the README's picture is taken by tests/ui/test_ui_chat_ux.py (1400x900 and 390x844)

    follow = ask(page, "那上半年呢?")
    assert follow.strip() and "请输入" not in follow
    assert page.locator(ANSWERS).count() == 2
    page.screenshot(path=str(artifacts / "chat-follow-up.png"), full_page=True)
    assert not page.errors  # type: ignore[attr-defined]


def test_refusal_shows_nearest_passages(page, artifacts: Path) -> None:
    text = ask(page, "深圳2022年的专利授权量是多少?")
    assert "文档中没有找到" in text
    nearest = page.locator("#pq-chat .pq-nearest details.pq-cite")
    assert 1 <= nearest.count() <= 3
    nearest.first.locator(":scope > summary").click()
    assert nearest.first.locator(":scope > .pq-passage").is_visible()
    page.screenshot(path=str(artifacts / "chat-refusal.png"), full_page=True)


def test_english_interface(page, artifacts: Path) -> None:
    page.get_by_label("English").check()
    page.wait_for_selector("#pq-send:has-text('Ask')")
    text = ask(page, "How many national key laboratories does Kunming have?")
    assert "8" in text and "[1]" in text
    assert page.locator("#pq-chat .pq-h", has_text="Sources").count() == 1
    page.screenshot(path=str(artifacts / "chat-english.png"), full_page=True)


def test_upload_then_ask(page, tmp_path: Path, artifacts: Path, ui_server) -> None:
    doc = tmp_path / "玉溪 2024 通报(终稿).txt"
    doc.write_text(UPLOAD_DOC, encoding="utf-8")
    status = upload(page, doc)
    assert "已保存" in status and "失败 0" in status, status
    saved = ui_server.corpus_dir / "uploads" / "玉溪_2024_通报_终稿.txt"
    assert saved.exists()
    assert "uploads/玉溪_2024_通报_终稿.txt" in page.inner_text("#pq-kb-table")
    page.screenshot(path=str(artifacts / "kb-after-upload.png"), full_page=True)

    open_tab(page, "问答")
    text = ask(page, "玉溪市2024年孵化器数量是多少?")
    assert "37家" in text, text
    summary = page.locator("#pq-chat details.pq-cite summary").first.inner_text()
    assert "玉溪市科学技术局" in summary and "2024-12-01" in summary
    page.screenshot(path=str(artifacts / "chat-uploaded-doc.png"), full_page=True)


def test_malicious_document_is_shown_as_text(page, tmp_path: Path, artifacts: Path, ui_server) -> None:
    doc = tmp_path / "xss-report.txt"
    doc.write_text(XSS_DOC, encoding="utf-8")
    upload(page, doc)
    assert pwned(page) is None
    table = page.inner_text("#pq-kb-table")
    assert '<img src=x onerror="window.__pwned=2">保山市科学技术局工作通报' in table  # the title, as text

    open_tab(page, "问答")
    question = '保山市2024年众创空间数量是多少?<img src=x onerror="window.__pwned=4">'
    text = ask(page, question)
    assert "19家" in text, text
    assert '<img src=x onerror="window.__pwned=4">' in page.locator("#pq-chat .pq-question").last.inner_text()
    cite = page.locator("#pq-chat details.pq-cite").first
    cite.locator(":scope > summary").click()
    passage = cite.locator(":scope > .pq-passage").inner_text()
    assert "<script>window.__pwned=1</script>" in passage
    assert "[点我](javascript:window.__pwned=3)" in passage  # the Markdown link stays characters
    assert "<script>window.__pwned=1</script>" in cite.locator(":scope > summary").inner_text()  # the source line
    page.wait_for_timeout(500)
    assert pwned(page) is None
    chat = page.locator("#pq-chat")
    assert chat.locator("script").count() == 0
    assert chat.locator("img[src='x']").count() == 0
    assert chat.locator("a[href^='javascript']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    page.screenshot(path=str(artifacts / "chat-malicious-doc.png"), full_page=True)

    # the copy text and the knowledge-base tab render it as text too
    assert "<img src=x" in last_message(page).locator(".pq-copytext").text_content()
    open_tab(page, "知识库")
    page.wait_for_timeout(300)
    assert pwned(page) is None
    assert not [e for e in page.errors if "__pwned" in e]  # type: ignore[attr-defined]


def test_feedback_through_the_ui(page, ui_server) -> None:
    from gradio_client import Client

    ask(page, "全市已建设多少个国际科技合作基地?")
    # the chat's own thumbs on the message
    page.locator('#pq-chat button[aria-label="赞"], #pq-chat button[aria-label="Like"]').first.click()  # Gradio localises it
    page.wait_for_selector("#pq-fb-status .pq-ok")
    liked = int(re.search(r"#(\d+)", page.inner_text("#pq-fb-status")).group(1))
    with sqlite3.connect(ui_server.feedback_db) as db:
        assert db.execute("SELECT rating, question FROM feedback WHERE id = ?", (liked,)).fetchone() == ("up", "全市已建设多少个国际科技合作基地?")
    # a second answer, thumbs down on it; a comment attaches to that rating
    ask(page, "全市已建设多少个国际科技合作基地?")
    page.locator('#pq-chat button[aria-label="踩"], #pq-chat button[aria-label="Dislike"]').last.click()
    page.wait_for_function(
        "(id) => { const m = document.querySelector('#pq-fb-status').innerText.match(/#(\\d+)/); return m && Number(m[1]) !== id; }",
        arg=liked,
    )
    fid = int(re.search(r"#(\d+)", page.inner_text("#pq-fb-status")).group(1))
    assert fid != liked
    comment = '<b>年份不对</b> =1+1 [x](javascript:alert(1))'
    page.fill("#pq-comment textarea", comment)
    page.click("#pq-send-comment")
    page.wait_for_function("() => document.querySelector('#pq-comment textarea').value === ''")

    with sqlite3.connect(ui_server.feedback_db) as db:
        row = db.execute("SELECT rating, comment, question, answer, citations FROM feedback WHERE id = ?", (fid,)).fetchone()
    assert row[0] == "down" and row[1] == comment
    assert row[2] == "全市已建设多少个国际科技合作基地?" and "32" in row[3] and "kunming-sti-2024-09-23.txt" in row[4]

    # the feedback tab shows the comment as text
    open_tab(page, "反馈")
    page.wait_for_selector("#pq-fb-table td:has-text('年份不对')")
    assert "<b>年份不对</b>" in page.inner_text("#pq-fb-table")
    assert page.locator("#pq-fb-table b").count() == 0

    # and the CSV export (through the API) contains it
    path = Client(ui_server.url, verbose=False).predict(api_name="/export_feedback")
    data = Path(path).read_text(encoding="utf-8-sig")
    assert "<b>年份不对</b> =1+1" in data and "全市已建设多少个国际科技合作基地?" in data
