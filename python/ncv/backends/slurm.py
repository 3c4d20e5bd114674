"""The Slurm backend of `ncv regress`: one sbatch job array per regression (docs/decisions/0008).

Each array task runs one job through a small wrapper (stdlib Python, written next to the
manifest): it reads its line of the manifest (argv, run_dir, timeout), runs the job in run_dir
in its own session with stdout+stderr in run_dir/stdout.log, kills the whole process group at
the job's own limit, and finally writes run_dir/slurm_exit.json atomically (rc, signal, wall,
timed_out, host). The backend polls: a job has ended when its exit file exists; a task that
left squeue without writing one (cancelled from outside, node failure, wrapper killed at the
array's --time) ends with rc=None and an infra message built from `scontrol show job`.
No accounting database is needed (sacct is not used).

The run directories and the work directory (manifest, wrapper, the tasks' own logs) must be on
a filesystem the compute nodes share with the submitting host, as the build tree must be.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shlex
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InfraError, UsageError
from .base import JobEnd, JobSpec

EXIT_FILE = "slurm_exit.json"

_WRAPPER = r'''#!{python}
# Runs one job of an ncv regression as a Slurm array task (written by ncv.backends.slurm).
import json, os, signal, socket, subprocess, sys, time

manifest, offset = sys.argv[1], int(sys.argv[2])
index = offset + int(os.environ["SLURM_ARRAY_TASK_ID"])
with open(manifest) as f:
    for i, line in enumerate(f):
        if i == index:
            job = json.loads(line)
            break
    else:
        sys.exit("ncv slurm wrapper: no line %d in %s" % (index, manifest))
run_dir = job["run_dir"]
child = None


def on_term(signum, frame):  # scancel or the array's --time: take the job's group with us
    if child is not None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(128 + signum)


signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)
env = dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE")
rec = {"index": job["index"], "host": socket.gethostname(), "rc": None, "signal": None, "wall": 0.0,
       "timed_out": False, "error": "", "slurm_job": "%s_%s" % (os.environ.get("SLURM_ARRAY_JOB_ID", "?"),
                                                               os.environ.get("SLURM_ARRAY_TASK_ID", "?"))}
t0 = time.monotonic()
try:
    with open(os.path.join(run_dir, "stdout.log"), "wb") as out:
        child = subprocess.Popen(job["argv"], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 cwd=run_dir, start_new_session=True, env=env)
except OSError as e:
    rec["error"] = "cannot start simulator: %s: %s" % (e.strerror, job["argv"][0])
else:
    try:
        rc = child.wait(timeout=job["timeout"])
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        rec["timed_out"] = True
    else:
        rec["rc"] = rc
        rec["signal"] = -rc if rc < 0 else None
    try:  # what the job left behind in its group
        os.killpg(child.pid, signal.SIGKILL)
    except OSError:
        pass
rec["wall"] = time.monotonic() - t0
tmp = os.path.join(run_dir, ".%s.%d" % ("{exit_file}", os.getpid()))
with open(tmp, "w") as f:
    json.dump(rec, f)
    f.flush()
    os.fsync(f.fileno())
os.replace(tmp, os.path.join(run_dir, "{exit_file}"))
'''


@dataclass
class _Array:
    job_id: str
    offset: int
    count: int
    done: set[int] = field(default_factory=set)  # task ids that ended


class SlurmBackend:
    """Runs jobs as Slurm array tasks with the client commands (sbatch, squeue, scontrol, scancel)
    found on PATH, configured by `env` (e.g. SLURM_CONF) on top of os.environ.

    Unset arguments come from the environment, so `ncv regress --backend slurm` is configured
    without flags: NCV_SLURM_PARTITION, NCV_SLURM_MAX_PARALLEL (the array's %limit) and
    NCV_SLURM_SBATCH_ARGS (extra sbatch options, shell-quoted, e.g. "--account=dv --qos=short"),
    NCV_SLURM_PYTHON (the Python 3 the wrapper runs with on the nodes; default: this one).
    """

    name = "slurm"

    def __init__(self, partition: str | None = None, max_parallel: int | None = None,
                 env: dict[str, str] | None = None, poll_s: float = 1.0, work_dir: Path | None = None,
                 sbatch_args: list[str] | tuple[str, ...] = (), python: str | None = None,
                 vanish_grace_s: float = 10.0, controller_timeout_s: float = 600.0,
                 max_array_size: int | None = None):
        self.env = dict(os.environ, **(env or {}))
        if partition is None:
            partition = self.env.get("NCV_SLURM_PARTITION") or None
        if max_parallel is None and self.env.get("NCV_SLURM_MAX_PARALLEL"):
            v = self.env["NCV_SLURM_MAX_PARALLEL"]
            if not v.isdigit():
                raise UsageError(f"expected a positive integer, got '{v}'", "environment", "NCV_SLURM_MAX_PARALLEL")
            max_parallel = int(v)
        if not sbatch_args and self.env.get("NCV_SLURM_SBATCH_ARGS"):
            try:
                sbatch_args = shlex.split(self.env["NCV_SLURM_SBATCH_ARGS"])
            except ValueError as e:
                raise UsageError(f"cannot split into options: {e}", "environment", "NCV_SLURM_SBATCH_ARGS") from None
        if max_parallel is not None and max_parallel < 1:
            raise UsageError(f"must be >= 1, got {max_parallel}", "slurm backend", "max_parallel")
        self.partition = partition
        self.max_parallel = max_parallel
        self.poll_s = poll_s
        self.work_dir = Path(work_dir) if work_dir else None
        self.sbatch_args = list(sbatch_args)
        self.python = python or self.env.get("NCV_SLURM_PYTHON") or sys.executable
        self.vanish_grace_s = vanish_grace_s
        self.controller_timeout_s = controller_timeout_s
        self.max_array_size = max_array_size
        self.arrays: list[_Array] = []  # of the current/last run(), for tests and messages
        self.work: Path | None = None
        self.job_name = ""
        self._interrupt = threading.Event()

    # ---- hooks -----------------------------------------------------------------------
    def interrupt(self) -> None:
        """Makes a run() in another thread behave as on Ctrl-C: it cancels the array, waits until
        Slurm has removed its tasks, and raises KeyboardInterrupt (in the thread calling run)."""
        self._interrupt.set()

    # ---- Slurm commands --------------------------------------------------------------
    def _cmd(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(list(argv), capture_output=True, text=True, env=self.env, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise InfraError(f"slurm backend: '{argv[0]}' not found on PATH (install the Slurm client "
                             "commands, or use --backend local)") from None
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(list(argv), 124, "", f"{argv[0]} timed out after {timeout:g} s")

    def _max_array_size(self) -> int:
        if self.max_array_size:
            return self.max_array_size
        p = self._cmd("scontrol", "show", "config")
        for line in p.stdout.splitlines():
            k, _, v = line.partition("=")
            if k.strip() == "MaxArraySize":
                try:
                    return max(1, int(v.strip()))
                except ValueError:
                    break
        return 1001  # Slurm's default

    def _squeue(self) -> dict[tuple[str, int], tuple[str, str]] | None:
        """(array job id, task id) -> (state, reason) of this run's tasks still known to squeue;
        None when squeue could not answer."""
        ids = [a.job_id for a in self.arrays if len(a.done) < a.count]
        if not ids:
            return {}
        p = self._cmd("squeue", "-h", "-r", "-j", ",".join(ids), "-o", "%F %K %T %r")
        if p.returncode != 0:
            if "Invalid job id" in p.stderr:  # already purged: nothing of it is queued or running
                return {}
            return None
        q = {}
        for line in p.stdout.splitlines():
            w = line.split(None, 3)
            if len(w) >= 3 and w[1].isdigit():
                q[(w[0], int(w[1]))] = (w[2], w[3] if len(w) > 3 else "")
        return q

    def _task_end_message(self, a: _Array, tid: int) -> str:
        tj = f"{a.job_id}_{tid}"
        p = self._cmd("scontrol", "-o", "show", "job", tj)
        kv = {}
        if p.returncode == 0:
            for w in p.stdout.split():
                k, _, v = w.partition("=")
                kv.setdefault(k, v)
        state = kv.get("JobState", "unknown (already purged)")
        what = f"state {state}"
        if kv.get("Reason") not in (None, "None"):
            what += f", reason {kv['Reason']}"
        if kv.get("ExitCode") not in (None, "0:0"):
            what += f", wrapper exit {kv['ExitCode']}"
        log = self.work / f"slurm-{a.job_id}_{tid}.out" if self.work else None
        tail = ""
        if log and log.exists():
            lines = log.read_text(errors="replace").strip().splitlines()
            tail = f"; last line of {log}: {lines[-1][:200]}" if lines else ""
        return f"slurm task {tj} ended without an exit record ({what}){tail}"

    # ---- submission ------------------------------------------------------------------
    def _prepare(self, jobs: list[JobSpec]) -> Path:
        if self.work_dir:
            base = self.work_dir
        else:
            base = Path(os.path.commonpath([str(j.run_dir.resolve().parent) for j in jobs])) / "slurm"
        work = base / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
        work.mkdir(parents=True)
        with open(work / "manifest.jsonl", "w") as f:
            for j in jobs:
                f.write(json.dumps({"index": j.index, "name": j.name, "argv": [str(a) for a in j.argv],
                                    "run_dir": str(j.run_dir.resolve()), "timeout": j.timeout_s}) + "\n")
        w = work / "wrapper.py"
        w.write_text(_WRAPPER.replace("{python}", self.python).replace("{exit_file}", EXIT_FILE))
        w.chmod(0o755)
        for j in jobs:
            (j.run_dir / EXIT_FILE).unlink(missing_ok=True)  # a stale one from an earlier attempt
        return work

    def _submit(self, jobs: list[JobSpec], on_end: Callable[[JobEnd], None]) -> None:
        work = self.work
        assert work is not None
        limit_min = max(1, math.ceil((max(j.timeout_s for j in jobs) + 120) / 60))
        name = self.job_name
        size = self._max_array_size()
        prev = None
        for off in range(0, len(jobs), size):
            n = min(size, len(jobs) - off)
            arr = f"0-{n - 1}" + (f"%{self.max_parallel}" if self.max_parallel else "")
            argv = ["sbatch", "--parsable", f"--array={arr}", f"--job-name={name}", f"--time={limit_min}",
                    "--ntasks=1", "--cpus-per-task=1", f"--chdir={work}",
                    f"--output={work}/slurm-%A_%a.out", f"--error={work}/slurm-%A_%a.out"]
            if self.partition:
                argv.append(f"--partition={self.partition}")
            if prev and self.max_parallel:  # keep the parallelism bound across arrays
                argv += [f"--dependency=afterany:{prev}"]
            argv += [*self.sbatch_args, str(work / "wrapper.py"), str(work / "manifest.jsonl"), str(off)]
            p = self._cmd(*argv)
            job_id = p.stdout.strip().split(";")[0]
            if p.returncode != 0 or not job_id.isdigit():
                err = (p.stderr.strip().splitlines() or [f"exit status {p.returncode}"])[-1]
                for j in jobs[off:off + n]:
                    on_end(JobEnd(j, None, 0.0, infra=f"sbatch failed: {err}"))
                continue
            self.arrays.append(_Array(job_id, off, n))
            prev = job_id

    # ---- the interface ---------------------------------------------------------------
    def run(self, jobs: list[JobSpec], on_end: Callable[[JobEnd], None]) -> None:
        self._interrupt.clear()
        self.arrays = []
        self.job_name = ""
        if not jobs:
            return
        self.work = self._prepare(jobs)
        self.job_name = f"ncv-{self.work.name}"  # unique: cancellation finds arrays by it
        try:
            self._submit(jobs, on_end)
            self._poll(jobs, on_end)
        except BaseException:
            self._cancel()
            raise

    def _poll(self, jobs: list[JobSpec], on_end: Callable[[JobEnd], None]) -> None:
        by_pos = {}  # array job id, task id -> position in jobs
        for a in self.arrays:
            for t in range(a.count):
                by_pos[(a.job_id, t)] = a.offset + t
        pending = dict(by_pos)
        missing_since: dict[tuple[str, int], float] = {}
        unanswered_since = None
        while pending:
            if self._interrupt.is_set():
                raise KeyboardInterrupt
            # squeue before the exit files: a task already gone from squeue has written its file
            # (or never will), so a missing file below is not a race with a task just ending.
            q = self._squeue()
            now = time.monotonic()
            if q is None:
                unanswered_since = unanswered_since or now
                if now - unanswered_since > self.controller_timeout_s:
                    for key, pos in list(pending.items()):
                        on_end(JobEnd(jobs[pos], None, 0.0,
                                      infra=f"slurm controller did not answer squeue for "
                                            f"{self.controller_timeout_s:g} s"))
                        del pending[key]
                    self._cancel()
                    return
            else:
                unanswered_since = None
            for key, pos in list(pending.items()):
                spec = jobs[pos]
                end = self._read_exit(spec)
                if q is not None and key in q:
                    missing_since.pop(key, None)  # (back) in the queue, e.g. requeued after a node failure
                elif end is None and q is not None:
                    first = missing_since.setdefault(key, now)
                    if now - first >= self.vanish_grace_s:  # filesystem lag is over: it never wrote one
                        end = self._read_exit(spec) or JobEnd(
                            spec, None, 0.0, infra=self._task_end_message(self._array(key[0]), key[1]))
                if end is not None:
                    del pending[key]
                    self._array(key[0]).done.add(key[1])
                    on_end(end)
            if pending:
                self._interrupt.wait(self.poll_s)

    def _array(self, job_id: str) -> _Array:
        return next(a for a in self.arrays if a.job_id == job_id)

    def _read_exit(self, spec: JobSpec) -> JobEnd | None:
        try:
            rec = json.loads((spec.run_dir / EXIT_FILE).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            return JobEnd(spec, None, 0.0, infra=f"unreadable {spec.run_dir / EXIT_FILE}: {e}")
        wall = float(rec.get("wall", 0.0))
        if rec.get("error"):
            return JobEnd(spec, None, wall, infra=f"{rec['error']} (on {rec.get('host', '?')})")
        if rec.get("timed_out"):
            return JobEnd(spec, None, wall, timed_out=True)
        return JobEnd(spec, rec.get("rc"), wall)

    def _cancel(self) -> None:
        """scancel every array of this run and wait (bounded) until squeue no longer lists them.
        By job name too: an sbatch interrupted after submitting has not told us its array's id."""
        if not self.job_name:
            return
        ids = [a.job_id for a in self.arrays]
        self._cmd("scancel", f"--name={self.job_name}", *ids)
        deadline = time.monotonic() + 60
        delay = 0.05
        while time.monotonic() < deadline:
            p = self._cmd("squeue", "-h", "-r", f"--name={self.job_name}", "-o", "%i", timeout=10)
            if p.returncode == 0 and not p.stdout.strip():
                return
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        print(f"ncv regress: slurm jobs named {self.job_name} still listed by squeue 60 s after scancel",
              file=sys.stderr)
