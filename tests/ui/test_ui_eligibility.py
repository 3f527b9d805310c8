"""The 资格自查 / Eligibility tab (ui/eligibility.py): the checklist's HTML, text and .docx, and the tab in a
real headless Chromium against a real `policyqa serve` over the four hand-written notices.

Screenshot: test-artifacts/ui/eligibility-tab.png.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from ui_helpers import REPO, Server, ingest_kb, open_page, start_server, stop_server

from assistant.eligibility.check import check
from assistant.eligibility.conditions import extract_conditions, notice_year
from assistant.eligibility.profile import parse_profile
from ui.eligibility import checklist_docx, checklist_html, checklist_text

DATA = REPO / "tests" / "eligibility" / "data"
PROFILES = [json.loads(line) for line in (DATA / "profiles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
KUNMING = "昆明市2025年度科技型中小企业研发费用补助申报指南.md"
QUJING = "曲靖市2025年科技创新券申领指南.md"


def result_of(row: dict):
    text = (DATA / row["notice"]).read_text(encoding="utf-8")
    return check(extract_conditions(text), parse_profile(row["profile"]), notice_year(text), row["notice"], "标题<b>")


@pytest.mark.parametrize("lang, verdict", [("zh", "尚不能确定"), ("en", "Undetermined")])
def test_checklist_html(lang: str, verdict: str) -> None:
    html = checklist_html(result_of(PROFILES[0]), lang)
    import re

    assert re.findall(r'data-status="(\w+)"', html) == PROFILES[0]["expected"]
    assert verdict in html and "<b>》" not in html and "标题&lt;b&gt;" in html  # escaped
    assert "二、申报条件（四）" in html and "4%（200万元 ÷ 5000万元）" in html


def test_checklist_text_and_docx(tmp_path: Path) -> None:
    import docx

    result = result_of(PROFILES[12])  # P13: every condition met
    text = checklist_text(result, "zh")
    assert text.count("✔") == 6 and "全部条件均满足" in text
    path = checklist_docx(result, "zh", tmp_path)
    table = docx.Document(str(path)).tables[0]
    assert [r.cells[0].text for r in table.rows[1:]] == ["✔ 满足"] * 6
    assert table.rows[3].cells[1].text == "3. 职工总数不超过500人"


# --- in the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def elig_server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("ui-elig")
    corpus, index, report = ingest_kb(root, sorted(DATA.glob("*.md")), timeout=600, POLICYQA_CORPUS_DIR=str(root / "corpus"))
    assert report["documents"] == 4 and not report["failed"], report
    server = start_server(root, index, corpus, root / "feedback.sqlite3")
    try:
        yield server
    finally:
        stop_server(server)
        shutil.copy2(server.log, artifacts / "serve-eligibility.log")


def _statuses(page) -> list[str]:
    return page.locator("#pq-elig-result .pq-elig-row").evaluate_all("rows => rows.map(r => r.dataset.status)")


@pytest.mark.slow
def test_the_tab_checks_a_chosen_notice_and_exports_it(browser, elig_server: Server, artifacts: Path, tmp_path: Path) -> None:
    import docx

    context, page = open_page(browser, elig_server.url, accept_downloads=True)
    try:
        page.get_by_role("tab", name="资格自查").click()
        page.click("#pq-elig-doc input")
        page.wait_for_selector("[role=listbox] [role=option]")
        options = [o.replace("✓", "").strip() for o in page.locator("[role=listbox] [role=option]").all_inner_texts()]
        assert options[0].startswith("自动") and len(options) == 5  # auto + the four notices
        page.locator("[role=listbox] [role=option]", has_text=KUNMING).click()
        page.fill("#pq-elig-profile textarea", PROFILES[0]["profile"])
        page.click("#pq-elig-run")
        page.wait_for_selector("#pq-elig-result .pq-elig-row")
        assert _statuses(page) == PROFILES[0]["expected"]
        assert "4%（200万元 ÷ 5000万元）" in page.inner_text("#pq-elig-result")
        page.wait_for_function("() => document.querySelector('#pq-elig-text textarea').value.includes('✔ 1.')")
        page.screenshot(path=str(artifacts / "eligibility-tab.png"), full_page=True)
        # export: the .docx the browser downloads holds the same checklist
        page.click("#pq-elig-export")
        link = page.locator("#pq-elig-file a[download]").first
        link.wait_for()
        with page.expect_download() as info:
            link.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(str(target))
        rows = docx.Document(str(target)).tables[0].rows[1:]
        assert [r.cells[0].text[0] for r in rows] == ["✔", "？", "✔", "✔", "✔", "？", "？"]
        assert not page.errors, page.errors
    finally:
        context.close()


@pytest.mark.slow
def test_auto_picks_the_notice_the_text_names(browser, elig_server: Server) -> None:
    context, page = open_page(browser, elig_server.url)
    try:
        page.get_by_role("tab", name="资格自查").click()
        page.fill("#pq-elig-profile textarea", PROFILES[17]["profile"] + "能申領科技創新券嗎？")  # P18, Traditional
        page.click("#pq-elig-run")
        page.wait_for_selector("#pq-elig-result .pq-elig-row")
        assert QUJING in page.inner_text("#pq-elig-result .pq-elig-title")
        assert _statuses(page) == PROFILES[17]["expected"]
        # a bad JSON profile is a clear message, not a crash
        page.fill("#pq-elig-profile textarea", '{"revenu": 1}')
        page.click("#pq-elig-run")
        page.wait_for_function("() => document.querySelector('#pq-elig-result').innerText.includes('unknown profile keys')")
        # in English the tab's labels follow
        page.get_by_label("English").check()
        page.get_by_role("tab", name="Eligibility").wait_for()
        page.wait_for_function("() => document.querySelector('#pq-elig-run').innerText.includes('Check')")
        assert not page.errors, page.errors
    finally:
        context.close()
