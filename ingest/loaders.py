"""Turn one file on disk into plain text, whatever its format.

Each supported format has one private loader; :func:`load_document` is the
single entry point and dispatches on the file suffix.  Every failure -- an
unsupported suffix, an oversized or empty file, undecodable bytes, a damaged
PDF, a docx zip bomb -- surfaces as :class:`LoadError` so the ingest pipeline
can log one short reason per file and carry on with the rest of the corpus.

Text is returned in its original script: no Traditional/Simplified
conversion and no NFKC here, because the citations shown to users must quote
the source verbatim.  Normalisation is a later stage's business.

Beyond the text, a loader may say which characters came from which page
(``pages``: PDF pages, image frames; OCR'd or not, with the OCR confidence) and
which are the rendering of a table (``tables``); the pipeline turns these into
chunk metadata and figures.  The formats' own modules: ingest.pdf (pdfplumber
text layers, per-page OCR decision), ingest.ocr (RapidOCR), ingest.tables
(csv/xlsx/xls and every table's cells with their headers), ingest.legacy
(.doc/.wps through LibreOffice).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.layout import PageSpan
from ingest.settings import Settings
from ingest.tables import Table, TableSpan

__all__ = ["IMAGE_SUFFIXES", "SUPPORTED_SUFFIXES", "LoadError", "LoadedDocument", "load_document"]

IMAGE_SUFFIXES: frozenset[str] = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"})
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".csv"} | IMAGE_SUFFIXES
)

#: progress(done, total) of the pages of one file that are being OCR'd
PageProgress = Callable[[int, int], None]

# Zip-bomb limits for .docx, checked on the zip's declared sizes before
# python-docx inflates anything.  Python's zipfile never returns more bytes
# than a member's declared file_size, so checking the declared sizes bounds
# what python-docx can actually decompress.
_DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_DOCX_MAX_RATIO = 100
_DOCX_RATIO_MIN_SIZE = 1024 * 1024  # tiny, highly repetitive XML parts may legitimately exceed the ratio
_DOCX_MAX_MEMBERS = 10_000
# python-docx parses the XML parts into lxml trees (several times their size in memory), so parts that
# inflate -- XML by name, or anything compressing better than 2:1 (media hardly compresses) -- get a
# much lower limit than the whole zip: 190 MB of XML fits a 30 MB file under the ratio limit, and took
# 11 s and 780 MB to "load" before this limit.  Real reports have a few MB of XML.
_DOCX_MAX_INFLATING = 64 * 1024 * 1024

# Decoded text with more than this share of control / private-use /
# replacement characters is binary data that merely happened to decode.
_MAX_GARBAGE_RATIO = 0.01


class LoadError(Exception):
    """One file could not be read.

    ``str(err)`` is a short human reason, e.g. ``'PDF is damaged or truncated: ...'``,
    suitable for a one-line ingest log entry; ``err.path`` says which file.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.reason

    def __reduce__(self) -> tuple[type[LoadError], tuple[Path, str]]:
        # Keeps the error picklable across process pools (the default
        # reduction would call __init__ with the wrong arguments).
        return (LoadError, (self.path, self.reason))


@dataclass(frozen=True)
class LoadedDocument:
    """The full text of one document plus what the format itself says about it."""

    text: str  # original script, paragraphs separated by "\n"
    title: str | None  # title from the format's own metadata; None for txt/md
    encoding: str | None  # detected byte encoding for txt/md/html, else None
    # which characters of ``text`` came from which page (PDF, multi-page TIFF, image); empty otherwise
    pages: tuple[PageSpan, ...] = ()
    # which characters of ``text`` are the rendering of a table (see ingest.tables)
    tables: tuple[TableSpan, ...] = ()
    ocr_pages: int = 0  # pages recognised by OCR in this load (cache hits included)
    ocr_cached: int = 0  # of which read from the OCR cache
    ocr_seconds: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class _Options:
    """What a loader needs beyond the bytes: the settings and the OCR progress callback."""

    settings: Settings
    progress: PageProgress | None = None


