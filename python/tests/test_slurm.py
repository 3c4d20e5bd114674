"""The slurm backend against a real single-node Slurm cluster started here (slurm_cluster.py).

The cluster binaries (Debian slurm-wlm, slurm-client, munge) are installed by ./ncv's
bootstrap; when they are missing these tests fail, they are not skipped.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO
from ncv import slurm_cluster
from ncv.errors import UsageError
from ncv.backends.base import JobEnd, JobSpec
from ncv.backends.local import LocalBackend
from ncv.backends.slurm import EXIT_FILE, SlurmBackend


def wait_for(what, ok, timeout_s=60.0):
    """Polls ok() with a growing interval until it is true; fails after timeout_s."""
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    while True:
        v = ok()
        if v:
            return v
        assert time.monotonic() < deadline, f"timed out after {timeout_s} s waiting for {what}"
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def procs_with(marker: str) -> list[int]:
    """Processes whose command line contains marker."""
    found = []
    for ent in os.listdir("/proc"):
        if not ent.isdigit() or int(ent) == os.getpid():
            continue
        try:
            with open(f"/proc/{ent}/cmdline", "rb") as f:
                cmd = f.read()
            with open(f"/proc/{ent}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
        except OSError:
            continue
        if marker.encode() in cmd:
            found.append(int(ent))
    return found


@pytest.fixture(scope="module")
def cluster():
    miss = slurm_cluster.missing_binaries()
    if miss:
        pytest.fail(f"Slurm binaries missing: {', '.join(miss)}; install Debian packages slurm-wlm, slurm-client "
                    "and munge (./ncv's bootstrap installs them from ci/apt-packages.txt)")
    # a short path: munged's and slurmstepd's Unix sockets live below it
    d = Path(tempfile.mkdtemp(prefix="ncv-slurm-"))
    c = slurm_cluster.SlurmCluster(d)
    t0 = time.monotonic()
    c.up()
    print(f"slurm cluster up in {time.monotonic() - t0:.2f} s in {d}")
    yield c
    t0 = time.monotonic()
    c.down()
    print(f"slurm cluster down in {time.monotonic() - t0:.2f} s")
    assert not c.running()
    shutil.rmtree(d)  # kept (with the daemons' logs) when stopping failed


def slurm(cluster, *args):
    return subprocess.run(list(args), capture_output=True, text=True, env=cluster.client_env(), timeout=60)


def backend(cluster, **kw):
    kw.setdefault("poll_s", 0.2)
    return SlurmBackend(env=cluster.env(), **kw)


def specs(root: Path, cmds, timeout_s=60.0) -> list[JobSpec]:
    out = []
    for i, argv in enumerate(cmds):
        d = root / f"job{i}"
        d.mkdir(parents=True)
        out.append(JobSpec(i, f"job{i}", [str(a) for a in argv], d, timeout_s))
    return out


def run_all(b, jobs) -> dict[int, JobEnd]:
    ends: dict[int, JobEnd] = {}

    def on_end(e):
        assert e.spec.index not in ends, f"on_end called twice for {e.spec.name}"
        ends[e.spec.index] = e

    b.run(jobs, on_end)
    assert sorted(ends) == [j.index for j in jobs]
    return ends


def test_cluster_is_private_and_idle(cluster):
    p = slurm(cluster, "sinfo", "-h", "-o", "%P %t %N %c")
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [f"{slurm_cluster.PARTITION}*", "idle", cluster.node, str(os.cpu_count())]
    conf = slurm(cluster, "scontrol", "show", "config").stdout
    assert str(cluster.dir / "state") in conf and "127.0.0.1" in cluster.conf.read_text()
    assert cluster.status().endswith(f"node {cluster.node}: idle")


def test_exit_status_signal_timeout_and_missing_binary(cluster, tmp_path):
    marker = f"ncv-slurm-grandchild-{os.getpid()}-{time.monotonic_ns()}"
    grandchild = ("import os, time\nif os.fork() == 0:\n    time.sleep(300)\ntime.sleep(300)\n")
    cmds = [
        ["sh", "-c", "echo hello; echo oops >&2; pwd > where.txt"],
        ["sh", "-c", "exit 3"],
        ["sh", "-c", "kill -SEGV $$"],
        ["sh", "-c", "kill -KILL $$"],
        [sys.executable, "-c", grandchild, marker],  # timeout; its forked child must die too
        ["/nonexistent/ncv_sim", "+test=x"],
    ]
    jobs = specs(tmp_path, cmds, timeout_s=5.0)
    jobs[4] = JobSpec(4, "job4", jobs[4].argv, jobs[4].run_dir, 1.0)
    ends = run_all(backend(cluster), jobs)
    assert (ends[0].rc, ends[0].timed_out, ends[0].infra) == (0, False, "")
    assert (jobs[0].run_dir / "stdout.log").read_text() == "hello\noops\n"
    assert (jobs[0].run_dir / "where.txt").read_text().strip() == str(jobs[0].run_dir.resolve())
    assert ends[1].rc == 3
    assert ends[2].rc == -signal.SIGSEGV
    assert ends[3].rc == -signal.SIGKILL
    assert ends[4].timed_out and ends[4].rc is None and 1.0 <= ends[4].wall_s < 5.0
    assert procs_with(marker) == []
    assert ends[5].rc is None and "cannot start simulator: No such file or directory: /nonexistent/ncv_sim" \
        in ends[5].infra
    rec = json.loads((jobs[2].run_dir / EXIT_FILE).read_text())
    assert (rec["rc"], rec["signal"], rec["timed_out"], rec["host"]) == (-11, 11, False, cluster.node)


def test_same_ends_as_local_backend(cluster, tmp_path):
    """The same commands give the same rc / timeout on both backends."""
    cmds = [["true"], ["false"], ["sh", "-c", "exit 77"], ["sh", "-c", "kill -ABRT $$"], ["sleep", "10"]]
    got = {}
    for name, b in (("local", LocalBackend(2)), ("slurm", backend(cluster))):
        jobs = specs(tmp_path / name, cmds, timeout_s=1.0)
        ends = run_all(b, jobs)
        got[name] = [(e.rc, e.timed_out, bool(e.infra)) for _, e in sorted(ends.items())]
    assert got["slurm"] == got["local"] == [(0, False, False), (1, False, False), (77, False, False),
                                            (-signal.SIGABRT, False, False), (None, True, False)]


def _simulator(target: str, config: str = "ci") -> Path | None:
    from ncv import build as buildmod, paths

    for bd in (paths.build_dir(), REPO / "build" / "ci", REPO / "build" / "default"):
        p = bd / "tb" / buildmod.SIM_DIRS[target] / f"{target}_{config}"
        if p.is_file() and os.access(p, os.X_OK):
            return p
    return None


def test_real_simulators_match_local(cluster, tmp_path):
    """Real simulator runs (passing seeds and a negative test) end the same way on both
    backends, with the same result.json status and signature."""
    tile = _simulator("ncv_tile")
    if tile is None:
        pytest.skip("no ncv_tile_ci simulator in the build tree, build/ci or build/default (./ncv build ncv_tile_ci)")
    runs = [("tile_random", s) for s in (1, 2, 3)] + [("tile_errors", 5), ("tile_inject", 3)]
    sled = _simulator("ncv_sled")
    sims = [(tile, t, s) for t, s in runs] + ([(sled, "skeleton_boot", 1)] if sled else [])
    got = {}
    for name, b in (("local", LocalBackend(2)), ("slurm", backend(cluster))):
        root = tmp_path / name
        jobs = []
        for i, (binary, test, seed) in enumerate(sims):
            d = root / f"{test}-{seed}"
            d.mkdir(parents=True)
            jobs.append(JobSpec(i, f"{test} seed {seed}", [str(binary), f"+test={test}", f"+seed={seed}",
                                                            f"+outdir={d}"], d, 120.0))
        ends = run_all(b, jobs)
        rows = []
        for j in jobs:
            rj = j.run_dir / "result.json"  # absent when a simulator crashes: the same on both backends
            res = json.loads(rj.read_text()) if rj.exists() else {}
            rows.append((j.name, ends[j.index].rc, res.get("status"), res.get("signature"), res.get("cycles")))
        got[name] = rows
    assert got["slurm"] == got["local"]
    statuses = {r[0]: r[2] for r in got["slurm"]}
    assert statuses["tile_random seed 1"] == "PASS" and statuses["tile_inject seed 3"] == "FAIL"


def test_task_cancelled_from_outside_is_infra(cluster, tmp_path):
    """A task that ends without an exit record (here: scancel of that one task by someone
    else; node failures look the same) ends with rc=None and Slurm's state in the message."""
    marker = f"ncv-slurm-outside-{os.getpid()}-{time.monotonic_ns()}"
    jobs = specs(tmp_path, [["true"], [sys.executable, "-c", "import time; time.sleep(300)", marker]])
    b = backend(cluster, vanish_grace_s=0.5)
    ends: dict[int, JobEnd] = {}
    t = threading.Thread(target=b.run, args=(jobs, lambda e: ends.__setitem__(e.spec.index, e)))
    t.start()
    try:
        wait_for("the sleeping job to run", lambda: procs_with(marker))
        a = b.arrays[0].job_id
        p = slurm(cluster, "scancel", f"{a}_1")
        assert p.returncode == 0, p.stderr
    finally:
        t.join(120)
    assert not t.is_alive()
    assert ends[0].rc == 0
    assert ends[1].rc is None and not ends[1].timed_out
    assert f"slurm task {a}_1 ended without an exit record (state CANCELLED" in ends[1].infra
    assert procs_with(marker) == []


