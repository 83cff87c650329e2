"""A deterministic synthetic corpus of readouts with boilerplate at known places.

    python scripts/synthetic.py OUT_DIR [--docs 10000] [--seed 7]

Three imaginary sites publish the pages. Each page is: the site's furniture at the top (breadcrumb,
a metadata line whose date, time and editor vary, on one site a slogan), then a title and about
5,000 characters of real content paragraphs drawn (seeded) from the development corpus's news items,
then the site's footer (a rule and an update stamp whose number varies). Every furniture line is
recorded in OUT_DIR/truth.jsonl as {"doc", "start", "end"}, so that a scan's boilerplate can be
scored at scale. Content comes from ../shared/corpora (or the seeds when it is absent); the corpus
itself is never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS = os.path.join(ROOT, "..", "shared", "corpora", "xinwenlianbo")

SITES = [
    {
        "top": ["首頁 > 頭條", "發佈時間:{date} {time} | 來源:新華網 | 作者: | 責任編輯:{editor}"],
        "bottom": ["---", "(更新時間戳: {stamp})"],
        "editors": ["曹川川", "張芃芃", "劉暢", "王瑩"],
    },
    {
        "top": [
            "We will stay firmly rooted in Chinese culture and tell China's stories well.",
            "Home > World > Asia-Pacific",
            "Source: Xinhua | Editor: {editor} | {date} {time}",
        ],
        "bottom": ["Copyright © {year} Xinhua News Agency. All rights reserved."],
        "editors": ["Liu Xin", "Wang Ying", "Zhang Wei"],
    },
    {
        "top": ["首页 > 国际", "发布时间：{date} {time} 来源：央视网 编辑：{editor}"],
        "bottom": ["[查看原文](https://tv.cctv.com/{year}/{md}/VIDE{stamp}.shtml)", "(更新时间戳: {stamp})"],
        "editors": ["李娜", "陈晨", "赵磊"],
    },
]


def content_paragraphs() -> list[str]:
    """News paragraphs of the corpus (the <p> items), or seed paragraphs without it."""
    paragraphs: list[str] = []
    if os.path.isdir(CORPUS):
        for name in sorted(os.listdir(CORPUS)):
            with open(os.path.join(CORPUS, name), encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("<p>"):
                        for piece in re.split(r"</?p>|<br>", line):
                            piece = re.sub(r"<[^>]+>", "", piece).strip()
                            if len(piece) >= 40:
                                paragraphs.append(piece)
    else:
        seeds = os.path.join(ROOT, "seeds")
        for name in sorted(os.listdir(seeds)):
            with open(os.path.join(seeds, name), encoding="utf-8") as handle:
                paragraphs += [p.strip() for p in handle if len(p.strip()) >= 40]
    return paragraphs


def page(rng: random.Random, site: dict, pool: list[str], size: int) -> tuple[str, list[tuple[int, int]]]:
    year = rng.randint(2021, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    values = {
        "date": f"{year}-{month:02d}-{day:02d}",
        "time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        "editor": rng.choice(site["editors"]),
        "stamp": str(rng.randint(10**12, 10**13 - 1)),
        "year": str(year),
        "md": f"{month:02d}/{day:02d}",
    }
    lines: list[tuple[str, bool]] = [(t.format(**values), True) for t in site["top"]]
    lines.append((rng.choice(pool)[:30].rstrip("，。,. "), False))  # a title
    body = 0
    while body < size:
        paragraph = rng.choice(pool)
        lines.append((paragraph, False))
        body += len(paragraph)
    lines += [(t.format(**values), True) for t in site["bottom"]]
    text, truth, position = [], [], 0
    for line, furniture in lines:
        if furniture:
            truth.append((position, position + len(line)))
        text.append(line)
        position += len(line) + 1
    return "\n".join(text) + "\n", truth


def generate(out_dir: str, docs: int, seed: int, size: int = 5000) -> int:
    rng = random.Random(seed)
    pool = content_paragraphs()
    os.makedirs(out_dir, exist_ok=True)
    total = 0
    with open(os.path.join(out_dir, "truth.jsonl"), "w", encoding="utf-8") as truth_file:
        for i in range(docs):
            site = SITES[i % len(SITES)]
            text, truth = page(rng, site, pool, size)
            name = f"site{i % len(SITES)}/{i:05d}.txt"
            path = os.path.join(out_dir, "docs", name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            total += len(text)
            truth_file.writelines(json.dumps({"doc": name, "start": start, "end": end}) + "\n" for start, end in truth)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    total = generate(args.out_dir, args.docs, args.seed)
    print(f"{args.docs} documents, {total:,} characters in {args.out_dir}/docs")


if __name__ == "__main__":
    main()
