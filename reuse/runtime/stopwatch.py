"""Wall time of each stage of a run, for `--timings`, `-v` and the benchmarks; and its progress."""

from __future__ import annotations

import logging
import time

from reuse.runtime.progress import Progress

log = logging.getLogger("reuse")


class Stopwatch:
    """Laps of wall time, with the CPU time the parent process spent in each (workers' time is not in it).

    It goes wherever a run's stages are, so it carries the run's `progress` too: a stage's steps are
    reported there, and a lap ends the stage's bar and logs the stage (shown with -v)."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.laps: list[tuple[str, float, float]] = []
        self.progress = progress or Progress()
        self._wall = time.perf_counter()
        self._cpu = time.process_time()

    def lap(self, stage: str) -> None:
        """Close the stage running since the previous lap."""
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps.append((stage, wall - self._wall, cpu - self._cpu))
        self.progress.done()
        log.info("%s: %.2f s", stage, wall - self._wall)
        self._wall, self._cpu = wall, cpu

    def table(self) -> str:
        width = max((len(stage) for stage, _, _ in self.laps), default=0)
        rows = [f"{'stage':<{width}}  {'wall s':>8}  {'parent CPU s':>12}"]
        rows += [f"{stage:<{width}}  {wall:8.2f}  {cpu:12.2f}" for stage, wall, cpu in self.laps]
        total_wall = sum(wall for _, wall, _ in self.laps)
        total_cpu = sum(cpu for _, _, cpu in self.laps)
        rows.append(f"{'total':<{width}}  {total_wall:8.2f}  {total_cpu:12.2f}")
        return "\n".join(rows) + "\n"
