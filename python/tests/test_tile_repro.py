"""Issue 4: a failing tile run prints its reproduction command, and rerunning that command
fails identically (same signature, same first error, same log)."""

import json
import shlex

from conftest import REPO  # noqa: F401  (sets up the import path)


def test_failing_tile_run_reproduces_identically(run_ncv, tmp_path):
    first = tmp_path / "first"
    p = run_ncv("run", "tile_inject_lockstep", "--config", "ci", "--seed", "4242", "--out", str(first))
    assert p.returncode == 1, p.stdout + p.stderr
    lines = [l for l in p.stdout.splitlines() if l.startswith("reproduce: ")]
    assert len(lines) == 1, p.stdout
    repro = shlex.split(lines[0][len("reproduce: "):])
    assert repro[:3] == ["./ncv", "run", "tile_inject_lockstep"] and "4242" in repro
    again = tmp_path / "again"
    r = run_ncv(*repro[1:], "--out", str(again))
    assert r.returncode == 1, r.stdout + r.stderr
    a = json.loads((first / "result.json").read_text())
    b = json.loads((again / "result.json").read_text())
    assert a["status"] == b["status"] == "FAIL"
    assert a["signature"].startswith("TILE.MISMATCH") and a["signature"] == b["signature"]
    assert a["first_error"] == b["first_error"] and a["cycles"] == b["cycles"]
    assert (first / "sim.log").read_bytes() == (again / "sim.log").read_bytes()
