"""Hostile questions, markup and uploads, against the Assistant, the `/ask` and `/upload` API and a real browser.

tests/assistant/test_answering.py covers the basic bad inputs (empty, blank, huge, NUL, ？？？, emoji)
in process, and tests/ui/test_ui_browser.py one malicious document. This adds: more kinds of bad
question (mixed scripts, zero-width, combining floods, RTL overrides, escape sequences, lone
surrogates...) at all three entrances; many markup vectors (alert() dialogs and window flags, SVG,
iframes, mXSS, javascript: links in HTML and Markdown) in documents, file names, questions and
feedback comments, checked in the chat, the knowledge-base table and the feedback tab; and uploads
with traversal names, hidden names, unsupported types, oversize files and paths outside the upload
folder, sent with raw HTTP so that nothing on the client side cleans them first.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant
from ingest_helpers import settings_for
from rel_helpers import (
    MAX_UPLOAD_MB,
    BrowserThread,
    file_data,
    raw_call,
    raw_upload,
    record,
)
from ui.uploads import ALLOWED_SUFFIXES, safe_filename, save_uploads, uploads_dir

pytestmark = pytest.mark.slow

RESULTS: dict[str, object] = {}

#: question -> True when it must be refused (all of these carry nothing the documents could answer)
HOSTILE_QUESTIONS: dict[str, str] = {
    "empty": "",
    "whitespace (ASCII, ideographic, NBSP)": " \t\n\u3000\u00a0 ",
    "50 kB": "技术合同成交额是多少" * 5000,
    "control characters": "\x00\x01\x02\x07\x7f\x9f",
    "only punctuation": "。。。？！……——「」",
    "mixed scripts": "Как дела? 안녕하세요 ¿qué tal? こんにちは ᚠᚢᚦ",
    "emoji (ZWJ, flags)": "😀👨\u200d👩\u200d👧\u200d👦🇨🇳🚀",
    "zero-width only": "\u200b\u200c\u200d\u2060\ufeff",
    "RTL override": "\u202e?少多是额交成同合术技州深",
    "combining flood": "a" + "\u0301" * 3000,
    "SQL": "' OR 1=1; DROP TABLE feedback; --",
    "template": "{{7*7}} ${7*7} <%= 7*7 %>",
    "path": "../../etc/passwd",
    "HTML": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "Markdown link": "[x](javascript:alert(1))",
    "lone surrogates": "\ud800\udfff\udbff",
}
#: known wrong answers (see the report): kept visible, and they turn into failures once fixed
KNOWN_BAD = {
    "ANSI escape": ("\x1b[31m", "an escape sequence leaves '[31m': '31' then matches a figure in a passage"),
}
#: not refused (a real question inside the junk), but must not fail
SURVIVES = {"surrogate inside a real question": "1至8月\ud800技术合同成交额是多少?"}


@pytest.fixture(scope="module")
def bot(rel_kb, e5_embedder) -> Assistant:
    return Assistant(settings_for(rel_kb["index"]), embedder=e5_embedder)


def _refused_with_message(ans, name: str) -> None:
    assert ans.refused, (name, ans.answer[:200])
    assert ans.answer.strip() and len(ans.answer) < 500, (name, ans.answer[:200])
    assert ans.citations == [], name


@pytest.mark.parametrize("name", list(HOSTILE_QUESTIONS))
def test_hostile_question_is_refused_with_a_message(bot, name: str) -> None:
    started = time.perf_counter()
    ans = bot.ask(HOSTILE_QUESTIONS[name])
    assert time.perf_counter() - started < 10
    _refused_with_message(ans, name)


@pytest.mark.parametrize("name", list(KNOWN_BAD))
def test_known_bad_question(bot, name: str) -> None:
    _refused_with_message(bot.ask(KNOWN_BAD[name][0]), name)


def test_junk_inside_a_real_question_is_survived(bot) -> None:
    for name, q in SURVIVES.items():
        ans = bot.ask(q)
        assert not ans.refused and "122.78亿元" in ans.answer, (name, ans.answer)


def test_hostile_questions_through_the_api(rel_server) -> None:
    """The same questions sent as JSON to /ask (lone surrogates survive JSON as \\ud800 escapes)."""
    answered = 0
    for name, q in {**HOSTILE_QUESTIONS, **SURVIVES}.items():
        event, data = raw_call(rel_server.url, "ask", [q, None, "extractive"])
        assert event == "complete", (name, event, data)
        text, result = data
        assert isinstance(text, str) and text.strip(), name
        assert result["refused"] is (name in HOSTILE_QUESTIONS), (name, result["answer"][:200])
        answered += 1
    RESULTS["hostile questions answered through /ask"] = answered


# --- the browser -----------------------------------------------------------------------------------

ANSWERS = "#pq-chat .pq-answer:not(.pq-pending), #pq-chat .pq-refusal"
#: every vector sets a window flag and, where it can, opens a dialog
VECTORS = [
    "<script>alert('s1');window.__pwned=1</script>",
    "<img src=x onerror=\"alert('i2');window.__pwned=2\">",
    "[点我](javascript:alert('m3'))",
    "![图](javascript:window.__pwned=4)",
    "<svg onload=\"alert('v5');window.__pwned=5\"></svg>",
    "<iframe srcdoc=\"<script>parent.__pwned=6;parent.alert('f6')</script>\"></iframe>",
    "<a href=\"javascript:window.__pwned=7\">链接</a>",
    "<details open ontoggle=\"alert('d8');window.__pwned=8\">x</details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned=9\">",
    "<a href=\"jav&#x09;ascript:alert('e10')\">x</a> javascript&colon;alert(10)",
    "<style>#pq-chat{display:none}</style><body onload=\"window.__pwned=11\">",
]
PAYLOAD = "".join(VECTORS)
XSS_DOC = (
    f"样例市科学技术局{VECTORS[0]}工作通报{VECTORS[1]}\n- 时间:2024-11-05\n- 来源:样例市科学技术局{VECTORS[4]}\n"
    f"2024年,样例市科技工作稳步推进。{VECTORS[5]}\n"
    f"样例市2024年众创空间数量为27家{VECTORS[1]},详见{VECTORS[2]}{VECTORS[3]}。{''.join(VECTORS[6:])}\n"
)
XSS_Q = f"样例市2024年众创空间数量是多少?{VECTORS[1]}{VECTORS[2]}"

INERT_JS = """() => {
  const bad = [];
  if (window.__pwned !== undefined) bad.push('window flag ' + window.__pwned);
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href').replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
    if (href.startsWith('javascript') || href.startsWith('data:text/html')) bad.push('link ' + a.outerHTML.slice(0, 100));
  }
  const ours = '#pq-chat, #pq-kb-table, #pq-kb-info, #pq-fb-table, #pq-upload-status, #pq-fb-status, #pq-remove-status';
  for (const box of document.querySelectorAll(ours)) {
    for (const el of box.querySelectorAll('*')) {
      for (const at of el.attributes) if (at.name.toLowerCase().startsWith('on')) bad.push('handler ' + el.tagName + ' ' + at.name);
    }
    for (const el of box.querySelectorAll('script, iframe, img[src="x"], svg[onload], details[ontoggle], math, object, embed'))
      bad.push('element ' + el.tagName);
    for (const el of box.querySelectorAll('style'))  // Gradio's own icons carry <style>; ours would name #pq-chat
      if (el.textContent.includes('pq-chat')) bad.push('injected style');
  }
  if (document.querySelector('iframe')) bad.push('an iframe in the page');
  return bad;
}"""


@pytest.fixture(scope="module")
def browser_thread():
    bt = BrowserThread()
    try:
        yield bt
    finally:
        bt.close()


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.problems = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("#pq-question textarea")
    return context, page


def _ask(page, question: str, timeout: float = 90_000) -> str | None:
    """Send a question; the new answer's text, or None when the chat did not change (empty input)."""
    before = page.locator(ANSWERS).count()
    page.fill("#pq-question textarea", question)
    page.click("#pq-send")
    try:
        page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length > n && !document.querySelector('#pq-chat .pq-pending')",
            arg=[ANSWERS, before], timeout=timeout if question.strip() else 3_000,
        )
    except Exception:
        if question.strip():
            raise
        return None
    return page.locator(ANSWERS).nth(before).inner_text()


