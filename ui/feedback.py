"""Thumbs up/down and comments on answers, in a local SQLite file (``settings.feedback_db``).

Each row keeps the question, the answer and its citations as they were shown, so a reviewer can
judge the feedback without re-running anything. Comments are stored as given (text) and must be
escaped wherever they are displayed; the CSV export neutralises spreadsheet formulas.

>>> import tempfile, pathlib
>>> store = FeedbackStore(pathlib.Path(tempfile.mkdtemp()) / "fb.sqlite3")
>>> fid = store.add("q?", "a [1]", [{"n": 1, "title": "t"}], "down", "wrong year")
>>> store.get(fid)["comment"]
'wrong year'
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

COLUMNS = ("id", "created_at", "session", "rating", "comment", "question", "answer", "citations", "mode", "model", "refused")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    rating TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    citations TEXT NOT NULL DEFAULT '[]',
    mode TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    refused INTEGER NOT NULL DEFAULT 0
)
"""

RATINGS = ("up", "down", "comment")
MAX_COMMENT = 4000


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _clean(text: Any, limit: int = 100_000) -> str:
    s = "" if text is None else str(text)
    s = "".join(ch for ch in s if ch in "\n\t" or ch >= " ")  # no control characters
    return s[:limit]


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @, tab, CR start one)."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


class FeedbackStore:
    """One SQLite file; a connection per call, so it is safe from Gradio's worker threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        return db

    def add(
        self,
        question: str,
        answer: str,
        citations: Sequence[dict[str, Any]] | str,
        rating: str,
        comment: str = "",
        *,
        session: str = "",
        mode: str = "",
        model: str | None = None,
        refused: bool = False,
    ) -> int:
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        cites = citations if isinstance(citations, str) else json.dumps(list(citations), ensure_ascii=False)
        row = (
            _now(), _clean(session, 200), rating, _clean(comment, MAX_COMMENT), _clean(question), _clean(answer),
            cites, _clean(mode, 50), _clean(model or "", 200), int(bool(refused)),
        )
        with self._lock, self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (created_at, session, rating, comment, question, answer, citations, mode, model, refused)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cur.lastrowid or 0)

    def set_comment(self, feedback_id: int, comment: str, session: str | None = None) -> bool:
        """Attach a comment to an earlier row (of the same session, when one is given)."""
        sql, args = "UPDATE feedback SET comment = ? WHERE id = ?", [_clean(comment, MAX_COMMENT), int(feedback_id)]
        if session is not None:
            sql += " AND session = ?"
            args.append(session)
        with self._lock, self._connect() as db:
            return db.execute(sql, args).rowcount == 1

    def get(self, feedback_id: int) -> dict[str, Any] | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM feedback WHERE id = ?", (int(feedback_id),)).fetchone()
        return dict(row) if row else None

    def rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Newest first."""
        sql = "SELECT * FROM feedback ORDER BY id DESC"
        with self._connect() as db:
            if limit:
                return [dict(r) for r in db.execute(sql + " LIMIT ?", (int(limit),))]
            return [dict(r) for r in db.execute(sql)]

    def count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def export_csv(self, path: Path | str) -> Path:
        """All rows, oldest first, UTF-8 with BOM (opens correctly in Excel/WPS)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            rows = [dict(r) for r in db.execute("SELECT * FROM feedback ORDER BY id")]
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(COLUMNS)
            for r in rows:
                out.writerow([csv_safe(r.get(c, "")) for c in COLUMNS])
        return path