def _running_tasks(cluster, job_id: str) -> int:
    p = slurm(cluster, "squeue", "-h", "-r", "-j", job_id, "-t", "R", "-o", "%K")
    return len(p.stdout.split())


def test_interrupt_cancels_array(cluster, tmp_path):
    """interrupt() from another thread = Ctrl-C: run() scancels the array, waits until squeue
    no longer lists it, and raises KeyboardInterrupt; no job process is left."""
    marker = f"ncv-slurm-cancel-{os.getpid()}-{time.monotonic_ns()}"
    cmds = [["true"]] + [[sys.executable, "-c", "import time; time.sleep(300)", marker]] * 5
    jobs = specs(tmp_path, cmds)
    b = backend(cluster)
    ends: dict[int, JobEnd] = {}
    raised = []

    def body():
        try:
            b.run(jobs, lambda e: ends.__setitem__(e.spec.index, e))
        except KeyboardInterrupt:
            raised.append("KeyboardInterrupt")

    t = threading.Thread(target=body)
    t.start()
    try:
        wait_for("two sleeping jobs to run", lambda: len(procs_with(marker)) >= 2)
        assert 0 in wait_for("job0's end", lambda: ends)
        b.interrupt()
    finally:
        t.join(120)
    assert not t.is_alive() and raised == ["KeyboardInterrupt"]
    assert list(ends) == [0]  # the cancelled jobs are not reported
    a = b.arrays[0].job_id
    assert slurm(cluster, "squeue", "-h", "-r", "-j", a).stdout.strip() == ""
    assert procs_with(marker) == []


