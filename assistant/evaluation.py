"""`policyqa eval`: retrieval and answer quality on a JSONL question set.

Row format: ``{"id","q","expect":[[alternatives...],...],"doc","support","answerable"}``.
An answer is right when, for every group in ``expect``, one alternative occurs in it (both sides in
search form: NFKC + Simplified). A retrieval hit@k is a chunk of ``doc`` containing ``support`` in
the top k. Refusal is scored both ways: ``refusal_accuracy`` (refused exactly when unanswerable, over
all rows), ``unanswerable_refused`` (share of unanswerable rows refused) and ``false_refusal_rate``
(share of answerable rows refused). ``article_accuracy`` scores the cited article (see
:func:`article_correct`). ``details`` keeps one record per row (not in ``to_json``: the
development-set bench writes them to a JSONL of their own for failure analysis).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from assistant.api import Answer, Assistant
from assistant.guard import unsupported_figures
from ingest.normalize import search_form
from ingest.articles import article_key


@dataclass
class EvalRow:
    id: str
    q: str
    expect: list[list[str]]
    doc: str | None
    support: str | None
    answerable: bool
    extra: dict[str, Any] = field(default_factory=dict)


def read_rows(path: Path) -> list[EvalRow]:
    rows: list[EvalRow] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            rows.append(
                EvalRow(
                    id=str(d.get("id", n)),
                    q=d["q"],
                    expect=d.get("expect") or [],
                    doc=d.get("doc"),
                    support=d.get("support"),
                    answerable=bool(d.get("answerable", True)),
                    extra={k: v for k, v in d.items() if k not in {"id", "q", "expect", "doc", "support", "answerable"}},
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # AttributeError: a line that is not an object
            raise ValueError(f"{path}:{n}: not an evaluation row ({exc})") from None
    return rows


def hit_rank(row: EvalRow, answer: Answer) -> int | None:
    """1-based rank of the first retrieved chunk of ``row.doc`` containing ``row.support``."""
    if not row.doc or not row.support:
        return None
    support = search_form(row.support)
    for rank, c in enumerate(answer.retrieved, 1):
        if (c.doc_id == row.doc or c.doc_id.endswith("/" + row.doc)) and support in search_form(c.text):
            return rank
    return None


def answer_correct(row: EvalRow, answer: Answer) -> bool:
    if answer.refused:
        return False
    text = search_form(answer.answer)
    return all(any(search_form(alt) in text for alt in group) for group in row.expect)


def _same_doc(doc_id: str, want: str | None) -> bool:
    return want is None or doc_id == want or doc_id.endswith("/" + want)


def article_scored(row: EvalRow, answer: Answer) -> bool:
    """Whether the row counts for article accuracy: answerable, naming an expected article, answered."""
    return row.answerable and article_key(row.extra.get("article")) is not None and not answer.refused


def article_correct(row: EvalRow, answer: Answer) -> bool:
    """The rule: the answer's FIRST citation is the passage its text leads with (the extractive answer
    quotes citation [1] first; an LLM answer is asked to cite in order), so it must be of the row's
    ``doc`` (when the row names one) and carry the row's ``article``, both spellings normalised by
    :func:`article_key`. The document is checked too because every law has a 第十条: the right number
    in another text is the wrong article. No citation at all is wrong."""
    want = article_key(row.extra.get("article"))
    if want is None or not answer.citations:
        return False
    first = answer.citations[0]
    return _same_doc(first.doc_id, row.doc) and article_key(first.article) == want


@dataclass
class EvalResult:
    n: int
    answerable: int
    hit_at: dict[int, float]
    mrr10: float
    answer_accuracy: float
    refusal_accuracy: float
    unsupported: int
    failures: list[dict[str, Any]]
    by_lang: dict[str, dict[str, float]]
    unanswerable: int = 0
    unanswerable_refused: float = 0.0
    false_refusal_rate: float = 0.0
    answered: int = 0
    latency_ms: dict[str, float] = field(default_factory=dict)
    article_scored: int = 0  # answered answerable rows naming an expected article
    article_accuracy: float = 0.0  # of those, the share whose first citation is that article
    details: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "answerable": self.answerable,
            **{f"hit@{k}": round(v, 4) for k, v in self.hit_at.items()},
            "mrr@10": round(self.mrr10, 4),
            "answer_accuracy": round(self.answer_accuracy, 4),
            "refusal_accuracy": round(self.refusal_accuracy, 4),
            "unsupported_figures": self.unsupported,
            "unanswerable": self.unanswerable,
            "unanswerable_refused": round(self.unanswerable_refused, 4),
            "false_refusal_rate": round(self.false_refusal_rate, 4),
            "answered": self.answered,
            "article_scored": self.article_scored,
            "article_accuracy": round(self.article_accuracy, 4) if self.article_scored else None,  # no row names an article
            "latency_ms": self.latency_ms,
            "by_lang": self.by_lang,
            "failures": self.failures,
        }


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[k]


def evaluate(assistant: Assistant, rows: list[EvalRow], on_row: Callable[[int, int], None] | None = None) -> EvalResult:
    ranks: list[int | None] = []
    details: list[dict[str, Any]] = []
    latencies: list[float] = []
    correct: list[bool] = []
    refusal_ok: list[bool] = []
    unsupported = 0
    failures: list[dict[str, Any]] = []
    per_lang: dict[str, list[tuple[bool, bool]]] = {}
    article_ok: list[bool] = []
    for i, row in enumerate(rows):
        if on_row:
            on_row(i, len(rows))
        t0 = time.perf_counter()
        ans = assistant.ask(row.q, history=row.extra.get("history"))
        latencies.append((time.perf_counter() - t0) * 1000)
        flagged = unsupported_figures(ans.answer, [f"{c.text} {c.title} {c.date}" for c in ans.citations]) if not ans.refused else []
        unsupported += bool(flagged)
        ok_refusal = ans.refused == (not row.answerable)
        refusal_ok.append(ok_refusal)
        rank = hit_rank(row, ans) if row.answerable else None
        right = answer_correct(row, ans) if row.answerable else ans.refused
        if row.answerable:
            ranks.append(rank)
            correct.append(right)
        per_lang.setdefault(str(row.extra.get("lang", "?")), []).append((right, ok_refusal))
        scored = article_scored(row, ans)
        article_right = article_correct(row, ans) if scored else None
        if scored:
            article_ok.append(bool(article_right))
        details.append(
            {
                "id": row.id,
                "q": row.q,
                "gold": [alt for group in row.expect for alt in group],
                "answerable": row.answerable,
                "refused": ans.refused,
                "answer": ans.answer[:200],
                "hit_rank": rank,
                "correct": right,
                "flagged": flagged,
                "cited": [c.doc_id for c in ans.citations],
                "article": row.extra.get("article"),
                "cited_article": ans.citations[0].article if ans.citations else None,
                "article_correct": article_right,
                "ms": round(latencies[-1], 1),
            }
        )
        if not right or not ok_refusal or flagged or article_right is False or (row.answerable and (rank is None or rank > 3)):
            failures.append(
                {
                    "id": row.id,
                    "q": row.q,
                    "answerable": row.answerable,
                    "refused": ans.refused,
                    "hit_rank": rank,
                    "expect": row.expect,
                    "answer": ans.answer[:300],
                    "flagged": flagged,
                    "article": row.extra.get("article"),
                    "cited_article": ans.citations[0].article if ans.citations else None,
                }
            )
    n_ans = max(len(ranks), 1)
    hit_at = {k: sum(1 for r in ranks if r is not None and r <= k) / n_ans for k in (1, 3, 5)}
    mrr = sum(1 / r for r in ranks if r is not None and r <= 10) / n_ans
    by_lang = {
        lang: {"n": len(v), "correct": round(sum(a for a, _ in v) / len(v), 4), "refusal_ok": round(sum(b for _, b in v) / len(v), 4)}
        for lang, v in sorted(per_lang.items())
    }
    unans = [d for d in details if not d["answerable"]]
    answerable_rows = [d for d in details if d["answerable"]]
    return EvalResult(
        unanswerable=len(unans),
        unanswerable_refused=sum(d["refused"] for d in unans) / max(len(unans), 1),
        false_refusal_rate=sum(d["refused"] for d in answerable_rows) / max(len(answerable_rows), 1),
        answered=sum(not d["refused"] for d in details),
        latency_ms={"p50": round(percentile(latencies, 50), 1), "p95": round(percentile(latencies, 95), 1)},
        details=details,
        article_scored=len(article_ok),
        article_accuracy=sum(article_ok) / max(len(article_ok), 1),
        n=len(rows),
        answerable=len(ranks),
        hit_at=hit_at,
        mrr10=mrr,
        answer_accuracy=sum(correct) / max(len(correct), 1),
        refusal_accuracy=sum(refusal_ok) / max(len(refusal_ok), 1),
        unsupported=unsupported,
        failures=failures,
        by_lang=by_lang,
    )
