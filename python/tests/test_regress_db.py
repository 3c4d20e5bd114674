"""The results database (one result per job, several writers on one file, schema version,
bad files), signature normalisation, the progress line and the CLI's bad option values."""

import io
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from conftest import REPO
from ncv import regress, resultsdb, triage
from ncv.errors import UsageError


def run_row(**kw):
    d = {"list_name": "l", "list_path": "/x/l.yaml", "out_dir": "/x/out", "started_at": 1.0, "planned": 2,
         "tools": {"python": "3"}, "seed_options": {"seed": 7}}
    d.update(kw)
    return d


def plan_rows(n):
    return [{"idx": i, "test": "t", "entry": 0, "build": "b", "target": "ncv_sled", "config": "ci", "seed": 100 + i,
             "args": ["+a=1"], "tags": [], "timeout_s": 5.0, "run_dir": f"/x/out/t/{i}"} for i in range(n)]


def result(run_id, i, status="PASS", sig=""):
    return {"run_id": run_id, "idx": i, "test": "t", "config": "ci", "build": "b", "seed": 100 + i, "args": ["+a=1"],
            "status": status, "signature": sig, "signature_norm": triage.normalise(sig), "detail": "", "rc": 0,
            "wall_s": 0.5, "cycles": 10, "host": "h", "run_dir": f"/x/out/t/{i}"}


