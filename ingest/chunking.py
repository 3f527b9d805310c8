"""Split a document into overlapping chunks that end on Chinese sentence ends.

LangChain's ``RecursiveCharacterTextSplitter`` does the splitting: it tries paragraph breaks first,
then sentence ends (。！？；and their ASCII forms), keeps each separator at the end of its sentence,
and builds the overlap from whole sentences, so no chunk starts or stops mid-sentence unless a
single sentence is longer than a chunk.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.normalize import is_header_line, nfkc, search_form

#: Bump when chunking changes in a way that must re-chunk every document.
CHUNKER_VERSION = 2

SENTENCE_SEPARATORS = ["\n\n", "。", "！", "？", "!", "?", ". ", "\n", "；", ";", "，", ",", " ", ""]
_SENTENCE_END = "。！？!?；;"


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    index: int
    text: str  # original script, for display and citation
    search_text: str  # title + section + text, NFKC + Simplified: what is embedded and keyword-indexed
    section: str
    start: int
    # further chunk-level facts stored with the chunk in Chroma (page, article, chapter, ocr...);
    # values must be str, int, float or bool (Chroma metadata)
    meta: dict = field(default_factory=dict, compare=False, hash=False)


def is_heading(line: str) -> bool:
    """A short line without sentence punctuation: bureau reports use these as section titles."""
    s = line.strip().lstrip("#").strip()
    return (
        2 <= len(s) <= 40
        and s[-1] not in _SENTENCE_END + "，,:：)"
        and "，" not in s
        and not is_header_line(s)
    )


def headings(text: str) -> list[tuple[int, str]]:
    """(offset, heading) for every heading line, in order."""
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\n]+", text):
        if is_heading(m.group(0)):
            out.append((m.start(), m.group(0).strip().lstrip("#").strip()))
    return out


def chunk_id(doc_id: str, index: int, search_text: str) -> str:
    """Deterministic and content-addressed: the same document text always gives the same ids."""
    digest = hashlib.sha1(f"{doc_id}\x00{index}\x00{search_text}".encode()).hexdigest()[:16]
    return f"{digest}-{index:04d}"


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\u3000")
    return not before or before[-1] in "\n" + _SENTENCE_END or before.endswith(". ")


def locate(text: str, body: str, prev_start: int, prev_end: int, hint: int) -> int:
    """Where a chunk starts in ``text``, given where the previous one started and ended.

    LangChain's ``start_index`` searches from the previous chunk's end minus the overlap, so with
    repeated sentences ("000。000。") it can name an earlier copy: the chunk then seems to start
    mid-sentence and the text after it seems to be in no chunk. The right copy starts after the
    previous chunk's start and no later than its end (or after whitespace only); of those, the
    furthest that starts a sentence (a sentence longer than a chunk is cut anywhere).
    """
    best, best_sentence = None, None
    found = text.find(body, prev_start + 1)
    while found != -1 and (found <= prev_end or not text[prev_end:found].strip()):
        best = found
        if _starts_sentence(text, found):
            best_sentence = found
        found = text.find(body, found + 1)
    if best_sentence is not None:
        return best_sentence
    return best if best is not None else hint


def chunk_document(doc_id: str, text: str, title: str, size: int, overlap: int) -> list[Chunk]:
    """Chunks of ``text`` with the nearest preceding section heading and the title in the search text."""
    splitter = RecursiveCharacterTextSplitter(
        separators=SENTENCE_SEPARATORS,
        keep_separator="end",
        chunk_size=size,
        chunk_overlap=min(overlap, size // 2),
        add_start_index=True,
        strip_whitespace=True,
    )
    heads = headings(text)
    chunks: list[Chunk] = []
    prev_start, prev_end = -1, 0
    for doc in splitter.create_documents([text]):
        body = doc.page_content.strip()
        if not body:
            continue
        start = locate(text, body, prev_start, prev_end, int(doc.metadata.get("start_index", 0)))
        prev_start, prev_end = start, start + len(body)
        section = ""
        for off, head in heads:
            if off > start:
                break
            if head != title:
                section = head
        header = "\n".join(x for x in (title, section) if x and x not in body)
        search = search_form(f"{header}\n{body}" if header else body)
        index = len(chunks)
        chunks.append(Chunk(chunk_id(doc_id, index, search), index, body, search, section, start))
    return chunks


_SENT = re.compile(r"[^。！？!?\n]+[。！？!?]*[”」』\"]?")


def sentences(text: str) -> list[str]:
    """Sentences of a passage, split at 。！？ and line breaks (； stays inside: its clauses share a period)."""
    text = re.sub(r"(?<=[a-z0-9)][.])\s+(?=[A-Z])", "\n", nfkc(text))  # English sentence ends too
    return [s.strip() for s in _SENT.findall(text) if s.strip()]
