"""The server through gradio_client: `/ask`, 20 concurrent sessions, the chat event, follow-ups."""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ui.render import text_html
from ui_helpers import QUESTIONS

pytestmark = pytest.mark.slow


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def test_first_answer_time_is_printed(ui_server, artifacts: Path) -> None:
    out = ui_server.output()
    m = re.search(r"first answer \(extractive[^)]*\) in ([\d.]+) s", out)
    assert m, out[-2000:]
    c = client(ui_server.url)
    started = time.perf_counter()
    text, result = c.predict("1至8月技术合同成交额是多少?", None, "extractive", api_name="/ask")
    first_request = time.perf_counter() - started
    assert "122.78亿元" in text and result["citations"][0]["n"] == 1
    (artifacts / "timings.json").write_text(
        json.dumps(
            {"server_ready_s": round(ui_server.started_in, 2), "warm_up_first_answer_s": float(m.group(1)),
             "first_api_answer_s": round(first_request, 3), "server_log": out.splitlines()[:3]},
            ensure_ascii=False, indent=1,
        ),
        encoding="utf-8",
    )


def test_ask_endpoint_contract(ui_server) -> None:
    c = client(ui_server.url)
    text, result = c.predict("1至8月技术合同成交额是多少?", None, "extractive", api_name="/ask")
    assert result["refused"] is False and result["mode"] == "extractive"
    cite = result["citations"][0]
    assert {"n", "doc_id", "title", "date", "source", "chunk_id", "text"} <= set(cite)
    assert cite["doc_id"] == "kunming-sti-2024-09-23.txt" and "122.78" in cite["text"]
    from assistant.relative_time import dated_text
    from ui.render import cjk_punct

    # the paste-ready text: the answer (Chinese punctuation, 截至目前 dated) and its references
    assert text.startswith(cjk_punct(dated_text(result["answer"], result["citations"]))) and "[1] " in text and "2024-09-23" in text

    refused_text, refused = c.predict("深圳2022年的专利授权量是多少?", [], "extractive", api_name="/ask")
    assert refused["refused"] is True and refused["citations"] == []
    assert 1 <= len(refused["nearest"]) <= 3 and "文档中没有找到" in refused_text

    # "llm" without a configured model falls back to quick answers instead of failing
    _, fallback = c.predict("1至8月技术合同成交额是多少?", None, "llm", api_name="/ask")
    assert fallback["mode"] == "extractive" and "122.78" in fallback["answer"]


def test_follow_up_uses_history(ui_server) -> None:
    c = client(ui_server.url)
    history = [["1至8月技术合同成交额是多少?", "1月至8月……合同成交额122.78亿元。[1]"]]
    _, result = c.predict("那上半年呢?", history, "extractive", api_name="/ask")
    assert result["answer"]
    assert result["standalone_question"] and "技术合同" in result["standalone_question"]
    # the same history as chat messages works too
    messages = [{"role": "user", "content": history[0][0]}, {"role": "assistant", "content": history[0][1]}]
    _, again = c.predict("那上半年呢?", messages, "extractive", api_name="/ask")
    assert again["standalone_question"] == result["standalone_question"]


def _session(url: str, question: str, expected: str) -> dict:
    c = client(url)
    text, result = c.predict(question, None, "extractive", api_name="/ask")
    chat, _, briefing = c.predict(question, [], "extractive", "zh", api_name="/chat")
    return {"question": question, "expected": expected, "text": text, "result": result, "chat": chat, "briefing": briefing}


def test_twenty_concurrent_sessions_get_their_own_answers(ui_server, artifacts: Path) -> None:
    jobs = list(QUESTIONS.items()) * 2
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda qe: _session(ui_server.url, *qe), jobs))
    elapsed = time.perf_counter() - started
    others = {e for e in QUESTIONS.values()}
    for r in results:
        q, expected, result = r["question"], r["expected"], r["result"]
        assert result["question"] == q
        assert expected in result["answer"] or expected in r["text"], (q, result["answer"])
        wrong = [m for m in others - {expected} if m in result["answer"]]
        assert not wrong, (q, wrong, result["answer"])
        # the chat event of that session holds exactly its own question and answer
        assert len(r["chat"]) == 2, r["chat"]
        user_html = r["chat"][0]["content"][0]["text"]
        bot_html = r["chat"][1]["content"][0]["text"]
        assert text_html(q) in user_html
        assert expected in bot_html or expected in r["briefing"], (q, bot_html[:300])
    (artifacts / "concurrency.json").write_text(
        json.dumps({"sessions": len(jobs), "distinct_questions": len(QUESTIONS), "seconds": round(elapsed, 2)}, indent=1),
        encoding="utf-8",
    )


def test_upload_and_remove_through_the_api(ui_server, tmp_path: Path) -> None:
    from gradio_client import handle_file

    doc = tmp_path / "临时 通报.md"
    doc.write_text("# 大理市科技局临时通报\n\n- 时间:2024-10-10\n\n大理市2024年新型研发机构数量为23家。\n", encoding="utf-8")
    c = client(ui_server.url)
    status, info, table, choices, files = c.predict([handle_file(str(doc))], "en", api_name="/upload")
    assert "Saved 临时_通报.md" in status and "0 failed" in status, status
    saved = ui_server.corpus_dir / "uploads" / "临时_通报.md"
    assert saved.exists() and "uploads/临时_通报.md" in table
    _, result = c.predict("大理市2024年新型研发机构数量是多少?", None, "extractive", api_name="/ask")
    assert "23" in result["answer"], result["answer"]

    status, info, table, choices = c.predict("uploads/临时_通报.md", "en", api_name="/remove_document")
    assert "Removed “大理市科技局临时通报”" in status and "uploaded file was deleted" in status, status  # by its title
    assert not saved.exists() and "临时_通报" not in table
    _, after = c.predict("大理市2024年新型研发机构数量是多少?", None, "extractive", api_name="/ask")
    assert "23家" not in after["answer"]
    unknown, *_ = c.predict("../../etc/passwd", "en", api_name="/remove_document")
    assert "is not in the knowledge base" in unknown
