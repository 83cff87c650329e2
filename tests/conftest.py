from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpora" / "xinwenlianbo"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.fixture
def chdir_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def run(chdir_root: Path):  # type: ignore[no-untyped-def]
    """Invoke the CLI from the project root: run("index", "stats", ...)."""
    from click.testing import CliRunner

    from reuse.cli import cli

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, list(args))

    return invoke


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real redis-server on a free loopback port, for the session; skipped (visibly) only off CI."""
    import os
    import shutil
    import subprocess
    import time

    missing = None
    if shutil.which("redis-server") is None:
        missing = "redis-server is not installed (apt-get install -y redis-server)"
    else:
        try:
            import redis
        except ImportError:
            missing = "the redis client is not installed (pip install -e '.[test]')"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: Redis tests must run in CI")
        pytest.skip(f"{missing}: Redis tests skipped")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail(f"redis-server did not answer on port {port}")
    yield url
    client.close()
    server.terminate()
    server.wait(10)
