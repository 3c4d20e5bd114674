"""The interface between `ncv regress` and the machines that run its jobs (regressions.md).

A backend receives fully planned jobs (the command line, its run directory and its
wall-clock limit) and reports, for every job, how its process ended. It never classifies:
the runner reads result.json and sim.log from the run directory afterwards, the same way
for every backend, so the same seeds give the same results on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol


@dataclass(frozen=True)
class JobSpec:
    index: int  # position in the regression's plan; unique within one run
    name: str  # human label, "<test> seed <seed>"
    argv: list[str]  # the simulator command line (absolute binary path first)
    run_dir: Path  # exists before submission; the job's cwd; stdout+stderr go to run_dir/stdout.log
    timeout_s: float  # wall-clock limit; the whole process group is killed after it


@dataclass(frozen=True)
class JobEnd:
    spec: JobSpec
    rc: int | None  # exit status; negative = killed by that signal; None = never ran / unknown
    wall_s: float  # wall-clock seconds the job ran (0 when it never ran)
    timed_out: bool = False  # killed at its wall-clock limit
    infra: str = ""  # non-empty: the job could not be run (message for the report)


class Backend(Protocol):
    name: str

    def run(self, jobs: list[JobSpec], on_end: Callable[[JobEnd], None]) -> None:
        """Run every job (in any order, with the backend's parallelism) and call on_end once per
        job, from the calling thread or a worker thread (the caller serialises), as each ends.
        Returns when every job has ended. On KeyboardInterrupt, cancels what is still queued or
        running and re-raises."""
        ...
