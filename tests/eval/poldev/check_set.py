"""Plain-python3 consistency check of the poldev development question set (adapted from tests/eval/policies/check_set.py).

Run from anywhere: python3 tests/eval/poldev/check_set.py  (exit 1 and a list of problems on failure).
Checks: every line parses; ids unique; answerable rows have a doc, a support that is an exact (NFKC) substring
of the doc (6-30 chars) and expect groups that each have an alternative in the doc; every `article` is the start
of a line in its doc; the counts the poldev brief requires (>=100 rows, >=25 unanswerable, >=20 en, >=12 zh-Hant,
all kinds, all ten documents). The diff expectation check of the held-out set is dropped (this set has no diff file).
"""
import collections, json, pathlib, re, sys, unicodedata

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CORPUS = ROOT / "corpus"
KINDS = {"article-lookup", "conditions", "list", "bound", "duration", "definition", "responsibility", "version",
         "history", "jurisdiction-trap", "absent", "which-article", "left-to-other-rules"}
nfkc = lambda s: unicodedata.normalize("NFKC", s)


def articles(text: str) -> list[str]:
    return re.findall(r"^(第[零一二三四五六七八九十百]+条)", text, flags=re.M)


def main() -> int:
    bad, rows = [], []
    for n, line in enumerate((HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            bad.append(f"line {n}: {e}")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        bad.append("duplicate ids")
    for r in rows:
        rid = r["id"]
        if r["kind"] not in KINDS:
            bad.append(f"{rid}: kind {r['kind']}")
        if r["lang"] not in {"zh-Hans", "zh-Hant", "en"}:
            bad.append(f"{rid}: lang {r['lang']}")
        if r["doc"] is None:
            if r["answerable"]:
                bad.append(f"{rid}: answerable without doc")
            continue
        path = CORPUS / r["doc"]
        if not path.exists():
            bad.append(f"{rid}: no file {r['doc']}")
            continue
        text = path.read_text(encoding="utf-8")
        doc = nfkc(text)
        if r["answerable"] or r["support"]:
            s = r["support"] or ""
            if not 6 <= len(s) <= 30:
                bad.append(f"{rid}: support length {len(s)}")
            if nfkc(s) not in doc:
                bad.append(f"{rid}: support not in doc: {s}")
        for g in r["expect"]:
            if not any(nfkc(alt) in doc for alt in g):
                bad.append(f"{rid}: no alternative of {g} in doc")
            echoed = [alt for alt in g if nfkc(alt).lower() in nfkc(r["q"]).lower()]
            if echoed:  # an answer that merely repeats the question must not pass
                bad.append(f"{rid}: expect alternative {echoed} occurs in the question")
        if r["article"] and r["article"] not in articles(text):
            bad.append(f"{rid}: {r['article']} is not a line start in doc")
        if r["article"] and r["support"]:  # the support should lie inside the cited article
            body = article_text(text, r["article"])
            if nfkc(r["support"]) not in nfkc(body):
                bad.append(f"{rid}: support not inside {r['article']}")
        if r["kind"] == "which-article" and [r["article"]] not in r["expect"] and not any(r["article"] in g for g in r["expect"]):
            bad.append(f"{rid}: which-article without its article in expect")
    c = collections.Counter
    n_unans = sum(not r["answerable"] for r in rows)
    langs = c(r["lang"] for r in rows)
    if len(rows) < 100 or n_unans < 25 or langs["en"] < 20 or langs["zh-Hant"] < 12:
        bad.append(f"counts: {len(rows)} rows, {n_unans} unanswerable, {dict(langs)}")
    if set(c(r["kind"] for r in rows)) != KINDS:
        bad.append(f"kinds missing: {KINDS - set(r['kind'] for r in rows)}")
    held = {p.name for p in (CORPUS / "policies").glob("*.md")}
    if held - {(r["doc"] or "").split("/")[-1] for r in rows}:
        bad.append(f"documents without a row: {held - {(r['doc'] or '').split('/')[-1] for r in rows}}")
    if any(r["persona"] not in {"enterprise", "staff", "outreach"} for r in rows):
        bad.append("persona outside enterprise/staff/outreach")
    print(f"{len(rows)} rows; answerable {len(rows) - n_unans}, unanswerable {n_unans}; langs {dict(langs)}")
    print("kinds", dict(c(r["kind"] for r in rows)))
    print("docs", dict(c((r["doc"] or "-").split("/")[-1] for r in rows)))
    for b in bad:
        print("FAIL", b)
    return 1 if bad else 0


def article_text(text: str, art: str) -> str:
    """The lines of article `art`, up to the next article or heading."""
    m = re.search(rf"^{art}.*?(?=^第[零一二三四五六七八九十百]+条|^#|\Z)", text, flags=re.M | re.S)
    return m.group(0) if m else ""


if __name__ == "__main__":
    sys.exit(main())
