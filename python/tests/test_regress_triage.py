"""Triage with real simulators: a known failing (negative) test lands in the expected bucket,
its reproduction command fails the same way, --rerun-failures reruns it with waves and
debug verbosity, and --seeds-from / --reseed plan the expected seeds."""

import json
import sqlite3
from pathlib import Path

from ncv import regress, triage

LIST = ("name: tri\nbuilds: {t: {target: ncv_tile, config: ci}}\ntests:\n"
        "  - {name: tile_random, build: t, seeds: 1}\n"
        "  - {name: tile_inject, build: t, seeds: 3}\n")


def test_failing_test_bucket_repro_and_rerun_with_waves(run_ncv, tmp_path):
    lst = tmp_path / "tri.yaml"
    lst.write_text(LIST)
    out = tmp_path / "o"
    p = run_ncv("regress", str(lst), "--out", str(out), "--seed", "5", "-j", "2", "--rerun-failures", "1")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "1 passed, 3 failed of 4 jobs" in p.stdout
    con = sqlite3.connect(out / "results.db")
    sigs = {r[0] for r in con.execute("SELECT signature_norm FROM results WHERE status = 'FAIL'")}
    assert len(sigs) == 1, sigs  # three seeds of one bug: one bucket
    (sig,) = sigs
    assert sig.startswith("TILE.") and "<n>" in sig
    lines = p.stdout.splitlines()
    k = lines.index(f"  [3x] FAIL {sig}")
    assert lines[k + 1].startswith("        first: tile_inject seed ")
    assert "; shortest: tile_inject seed " in lines[k + 1]
    repro = next(ln for ln in lines[k:] if "reproduce:" in ln).split("reproduce: ")[1]
    # The shortest failing run (by cycles) is the one to reproduce.
    short = con.execute("SELECT seed, cycles FROM results WHERE status = 'FAIL' ORDER BY cycles, wall_s LIMIT 1"
                        ).fetchone()
    assert repro == f"./ncv run tile_inject --config ci --seed {short[0]}"
    assert f"shortest: tile_inject seed {short[0]}, {short[1]} cycles" in lines[k + 1]

    # The reproduction command fails identically.
    r = run_ncv(*repro.split()[1:], "--out", str(tmp_path / "repro"))
    assert r.returncode == 1, r.stdout + r.stderr
    res = json.loads((tmp_path / "repro" / "result.json").read_text())
    assert res["status"] == "FAIL" and triage.normalise(res["signature"]) == sig

    # The rerun: with waves and debug verbosity, recorded, and failing the same way.
    assert "Rerunning 1 failing job with +waves +verbosity=debug:" in p.stdout
    (rr,) = con.execute("SELECT idx, status, signature_norm, same, waves, run_dir, args FROM reruns").fetchall()
    idx, status, rsig, same, waves, rdir, args = rr
    assert (status, rsig, same) == ("FAIL", sig, 1)
    assert json.loads(args) == ["+waves", "+verbosity=debug"]
    orig_dir = con.execute("SELECT run_dir FROM results WHERE idx = ?", (idx,)).fetchone()[0]
    assert Path(rdir) == Path(orig_dir) / "rerun" and Path(waves) == Path(rdir) / "waves.fst"
    assert Path(waves).stat().st_size > 1000
    assert " DEBUG " in (Path(rdir) / "sim.log").read_text()
    assert f"FAIL the same way; waves: {waves}" in p.stdout
    # The job's own result and run dir are untouched by the rerun.
    assert not (Path(orig_dir) / "waves.fst").exists() and (Path(orig_dir) / "result.json").exists()
    assert con.execute("SELECT count(*) FROM results").fetchone()[0] == 4

    # --seeds-from replays the run's seeds exactly; --reseed N plans N seeds per test.
    r = run_ncv("regress", str(lst), "--out", str(out), "--seeds-from", "1", "-j", "2")
    assert r.returncode == 1 and "1 passed, 3 failed of 4 jobs" in r.stdout
    plan = lambda rid: con.execute("SELECT test, seed FROM plan WHERE run_id = ? ORDER BY idx", (rid,)).fetchall()
    assert plan(2) == plan(1)
    assert con.execute("SELECT count(DISTINCT signature_norm) FROM results WHERE run_id = 2 AND status = 'FAIL'"
                       ).fetchone()[0] == 1
    r = run_ncv("regress", str(lst), "--out", str(out), "--reseed", "2", "--seed", "9", "-j", "2")
    assert r.returncode == 1 and "2 passed, 2 failed of 4 jobs" in r.stdout
    assert [t for t, _ in plan(3)] == ["tile_random"] * 2 + ["tile_inject"] * 2
    assert [s for _, s in plan(3)] == [regress.job_seed(9, f"{e}/{t}/{i}") for e, t in
                                       ((0, "tile_random"), (1, "tile_inject")) for i in range(2)]
