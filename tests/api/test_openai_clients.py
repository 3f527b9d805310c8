"""The real `openai` client and LangChain's ChatOpenAI against `policyqa serve`'s /v1, unchanged."""

from __future__ import annotations

import pytest

from api_helpers import READ

pytestmark = pytest.mark.slow  # a real server with the real model

Q = "1至8月技术合同成交额是多少?"
DOC = "kunming-sti-2024-09-23.txt"


def _openai(url: str, key: str = READ):
    import httpx
    from openai import OpenAI

    return OpenAI(base_url=url.rstrip("/") + "/v1", api_key=key, http_client=httpx.Client(trust_env=False, timeout=60), max_retries=0)


def _check_citations(content: str, citations: list[dict]) -> None:
    assert citations, "no citations"
    for c in citations:
        assert c["doc_id"] == DOC and c["chunk_id"] and c["text"] and f"[{c['n']}]" in content


def test_models(api_server) -> None:
    assert [m.id for m in _openai(api_server.url).models.list()] == ["policyqa", "policyqa-extractive"]


def test_non_streaming(api_server) -> None:
    resp = _openai(api_server.url).chat.completions.create(model="policyqa", messages=[{"role": "user", "content": Q}])
    content = resp.choices[0].message.content
    assert resp.choices[0].finish_reason == "stop" and resp.choices[0].message.role == "assistant"
    assert "122.78" in content and resp.model == "policyqa"
    _check_citations(content, resp.model_extra["citations"])
    assert resp.model_extra["refused"] is False


def test_streaming_with_citations_on_the_last_chunk(api_server) -> None:
    stream = _openai(api_server.url).chat.completions.create(model="policyqa", messages=[{"role": "user", "content": Q}], stream=True)
    chunks = list(stream)
    content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "122.78" in content and len(chunks) > 3
    assert chunks[-1].choices[0].finish_reason == "stop"
    _check_citations(content, chunks[-1].model_extra["citations"])
    assert all("citations" not in (c.model_extra or {}) for c in chunks[:-1])
    # the streamed text is the non-streamed answer
    whole = _openai(api_server.url).chat.completions.create(model="policyqa", messages=[{"role": "user", "content": Q}])
    assert content == whole.choices[0].message.content


def test_follow_up_through_messages(api_server) -> None:
    client = _openai(api_server.url)
    first = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": Q}])
    messages = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": Q},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "那上半年呢?"},
    ]
    follow = client.chat.completions.create(model="policyqa", messages=messages)
    assert "技术合同" in follow.model_extra["policyqa"]["standalone_question"]
    assert follow.choices[0].message.content and follow.choices[0].message.content != first.choices[0].message.content


def test_refusal(api_server) -> None:
    resp = _openai(api_server.url).chat.completions.create(
        model="policyqa", messages=[{"role": "user", "content": "深圳2022年的专利授权量是多少?"}]
    )
    assert "文档中没有找到" in resp.choices[0].message.content
    assert resp.model_extra["refused"] is True and resp.model_extra["citations"] == []


def test_errors_reach_the_client_as_its_own_exceptions(api_server) -> None:
    import openai

    with pytest.raises(openai.AuthenticationError):
        _openai(api_server.url, key="pq-not-a-key-000").chat.completions.create(model="policyqa", messages=[{"role": "user", "content": Q}])
    with pytest.raises(openai.NotFoundError):
        _openai(api_server.url).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": Q}])


def test_langchain_chat_openai(api_server) -> None:
    import httpx
    from langchain_core.messages import AIMessage, HumanMessage
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(
        model="policyqa", base_url=api_server.url.rstrip("/") + "/v1", api_key=READ, max_retries=0,
        http_client=httpx.Client(trust_env=False, timeout=60),
    )
    reply = llm.invoke([HumanMessage(Q)])
    assert "122.78" in reply.content and "[1]" in reply.content
    streamed = "".join(str(part.content) for part in llm.stream([HumanMessage(Q)]))
    assert streamed == reply.content
    follow = llm.invoke([HumanMessage(Q), AIMessage(reply.content), HumanMessage("那上半年呢?")])
    assert follow.content and follow.content != reply.content
    refusal = llm.invoke([HumanMessage("深圳2022年的专利授权量是多少?")])
    assert "文档中没有找到" in refusal.content
