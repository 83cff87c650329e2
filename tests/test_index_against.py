"""`--against INDEX` on diff and scan: passages the index has seen, reused or boilerplate, with document counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

OLD = "seeds/002_cbc67faf9157e332.txt"
NEW = "seeds/000_72809ab1e56e2c9e.txt"
INDEXED = ["seeds/001_663fe8751431e96d.txt", "seeds/003_b1f2f82659ca7572.txt", "seeds/004_1be1cfc6bdf062d7.txt"]


@pytest.fixture
def index(run, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "idx.sqlite")
    assert run("index", "build", *INDEXED, "--index", path).exit_code == 0
    return path


def test_diff_against_raises_statuses_the_index_knows(run, index: str) -> None:  # type: ignore[no-untyped-def]
    plain = json.loads(run("diff", "--format", "json", OLD, NEW).output)
    result = run("diff", "--format", "json", OLD, NEW, "--against", index, "--boilerplate-min-docs", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["against"] == {"index": index, "boilerplate_min_docs": 2}
    before = {p["index"]: p["status"] for p in plain["passages"]}
    after = {p["index"]: p for p in data["passages"]}
    # The breadcrumb is not in 002 (OLD) but is in 004 (indexed, one document): reused.
    assert (before[0], after[0]["status"], after[0]["index_match"]["documents"]) == ("new", "reused", 1)
    assert after[0]["index_match"]["matches"][0]["doc"] == INDEXED[2]
    assert after[0]["spans"] == [[after[0]["start"], after[0]["end"]]]
    # The metadata template is in 001 and 004: two documents, boilerplate at a threshold of 2.
    assert after[2]["status"] == "boilerplate" and after[2]["index_match"]["documents"] == 2
    assert data["summary"]["boilerplate"] == sum(p["status"] == "boilerplate" for p in data["passages"]) >= 1
    # Never lowered: what the diff found stays found.
    rank = {"new": 0, "partial": 1, "reused": 2, "boilerplate": 3}
    assert all(rank[after[i]["status"]] >= rank[s] for i, s in before.items())
    assert data["summary"]["reused_share"] > plain["summary"]["reused_share"]


def test_diff_against_default_threshold_and_table(run, index: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("diff", "--format", "json", OLD, NEW, "--against", index).output)
    assert data["passages"][2]["status"] == "reused"  # two documents are under the default of 10
    table = run("diff", OLD, NEW, "--against", index)
    assert table.exit_code == 0
    assert f"Against the index {index}:" in table.output and "seen before" in table.output
    markdown = run("diff", "--format", "markdown", OLD, NEW, "--against", index)
    assert "## Against the index" in markdown.output


def test_diff_against_refuses_other_settings_and_missing_index(run, index: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", OLD, NEW, "--against", index, "--min-span", "12")
    assert result.exit_code == 1 and "index built with other settings" in result.output
    missing = str(tmp_path / "none.sqlite")
    result = run("diff", OLD, NEW, "--against", missing)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {missing}: no such index; create it with `reuse index build`\n",
    )


def test_scan_against(run, index: str) -> None:  # type: ignore[no-untyped-def]
    result = run("scan", "--format", "json", "seeds", "--against", index, "--boilerplate-min-docs", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["documents"] == 5  # the scan report itself is unchanged
    found = {d["id"]: d for d in data["against"]["documents"]}
    assert set(found) == {f"seeds/{p.name}" for p in Path("seeds").glob("*.txt")}
    new = found[NEW]
    assert new["reused"] >= 1 and new["boilerplate"] >= 1 and 0 < new["known_share"] < 1
    assert all(p["status"] != "new" for p in new["passages"])
    # An indexed document is not matched against its own copy.
    own = found[INDEXED[2]]
    assert all(m["doc"] != INDEXED[2] for p in own["passages"] for m in p["matches"])
    table = run("scan", "seeds", "--against", index)
    assert table.exit_code == 0 and f"Against the index {index}" in table.output
