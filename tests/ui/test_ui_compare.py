"""The 版本对比 / Versions tab (ui/compare.py): the side-by-side HTML, and the shipped version pair in a real
headless Chromium against a real `policyqa serve`.

The browser test starts its own server over a knowledge base built in tmp with `policyqa ingest` from
the two shipped versions of 国家科学技术奖励条例 and the shipped report (which has no versions and must
not be offered). Screenshot: test-artifacts/ui/versions-tab.png.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from ui_helpers import REPO, SHIPPED, Server, ingest_kb, open_page, start_server, stop_server

from ui.compare import comparison_html, marked_pair

POLICIES = REPO / "corpus" / "policies"
PAIR = ["国家科学技术奖励条例(2020-10-07).md", "国家科学技术奖励条例(2024-05-26).md"]
EXPECTED = json.loads((REPO / "tests" / "eval" / "policies" / "diff_expected.json").read_text(encoding="utf-8"))


def _marks(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html)


@pytest.mark.parametrize(
    ("old", "new", "deleted", "inserted"),
    [
        ("国务院设立国家科学技术奖。", "国家设立国家科学技术奖。", ["国务院"], ["国家"]),
        ("报国务院批准。", "报党中央、国务院批准。", [], ["党中央、"]),
        ("奖励证书由国务院颁发。", "奖励证书颁发。", ["由国务院"], []),
        ("本条例自公布之日起施行。", "本条例自公布之日起施行。", [], []),
        # markup in a text is shown as text, never run (which pieces are marked does not matter here)
        ("<b>旧</b>规定", "<script>x()</script>规定", None, None),
    ],
)
def test_marked_pair(old: str, new: str, deleted: list[str] | None, inserted: list[str] | None) -> None:
    left, right = marked_pair(old, new)
    if deleted is not None:
        assert _marks(left, "del") == deleted and _marks(right, "ins") == inserted
    assert "<ins" not in left and "<del" not in right
    assert "<script>" not in left + right and "<b>" not in left + right
    # without the marks each side is its own text, escaped
    assert re.sub(r"</?(?:del|ins)[^>]*>", "", right) == new.replace("<", "&lt;").replace(">", "&gt;")
    assert re.sub(r"</?(?:del|ins)[^>]*>", "", left) == old.replace("<", "&lt;").replace(">", "&gt;")


RESULT = {
    "title": "测试条例",
    "from": {"doc_id": "a.md", "date": "2020-01-01"},
    "to": {"doc_id": "b.md", "date": "2024-01-01"},
    "changed": [{"from_article": "第二条", "to_article": "第三条", "from_text": "第二条 由国务院批准。", "to_text": "第三条 由国家批准。"}],
    "added": [{"article": "第二条", "text": "第二条 新增的规定。"}],
    "removed": [{"article": "第五条", "text": "第五条 删去的规定。"}],
    "renumbered": [{"from_article": "第二条", "to_article": "第三条"}],
    "unchanged": 3,
}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["《测试条例》2024-01-01版与2020-01-01版相比", "修改 1 条", "新增 1 条", "删除 1 条", "其余 3 条未变",
                "2020-01-01 版", "2024-01-01 版", "2024-01-01 版新增的条文", "2020-01-01 版中被删除的条文", "条文序号变化"]),
        ("en", ["1 articles changed", "Version of 2020-01-01", "Added in the version of 2024-01-01",
                "Removed from the version of 2020-01-01", "Renumbered articles"]),
    ],
)
def test_comparison_html(lang: str, words: list[str]) -> None:
    html = comparison_html(RESULT, lang)
    for w in words:
        assert w in html
    row = re.search(r'<tr class="pq-cmp-row" data-from="第二条" data-to="第三条">(.*?)</tr>', html).group(1)
    old_cell, new_cell = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert "第二条" in old_cell and "第三条" in new_cell  # both versions' labels
    assert _marks(old_cell, "del") == ["国务院"] and _marks(new_cell, "ins") == ["国家"]
    assert "新增的规定" in html and "删去的规定" in html


# --- in the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def versions_server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("ui-versions")
    corpus, index, report = ingest_kb(
        root, [SHIPPED, *(POLICIES / n for n in PAIR)], timeout=600, POLICYQA_CORPUS_DIR=str(root / "corpus")
    )
    assert report["documents"] == 3 and not report["failed"], report
    server = start_server(root, index, corpus, root / "feedback.sqlite3")
    try:
        yield server
    finally:
        stop_server(server)
        shutil.copy2(server.log, artifacts / "serve-versions.log")


@pytest.mark.slow
def test_the_shipped_pair_side_by_side(browser, versions_server: Server, artifacts: Path) -> None:
    context, page = open_page(browser, versions_server.url)
    try:
        page.get_by_role("tab", name="版本对比").click()
        page.wait_for_selector("#pq-cmp-result .pq-cmp-row")
        rows = page.locator("#pq-cmp-result .pq-cmp-row")
        expected = EXPECTED["changed"]
        assert rows.count() == len(expected)
        for i, c in enumerate(expected):
            row = rows.nth(i)
            assert row.locator(".pq-cmp-old .pq-h").inner_text() == c["from_article"]
            assert row.locator(".pq-cmp-new .pq-h").inner_text() == c["to_article"]
        # 第二条: 国务院设立 → 国家设立, marked on each side
        first = rows.nth(0)
        assert first.locator(".pq-cmp-old del").all_inner_texts() == ["国务院"]
        assert first.locator(".pq-cmp-new ins").all_inner_texts() == ["国家"]
        summary = page.inner_text("#pq-cmp-result .pq-cmp-summary")
        assert "修改 8 条" in summary and "新增 0 条" in summary and "其余 30 条未变" in summary
        # the old version is on the left, the new on the right, in the page as the reader sees it
        old_box, new_box = first.locator(".pq-cmp-old").bounding_box(), first.locator(".pq-cmp-new").bounding_box()
        assert old_box and new_box and old_box["x"] + old_box["width"] <= new_box["x"] + 1
        # only regulations held in several versions are offered (not the report)
        page.click("#pq-cmp-title input")
        page.wait_for_selector("[role=listbox] [role=option]")
        options = page.locator("[role=listbox] [role=option]").all_inner_texts()
        assert [o.replace("✓", "").strip() for o in options] == ["国家科学技术奖励条例"]  # ✓: the chosen one
        page.keyboard.press("Escape")
        page.screenshot(path=str(artifacts / "versions-tab.png"), full_page=True)
        # in English the labels follow, the comparison stays
        page.get_by_label("English").check()
        page.wait_for_function("() => document.querySelector('#pq-cmp-result').innerText.includes('8 articles changed')")
        assert page.locator("#pq-cmp-result .pq-cmp-row").count() == len(expected)
        assert not page.errors, page.errors
    finally:
        context.close()


ANSWERS = "#pq-chat .pq-answer:not(.pq-pending), #pq-chat .pq-refusal"


@pytest.mark.slow
def test_what_changed_in_the_chat_cites_both_versions(browser, versions_server: Server) -> None:
    context, page = open_page(browser, versions_server.url)
    try:
        page.fill("#pq-question textarea", "2024年修订有哪些变化?")
        page.click("#pq-send")
        page.wait_for_function(
            "(sel) => document.querySelectorAll(sel).length > 0 && !document.querySelector('#pq-chat .pq-pending')", arg=ANSWERS
        )
        answer = page.locator(ANSWERS).first.inner_text()
        listed = re.findall(r"(第[一二三四五六七八九十]+条)(?:（|\()2020-10-07版", answer)
        assert listed == [c["to_article"] for c in EXPECTED["changed"]], answer
        message = page.locator("#pq-chat .pq-meta").last.locator("xpath=..").inner_text()
        assert "《国家科学技术奖励条例》第二十五条" in message  # the citation names the article
        assert not page.errors, page.errors
    finally:
        context.close()
