"""Byte-identity of the reports before and after a change meant to preserve behaviour (issue 10, point 6).

    python scripts/check_identity.py record OUT_DIR [--code CHECKOUT]
    python scripts/check_identity.py compare DIR_A DIR_B

`record` runs `python -m reuse` with the code of CHECKOUT (default: this checkout) on fixed inputs and
writes every report under OUT_DIR: `diff` of every ordered pair of seeds (and of one pair with
`--unit paragraph`, one with `--no-mask-digits`); `scan` and `audit` of the seeds, of
../shared/corpora (xinwenlianbo, mfa/text, mfa/html) and of a 1,000-readout synthetic corpus;
`clean` of the seeds, xinwenlianbo and the synthetic corpus (copies and manifest, OUT_DIR/clean-*/);
an SQLite index of seeds 001/003/004 and xinwenlianbo, `index query` of seed 000, seed 002 and three
xinwenlianbo days, and `scan --against` and `diff --against` that index. The ../shared parts are
skipped, with a note, when ../shared/corpora is absent. OUT_DIR/inputs.sha256 records the inputs, so
that a change of corpus is not mistaken for a change of behaviour; OUT_DIR/record.json says which code
ran (not compared).

`compare` says, output by output, `same` or `DIFFERENT` with the first differing line, and exits 1 on
any difference. Files are compared byte for byte, except that in a JSON report (*.json, the manifest)
the value of every "settings" key is replaced by a placeholder first: the value's exact span is found
by parsing, so that nothing else — not a key, a comma or a space — escapes the comparison, whatever
the layout of the block (pretty-printed in `diff`, one line in `scan`).

Paths inside reports must not depend on where the code or OUT_DIR lives: every command runs from this
checkout's root with the same relative input paths and writes its files (clean's copies, the index) in
one fixed scratch folder, bench-out/identity/work, before they are moved to OUT_DIR. `python -P` keeps
the root's own `reuse` off sys.path so that PYTHONPATH=CHECKOUT alone decides which code runs (checked
before anything runs: an editable install may point elsewhere). One record at a time per checkout.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = "bench-out/identity"  # relative to ROOT, like every path given to a command
WORK = f"{CACHE}/work"
SYNTHETIC_DOCS, SYNTHETIC_SEED = 1000, 7
SYNTHETIC = f"{CACHE}/synthetic-{SYNTHETIC_DOCS}"
CORPORA = "../shared/corpora"
XINWENLIANBO = f"{CORPORA}/xinwenlianbo"
# Two Xi–Putin days (talks in Moscow) and an ordinary one: the index holds them, so their own copies are ignored.
QUERIED_DAYS = ("20230321.md", "20230322.md", "20240405.md")
JOBS = ("--jobs", "2")
RECORD = "record.json"
PLACEHOLDER = '"<settings: not compared>"'


class RecordError(Exception):
    """A command failed or the set-up is not what record needs; the message is for the user."""


@dataclass(frozen=True)
class Run:
    """One `python -m reuse` command; its standard output is the report `output` (None: not kept)."""

    args: tuple[str, ...]
    output: str | None


# --------------------------------------------------------------------------------------------- record


def seeds() -> list[str]:
    return sorted(f"seeds/{path.name}" for path in (ROOT / "seeds").glob("*.txt"))


def seed(number: str) -> str:
    (match,) = [path for path in seeds() if Path(path).name.startswith(number + "_")]
    return match


def code_env(code: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "REUSE_INDEX")}
    env["PYTHONPATH"] = str(code)
    return env


def check_code(code: Path, env: dict[str, str]) -> str:
    """The file of the `reuse` package the commands will import, which must be CHECKOUT's."""
    probe = subprocess.run(
        [sys.executable, "-P", "-c", "import reuse; print(reuse.__file__)"],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        raise RecordError(f"{code}: cannot import reuse from it:\n{probe.stderr}")
    module = Path(probe.stdout.strip()).resolve()
    if not module.is_relative_to(code.resolve()):
        raise RecordError(f"{code}: `import reuse` finds {module} instead")
    return str(module)


def run(job: Run, out_dir: Path, env: dict[str, str]) -> None:
    argv = [sys.executable, "-P", "-m", "reuse", *job.args]
    if job.output is None:
        done = subprocess.run(argv, check=False, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    else:
        target = out_dir / job.output
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            done = subprocess.run(argv, check=False, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.PIPE)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "backslashreplace").strip()
        raise RecordError(f"reuse {' '.join(job.args)}: exit code {done.returncode}\n{message}")


def run_all(jobs: Sequence[Run], out_dir: Path, env: dict[str, str], parallel: int = 1) -> None:
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(lambda job: run(job, out_dir, env), jobs))


