"""Plain-python3 consistency check of the blind policy question set and the diff expectation.

Run from anywhere: python3 tests/eval/policies/check_set.py  (exit 1 and a list of problems on failure).
Checks: the row checks both sets share (tests/eval/check_common.py: every line parses; ids unique; answerable
rows have a doc, a support that is an exact (NFKC) substring of the doc (6-30 chars) and expect groups that each
have an alternative in the doc; every `article` is the start of a line in its doc); counts required by issue 12;
diff_expected.json names only articles that exist.
"""
import json, pathlib, sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # standalone script: tests/eval holds the shared checks
from check_common import CORPUS, articles, check_counts, check_rows, load_rows, report  # noqa: E402


def main() -> int:
    rows, bad = load_rows(HERE / "questions.jsonl")
    bad += check_rows(rows)
    bad += check_counts(rows, min_rows=65, min_unanswerable=15, min_en=8, min_hant=8)
    bad += check_diff()
    return report(rows, bad)


def check_diff() -> list[str]:
    d = json.loads((HERE / "diff_expected.json").read_text(encoding="utf-8"))
    pol = CORPUS / "policies"
    old, new = articles((pol / d["from"]).read_text(encoding="utf-8")), articles((pol / d["to"]).read_text(encoding="utf-8"))
    bad = [f"diff: added {a} not in new" for a in d["added"] if a not in new]
    bad += [f"diff: removed {a} not in old" for a in d["removed"] if a not in old]
    for e in d["changed"] + d["renumbered"]:
        if e["from_article"] not in old or e["to_article"] not in new:
            bad.append(f"diff: bad pair {e}")
    olds = {e["from_article"] for e in d["changed"] + d["renumbered"]} | set(d["removed"])
    if len(old) - len(olds) != d["unchanged"]:
        bad.append(f"diff: unchanged {d['unchanged']} but {len(old) - len(olds)} old articles are in no list")
    return bad


if __name__ == "__main__":
    sys.exit(main())
