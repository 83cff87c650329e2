"""The screenshots of the HTML reports under docs/, for the README: each report opened in Debian's
Chromium (Playwright), one laptop screen, after a click where the report has something to click.

    python scripts/screenshots.py [--out docs]

diff and index query read the seeds; scan and audit a small demonstration corpus made in a temporary
directory: the seeds, 24 readouts of scripts/synthetic.py (three imaginary sites' furniture around
content drawn from ../shared/corpora, or from the seeds without it), and two near copies of a seed.
Needs the test extra (Playwright) and the Debian packages chromium and fonts-noto-cjk (without a CJK
font the Chinese text shows as boxes).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def demo_corpus(where: Path) -> Path:
    corpus = where / "corpus"
    generate(str(where / "synthetic"), 24, 7, 1500)
    shutil.copytree(where / "synthetic" / "docs", corpus)
    for seed in SEEDS:
        shutil.copy(seed, corpus / seed.name)
    text = SEEDS[0].read_text(encoding="utf-8")
    (corpus / "copy-a.txt").write_text(text.replace("新華社", "新华社", 1), encoding="utf-8")
    (corpus / "copy-b.txt").write_text(text + "\n\n補記：會談後雙方共同會見記者。", encoding="utf-8")
    return corpus


def reuse(*args: str, cwd: Path = ROOT) -> None:
    subprocess.run([sys.executable, "-m", "reuse", *args], check=True, cwd=cwd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as playwright:
        tmp = Path(tmp_name)
        corpus = demo_corpus(tmp)
        index = str(tmp / "seeds.sqlite")
        reuse("index", "build", "-q", "--index", index, *[f"seeds/{s.name}" for s in SEEDS[:4]])
        pages = {
            # name: (command line after `reuse`, the directory it runs in, what to click before the screenshot)
            "diff": (["diff", f"seeds/{SEEDS[1].name}", f"seeds/{SEEDS[3].name}"], ROOT, ["#new mark >> nth=6"]),
            "scan": (
                ["scan", corpus.name],
                corpus.parent,
                ["#families .family >> nth=0 >> summary", "#families .members .doc-link >> nth=1"],
            ),
            "audit": (["audit", corpus.name], corpus.parent, []),
            "query": (
                ["index", "query", "--index", "seeds.sqlite", f"{ROOT}/seeds/{SEEDS[4].name}"],
                tmp,
                [".target mark:not([data-to='']) >> nth=0"],
            ),
        }
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, (command, cwd, clicks) in pages.items():
            page_file = tmp / f"{name}.html"
            reuse(*command, "--format", "html", "-o", str(page_file), cwd=cwd)
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(page_file.as_uri())
            for selector in clicks:
                page.click(selector)
                page.wait_for_timeout(200)  # inside the flash, so that the picture shows it
            shot = args.out / f"{name}.png"
            page.screenshot(path=str(shot))
            print(f"{shot.relative_to(ROOT)}: {shot.stat().st_size:,} bytes")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