@contextmanager
def step(name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    print(f"{time.perf_counter() - started:7.1f} s  {name}", flush=True)


def synthetic_corpus() -> None:
    """Generates the synthetic corpus once; a stamp written last says it is complete and from which pool."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from synthetic import generate

    pool = "corpora" if (ROOT / XINWENLIANBO).is_dir() else "seeds"  # synthetic.py draws from either
    wanted = {"docs": SYNTHETIC_DOCS, "seed": SYNTHETIC_SEED, "pool": pool}
    stamp = ROOT / SYNTHETIC / "complete.json"
    if stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == wanted:
        return
    shutil.rmtree(ROOT / SYNTHETIC, ignore_errors=True)
    generate(str(ROOT / SYNTHETIC), SYNTHETIC_DOCS, SYNTHETIC_SEED)
    stamp.write_text(json.dumps(wanted), encoding="utf-8")


def corpora() -> dict[str, str]:
    """Name -> corpus path for scan and audit."""
    named = {"seeds": "seeds"}
    if (ROOT / CORPORA).is_dir():
        named |= {
            "xinwenlianbo": XINWENLIANBO,
            "mfa-text": f"{CORPORA}/mfa/text",
            "mfa-html": f"{CORPORA}/mfa/html",
        }
    named[f"synthetic-{SYNTHETIC_DOCS}"] = f"{SYNTHETIC}/docs"
    return named


def diff_runs() -> list[Run]:
    short = {path: Path(path).name[:3] for path in seeds()}
    jobs = [
        Run(("diff", old, new, "--format", "json"), f"diff/{short[old]}-{short[new]}.json")
        for old in seeds()
        for new in seeds()
        if old != new
    ]
    old, new = seed("004"), seed("000")  # the pair of the README: reuse of every kind
    jobs.append(Run(("diff", old, new, "--format", "json", "--unit", "paragraph"), "diff/004-000-paragraph.json"))
    jobs.append(Run(("diff", old, new, "--format", "json", "--no-mask-digits"), "diff/004-000-no-mask-digits.json"))
    return jobs


def corpus_runs(named: dict[str, str]) -> list[Run]:
    jobs = []
    for name, path in named.items():
        jobs.append(Run(("scan", path, "--format", "json", *JOBS), f"scan/{name}.json"))
        jobs.append(Run(("audit", path, "--format", "json", *JOBS), f"audit/{name}.json"))
    return jobs


def clean_runs(named: dict[str, str]) -> list[Run]:
    kept = [name for name in ("seeds", "xinwenlianbo", f"synthetic-{SYNTHETIC_DOCS}") if name in named]
    return [Run(("clean", named[name], "--out", f"{WORK}/clean-{name}", *JOBS), None) for name in kept]


def index_runs(have_corpora: bool) -> list[Run]:
    index = f"{WORK}/index.sqlite"
    indexed = [seed("001"), seed("003"), seed("004")] + ([XINWENLIANBO] if have_corpora else [])
    queried = [seed("000"), seed("002")] + ([f"{XINWENLIANBO}/{day}" for day in QUERIED_DAYS] if have_corpora else [])
    return [
        Run(("index", "build", *indexed, "--index", index, *JOBS), None),
        Run(("index", "query", *queried, "--index", index, "--format", "json"), "index/query.json"),
        Run(("scan", "seeds", "--against", index, "--format", "json", *JOBS), "index/scan-against.json"),
        Run(("diff", seed("004"), seed("000"), "--against", index, "--format", "json"), "index/diff-against.json"),
    ]


def input_digests(paths: Sequence[str]) -> str:
    lines = []
    for path in paths:
        full = ROOT / path
        files = [full] if full.is_file() else sorted(f for f in full.rglob("*") if f.is_file())
        lines += [f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {os.path.relpath(f, ROOT)}" for f in files]
    return "\n".join(lines) + "\n"


def prepare_out_dir(out_dir: Path) -> None:
    """An empty or new OUT_DIR, or an earlier record (replaced); anything else is refused, never deleted."""
    if out_dir.exists():
        if not out_dir.is_dir():
            raise RecordError(f"{out_dir}: not a directory")
        if any(out_dir.iterdir()):
            if not (out_dir / RECORD).is_file():
                raise RecordError(f"{out_dir}: not empty and not a record; choose another OUT_DIR")
            shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


@contextmanager
def locked() -> Iterator[None]:
    """The scratch folder is shared by every record of this checkout: one at a time."""
    (ROOT / CACHE).mkdir(parents=True, exist_ok=True)
    with open(ROOT / CACHE / "lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RecordError(f"{ROOT / CACHE}: another record is running") from None
        yield


def write_meta(out_dir: Path, meta: dict[str, object]) -> None:
    (out_dir / RECORD).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def record(out_dir: Path, code: Path) -> None:
    if not (code / "reuse" / "__init__.py").is_file():
        raise RecordError(f"{code}: no reuse package in it")
    env = code_env(code)
    module = check_code(code, env)
    have_corpora = (ROOT / CORPORA).is_dir()
    print(f"code: {module}\nrunning from {ROOT}, reports in {out_dir}")
    if not have_corpora:
        print(f"note: {(ROOT / CORPORA).resolve()} is absent: its parts are skipped")
    with locked():
        prepare_out_dir(out_dir)
        meta = {"code": str(code), "module": module, "python": sys.version.split()[0]}
        write_meta(out_dir, {**meta, "complete": False})  # marks OUT_DIR as a record, replaceable after a failure
        shutil.rmtree(ROOT / WORK, ignore_errors=True)
        (ROOT / WORK).mkdir(parents=True)
        started = time.perf_counter()
        with step(f"synthetic corpus of {SYNTHETIC_DOCS} readouts ({SYNTHETIC})"):
            synthetic_corpus()
        named = corpora()
        with step("inputs.sha256"):
            (out_dir / "inputs.sha256").write_text(input_digests(list(named.values())), encoding="utf-8")
        jobs = diff_runs()
        with step(f"diff: {len(jobs)} reports, two at a time"):
            run_all(jobs, out_dir, env, parallel=2)
        for name, path in named.items():
            with step(f"scan and audit of {path}"):
                run_all(corpus_runs({name: path}), out_dir, env)
        for job in clean_runs(named):
            with step(f"clean of {job.args[1]}"):
                run(job, out_dir, env)
                out = Path(job.args[job.args.index("--out") + 1])
                shutil.move(ROOT / out, out_dir / out.name)
        with step("index build, query, scan --against, diff --against"):
            run_all(index_runs(have_corpora), out_dir, env)
        shutil.rmtree(ROOT / WORK)
        total = time.perf_counter() - started
        write_meta(out_dir, {**meta, "complete": True, "seconds": round(total, 1)})
        print(f"{total:7.1f} s  in all")


# -------------------------------------------------------------------------------------------- compare

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _value_end(text: str, pos: int, spans: list[tuple[int, int]]) -> int:
    """End of the JSON value at pos; the spans of "settings" values inside it are appended to spans.

    A container is only walked by hand when its text holds the key: the rest is skipped by the C decoder.
    """
    _, end = _DECODER.raw_decode(text, pos)
    if text[pos] not in "{[" or text.find('"settings"', pos, end) < 0:
        return end
    closing = "}" if text[pos] == "{" else "]"
    pos = _skip_space(text, pos + 1)
    if text[pos] == closing:
        return pos + 1
    while True:
        key = None
        if closing == "}":
            key, pos = json.decoder.scanstring(text, pos + 1)
            pos = _skip_space(text, _skip_space(text, pos) + 1)  # past the colon
        if key == "settings":
            value_end = _DECODER.raw_decode(text, pos)[1]
            spans.append((pos, value_end))
        else:
            value_end = _value_end(text, pos, spans)
        pos = _skip_space(text, value_end)
        if text[pos] == closing:
            return pos + 1
        pos = _skip_space(text, pos + 1)  # past the comma


def without_settings(data: bytes) -> bytes:
    """The bytes of a JSON document or of JSON lines with every "settings" value replaced by PLACEHOLDER."""
    text = data.decode("utf-8")
    spans: list[tuple[int, int]] = []
    pos = _skip_space(text, 0)
    while pos < len(text):
        pos = _skip_space(text, _value_end(text, pos, spans))
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], PLACEHOLDER]
        last = end
    pieces.append(text[last:])
    return "".join(pieces).encode("utf-8")


def is_report(rel: str) -> bool:
    """Reports record wrote; a cleaned copy is compared as it is, whatever its name."""
    if rel.startswith("clean-"):
        return rel.endswith("/reuse-manifest.jsonl")
    return rel.endswith(".json")


def comparable(path: Path, rel: str) -> bytes:
    data = path.read_bytes()
    if not is_report(rel):
        return data
    try:
        return without_settings(data)
    except ValueError:  # not JSON (UnicodeDecodeError is one too): then every byte counts
        return data


def _shown(line: bytes, column: int) -> str:
    start = max(0, column - 40)
    piece = line[start : column + 60].decode("utf-8", "backslashreplace")
    return repr(("…" if start else "") + piece + ("…" if column + 60 < len(line) else ""))


def first_difference(a: bytes, b: bytes) -> str:
    lines_a, lines_b = a.split(b"\n"), b.split(b"\n")
    for number, (line_a, line_b) in enumerate(zip(lines_a, lines_b), 1):
        if line_a != line_b:
            column = next((i for i, (x, y) in enumerate(zip(line_a, line_b)) if x != y), min(len(line_a), len(line_b)))
            return f"line {number}, byte {column + 1}: A {_shown(line_a, column)} | B {_shown(line_b, column)}"
    return f"A has {len(lines_a)} lines, B {len(lines_b)}"


def difference(rel: str, a: Path | None, b: Path | None) -> str | None:
    if a is None or b is None:
        return "only in " + ("B" if a is None else "A")
    bytes_a, bytes_b = comparable(a, rel), comparable(b, rel)
    return None if bytes_a == bytes_b else first_difference(bytes_a, bytes_b)


def files(folder: Path) -> dict[str, Path]:
    found = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}
    found.pop(RECORD)
    return found


def outputs(rels: set[str]) -> dict[str, list[str]]:
    """Output name -> its files: a report is one file, a clean-*/ folder (copies and manifest) one output."""
    grouped: dict[str, list[str]] = {}
    for rel in sorted(rels):
        top = rel.split("/", 1)[0]
        grouped.setdefault(top + "/" if top.startswith("clean-") else rel, []).append(rel)
    return grouped


def compare(dir_a: Path, dir_b: Path) -> int:
    for label, folder in (("A", dir_a), ("B", dir_b)):
        if not (folder / RECORD).is_file():
            raise RecordError(f"{folder}: not a record (no {RECORD})")
        meta = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        if not meta["complete"]:
            raise RecordError(f"{folder}: an incomplete record (its record failed or is running)")
        print(f"{label}: {folder} (code {meta['code']}, recorded in {meta['seconds']} s)")
    in_a, in_b = files(dir_a), files(dir_b)
    different = 0
    for name, rels in outputs(set(in_a) | set(in_b)).items():
        found = [(rel, why) for rel in rels if (why := difference(rel, in_a.get(rel), in_b.get(rel)))]
        if not found:
            count = f" ({len(rels)} files)" if len(rels) > 1 else ""
            print(f"same       {name}{count}")
            continue
        different += 1
        rel, why = found[0]
        where = f"{len(found)} of {len(rels)} files differ, first {rel[len(name) :]}: " if len(rels) > 1 else ""
        print(f"DIFFERENT  {name}  {where}{why}")
    print(f"{different} of {len(outputs(set(in_a) | set(in_b)))} outputs differ" if different else "all identical")
    return 1 if different else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    record_parser = commands.add_parser("record", help="run the commands, write their outputs under OUT_DIR")
    record_parser.add_argument("out_dir", type=Path)
    record_parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose reuse runs (default: this one)")
    compare_parser = commands.add_parser("compare", help="compare two records; exit 1 on any difference")
    compare_parser.add_argument("dir_a", type=Path)
    compare_parser.add_argument("dir_b", type=Path)
    args = parser.parse_args()
    try:
        if args.command == "record":
            record(args.out_dir.resolve(), args.code.resolve())
        else:
            sys.exit(compare(args.dir_a, args.dir_b))
    except RecordError as error:
        print(f"Error: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
