"""The persistent index at scale: build throughput, size per passage, query latency, query memory.

    python scripts/bench_index.py [--sizes 100000 1000000] [--backends sqlite redis] [--queries 50]

Synthetic readouts (deterministic, fixed seed) are made from the sentences of the development corpus
(../shared/corpora/xinwenlianbo): each passage joins the first part of one sentence to the end of
another and changes a few characters, so passages are diverse and overlap the way reused text does.
Documents of 50 passages are added until the index holds each size in turn (the 1,000,000 index is
the 100,000 one with 900,000 more passages added). For each size: passages per second of the build
step (analysis included: the figure a user sees), bytes on disk per passage (SQLite: the file after a
WAL checkpoint; Redis: the RDB file a SAVE writes), for Redis also the server memory per passage
(used_memory of a dedicated server above its empty baseline), and, in a separate
process, the p50/p95 latency of querying one seed readout (analysis included) and that process's
peak resident memory. Outputs go under bench-out/. Benchmarks print figures; they assert nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)
CORPUS = os.path.join(ROOT, "..", "shared", "corpora", "xinwenlianbo")
OUT = os.path.join(ROOT, "bench-out", "index")
QUERY = os.path.join(ROOT, "seeds", "000_72809ab1e56e2c9e.txt")
PER_DOC = 50

QUERY_PROCESS = textwrap.dedent(
    """
    import json, sys, time

    def peak_mb():
        # VmHWM: this process's own peak. ru_maxrss would keep the parent's peak across fork and exec.
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024

    sys.path.insert(0, {root!r})
    from reuse.load.document import load_document
    from reuse.index import open_index
    from reuse.index.query import query
    store = open_index({spec!r})
    doc = load_document({doc!r})
    query(store, doc)  # warm: imports, OpenCC tables, page cache
    times = []
    for _ in range({n}):
        t = time.perf_counter()
        result = query(store, doc)
        times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({{
        "p50_ms": 1000 * times[len(times) // 2],
        "p95_ms": 1000 * times[min(len(times) - 1, int(len(times) * 0.95))],
        "peak_rss_mb": peak_mb(),
        "counts": result.counts(),
    }}))
    """
)


def sentences() -> list[str]:
    found: list[str] = []
    for name in sorted(os.listdir(CORPUS)):
        with open(os.path.join(CORPUS, name), encoding="utf-8") as handle:
            for piece in re.split(r"(?<=[。！？])", handle.read()):
                piece = piece.strip().replace("\n", "")
                if 12 <= len(piece) <= 200:
                    found.append(piece)
    return found


def documents(pool: list[str], start: int, count: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """count synthetic documents, numbered from start; the same numbers always give the same texts."""
    from reuse.load.document import from_text

    han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
    for number in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + number)
        lines = []
        for _ in range(PER_DOC):
            a, b = rng.choice(pool), rng.choice(pool)
            text = a[: rng.randint(6, max(6, len(a) - 2))] + b[rng.randint(0, len(b) // 2) :]
            chars = list(text)
            for _ in range(rng.randint(0, 3)):
                chars[rng.randrange(len(chars))] = rng.choice(han)
            text = re.sub("[。！？；!?;]", "，", "".join(chars))  # one sentence per line: PER_DOC passages
            lines.append(text if text.endswith("。") else text + "。")
        yield from_text("\n".join(lines) + "\n", f"synthetic/{number:07d}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def query_figures(spec: str, n: int) -> dict[str, object]:
    code = QUERY_PROCESS.format(root=ROOT, spec=spec, doc=QUERY, n=n)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def run_backend(backend: str, sizes: list[int], queries: int, pool: list[str]) -> list[dict[str, object]]:
    from reuse.index import add_documents, open_index
    from reuse.settings import Settings

    server = None
    if backend == "sqlite":
        path = os.path.join(OUT, "bench.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        spec = path
    else:
        port = free_port()
        rdb_dir = os.path.join(OUT, "redis")
        shutil.rmtree(rdb_dir, ignore_errors=True)
        os.makedirs(rdb_dir)
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", rdb_dir],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        spec = f"redis://127.0.0.1:{port}/0?prefix=bench"
    rows = []
    try:
        store = open_index(spec, "create", Settings())
        baseline = store.stats().size_bytes if backend == "redis" else 0
        store.close()
        have = 0
        for size in sizes:
            store = open_index(spec, "write")
            started = time.perf_counter()
            count = (size - have) // PER_DOC
            added = add_documents(store, documents(pool, have // PER_DOC, count)).passages
            seconds = time.perf_counter() - started
            have += added
            if backend == "sqlite":
                store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[attr-defined]
            stats = store.stats()
            store.close()
            size_bytes = stats.size_bytes - baseline
            memory = None
            if backend == "redis":
                import redis

                memory = round(size_bytes / stats.passages)
                redis.Redis.from_url(spec.split("?")[0], socket_timeout=3600).save()  # outside the timed build
                size_bytes = os.path.getsize(os.path.join(rdb_dir, "dump.rdb"))
            row = {
                "backend": backend,
                "passages": stats.passages,
                "build_passages_per_s": round(added / seconds),
                "bytes_per_passage": round(size_bytes / stats.passages),
                "memory_bytes_per_passage": memory,
                **query_figures(spec, queries),
            }
            print(json.dumps(row), flush=True)
            rows.append(row)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "redis"], choices=["sqlite", "redis"])
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    if not os.path.isdir(CORPUS):
        sys.exit(f"development corpus not found at {CORPUS}")
    if "redis" in args.backends and shutil.which("redis-server") is None:
        sys.exit("redis-server is not installed (apt-get install -y redis-server)")
    os.makedirs(OUT, exist_ok=True)
    pool = sentences()
    rows = []
    for backend in args.backends:
        rows += run_backend(backend, sorted(args.sizes), args.queries, pool)
    with open(os.path.join(OUT, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=2)
    print()
    print(
        "| backend | passages | build passages/s | bytes on disk per passage | server memory per passage "
        "| query p50 ms | query p95 ms | query peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        memory = f"{r['memory_bytes_per_passage']:,}" if r["memory_bytes_per_passage"] else "–"
        print(
            f"| {r['backend']} | {r['passages']:,} | {r['build_passages_per_s']:,} | {r['bytes_per_passage']:,} | {memory} | "
            f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['peak_rss_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