def test_sigint_in_runner_cancels_array(cluster, tmp_path):
    """The real Ctrl-C: SIGINT to a runner process in run() cancels its array."""
    marker = f"ncv-slurm-sigint-{os.getpid()}-{time.monotonic_ns()}"
    script = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(REPO / 'python')!r})
from ncv.backends.base import JobSpec
from ncv.backends.slurm import SlurmBackend
jobs = []
for i in range(3):
    d = Path({str(tmp_path)!r}) / f"j{{i}}"
    d.mkdir()
    jobs.append(JobSpec(i, f"j{{i}}", [sys.executable, "-c", "import time; time.sleep(300)", {marker!r}], d, 60.0))
b = SlurmBackend(poll_s=0.2)
try:
    b.run(jobs, print)
except KeyboardInterrupt:
    print("interrupted", b.arrays[0].job_id, flush=True)
    sys.exit(130)
"""
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=cluster.client_env())
    try:
        wait_for("two sleeping jobs to run", lambda: len(procs_with(marker)) >= 2)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 130, err
    job_id = out.split()[-1]
    assert slurm(cluster, "squeue", "-h", "-r", "-j", job_id).stdout.strip() == ""
    assert procs_with(marker) == []


def test_sbatch_refusal_is_infra_for_every_job(cluster, tmp_path):
    jobs = specs(tmp_path, [["true"], ["true"]])
    ends = run_all(backend(cluster, partition="no_such_partition"), jobs)
    for e in ends.values():
        assert e.rc is None and e.infra.startswith("sbatch failed: ") and "partition" in e.infra.lower(), e.infra


def test_arrays_split_at_max_array_size_keep_parallel_bound(cluster, tmp_path):
    """More jobs than MaxArraySize: several arrays, chained so --max-parallel still holds;
    every job runs exactly once."""
    jobs = specs(tmp_path, [["sh", "-c", f"echo {i} > n.txt"] for i in range(5)])
    b = backend(cluster, max_array_size=2, max_parallel=1)
    ends = run_all(b, jobs)
    assert [a.count for a in b.arrays] == [2, 2, 1]
    assert all(e.rc == 0 for e in ends.values())
    assert [(j.run_dir / "n.txt").read_text().strip() for j in jobs] == [str(i) for i in range(5)]
    hosts = [json.loads((j.run_dir / EXIT_FILE).read_text())["host"] for j in jobs]
    assert set(hosts) == {cluster.node}


def test_cli_second_private_cluster_up_status_down(cluster):
    """`python -m ncv.slurm_cluster` starts an independent second cluster next to the
    fixture's (own ports, socket, state), reports it, and stops it without leftovers."""
    d = Path(tempfile.mkdtemp(prefix="ncv-slurm2-"))
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    cmd = [sys.executable, "-m", "ncv.slurm_cluster"]
    up = subprocess.run(cmd + ["up", "--dir", str(d)], capture_output=True, text=True, env=env, timeout=120)
    try:
        assert up.returncode == 0, up.stderr
        assert f"export SLURM_CONF={d / 'slurm.conf'}" in up.stdout
        st = subprocess.run(cmd + ["status", "--dir", str(d)], capture_output=True, text=True, env=env, timeout=60)
        assert st.returncode == 0 and st.stdout.strip().endswith("idle"), st.stdout + st.stderr
        pids = [int((d / "run" / f"{n}.pid").read_text()) for n in ("munged", "slurmctld", "slurmd")]
        # the fixture's cluster is untouched
        assert slurm(cluster, "sinfo", "-h", "-o", "%t").stdout.strip() == "idle"
    finally:
        down = subprocess.run(cmd + ["down", "--dir", str(d)], capture_output=True, text=True, env=env, timeout=120)
    assert down.returncode == 0, down.stderr
    assert not any(slurm_cluster._pid_alive(p) for p in pids)
    st = subprocess.run(cmd + ["status", "--dir", str(d)], capture_output=True, text=True, env=env, timeout=60)
    assert st.returncode == 1 and "slurmctld: stopped" in st.stdout
    assert cluster.running()
    shutil.rmtree(d)