def _no_trace(page) -> list[str]:
    text = page.inner_text("body")
    found = [w for w in ("Traceback", 'File "/', "Exception:", "Error:") if w in text]
    toasts = page.locator(".toast-body, [data-testid='toast-body']").all_inner_texts()
    return found + [f"toast: {t[:120]}" for t in toasts]


def _questions_scenario(browser, url: str) -> dict:
    context, page = _open(browser, url)
    shown: dict[str, str] = {}
    try:
        for name, q in HOSTILE_QUESTIONS.items():
            if name == "lone surrogates":
                continue  # a browser cannot type them; the API test sends them
            text = _ask(page, q)
            limit = int(page.get_attribute("#pq-question textarea", "maxlength") or 0)
            if q.strip() and len(q) > limit > 0:
                # the box holds at most the real limit (its counter says so): the first `limit` characters
                # are a real question and get an answer; the API test sends the whole 50 kB and is refused
                assert text and text.strip(), name
                shown[name] = f"(cut to {limit} characters by the box) " + text.strip().splitlines()[0][:60]
            elif q.strip():
                assert text and text.strip(), name
                last = page.locator(ANSWERS).last
                assert last.evaluate("el => el.classList.contains('pq-refusal')"), (name, text[:200])
                shown[name] = text.strip().splitlines()[0][:80]
            else:
                assert text is None, (name, text)  # an empty question sends nothing (see the report)
                shown[name] = "(nothing sent)"
            problems = _no_trace(page) + page.problems  # type: ignore[attr-defined]
            assert not problems, (name, problems)
        return shown
    finally:
        context.close()


