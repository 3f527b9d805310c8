"""The keyword side of retrieval: bm25s over jieba tokens of the Simplified search text.

jieba's search mode emits both words and their sub-words (技术合同 → 技术, 合同, 技术合同), so a
question that says 技术合同 and one that says 合同 both match. Tokens are cached per chunk id beside the
index, so a re-ingest only tokenises the chunks that are new.
"""

from __future__ import annotations

import json
import math
import logging
import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

log = logging.getLogger(__name__)

_KEEP = re.compile(r"[\w\u3400-\u9fff]")
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 有 为 对 等 将 也 并 就 都 而 之 其 这 那 个 年 月 日 中 上 下 "
    "多少 几 哪些 哪个 什么 怎么 如何 是否 吗 呢 吧 请问 请 一下 我们 我 你 他们 今年 "
    "what which how many much is are was were the a an of in on for to and did does do".split()
)
_EMPTY = "\u0000"  # the one token of a chunk with none (bm25s cannot index an empty document)


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def word_frequency(text: str) -> int:
    """How often jieba's dictionary counts ``text`` as a word (0 when it does not list it)."""
    jieba = _jieba()
    jieba.initialize()
    return int(jieba.get_FREQ(text) or 0)


def tokenize(search_text: str) -> list[str]:
    """Tokens of text already in search form (NFKC, Simplified, lower case)."""
    return [t for t in _jieba().lcut_for_search(search_text) if _KEEP.search(t) and t not in STOPWORDS]


class KeywordIndex:
    """A bm25s index plus the chunk id of every row; the per-chunk token cache is read only when needed.

    Answering needs the bm25 matrix, the vocabulary and document frequencies, and all three come from
    bm25s's own arrays (vocab_dict, and the CSC column lengths = chunks per token). The token cache is
    for the next ingest only: loading it in every UI worker cost seconds and ~1 GB at 100k chunks.
    """

    def __init__(
        self, ids: list[str], tokens: dict[str, list[str]] | None, bm25: object | None, folder: Path | None = None
    ) -> None:
        self.ids = ids
        self._tokens = tokens
        self._bm25 = bm25
        self._folder = folder
        self._vocab: frozenset[str] | None = None
        self._df: np.ndarray | None = None

    @property
    def tokens(self) -> dict[str, list[str]]:
        """chunk id → tokens (the re-ingest cache), read from disk on first use."""
        if self._tokens is None:
            tokens: dict[str, list[str]] = {}
            if self._folder is not None and (self._folder / "tokens.jsonl").exists():
                with open(self._folder / "tokens.jsonl", encoding="utf-8") as fh:
                    for line in fh:
                        cid, toks = json.loads(line)
                        tokens[cid] = toks
            self._tokens = tokens
        return self._tokens

    @property
    def _vocab_ids(self) -> dict[str, int]:
        return getattr(self._bm25, "vocab_dict", None) or {}

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every token of the corpus: a question term outside it is a term the documents never use."""
        if self._vocab is None:
            self._vocab = frozenset(t for t in self._vocab_ids if t and t != _EMPTY)
        return self._vocab

    def idf(self, term: str) -> float:
        """Inverse document frequency over chunks of a term."""
        if self._df is None:
            scores = getattr(self._bm25, "scores", None)
            self._df = np.diff(np.asarray(scores["indptr"])) if scores else np.zeros(0, dtype=np.int64)
        col = self._vocab_ids.get(term)
        df = int(self._df[col]) if col is not None and col < len(self._df) else 0
        n = max(len(self.ids), 1)
        return math.log(1 + n / (1 + df))

    @classmethod
    def build(cls, ids: Sequence[str], tokens: dict[str, list[str]]) -> "KeywordIndex":
        import bm25s

        ids = list(ids)
        bm25 = None
        if ids:
            bm25 = bm25s.BM25()
            bm25.index([tokens[i] or [_EMPTY] for i in ids], show_progress=False)
        return cls(ids, {i: tokens[i] for i in ids}, bm25)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(folder / "bm25"), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        with open(folder / "tokens.jsonl", "w", encoding="utf-8") as fh:
            for i in self.ids:
                fh.write(json.dumps([i, self.tokens[i]], ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, folder: Path) -> "KeywordIndex":
        """The matrix is memory-mapped: workers share the page cache instead of each holding a copy."""
        import bm25s

        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False) if ids else None
        return cls(ids, None, bm25, folder)

    def search(self, query_tokens: Iterable[str], k: int) -> list[tuple[str, float]]:
        """(chunk id, bm25 score) best first; chunks sharing no token with the query are left out."""
        q = [t for t in query_tokens if t]
        if self._bm25 is None or not q:
            return []
        vocab = getattr(self._bm25, "vocab_dict", {}) or {}
        q = [t for t in q if t in vocab]
        if not q:
            return []
        k = min(k, len(self.ids))
        docs, scores = self._bm25.retrieve([q], k=k, show_progress=False)
        out = [(self.ids[int(d)], float(s)) for d, s in zip(np.ravel(docs), np.ravel(scores)) if s > 0]
        return out
