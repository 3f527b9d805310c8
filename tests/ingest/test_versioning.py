"""Versions of one regulation from the manifest's records (ingest.versioning), and old manifests."""

from __future__ import annotations

from dataclasses import asdict

import orjson
import pytest

from ingest.store import DocRecord, Manifest, read_manifest, write_manifest
from ingest.versioning import assign_versions, norm_title, versions_of


@pytest.mark.parametrize(
    "title, expected",
    [
        ("中华人民共和国促进科技成果转化法", "促进科技成果转化法"),
        ("促进科技成果转化法", "促进科技成果转化法"),
        ("# 国家科学技术奖励条例", "国家科学技术奖励条例"),
        ("国家科学技术奖励条例(2020-10-07)", "国家科学技术奖励条例"),
        ("国家科学技术奖励条例（2024年修订）", "国家科学技术奖励条例"),
        ("国家科学技术奖励条例（2024年5月26日）", "国家科学技术奖励条例"),
        ("国家科学技术奖励条例（修订草案）", "国家科学技术奖励条例"),
        ("国家 科学技术 奖励条例", "国家科学技术奖励条例"),
        ("《国家科学技术奖励条例》", "国家科学技术奖励条例"),
        ("國家科學技術獎勵條例", "国家科学技术奖励条例"),
        ("北京市促进科技成果转化条例", "北京市促进科技成果转化条例"),  # the place stays: another regulation
    ],
)
def test_norm_title(title: str, expected: str) -> None:
    assert norm_title(title) == expected


def record(doc_id: str, title: str, version_date: str | None, kind: str | None = "administrative_regulation",
           jurisdiction: str | None = "national", date: str = "") -> DocRecord:
    return DocRecord(
        doc_id=doc_id, path=f"/c/{doc_id}", root="/c", hash=doc_id, title=title, date=date, source="", script="Hans",
        chunks=[f"{doc_id}-c0"], ingested_at="2026-01-01T00:00:00+00:00", kind=kind, jurisdiction=jurisdiction,
        version_date=version_date, norm_title=norm_title(title),
    )


@pytest.mark.parametrize(
    "records, expected",
    [
        ([record("a", "国家科学技术奖励条例", "2020-10-07")], {"a": ("current", None)}),
        (
            [record("old", "国家科学技术奖励条例", "2020-10-07"), record("new", "国家科学技术奖励条例", "2024-05-26")],
            {"old": ("superseded", "new"), "new": ("current", None)},
        ),
        (  # the order records come in does not matter
            [record("new", "国家科学技术奖励条例", "2024-05-26"), record("old", "国家科学技术奖励条例", "2020-10-07")],
            {"old": ("superseded", "new"), "new": ("current", None)},
        ),
        (
            [record("v1", "中华人民共和国促进科技成果转化法", "1996-05-15", "law"),
             record("v2", "促进科技成果转化法（2015年修正）", "2015-08-29", "law"),
             record("v0", "促进科技成果转化法", None, "law", date="1990-01-01")],
            {"v0": ("superseded", "v2"), "v1": ("superseded", "v2"), "v2": ("current", None)},
        ),
        (  # same title, other jurisdiction: another regulation
            [record("zj", "促进科技成果转化条例", "2021-09-29", "local_regulation", "浙江省"),
             record("bj", "促进科技成果转化条例", "2019-11-27", "local_regulation", "北京市")],
            {"zj": ("current", None), "bj": ("current", None)},
        ),
        (  # reports and news are not versions of anything
            [record("r1", "昆明市科技工作报告", "2023-01-01", "report", "昆明市"),
             record("r2", "昆明市科技工作报告", "2024-01-01", "report", "昆明市"),
             record("n", "科技新闻", None, "news", None)],
            {"r1": (None, None), "r2": (None, None), "n": (None, None)},
        ),
        ([record("legacy", "旧索引的文档", None, None, None)], {"legacy": (None, None)}),  # a record from before this feature
    ],
)
def test_assign_versions(records: list[DocRecord], expected: dict[str, tuple[str | None, str | None]]) -> None:
    before = [asdict(r) for r in records]
    got = assign_versions(records)
    assert {k: (v.status, v.superseded_by) for k, v in got.items()} == expected
    assert [asdict(r) for r in records] == before  # new records, the input is not changed


def test_versions_of_matches_the_normalised_title_oldest_first() -> None:
    docs = [record("new", "国家科学技术奖励条例", "2024-05-26"), record("old", "国家科学技术奖励条例", "2020-10-07"),
            record("other", "中华人民共和国科学技术进步法", "2021-12-24", "law")]
    assert [r.doc_id for r in versions_of(docs, "中华人民共和国国家科学技术奖励条例")] == ["old", "new"]
    assert [r.doc_id for r in versions_of(docs, "科学技术进步法")] == ["other"]
    assert versions_of(docs, "奖励条例") == []


def test_a_manifest_written_before_the_regulation_fields_still_loads(tmp_path) -> None:
    legacy = {
        "embedder": "e5", "dim": 384, "collection": "chunks_1", "keyword_dir": "keyword/1", "chunker": "v2:320:80",
        "last_ingest": None, "version": 1,
        "documents": {"a.txt": {"doc_id": "a.txt", "path": "/c/a.txt", "root": "/c", "hash": "h", "title": "t",
                                "date": "2024-09-23", "source": "s", "script": "Hans", "chunks": ["c1"],
                                "ingested_at": "2024-09-23T00:00:00+00:00", "figures": [],
                                "a_field_from_a_newer_version": 1}},
    }
    (tmp_path / "manifest.json").write_bytes(orjson.dumps(legacy))
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    doc = manifest.documents["a.txt"]
    assert (doc.kind, doc.status, doc.superseded_by, doc.events, doc.version_date) == (None, None, None, [], None)
    write_manifest(tmp_path, Manifest(**{**manifest.__dict__}))  # and it writes back with the new fields
    again = read_manifest(tmp_path)
    assert again is not None and again.documents["a.txt"].chunks == ["c1"]
