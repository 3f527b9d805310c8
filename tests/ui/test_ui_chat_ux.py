"""The chat as a new user meets it, in a real headless Chromium against the session `policyqa serve`
(conftest.py): welcome and suggested questions inside the chat, the new answer scrolled into view,
one copy button per answer, clickable [n], the question limit, history across a reload, 新对话,
and the 390 px layout. Screenshots: test-artifacts/ui/ux-*.png; with POLICYQA_UPDATE_SCREENSHOTS=1
the README's docs/screenshot-*.png are refreshed from the same pages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from ui_helpers import REPO, open_page

pytestmark = pytest.mark.slow

FINISHED = "() => document.querySelectorAll('#pq-chat .pq-meta').length >= 1 && !document.querySelector('#pq-chat .pq-pending')"


def _readme_shot(src: Path, name: str) -> None:
    target = REPO / "docs" / name
    if os.environ.get("POLICYQA_UPDATE_SCREENSHOTS") == "1" or not target.exists():
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(src, target)


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const els = document.querySelectorAll(sel); const r = els[els.length - 1].getBoundingClientRect();
                      return r.top >= 0 && r.top < window.innerHeight; }""",
        selector,
    )


def test_first_screen_welcome_examples_and_nothing_to_rate(page, artifacts: Path) -> None:
    chat = page.locator("#pq-chat")
    assert "您好" in chat.inner_text()  # the welcome is inside the chat area
    examples = chat.locator(".example")
    assert examples.count() >= 4 and examples.first.is_visible()
    assert in_viewport(page, "#pq-chat .example")  # above the fold at 1280x1000
    assert not page.locator("#pq-fb-row").is_visible()  # nothing to comment on yet
    assert page.locator("#pq-chat .pq-copy-btn").count() == 0
    assert not page.locator("#pq-mode").is_visible()  # one answer mode only: no choice shown
    # no floating "对话" label over the messages
    assert page.locator("#pq-chat label, #pq-chat [data-testid=block-label]").filter(has_text="对话").count() == 0
    page.screenshot(path=str(artifacts / "ux-first-screen.png"))


def test_example_answer_is_scrolled_into_view_with_copy_and_links(page, artifacts: Path) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#pq-chat .example").first.click()
    page.wait_for_function(FINISHED)
    page.wait_for_timeout(300)
    assert in_viewport(page, "#pq-chat .pq-question")  # the new question and its answer start are on screen
    assert page.locator("#pq-fb-row").is_visible()

    msg = page.locator("#pq-chat .pq-msg").last
    assert msg.locator(".pq-copy-btn").count() == 1
    # [n] opens and scrolls to its citation
    cite = msg.locator("details.pq-cite-1")
    assert not cite.evaluate("d => d.open")
    msg.locator(".pq-ref-1").first.click()
    page.wait_for_function("() => document.querySelector('#pq-chat details.pq-cite-1').open")
    # the citation reads in the reader's script, the printed one a click away
    assert "技术合同" in cite.locator(".pq-passage").first.inner_text()
    original = cite.locator("details.pq-orig")
    original.locator("summary").click()
    assert "技術合同" in original.locator(".pq-passage").inner_text()

    msg.locator(".pq-copy-btn").click()
    page.wait_for_function("() => document.querySelector('#pq-chat .pq-copy-msg').innerText === '已复制'")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "122.78亿元" in copied and "参考来源：" in copied and "[1] 《昆明" in copied, copied
    assert "<" not in copied
    page.set_viewport_size({"width": 1400, "height": 900})  # the README's picture
    page.locator("#pq-chat .pq-question").last.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "ux-answer.png"))
    _readme_shot(artifacts / "ux-answer.png", "screenshot-chat.png")


