"""The screenshots of the HTML reports under docs/, for the README: each report of the seeds, opened in
Debian's Chromium (Playwright), one laptop screen, after one click on a reused span where there is one.

    python scripts/screenshots.py [--out docs]

Needs the test extra (Playwright) and the Debian packages chromium and fonts-noto-cjk (without a CJK font
the Chinese text shows as boxes).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
REPORTS = {
    # name: (command line after `reuse`, what to click before the screenshot)
    "diff": (["diff", "--format", "html", f"seeds/{SEEDS[1].name}", f"seeds/{SEEDS[3].name}"], "#new mark >> nth=6"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, (command, click) in REPORTS.items():
            page_file = Path(tmp) / f"{name}.html"
            subprocess.run([sys.executable, "-m", "reuse", *command, "-o", str(page_file)], check=True, cwd=ROOT)
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(page_file.as_uri())
            if click:
                page.click(click)
                page.wait_for_timeout(200)  # inside the flash, so that the picture shows it
            shot = args.out / f"{name}.png"
            page.screenshot(path=str(shot))
            print(f"{shot.relative_to(ROOT)}: {shot.stat().st_size:,} bytes")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
