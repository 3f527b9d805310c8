"""Sanity check of the held-out set (plain Python; OpenCC only if installed).

Checks that every row parses, has the required keys, that an answerable row's `support` is an exact
substring of its document and that every `expect` group has an alternative occurring in it, both in
the project's search form (NFKC, Traditional->Simplified, lower case). Without the `opencc` package
the Traditional-script report cannot be compared and the check says so instead of passing silently.

Run: python3 tests/eval/heldout/check.py   (or /work/main/.venv/bin/python ... to get OpenCC)
"""
from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEARCH_DIRS = [ROOT / "corpus", ROOT / "tests" / "eval" / "fixtures", HERE / "fixtures"]
KEYS = {"id", "q", "expect", "doc", "support", "answerable", "lang", "kind"}

try:
    import opencc

    _t2s = opencc.OpenCC("t2s").convert
except ImportError:  # pragma: no cover - depends on the interpreter used
    _t2s = None


def search_form(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if _t2s is not None:
        text = _t2s(text)
    return text.lower()


def find_doc(name: str) -> Path | None:
    return next((d / name for d in SEARCH_DIRS if (d / name).exists()), None)


def main() -> int:
    errors: list[str] = []
    rows = []
    for n, line in enumerate((HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: {exc}")
    ids = Counter(r["id"] for r in rows)
    errors += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    for r in rows:
        missing = KEYS - r.keys()
        if missing:
            errors.append(f"{r.get('id')}: missing {sorted(missing)}")
            continue
        if not r["answerable"]:
            if r["expect"] or r["doc"] or r["support"]:
                errors.append(f"{r['id']}: unanswerable row with expect/doc/support")
            continue
        path = find_doc(r["doc"])
        if path is None:
            errors.append(f"{r['id']}: doc not found: {r['doc']}")
            continue
        doc = search_form(path.read_text(encoding="utf-8"))
        if not 6 <= len(r["support"]) <= 30:
            errors.append(f"{r['id']}: support length {len(r['support'])}")
        if search_form(r["support"]) not in doc:
            errors.append(f"{r['id']}: support not in doc: {r['support']}")
        if not r["expect"] or not all(r["expect"]):
            errors.append(f"{r['id']}: empty expect group")
        for group in r["expect"]:
            if not any(search_form(alt) in doc for alt in group):
                errors.append(f"{r['id']}: no alternative of {group} in doc")
    by = lambda key: dict(sorted(Counter(str(r.get(key)) for r in rows).items()))
    print(f"rows {len(rows)}  answerable {by('answerable')}")
    print(f"lang {by('lang')}")
    print(f"kind {by('kind')}")
    print(f"policy rows {sum(1 for r in rows if (r.get('doc') or '').startswith('policies/'))}"
          f"  follow-ups {sum(1 for r in rows if r.get('history'))}")
    if _t2s is None:
        errors.append("opencc not installed: Traditional documents not compared (run with the project venv)")
    for e in errors:
        print("FAIL", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
