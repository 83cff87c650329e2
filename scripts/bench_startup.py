"""Start-up cost of the `reuse` command: wall time of whole commands, interpreter start included.

    python scripts/bench_startup.py [--runs 15] [--imports 8]

Each command runs --runs times in a fresh process (after one untimed warm-up run that fills the
file cache and writes .pyc files); best and median wall times are printed against the targets
(`reuse --help` under 0.3 s, `reuse diff` of two seeds under 0.8 s), with the references
`python -c pass` (the interpreter alone) and `python -c "import datasketch"` measured in the same run.

Which code runs: every child gets PYTHONPATH=<this checkout> first, so `python -m reuse` and the
`reuse` console script both import the package of this checkout, whichever checkout the console
script was installed from. The console script is timed as found on PATH (with pyenv that is a shell
shim, which adds its own start-up) and, when that differs, as installed beside this interpreter.

Then, for `--help` and `diff`, the modules that dominate the import time (`python -X importtime`,
one run each, cumulative microseconds of the imports made directly by the program or lazily inside
its functions).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OLD = "seeds/004_1be1cfc6bdf062d7.txt"
NEW = "seeds/000_72809ab1e56e2c9e.txt"
HELP_TARGET, DIFF_TARGET = 0.3, 0.8


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH", "")) if p)
    return env


def wall(command: list[str], runs: int) -> tuple[float, float]:
    """(best, median) seconds of `runs` runs, after one untimed warm-up run."""
    env = child_env()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def console_scripts() -> list[tuple[str, str]]:
    """(label, path) of the `reuse` console script on PATH and beside this interpreter, if any."""
    found = []
    on_path = shutil.which("reuse")
    beside = os.path.join(sysconfig.get_path("scripts"), "reuse")
    if on_path:
        found.append(("reuse (console script on PATH)", on_path))
    if os.path.isfile(beside) and (not on_path or os.path.realpath(beside) != os.path.realpath(on_path)):
        found.append(("reuse (console script beside the interpreter)", beside))
    return found


def dominant_imports(args: list[str], top: int) -> list[tuple[str, int]]:
    """The `top` costliest imports at the outermost level of `python -X importtime -m reuse ARGS`."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reuse", *args],
        cwd=ROOT,
        env=child_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        if not name[1:].startswith(" "):  # outermost level: imported by the program itself
            rows.append((name.strip(), int(cumulative)))
    return sorted(rows, key=lambda row: -row[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    parser.add_argument("--imports", type=int, default=8, help="dominant imports listed per command (default 8)")
    args = parser.parse_args()
    py = sys.executable
    help_args, diff_args = ["--help"], ["diff", OLD, NEW]
    json_args = ["diff", "--format", "json", OLD, NEW]
    commands: list[tuple[str, list[str], float | None]] = [
        ("python -c pass (reference: interpreter start)", [py, "-c", "pass"], None),
        ("python -c 'import datasketch' (reference)", [py, "-c", "import datasketch"], None),
        ("python -m reuse --help", [py, "-m", "reuse", *help_args], HELP_TARGET),
        ("python -m reuse diff 004 000 (table)", [py, "-m", "reuse", *diff_args], DIFF_TARGET),
        ("python -m reuse diff 004 000 --format json", [py, "-m", "reuse", *json_args], DIFF_TARGET),
    ]
    for label, script in console_scripts():
        commands += [
            (f"{label} --help", [script, *help_args], HELP_TARGET),
            (f"{label} diff 004 000 (table)", [script, *diff_args], DIFF_TARGET),
        ]
    print(f"python {sys.version.split()[0]} ({py}), {os.cpu_count()} cores; PYTHONPATH={ROOT}")
    print(f"best and median of {args.runs} runs after one warm-up; seeds {OLD} (OLD), {NEW} (NEW)")
    for label, script in console_scripts():
        print(f"{label}: {script}")
    print()
    print("| command | best s | median s | target s | |\n|---|---:|---:|---:|---|")
    for label, command, target in commands:
        best, median = wall(command, args.runs)
        verdict = "" if target is None else ("met" if median < target else "**not met**")
        target_text = "" if target is None else f"< {target}"
        print(f"| {label} | {best:.3f} | {median:.3f} | {target_text} | {verdict} |")
    for label, reuse_args in (("reuse --help", help_args), ("reuse diff 004 000", diff_args)):
        print(f"\nCostliest outermost imports of `{label}` (python -X importtime, cumulative ms, one run):")
        for name, micros in dominant_imports(reuse_args, args.imports):
            print(f"  {micros / 1000:7.1f}  {name}")


if __name__ == "__main__":
    main()
