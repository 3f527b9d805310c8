"""Chunk boundaries, overlap, ids and search text (ingest.chunking): no model, no store."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from ingest.chunking import chunk_document, sentences
from ingest.loaders import load_document
from ingest.normalize import parse_header, search_form
from ingest_helpers import REPORT, REPORT_ID

SIZE, OVERLAP = 320, 80  # the defaults of ingest.settings.Settings
SENTENCE_END = "。！？；!?;"
CLOSERS = "”」』’\"')）】》"


def ends_sentence(text: str) -> bool:
    """Ends with 。！？；!?; possibly followed by closing quotes or brackets."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END and len(stripped) < len(text.rstrip()) + 1


def starts_sentence(text: str, start: int) -> bool:
    """``start`` is the start of the text, of a line, or follows a sentence end."""
    before = text[:start].rstrip(" \t\u3000")
    return before == "" or before.endswith("\n") or ends_sentence(before)


def report() -> tuple[str, str]:
    text = load_document(REPORT).text.strip()
    title = parse_header(text).title
    assert title
    return text, title


def check_boundaries(text: str, chunks, size: int) -> None:
    assert chunks, "no chunks"
    covered = [False] * len(text)
    for c in chunks:
        assert text[c.start : c.start + len(c.text)] == c.text, f"chunk {c.index}: start offset is wrong"
        assert len(c.text) <= size
        last = c is chunks[-1] and c.start + len(c.text) == len(text)
        assert ends_sentence(c.text) or last, f"chunk {c.index} ends mid-sentence: …{c.text[-20:]!r}"
        assert starts_sentence(text, c.start), f"chunk {c.index} starts mid-sentence: {c.text[:20]!r}…"
        for k in range(c.start, c.start + len(c.text)):
            covered[k] = True
    lost = [text[k] for k in range(len(text)) if not covered[k] and not text[k].isspace()]
    assert not lost, f"text left out of every chunk: {''.join(lost)[:40]!r}"


def test_report_chunks_end_and_start_on_sentence_boundaries() -> None:
    text, title = report()
    chunks = chunk_document(REPORT_ID, text, title, SIZE, OVERLAP)
    assert 4 <= len(chunks) <= 20
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    check_boundaries(text, chunks, SIZE)


def test_report_neighbouring_chunks_overlap_by_whole_sentences() -> None:
    text, title = report()
    chunks = chunk_document(REPORT_ID, text, title, SIZE, OVERLAP)
    overlaps = []
    for a, b in zip(chunks, chunks[1:]):
        end_a = a.start + len(a.text)
        if b.start < end_a:
            shared = text[b.start : end_a]
            assert a.text.endswith(shared) and b.text.startswith(shared)
            assert len(shared) <= OVERLAP
            overlaps.append(shared)
    assert overlaps, "no two neighbouring chunks share a sentence"
    for shared in overlaps:
        assert ends_sentence(shared)


def test_chunk_ids_are_deterministic_and_content_addressed() -> None:
    text, title = report()
    first = chunk_document(REPORT_ID, text, title, SIZE, OVERLAP)
    again = chunk_document(REPORT_ID, text, title, SIZE, OVERLAP)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert len({c.chunk_id for c in first}) == len(first)

    # change a figure in the last paragraph: that chunk gets a new id, the first one keeps its id
    assert "產業化并產業化" not in text and "加快推動" in text
    changed = chunk_document(REPORT_ID, text.replace("記者張怡", "記者王五"), title, SIZE, OVERLAP)
    assert changed[0].chunk_id == first[0].chunk_id
    assert changed[-1].chunk_id != first[-1].chunk_id
    assert {c.chunk_id for c in changed} != {c.chunk_id for c in first}

    # the same text under another document id never shares ids
    other = chunk_document("copy-of-report.txt", text, title, SIZE, OVERLAP)
    assert not {c.chunk_id for c in other} & {c.chunk_id for c in first}


