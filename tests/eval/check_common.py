"""Checks shared by the question-set scripts tests/eval/{policies,poldev}/check_set.py (plain python3).

Those scripts run standalone (no project imports, no package), so they put this folder on sys.path and
import this module by name. What lives here is what both sets must satisfy: every line parses; ids unique;
kinds and languages known; answerable rows have a doc, a support that is an exact (NFKC) substring of the doc
(6-30 chars) lying inside its `article`, and expect groups that each have an alternative in the doc; every
`article` is the start of a line in its doc. Each script adds its own counts and extra checks.
"""
import collections, json, pathlib, re, unicodedata
from typing import Callable

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
KINDS = {"article-lookup", "conditions", "list", "bound", "duration", "definition", "responsibility", "version",
         "history", "jurisdiction-trap", "absent", "which-article", "left-to-other-rules"}
LANGS = {"zh-Hans", "zh-Hant", "en"}
nfkc = lambda s: unicodedata.normalize("NFKC", s)

# An extra check of one expect group `g` of row `r`: the problems it finds.
GroupCheck = Callable[[dict, list], list[str]]


def articles(text: str) -> list[str]:
    return re.findall(r"^(第[零一二三四五六七八九十百]+条)", text, flags=re.M)


def article_text(text: str, art: str) -> str:
    """The lines of article `art`, up to the next article or heading."""
    m = re.search(rf"^{art}.*?(?=^第[零一二三四五六七八九十百]+条|^#|\Z)", text, flags=re.M | re.S)
    return m.group(0) if m else ""


def load_rows(path: pathlib.Path) -> tuple[list[dict], list[str]]:
    """The rows of a questions.jsonl file and a problem per line that does not parse."""
    bad, rows = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            bad.append(f"line {n}: {e}")
    return rows, bad


def check_rows(rows: list[dict], group_check: GroupCheck | None = None) -> list[str]:
    """The problems of the rows against their documents; `group_check` runs after each expect group's own check."""
    bad = []
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        bad.append("duplicate ids")
    for r in rows:
        rid = r["id"]
        if r["kind"] not in KINDS:
            bad.append(f"{rid}: kind {r['kind']}")
        if r["lang"] not in LANGS:
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
            if group_check is not None:
                bad += group_check(r, g)
        if r["article"] and r["article"] not in articles(text):
            bad.append(f"{rid}: {r['article']} is not a line start in doc")
        if r["article"] and r["support"]:  # the support should lie inside the cited article
            body = article_text(text, r["article"])
            if nfkc(r["support"]) not in nfkc(body):
                bad.append(f"{rid}: support not inside {r['article']}")
        if r["kind"] == "which-article" and [r["article"]] not in r["expect"] and not any(r["article"] in g for g in r["expect"]):
            bad.append(f"{rid}: which-article without its article in expect")
    return bad


def check_counts(rows: list[dict], min_rows: int, min_unanswerable: int, min_en: int, min_hant: int) -> list[str]:
    """One problem when the set is smaller than its brief requires (rows, unanswerable, en, zh-Hant)."""
    n_unans = sum(not r["answerable"] for r in rows)
    langs = collections.Counter(r["lang"] for r in rows)
    if len(rows) < min_rows or n_unans < min_unanswerable or langs["en"] < min_en or langs["zh-Hant"] < min_hant:
        return [f"counts: {len(rows)} rows, {n_unans} unanswerable, {dict(langs)}"]
    return []


def report(rows: list[dict], bad: list[str]) -> int:
    """Print the set's counts and its problems; the exit code (1 when there is a problem)."""
    c = collections.Counter
    n_unans = sum(not r["answerable"] for r in rows)
    langs = c(r["lang"] for r in rows)
    print(f"{len(rows)} rows; answerable {len(rows) - n_unans}, unanswerable {n_unans}; langs {dict(langs)}")
    print("kinds", dict(c(r["kind"] for r in rows)))
    print("docs", dict(c((r["doc"] or "-").split("/")[-1] for r in rows)))
    for b in bad:
        print("FAIL", b)
    return 1 if bad else 0
