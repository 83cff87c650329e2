"""Big HTML reports in a real browser: file size, and how long a scan's page takes to open.

    python scripts/bench_html.py [--docs "1000 10000"] [--seed 7]

For each size, the synthetic corpus of scripts/synthetic.py (under bench-out/, deterministic) is scanned
with `reuse scan --format html` (and `--format json` for comparison), and the page is opened in Debian's
Chromium through Playwright, five times in fresh pages: the time from navigation to the first page of
families and documents laid out (the script's work included), and to the first document shown after a
click. The audit page is measured the same way. Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.dirname(__file__))
from synthetic import generate

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
RUNS = 5


def corpus(docs: int, seed: int) -> str:
    out = os.path.join(ROOT, "bench-out", f"synthetic-{docs}-{seed}")
    if not os.path.isdir(os.path.join(out, "docs")):
        generate(out, docs, seed)
    return os.path.join(out, "docs")


def report(command: str, fmt: str, docs_dir: str, out: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reuse", command, "--format", fmt, "-o", out, docs_dir], check=True)
    return time.perf_counter() - start


def open_times(browser, path: str, ready: str, click: str | None) -> tuple[float, float | None]:
    """Median seconds to `ready` visible, and from a click on `click` to a document shown."""
    loads, clicks = [], []
    for _ in range(RUNS):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        start = time.perf_counter()
        page.goto("file://" + path, wait_until="commit")
        page.wait_for_selector(ready, state="attached", timeout=120_000)
        loads.append(time.perf_counter() - start)
        if click:
            start = time.perf_counter()
            page.click(click)
            page.wait_for_selector("#document .text", timeout=60_000)
            clicks.append(time.perf_counter() - start)
        page.close()
    return statistics.median(loads), statistics.median(clicks) if clicks else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="1000 10000")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for docs in map(int, args.docs.split()):
            docs_dir = corpus(docs, args.seed)
            out = os.path.join(ROOT, "bench-out", f"html-{docs}")
            os.makedirs(out, exist_ok=True)
            for command, ready, click in (
                ("scan", "#families .family", "#documents .doc-link"),
                ("audit", "svg.chart", None),
            ):
                page = os.path.join(out, f"{command}.html")
                seconds = report(command, "html", docs_dir, page)
                json_size = None
                if command == "scan":
                    report(command, "json", docs_dir, os.path.join(out, "scan.json"))
                    json_size = os.path.getsize(os.path.join(out, "scan.json"))
                load, shown = open_times(browser, page, ready, click)
                rows.append((docs, command, seconds, os.path.getsize(page), json_size, load, shown))
        browser.close()
    print(
        f"| readouts | report | command s | HTML MB | JSON MB | opens in s (median of {RUNS}) | document shown in s |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    for docs, command, seconds, size, json_size, load, shown in rows:
        json_mb = f"{json_size / 1e6:.1f}" if json_size else ""
        shown_s = f"{shown:.2f}" if shown is not None else ""
        print(f"| {docs:,} | {command} | {seconds:.1f} | {size / 1e6:.2f} | {json_mb} | {load:.2f} | {shown_s} |")


if __name__ == "__main__":
    main()
