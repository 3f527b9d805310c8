"""The structure of a regulation's text: 编/章/节 headings, articles, paragraphs (款) and items.

A law, an administrative or local regulation and most normative documents share one layout (the
drafting conventions of the 立法法 and GB/T 9704): a title, lines recording adoption, amendment and
promulgation with their dates, then chapters ("第一章 总则", optionally grouped in 编 and split in 节)
and articles numbered in Chinese numerals ("第一百零五条"). An article holds paragraphs (款, one per
line) and enumerated items ("（一）…", "1. …") that a lead paragraph ("有下列情形之一的：") introduces.

:func:`parse_structure` finds that skeleton in the plain text any loader returns (.md/.txt as
written, .docx paragraphs, a PDF's text layer with its wrapped lines, HTML blocks), or returns
``None`` for a report or news item, which keeps the sentence chunker. :func:`document_meta` reads
the header: events with dates, the issuing body, the document number, the kind and the
jurisdiction (place names resolved against the national division table of ``ingest.divisions``).

Why hand-rolled: no maintained Python library parses Chinese legislative texts (the few on PyPI
are unmaintained scrapers of one website); the numerals themselves go through ``cn2an``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import cn2an

from ingest.normalize import iso_date, nfkc, to_simplified

BlockKind = Literal["paragraph", "item"]
Kind = Literal["law", "administrative_regulation", "local_regulation", "normative_document", "notice", "report", "news"]

_CN_DIGITS = "〇零一二三四五六七八九十百千两"
_NUM = rf"[{_CN_DIGITS}]+|\d+"
#: characters that are not text: zero-width spaces (the Beijing file has lines of U+200B only), BOMs
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_SENTENCE_END = "。！？!?；;：:"
_BLOCK_END = "。！？!?；;：:”’」』)）"

_HEADING = re.compile(rf"^(?:#{{1,6}}\s*)?(第(?:{_NUM})(编|章|节))(?:[\s\u3000]+(.*))?$")
_ARTICLE = re.compile(rf"^(第({_NUM})条(?:之([一二三四五六七八九十]+))?)(?:[\s\u3000:：]+|$)?(.*)$", re.S)
#: words that continue a cross-reference ("依照本法第三十条规定"): a wrapped PDF line that starts with one
#: is not an article heading
_CROSS_REFERENCE = ("规定", "的", "之", "中", "、", "，", ",", "至", "和", "或", "及", "所", "第", "款", "项")
_ITEM = re.compile(r"^(?:([（(])\s*([一二三四五六七八九十]+)\s*([)）])|(\d{1,2})\s*[.．、](?!\d))\s*")


def cn_number(numeral: str) -> int:
    """``一百零五`` → 105, ``十二`` → 12, ``12`` → 12 (cn2an, which also reads 两 and 〇)."""
    numeral = numeral.strip()
    if numeral.isdigit():
        return int(numeral)
    return int(cn2an.cn2an(numeral, "smart"))


def clean_line(line: str) -> str:
    """A line without edge whitespace and invisible characters (U+200B is not whitespace to str.strip)."""
    return line.strip().strip(_INVISIBLE).strip()


# --- the skeleton ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: Literal["编", "章", "节"]
    label: str  # "第一章 总则": number as written, the name without its inner spacing ("总　　则")
    start: int


@dataclass(frozen=True)
class Block:
    """One paragraph (款) or enumerated item of an article; wrapped lines joined."""

    kind: BlockKind
    text: str
    start: int
    end: int
    label: str = ""  # "（一）" or "1." for items
    lead: int | None = None  # index in ``Article.blocks`` of the paragraph that introduces this item


@dataclass(frozen=True)
class Article:
    no: int
    label: str  # "第四十五条" (or "第十条之一")
    blocks: tuple[Block, ...]
    start: int
    end: int
    part: str = ""  # 编
    chapter: str = ""  # 章 (or the 编 when the text has no chapters)
    section: str = ""  # 节

    @property
    def text(self) -> str:
        """The article as written, one block per line; it starts with the label."""
        return "\n".join(b.text for b in self.blocks)

    @property
    def body(self) -> str:
        """The article without its label: what two versions of it are compared on."""
        return self.text[len(self.label) :].lstrip(" \u3000:：")

    @property
    def lead_sentence(self) -> str:
        """The article's first sentence (up to 。；： inclusive), label included."""
        return first_sentence(self.blocks[0].text) if self.blocks else self.label


