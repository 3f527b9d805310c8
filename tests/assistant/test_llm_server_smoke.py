"""Smoke test: langchain-openai talks to a real local LLM (llama_cpp.server + SmolLM2-135M)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for llm_server

from llm_server import MODEL_ALIAS, local_chat_model  # noqa: E402  (llm_base_url: tests/assistant/conftest.py)

MAX_TOKENS = 48


@pytest.fixture(scope="module")
def chat(llm_base_url: str) -> ChatOpenAI:
    # langchain-openai 1.x sends max_tokens as max_completion_tokens, which
    # llama_cpp.server ignores: the cap must also go in extra_body as max_tokens.
    return ChatOpenAI(
        base_url=llm_base_url,
        api_key="sk-local",
        model=MODEL_ALIAS,
        temperature=0,
        max_tokens=MAX_TOKENS,
        extra_body={"max_tokens": MAX_TOKENS},
        timeout=120,
        max_retries=0,
    )


def test_invoke_returns_content(chat: ChatOpenAI) -> None:
    msg = chat.invoke("What is the capital of France? Answer in one sentence.")
    assert isinstance(msg, AIMessage)
    assert isinstance(msg.content, str) and msg.content.strip()
    usage = msg.usage_metadata
    assert usage is not None
    assert 0 < usage["output_tokens"] <= MAX_TOKENS


def test_stream_yields_several_chunks(chat: ChatOpenAI) -> None:
    chunks = list(chat.stream("Name three colours."))
    texts = [c.content for c in chunks if isinstance(c.content, str) and c.content]
    assert len(texts) > 1
    assert "".join(texts).strip()


def test_chinese_system_prompt_round_trip(chat: ChatOpenAI) -> None:
    msg = chat.invoke(
        [
            SystemMessage("你是一个政策问答助手，请用中文简要回答。"),
            HumanMessage("什么是社会保险？"),
        ]
    )
    assert isinstance(msg, AIMessage)
    assert isinstance(msg.content, str)
    assert msg.usage_metadata is not None and msg.usage_metadata["input_tokens"] > 0


def test_local_chat_model_helper_caps_tokens(llm_base_url: str) -> None:
    model = local_chat_model(llm_base_url, max_tokens=8)
    msg = model.invoke("Count from one to fifty in words.")
    assert msg.usage_metadata is not None
    assert 0 < msg.usage_metadata["output_tokens"] <= 8