def test_hostile_questions_in_the_browser(rel_server, browser_thread) -> None:
    shown = browser_thread.run(_questions_scenario, rel_server.url)
    RESULTS["hostile questions in the browser"] = shown


def _markup_scenario(browser, url: str) -> dict:
    context, page = _open(browser, url)
    checks = 0
    try:
        def inert(where: str) -> None:
            nonlocal checks
            page.wait_for_timeout(300)
            bad = page.evaluate(INERT_JS) + page.problems  # type: ignore[attr-defined]
            assert not bad, (where, bad)
            checks += 1

        # the question, the answer quoting the document, its sources (title, source line, passage)
        text = _ask(page, XSS_Q)
        assert text and "27家" in text, text
        for cite in page.locator("#pq-chat details.pq-cite").all():
            cite.locator(":scope > summary").click()
        passage = page.locator("#pq-chat .pq-passage").first.inner_text()
        assert VECTORS[0] in passage or VECTORS[1] in passage or "[点我](javascript" in passage, passage
        assert VECTORS[1] in page.locator("#pq-chat .pq-question").last.inner_text()
        inert("chat")
        # the answer's copy text holds it as text
        assert "<img src=x" in page.locator("#pq-chat .pq-copytext").last.text_content()
        # feedback: thumbs down with a comment full of markup, then the feedback tab
        page.locator('#pq-chat button[aria-label="踩"], #pq-chat button[aria-label="Dislike"]').last.click()
        page.wait_for_selector("#pq-fb-status .pq-ok")
        page.fill("#pq-comment textarea", PAYLOAD)
        page.click("#pq-send-comment")
        page.wait_for_function("() => document.querySelector('#pq-comment textarea').value === ''")
        inert("feedback status")
        page.get_by_role("tab", name="反馈").click()
        page.wait_for_selector("#pq-fb-table td:has-text('javascript')")
        assert "<script>alert('s1')" in page.inner_text("#pq-fb-table")
        inert("feedback tab")
        # the knowledge base tab lists the document by its hostile title
        page.get_by_role("tab", name="知识库").click()
        page.wait_for_selector("#pq-kb-table td:has-text('样例市')")
        assert "<script>alert('s1')" in page.inner_text("#pq-kb-table")
        inert("knowledge base tab")
        dialogs = [p for p in page.problems if p.startswith("dialog")]  # type: ignore[attr-defined]
        return {"dialogs": len(dialogs), "inert_checks": checks, "vectors": len(VECTORS)}
    finally:
        context.close()


