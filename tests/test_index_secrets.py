"""No Redis password in any output, and the messages a password-protected or TLS-less server gives."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from reuse.index import display_spec

from .conftest import ROOT, start_redis

SEEDS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "seeds").glob("*.txt"))
# A password with characters a URL must encode: masking must hide it typed and encoded.
PASSWORD = f"pw@{uuid.uuid4().hex[:12]}/x"
WRONG = f"wrong{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """host:port of a real redis-server that requires PASSWORD."""
    server, address = start_redis(tmp_path_factory.mktemp("redis-auth"), "--requirepass", PASSWORD, password=PASSWORD)
    yield address
    server.terminate()  # type: ignore[attr-defined]
    server.wait(10)  # type: ignore[attr-defined]


def _url(address: str, password: str = PASSWORD) -> str:
    return f"redis://:{quote(password, safe='')}@{address}/0?prefix=s{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize(
    ("spec", "shown"),
    [
        ("idx.sqlite", "idx.sqlite"),
        ("/data/a:b@c/idx.sqlite", "/data/a:b@c/idx.sqlite"),
        ("redis://host:6379/0?prefix=news", "redis://host:6379/0?prefix=news"),
        ("redis://:s3cret@host:6379/0", "redis://:***@host:6379/0"),
        ("rediss://alice:s3cret@host/1?prefix=p", "rediss://alice:***@host/1?prefix=p"),
        ("redis://alice@host/0", "redis://alice@host/0"),
        ("redis://:p%40ss%2Fw@host/0", "redis://:***@host/0"),
        ("redis://:p@ss/w@host/0", "redis://:***@host/0"),  # unencoded '@' and '/' in the password
        ("redis://host/0?password=s3cret&prefix=x", "redis://host/0?password=***&prefix=x"),
        ("redis://host/0?prefix=auth&ssl_password=k", "redis://host/0?prefix=auth&ssl_password=***"),
        ("unix:///run/redis@1/redis.sock?db=0&password=s3cret", "unix:///run/redis@1/redis.sock?db=0&password=***"),
        ("unix://bob:s3cret@/run/redis.sock?db=1", "unix://bob:***@/run/redis.sock?db=1"),
    ],
)
def test_display_spec_masks_every_password_and_nothing_else(spec: str, shown: str) -> None:
    assert display_spec(spec) == shown


def _assert_no_secret(result, *secrets: str) -> None:  # type: ignore[no-untyped-def]
    for stream in (result.stdout, result.stderr):
        for secret in secrets:
            for form in (secret, quote(secret, safe="")):
                assert form not in stream, stream


def test_no_password_in_any_output(run, secured: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = _url(secured)
    shown = display_spec(url)
    report = tmp_path / "report.md"
    commands = [
        (0, ("index", "build", *SEEDS[1:4], "--index", url)),
        (1, ("index", "build", *SEEDS[1:4], "--index", url)),  # already exists
        (0, ("index", "add", SEEDS[4], "--index", url)),
        (0, ("index", "query", SEEDS[0], "--index", url)),
        (0, ("index", "query", SEEDS[0], "--index", url, "--format", "json")),
        (0, ("index", "query", SEEDS[0], "--index", url, "--format", "markdown")),
        (0, ("index", "query", SEEDS[0], "--index", url, "--format", "markdown", "-o", str(report))),
        (0, ("index", "stats", "--index", url)),
        (0, ("index", "stats", "--index", url, "--format", "json", "--check")),
        (0, ("scan", *SEEDS[:2], "--against", url)),
        (0, ("scan", *SEEDS[:2], "--against", url, "--format", "json")),
        (0, ("diff", SEEDS[0], SEEDS[4], "--against", url)),
        (0, ("diff", SEEDS[0], SEEDS[4], "--against", url, "--format", "markdown")),
        (0, ("index", "remove", SEEDS[4], "--index", url)),
        (1, ("index", "remove", "no-such-id", "--index", url)),
        (1, ("index", "stats", "--index", _url(secured, WRONG))),
        (1, ("index", "query", SEEDS[0], "--index", url, "--script", "none")),  # other settings
    ]
    failures = []
    for code, args in commands:
        result = run(*args)
        assert result.exit_code == code, (args, result.output)
        try:
            _assert_no_secret(result, PASSWORD, WRONG)
        except AssertionError:
            failures.append(" ".join(args[:2]) + f": {(result.stdout + result.stderr).strip()[:200]}")
    assert not failures, "the password is shown by:\n" + "\n".join(failures)
    assert PASSWORD not in report.read_text(encoding="utf-8") and shown in report.read_text(encoding="utf-8")
    # The masked URL is what the user sees instead: it names the index.
    assert f"Error: {shown}: no document 'no-such-id' in the index; nothing removed\n" == (
        run("index", "remove", "no-such-id", "--index", url).stderr
    )


def test_a_server_that_needs_a_password_says_so(run, secured: str) -> None:  # type: ignore[no-untyped-def]
    spec = f"redis://{secured}/0?prefix=x"
    result = run("index", "stats", "--index", spec)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {spec}: Redis requires a password (put it in the URL: redis://:PASSWORD@host:port/db)\n",
    )


@pytest.mark.parametrize("user", ["", "alice"])
def test_a_wrong_password_says_so(run, secured: str, user: str) -> None:  # type: ignore[no-untyped-def]
    spec = f"redis://{user}:{WRONG}@{secured}/0?prefix=x"
    result = run("index", "query", SEEDS[0], "--index", spec)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: redis://{user}:***@{secured}/0?prefix=x: wrong Redis password or user\n",
    )


def test_a_password_in_the_query_string_works_and_is_masked(run, secured: str) -> None:  # type: ignore[no-untyped-def]
    spec = f"redis://{secured}/0?password={quote(PASSWORD, safe='')}&prefix=q{uuid.uuid4().hex[:8]}"
    result = run("index", "build", SEEDS[1], "--index", spec)
    assert result.exit_code == 0, result.output
    result = run("index", "stats", "--index", spec, "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"index": "' + display_spec(spec) + '"' in result.stdout and "password=***" in result.stdout
    _assert_no_secret(result, PASSWORD)


def test_a_unix_socket_url_reaches_the_server(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    socket = tmp_path / "redis.sock"
    server, _ = start_redis(tmp_path, "--unixsocket", str(socket), "--requirepass", PASSWORD, password=PASSWORD)
    try:
        spec = f"unix://{socket}?password={quote(PASSWORD, safe='')}&prefix=u"
        build = run("index", "build", SEEDS[1], "--index", spec)
        assert build.exit_code == 0, build.output
        stats = run("index", "stats", "--index", spec, "--format", "json")
        assert stats.exit_code == 0 and '"documents": 1' in stats.stdout, stats.output
        _assert_no_secret(stats, PASSWORD)
    finally:
        server.terminate()  # type: ignore[attr-defined]
        server.wait(10)  # type: ignore[attr-defined]


def test_rediss_to_a_plain_server_fails_fast(run, secured: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from reuse.index import redis_connection

    assert redis_connection.CONNECT_TIMEOUT <= 5  # what a user waits at most; shortened below to keep the test fast
    monkeypatch.setattr(redis_connection, "CONNECT_TIMEOUT", 0.5)
    spec = f"rediss://:{quote(PASSWORD, safe='')}@{secured}/0?prefix=x"
    started = time.monotonic()
    result = run("index", "stats", "--index", spec)
    assert time.monotonic() - started < 3
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: rediss://:***@{secured}/0?prefix=x: TLS handshake failed (")
    assert result.stderr.endswith("); is the server using TLS? A server without TLS takes redis://\n")
    _assert_no_secret(result, PASSWORD)
