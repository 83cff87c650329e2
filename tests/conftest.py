from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(workdir: Path, *extra: str, password: str | None = None):  # type: ignore[no-untyped-def]
    """A real redis-server on a free loopback port, with extra arguments: (process, host:port).

    Skips (visibly) when redis-server or the client is missing, except in CI, where it fails.
    """
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
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port, password=password)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail(f"redis-server did not answer on port {port}")
    client.close()
    return server, f"127.0.0.1:{port}"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real redis-server for the session."""
    server, address = start_redis(tmp_path_factory.mktemp("redis"))
    yield f"redis://{address}/0"
    server.terminate()
    server.wait(10)


def _descendants(pid: int) -> list[tuple[int, str]]:
    """Processes started, directly or not, by pid, as (pid, command line), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":  # a zombie is already dead; its parent has just not collected it yet
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        try:
            with open(f"/proc/{child}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except OSError:
            continue
        found.append((child, command))
        todo.extend(children.get(child, []))
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The suite leaves no process behind: workers of killed commands, servers, pools all gone."""
    import time

    if not os.path.isdir("/proc"):
        return
    deadline = time.monotonic() + 10

    def left_behind() -> list[tuple[int, str]]:
        # multiprocessing's resource tracker, which a Dask LocalCluster's spawned workers start, serves this
        # interpreter itself until it exits (its pipe closes then): it is no test's leftover.
        return [(pid, command) for pid, command in _descendants(os.getpid()) if "resource_tracker" not in command]

    left = left_behind()
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = left_behind()
    if left:
        lines = "\n".join(f"  {pid}: {command}" for pid, command in left)
        session.config.get_terminal_writer().line(f"\nprocesses left behind by the tests:\n{lines}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def near_duplicate_bench() -> ModuleType:
    """scripts/bench_near_duplicates.py as a module: its corpus and the copies it makes."""
    spec = importlib.util.spec_from_file_location(
        "bench_near_duplicates", ROOT / "scripts" / "bench_near_duplicates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- a real browser (Debian's Chromium, driven by Playwright) for the HTML reports ---------------------------

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
# Chromium's own traffic (updates, safe browsing) would be refused by a closed network, many times over.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed (pip install -e '.[test]')"
    if missing is None and not os.access(CHROMIUM, os.X_OK):
        missing = f"{CHROMIUM} is missing (Debian package chromium)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: browser tests must run in CI")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


class Opened:
    """A report opened in a fresh page, with what it asked of the network and what it complained of."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)

    def _route(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))

    def clean(self) -> None:
        assert self.errors == [] and self.requests == [] and self.dialogs == []
