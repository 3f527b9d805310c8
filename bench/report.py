"""The benchmark result as tables: rich on the terminal, Markdown for the README."""

from __future__ import annotations

from typing import Any


def _mb(n: Any) -> str:
    return f"{n / 1e6:.0f}" if isinstance(n, (int, float)) and n else "–"


def _f(x: Any, fmt: str = "{:.1f}") -> str:
    return fmt.format(x) if isinstance(x, (int, float)) else "–"


def _pp(d: Any) -> str:
    """'p50 / p95' ms."""
    if not isinstance(d, dict) or "p50_ms" not in d:
        return "–"
    return f"{d['p50_ms']:.0f} / {d['p95_ms']:.0f}"


def _load(e: dict) -> str:
    a, b = e.get("load_start"), e.get("load_end")
    return f"{a[0]:.1f}→{b[0]:.1f}" if a and b else "–"


def tables(r: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    out = []
    m = r.get("machine", {})
    head = ["chunks", "docs", "vectors", "ingest chunks/s", "raw embed chunks/s", "ratio wall / cpu", "peak RSS MB ingest / serve", "re-ingest s",
            "start-up s", "retrieve p50/p95 ms", "ask p50/p95 ms", "hit@3 gen hybrid / kw", "disk MB", "load 1m"]
    rows = []
    raw_cps = None  # the raw encoder's chunks/s at the last real size: predicts the ratio at synthetic sizes
    for e in r.get("sizes", []):
        run = e.get("run", {})
        if "error" in run:
            rows.append([str(e["size"]), "–", e.get("vectors", "?"), f"error: {run['error']}"] + ["–"] * (len(head) - 4))
            continue
        ing, q = run["ingest"], run["queries"]
        synth = run.get("synthetic_vectors")
        raw = run.get("raw_embed", {})
        st = e.get("startup", {})
        if not synth and raw.get("chunks_per_s"):
            raw_cps = raw["chunks_per_s"]
        ratio = _f(ing.get("ratio_vs_raw_embed"), "{:.2f}") + " / " + _f(ing.get("ratio_cpu"), "{:.2f}")
        if synth and raw_cps:
            # everything but the model, per chunk, measured at this size, added to the encoder's time per chunk
            overhead = ing["outside_embedder_s"] / max(run["chunks"], 1)
            ratio = f"predicted {(1 / raw_cps) / (1 / raw_cps + overhead):.2f}"
        rows.append([
            f"{run['chunks']:,}", f"{run['documents']:,}", "SYNTHETIC" if synth else "real",
            f"{ing['chunks_per_s']:.1f}" + (" (no model)" if synth else ""),
            _f(raw.get("chunks_per_s")), ratio,
            f"{_mb(run.get('peak_rss_bytes'))} / {_mb(st.get('peak_rss_bytes'))}", _f(run["reingest_unchanged"]["wall_s"]),
            _f(st.get("total_s")), _pp(q["retrieve"]), _pp(q["ask"]),
            ("n/a" if synth else _f(q["hybrid"]["hit@3"], "{:.2f}")) + " / " + _f(q.get("keyword_only", {}).get("hit@3"), "{:.2f}"),
            _mb(run["disk_bytes"]["total"]), _load(run),
        ])
    out.append((f"policyqa at scale ({m.get('nproc')} cores, {m.get('cpu_model', '')})", head, rows))

    qa = r.get("quality")
    if qa and "error" not in qa and "eval" in qa:
        labels = list(qa["eval"]["recipes"])
        head2 = ["", "policyqa (hybrid, e5-small)", *[f"recipe: {lb}" for lb in labels]]
        rows2: list[list[str]] = []
        for name in ("eval", "haystack"):
            st = qa.get(name)
            if not st:
                continue
            what = (f"eval set ({st['documents']} docs)" if name == "eval"
                    else f"eval set + {qa['haystack']['documents']} other-city docs")
            rec = [st["recipes"][lb] for lb in labels]
            ours = st["ours"]
            rows2 += [
                [f"hit@3, {what}", _f(ours["hit@3"], "{:.2f}"), *[_f(x["hit@3"], "{:.2f}") for x in rec]],
                [f"hit@1, {what}", _f(ours["hit@1"], "{:.2f}"), *[_f(x["hit@1"], "{:.2f}") for x in rec]],
                [f"chunks, {what}", f"{ours['chunks']:,}", *[f"{x['chunks']:,}" for x in rec]],
                [f"ingest s, {what}", _f(ours["ingest_s"]), *[_f(x["ingest_s"]) for x in rec]],
                [f"query p50/p95 ms, {what}", f"{1000 * ours['eval_s'] / max(qa['rows'], 1):.0f} (mean ask)", *[_pp(x["query"]) for x in rec]],
                [f"answer / refusal accuracy, {what}", f"{ours['answer_accuracy']:.2f} / {ours['refusal_accuracy']:.2f}",
                 *["no answers"] * len(rec)],
            ]
        sizes = {e["size"]: e["run"] for e in r.get("sizes", []) if "error" not in e.get("run", {})}
        pad = ["–"] * (len(labels) - 1)
        for g in qa.get("generated", []):
            ours_g = sizes.get(g["size"])
            rows2.append([f"generated {g['size']:,}: docs/s ingested", _f(ours_g and ours_g["documents"] / ours_g["ingest"]["wall_s"], "{:.2f}"),
                          _f(g["ingest"]["docs_per_s"], "{:.2f}"), *pad])
            rows2.append([f"generated {g['size']:,}: chunks", f"{ours_g['chunks']:,}" if ours_g else "–", f"{g['chunks']:,}", *pad])
            rows2.append([f"generated {g['size']:,}: query p50/p95 ms", _pp(ours_g and ours_g["queries"]["retrieve"]) + " (retrieve)",
                          _pp(g["query"]), *pad])
            rows2.append([f"generated {g['size']:,}: hit@3", _f(ours_g and ours_g["queries"]["hybrid"]["hit@3"], "{:.2f}"),
                          _f(g["hit@3"], "{:.2f}"), *pad])
        margins = f"eval set {qa['eval']['margin_hit@3']:+.2f} (at most {qa['eval']['max_possible_margin_hit@3']:+.2f} possible)"
        if "haystack" in qa:
            margins += f", with distractors {qa['haystack']['margin_hit@3']:+.2f}"
        out.append((f"Ours vs the plain LangChain recipe ({qa['baseline']}): margin hit@3 {margins}; target +0.30", head2, rows2))

    cs = r.get("chroma_server")
    if cs and "error" not in cs:
        e, s = cs["embedded"], cs["server"]
        head3 = ["", "embedded (PersistentClient)", "chroma run (HttpClient)", "overhead"]
        rows3 = [
            ["ingest s (vectors precomputed)", _f(e["ingest"]["wall_s"]), _f(s["ingest"]["wall_s"]), f"×{cs['overhead']['ingest_x']}"],
            ["re-ingest unchanged s", _f(e["reingest_unchanged"]["wall_s"]), _f(s["reingest_unchanged"]["wall_s"]), f"×{cs['overhead']['reingest_x']}"],
            ["retrieve p50/p95 ms", _pp(e["retrieve"]), _pp(s["retrieve"]), f"{cs['overhead']['retrieve_p50_ms']:+.0f} / {cs['overhead']['retrieve_p95_ms']:+.0f}"],
            ["ask p50/p95 ms", _pp(e["ask"]), _pp(s["ask"]), f"{cs['overhead']['ask_p50_ms']:+.0f} (p50)"],
            ["server peak RSS MB", "–", _mb(s.get("server_peak_rss_bytes")), ""],
        ]
        out.append((f"Chroma server vs embedded at {cs['size']:,} chunks ({cs['vectors']})", head3, rows3))
    return out


def markdown(r: dict[str, Any]) -> str:
    parts = [f"Benchmarks: `{r.get('command', '')}` on {r.get('started', '')}, "
             f"{r['machine'].get('nproc')} cores ({r['machine'].get('cpu_model', '')}), load average "
             f"{r.get('load_start', ['?'])[0]} at start, {r.get('load_end', ['?'])[0]} at end, {r.get('total_wall_s', '?')} s in all.\n"]
    for title, head, rows in tables(r):
        parts.append(f"**{title}**\n")
        parts.append("| " + " | ".join(head) + " |")
        parts.append("|" + "|".join("---" for _ in head) + "|")
        for row in rows:
            parts.append("| " + " | ".join(row) + " |")
        parts.append("")
    parts += [f"- {n}" for n in r.get("notes", [])]
    return "\n".join(parts) + "\n"


def print_tables(r: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=220)
    for title, head, rows in tables(r):
        t = Table(title=title, show_lines=False)
        for h in head:
            t.add_column(h, overflow="fold")
        for row in rows:
            t.add_row(*row)
        console.print(t)
    console.print(f"load average {r.get('load_start')} at start, {r.get('load_end')} at end; {r.get('total_wall_s')} s in all")


if __name__ == "__main__":  # re-render a result: python -m bench.report bench/results/latest.json
    import json
    import sys

    data = json.loads(open(sys.argv[1], encoding="utf-8").read())
    print(markdown(data)) if "--md" in sys.argv else print_tables(data)
