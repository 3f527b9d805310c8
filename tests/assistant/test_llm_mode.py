"""LLM mode against a real llama.cpp server (SmolLM2-135M, tests/llm_server.py): the plumbing.

SmolLM2-135M writes poor Chinese, so these tests check the wiring, not the quality: streaming,
citation parsing, question rewriting, the figure guard and the fall-backs. Where an assertion
needs a known model output, the request carries a GBNF grammar (llama.cpp's ``grammar`` field, sent
through the chat model's ``extra_body``) that constrains the real model to one exact reply; the
server, the HTTP streaming and every line of the Assistant still run for real.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from assistant.api import Answer, Assistant, contextualise
from assistant.llm import LLMError, chat_model, cited_numbers

Q = "1至8月技术合同成交额是多少?"
KUNMING_DOC = "kunming-sti-2024-09-23.txt"
HISTORY = [("1至8月高新技术企业通过专家评审多少家?", "1月至8月,全市高新技术企业通过专家评审706家。[1]")]


@pytest.fixture(scope="module")
def llm_settings(kb_dir: Path, llm_base_url: str, assistant_settings):
    # few, short passages: a 135M model on a shared CPU reads ~2k prompt tokens in seconds, not 10k
    return assistant_settings(
        kb_dir, mode="llm", llm_base_url=llm_base_url, llm_model="smollm2", llm_max_tokens=64,
        llm_timeout=240, top_k=3, llm_passages=2,
    )


@pytest.fixture
def llm_bot(llm_settings, e5_embedder: Any) -> Assistant:
    return Assistant(llm_settings, embedder=e5_embedder)


def forced(bot: Assistant, reply: str) -> Assistant:
    """Make the real model answer exactly ``reply`` (a grammar with one string), on the same server."""
    assert '"' not in reply and "\\" not in reply
    model = chat_model(bot.settings)
    bot._llm = model.model_copy(update={"extra_body": {**(model.extra_body or {}), "grammar": f'root ::= "{reply}"'}})
    return bot


@pytest.fixture(scope="module")
def extractive_answer(llm_settings, e5_embedder: Any) -> Answer:
    """What the same settings answer without the model: the fall-back a flagged reply is replaced by."""
    return Assistant(llm_settings, embedder=e5_embedder).ask(Q, mode="extractive")


# --- free generation: streaming and the contract of the final Answer ------------------------------


def test_stream_yields_deltas_then_an_llm_answer(llm_bot: Assistant, extractive_answer: Answer) -> None:
    items = list(llm_bot.stream(Q))
    deltas, final = items[:-1], items[-1]
    assert isinstance(final, Answer), final
    assert all(isinstance(d, str) for d in deltas)
    assert len(deltas) >= 3, deltas
    assert final.error is None, final.error
    assert final.mode == "llm" and final.model == "smollm2"
    assert final.question == Q and final.seconds > 0
    assert final.retrieved and len(final.retrieved) <= 2  # what the model was shown (llm_passages)
    streamed = "".join(deltas).strip()
    if final.flagged_figures:
        # the model wrote a number its passages do not hold: the extractive answer is shown instead
        assert final.answer.startswith(extractive_answer.answer)
        assert final.note and final.note in final.answer
        assert final.citations == extractive_answer.citations
    else:
        assert final.answer == streamed
        valid = [n for n in cited_numbers(streamed) if 1 <= n <= len(final.retrieved)]
        assert [c.n for c in final.citations] == valid
        for c in final.citations:
            assert c.chunk_id == final.retrieved[c.n - 1].chunk_id


# --- known replies (grammar-constrained): citation parsing and the figure guard --------------------


def test_supported_figure_is_shown_with_its_citation(llm_bot: Assistant) -> None:
    reply = "合同成交额122.78亿元[1]"
    items = list(forced(llm_bot, reply).stream(Q))
    ans = items[-1]
    assert isinstance(ans, Answer) and ans.mode == "llm" and ans.model == "smollm2"
    assert "".join(i for i in items[:-1]) == reply
    assert ans.answer == reply and not ans.refused and ans.flagged_figures == []
    assert [c.n for c in ans.citations] == cited_numbers(reply) == [1]
    c = ans.citations[0]
    assert c.doc_id == KUNMING_DOC and c.date == "2024-09-23" and c.source == "昆明信息港" and "122.78" in c.text
    assert c.chunk_id == ans.retrieved[0].chunk_id


def test_invented_figure_falls_back_to_the_extractive_answer(llm_bot: Assistant, extractive_answer: Answer) -> None:
    ans = forced(llm_bot, "合同成交额999亿元[1]").ask(Q)
    assert ans.mode == "llm" and ans.flagged_figures == ["999亿"]
    assert ans.answer.startswith(extractive_answer.answer)
    assert ans.note and "999亿" in ans.note and ans.answer.endswith(ans.note)
    assert ans.citations == extractive_answer.citations
    assert not ans.refused


def test_wrong_unit_is_flagged(llm_bot: Assistant) -> None:
    """7936 is the number of contracts (项), not their value: 7936亿元 is not in the passage."""
    ans = forced(llm_bot, "合同成交额7936亿元[1]").ask(Q)
    assert ans.flagged_figures == ["7936亿"]
    assert "122.78亿元" in ans.answer


def test_figure_citing_no_shown_passage_is_flagged(llm_bot: Assistant) -> None:
    """[9] names no passage the model was shown: its figure is supported by nothing."""
    ans = forced(llm_bot, "合同成交额122.78亿元[9]").ask(Q)
    assert ans.flagged_figures == ["122.78亿"]
    assert ans.citations and all(c.n <= 2 for c in ans.citations)


def test_refusal_sentence_is_a_refusal(llm_bot: Assistant) -> None:
    ans = forced(llm_bot, "文档中没有找到这个问题的答案。").ask(Q)
    assert ans.mode == "llm" and ans.refused and ans.citations == [] and ans.flagged_figures == []


# --- follow-up rewriting ---------------------------------------------------------------------------


def test_follow_up_is_rewritten_by_the_model(llm_bot: Assistant) -> None:
    rewrite = "昆明上半年高新技术企业通过专家评审多少家?"
    assert rewrite != contextualise("那上半年呢?", HISTORY)  # so the fall-back cannot pass this test
    ans = forced(llm_bot, rewrite).ask("那上半年呢?", history=HISTORY)
    assert ans.standalone_question == rewrite
    assert ans.error is None
    # the rewritten question is the one answered: Kunming gives 1月至8月, not 上半年 (said, not hidden)
    assert ans.refused and ans.note and "上半年" in ans.note and "706家" in ans.answer


# --- no server --------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unreachable_bot(kb_dir: Path, e5_embedder: Any, assistant_settings) -> Assistant:
    settings = assistant_settings(
        kb_dir, mode="llm", llm_base_url=f"http://127.0.0.1:{_closed_port()}/v1", llm_model="smollm2", llm_timeout=10
    )
    return Assistant(settings, embedder=e5_embedder)


def test_unreachable_server_falls_back_to_extractive(unreachable_bot: Assistant) -> None:
    items = list(unreachable_bot.stream(Q))
    ans = items[-1]
    assert isinstance(ans, Answer)
    assert ans.mode == "extractive" and ans.error and "LLM" in ans.error
    assert ans.answer == unreachable_bot.ask(Q, mode="extractive").answer and not ans.refused
    assert ans.citations and ans.citations[0].doc_id == KUNMING_DOC


def test_unreachable_server_with_history_does_not_raise(unreachable_bot: Assistant) -> None:
    ans = unreachable_bot.ask("那上半年呢?", history=HISTORY)
    assert ans.standalone_question == contextualise("那上半年呢?", HISTORY)
    assert ans.answer


def test_llm_mode_without_a_model_configured(kb_dir: Path, e5_embedder: Any, assistant_settings) -> None:
    bot = Assistant(assistant_settings(kb_dir, mode="llm"), embedder=e5_embedder)
    ans = bot.ask(Q)
    assert ans.mode == "extractive" and ans.error and "POLICYQA_LLM_MODEL" in ans.error
    assert "122.78亿元" in ans.answer
    with pytest.raises(LLMError):
        chat_model(bot.settings)