def load_document(
    path: Path,
    max_bytes: int | None = None,
    settings: Settings | None = None,
    progress: PageProgress | None = None,
) -> LoadedDocument:
    """Read ``path`` and return its text; raise :class:`LoadError` on any failure.

    The size limit (``max_bytes``, else ``settings.max_file_mb``) is checked before the file is
    read so that a huge upload cannot exhaust memory. ``progress(done, total)`` is told about
    pages as they are OCR'd.
    """
    path = Path(path)
    settings = settings or Settings()
    if max_bytes is None:
        max_bytes = int(settings.max_file_mb * 1024 * 1024)
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        shown = suffix or "(no suffix)"
        raise LoadError(path, f"unsupported file type {shown}; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    data = _read_limited(path, max_bytes)
    if not data:
        raise LoadError(path, "file is empty (0 bytes)")
    try:
        return loader(path, data, _Options(settings, progress))
    except LoadError:
        raise
    except Exception as exc:  # a library failed in a way we did not foresee
        raise LoadError(path, f"could not read {suffix[1:].upper()} file: {_short(exc)}") from exc


# --------------------------------------------------------------------------
# helpers


def _short(exc: BaseException, limit: int = 160) -> str:
    """One-line, bounded description of a library exception for LoadError reasons."""
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """Read at most ``max_bytes``; refuse larger files instead of truncating them."""
    try:
        if not path.is_file():
            raise LoadError(path, "not a regular file" if path.exists() else "file does not exist")
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(path, f"file too large: {_human_size(size)} exceeds the limit of {_human_size(max_bytes)}")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise LoadError(path, f"cannot read file: {exc.strerror or _short(exc)}") from exc
    if len(data) > max_bytes:
        raise LoadError(path, f"file too large: exceeds the limit of {_human_size(max_bytes)}")
    return data


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _finish(path: Path, text: str, what: str) -> str:
    """Normalise newlines, trim the edges, and refuse documents with no text at all."""
    text = _normalize_newlines(text).strip()
    if not text:
        raise LoadError(path, f"no text found in {what}")
    # lone surrogates (a PDF's broken ToUnicode map) cannot be encoded by OpenCC, jieba or Chroma
    return _SURROGATE_RE.sub("\ufffd", text)


# --------------------------------------------------------------------------
# byte decoding (txt, md, html)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # must precede UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Candidate codecs per Chinese family, in order of preference.  gb18030 is a
# strict superset of gb2312 and gbk, so it is always tried first; plain gbk
# (cp936) stays as a fallback only because Windows writes 0x80 for "€", which
# gb18030 rejects.  cp950 / big5hkscs extend big5 with characters that real
# Taiwanese and Hong Kong files use.
_GB_CODECS = ("gb18030", "gbk")
_BIG5_CODECS = ("big5", "cp950", "big5hkscs")
_CHINESE_CODECS = frozenset({"gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950"})

_GARBAGE_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _codec_name(name: str) -> str | None:
    """Canonical Python codec name, or None if Python does not know the encoding."""
    try:
        return codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None


def _is_utf16_or_32(codec: str | None) -> bool:
    """UTF-16/32 without a BOM are never guessed: any even-length bytes 'decode' as UTF-16."""
    return codec is not None and codec.replace("_", "-").startswith(("utf-16", "utf-32"))


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


# About 520 of the most frequent hanzi in modern Chinese (and official)
# prose, in both Simplified and Traditional forms.  Only used to break ties
# when both Chinese codecs decode a very short text into common characters.
_FREQUENT_HANZI = frozenset(
    "一七万三上下不与专世业东两並个中为主么义之九也书了争事二于五些交产京亲人什今从他代令以们件任企众会传似但位住体何作你使來"
    "例便促保信個們倒候做備傳像儿元先光兒党入內全兩八公六共关兴兵其养内再写军决况准几出分划则创別利别到制則前創劃力办功加务动"
    "助励動務勵包化北区医區十千半华协協单南即却卻历原去县又及友双反发取受变口只叫可台史司吃各合同名后向听告员呢周命和品員商問"
    "喜喫單四回因团园国國園團在地场址坏坐城域培基報場壞士声处备外多大天太夫失头奖女她好如始委子字学孩學它安完定实审室家容實審"
    "寫对导将將專對導小少就局展山工己已市师带師帶常干平年并幹幾广应府度廣建开式引弟张張強强当形影往很後得從德心必志快怎思性总"
    "息情想意愛感應成我或战戰房所手才打找技把报拿持指按据接推提據支收改放政教数數文料斯新方於施无日早时明易是時更書最會月有服"
    "望期未本术机权李材村条来東极林果标校样核根案條業極標樣機權次正此步武歷死每比毛民气氣水求江決沒没治況法活派流济海深清準满"
    "滿濟火点為無然照爭爱爲父片版物特獎王现現理甚生產用由申电界留略當登發白百的目直相省看真眼眾着知石研确確示社神离种科程種究"
    "空立站笑第等算管範系紅級組結給統經網縣總織红级组织经结给统网美義老者而联聯聲聽能脸臉自至臺與興色花若英范華萬落著處虽衆行"
    "術补表被裏補裡西要覈見規視親覺觀见观规视觉解言計記設許評話該認語說説誰請論識議讀變讓计认让议记许论设评识话该语说请读谁象"
    "財資質财质资走起越跟路身車軍輕轉车转轻辦边达过运近还这进远连這通造連進運過道達遠還邊那部都醫里重量金錢钱長长門開間關门问"
    "间队附际院隊際难雖雙離難電青非面革音項領頭題项领题風风飛飞養首香馬驅驗马驱验體高麼黃黄點黨"
)


@lru_cache(maxsize=65536)
def _char_weight(ch: str) -> float:
    """How plausible one non-ASCII character is in a Chinese government text.

    Very frequent hanzi and CJK punctuation score 1; other common hanzi
    (GB2312 level 1 or Big5 'frequently used') 0.8; less common hanzi 0.4;
    other ideographs 0.1; anything else (kana, hangul, Latin accents, box
    drawing, private use...) 0.  Decoding bytes with the wrong Chinese codec
    yields mostly rare characters, so the average weight separates the right
    codec from the wrong one.
    """
    cp = ord(ch)
    if 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF or 0x2010 <= cp <= 0x206F:
        return 1.0
    if ch in _FREQUENT_HANZI:
        return 1.0
    if not (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3FFFF):
        return 0.0
    weight = 0.1
    try:
        lead = ch.encode("gb2312")[0]
        weight = max(weight, 0.8 if 0xB0 <= lead <= 0xD7 else 0.4)
    except UnicodeEncodeError:
        pass
    try:
        code = int.from_bytes(ch.encode("big5"), "big")
        weight = max(weight, 0.8 if 0xA440 <= code <= 0xC67E else 0.4)
    except UnicodeEncodeError:
        pass
    return weight


def _utf8_reading_is_implausible(text: str) -> bool:
    """True when valid UTF-8 decodes to scripts no Chinese-corpus file uses.

    The GBK bytes of some short words (famously 联通, also 通知) happen to be
    valid UTF-8 and decode to Hebrew points, combining marks, Armenian...;
    real UTF-8 text yields Latin, Greek, Cyrillic, punctuation or CJK.
    """
    total = odd = 0
    for ch in text:
        cp = ord(ch)
        if cp < 0x80:
            continue
        total += 1
        sane = (
            0xA0 <= cp <= 0x24F or 0x370 <= cp <= 0x52F or 0x1E00 <= cp <= 0x1EFF
            or 0x2000 <= cp <= 0x2BFF or 0x2E80 <= cp <= 0xD7FF or 0xFF00 <= cp <= 0xFFEF
            or cp == 0xFEFF or cp >= 0x1F000
        )
        odd += not sane
        if total >= 20_000:
            break
    return total > 0 and odd * 2 > total


def _chinese_score(text: str, sample: int = 20_000) -> float:
    """Average plausibility of the first ``sample`` non-ASCII characters (0..1)."""
    total = 0
    score = 0.0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        score += _char_weight(ch)
        if total >= sample:
            break
    return score / total if total else 0.0


def _best_chinese(data: bytes, preferred_first: str | None) -> tuple[str, str, float] | None:
    """Strictly decode with each Chinese family and keep the most plausible result.

    Returns (text, codec, score).  Ties go to ``preferred_first`` (the family
    charset-normalizer ranked higher), else to gb18030.
    """
    results: list[tuple[float, int, str, str]] = []
    for family_rank, family in enumerate(
        sorted((_GB_CODECS, _BIG5_CODECS), key=lambda fam: 0 if preferred_first in fam else 1)
    ):
        for codec in family:
            text = _try_decode(data, codec)
            if text is not None:
                results.append((_chinese_score(text), -family_rank, codec, text))
                break  # first codec of a family that decodes strictly wins within the family
    if not results:
        return None
    score, _, codec, text = max(results, key=lambda r: (r[0], r[1]))
    return text, codec, score


def _decode_text_bytes(path: Path, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode txt/md/html bytes; return (text, encoding name) or raise LoadError.

    Order: BOM, refuse binary (NUL bytes), declared charset (HTML <meta>),
    strict UTF-8, then detection.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try_decode(data, codec)
            if text is None:
                name = codec.upper().removesuffix("-SIG")
                reason = f"undecodable bytes: file starts with a {name} byte-order mark but is not valid {name}"
                raise LoadError(path, reason)
            return _check_not_garbage(path, text.lstrip("\ufeff")), codec

    if b"\x00" in data:
        raise LoadError(path, "binary data (NUL bytes), not a text file")

    utf8_text = _try_decode(data, "utf-8")
    if declared:
        declared_codec = _codec_name(declared)
        if declared_codec in ("gb2312", "gbk"):
            declared_codec = "gb18030"  # superset; pages labelled gb2312 routinely use gbk/gb18030 characters
        elif _is_utf16_or_32(declared_codec):
            declared_codec = None  # without a BOM such a label is wrong (browsers treat it as UTF-8 too)
        elif declared_codec in ("iso8859-1", "cp1252"):
            # Misconfigured servers label GBK pages as Latin-1, which decodes
            # anything; keep the label only if the bytes are not clearly Chinese.
            chinese_reading = _best_chinese(data, "gb18030") if any(b >= 0x80 for b in data) else None
            if chinese_reading is not None and chinese_reading[2] >= 0.85:
                declared_codec = None
        # A page whose bytes are valid UTF-8 with plenty of multi-byte
        # sequences is UTF-8 whatever its (often copy-pasted) <meta> claims:
        # that pattern essentially never happens by accident in GBK or Big5.
        mislabeled_utf8 = (
            declared_codec not in (None, "utf-8")
            and utf8_text is not None
            and sum(b >= 0x80 for b in data[:65536]) >= 30
        )
        if declared_codec is not None and not mislabeled_utf8:
            candidates = _BIG5_CODECS if declared_codec in _BIG5_CODECS else (declared_codec,)
            for cand in candidates:
                text = _try_decode(data, cand)
                if text is not None:
                    return _check_not_garbage(path, text), cand
        # declared charset is unknown or wrong: fall through to detection

    if utf8_text is not None:
        if _utf8_reading_is_implausible(utf8_text):
            chinese_reading = _best_chinese(data, "gb18030")
            if chinese_reading is not None and chinese_reading[2] >= 0.85:
                return _check_not_garbage(path, chinese_reading[0]), chinese_reading[1]
        return _check_not_garbage(path, utf8_text), "utf-8"

    # Why the extra logic: charset-normalizer is unreliable on short Chinese
    # texts.  For a title-length GBK string it ranks cp949 (Korean) or even
    # UTF-16 without BOM above gb18030, and it cannot tell GBK from Big5 when
    # both decode cleanly (coherence is 0 for every candidate).  So we decode
    # strictly with both Chinese families ourselves, score each result by how
    # many of its hanzi are common characters (wrong-codec decoding yields
    # rare ones), and take the best Chinese reading unless charset-normalizer
    # is confident (it detected a language) that the text is something else.
    from charset_normalizer import from_bytes

    try:
        matches = list(from_bytes(data))
    except Exception:  # detection is best-effort; the Chinese check below still runs
        matches = []
    top = matches[0] if matches else None
    top_codec = _codec_name(top.encoding) if top is not None else None
    first_chinese = next(
        (c for c in (_codec_name(m.encoding) for m in matches) if c in _CHINESE_CODECS),
        None,
    )
    preferred = "gb18030" if first_chinese in ("gb2312", "gbk", "gb18030", "hz") else first_chinese
    chinese = _best_chinese(data, preferred)

    top_is_confident_non_chinese = (
        top is not None
        and top_codec not in _CHINESE_CODECS
        and not _is_utf16_or_32(top_codec)
        and top.coherence >= 0.2
    )
    if chinese is not None and not top_is_confident_non_chinese:
        text, codec, score = chinese
        # Accept a Chinese reading when charset-normalizer itself proposed a
        # Chinese family, or when the reading is convincingly Chinese anyway.
        if (first_chinese is not None and score >= 0.5) or score >= 0.8:
            return _check_not_garbage(path, text), codec
    if top_codec is not None and not _is_utf16_or_32(top_codec):
        text = _try_decode(data, top_codec)
        if text is not None:
            return _check_not_garbage(path, text), top_codec
    raise LoadError(path, "undecodable bytes: not UTF-8, GB18030 or Big5 text (binary file or unknown encoding?)")


def _check_not_garbage(path: Path, text: str) -> str:
    """Refuse 'text' that is really binary data which happened to decode."""
    if text:
        bad = len(_GARBAGE_RE.findall(text))
        if bad > len(text) * _MAX_GARBAGE_RATIO:
            raise LoadError(path, "undecodable bytes: looks like binary data, not text")
    return text


# --------------------------------------------------------------------------
# .txt / .md


def _load_plain(path: Path, data: bytes, opts: _Options) -> LoadedDocument:
    """Plain text and Markdown: decode and keep as is (the title comes from the first line later)."""
    text, encoding = _decode_text_bytes(path, data)
    return LoadedDocument(text=_finish(path, text, "file"), title=None, encoding=encoding)


# --------------------------------------------------------------------------
# .html / .htm

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""",
    re.IGNORECASE,
)
_XML_DECL_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Page chrome that favor_recall would otherwise let through (trafilatura keeps
# a site-wide <header> banner, for one).  A <header>/<footer> inside the
# article usually holds its title and date, so only page-level ones go.
_PRUNE_XPATHS = [
    "//nav",
    "//aside",
    "//header[not(ancestor::article or ancestor::main)]",
    "//footer[not(ancestor::article or ancestor::main)]",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo']",
]
_NOISE_TAGS = ("nav", "header", "footer", "script", "style", "aside", "noscript", "template", "iframe", "form")
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
     "h6", "table", "tr", "pre", "blockquote", "br", "hr", "center", "td", "th", "caption", "figure",
     "figcaption", "address"}
)


def _declared_html_charset(data: bytes) -> str | None:
    """Charset from <meta charset>, <meta http-equiv content=...charset=> or the XML declaration."""
    head = data[:16384]  # Chinese CMS templates put long comments before <meta>
    match = _XML_DECL_ENCODING_RE.search(head) or _META_CHARSET_RE.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _clean_ws(text: str) -> str:
    return " ".join(text.split())


def _html_title(tree: Any) -> str | None:
    """og:title, then <title>, then the first <h1> — the first non-empty one."""
    for xpath in ("//meta[@property='og:title']/@content", "//meta[@name='og:title']/@content"):
        for value in tree.xpath(xpath):
            if _clean_ws(str(value)):
                return _clean_ws(str(value))
    for elem in tree.xpath("//title") + tree.xpath("//h1"):
        title = _clean_ws(elem.text_content())
        if title:
            return title
    return None


def _html_fallback_text(tree: Any) -> str:
    """Body text without navigation/boilerplate elements, one block per line."""
    from lxml import etree

    bodies = tree.xpath("//body")
    root = bodies[0] if bodies else tree
    for tag in _NOISE_TAGS:
        for elem in root.xpath(f".//{tag}"):
            elem.drop_tree()
    parts: list[str] = []

    def walk(elem: Any) -> None:
        tag = elem.tag.lower() if isinstance(elem.tag, str) else ""
        if not isinstance(elem, etree._Comment) and not isinstance(elem, etree._ProcessingInstruction):
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if elem.text:
                parts.append(elem.text)
            for child in elem:
                walk(child)
            if tag in _BLOCK_TAGS:
                parts.append("\n")
        if elem.tail:
            parts.append(elem.tail)

    walk(root)
    lines = (_clean_ws(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _load_html(path: Path, data: bytes, opts: _Options) -> LoadedDocument:
    """HTML: main article text via trafilatura (lxml body text as fallback) and the page title."""
    import lxml.html
    import trafilatura

    text, encoding = _decode_text_bytes(path, data, declared=_declared_html_charset(data))
    markup = _XML_DECL_RE.sub("", text, count=1)  # lxml refuses str input that carries an encoding declaration
    try:
        tree = lxml.html.document_fromstring(markup)
    except Exception as exc:
        raise LoadError(path, f"HTML could not be parsed: {_short(exc)}") from exc
    title = _html_title(tree)
    main: str | None
    try:
        main = trafilatura.extract(
            markup,
            favor_recall=True,
            include_tables=True,
            include_comments=False,
            output_format="txt",
            prune_xpath=_PRUNE_XPATHS,
        )
    except Exception:  # trafilatura gives up on odd markup; the lxml fallback still works
        main = None
    if not main or not main.strip():
        main = _html_fallback_text(tree)
    return LoadedDocument(text=_finish(path, main, "HTML page"), title=title, encoding=encoding)


# --------------------------------------------------------------------------
# .pdf


def _ocr_function(opts: _Options) -> Callable[[Any], Any] | None:
    """``ocr(image) -> OcrPage`` with the settings' limits and cache, or None when OCR is off."""
    settings = opts.settings
    if not settings.ocr_enabled:
        return None
    from ingest.ocr import ocr_image

    cache = settings.ocr_cache_dir or (settings.index_dir / "ocr-cache")

    def run(image: Any) -> Any:
        return ocr_image(image, max_side=settings.ocr_max_side, seal=settings.ocr_remove_seal, cache_dir=cache)

    return run


def _check_pdf_streams(path: Path, reader: Any, max_total: int = 256 * 1024 * 1024) -> None:
    """Decode each page's content stream with pypdf's limits; refuse the file past them or ``max_total``."""
    from pypdf.errors import LimitReachedError

    total = 0
    try:
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                total += len(contents.get_data())
                if total > max_total:
                    raise LoadError(path, f"PDF content inflates past {max_total // (1024 * 1024)} MB (a decompression bomb?)")
    except LimitReachedError as exc:
        raise LoadError(path, f"PDF content inflates past pypdf's limits (a decompression bomb?): {_short(exc)}") from exc


def _load_pdf(path: Path, data: bytes, opts: _Options) -> LoadedDocument:
    """PDF page by page: text layer (pdfplumber, tables kept with headers) or OCR for scanned pages.

    Damaged, truncated and encrypted PDFs are refused by pypdf's checks first; a PDF of more than
    ``pdf_max_pages`` pages is refused before any page is parsed.
    """
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    from ingest.ocr import OcrUnavailable

    settings = opts.settings
    if b"%PDF-" not in data[:1024]:
        raise LoadError(path, "not a PDF file (no %PDF header)")
    # pypdf in lenient mode can rebuild a cut-off file and return the first
    # pages' text as if complete; a download cut short has no %%EOF at the end,
    # so refuse it rather than silently index half a document.
    if b"%%EOF" not in data.rstrip(b"\x00\r\n\t\f ")[-4096:]:
        raise LoadError(path, "PDF is damaged or truncated: no %%EOF marker at the end")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Many official PDFs carry only an owner password (printing/copy
            # restrictions) and open with an empty user password.
            try:
                decrypted = reader.decrypt("")
            except DependencyError as exc:
                raise LoadError(path, "PDF is encrypted with AES; install 'cryptography' to read it") from exc
            if not decrypted:
                raise LoadError(path, "PDF is encrypted (password required)")
        n_pages = len(reader.pages)
        if n_pages > settings.pdf_max_pages:
            raise LoadError(
                path, f"PDF has {n_pages} pages, more than the limit of {settings.pdf_max_pages} (POLICYQA_PDF_MAX_PAGES)"
            )
        # decompression bombs: pypdf decodes every page's content under its own output limits
        # (LimitReachedError); pdfplumber (pdfminer) and pypdfium2 would inflate them whole
        _check_pdf_streams(path, reader)
        fallback_pages: list[str] | None = None
        try:
            from ingest.pdf import read_pdf

            read = read_pdf(
                data,
                ocr=_ocr_function(opts),
                min_chars=settings.ocr_min_text_chars,
                max_garbage=settings.ocr_max_garbage_ratio,
                dpi=settings.ocr_dpi,
                max_ocr_pages=settings.ocr_max_pages,
                progress=opts.progress,
                max_side=settings.ocr_max_side,
            )
        except OcrUnavailable as exc:
            raise LoadError(path, str(exc)) from exc
        except ValueError as exc:
            if "need OCR" in str(exc):
                raise LoadError(path, f"PDF refused: {exc}") from exc
            read = None
        except Exception:  # pdfminer gave up on this file: pypdf's plain text is better than nothing
            read = None
        if read is None:
            fallback_pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except FileNotDecryptedError as exc:
        raise LoadError(path, "PDF is encrypted (password required)") from exc
    except DependencyError as exc:
        raise LoadError(path, f"PDF needs an optional dependency: {_short(exc)}") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError, OverflowError, ZeroDivisionError, UnicodeError, OSError) as exc:
        raise LoadError(path, f"PDF is damaged or truncated: {_short(exc)}") from exc
    title: str | None = None
    try:
        meta = reader.metadata
        raw_title = meta.title if meta is not None else None
        if raw_title:
            title = _clean_ws(str(raw_title)) or None
    except Exception:  # a broken Info dictionary should not cost us the text
        title = None
    if read is None:
        assert fallback_pages is not None
        if not any(page.strip() for page in fallback_pages):
            raise LoadError(path, "no text layer (scanned PDF?)")
        return LoadedDocument(text=_finish(path, "\n".join(fallback_pages), "PDF"), title=title, encoding=None)
    if not read.text.strip():
        if not settings.ocr_enabled:
            raise LoadError(path, "no text layer (scanned PDF?) and OCR is switched off (POLICYQA_OCR_ENABLED)")
        raise LoadError(path, "no text layer (scanned PDF?) and OCR found no text on its pages")
    return LoadedDocument(
        text=_finish_keeping_offsets(path, read.text, "PDF"),
        title=title,
        encoding=None,
        pages=tuple(read.pages),
        tables=tuple(read.tables),
        ocr_pages=read.ocr_pages,
        ocr_seconds=read.ocr_seconds,
        ocr_cached=read.ocr_cached,
    )


def _finish_keeping_offsets(path: Path, text: str, what: str) -> str:
    """Like :func:`_finish` for text whose offsets are recorded (pages, tables): same length."""
    text = _normalize_newlines(text)
    if text != text.lstrip() or not text.strip():
        raise LoadError(path, f"no text found in {what}")
    return _SURROGATE_RE.sub("\ufffd", text)


# --------------------------------------------------------------------------
# images (.png .jpg .jpeg .tif .tiff .bmp): OCR, one page per frame


def _load_image(path: Path, data: bytes, opts: _Options) -> LoadedDocument:
    """A photographed or scanned notice: every frame OCR'd, within Pillow's pixel limit."""
    import warnings

    from PIL import Image, ImageSequence, UnidentifiedImageError

    settings = opts.settings
    if not settings.ocr_enabled:
        raise LoadError(path, "image files need OCR, which is switched off (POLICYQA_OCR_ENABLED)")
    ocr = _ocr_function(opts)
    assert ocr is not None
    Image.MAX_IMAGE_PIXELS = settings.ocr_max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            w, h = image.size
            if w * h > settings.ocr_max_pixels:
                raise LoadError(
                    path, f"image of {w}×{h} pixels exceeds the limit of {settings.ocr_max_pixels} (possible decompression bomb)"
                )
            frames = getattr(image, "n_frames", 1)
            if frames > settings.ocr_max_pages:
                raise LoadError(path, f"image has {frames} pages, more than the limit of {settings.ocr_max_pages}")
            results = []
            import time

            started = time.perf_counter()
            for n, frame in enumerate(ImageSequence.Iterator(image)):
                if opts.progress:
                    opts.progress(n, frames)
                fw, fh = frame.size
                if fw * fh > settings.ocr_max_pixels:
                    raise LoadError(path, f"page {n + 1} of {fw}×{fh} pixels exceeds the limit of {settings.ocr_max_pixels}")
                results.append(ocr(frame.copy()))
            if opts.progress:
                opts.progress(frames, frames)
            seconds = time.perf_counter() - started
    except LoadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise LoadError(path, f"image refused (possible decompression bomb): {_short(exc)}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise LoadError(path, f"not a readable image: {_short(exc)}") from exc
    from ingest.layout import join_pages

    text, spans = join_pages([(r.paragraphs, True, r.confidence) for r in results])
    if not text.strip():
        raise LoadError(path, "no text found in image (OCR read nothing)")
    return LoadedDocument(
        text=_finish_keeping_offsets(path, text, "image"), title=None, encoding=None, pages=tuple(spans),
        ocr_pages=len(results), ocr_seconds=seconds, ocr_cached=sum(r.cached for r in results),
    )


# --------------------------------------------------------------------------
# spreadsheets (.xlsx .xls) and .csv: every sheet a table, every cell with its headers


def _tables_document(path: Path, tables: list[Table], what: str) -> LoadedDocument:
    from ingest.tables import render

    parts: list[str] = []
    spans: list[TableSpan] = []
    pos = 0
    for table in tables:
        rendered = render(table).strip()
        if not rendered:
            continue
        if parts:
            pos += 1  # the "\n" between tables
        spans.append(TableSpan(pos, pos + len(rendered), table))
        parts.append(rendered)
        pos += len(rendered)
    text = "\n".join(parts)
    if not text.strip():
        raise LoadError(path, f"no text found in {what}")
    return LoadedDocument(text=_finish_keeping_offsets(path, text, what), title=None, encoding=None, tables=tuple(spans))


def _load_csv(path: Path, data: bytes, opts: _Options) -> LoadedDocument:
    from ingest.tables import read_csv

    text, encoding = _decode_text_bytes(path, data)
    try:
        tables = read_csv(_normalize_newlines(text), path.stem, opts.settings.table_max_cells)
    except (ValueError, csv.Error) as exc:
        raise LoadError(path, f"CSV refused or damaged: {_short(exc)}") from exc
    doc = _tables_document(path, tables, "CSV file")
    return LoadedDocument(text=doc.text, title=None, encoding=encoding, tables=doc.tables)


def _load_xlsx(path: Path, data: bytes, opts: _Options) -> LoadedDocument:
    from ingest.tables import read_xlsx

    _check_docx_zip(path, data, kind=".xlsx")
    try:
        tables = read_xlsx(data, opts.settings.table_max_cells)
    except ValueError as exc:
        raise LoadError(path, f"spreadsheet refused or damaged: {_short(exc)}") from exc
    except (KeyError, zipfile.BadZipFile, OSError, TypeError, AttributeError, IndexError) as exc:
        raise LoadError(path, f"damaged .xlsx: {_short(exc)}") from exc
    return _tables_document(path, tables, ".xlsx")


def _load_xls(path: Path, data: bytes, opts: _Options) -> LoadedDocument:
    from ingest.tables import read_xls

    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadError(path, "not a valid .xls (not an OLE2 compound file)")
    try:
        tables = read_xls(data, opts.settings.table_max_cells)
    except ValueError as exc:
        raise LoadError(path, f"spreadsheet refused or damaged: {_short(exc)}") from exc
    except Exception as exc:  # xlrd.XLRDError and friends
        raise LoadError(path, f"damaged .xls: {_short(exc)}") from exc
    return _tables_document(path, tables, ".xls")


# --------------------------------------------------------------------------
# .doc / .wps: LibreOffice headless converts them to .docx


def _load_legacy_word(path: Path, data: bytes, opts: _Options) -> LoadedDocument:
    from ingest.legacy import ConversionError, convert_to_docx

    # Word 97-2003 and WPS files are OLE2 compound files; RTF and .docx saved under a .doc name are
    # common too. Anything else is refused without starting LibreOffice.
    if not data.startswith((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf", b"PK\x03\x04")):
        raise LoadError(path, f"not a valid {path.suffix.lower()} (not a Word 97-2003, WPS or RTF document)")
    try:
        docx_bytes = convert_to_docx(data, path.suffix.lower(), opts.settings.soffice_timeout)
    except ConversionError as exc:
        raise LoadError(path, str(exc)) from exc
    return _load_docx(path, docx_bytes, opts)


# --------------------------------------------------------------------------
# .docx


def _check_docx_zip(path: Path, data: bytes, kind: str = ".docx") -> None:
    """Refuse non-zips and zip bombs using the declared sizes, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise LoadError(path, f"not a valid {kind} (not a zip archive or damaged zip): {_short(exc)}") from exc
    if len(infos) > _DOCX_MAX_MEMBERS:
        raise LoadError(path, f"refusing {kind}: zip has {len(infos)} members (possible zip bomb)")
    total = sum(info.file_size for info in infos)
    if total > _DOCX_MAX_UNCOMPRESSED:
        raise LoadError(
            path,
            f"refusing {kind}: would uncompress to {_human_size(total)} "
            f"(> {_human_size(_DOCX_MAX_UNCOMPRESSED)}, possible zip bomb)",
        )
    inflating = sum(
        info.file_size
        for info in infos
        if info.filename.lower().endswith((".xml", ".rels")) or info.file_size > 2 * max(info.compress_size, 1)
    )
    if inflating > _DOCX_MAX_INFLATING:
        raise LoadError(
            path,
            f"refusing {kind}: its XML parts would uncompress to {_human_size(inflating)} "
            f"(> {_human_size(_DOCX_MAX_INFLATING)}, possible zip bomb)",
        )
    for info in infos:
        if info.file_size >= _DOCX_RATIO_MIN_SIZE and info.file_size > _DOCX_MAX_RATIO * max(info.compress_size, 1):
            raise LoadError(
                path,
                f"refusing {kind}: member {info.filename!r} has compression ratio "
                f"{info.file_size // max(info.compress_size, 1)}:1 (possible zip bomb)",
            )


def _docx_blocks(document: Any) -> Iterator[str | Table]:
    """Paragraph texts and tables (as :class:`ingest.tables.Table`) in document order.

    python-docx repeats a merged cell in every grid column (and row) it spans, which is exactly
    the expansion of merged headers that :func:`ingest.tables.grid_from_rows` expects.
    """
    from docx.table import Table as DocxTable

    from ingest.tables import grid_from_rows

    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            rows = [[cell.text for cell in row.cells] for row in block.rows]
            table = grid_from_rows(rows)
            if table is not None:
                yield table
        else:
            yield block.text


def _assemble(blocks: Iterator[str | Table]) -> tuple[str, list[TableSpan]]:
    """Text of paragraphs and rendered tables, one per line, with the span of each table.

    A short paragraph right before a table (its title) becomes the table's caption."""
    from ingest.tables import render

    parts: list[str] = []
    spans: list[TableSpan] = []
    pos = 0
    for block in blocks:
        piece = render(block) if isinstance(block, Table) else _normalize_newlines(block)
        piece = piece.strip()
        if not piece:
            continue
        if parts:
            pos += 1
        if isinstance(block, Table):
            spans.append(TableSpan(pos, pos + len(piece), block))
        parts.append(piece)
        pos += len(piece)
    return "\n".join(parts), spans


def _load_docx(path: Path, data: bytes, opts: _Options | None = None) -> LoadedDocument:
    """Word .docx via python-docx: body paragraphs and tables in order, title from core properties."""
    _check_docx_zip(path, data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        text, spans = _assemble(_docx_blocks(document))
    except (PackageNotFoundError, KeyError) as exc:
        # KeyError: python-docx looked for a required part ([Content_Types].xml,
        # word/document.xml...) that the zip does not have.
        raise LoadError(path, "not a valid .docx (no Word document inside the zip)") from exc
    except ValueError as exc:
        if "not a Word file" in str(exc):
            raise LoadError(path, "not a valid .docx (the zip holds another kind of document)") from exc
        raise LoadError(path, f"damaged .docx: {_short(exc)}") from exc
    except Exception as exc:  # lxml syntax errors, missing parts, bad zip members...
        raise LoadError(path, f"damaged .docx: {_short(exc)}") from exc
    title: str | None = None
    try:
        title = _clean_ws(document.core_properties.title or "") or None
    except Exception:  # broken docProps/core.xml should not cost us the text
        title = None
    return LoadedDocument(text=_finish_keeping_offsets(path, text, ".docx") if text.strip() else _finish(path, text, ".docx"),
                          title=title, encoding=None, tables=tuple(spans))


_LOADERS: dict[str, Callable[[Path, bytes, _Options], LoadedDocument]] = {
    ".txt": _load_plain,
    ".md": _load_plain,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
    ".doc": _load_legacy_word,
    ".wps": _load_legacy_word,
    ".xlsx": _load_xlsx,
    ".xls": _load_xls,
    ".csv": _load_csv,
    **{suffix: _load_image for suffix in IMAGE_SUFFIXES},
}
assert frozenset(_LOADERS) == SUPPORTED_SUFFIXES
