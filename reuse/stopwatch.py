"""Wall time of each stage of a run, for `--timings` and the benchmarks."""

from __future__ import annotations

import time


class Stopwatch:
    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Close the stage running since the previous lap."""
        now = time.perf_counter()
        self.laps.append((stage, now - self._last))
        self._last = now

    def table(self) -> str:
        total = sum(seconds for _, seconds in self.laps)
        width = max((len(stage) for stage, _ in self.laps), default=0)
        rows = [f"{stage:<{width}}  {seconds:7.2f} s" for stage, seconds in self.laps]
        return "\n".join([*rows, f"{'total':<{width}}  {total:7.2f} s"]) + "\n"
