"""The poldev development set stays well formed and disjoint from the held-out set.

Runs the two plain-python checks of this folder (check_set.py, overlap_guard.py) and pins the overlap rule with
a table, so an edit to questions.jsonl that breaks the row format or copies a held-out provision fails CI.
"""
import importlib.util
import pathlib

import pytest

HERE = pathlib.Path(__file__).resolve().parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"poldev_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


check_set = _load("check_set")
guard = _load("overlap_guard")


def test_rows_are_consistent_with_the_texts(capsys):
    assert check_set.main() == 0, capsys.readouterr().out


def test_no_row_overlaps_the_held_out_set(capsys):
    assert guard.main() == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("本条例自2020年1月1日起施行", "本条例自2020年1月1日起施行", True),  # equal
        ("科技创新券可以在全省范围内使用", "券可以在全省范围内使用的", True),  # 10 shared characters
        ("科技创新券可以在全省范围内", "可以在全省范围内", False),  # only 8 shared characters
        ("五万元以上十万元以下", "一倍以上三倍以下", False),
        ("", "", False),  # a missing support never overlaps
        ("短", "短", True),
    ],
)
def test_shares_means_equal_or_ten_common_characters(a, b, expected):
    assert guard.shares(a, b) is expected


@pytest.mark.parametrize(
    ("q1", "q2", "near"),
    [
        ("北京条例从哪天开始施行？", "北京条例从哪天开始施行？", True),
        ("北京条例从哪天开始施行？", "北京条例从哪天开始施行", True),
        ("浙江的科技创新券多久结算一次？", "广州青年创新创业协调会议多久开一次？", False),
    ],
)
def test_question_similarity_is_character_trigram_jaccard(q1, q2, near):
    g1, g2 = guard.grams(q1), guard.grams(q2)
    assert (len(g1 & g2) / len(g1 | g2) > guard.MAX_JACCARD) is near
