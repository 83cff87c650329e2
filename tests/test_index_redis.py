"""The shared index on a real redis-server: same answers as SQLite, same guarantees and messages."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT, free_port

SEEDS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "seeds").glob("*.txt"))
CORPUS_FILES = ["20220927.md", "20221230.md", "20230301.md"]


@pytest.fixture
def url(redis_url: str) -> str:
    return f"{redis_url}?prefix=t{uuid.uuid4().hex[:8]}"


def _corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{CORPUS} is missing: CI must have the development corpus")
        pytest.skip(f"development corpus not found at {CORPUS}")
    return [str(CORPUS / name) for name in CORPUS_FILES]


def _query_all(run, spec: str, queries: list[str]) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = run("index", "query", *queries, "--index", spec, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    data.pop("index")
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize("with_corpus", [False, True], ids=["seeds", "seeds+corpus"])
def test_sqlite_and_redis_give_identical_query_output(run, url: str, tmp_path: Path, with_corpus: bool) -> None:  # type: ignore[no-untyped-def]
    indexed = SEEDS[1:] + (_corpus_files()[1:] if with_corpus else [])
    queries = SEEDS + (_corpus_files() if with_corpus else [])
    path = str(tmp_path / "idx.sqlite")
    outputs = []
    for spec in (path, url):
        assert run("index", "build", *indexed, "--index", spec).exit_code == 0
        # Replacement and removal take the same path through both backends.
        assert run("index", "add", SEEDS[2], "--index", spec).exit_code == 0
        assert run("index", "remove", SEEDS[3], "--index", spec).exit_code == 0
        assert run("index", "add", SEEDS[3], "--index", spec).exit_code == 0
        outputs.append(_query_all(run, spec, queries))
    sqlite_out, redis_out = outputs
    assert redis_out == sqlite_out
    statuses = {p["status"] for d in sqlite_out["documents"] for p in d["passages"]}
    assert statuses == {"new", "reused", "partial"}  # the comparison covers every kind of answer


def test_redis_commands_and_stats(run, url: str) -> None:  # type: ignore[no-untyped-def]
    result = run("index", "build", *SEEDS[1:], "--index", url)
    assert result.exit_code == 0, result.output
    stats = json.loads(run("index", "stats", "--index", url, "--format", "json", "--check").output)
    assert (stats["backend"], stats["documents"], stats["problems"]) == ("redis", 4, [])
    passages = stats["passages"]
    assert run("index", "add", SEEDS[4], "--index", url).exit_code == 0  # replace: no duplicates
    stats = json.loads(run("index", "stats", "--index", url, "--format", "json", "--check").output)
    assert (stats["documents"], stats["passages"], stats["problems"]) == (4, passages, [])
    assert run("index", "remove", SEEDS[4], "--index", url).exit_code == 0
    stats = json.loads(run("index", "stats", "--index", url, "--format", "json", "--check").output)
    assert stats["documents"] == 3 and stats["passages"] < passages and stats["problems"] == []
    data = _query_all(run, url, [SEEDS[0]])
    assert data["documents"][0]["passages"][0]["status"] == "new"  # the breadcrumb was only in 004


def test_redis_refusals(run, url: str, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    import redis

    missing = run("index", "query", SEEDS[0], "--index", url)
    assert (missing.exit_code, missing.output) == (
        1,
        f"Error: {url}: no such index; create it with `reuse index build`\n",
    )
    assert run("index", "build", SEEDS[1], "--index", url).exit_code == 0
    again = run("index", "build", SEEDS[1], "--index", url)
    assert again.exit_code == 1 and "index already exists" in again.output
    other = run("index", "query", SEEDS[0], "--index", url, "--script", "none")
    assert other.exit_code == 1 and "index built with other settings" in other.output
    prefix = url.split("prefix=")[1]
    client = redis.Redis.from_url(redis_url)
    client.hset(f"{prefix}:meta", "schema_version", "2")
    newer = run("index", "query", SEEDS[0], "--index", url)
    assert newer.exit_code == 1 and "index schema version 2" in newer.output and "newer" in newer.output
    client.set("foreign:key", "x")
    foreign = run("index", "build", SEEDS[1], "--index", f"{redis_url}?prefix=foreign", "--force")
    assert (foreign.exit_code, foreign.output) == (
        1,
        f"Error: {redis_url}?prefix=foreign: keys under prefix 'foreign' are not a reuse index\n",
    )
    assert client.get("foreign:key") == b"x"
    client.close()


def test_unreachable_redis(run) -> None:  # type: ignore[no-untyped-def]
    spec = f"redis://127.0.0.1:{free_port()}/0?prefix=x"
    result = run("index", "stats", "--index", spec)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {spec}: cannot reach Redis (") and len(result.output.splitlines()) == 1


def test_password_is_masked_in_messages(run) -> None:  # type: ignore[no-untyped-def]
    spec = f"redis://:s3cret@127.0.0.1:{free_port()}/0"
    result = run("index", "stats", "--index", spec)
    assert result.exit_code == 1 and "s3cret" not in result.output and ":***@" in result.output


@pytest.mark.parametrize(
    ("field", "value"),
    [("schema_version", "0"), ("settings", "{damaged"), ("fingerprint", "0000")],
    ids=["older-schema", "damaged-settings", "other-algorithm"],
)
def test_force_replaces_any_reuse_index(run, url: str, redis_url: str, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    import redis

    assert run("index", "build", *SEEDS[1:], "--index", url).exit_code == 0
    client = redis.Redis.from_url(redis_url)
    client.hset(f"{url.split('prefix=')[1]}:meta", field, value)
    client.close()
    assert run("index", "stats", "--index", url).exit_code == 1  # refused as it is
    result = run("index", "build", SEEDS[1], "--index", url, "--force")  # what the refusal tells users to do
    assert result.exit_code == 0, result.output
    stats = json.loads(run("index", "stats", "--index", url, "--format", "json", "--check").output)
    assert (stats["documents"], stats["problems"]) == (1, [])
