"""Overlap guard: keep the development set from leaking the held-out set (tests/eval/policies/questions.jsonl).

Why: tuning on poldev must not tune on the held-out rows. The script reads both files but prints ONLY poldev ids
and counts, never held-out text, so whoever runs it stays blind to the held-out set.
A poldev row is flagged when
- its `support` equals a held-out support, or shares a substring of >= MIN_SHARED characters with one (NFKC), or
- its question is near-identical to a held-out question: character 3-gram Jaccard > MAX_JACCARD.
Run: python3 tests/eval/poldev/overlap_guard.py   (exit 1 when a row is flagged)
"""
import json
import pathlib
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
HELD = HERE.parent / "policies" / "questions.jsonl"
MIN_SHARED = 10
MAX_JACCARD = 0.5


def nfkc(s: str | None) -> str:
    return unicodedata.normalize("NFKC", s or "")


def load(path: pathlib.Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def grams(s: str, n: int = 3) -> set[str]:
    s = "".join(nfkc(s).lower().split())
    return {s[i:i + n] for i in range(max(len(s) - n + 1, 1))}


def shares(a: str, b: str, k: int = MIN_SHARED) -> bool:
    """True when a and b share a substring of at least k characters (or are equal and non-empty)."""
    if not a or not b:
        return False
    if a == b:
        return True
    if len(a) < k or len(b) < k:
        return False
    subs = {a[i:i + k] for i in range(len(a) - k + 1)}
    return any(b[i:i + k] in subs for i in range(len(b) - k + 1))


def main() -> int:
    mine, held = load(HERE / "questions.jsonl"), load(HELD)
    held_sup = [nfkc(h.get("support")) for h in held]
    held_q = [grams(h["q"]) for h in held]
    held_at = [(h.get("doc"), h.get("article")) for h in held]
    sup_hits, q_hits, same_art = [], [], []
    for r in mine:
        s = nfkc(r.get("support"))
        hit = [i for i, hs in enumerate(held_sup) if s and shares(s, hs)]
        if hit:
            sup_hits.append(r["id"])
            if any(held_at[i] == (r["doc"], r["article"]) for i in hit):
                same_art.append(r["id"])  # the shared text sits in the same article: a different provision is needed
        g = grams(r["q"])
        if any(len(g & hg) / len(g | hg) > MAX_JACCARD for hg in held_q):
            q_hits.append(r["id"])
    print(f"poldev rows {len(mine)}, held-out rows {len(held)}")
    print(f"support overlap (equal or shared >= {MIN_SHARED} chars): {len(sup_hits)} {' '.join(sup_hits)}")
    print(f"  of which the overlapping held-out support is in the same article: {len(same_art)} {' '.join(same_art)}")
    print(f"question 3-gram Jaccard > {MAX_JACCARD}: {len(q_hits)} {' '.join(q_hits)}")
    return 1 if sup_hits or q_hits else 0


if __name__ == "__main__":
    sys.exit(main())
