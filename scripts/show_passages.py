"""Print a file's passages as `reuse` segments them: index, [start, end) in characters of the file as given,
the line (paragraph) they are on, and their text. For labelling, e.g. fixtures/align/.

    python scripts/show_passages.py FILE [--from N] [--to N]
"""

from __future__ import annotations

import argparse

from reuse.load.corpus import load_one
from reuse.settings import Settings
from reuse.sketch.prepared import prepare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--from", dest="first", type=int, default=0)
    parser.add_argument("--to", dest="last", type=int, default=None)
    args = parser.parse_args()
    doc = prepare(load_one(args.file), Settings())
    text = doc.text
    for i in range(args.first, len(doc) if args.last is None else min(args.last + 1, len(doc))):
        start, end = int(doc.starts[i]), int(doc.ends[i])
        print(f"{i}\t[{start}, {end}]\tline {int(doc.paragraphs[i])}\t{text[start:end]}")


if __name__ == "__main__":
    main()
