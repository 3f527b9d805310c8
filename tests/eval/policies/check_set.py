"""Plain-python3 consistency check of the blind policy question set and the diff expectation.

Run from anywhere: python3 tests/eval/policies/check_set.py  (exit 1 and a list of problems on failure).
Checks: every line parses; ids unique; answerable rows have a doc, a support that is an exact (NFKC) substring
of the doc (6-30 chars) and expect groups that each have an alternative in the doc; every `article` is the start
of a line in its doc; counts required by issue 12; diff_expected.json names only articles that exist.
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
    if len(rows) < 65 or n_unans < 15 or langs["en"] < 8 or langs["zh-Hant"] < 8:
        bad.append(f"counts: {len(rows)} rows, {n_unans} unanswerable, {dict(langs)}")
    bad += check_diff()
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