def test_markup_is_inert_in_the_browser(rel_server, browser_thread, tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    doc = tmp_path / f"{VECTORS[1][:20]}样例.txt"  # a file name with markup in it, too
    doc.write_text(XSS_DOC, encoding="utf-8")
    md = tmp_path / "样例-md.md"
    md.write_text(XSS_DOC.replace("27家", "27家(Markdown版)"), encoding="utf-8")
    status, *_ = Client(rel_server.url, verbose=False).predict([handle_file(str(doc)), handle_file(str(md))], "zh", api_name="/upload")
    assert "导入完成" in status and "失败 0" in status, status
    assert "<img" not in status and "onerror=" not in status.replace("onerror_", ""), status
    RESULTS["markup in the browser"] = browser_thread.run(_markup_scenario, rel_server.url)


# --- uploads -------------------------------------------------------------------------------------

NAMES = st.lists(
    st.sampled_from(list("ab科技./\\:\x00 _-~%2F∕／⁄‮\u200b") + [".txt", ".pdf", ".exe", ".TXT", "..", "../", "C:\\"]),
    max_size=16,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=NAMES)
def test_safe_filename_never_leaves_the_uploads_folder(name: str) -> None:
    safe = safe_filename(name)
    if safe is None:
        return
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe and not safe.startswith(".")
    assert any(safe.endswith(s) for s in ALLOWED_SUFFIXES) and safe not in ALLOWED_SUFFIXES
    base = Path("/srv/corpus/uploads")
    assert (base / safe).resolve().parent == base


def test_save_uploads_with_hostile_names(tmp_path: Path) -> None:
    """Real files whose names are hostile (as Linux allows them) end up inside uploads/ or refused."""
    src = tmp_path / "src"
    src.mkdir()
    corpus = tmp_path / "corpus"
    names = ["..txt", "...txt", ".hidden.txt", "..\\..\\evil.txt", "a\\..\\..\\b.txt", "evil.txt.exe", "evil.exe", "noext",
             " .txt", "‮txt.exe", "%2e%2e%2fevil.txt", "x" * 250 + ".txt", "报告 (终稿).PDF", "con.txt", "a:b.txt"]
    files = []
    for n in names:
        p = src / n
        p.write_bytes(b"%PDF-1.4 fake" if n.lower().endswith(".pdf") else "测试文件内容。".encode())
        files.append(str(p))
    result = save_uploads(files, corpus, max_mb=1)
    up = uploads_dir(corpus).resolve()
    for saved in result.saved:
        assert saved.resolve().parent == up and not saved.name.startswith(".")
    refused = {n for n, _, _ in result.refused}
    assert {"evil.txt.exe", "evil.exe", "noext", "‮txt.exe"} <= refused
    assert len(result.saved) + len(result.refused) == len(names)
    # names that clean up to the same one replace each other (documented: a same-named upload replaces the old one)
    assert {p for p in corpus.rglob("*") if p.is_file()} == set(result.saved)


def test_uploads_through_the_api(rel_server, served_kb) -> None:
    """Raw HTTP: hostile names, other types, oversize files and server paths are all refused or made safe."""
    base = rel_server.url
    corpus = served_kb["corpus"]
    before = {p for p in corpus.rglob("*") if p.is_file()}
    seen: dict[str, str] = {}
    text = "测试上传文件。测试市今年新增孵化器3家。".encode()

    def upload(name: str, data: bytes = text) -> tuple[str, object]:
        status, paths = raw_upload(base, name, data)
        if status != 200:
            return f"http {status}", paths
        assert isinstance(paths, list) and len(paths) == 1
        server_path = Path(paths[0])
        assert "/../" not in paths[0] and server_path.resolve().is_relative_to((served_kb["root"] / "gradio-tmp").resolve())
        return raw_call(base, "upload", [[file_data(paths[0])], "en"])

    for name in ["../../evil.txt", "..\\..\\evil2.txt", "/etc/cron.d/evil3.txt", "%2e%2e%2fevil4.txt", "evil5.txt\x00.exe"]:
        event, data = upload(name)
        if event == "complete":
            status_html = data[0]
            assert "Saved" in status_html or "not accepted" in status_html, (name, status_html)
        seen[name] = event if event != "complete" else data[0].split("</div>")[0].split(">")[-1]
    for name in [".hidden.txt", "setup.exe", "script.sh", "page.html.exe", "noext"]:
        event, data = upload(name)
        assert event != "complete" or "not accepted" in data[0], (name, data)
        seen[name] = event if event != "complete" else "refused: " + data[0][:120]
    # our limit (POLICYQA_MAX_UPLOAD_MB) answers with a message; Gradio's own (2 x that + 1 MB) with 413
    event, data = upload("big.txt", b"x" * int((MAX_UPLOAD_MB + 0.5) * 1024 * 1024))
    assert event == "complete" and "too large" in data[0], (event, data)
    seen[f"{MAX_UPLOAD_MB + 0.5} MB .txt"] = "refused: too large"
    status, body = raw_upload(base, "huge.txt", b"x" * int((2 * MAX_UPLOAD_MB + 2) * 1024 * 1024))
    assert status == 413, (status, str(body)[:200])
    seen[f"{2 * MAX_UPLOAD_MB + 2} MB .txt"] = f"http {status}"
    # files that were never uploaded: a server path outside the upload folder, a traversal, a URL (SSRF)
    for path in ["/etc/passwd", str(served_kb["index"] / "manifest.json"), str(corpus / "kunming-sti-2024-09-23.txt"),
                 str(served_kb["root"] / "gradio-tmp" / ".." / "feedback.sqlite3"), "http://127.0.0.1:1/x.txt"]:
        event, data = raw_call(base, "upload", [[file_data(path)], "en"])
        assert event == "error", (path, event, data)
        seen[f"server path {path}"] = "refused (error event)"

    after = {p for p in corpus.rglob("*") if p.is_file()}
    new = after - before
    up = uploads_dir(corpus).resolve()
    assert all(p.resolve().parent == up for p in new), new
    cache = (served_kb["root"] / "gradio-tmp").resolve()
    for p in served_kb["root"].rglob("evil*"):
        assert p.resolve().parent == up or p.resolve().is_relative_to(cache), p
    assert not Path("/etc/cron.d/evil3.txt").exists()
    RESULTS["uploads through the API"] = seen


def test_zz_record_hostile_ui() -> None:
    assert RESULTS
    record("hostile_ui", RESULTS)
