"""`policyqa mcp` over stdio, driven by the official mcp SDK's own stdio client."""

from __future__ import annotations

import asyncio
import json

import pytest

from ui_helpers import clean_env, policyqa_exe

pytestmark = pytest.mark.slow  # the real model in a subprocess


def _run(coro):
    return asyncio.run(coro)


async def _session(index, corpus, calls):
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    exe = policyqa_exe()
    params = StdioServerParameters(
        command=exe[0], args=[*exe[1:], "mcp", "--index-dir", str(index)], env=clean_env(POLICYQA_CORPUS_DIR=str(corpus)),
    )
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = await session.list_tools()
            results = [await session.call_tool(name, args, read_timeout_seconds=180) for name, args in calls]
            return tools, results


def _json(result) -> dict:
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


def test_tools_and_a_cited_answer(api_kb) -> None:
    calls = [
        ("ask", {"question": "1至8月技术合同成交额是多少?"}),
        ("ask", {"question": "深圳2022年的专利授权量是多少?"}),
        ("ask", {"question": "那上半年呢?", "history": [{"role": "user", "content": "1至8月技术合同成交额是多少?"},
                                                         {"role": "assistant", "content": "…122.78亿元。[1]"}]}),
        ("search", {"query": "国际科技合作基地", "k": 2}),
        ("figures", {"query": "技术合同成交额"}),
        ("documents", {}),
        ("ask", {"question": ""}),
        ("search", {"query": "x", "k": 0}),
    ]
    tools, results = _run(_session(api_kb["index"], api_kb["corpus"], calls))
    assert sorted(t.name for t in tools.tools) == ["ask", "documents", "figures", "search"]
    assert all(t.description and t.input_schema["type"] == "object" for t in tools.tools)
    ask, refusal, follow, search, figures, documents, empty, bad_k = results
    answer = _json(ask)
    assert not ask.is_error and not answer["refused"] and "122.78" in answer["answer"]
    assert answer["citations"] and all(f"[{c['n']}]" in answer["answer"] and c["doc_id"] == "kunming-sti-2024-09-23.txt" for c in answer["citations"])
    assert _json(refusal)["refused"] is True and _json(refusal)["citations"] == []
    assert "技术合同" in _json(follow)["standalone_question"]
    assert [p["rank"] for p in _json(search)["passages"]] == [1, 2]
    assert any(f["value"] == "122.78" for f in _json(figures)["figures"])
    assert [d["doc_id"] for d in _json(documents)["documents"]] == ["kunming-sti-2024-09-23.txt"]
    assert empty.is_error and "请输入一个问题" in empty.content[0].text
    assert bad_k.is_error and "k must be" in bad_k.content[0].text


def test_without_a_knowledge_base_the_tools_say_so(tmp_path) -> None:
    tools, results = _run(_session(tmp_path / "index", tmp_path / "corpus", [("documents", {}), ("ask", {"question": "x?"})]))
    assert len(tools.tools) == 4
    for r in results:
        assert r.is_error and "knowledge base" in r.content[0].text.lower()
