"""ncv regress LIST: build each distinct build once, run test x seed jobs in parallel,
classify every job, print a summary, write JUnit XML (regressions.md)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import build as buildmod
from . import junit, paths, testlist
from .errors import EXIT_FAIL, EXIT_INTERNAL, EXIT_PASS, InfraError, UsageError

ERROR_LINE = re.compile(r"^\s*[\d.]+ ns (ERROR|FATAL) ", re.M)


@dataclass
class Job:
    index: int
    test: testlist.TestEntry
    build: testlist.Build
    seed: int
    run_dir: Path


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


def repro_command(job: Job) -> str:
    parts = ["./ncv", "run", job.test.name, "--config", job.build.config, "--seed", str(job.seed)]
    return " ".join(shlex.quote(p) for p in parts + job.test.args)


def job_seed(base: int | None, key: str) -> int:
    """A typeable 32-bit seed: random, or derived from (base seed, job key) reproducibly."""
    if base is None:
        return secrets.randbits(32)
    h = 0xCBF29CE484222325
    for b in f"{base}/{key}".encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h & 0xFFFFFFFF


def plan(tl: testlist.TestList, out: Path, base_seed: int | None, fixed_seed: int | None) -> list[Job]:
    jobs = []
    for e, t in enumerate(tl.tests):
        for i in range(t.seeds):
            # The list entry is part of the key: one test may appear with different args.
            seed = fixed_seed if fixed_seed is not None else job_seed(base_seed, f"{e}/{t.name}/{i}")
            rd = out / t.name / f"e{e}-{i:04d}-{seed}"
            jobs.append(Job(len(jobs), t, tl.builds[t.build], seed, rd))
    return jobs


def run_job(job: Job, binary: Path, verbose_args: list[str] | None = None) -> JobResult:
    job.run_dir.mkdir(parents=True, exist_ok=True)
    cmd = [str(binary), f"+test={job.test.name}", f"+seed={job.seed}", f"+outdir={job.run_dir}",
           *job.test.args, *(verbose_args or [])]
    (job.run_dir / "cmd.txt").write_text(" ".join(shlex.quote(c) for c in cmd) + "\n")
    t0 = time.monotonic()
    env = dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE")
    with open(job.run_dir / "stdout.log", "wb") as so:
        try:
            p = subprocess.Popen(cmd, stdout=so, stderr=subprocess.STDOUT, start_new_session=True, env=env)
        except OSError as e:
            return JobResult(job, "INFRA", f"INFRA: cannot start simulator: {e.strerror}", str(e))
        try:
            rc = p.wait(timeout=job.test.timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return JobResult(job, "TIMEOUT", "TIMEOUT: wall-clock limit",
                             f"killed after {job.test.timeout_s:g} s", None, time.monotonic() - t0)
    wall = time.monotonic() - t0
    return classify(job, rc, wall)


def classify(job: Job, rc: int, wall: float) -> JobResult:
    rj = job.run_dir / "result.json"
    res = None
    if rj.exists():
        try:
            res = json.loads(rj.read_text())
        except ValueError:
            res = None
    log = (job.run_dir / "sim.log").read_text(errors="replace") if (job.run_dir / "sim.log").exists() else ""
    cycles = int(res.get("cycles", 0)) if res else 0
    if rc < 0:
        name = signal.Signals(-rc).name if -rc in signal.Signals._value2member_map_ else str(-rc)
        return JobResult(job, "CRASH", f"CRASH: {name}", f"simulator killed by {name}", rc, wall, cycles)
    if rc == 2:
        out = (job.run_dir / "stdout.log").read_text(errors="replace").strip().splitlines()
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


def _merge_coverage(out: Path) -> None:
    """Merges the jobs' functional coverage (coverage.json) into OUT/coverage.json and a
    Markdown report OUT/coverage.md; prints the total."""
    from . import coverage

    try:
        files = [f for f in coverage.find_files([out]) if f.parent != out]
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
    buckets: OrderedDict[str, list[JobResult]] = OrderedDict()
    for r in results:
        if r.status != "PASS":
            buckets.setdefault(f"{r.status} {r.signature}", []).append(r)
    if buckets:
        print(f"\nFailures ({len(buckets)} bucket{'s' if len(buckets) != 1 else ''}):", file=out)
        for key, rs in buckets.items():
            first = min(rs, key=lambda r: r.job.index)
            print(f"  [{len(rs)}x] {key}", file=out)
            if first.detail:
                print(f"        {first.detail}", file=out)
            print(f"        reproduce: {first.repro}", file=out)
            print(f"        run dir:   {first.job.run_dir}", file=out)


def regress(list_name: str, jobs_n: int, seed: int | None, fixed_seed: int | None, out_root: Path | None) -> int:
    tl = testlist.load(list_name)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = (out_root or paths.out_dir() / "regress") / f"{tl.name}-{stamp}-{os.getpid()}"
    out.mkdir(parents=True, exist_ok=True)
    jobs = plan(tl, out, seed, fixed_seed)
    print(f"ncv regress: list {tl.name} ({tl.path}), {len(jobs)} jobs, {len(tl.builds)} builds, -j {jobs_n}")
    print(f"ncv regress: output in {out}")

    t0 = time.monotonic()
    configs = sorted({b.config for b in tl.builds.values()})
    built: dict[str, str | None] = {}
    for b in tl.builds.values():
        print(f"ncv regress: building {b.name} ({b.cmake_target})", flush=True)
        try:
            buildmod.build([b.cmake_target], configs, quiet=True)
            built[b.name] = None
        except InfraError as e:
            built[b.name] = str(e)

    results: list[JobResult] = []
    lock = threading.Lock()

    def one(job: Job) -> JobResult:
        if built[job.build.name] is not None:
            return JobResult(job, "BUILD_FAIL", f"BUILD_FAIL: {job.build.name}", built[job.build.name])
        return run_job(job, buildmod.sim_binary(job.build.target, job.build.config))

    with ThreadPoolExecutor(max_workers=max(1, jobs_n)) as pool:
        futs = [pool.submit(one, j) for j in jobs]
        for fut in as_completed(futs):
            r = fut.result()
            with lock:
                results.append(r)
                n = len(results)
                print(f"[{n}/{len(jobs)}] {r.status:<7} {r.job.test.name} seed {r.job.seed} ({r.wall_s:.2f}s)",
                      flush=True)
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
    if other and not failed and all(r.status in ("INFRA", "BUILD_FAIL") for r in results if r.status != "PASS"):
        return EXIT_INTERNAL
    return EXIT_PASS if passed == len(results) else EXIT_FAIL
