"""The local backend of `ncv regress`: a pool of worker threads on this machine, each running
one simulator process at a time in its own session (process group), killed as a group at
the job's wall-clock limit, with stdout and stderr in run_dir/stdout.log."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable

from .base import JobEnd, JobSpec

_PR_SET_PDEATHSIG = 1
try:  # resolved once here, so the child only calls a foreign function between fork and exec
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None


def _die_with_runner() -> None:
    """In the child before exec: SIGKILL when the thread that started it (the runner) dies, so
    a runner killed with SIGKILL leaves no simulator behind (its jobs run in other sessions)."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class LocalBackend:
    name = "local"

    def __init__(self, jobs_n: int):
        if jobs_n < 1:
            raise ValueError(f"jobs_n must be >= 1, got {jobs_n}")
        self.jobs_n = jobs_n
        self._lock = threading.Lock()
        self._running: dict[int, subprocess.Popen] = {}
        self._cancel = threading.Event()

    def _run_one(self, spec: JobSpec) -> JobEnd:
        if self._cancel.is_set():
            return JobEnd(spec, None, 0.0, infra="cancelled")
        env = dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE")
        t0 = time.monotonic()
        with open(spec.run_dir / "stdout.log", "wb") as so:
            try:
                p = subprocess.Popen(spec.argv, stdout=so, stderr=subprocess.STDOUT, cwd=spec.run_dir,
                                     start_new_session=True, env=env, preexec_fn=_die_with_runner)
            except OSError as e:
                return JobEnd(spec, None, 0.0, infra=f"cannot start simulator: {e.strerror}: {spec.argv[0]}")
            with self._lock:
                self._running[spec.index] = p
            try:
                rc = p.wait(timeout=spec.timeout_s)
                timed_out = False
            except subprocess.TimeoutExpired:
                _killpg(p)
                rc = p.wait()
                timed_out = True
            finally:
                with self._lock:
                    self._running.pop(spec.index, None)
        return JobEnd(spec, None if timed_out else rc, time.monotonic() - t0, timed_out=timed_out)

    def run(self, jobs: list[JobSpec], on_end: Callable[[JobEnd], None]) -> None:
        """Runs every job, calling on_end from this (the calling) thread as each ends."""
        self._cancel.clear()
        pool = ThreadPoolExecutor(max_workers=self.jobs_n, thread_name_prefix="ncv-job")
        futs = []
        try:
            futs = [pool.submit(self._run_one, j) for j in jobs]
            for fut in as_completed(futs):
                on_end(fut.result())
        except BaseException:
            self._cancel.set()
            for f in futs:
                f.cancel()
            with self._lock:
                for p in list(self._running.values()):
                    _killpg(p)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def _killpg(p: subprocess.Popen) -> None:
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
