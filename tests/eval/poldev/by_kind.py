"""Per-kind / per-persona / per-answerability breakdown of an `eval --json` result on the poldev set.

Why: `policyqa eval --json` reports overall and per-language numbers only; tuning needs to know which kinds of
question fail. This post-processes the JSON (no second run): a row absent from `failures` passed everything; a
failure row is answer-correct when it was answered and every expect group has an alternative in the (300-char)
answer excerpt the JSON keeps, or refused when unanswerable. Rows whose excerpt is cut at 300 characters and
does not match are counted as `uncertain` (the excerpt may hide the match).
Run: python3 tests/eval/poldev/by_kind.py data/baseline.json
"""
import collections
import json
import pathlib
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent


def form(s: str) -> str:
    """Close to assistant.evaluation.search_form: NFKC, lower case, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", s).lower().split())


def main(path: str) -> int:
    res = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    rows = [json.loads(x) for x in (HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    fails = {f["id"]: f for f in res["failures"]}
    tally: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0, 0])  # n, ok, uncertain
    for r in rows:
        f = fails.get(r["id"])
        if f is None:
            ok, unsure = True, False
        elif not r["answerable"]:
            ok, unsure = bool(f["refused"]), False
        elif f["refused"]:
            ok, unsure = False, False
        else:
            text = form(f["answer"])
            ok = all(any(form(a) in text for a in g) for g in r["expect"])
            unsure = not ok and len(f["answer"]) >= 300
        for key in (("kind", r["kind"]), ("persona", r["persona"]),
                    ("answerable", str(r["answerable"])), ("lang", r["lang"])):
            t = tally[key]
            t[0] += 1
            t[1] += ok
            t[2] += unsure
    for (dim, val), (n, ok, unsure) in sorted(tally.items()):
        extra = f"  (+{unsure} uncertain)" if unsure else ""
        print(f"{dim:10} {val:22} n={n:3}  correct={ok / n:.2f}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "data/baseline.json"))
