"""`index build` on a Dask cluster: who should write, the client or the workers? (issue 11, item 5)

    python scripts/bench_cluster_index.py [--docs 10000] [--workers 2] [--out bench-out/cluster-index]

Builds (or reuses) the synthetic corpus of scripts/synthetic.py and times, on the same corpus in the
same run, as whole commands where there is one:

1. `reuse index build` into SQLite, in process (the default path);
2. `reuse index build --cluster local:N` into SQLite: workers analyse, the client writes (what ships);
3. `reuse index build` into Redis, in process;
4. `reuse index build --cluster local:N` into Redis: workers analyse, the client writes (what ships);
5. workers analyse *and* write to Redis themselves, each its own chunks, concurrently (a prototype,
   through the library: Redis takes concurrent writers; the order of writes, and so the passage ids,
   then depend on timing, which is why it does not ship: query results with capped candidate lists
   could differ from run to run).

A redis-server is started on a free loopback port (flushed between runs). Printed: wall seconds,
passages per second, and whether each index holds the documents and passages of the first.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from synthetic import generate

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reuse", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _counts(spec: str) -> tuple[int, int]:
    from reuse.index import open_index

    with open_index(spec) as store:
        stats = store.stats()
        return stats.documents, stats.passages


def _workers_write(docs: str, spec: str, workers: int) -> float:
    """Prototype: every worker writes its own chunks straight to Redis."""
    from distributed import Client, LocalCluster

    from reuse.index import open_index
    from reuse.index.cluster_add import analyse_for_index
    from reuse.load.corpus import InputOptions, Source, listed
    from reuse.settings import Settings

    def write(sources: list[tuple[int, Source]]) -> int:
        entries = analyse_for_index(sources, InputOptions(), Settings())[0]
        with open_index(spec, "write") as store:
            return store.add(entries)[0]

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0", silence_logs=50)
    with cluster, Client(cluster) as client:
        started = time.perf_counter()
        with open_index(spec, "create", Settings(), force=True):
            pass
        sources = [(i, s) for i, s in enumerate(listed([docs], InputOptions())) if isinstance(s, Source)]
        chunks = [sources[i : i + 64] for i in range(0, len(sources), 64)]
        written = sum(client.gather([client.submit(write, chunk, pure=False) for chunk in chunks]))
        assert written == len(sources)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-out", "cluster-index"))
    args = parser.parse_args()
    corpus = os.path.join(args.out, f"synthetic-{args.docs}")
    if not os.path.isdir(os.path.join(corpus, "docs")):
        generate(corpus, docs=args.docs, seed=7)
    docs = os.path.join(corpus, "docs")
    cluster = f"local:{args.workers}"
    port = _free_port()
    with tempfile.TemporaryDirectory() as scratch:
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", scratch],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            time.sleep(0.5)
            redis = f"redis://127.0.0.1:{port}/0?prefix=bench"
            sqlite = os.path.join(scratch, "index.sqlite")
            rows = []
            for name, build in (
                ("SQLite, in process", ["index", "build", docs, "--index", sqlite, "--force"]),
                (f"SQLite, --cluster {cluster} (client writes)", ["index", "build", docs, "--index", sqlite, "--force", "--cluster", cluster]),
                ("Redis, in process", ["index", "build", docs, "--index", redis, "--force"]),
                (f"Redis, --cluster {cluster} (client writes)", ["index", "build", docs, "--index", redis, "--force", "--cluster", cluster]),
            ):  # fmt: skip
                seconds = _run(build)
                rows.append((name, seconds, _counts(build[4])))
            seconds = _workers_write(docs, redis, args.workers)
            rows.append((f"Redis, {cluster} workers write (prototype)", seconds, _counts(redis)))
        finally:
            server.terminate()
            server.wait(10)
    reference = rows[0][2]
    print(f"{args.docs:,} readouts, {reference[1]:,} passages\n")
    print("| build | wall s | passages/s | same documents and passages |")
    print("|---|---:|---:|---|")
    for name, seconds, counts in rows:
        print(f"| {name} | {seconds:.1f} | {counts[1] / seconds:,.0f} | {'yes' if counts == reference else 'no'} |")


if __name__ == "__main__":
    main()