@dataclass(frozen=True)
class Loose:
    """Text after a heading that belongs to no article (a chapter's preface): kept, chunked as prose."""

    start: int
    end: int
    chapter: str
    section: str


@dataclass(frozen=True)
class Regulation:
    headings: tuple[Heading, ...]
    articles: tuple[Article, ...]
    preamble_end: int  # offset of the first heading or article: the title and header lines are before it
    loose: tuple[Loose, ...] = ()

    def article(self, no: int) -> Article | None:
        return next((a for a in self.articles if a.no == no), None)


def first_sentence(text: str) -> str:
    m = re.search(rf"[{_SENTENCE_END}]", text)
    return text[: m.end()] if m else text


@dataclass
class _Line:
    text: str  # cleaned
    start: int
    end: int


def _lines(text: str) -> list[_Line | None]:
    """Cleaned non-empty lines with their offsets; ``None`` marks a blank line (a hard block break)."""
    out: list[_Line | None] = []
    pad = " \t\u3000\r" + _INVISIBLE
    offset = 0
    for raw in text.split("\n"):
        s = clean_line(raw)
        if s:
            lead = len(raw) - len(raw.lstrip(pad))
            out.append(_Line(s, offset + lead, offset + len(raw.rstrip(pad))))
        elif out and out[-1] is not None:
            out.append(None)
        offset += len(raw) + 1
    return out


def _heading(line: str) -> tuple[str, str] | None:
    """(level, label) of a 编/章/节 heading line."""
    if len(line) > 40 or line[-1] in "。；;，,":
        return None
    m = _HEADING.match(line)
    if not m:
        return None
    name = re.sub(r"[\s\u3000]+", "", m.group(3) or "").lstrip("#")
    return m.group(2), f"{m.group(1)} {name}".strip()


def _article_head(line: str, last_no: int) -> tuple[str, int, str] | None:
    """(label, number, rest) when ``line`` starts the next article (numbers only increase)."""
    m = _ARTICLE.match(line)
    if not m:
        return None
    label, numeral, sub, rest = m.group(1), m.group(2), m.group(3), m.group(4)
    try:
        no = cn_number(numeral)
    except (ValueError, KeyError, TypeError):
        return None
    spaced = len(line) > len(label) and line[len(label)] in " \u3000:："
    if not spaced and rest.startswith(_CROSS_REFERENCE):
        return None
    if sub:
        if no != last_no:
            return None
    elif no <= last_no:
        return None
    return label, no, rest


def _item_label(line: str) -> str | None:
    m = _ITEM.match(line)
    if not m:
        return None
    return f"（{m.group(2)}）" if m.group(2) else f"{m.group(4)}."


def parse_structure(text: str, min_articles: int = 3) -> Regulation | None:
    """The headings and articles of ``text``, or ``None`` when it has fewer than ``min_articles`` articles.

    Lines are joined into blocks the way a reader would: a line that does not end a sentence and is
    followed by one that starts no heading, article or item continues it (a PDF wraps long
    paragraphs; Markdown and .docx give one paragraph per line).
    """
    lines = _lines(text)
    headings: list[Heading] = []
    articles: list[Article] = []
    part = chapter = section = ""
    cur: dict | None = None  # the article being read: label, no, start, blocks, context
    block: dict | None = None  # the block being read: kind, label, parts, start, end
    preamble_end: int | None = None
    last_no = 0
    loose: list[Loose] = []

    def close_block() -> None:
        nonlocal block
        if block is not None and cur is not None:
            cur["blocks"].append(block)
        block = None

    def close_article() -> None:
        nonlocal cur
        close_block()
        if cur is not None:
            blocks: list[Block] = []
            lead: int | None = None
            for b in cur["blocks"]:
                joined = "".join(b["parts"])
                if b["kind"] == "paragraph":
                    lead = len(blocks)
                    blocks.append(Block("paragraph", joined, b["start"], b["end"]))
                else:
                    blocks.append(Block("item", joined, b["start"], b["end"], b["label"], lead))
            articles.append(Article(cur["no"], cur["label"], tuple(blocks), cur["start"], blocks[-1].end, *cur["ctx"]))
        cur = None

    for line in lines:
        if line is None:
            close_block()
            continue
        s = line.text
        head = _heading(s)
        if head:
            close_article()
            level, label = head
            if preamble_end is None:
                preamble_end = line.start
            headings.append(Heading(level, label, line.start))  # type: ignore[arg-type]
            if level == "编":
                part, chapter, section = label, "", ""
            elif level == "章":
                chapter, section = label, ""
            else:
                section = label
            continue
        art = _article_head(s, last_no)
        if art:
            close_article()
            label, no, _rest = art
            last_no = no
            if preamble_end is None:
                preamble_end = line.start
            cur = {"label": label, "no": no, "start": line.start, "blocks": [], "ctx": (part, chapter or part, section)}
            block = {"kind": "paragraph", "label": "", "parts": [s], "start": line.start, "end": line.end}
            continue
        if cur is None:
            if preamble_end is not None:  # after a heading, before its first article
                if loose and loose[-1].chapter == (chapter or part) and loose[-1].section == section:
                    loose[-1] = Loose(loose[-1].start, line.end, loose[-1].chapter, section)
                else:
                    loose.append(Loose(line.start, line.end, chapter or part, section))
            continue  # else the title and header lines: the preamble
        item = _item_label(s)
        continues = block is not None and block["parts"][-1][-1] not in _BLOCK_END and item is None
        if continues:
            block["parts"].append(s)
            block["end"] = line.end
            continue
        close_block()
        block = {"kind": "item" if item else "paragraph", "label": item or "", "parts": [s], "start": line.start, "end": line.end}
    close_article()
    if len(articles) < min_articles:
        return None
    return Regulation(tuple(headings), tuple(articles), preamble_end if preamble_end is not None else 0, tuple(loose))


