"""ncv regress killed with SIGKILL half-way, then --resume: the same plan (seeds, run dirs),
only the jobs without a result run, and the database ends with exactly one result per job.
Real simulator jobs (the tile testbench), one of them failing on purpose."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO


def db_count(db, sql, args=()):
    """A read-only query that tolerates a database not created yet."""
    if not db.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(sql, args).fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # tables not created yet
        return None


def test_sigkill_then_resume_runs_only_missing_jobs_once(run_ncv, tmp_path):
    lst = tmp_path / "slow.yaml"
    lst.write_text(
        "name: slow\nbuilds: {t: {target: ncv_tile, config: ci}}\ntests:\n"
        "  - {name: tile_inject, build: t, seeds: 1}\n"
        "  - {name: tile_random, build: t, seeds: 9, args: [+programs=4]}\n")
    out = tmp_path / "o"
    db = out / "results.db"
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"), SC_COPYRIGHT_MESSAGE="DISABLE")
    with open(tmp_path / "first.log", "w") as log:
        p = subprocess.Popen([sys.executable, "-m", "ncv", "regress", str(lst), "--out", str(out), "-j", "1",
                              "--seed", "11"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 600
        # Wait (polling the database, not a fixed time) until three jobs have their result.
        while (db_count(db, "SELECT count(*) FROM results") or 0) < 3:
            assert p.poll() is None, (tmp_path / "first.log").read_text()
            assert time.monotonic() < deadline, "no results after 600 s"
            time.sleep(0.02)
        # While its runner lives, the run cannot be resumed by another.
        busy = run_ncv("regress", str(lst), "--out", str(out), "--resume")
        assert busy.returncode == 2 and f"run 1 is still being run by process {p.pid}" in busy.stderr, busy.stderr
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    con = sqlite3.connect(db)
    planned = con.execute("SELECT idx, seed, run_dir FROM plan WHERE run_id = 1 ORDER BY idx").fetchall()
    before = con.execute("SELECT idx, ended_at FROM results WHERE run_id = 1").fetchall()
    con.close()
    assert len(planned) == 10 and 3 <= len(before) < 10, before
    assert db_count(db, "SELECT state FROM runs WHERE id = 1") == "running"  # killed: never marked done

    r = run_ncv("regress", str(lst), "--out", str(out), "--resume", "-j", "2")
    assert r.returncode == 1, r.stdout + r.stderr  # the tile_inject job failed before the kill
    assert f"resuming run 1 of list slow: {len(before)} of 10 jobs have a result" in r.stdout
    ran = re.findall(r"^\[(\d+)/10\] (PASS|FAIL) ", r.stdout, re.M)
    assert [int(n) for n, _ in ran] == list(range(len(before) + 1, 11))  # only the missing jobs ran
    assert "9 passed, 1 failed of 10 jobs" in r.stdout
    assert "[1x] FAIL " in r.stdout and "reproduce: ./ncv run tile_inject --config ci --seed " in r.stdout

    con = sqlite3.connect(db)
    rows = con.execute("SELECT idx, seed, run_dir, status FROM results WHERE run_id = 1 ORDER BY idx").fetchall()
    assert [(i, s, d) for i, s, d, _ in rows] == planned  # exactly one result per planned job, same seeds and dirs
    assert dict(before) == dict(con.execute("SELECT idx, ended_at FROM results WHERE run_id = 1 AND idx IN (%s)"
                                            % ",".join(str(i) for i, _ in before)).fetchall())  # kept, not redone
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert con.execute("SELECT state, exit_status, attempts FROM runs WHERE id = 1").fetchone() == ("done", 1, 2)
    for idx, seed, rd, status in rows:
        res = json.loads((Path(rd) / "result.json").read_text())
        assert (res["seed"], res["status"]) == (seed, status)
    assert len(list(out.glob("slow-*"))) == 1  # the same output directory
    junit = next(out.glob("slow-*/junit.xml")).read_text()
    assert junit.count("<testcase ") == 10 and junit.count("<failure") == 1

    # Resuming a finished run runs nothing and reports the same.
    r2 = run_ncv("regress", str(lst), "--out", str(out), "--resume", "1")
    assert r2.returncode == 1 and "10 of 10 jobs have a result" in r2.stdout
    assert not re.search(r"^\[\d+/10\]", r2.stdout, re.M)
    assert "9 passed, 1 failed of 10 jobs" in r2.stdout
    assert db_count(db, "SELECT count(*) FROM results") == 10
