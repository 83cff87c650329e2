"""Scan's decisions hold when near-duplicate copies are in the corpus, and the copies are explained by their
sources' families: the synthetic readouts with copies made as scripts/bench_near_duplicates.py makes them
(half with their lines shuffled, half with 5% of their characters edited), seeded."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reuse.commands.scan import scan
from reuse.load.corpus import load_corpus

from .conftest import near_duplicate_bench


def test_copies_move_the_originals_boilerplate_little_and_are_explained_by_their_sources(tmp_path: Path) -> None:
    bench = near_duplicate_bench()
    bench.generate(str(tmp_path), 300, 11)
    docs = str(tmp_path / "docs")
    before = scan(load_corpus([docs]), jobs=1)
    copies = bench.make_copies(docs, 40, 11)
    after = scan(load_corpus([docs]), jobs=1)
    share_before = bench.boilerplate_share(before, set(copies))
    share_after = bench.boilerplate_share(after, set(copies))
    assert share_before > 0.01 and abs(share_after - share_before) <= 0.01
    explained = bench.explained_by_source(after, copies)
    assert len(explained["edited"]) == len(explained["shuffled"]) == 20
    assert sum(explained["edited"]) / 20 >= 0.6 and sum(explained["shuffled"]) / 20 >= 0.9


def test_an_edited_copy_is_one_character_in_twenty_changed() -> None:
    import random

    bench = near_duplicate_bench()
    text = "两国元首登上检阅台，军乐团奏两国国歌，天安门广场鸣放21响礼炮。\n" * 5
    copy = bench.edited(text, random.Random(3))
    changed = sum(a != b for a, b in zip(text, copy))
    nonspace = sum(not c.isspace() for c in text)
    assert len(copy) == len(text) and changed == round(0.05 * nonspace)


@pytest.mark.parametrize("threshold", ["0.3", "1"])
def test_audit_near_threshold_is_a_setting(threshold: str, tmp_path: Path) -> None:
    """--near-threshold sets near_duplicate: a low one calls more documents near duplicates than 1 does."""
    from click.testing import CliRunner

    from reuse.cli import cli

    folder = tmp_path / "docs"
    folder.mkdir()
    base = "".join(f"第{i}段：两国元首就共同关心的国际和地区问题交换了意见，一致同意加强合作。\n" for i in range(40))
    (folder / "a.txt").write_text(base, encoding="utf-8")
    (folder / "b.txt").write_text(base.replace("第3段", "第三段").replace("第9段", "第九段"), encoding="utf-8")
    (folder / "c.txt").write_text(base[: len(base) // 2] + "另一半完全不同的内容。\n" * 20, encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", "--format", "json", "--near-threshold", threshold, str(folder)])
    assert result.exit_code == 0, result.output
    clusters = json.loads(result.output)["near_duplicates"]
    if threshold == "1":
        assert clusters == []
    else:
        found = [
            sorted(os.path.basename(d) for d in [c["kept"], *(x["doc"] for x in c["duplicates"])]) for c in clusters
        ]
        assert found == [["a.txt", "b.txt", "c.txt"]]