def test_configuration_from_environment(cluster, tmp_path):
    """NCV_SLURM_* variables configure a backend built without arguments (as `ncv regress
    --backend slurm` builds it): the array's %limit and extra sbatch options reach Slurm."""
    env = dict(cluster.env(), NCV_SLURM_MAX_PARALLEL="1", NCV_SLURM_SBATCH_ARGS="--comment='ncv env test'",
               NCV_SLURM_PARTITION=slurm_cluster.PARTITION)
    b = SlurmBackend(env=env, poll_s=0.2)
    ends = run_all(b, specs(tmp_path, [["true"], ["true"]]))
    assert all(e.rc == 0 for e in ends.values())
    show = slurm(cluster, "scontrol", "-o", "show", "job", f"{b.arrays[0].job_id}_0").stdout
    assert "ArrayTaskThrottle=1" in show and "Comment=ncv env test" in show, show
    with pytest.raises(UsageError, match="NCV_SLURM_MAX_PARALLEL.*positive integer, got 'two'"):
        SlurmBackend(env={"NCV_SLURM_MAX_PARALLEL": "two"})


# The list both backends run: tile tests that pass, a negative test that fails, and a job
# killed at its wall-clock limit. NCV_SLURM_TEST_LIST=smoke runs the whole smoke list instead
# (it needs the sled and switch simulators too; ci/slurm-smoke.sh runs it in CI).
MINI_LIST = """\
name: slurm_vs_local
defaults: {config: ci, timeout_s: 120, seeds: 1}
builds:
  tile_ci: {target: ncv_tile, config: ci}
tests:
  - {name: tile_random, build: tile_ci, seeds: 4}
  - {name: tile_errors, build: tile_ci, seeds: 1}
  - {name: tile_inject, build: tile_ci, seeds: 2}
  - {name: tile_random, build: tile_ci, seeds: 1, timeout_s: 0.01}
"""


