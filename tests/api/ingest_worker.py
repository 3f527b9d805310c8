"""Another process that ingests on request (the RSS test drives it over stdin/stdout; not a test file).

One line in ("<n>") → writes note-<n>.txt into the corpus, runs one ingest, answers "done <n>".
The model is loaded once, so 50 ingests take seconds each instead of a model load each.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ingest.embedder import load_embedder
from ingest.pipeline import ingest
from ingest.settings import Settings


def note(n: int) -> tuple[str, str, str]:
    """(text, question, the figure only this note holds)."""
    figure = f"{1000 + 7 * n}"
    text = f"测试市第{n}期科技简报\n- 时间:2024-10-08\n- 来源:测试市科学技术局\n测试市第{n}期科技特派员培训共培训学员{figure}人。\n"
    return text, f"测试市第{n}期科技特派员培训共培训学员多少人?", figure


def main() -> None:
    corpus, index = Path(sys.argv[1]), Path(sys.argv[2])
    settings = Settings(_env_file=None, index_dir=index, corpus_dir=corpus)
    model = load_embedder(settings.embed_model, settings.embed_batch_size)
    print("ready", flush=True)
    for line in sys.stdin:
        n = int(line)
        (corpus / f"note-{n}.txt").write_text(note(n)[0], encoding="utf-8")
        report = ingest([corpus], settings, embedder=model)
        print(f"done {n} {report.added}", flush=True)


if __name__ == "__main__":
    main()