def test_search_text_has_simplified_title_and_section_heading() -> None:
    text, title = report()
    chunks = chunk_document(REPORT_ID, text, title, SIZE, OVERLAP)
    headings = [(text.index(h), h) for h in ("持續打響科技服務品牌", "促進產業鏈創新鏈人才鏈三鏈融合")]
    seen_sections = set()
    for c in chunks:
        assert search_form(title) in c.search_text
        assert c.search_text == search_form(c.search_text), "search text must already be in search form"
        assert search_form(c.text) in c.search_text
        expected = ""
        for offset, heading in headings:
            if offset <= c.start:
                expected = heading
        assert c.section == expected
        if expected:
            assert search_form(expected) in c.search_text
            assert "持续" in c.search_text or "促进" in c.search_text  # Simplified, not the original script
        seen_sections.add(c.section)
    assert seen_sections == {"", "持續打響科技服務品牌", "促進產業鏈創新鏈人才鏈三鏈融合"}
    # the display text stays in the original (Traditional) script
    assert any("科技創新" in c.text for c in chunks)


def test_markdown_headings_become_sections() -> None:
    text = (
        "# 某市科技局年度工作报告\n"
        "## 技术合同\n"
        + "".join(f"{m}月全市登记技术合同{100 + m}项,成交额{m}.5亿元。" for m in range(1, 13))
        + "\n## 人才引育\n"
        + "".join(f"第{t}个团队取得新产品批件{t + 2}个!" for t in range(1, 12))
    )
    chunks = chunk_document("report.md", text, "某市科技局年度工作报告", 120, 40)
    check_boundaries(text, chunks, 120)
    # the section is the last heading before the chunk starts; a heading inside the chunk is in its text
    assert chunks[0].section == "" and "技术合同" in chunks[0].search_text
    assert chunks[1].section == "技术合同"
    assert chunks[-1].section == "人才引育"
    assert all(c.search_text.startswith("某市科技局年度工作报告") or c.search_text.startswith("# 某市") for c in chunks)
    assert all("技术合同" in c.search_text or "人才引育" in c.search_text for c in chunks)


def test_a_sentence_longer_than_a_chunk_is_still_split_within_the_size() -> None:
    long_sentence = "、".join(f"第{i}号重点实验室" for i in range(80)) + "。"
    text = f"某市重点实验室名单\n{long_sentence}\n以上名单自发布之日起生效。"
    chunks = chunk_document("list.txt", text, "某市重点实验室名单", 120, 30)
    assert all(len(c.text) <= 120 for c in chunks)
    assert "".join(c.text for c in chunks).count("号重点实验室") >= 80
    assert chunks[-1].text.endswith("以上名单自发布之日起生效。")


def test_empty_text_gives_no_chunks() -> None:
    assert chunk_document("empty.txt", "", "t", SIZE, OVERLAP) == []
    assert chunk_document("blank.txt", " \n\n ", "t", SIZE, OVERLAP) == []


def test_sentences_splits_at_chinese_and_ascii_ends_and_keeps_quotes() -> None:
    assert sentences("第一句。第二句！“第三句？”第四句;还是第四句\n第五句") == [
        "第一句。",
        "第二句!",
        "“第三句?”",
        "第四句;还是第四句",
        "第五句",
    ]


_sentence = st.builds(
    lambda body, end: body + end,
    st.text(alphabet="科技创新企业合同平台人才项目昆明市局年月日0123456789,、", min_size=3, max_size=70),
    st.sampled_from(list("。！？；") + ["。”", "？」"]),
)
_paragraph = st.lists(_sentence, min_size=1, max_size=8).map("".join)


@hsettings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(_paragraph, min_size=1, max_size=8), size=st.sampled_from([120, 200, 320]))
def test_property_chunks_of_short_sentences_never_cut_a_sentence(paragraphs: list[str], size: int) -> None:
    text = "\n".join(paragraphs)
    chunks = chunk_document("gen.txt", text, "生成的文档", size, size // 4)
    check_boundaries(text, chunks, size)


@pytest.mark.parametrize("last", ["00000000000！000。000。", "00000000000。000。000。"])
def test_repeated_sentences_get_their_own_offsets(last: str) -> None:
    """Found by the property test: LangChain's start_index named an earlier copy of "000。"."""
    text = "\n".join(["000。000。000。", "000。00000。000000。000000000。00000000000。" + "0" * 33 + "。0000！00000000！", last])
    chunks = chunk_document("gen.txt", text, "生成的文档", 120, 30)
    assert len(chunks) == 2
    check_boundaries(text, chunks, 120)