def test_run_plan_and_results_round_trip(tmp_path):
    db = resultsdb.ResultsDb(tmp_path / "r.db")
    rid = db.start_run(run_row(), plan_rows(2))
    assert db.resolve("latest", "l") == rid == db.resolve(str(rid))
    assert [p["seed"] for p in db.plan(rid)] == [100, 101] and db.plan(rid)[0]["args"] == ["+a=1"]
    db.add_result(result(rid, 1, "FAIL", "X: at 0x10"))
    (x,) = db.results(rid)
    assert (x["idx"], x["status"], x["signature_norm"]) == (1, "FAIL", "X: at <hex>")
    assert db.run(rid)["tools"] == {"python": "3"}
    assert sqlite3.connect(tmp_path / "r.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_job_never_has_two_results(tmp_path):
    db = resultsdb.ResultsDb(tmp_path / "r.db")
    rid = db.start_run(run_row(), plan_rows(1))
    db.add_result(result(rid, 0))
    with pytest.raises(sqlite3.IntegrityError):
        db.add_result(result(rid, 0))
    assert len(db.results(rid)) == 1  # the failed transaction left nothing behind
    db.add_result(result(rid, 1))  # and the connection is usable afterwards


def test_several_runners_write_one_file_at_once(tmp_path):
    # Four processes each record 150 results of their own run as fast as they can.
    prog = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO / 'python')!r}); sys.path.insert(0, {str(REPO / 'python' / 'tests')!r})
        from ncv import resultsdb
        from test_regress_db import run_row, plan_rows, result
        db = resultsdb.ResultsDb(sys.argv[1])
        rid = db.start_run(run_row(), plan_rows(150))
        for i in range(150):
            db.add_result(result(rid, i))
    """)
    ps = [subprocess.Popen([sys.executable, "-c", prog, str(tmp_path / "r.db")]) for _ in range(4)]
    assert [p.wait(timeout=300) for p in ps] == [0] * 4
    con = sqlite3.connect(tmp_path / "r.db")
    assert con.execute("SELECT count(*), count(DISTINCT run_id) FROM results").fetchone() == (600, 4)


def test_bad_database_files_are_usage_errors(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UsageError, match="not a usable ncv results database"):
        resultsdb.ResultsDb(junk)
    old = tmp_path / "old.db"
    resultsdb.ResultsDb(old).close()
    sqlite3.connect(old).execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'").connection.commit()
    with pytest.raises(UsageError, match="schema version 99"):
        resultsdb.ResultsDb(old)
    db = resultsdb.ResultsDb(tmp_path / "empty.db")
    with pytest.raises(UsageError, match="no runs of list 'l'"):
        db.resolve("latest", "l")
    with pytest.raises(UsageError, match="no run 5"):
        db.resolve("5")
    with pytest.raises(UsageError, match="expected a run id"):
        db.resolve("yesterday")


@pytest.mark.parametrize("raw, norm", [
    ("TB.X: addr 0xdeadBEEF != 0x0", "TB.X: addr <hex> != <hex>"),
    ("SB.LATE: q3 #12 at 1834.5 ns", "SB.LATE: q<n> #<n> at <time>"),
    ("TB.FILE: cannot open /tmp/run-42/x.bin for 'r'", "TB.FILE: cannot open <path> for 'r'"),
    ("TB.CSR.MISMATCH: chip<n> CONFIG<n>: expected <hex>, got <hex>",
     "TB.CSR.MISMATCH: chip<n> CONFIG<n>: expected <hex>, got <hex>"),
    ("CRASH: SIGSEGV", "CRASH: SIGSEGV"),
    ("EXIT: status 3", "EXIT: status <n>"),
])
def test_signature_normalisation(raw, norm):
    assert triage.normalise(raw) == norm
    assert triage.normalise(norm) == norm  # idempotent: simulator-normalised signatures land in the same bucket


def test_progress_line_on_a_terminal_and_plain_lines_otherwise(tmp_path):
    from ncv import testlist

    t = testlist.TestEntry("tile_config", "b", 1, [], [], 10.0, tmp_path)
    job = regress.Job(0, t, testlist.Build("b", "ncv_sled", "ci"), 5, tmp_path)
    tty, plain = io.StringIO(), io.StringIO()
    for out, is_tty in ((tty, True), (plain, False)):
        p = regress.Progress(4, 1, tty=is_tty, out=out)
        p.job(regress.JobResult(job, "PASS", wall_s=0.1))
        p.job(regress.JobResult(job, "FAIL", "X", wall_s=0.1))
        p.finish()
    assert ("\r\x1b[K[2/4] PASS    tile_config seed 5 (0.10s)\n[##########..........] 2/4 done: 1 pass, 0 fail, "
            "0 other;") in tty.getvalue()
    assert "3/4 done: 1 pass, 1 fail, 0 other;" in tty.getvalue() and "jobs/min; ETA " in tty.getvalue()
    assert plain.getvalue() == ("[2/4] PASS    tile_config seed 5 (0.10s)\n"
                                "[3/4] FAIL    tile_config seed 5 (0.10s)\n")


def test_slurm_backend_missing_is_a_usage_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "ncv.backends.slurm", None)  # import fails as if the module were absent
    with pytest.raises(UsageError, match="backend 'slurm' is not available"):
        regress.make_backend("slurm", 2)
    with pytest.raises(UsageError, match="unknown backend 'lsf'"):
        regress.make_backend("lsf", 2)


@pytest.mark.parametrize("args, msg", [
    (["--reseed", "0"], "--reseed N with N >= 1"),
    (["--reseed", "two"], "expected an integer"),
    (["--rerun-failures", "-1"], "--rerun-failures N with N >= 0"),
    (["--backend", "lsf"], "unknown backend 'lsf'"),
    (["--seeds-from", "1", "--seed", "3"], "excludes --seed"),
    (["--resume", "1", "--reseed", "3"], "--resume reuses the run's plan"),
    (["--resume", "nope"], "expected a run id"),
    (["--seeds-from", "12"], "no run 12"),
])
def test_bad_regress_options_give_one_error_and_exit_2(run_ncv, tmp_path, args, msg):
    p = run_ncv("regress", "smoke", "--out", str(tmp_path), *args)
    assert p.returncode == 2, p.stdout + p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("ncv: error: ") and msg in lines[0], p.stderr
    assert "building" not in p.stdout


def test_report_of_a_missing_database_is_a_usage_error(run_ncv, tmp_path):
    p = run_ncv("report", "--db", str(tmp_path / "none.db"))
    assert p.returncode == 2 and "no such results database" in p.stderr