def test_regress_slurm_matches_local(cluster, tmp_path, run_ncv):
    """`ncv regress` with the same base seed on the local and on the slurm backend: every job
    gets the same status, normalised signature, exit status and cycle count."""
    import sqlite3

    test_list = os.environ.get("NCV_SLURM_TEST_LIST")
    if not test_list:
        test_list = str(tmp_path / "slurm_vs_local.yaml")
        Path(test_list).write_text(MINI_LIST)
    db = tmp_path / "results.db"
    rcs = {}
    for be in ("local", "slurm"):
        p = run_ncv("regress", test_list, "--backend", be, "--seed", "1", "--out", str(tmp_path / be), "--db", str(db),
                    env=cluster.env(), timeout=1800)
        assert p.returncode in (0, 1), f"{be}: exit {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
        rcs[be] = p.returncode
    assert rcs["slurm"] == rcs["local"]
    con = sqlite3.connect(str(db))
    runs = dict(con.execute("SELECT backend, id FROM runs").fetchall())
    assert set(runs) == {"local", "slurm"}
    got = {be: con.execute("SELECT idx, test, seed, status, signature_norm, rc, cycles FROM results "
                           "WHERE run_id = ? ORDER BY idx", (rid,)).fetchall() for be, rid in runs.items()}
    planned = con.execute("SELECT COUNT(*) FROM plan WHERE run_id = ?", (runs["slurm"],)).fetchone()[0]
    assert len(got["slurm"]) == planned > 0
    assert got["slurm"] == got["local"]
    statuses = {r[3] for r in got["slurm"]}
    assert "INFRA" not in statuses
    if not os.environ.get("NCV_SLURM_TEST_LIST"):
        assert [r[3] for r in got["slurm"]] == ["PASS"] * 5 + ["FAIL"] * 2 + ["TIMEOUT"]


def test_cluster_refuses_a_directory_too_long_for_sockets(tmp_path):
    d = tmp_path / ("x" * 100)
    with pytest.raises(slurm_cluster.InfraError, match="directory path too long for Unix sockets"):
        slurm_cluster.SlurmCluster(d).up()
    assert not d.exists()
