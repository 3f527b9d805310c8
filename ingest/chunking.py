"""Split a document into overlapping chunks that end on Chinese sentence ends.

LangChain's ``RecursiveCharacterTextSplitter`` does the splitting: it tries paragraph breaks first,
then sentence ends (。！？；and their ASCII forms), keeps each separator at the end of its sentence,
and builds the overlap from whole sentences, so no chunk starts or stops mid-sentence unless a
single sentence is longer than a chunk.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.normalize import is_header_line, nfkc, search_form
from ingest.structure import Article, Regulation, first_sentence, parse_structure

#: Bump when chunking changes in a way that must re-chunk every document.
#: 3: regulations are chunked by article (ingest.structure), with article/article_no/chapter in Chunk.meta.
CHUNKER_VERSION = 3

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


def chunk_document(
    doc_id: str, text: str, title: str, size: int, overlap: int, regulation: Regulation | None | bool = True
) -> list[Chunk]:
    """Chunks of ``text``: by article when it parses as a regulation, else by sentences.

    ``regulation``: the parsed structure when the caller has it, ``True`` to parse here, ``False``
    (or ``None``) for the sentence chunker whatever the text looks like.
    """
    if regulation is True:
        regulation = parse_structure(text)
    if isinstance(regulation, Regulation):
        return chunk_regulation(doc_id, text, title, size, overlap, regulation)
    return chunk_sentences(doc_id, text, title, size, overlap)


def chunk_sentences(doc_id: str, text: str, title: str, size: int, overlap: int, base: int = 0) -> list[Chunk]:
    """Chunks of ``text`` with the nearest preceding section heading and the title in the search text.

    ``base``: the offset of ``text`` in the document (a regulation's preamble is chunked this way).
    """
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
        chunks.append(Chunk(chunk_id(doc_id, index, search), index, body, search, section, start + base))
    return chunks


# --- regulations: one chunk per article --------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    """A block of an article, or a sentence-split piece of a block longer than a chunk."""

    text: str
    start: int
    lead: int | None  # index of the block that introduces this item (None for paragraphs)
    block: int


def _shorten(lead: str, limit: int) -> str:
    """A repeated lead of at most ``limit`` characters: its first sentence, else cut with an ellipsis."""
    if len(lead) <= limit:
        return lead
    first = first_sentence(lead)
    return first if len(first) <= limit else lead[: max(limit - 1, 1)] + "…"


def _split_long(text: str, budget: int) -> list[str]:
    """Sentence pieces of a block that does not fit (LangChain's splitter, no overlap: an item is not repeated)."""
    splitter = RecursiveCharacterTextSplitter(
        separators=SENTENCE_SEPARATORS, keep_separator="end", chunk_size=max(budget, 20), chunk_overlap=0, strip_whitespace=True
    )
    return [p for p in splitter.split_text(text) if p.strip()] or [text]


def article_pieces(article: Article, size: int) -> list[tuple[str, int]]:
    """(text, start offset) of the chunks of one article.

    The whole article when it fits ``size``. Otherwise pieces cut at paragraph and item boundaries
    (a block longer than a chunk at its sentences), and every piece after the first starts with a
    lead: an item's own lead paragraph ("有下列情形之一的："), else the article's first sentence. So
    no item is ever in a chunk without the sentence that says what the list is.
    """
    whole = article.text
    if len(whole) <= size:
        return [(whole, article.start)]
    blocks = article.blocks
    limit = size // 2
    article_lead = _shorten(article.lead_sentence, limit)

    def lead_for(unit: _Unit) -> str:
        if unit.lead is None:
            return article_lead
        if unit.lead == 0:
            return _shorten(blocks[0].text, limit)
        # a list introduced by a later paragraph: the article's lead (which names the article), then the list's
        opening = _shorten(article.lead_sentence, limit // 2)
        return f"{opening}\n{_shorten(blocks[unit.lead].text, limit - len(opening) - 1)}"

    units: list[_Unit] = []
    for n, b in enumerate(blocks):
        budget = size - len(lead_for(_Unit("", 0, b.lead, n))) - 1 if n or len(b.text) > size else size
        if len(b.text) <= budget:
            units.append(_Unit(b.text, b.start, b.lead, n))
            continue
        at = b.start
        for part in _split_long(b.text, budget):
            units.append(_Unit(part, at, b.lead, n))
            at += len(part)
    pieces: list[tuple[str, int]] = []
    cur: list[_Unit] = []
    header = ""
    length = 0
    for u in units:
        if cur and length + 1 + len(u.text) <= size:
            cur.append(u)
            length += 1 + len(u.text)
            continue
        if cur:
            pieces.append(("\n".join(([header] if header else []) + [x.text for x in cur]), cur[0].start))
        first = u is units[0]
        header = "" if first else lead_for(u)
        if header and u.lead is None and u.block == 0 and u.text.startswith(header):
            header = ""
        cur, length = [u], len(u.text) + (len(header) + 1 if header else 0)
    if cur:
        pieces.append(("\n".join(([header] if header else []) + [x.text for x in cur]), cur[0].start))
    return pieces


def chunk_regulation(doc_id: str, text: str, title: str, size: int, overlap: int, regulation: Regulation) -> list[Chunk]:
    """The preamble (title and header lines) by sentences, then each article as one chunk or a few.

    Every chunk's ``meta`` holds exactly ``article`` ("第四十五条", "" for the preamble),
    ``article_no`` (45, 0 for the preamble) and ``chapter`` ("第三章 技术权益"); ``section`` is the
    innermost heading (节, else 章), as the sentence chunker's nearest heading.
    """
    chunks: list[Chunk] = []
    preamble = text[: regulation.preamble_end]
    if preamble.strip():
        for c in chunk_sentences(doc_id, preamble, title, size, overlap):
            chunks.append(replace(c, meta={"article": "", "article_no": 0, "chapter": ""}))
    for part in regulation.loose:  # a chapter's preface: prose, kept with its chapter
        for c in chunk_sentences(doc_id, text[part.start : part.end], title, size, overlap, base=part.start):
            chunks.append(replace(c, section=part.section or part.chapter, meta={"article": "", "article_no": 0, "chapter": part.chapter}))
    for art in regulation.articles:
        section = art.section or art.chapter
        for body, start in article_pieces(art, size):
            header = "\n".join(x for x in dict.fromkeys((title, art.chapter, section, art.label)) if x and not body.startswith(x))
            search = search_form(f"{header}\n{body}" if header else body)
            index = len(chunks)
            meta = {"article": art.label, "article_no": art.no, "chapter": art.chapter}
            chunks.append(Chunk(chunk_id(doc_id, index, search), index, body, search, section, start, meta))
    # in text order, and ids depend on the index: renumber them all consistently
    chunks.sort(key=lambda c: c.start)
    return [replace(c, index=i, chunk_id=chunk_id(doc_id, i, c.search_text)) for i, c in enumerate(chunks)]


_SENT = re.compile(r"[^。！？!?\n]+[。！？!?]*[”」』\"]?")


def sentences(text: str) -> list[str]:
    """Sentences of a passage, split at 。！？ and line breaks (； stays inside: its clauses share a period)."""
    text = re.sub(r"(?<=[a-z0-9)][.])\s+(?=[A-Z])", "\n", nfkc(text))  # English sentence ends too
    return [s.strip() for s in _SENT.findall(text) if s.strip()]
