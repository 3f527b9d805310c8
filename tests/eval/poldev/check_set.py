"""Plain-python3 consistency check of the poldev development question set (adapted from tests/eval/policies/check_set.py).

Run from anywhere: python3 tests/eval/poldev/check_set.py  (exit 1 and a list of problems on failure).
Checks: the row checks both sets share (tests/eval/check_common.py: rows parse, ids unique, supports, expect
groups and articles agree with the docs); on top, no expect alternative occurs in its question, and the counts
the poldev brief requires (>=100 rows, >=25 unanswerable, >=20 en, >=12 zh-Hant, all kinds, all ten documents,
the three personas). The diff expectation check of the held-out set is dropped (this set has no diff file).
"""
import pathlib, sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # standalone script: tests/eval holds the shared checks
from check_common import CORPUS, KINDS, check_counts, check_rows, load_rows, nfkc, report  # noqa: E402


def echoed(r: dict, g: list) -> list[str]:
    """An answer that merely repeats the question must not pass: no alternative of group `g` is in the question."""
    alts = [alt for alt in g if nfkc(alt).lower() in nfkc(r["q"]).lower()]
    return [f"{r['id']}: expect alternative {alts} occurs in the question"] if alts else []


def main() -> int:
    rows, bad = load_rows(HERE / "questions.jsonl")
    bad += check_rows(rows, group_check=echoed)
    bad += check_counts(rows, min_rows=100, min_unanswerable=25, min_en=20, min_hant=12)
    if {r["kind"] for r in rows} != KINDS:
        bad.append(f"kinds missing: {KINDS - set(r['kind'] for r in rows)}")
    held = {p.name for p in (CORPUS / "policies").glob("*.md")}
    if held - {(r["doc"] or "").split("/")[-1] for r in rows}:
        bad.append(f"documents without a row: {held - {(r['doc'] or '').split('/')[-1] for r in rows}}")
    if any(r["persona"] not in {"enterprise", "staff", "outreach"} for r in rows):
        bad.append("persona outside enterprise/staff/outreach")
    return report(rows, bad)


if __name__ == "__main__":
    sys.exit(main())