# --- header metadata ---------------------------------------------------------------------------

EventType = Literal["adopted", "amended", "revised", "promulgated", "approved", "effective"]

#: event words of the header lines, as the drafting conventions write them
_EVENT_WORDS: tuple[tuple[str, EventType], ...] = (
    ("起施行", "effective"),
    ("施行", "effective"),
    ("通过", "adopted"),
    ("修正", "amended"),
    ("修订", "revised"),
    ("发布", "promulgated"),
    ("公布", "promulgated"),
    ("印发", "promulgated"),
    ("批准", "approved"),
)
_EVENT_RE = re.compile("|".join(re.escape(w) for w, _ in _EVENT_WORDS))
_EVENT_TYPE = dict(_EVENT_WORDS)
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d+\s*号"
    r"|(?:中华人民共和国)?[\u4e00-\u9fff]{2,20}?令\s*第\s*\d+\s*号"
)
_ASSEMBLY = re.compile(
    r"((?:[\u4e00-\u9fff]{2,12}?(?:省|市|自治区|自治州|州|县|区|盟))?)"
    r"第[一二三四五六七八九十百]+届(全国人民代表大会常务委员会|全国人民代表大会|人民代表大会常务委员会|人民代表大会)"
)
_ORDER = re.compile(r"(?:中华人民共和国)?([\u4e00-\u9fff]{2,20}?)令\s*第\s*\d+\s*号")
_DECISION = re.compile(r"《([\u4e00-\u9fff]{2,20}?)关于[^》]*的决定》")
#: the names of issuing bodies end with one of these (人民政府, 委员会, 科学技术局, 财政厅, 科学技术部, 国务院...)
_BODY_SUFFIX = ("人民代表大会常务委员会", "人民代表大会", "人民政府", "办公厅", "办公室", "委员会", "国务院", "局", "厅", "部", "署", "院")
_NATIONAL_PREFIX = ("全国", "国务院", "国家", "中华人民共和国", "中共中央", "最高人民")
_NOTICE_WORDS = ("通知", "公告", "通告")  # 《党政机关公文处理工作条例》 document kinds that announce
_REPORT_WORDS = ("报告", "公报", "总结", "年报", "白皮书")
_LOCAL_ASSEMBLY = re.compile(r"^.+(?:省|市|自治区|州|县|区|盟)人民代表大会(?:常务委员会)?$")
_NATIONAL_ASSEMBLY = ("全国人民代表大会常务委员会", "全国人民代表大会")


@dataclass(frozen=True)
class Event:
    type: EventType
    date: str  # ISO
    body: str | None = None  # the body that acted, when the line names it

    def to_json(self) -> dict[str, str]:
        return {"type": self.type, "date": self.date}


@dataclass(frozen=True)
class DocMeta:
    kind: Kind
    issuer: str | None
    doc_number: str | None
    jurisdiction: str | None  # "national", a province ("浙江省") or a city ("广州市")
    province: str | None  # the province of a local jurisdiction ("广东省" for 广州市)
    events: tuple[Event, ...] = field(default=())
    effective_date: str | None = None
    version_date: str | None = None


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2200):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _body_of(segment: str) -> str | None:
    """The body an event line names: the assembly whose session acted, or the one whose order (令) it was."""
    m = _ASSEMBLY.search(segment)
    if m:
        return (m.group(1) if not m.group(2).startswith("全国") else "") + m.group(2)
    m = _ORDER.search(segment) or _DECISION.search(segment)
    if m:
        return m.group(1).removeprefix("中华人民共和国")
    return None


