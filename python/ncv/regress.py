"""ncv regress LIST: build each distinct build once, run test x seed jobs on a backend,
classify every job, record it in the results database, print a summary with failure
buckets, write JUnit XML and an HTML report (regressions.md)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from . import build as buildmod
from . import junit, paths, testlist, triage
from .backends.base import JobEnd, JobSpec
from .backends.local import LocalBackend
from .errors import EXIT_FAIL, EXIT_INTERNAL, EXIT_PASS, InfraError, UsageError

ERROR_LINE = re.compile(r"^\s*[\d.]+ ns (ERROR|FATAL) ", re.M)
BACKENDS = ("local", "slurm")
RERUN_ARGS = ["+waves", "+verbosity=debug"]  # common plusargs of every simulator (tb/lib sim_args.h)
RERUN_TIMEOUT_FACTOR = 3  # waves and debug logging slow a run down
STALE = ("result.json", "result.json.tmp", "sim.log", "stdout.log", "waves.fst", "waves.gtkw", "coverage.json")


@dataclass
class Job:
    index: int
    test: testlist.TestEntry
    build: testlist.Build
    seed: int
    run_dir: Path
    entry: int = 0  # index of the test's entry in the list


@dataclass
class JobResult:
    job: Job
    status: str  # PASS FAIL TIMEOUT CRASH BUILD_FAIL INFRA
    signature: str = ""
    detail: str = ""
    rc: int | None = None
    wall_s: float = 0.0
    cycles: int = 0

    @property
    def repro(self) -> str:
        return repro_command(self.job)

    @property
    def signature_norm(self) -> str:
        return triage.normalise(self.signature)


def repro_command(job: Job, extra: list[str] | None = None) -> str:
    parts = ["./ncv", "run", job.test.name, "--config", job.build.config, "--seed", str(job.seed)]
    return " ".join(shlex.quote(p) for p in parts + job.test.args + (extra or []))


def job_seed(base: int | None, key: str) -> int:
    """A typeable 32-bit seed: random, or derived from (base seed, job key) reproducibly."""
    if base is None:
        return secrets.randbits(32)
    h = 0xCBF29CE484222325
    for b in f"{base}/{key}".encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h & 0xFFFFFFFF


def plan(tl: testlist.TestList, out: Path, base_seed: int | None, fixed_seed: int | None,
         reseed: int | None = None, seeds_for: list[list[int] | None] | None = None) -> list[Job]:
    """Test x seed jobs. reseed: seeds per test instead of the list's; seeds_for[e]: the exact
    seeds of list entry e (--seeds-from; None: the entry is not run)."""
    jobs = []
    for e, t in enumerate(tl.tests):
        if seeds_for is not None:
            seeds = seeds_for[e] or []
        else:
            # The list entry is part of the key: one test may appear with different args.
            seeds = [fixed_seed if fixed_seed is not None else job_seed(base_seed, f"{e}/{t.name}/{i}")
                     for i in range(reseed or t.seeds)]
        for i, seed in enumerate(seeds):
            rd = out / t.name / f"e{e}-{i:04d}-{seed}"
            jobs.append(Job(len(jobs), t, tl.builds[t.build], seed, rd, e))
    return jobs


def job_spec(job: Job, binary: Path, extra_args: list[str] | None = None, run_dir: Path | None = None,
             timeout_factor: float = 1.0) -> JobSpec:
    """The job's command line, with its run directory created and cleared of a previous attempt's outputs."""
    rd = (run_dir or job.run_dir).absolute()  # the job's cwd is its run directory
    rd.mkdir(parents=True, exist_ok=True)
    for stale in STALE:
        (rd / stale).unlink(missing_ok=True)
    cmd = [str(binary), f"+test={job.test.name}", f"+seed={job.seed}", f"+outdir={rd}", *job.test.args,
           *(extra_args or [])]
    (rd / "cmd.txt").write_text(" ".join(shlex.quote(c) for c in cmd) + "\n")
    return JobSpec(job.index, f"{job.test.name} seed {job.seed}", cmd, rd, job.test.timeout_s * timeout_factor)


def run_job(job: Job, binary: Path, verbose_args: list[str] | None = None) -> JobResult:
    """Runs one job on the local backend and classifies it."""
    ends: list[JobEnd] = []
    LocalBackend(1).run([job_spec(job, binary, verbose_args)], ends.append)
    return classify_end(job, ends[0])


def classify_end(job: Job, end: JobEnd, run_dir: Path | None = None) -> JobResult:
    """A backend's report of how the job's process ended, plus its outputs, to a result."""
    if end.infra:
        return JobResult(job, "INFRA", "INFRA: job could not run", end.infra, end.rc, end.wall_s)
    if end.timed_out:
        return JobResult(job, "TIMEOUT", "TIMEOUT: wall-clock limit", f"killed after {end.spec.timeout_s:g} s",
                         None, end.wall_s)
    if end.rc is None:
        return JobResult(job, "INFRA", "INFRA: job ended without an exit status", "", None, end.wall_s)
    return classify(job, end.rc, end.wall_s, run_dir or end.spec.run_dir)


def classify(job: Job, rc: int, wall: float, run_dir: Path | None = None) -> JobResult:
    rd = run_dir or job.run_dir
    rj = rd / "result.json"
    res = None
    if rj.exists():
        try:
            res = json.loads(rj.read_text())
        except ValueError:
            res = None
    log = (rd / "sim.log").read_text(errors="replace") if (rd / "sim.log").exists() else ""
    cycles = int(res.get("cycles", 0)) if res else 0
    if rc < 0:
        name = signal.Signals(-rc).name if -rc in signal.Signals._value2member_map_ else str(-rc)
        return JobResult(job, "CRASH", f"CRASH: {name}", f"simulator killed by {name}", rc, wall, cycles)
    if rc == 2:
        out = (rd / "stdout.log").read_text(errors="replace").strip().splitlines() \
            if (rd / "stdout.log").exists() else []
        msg = out[-1] if out else "usage error"
        return JobResult(job, "INFRA", "INFRA: simulator refused its arguments", msg, rc, wall, cycles)
    if res is None:
        return JobResult(job, "CRASH", "CRASH: no result.json", f"exit status {rc} and no result.json", rc, wall,
                         cycles)
    status = res.get("status", "FAIL")
    sig = res.get("signature", "")
    if rc == 0 and status == "PASS":
        m = ERROR_LINE.search(log)
        if m:  # an error line in a passing run's log is a failure
            line = log[m.start():].splitlines()[0].strip()
            return JobResult(job, "FAIL", "LOG: error line in a passing run", line, rc, wall, cycles)
        return JobResult(job, "PASS", "", "", rc, wall, cycles)
    if status == "TIMEOUT":
        return JobResult(job, "TIMEOUT", sig or "TIMEOUT", res.get("first_error", ""), rc, wall, cycles)
    if rc == 0:
        return JobResult(job, "FAIL", "EXIT: status 0 but result says " + status, "", rc, wall, cycles)
    return JobResult(job, "FAIL", sig or f"EXIT: status {rc}", res.get("first_error", ""), rc, wall, cycles)


def _merge_code_coverage(out: Path) -> None:
    """Verilator code coverage of code-coverage builds (ncv.codecov); prints the total."""
    from . import codecov

    try:
        cc = codecov.merge(out)
    except InfraError as e:
        print(f"ncv regress: code coverage not merged: {e}")
        return
    if cc:
        print(codecov.summary_line(cc))


def _merge_coverage(out: Path) -> None:
    """Merges the jobs' functional coverage (coverage.json) into OUT/coverage.json and a
    Markdown report OUT/coverage.md; prints the total. Reruns (run_dir/rerun) take no part."""
    from . import coverage

    try:
        files = [f for f in coverage.find_files([out]) if f.parent != out and "rerun" not in f.relative_to(out).parts]
    except UsageError:  # no job wrote coverage
        return
    if not files:
        return
    try:
        merged = coverage.merge([coverage.load(f) for f in files])
    except UsageError as e:
        print(f"ncv regress: coverage not merged: {e}")
        return
    merged.write(out / "coverage.json")
    (out / "coverage.md").write_text(coverage.report(merged, "md"))
    print(f"Functional coverage: {merged.percent:.1f}% ({merged.covered}/{merged.normal} bins) "
          f"from {len(files)} runs: {out / 'coverage.md'}")


def _shortest_text(r: JobResult) -> str:
    return f"seed {r.job.seed}, " + (f"{r.cycles} cycles, " if r.cycles else "") + f"{r.wall_s:.2f} s"


def summary(results: list[JobResult], out=sys.stdout) -> None:
    rows: OrderedDict[tuple, list[JobResult]] = OrderedDict()
    for r in sorted(results, key=lambda r: r.job.index):
        rows.setdefault((r.job.test.name, r.job.build.config), []).append(r)
    hdr = f"{'test':<24} {'config':<8} {'jobs':>5} {'pass':>5} {'fail':>5} {'other':>6} {'max wall':>9}"
    print("\n" + hdr, file=out)
    print("-" * len(hdr), file=out)
    for (name, cfg), rs in rows.items():
        p = sum(r.status == "PASS" for r in rs)
        f = sum(r.status == "FAIL" for r in rs)
        o = len(rs) - p - f
        mw = max(r.wall_s for r in rs)
        print(f"{name:<24} {cfg:<8} {len(rs):>5} {p:>5} {f:>5} {o:>6} {mw:>8.2f}s", file=out)
    bks = triage.buckets(results)
    if bks:
        print(f"\nFailures ({len(bks)} bucket{'s' if len(bks) != 1 else ''}):", file=out)
        for b in bks:
            s = b.shortest
            print(f"  [{len(b.results)}x] {b.key}", file=out)
            print(f"        first: {b.first.job.test.name} seed {b.first.job.seed}; shortest: {s.job.test.name} "
                  f"{_shortest_text(s)}", file=out)
            if s.detail:
                print(f"        {s.detail}", file=out)
            print(f"        reproduce: {s.repro}", file=out)
            print(f"        run dir:   {s.job.run_dir}", file=out)


class Progress:
    """Per-job lines; on a terminal also a live status line (counts, jobs/min, ETA) kept at the bottom."""

    def __init__(self, total: int, done: int = 0, tty: bool | None = None, out=sys.stdout):
        self.total, self.done0, self.out = total, done, out
        self.tty = out.isatty() if tty is None else tty
        self.t0 = time.monotonic()
        self.counts = {"PASS": 0, "FAIL": 0, "other": 0}
        self.n = done
        self.last_plain = self.t0

    def status_text(self) -> str:
        el = time.monotonic() - self.t0
        ran = self.n - self.done0
        rate = ran / el * 60 if el > 0 and ran else 0.0
        left = self.total - self.n
        eta = f"{int(left / rate * 60) // 60}:{int(left / rate * 60) % 60:02d}" if rate > 0 else "?"
        return (f"{self.n}/{self.total} done: {self.counts['PASS']} pass, {self.counts['FAIL']} fail, "
                f"{self.counts['other']} other; {rate:.1f} jobs/min; ETA {eta}")

    def job(self, r: JobResult) -> None:
        self.n += 1
        self.counts[r.status if r.status in ("PASS", "FAIL") else "other"] += 1
        line = f"[{self.n}/{self.total}] {r.status:<7} {r.job.test.name} seed {r.job.seed} ({r.wall_s:.2f}s)"
        if self.tty:
            fill = self.n * 20 // max(1, self.total)
            bar = "[" + "#" * fill + "." * (20 - fill) + "] "
            self.out.write("\r\x1b[K" + line + "\n" + bar + self.status_text())
            self.out.flush()
        else:
            print(line, file=self.out, flush=True)
            now = time.monotonic()
            if now - self.last_plain >= 30 and self.n < self.total:
                self.last_plain = now
                print("progress: " + self.status_text(), file=self.out, flush=True)

    def finish(self) -> None:
        if self.tty:
            self.out.write("\r\x1b[K")
            self.out.flush()


def make_backend(name: str, jobs_n: int):
    """The backend called `name`; the slurm backend is imported only when asked for."""
    if name == "local":
        return LocalBackend(jobs_n)
    if name == "slurm":
        try:
            from .backends.slurm import SlurmBackend
        except ImportError as e:
            raise UsageError(f"backend 'slurm' is not available ({e})", "command line", "--backend") from None
        return SlurmBackend()  # configured from the environment (NCV_SLURM_*; backends/slurm.py)
    raise UsageError(f"unknown backend '{name}' (expected one of: {', '.join(BACKENDS)})", "command line",
                     "--backend")


# --- run metadata -----------------------------------------------------------------------------
_TOOLS: dict[str, str] | None = None


def _first_line(cmd: list[str]) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (p.stdout or p.stderr).strip().splitlines()
    return lines[0].strip() if p.returncode == 0 and lines else "unknown"


def tool_versions() -> dict[str, str]:
    global _TOOLS
    if _TOOLS is None:
        from . import __version__

        _TOOLS = {"verilator": _first_line(["verilator", "--version"]),
                  "g++": _first_line(["g++", "--version"]),
                  "systemc": _first_line(["pkg-config", "--modversion", "systemc"]),
                  "python": sys.version.split()[0], "ncv": __version__}
    return _TOOLS


def git_state() -> tuple[str | None, bool | None]:
    """(commit, dirty) of the repository, read-only (no index refresh)."""
    commit = _first_line(["git", "-C", str(paths.REPO), "rev-parse", "HEAD"])
    if commit == "unknown":
        return None, None
    try:
        p = subprocess.run(["git", "--no-optional-locks", "-C", str(paths.REPO), "status", "--porcelain"],
                           capture_output=True, text=True, timeout=60)
        dirty = bool(p.stdout.strip()) if p.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        dirty = None
    return commit, dirty


def _artefact(rd: Path, name: str) -> str | None:
    return str(rd / name) if (rd / name).exists() else None


def result_row(run_id: int, r: JobResult, run_dir: Path | None = None) -> dict:
    rd = run_dir or r.job.run_dir
    host = None
    if (rd / "result.json").exists():
        try:
            host = json.loads((rd / "result.json").read_text()).get("host")
        except ValueError:
            pass
    return {"run_id": run_id, "idx": r.job.index, "test": r.job.test.name, "config": r.job.build.config,
            "build": r.job.build.name, "seed": r.job.seed, "args": r.job.test.args, "status": r.status,
            "signature": r.signature, "signature_norm": r.signature_norm, "detail": r.detail, "rc": r.rc,
            "wall_s": r.wall_s, "cycles": r.cycles, "host": host or socket.gethostname(), "run_dir": str(rd),
            "result_json": _artefact(rd, "result.json"), "sim_log": _artefact(rd, "sim.log"),
            "waves": _artefact(rd, "waves.fst"), "coverage": _artefact(rd, "coverage.json")}


def _jobs_from_plan(tl: testlist.TestList, rows: list[dict], run_id: int) -> list[Job]:
    jobs = []
    for p in rows:
        b = tl.builds.get(p["build"])
        if b is None or (b.target, b.config) != (p["target"], p["config"]):
            raise UsageError(f"build '{p['build']}' of run {run_id} ({p['target']}, config {p['config']}) is not "
                             f"in the list any more (start a new run instead of --resume)", tl.path, "builds")
        t = testlist.TestEntry(p["test"], p["build"], 1, list(p["args"]), list(p["tags"]), float(p["timeout_s"]),
                               tl.path)
        jobs.append(Job(p["idx"], t, b, int(p["seed"]), Path(p["run_dir"]), int(p["entry"])))
    return jobs


def _result_from_row(job: Job, x: dict) -> JobResult:
    return JobResult(job, x["status"], x["signature"], x["detail"], x["rc"], x["wall_s"], x["cycles"])


def _seeds_from(db, run_id: int, tl: testlist.TestList) -> list[list[int] | None]:
    """The seeds of a previous run for each entry of the list, matched by (test, args)."""
    groups: OrderedDict[tuple, OrderedDict[int, list[int]]] = OrderedDict()
    for p in db.plan(run_id):
        groups.setdefault((p["test"], tuple(p["args"])), OrderedDict()).setdefault(p["entry"], []).append(p["seed"])
    out: list[list[int] | None] = []
    for e, t in enumerate(tl.tests):
        g = groups.get((t.name, tuple(t.args)))
        if g:
            out.append(g.pop(next(iter(g))))
        else:
            out.append(None)
            print(f"ncv regress: tests[{e}] {t.name} {' '.join(t.args)}: no seeds in run {run_id}; not run")
    if not any(out):
        raise UsageError(f"run {run_id} has no seeds for any test of list '{tl.name}'", "command line",
                         "--seeds-from")
    return out


def _runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _live_runner(info: dict) -> int | None:
    """The pid of the runner still running this run on this host, if any (a run left 'running'
    by a killed runner has none)."""
    host, _, pid = (info.get("runner") or "").rpartition(":")
    if info["state"] != "running" or host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return None
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return None
    return int(pid) if b"ncv" in cmd and b"regress" in cmd else None


def default_db(out_root: Path | None) -> Path:
    return (out_root or paths.out_dir() / "regress") / "results.db"


def regress(list_name: str, jobs_n: int, seed: int | None, fixed_seed: int | None, out_root: Path | None,
            *, backend: str = "local", db_path: Path | None = None, resume: str | None = None,
            reseed: int | None = None, seeds_from: str | None = None, rerun_failures: int = 0,
            command_line: str | None = None) -> int:
    from . import resultsdb

    if reseed is not None and reseed < 1:
        raise UsageError(f"expected --reseed N with N >= 1, got {reseed}", "command line", "--reseed")
    if rerun_failures < 0:
        raise UsageError(f"expected --rerun-failures N with N >= 0, got {rerun_failures}", "command line",
                         "--rerun-failures")
    if fixed_seed is not None and seed is not None:
        raise UsageError("--seed and --fixed-seed exclude each other", "command line")
    if seeds_from is not None and (seed is not None or fixed_seed is not None or reseed is not None):
        raise UsageError("--seeds-from replays a run's seeds: it excludes --seed, --fixed-seed and --reseed",
                         "command line")
    if resume is not None and (seed is not None or fixed_seed is not None or reseed is not None
                               or seeds_from is not None):
        raise UsageError("--resume reuses the run's plan: it excludes --seed, --fixed-seed, --reseed and "
                         "--seeds-from", "command line")
    be = make_backend(backend, jobs_n)
    tl = testlist.load(list_name)
    dbp = db_path or default_db(out_root)
    db = resultsdb.ResultsDb(dbp)
    cmdline = command_line or " ".join(shlex.quote(a) for a in sys.argv)
    done: dict[int, dict] = {}
    if resume is not None:
        run_id = db.resolve(resume, tl.name)
        info = db.run(run_id)
        if info["list_name"] != tl.name:
            raise UsageError(f"run {run_id} is of list '{info['list_name']}', not '{tl.name}'", "command line",
                             "--resume")
        live = _live_runner(info)
        if live:
            raise UsageError(f"run {run_id} is still being run by process {live} on this host", "command line",
                             "--resume")
        out = Path(info["out_dir"])
        jobs = _jobs_from_plan(tl, db.plan(run_id), run_id)
        done = {x["idx"]: x for x in db.results(run_id)}
        db.begin_attempt(run_id, cmdline, _runner_id())
        print(f"ncv regress: resuming run {run_id} of list {tl.name}: {len(done)} of {len(jobs)} jobs have a result")
    else:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out = ((out_root or paths.out_dir() / "regress") / f"{tl.name}-{stamp}-{os.getpid()}").absolute()
        if seeds_from is not None:
            src = db.resolve(seeds_from, tl.name)
            jobs = plan(tl, out, None, None, seeds_for=_seeds_from(db, src, tl))
        else:
            jobs = plan(tl, out, seed, fixed_seed, reseed)
        out.mkdir(parents=True, exist_ok=True)
        commit, dirty = git_state()
        run = {"list_name": tl.name, "list_path": str(tl.path.resolve()), "out_dir": str(out.resolve()),
               "started_at": time.time(), "git_commit": commit, "git_dirty": dirty, "tools": tool_versions(),
               "host": socket.gethostname(), "backend": be.name, "jobs_n": jobs_n,
               "seed_options": {"seed": seed, "fixed_seed": fixed_seed, "reseed": reseed, "seeds_from": seeds_from},
               "command_line": cmdline, "planned": len(jobs), "runner": _runner_id()}
        plan_rows = [{"idx": j.index, "test": j.test.name, "entry": j.entry, "build": j.build.name,
                      "target": j.build.target, "config": j.build.config, "seed": j.seed, "args": j.test.args,
                      "tags": j.test.tags, "timeout_s": j.test.timeout_s, "run_dir": str(j.run_dir)} for j in jobs]
        run_id = db.start_run(run, plan_rows)
    print(f"ncv regress: list {tl.name} ({tl.path}), {len(jobs)} jobs, {len(tl.builds)} builds, -j {jobs_n}")
    print(f"ncv regress: output in {out}")
    print(f"ncv regress: run {run_id} in {dbp} (backend {be.name})")

    t0 = time.monotonic()
    jobs_by_index = {j.index: j for j in jobs}
    pending = [j for j in jobs if j.index not in done]
    results: list[JobResult] = [_result_from_row(jobs_by_index[i], x) for i, x in done.items() if i in jobs_by_index]
    try:
        built = _build(tl, {j.build.name for j in pending})
        _run_jobs(be, db, run_id, pending, built, results, len(jobs), len(done))
        elapsed = time.monotonic() - t0
        results.sort(key=lambda r: r.job.index)
        summary(results)
        jx = out / "junit.xml"
        junit.write(jx, tl.name, results, elapsed)
        passed = sum(r.status == "PASS" for r in results)
        failed = sum(r.status == "FAIL" for r in results)
        other = len(results) - passed - failed
        print(f"\n{passed} passed, {failed} failed" + (f", {other} errors" if other else "") +
              f" of {len(results)} jobs in {elapsed:.1f} s")
        print(f"JUnit XML: {jx}")
        _merge_coverage(out)
        _merge_code_coverage(out)
        if rerun_failures:
            _rerun(be, db, run_id, results, rerun_failures)
        if other and not failed and all(r.status in ("INFRA", "BUILD_FAIL") for r in results if r.status != "PASS"):
            rc = EXIT_INTERNAL
        else:
            rc = EXIT_PASS if passed == len(results) else EXIT_FAIL
    except BaseException:
        info = db.run(run_id)
        db.update_run(run_id, state="interrupted", ended_at=time.time(),
                      elapsed_s=(info["elapsed_s"] or 0) + time.monotonic() - t0)
        print(f"\nncv regress: interrupted; continue with: ./ncv regress {shlex.quote(list_name)} --resume {run_id}"
              + (f" --db {shlex.quote(str(dbp))}" if db_path else
                 f" --out {shlex.quote(str(out_root))}" if out_root else ""), file=sys.stderr)
        raise
    info = db.run(run_id)
    db.update_run(run_id, state="done", ended_at=time.time(), exit_status=rc,
                  elapsed_s=(info["elapsed_s"] or 0) + time.monotonic() - t0)
    from . import report

    html = out / "report.html"
    try:
        report.write(db, run_id, html)
        print(f"HTML report: {html}")
    except (OSError, ValueError) as e:  # the run's verdict stands without its report
        print(f"ncv regress: HTML report not written: {e}", file=sys.stderr)
    db.close()
    return rc


def _build(tl: testlist.TestList, needed: set[str]) -> dict[str, str | None]:
    configs = sorted({b.config for b in tl.builds.values()})
    built: dict[str, str | None] = {}
    for b in tl.builds.values():
        if b.name not in needed:
            continue
        print(f"ncv regress: building {b.name} ({b.cmake_target})", flush=True)
        try:
            buildmod.build([b.cmake_target], configs, quiet=True)
            built[b.name] = None
        except InfraError as e:
            built[b.name] = str(e)
    return built


def _run_jobs(be, db, run_id: int, pending: list[Job], built: dict[str, str | None], results: list[JobResult],
              total: int, done_n: int) -> None:
    progress = Progress(total, done_n)
    lock = threading.Lock()
    by_index = {j.index: j for j in pending}

    def record(r: JobResult) -> None:
        with lock:
            db.add_result(result_row(run_id, r))
            results.append(r)
            progress.job(r)

    specs = []
    for j in pending:
        if built.get(j.build.name) is not None:
            record(JobResult(j, "BUILD_FAIL", f"BUILD_FAIL: {j.build.name}", built[j.build.name]))
        else:
            specs.append(job_spec(j, buildmod.sim_binary(j.build.target, j.build.config)))
    try:
        if specs:
            be.run(specs, lambda end: record(classify_end(by_index[end.spec.index], end)))
    finally:
        progress.finish()


def _rerun(be, db, run_id: int, results: list[JobResult], n: int) -> None:
    """Reruns up to n failing jobs per bucket (shortest first) with waves and debug verbosity in
    RUN_DIR/rerun, records them, and checks each fails the same way."""
    picks: list[tuple[triage.Bucket, JobResult]] = []
    for b in triage.buckets(results):
        if b.first.status in ("BUILD_FAIL", "INFRA"):
            continue
        key = (lambda r: (r.cycles, r.wall_s)) if all(r.cycles for r in b.results) else (lambda r: r.wall_s)
        picks += [(b, r) for r in sorted(b.results, key=key)[:n]]
    if not picks:
        return
    print(f"\nRerunning {len(picks)} failing job{'s' if len(picks) != 1 else ''} with {' '.join(RERUN_ARGS)}:")
    origin = {r.job.index: (b, r) for b, r in picks}
    specs = []
    for _, r in picks:
        binary = buildmod.sim_binary(r.job.build.target, r.job.build.config)
        specs.append(job_spec(r.job, binary, RERUN_ARGS, r.job.run_dir / "rerun", RERUN_TIMEOUT_FACTOR))
    differ = 0
    lock = threading.Lock()

    def on_end(end: JobEnd) -> None:
        with lock:
            _rerun_end(end)

    def _rerun_end(end: JobEnd) -> None:
        nonlocal differ
        b, r = origin[end.spec.index]
        rr = classify_end(r.job, end, end.spec.run_dir)
        same = rr.status == r.status and rr.signature_norm == r.signature_norm
        row = result_row(run_id, rr, end.spec.run_dir)
        db.add_rerun({k: row[k] for k in ("run_id", "idx", "status", "signature", "signature_norm", "detail", "rc",
                                          "wall_s", "cycles", "run_dir", "sim_log", "waves")}
                     | {"args": r.job.test.args + RERUN_ARGS, "same": same})
        waves = row["waves"] or "no waves.fst"
        if same:
            print(f"  {r.job.test.name} seed {r.job.seed}: {rr.status} the same way; waves: {waves}")
        else:
            differ += 1
            print(f"  {r.job.test.name} seed {r.job.seed}: DIFFERENT: rerun {rr.status} {rr.signature_norm!r}, "
                  f"first run {r.status} {r.signature_norm!r} (nondeterminism?); run dir: {end.spec.run_dir}")
        sys.stdout.flush()

    be.run(specs, on_end)
    if differ:
        print(f"ncv regress: {differ} rerun{'s' if differ != 1 else ''} did not fail the same way")