def test_refused_clipboard_shows_the_text_selected_with_a_message(page) -> None:
    page.evaluate(
        "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); document.execCommand = () => false; }"
    )
    page.locator("#pq-chat .example").first.click()
    page.wait_for_function(FINISHED)
    row = page.locator("#pq-chat .pq-copy-row").last
    row.locator(".pq-copy-btn").click()
    page.wait_for_function("() => document.querySelector('#pq-chat .pq-copy-row.pq-copy-failed')")
    assert "剪贴板" in row.locator(".pq-copy-msg").inner_text()
    assert row.locator(".pq-copytext").is_visible()
    assert "122.78亿元" in page.evaluate("() => window.getSelection().toString()")


def test_question_limit_counter_and_a_refused_question_is_kept(page, ui_server) -> None:
    box = page.locator("#pq-question textarea")
    limit = int(box.get_attribute("maxlength"))
    assert limit == 1000  # Settings.max_question_chars, not a larger box that cuts and then refuses
    box.fill("技术合同" * 400)  # a 1,600-character paste
    assert len(box.input_value()) == limit
    page.wait_for_function("() => document.querySelector('#pq-counter').innerText.startsWith('1000/1000')")
    assert "pq-full" in page.locator("#pq-counter").get_attribute("class")
    # over the limit anyway (set by a script, as a browser extension might): refused, and the text stays
    too_long = "技术合同成交额" * 200
    box.evaluate(
        "(el, v) => { el.removeAttribute('maxlength'); el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", too_long
    )
    page.click("#pq-send")
    page.wait_for_function(FINISHED)
    assert "太长" in page.locator("#pq-chat .pq-msg").last.inner_text()
    assert box.input_value() == too_long
    # an accepted question clears the box
    box.fill("1至8月技术合同成交额是多少?")
    page.click("#pq-send")
    page.wait_for_function("() => document.querySelectorAll('#pq-chat .pq-meta').length >= 2")
    assert box.input_value() == ""


def test_history_survives_a_reload_and_new_conversation_starts_over(browser, ui_server) -> None:
    context, page = open_page(browser, ui_server.url)
    try:
        page.fill("#pq-question textarea", "全市已建设多少个国际科技合作基地?")
        page.click("#pq-send")
        page.wait_for_function(FINISHED)
        page.reload()
        page.wait_for_selector("#pq-chat .pq-msg")
        assert "32个国际科技合作基地" in page.locator("#pq-chat .pq-msg").last.inner_text()
        assert page.locator("#pq-fb-row").is_visible()
        # a follow-up still knows the restored conversation
        page.fill("#pq-question textarea", "那国家重点实验室呢?")
        page.click("#pq-send")
        page.wait_for_function("() => document.querySelectorAll('#pq-chat .pq-meta').length >= 2")

        page.click("#pq-clear")
        page.wait_for_function("() => !document.querySelector('#pq-chat .pq-msg')")
        page.reload()
        page.wait_for_selector("#pq-chat .example")
        assert page.locator("#pq-chat .pq-msg").count() == 0
    finally:
        context.close()

    # another browser (no shared storage) starts empty
    context, page = open_page(browser, ui_server.url)
    try:
        page.wait_for_selector("#pq-chat .example")
        assert page.locator("#pq-chat .pq-msg").count() == 0
    finally:
        context.close()


def test_mobile_layout(browser, ui_server, artifacts: Path) -> None:
    context, page = open_page(browser, ui_server.url)
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.locator("#pq-chat .example").first.click()
        page.wait_for_function(FINISHED)
        header, lang = page.locator("#pq-header").bounding_box(), page.locator("#pq-lang").bounding_box()
        assert lang["y"] >= header["y"] + header["height"] - 1  # stacked, not squeezed side by side
        box = page.locator("#pq-question").bounding_box()
        assert box["width"] >= 390 * 0.8  # the question box takes the width
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390 + 1  # nothing sticks out
        page.screenshot(path=str(artifacts / "ux-mobile.png"), full_page=True)
        _readme_shot(artifacts / "ux-mobile.png", "screenshot-mobile.png")
    finally:
        context.close()


def test_serve_prints_our_lines_not_gradios_share_hint(ui_server) -> None:
    log = ui_server.output()
    assert "share=True" not in log and "public link" not in log.lower(), log[-2000:]
    assert f"serving on http://127.0.0.1:{ui_server.port}/" in log