def header_events(header: str) -> list[tuple[Event, str]]:
    """(event, its segment) for every date in the header lines that an event word follows.

    The header is cut at every date: one line may hold two events ("2002年…通过 根据2017年…修正"),
    and a date followed by a document number only ("（2016年1月29日 国科发火〔2016〕32号）") is the
    day the document was issued.
    """
    text = to_simplified(nfkc(header))  # a Traditional header (通過, 修訂) reads the same
    dates = [(m, _iso(m)) for m in _DATE_RE.finditer(text)]
    out: list[tuple[Event, str]] = []
    for n, (m, iso) in enumerate(dates):
        if iso is None:
            continue
        end = dates[n + 1][0].start() if n + 1 < len(dates) else len(text)
        segment = text[m.end() : end].split("\n", 1)[0]  # an event is told on its own line
        words = list(_EVENT_RE.finditer(segment))
        if words:
            etype = _EVENT_TYPE[words[-1].group(0)]
        elif _DOC_NUMBER.search(segment):
            etype = "promulgated"
        else:
            continue
        out.append((Event(etype, iso, _body_of(segment)), segment))
    return out


_EFFECTIVE_CLAUSE = re.compile(r"自\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|公布之日|发布之日|印发之日)\s*起\s*施行")


def effective_clause(articles: tuple[Article, ...] | list[Article]) -> str | None:
    """The date of "本法自…起施行" in the last articles (``"published"`` for 自公布之日起施行)."""
    for art in reversed(articles[-5:]):
        m = _EFFECTIVE_CLAUSE.search(nfkc(art.text))
        if m:
            return iso_date(m.group(1)) if m.group(1)[0].isdigit() else "published"
    return None


def doc_numbers(text: str) -> list[str]:
    return [re.sub(r"\s+", "", m.group(0)) for m in _DOC_NUMBER.finditer(nfkc(text))]


def _issuer_line(lines: list[str]) -> str | None:
    """A short line made only of body names (the issuing bodies under a title, or a closing 落款)."""
    for line in lines:
        s = clean_line(line).lstrip("#-•* ").strip()
        if not s or len(s) > 40 or s[-1] in "。；;，,:：":
            continue
        names = [n for n in re.split(r"[\s\u3000、]+", s) if n]
        if names and all(2 <= len(n) <= 30 and n.endswith(_BODY_SUFFIX) for n in names):
            return names[0]
    return None


def is_national_body(body: str) -> bool:
    return body.startswith(_NATIONAL_PREFIX) or (body.endswith(("部", "署", "院")) and division_of(body) is None)


def kind_of(title: str, issuer: str | None, is_regulation: bool, doc_number: str | None, has_source: bool) -> Kind:
    """The kind of a document from its title's genre word, its issuer and whether it has articles."""
    t = re.sub(r"\s+", "", to_simplified(nfkc(title)))
    if any(w in t[-8:] for w in _NOTICE_WORDS):
        return "notice"
    if is_regulation:
        if issuer in _NATIONAL_ASSEMBLY or (issuer is None and t.endswith("法")):
            return "law"
        if issuer and _LOCAL_ASSEMBLY.match(issuer):
            return "local_regulation"
        if issuer == "国务院" and t.endswith(("条例", "规定", "办法")):
            return "administrative_regulation"
        if issuer is None and t.endswith("条例"):
            return "local_regulation" if division_of(t, at_start=True) else "administrative_regulation"
        return "normative_document"
    if any(w in t for w in _REPORT_WORDS):
        return "report"
    if doc_number:
        return "normative_document"
    return "news" if has_source else "report"


# --- administrative divisions (ingest.divisions: the cpca adcode table) ---------------------------


@dataclass(frozen=True)
class Division:
    name: str  # the most specific level found: "广州市", or "浙江省"
    province: str  # "广东省"; a municipality is its own province ("北京市")
    start: int  # where the name starts in the text looked at


