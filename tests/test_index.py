"""The persistent index (SQLite): commands, replacement, removal, refusals and error messages."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reuse.cli import cli
from reuse.errors import IndexStoreError
from reuse.index import add_documents, open_index
from reuse.index.query import query
from reuse.load.corpus import load_corpus
from reuse.load.document import from_text
from reuse.settings import Settings

from .conftest import ROOT

SEED0 = "seeds/000_72809ab1e56e2c9e.txt"
SEED1 = "seeds/001_663fe8751431e96d.txt"
SEED4 = "seeds/004_1be1cfc6bdf062d7.txt"
OTHERS = ["seeds/001_663fe8751431e96d.txt", "seeds/002_cbc67faf9157e332.txt",
          "seeds/003_b1f2f82659ca7572.txt", SEED4]  # fmt: skip


@pytest.fixture
def built(run, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "idx.sqlite")
    result = run("index", "build", *OTHERS, "--index", path)
    assert result.exit_code == 0, result.output
    return path


def _stats(run, path: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = run("index", "stats", "--index", path, "--format", "json", "--check")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["problems"] == []
    return data  # type: ignore[no-any-return]


def test_build_reports_what_it_indexed(run, built: str) -> None:  # type: ignore[no-untyped-def]
    stats = _stats(run, built)
    assert (stats["documents"], stats["backend"], stats["schema_version"]) == (4, "sqlite", 1)
    assert stats["passages"] == sum(len(_passages(p)) for p in OTHERS)
    assert stats["settings"]["fingerprint"] == Settings().fingerprint()


def _passages(path: str) -> list[object]:
    from reuse.load.document import load_document
    from reuse.sketch.prepared import prepare

    return prepare(load_document(str(ROOT / path)), Settings()).passages()  # type: ignore[return-value]


def test_query_finds_the_breadcrumb_and_template_with_document_counts(run, built: str) -> None:  # type: ignore[no-untyped-def]
    result = run("index", "query", SEED0, "--index", built, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (doc,) = data["documents"]
    assert doc["doc"] == SEED0 and doc["summary"]["passages"] == len(doc["passages"])
    first, _, meta = doc["passages"][:3]
    assert (first["text"].split(), first["status"], first["documents"]) == (["首頁", ">", "頭條"], "reused", 1)
    assert first["matches"][0]["doc"] == SEED4 and first["matches"][0]["text"].split() == ["首頁", ">", "頭條"]
    assert meta["text"].startswith("發佈時間") and meta["status"] == "reused"
    # The metadata template is in 004 (same editor: same exact key) and in 001 (another editor).
    assert {m["doc"] for m in meta["matches"]} == {SEED4, SEED1}
    assert meta["documents"] == 2
    statuses = {p["status"] for p in doc["passages"]}
    assert statuses == {"new", "reused", "partial"}
    for p in doc["passages"]:
        text = (ROOT / SEED0).read_text(encoding="utf-8")
        assert text[p["start"] : p["end"]] == p["text"]


def test_query_table_fits_100_columns(run, built: str) -> None:  # type: ignore[no-untyped-def]
    from wcwidth import wcswidth

    result = run("index", "query", SEED0, "--index", built)
    assert result.exit_code == 0
    assert "59 passages: 49 new, 3 reused, 7 partial" in result.output
    assert max(wcswidth(line) for line in result.output.splitlines()) <= 100


def test_added_documents_are_queryable_at_once_and_replacement_makes_no_duplicates(run, built: str) -> None:  # type: ignore[no-untyped-def]
    novel = "這是一段從未出現過的全新文字內容，只為測試而寫，共二十多個漢字。"
    seed0 = (ROOT / SEED0).read_text(encoding="utf-8")
    before = json.loads(run("index", "query", SEED0, "--index", built, "--format", "json").output)
    assert before["documents"][0]["passages"][4]["status"] == "new"
    # Add a document under a fresh id that holds seed 000: every passage is now reused.
    store = open_index(built, "write")
    try:
        add_documents(store, [from_text(seed0, "copy-of-000")])
    finally:
        store.close()
    after = json.loads(run("index", "query", SEED0, "--index", built, "--format", "json").output)
    assert all(p["status"] == "reused" for p in after["documents"][0]["passages"])
    stats = _stats(run, built)
    assert stats["documents"] == 5
    # Replace it (same id) with other text, twice: one document, its old passages gone.
    for _ in range(2):
        store = open_index(built, "write")
        try:
            assert add_documents(store, [from_text(novel, "copy-of-000")])[:2] == (1, 1)
        finally:
            store.close()
    again = _stats(run, built)
    assert again["documents"] == 5 and again["passages"] == stats["passages"] - len(_passages(SEED0)) + 1
    replaced = json.loads(run("index", "query", SEED0, "--index", built, "--format", "json").output)
    assert replaced == before


def test_add_through_the_cli_replaces_by_id(run, built: str) -> None:  # type: ignore[no-untyped-def]
    passages = _stats(run, built)["passages"]
    result = run("index", "add", SEED4, "--index", built)
    assert result.exit_code == 0, result.output
    assert "1 replaced documents with the same id" in result.output
    stats = _stats(run, built)
    assert (stats["documents"], stats["passages"]) == (4, passages)


def test_remove_really_removes(run, built: str) -> None:  # type: ignore[no-untyped-def]
    result = run("index", "remove", SEED4, "--index", built)
    assert (result.exit_code, result.output) == (0, f"1 documents removed from {built}.\n")
    stats = _stats(run, built)
    assert stats["documents"] == 3 and stats["passages"] == sum(len(_passages(p)) for p in OTHERS[:3])
    db = sqlite3.connect(built)
    assert db.execute("SELECT COUNT(*) FROM documents WHERE id = ?", (SEED4,)).fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM passages WHERE text LIKE '首頁%頭條'").fetchone() == (0,)
    db.close()
    data = json.loads(run("index", "query", SEED0, "--index", built, "--format", "json").output)
    assert data["documents"][0]["passages"][0]["status"] == "new"  # the breadcrumb was only in 004


def test_remove_of_an_unknown_id_removes_nothing(run, built: str) -> None:  # type: ignore[no-untyped-def]
    result = run("index", "remove", SEED4, "nope", "--index", built)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {built}: no document 'nope' in the index; nothing removed\n",
    )
    assert _stats(run, built)["documents"] == 4


def test_a_document_is_not_matched_against_its_own_copy(run, built: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("index", "query", SEED4, "--index", built, "--format", "json").output)
    docs = {m["doc"] for p in data["documents"][0]["passages"] for m in p["matches"]}
    assert SEED4 not in docs and docs


def test_build_refuses_an_existing_index_unless_forced(run, built: str) -> None:  # type: ignore[no-untyped-def]
    result = run("index", "build", SEED0, "--index", built)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {built}: index already exists; add documents with `reuse index add`, "
        "or pass --force to build it anew\n"
    )
    assert run("index", "build", SEED0, "--index", built, "--force").exit_code == 0
    assert _stats(run, built)["documents"] == 1


def test_force_never_deletes_a_file_that_is_not_an_index(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n", encoding="utf-8")
    result = run("index", "build", SEED0, "--index", str(path), "--force")
    assert (result.exit_code, result.output) == (1, f"Error: {path}: not a reuse index (not an SQLite database)\n")
    assert path.read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize("application_id", [True, False], ids=["this-version", "before-application-id"])
def test_force_replaces_a_truncated_index(run, built: str, application_id: bool) -> None:  # type: ignore[no-untyped-def]
    if not application_id:  # as written before reuse set its application id: recognised by its tables
        db = sqlite3.connect(built)
        db.execute("PRAGMA application_id = 0")
        db.close()
    with open(built, "r+b") as handle:
        handle.truncate(Path(built).stat().st_size // 2)
    damaged = run("index", "query", SEED0, "--index", built)
    assert damaged.exit_code == 1 and damaged.output.startswith(f"Error: {built}: "), damaged.output
    result = run("index", "build", SEED0, "--index", built, "--force")
    assert result.exit_code == 0, result.output
    assert _stats(run, built)["documents"] == 1


def test_force_replaces_an_index_of_another_schema_version(run, built: str) -> None:  # type: ignore[no-untyped-def]
    db = sqlite3.connect(built)
    db.execute("UPDATE meta SET value = '0' WHERE name = 'schema_version'")
    db.commit()
    db.close()
    result = run("index", "build", SEED0, "--index", built, "--force")  # what the refusal tells users to do
    assert result.exit_code == 0, result.output
    assert _stats(run, built)["documents"] == 1


def test_force_never_deletes_another_sqlite_file_even_damaged(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import random

    noise = tmp_path / "noise.sqlite"  # an SQLite header, then nothing of ours
    noise.write_bytes(b"SQLite format 3\x00" + random.Random(9).randbytes(20000))
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")  # a name like ours is not enough
    db.execute("CREATE TABLE notes (body TEXT)")
    db.executemany("INSERT INTO notes VALUES (?)", [(f"note {i} " * 20,) for i in range(500)])
    db.commit()
    db.close()
    with open(other, "r+b") as handle:
        handle.truncate(other.stat().st_size // 2)
    for path in (noise, other):
        before = path.read_bytes()
        result = run("index", "build", SEED0, "--index", str(path), "--force")
        assert (result.exit_code, result.output) == (
            1,
            f"Error: {path}: not a reuse index (an SQLite database without reuse's tables); not replaced\n",
        )
        assert path.read_bytes() == before


def test_other_settings_are_refused(run, built: str) -> None:  # type: ignore[no-untyped-def]
    here = Settings(script="t2s").fingerprint()
    expected = (
        f"Error: {built}: index built with other settings (fingerprint {Settings().fingerprint()}, here {here}: "
        "script 'tw2sp' in the index, 't2s' here); use the index's settings or build another index\n"
    )
    for command in ("query", "add"):
        result = run("index", command, SEED0, "--index", built, "--script", "t2s")
        assert (result.exit_code, result.output) == (1, expected)
    # Settings given explicitly but equal to the index's are fine.
    assert run("index", "query", SEED0, "--index", built, "--script", "tw2sp").exit_code == 0
    store = open_index(built)
    try:
        with pytest.raises(IndexStoreError, match="index built with other settings"):
            query(store, from_text("一句話。"), Settings(min_span=12))
    finally:
        store.close()


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0", ("index schema version 0 (written by readout-reuse 0.1.0) is older than this reuse's (1); "
              "build the index again with `reuse index build --force`")),
        ("2", ("index schema version 2 (written by readout-reuse 0.1.0) is newer than this reuse's (1); "
              "upgrade readout-reuse to use it")),
    ],
)  # fmt: skip
def test_other_schema_versions_are_refused(run, built: str, version: str, message: str) -> None:  # type: ignore[no-untyped-def]
    db = sqlite3.connect(built)
    db.execute("UPDATE meta SET value = ? WHERE name = 'schema_version'", (version,))
    db.commit()
    db.close()
    for args in (("query", SEED0), ("add", SEED0), ("stats",)):
        result = run("index", *args, "--index", built)
        assert (result.exit_code, result.output) == (1, f"Error: {built}: {message}\n")


def test_files_that_are_not_indexes(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    cases = {
        "README.md": "not a reuse index (not an SQLite database)",
        str(empty): "not a reuse index (empty file)",
        str(other): "not a reuse index (an SQLite database without reuse's tables)",
        str(tmp_path / "missing.sqlite"): "no such index; create it with `reuse index build`",
        str(tmp_path): "is a directory, expected an index file",
    }
    for path, reason in cases.items():
        for args in (("query", SEED0), ("stats",), ("add", SEED0), ("remove", "x")):
            result = run("index", *args, "--index", path)
            assert (result.exit_code, result.output) == (1, f"Error: {path}: {reason}\n"), args


def test_a_corrupt_index_is_an_error_never_a_traceback_or_empty(run, built: str) -> None:  # type: ignore[no-untyped-def]
    size = Path(built).stat().st_size
    with open(built, "r+b") as handle:  # keep the header, garble every page after the first two
        handle.seek(8192)
        handle.write(bytes(range(256)) * ((size - 8192) // 256))
    for args in (("query", SEED0), ("stats", "--check"), ("add", SEED0), ("remove", SEED4)):
        result = run("index", *args, "--index", built)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith(f"Error: {built}: "), result.output
        assert "Traceback" not in result.output and len(result.output.splitlines()) == 1
    result = run("index", "query", SEED0, "--index", built)
    assert "corrupt index" in result.output or "malformed" in result.output


def test_every_index_command_has_help_and_is_in_the_readme(run) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = cli.commands["index"]
    for name in group.commands:  # type: ignore[attr-defined]
        result = run("index", name, "--help")
        assert result.exit_code == 0 and "Usage: cli index" in result.output
        assert f"reuse index {name}" in readme, name


def test_queries_read_the_index_not_the_corpus(run, built: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Index copies of the corpus, then delete them: a query can only find its matches in the index.
    texts = {str(tmp_path / Path(p).name): (ROOT / p).read_text(encoding="utf-8") for p in OTHERS}
    for path, text in texts.items():
        Path(path).write_text(text, encoding="utf-8")
    index = str(tmp_path / "copies.sqlite")
    assert run("index", "build", *texts, "--index", index).exit_code == 0
    assert len(load_corpus(list(texts)).documents) == 4
    for path in texts:
        Path(path).unlink()
    result = run("index", "query", SEED0, "--index", index, "--format", "json")
    assert result.exit_code == 0, result.output
    passages = json.loads(result.output)["documents"][0]["passages"]
    matches = [m for p in passages for m in p["matches"]]
    assert len(matches) >= 10
    for m in matches:  # ids as given at build time; texts as they were in the files, at the stored offsets
        assert m["text"] == texts[m["doc"]][m["start"] : m["end"]]
    # The same answer as from the index of the files still on disk, but for the ids.
    on_disk = json.loads(run("index", "query", SEED0, "--index", built, "--format", "json").output)
    renamed = {f"seeds/{Path(path).name}": path for path in texts}
    for p in on_disk["documents"][0]["passages"]:
        for m in p["matches"]:
            m["doc"] = renamed[m["doc"]]
    assert on_disk["documents"] == json.loads(result.output)["documents"]


def test_stable_band_keys_partition_like_the_lsh_bands_and_fold_the_band_number() -> None:
    import numpy as np

    from reuse.sketch.candidates import band_keys, stable_band_keys

    signatures = np.random.RandomState(3).randint(0, 4, (500, 128)).astype(np.uint32)
    stable = stable_band_keys(signatures, 32, 4)
    reference = band_keys(signatures, 32, 4)  # equal ids in a column = equal band rows
    for band in range(32):
        pairs = set(zip(stable[:, band].tolist(), reference[:, band].tolist(), strict=True))
        assert len(pairs) == len(set(stable[:, band].tolist())) == len(set(reference[:, band].tolist()))
    assert np.array_equal(stable, stable_band_keys(signatures.copy(), 32, 4))  # the same in every run
    same_rows = np.zeros((1, 128), dtype=np.uint32)
    assert len(set(stable_band_keys(same_rows, 32, 4)[0].tolist())) == 32  # equal rows, other bands: other keys
    assert stable[0, 0] == -3344691590891961394  # pinned: a change to the hash would orphan every stored index
