"""The local backend of ncv regress on its own: parallelism, the wall-clock kill of the whole
process group, start failures, Ctrl-C, and no simulator left behind when the runner is
SIGKILLed. The "simulators" here are tiny scripts: the point is the runner, not a simulator."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import REPO
from ncv.backends.base import JobSpec
from ncv.backends.local import LocalBackend


def script(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text("#!" + sys.executable + "\n" + textwrap.dedent(body))
    p.chmod(0o755)
    return p


def spec(tmp_path: Path, i: int, argv: list[str], timeout: float = 30.0) -> JobSpec:
    rd = tmp_path / f"job{i}"
    rd.mkdir(parents=True, exist_ok=True)
    return JobSpec(i, f"job {i}", argv, rd, timeout)


def wait_for(cond, what: str, limit_s: float = 30.0):
    """Polls cond() until true (bounded); the waiting is on an event, not a fixed sleep."""
    deadline = time.monotonic() + limit_s
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def written(p: Path) -> bool:
    return p.exists() and p.read_text().strip() != ""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_every_job_ends_once_with_its_exit_status_and_stdout_log(tmp_path):
    sim = script(tmp_path, "sim", """
        import sys
        print("hello from", sys.argv[1])
        sys.exit(int(sys.argv[1]) % 3)
    """)
    ends = []
    LocalBackend(2).run([spec(tmp_path, i, [str(sim), str(i)]) for i in range(7)], ends.append)
    assert sorted(e.spec.index for e in ends) == list(range(7))
    for e in ends:
        assert e.rc == e.spec.index % 3 and not e.timed_out and not e.infra
        assert (e.spec.run_dir / "stdout.log").read_text() == f"hello from {e.spec.index}\n"


def test_at_most_jobs_n_run_at_once(tmp_path):
    # Each job appends start/end marks to a shared file; the overlap is counted afterwards.
    sim = script(tmp_path, "sim", """
        import os, sys, time
        with open(sys.argv[1], "a") as f: f.write("+\\n")
        t = time.monotonic()
        while time.monotonic() - t < 0.15: pass
        with open(sys.argv[1], "a") as f: f.write("-\\n")
    """)
    marks = tmp_path / "marks"
    LocalBackend(2).run([spec(tmp_path, i, [str(sim), str(marks)]) for i in range(6)], lambda e: None)
    level = peak = 0
    for m in marks.read_text().split():
        level += 1 if m == "+" else -1
        peak = max(peak, level)
    assert peak == 2


def test_wall_clock_limit_kills_the_whole_process_group(tmp_path):
    # The job starts a grandchild that would outlive a kill of the job's own process.
    sim = script(tmp_path, "sim", """
        import os, signal, subprocess, sys
        c = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()"])
        open("child.pid", "w").write(str(c.pid))
        signal.pause()
    """)
    s = spec(tmp_path, 0, [str(sim)], timeout=1.0)
    ends = []
    LocalBackend(1).run([s], ends.append)
    (e,) = ends
    assert e.timed_out and e.rc is None and e.wall_s >= 1.0
    child = int((s.run_dir / "child.pid").read_text())
    wait_for(lambda: not alive(child), "the grandchild to die")


def test_a_simulator_that_cannot_start_is_infra(tmp_path):
    ends = []
    LocalBackend(1).run([spec(tmp_path, 0, [str(tmp_path / "no_such_sim")])], ends.append)
    assert ends[0].rc is None and "cannot start simulator" in ends[0].infra


def test_ctrl_c_kills_running_jobs_and_reraises(tmp_path):
    sim = script(tmp_path, "sim", """
        import os, signal
        open("pid", "w").write(str(os.getpid()))
        signal.pause()
    """)
    fast = script(tmp_path, "fast", "pass\n")
    specs = [spec(tmp_path, 0, [str(fast)])] + [spec(tmp_path, i, [str(sim)]) for i in (1, 2)]
    specs += [spec(tmp_path, 3, [str(fast)])]

    def on_end(e):  # the first job to end: wait until the two hanging ones run, then "press Ctrl-C"
        wait_for(lambda: all(written(s.run_dir / "pid") for s in specs[1:3]), "the hanging jobs to start")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        LocalBackend(3).run(specs, on_end)
    for s in specs[1:3]:
        assert not alive(int((s.run_dir / "pid").read_text()))


def test_no_simulator_survives_a_runner_killed_with_sigkill(tmp_path):
    sim = script(tmp_path, "sim", """
        import os, signal
        open("pid", "w").write(str(os.getpid()))
        signal.pause()
    """)
    runner = tmp_path / "runner.py"
    runner.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO / 'python')!r})
        from pathlib import Path
        from ncv.backends.base import JobSpec
        from ncv.backends.local import LocalBackend
        rd = Path({str(tmp_path / 'job')!r}); rd.mkdir()
        LocalBackend(1).run([JobSpec(0, "hang", [{str(sim)!r}], rd, 600.0)], lambda e: None)
    """))
    p = subprocess.Popen([sys.executable, str(runner)])
    pidfile = tmp_path / "job" / "pid"
    wait_for(lambda: written(pidfile), "the job to start")
    pid = int(pidfile.read_text())
    assert alive(pid)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    wait_for(lambda: not alive(pid), "the orphaned simulator to die")


def test_a_rerun_that_fails_differently_is_reported(tmp_path, monkeypatch, capsys):
    # The "simulator" fails with another signature when it runs with +waves: the runner's
    # same-failure check must say so and record it.
    from ncv import build as buildmod
    from ncv import regress, resultsdb, testlist

    sim = script(tmp_path, "sim", """
        import json, sys
        args = dict(a[1:].split("=", 1) if "=" in a else (a[1:], "1") for a in sys.argv[1:])
        sig = "X.WAVES: only with waves 0x12" if "waves" in args else "X.BAD: value 0x34 at 7 ns"
        json.dump({"status": "FAIL", "signature": sig, "cycles": 5, "first_error": "e"},
                  open(args["outdir"] + "/result.json", "w"))
        open(args["outdir"] + "/sim.log", "w").write("")
        sys.exit(1)
    """)
    monkeypatch.setattr(buildmod, "sim_binary", lambda target, config: sim)
    t = testlist.TestEntry("tile_random", "b", 1, [], [], 30.0, tmp_path / "l.yaml")
    job = regress.Job(0, t, testlist.Build("b", "ncv_tile", "ci"), 3, tmp_path / "run")
    first = regress.run_job(job, sim)
    assert (first.status, first.signature_norm) == ("FAIL", "X.BAD: value <hex> at <time>")
    db = resultsdb.ResultsDb(tmp_path / "r.db")
    rid = db.start_run({"list_name": "l", "list_path": "l", "out_dir": str(tmp_path), "started_at": 0.0}, [])
    regress._rerun(LocalBackend(1), db, rid, [first], 1)
    out = capsys.readouterr().out
    assert "tile_random seed 3: DIFFERENT: rerun FAIL 'X.WAVES: only with waves <hex>'" in out
    assert "1 rerun did not fail the same way" in out
    (rr,) = db.reruns(rid)
    assert (rr["same"], rr["status"], rr["run_dir"]) == (0, "FAIL", str(tmp_path / "run" / "rerun"))