@lru_cache(maxsize=4096)
def division_of(text: str, at_start: bool = False) -> Division | None:
    """The province / city a text names, from the national division table (``ingest.divisions``).

    Short forms count ("广州" for 广州市); a name followed by one of its own subdivisions gives the
    subdivision (广州市天河区 → 天河区). With ``at_start`` the name must open the text (a title's place
    prefix, not a place mentioned inside it).
    """
    from ingest.divisions import find_places

    if not text:
        return None
    t = to_simplified(nfkc(text))
    hits = find_places(t)
    if not hits:
        return None
    name, div = hits[0]
    start = t.find(name)
    if at_start and start != 0:
        return None
    end = start + len(name)
    for next_name, child in hits[1:]:
        pos = t.find(next_name, end)
        if pos != end or not (child.parent_city == div.name or child.province == div.name):
            break
        name, div, end = next_name, child, pos + len(next_name)
    province = div.province or div.name
    return Division(div.name, province, start)


def jurisdiction_of(issuer: str | None, title: str) -> tuple[str, str | None]:
    """("national", None) or (place, province): from the issuer, else from the title's place prefix."""
    if issuer and not is_national_body(issuer):
        place = division_of(issuer, at_start=True)
        if place:
            return place.name, place.province
    if issuer and is_national_body(issuer):
        return "national", None
    place = division_of(re.sub(r"\s+", "", title).removeprefix("#"), at_start=True)
    if place:
        return place.name, place.province
    return "national", None


def _dateline(text: str) -> str | None:
    """A closing date on one of the last lines (the 成文日期 under a signature)."""
    for line in [clean_line(x) for x in text.splitlines() if clean_line(x)][-3:][::-1]:
        if len(line) <= 20 and _DATE_RE.fullmatch(nfkc(line)):
            return iso_date(line)
    return None


def document_meta(
    text: str,
    title: str,
    regulation: Regulation | None,
    file_name: str = "",
    header_date: str | None = None,
    has_source: bool = False,
) -> DocMeta:
    """Kind, issuer, number, jurisdiction, events and dates of one document.

    ``version_date`` orders the versions of one regulation: its latest event, else the header's
    date line, the date in the file name, or the closing dateline, in that order.
    ``effective_date`` is the date the text says it takes effect, when that applies to this version
    (a consolidated text keeps its original "自2020年12月1日起施行" after a 2024 amendment: that date
    is an event of the text, not the effective date of the amended version).
    """
    lines = text.splitlines()
    if regulation is not None:
        header = text[: regulation.preamble_end]
    else:  # the short lines under the title; the body's paragraphs ("…通过专家评审706家") tell no events of the text
        header = "\n".join(lines[:1] + [line for line in lines[1:8] if len(clean_line(line)) <= 60])
    header_lines = header.splitlines()
    body_header = "\n".join(header_lines[1:]) if header_lines else ""  # the title's own dates are no events
    found = header_events(body_header)
    events = [e for e, _ in found]
    if regulation is not None:
        clause = effective_clause(regulation.articles)
        if clause == "published":
            issued = [e.date for e in events if e.type in ("promulgated", "revised", "amended", "adopted")]
            clause = max(issued) if issued else None
        if clause and not any(e.type == "effective" and e.date == clause for e in events):
            events.append(Event("effective", clause))
    acting = [e for e in events if e.type not in ("effective",)]
    version_date = max((e.date for e in acting), default=None) or max((e.date for e in events), default=None)
    version_date = version_date or header_date or iso_date(file_name) or _dateline(text)

    issuer = None
    for e in sorted(acting, key=lambda e: (e.type != "approved", e.date), reverse=True):
        if e.body:
            issuer = e.body
            break
    issuer = issuer or _issuer_line(header_lines[1:6] + lines[-4:])

    doc_number = None
    if found:
        latest = max(found, key=lambda f: f[0].date)
        numbers = doc_numbers(latest[1])
        doc_number = numbers[0] if numbers else None
        if doc_number is None and issuer is None:
            numbers = doc_numbers(body_header)
            doc_number = numbers[0] if numbers else None
    else:
        numbers = doc_numbers(body_header)
        doc_number = numbers[0] if numbers else None

    effective = [e.date for e in events if e.type == "effective"]
    effective_date = max(effective) if effective else None
    if effective_date and version_date and effective_date < version_date:
        effective_date = None

    kind = kind_of(title, issuer, regulation is not None, doc_number, has_source)
    jurisdiction, province = jurisdiction_of(issuer, title)
    events.sort(key=lambda e: e.date)
    return DocMeta(kind, issuer, doc_number, jurisdiction, province, tuple(events), effective_date, version_date)
