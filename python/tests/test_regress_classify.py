"""The regression runner's job classification, fed each bad case it must recognise."""

import json
import signal
from pathlib import Path

from ncv import regress, testlist


def job(tmp_path: Path) -> regress.Job:
    t = testlist.TestEntry("tile_config", "b", 1, ["+x=1"], [], 10.0, tmp_path / "l.yaml")
    return regress.Job(0, t, testlist.Build("b", "ncv_sled", "ci"), 42, tmp_path)


def write(tmp_path, status="PASS", log="   1.000 ns INFO TB.END: ok\n", sig=""):
    (tmp_path / "result.json").write_text(json.dumps({"status": status, "signature": sig, "cycles": 7,
                                                      "first_error": "boom"}))
    (tmp_path / "sim.log").write_text(log)


def test_pass(tmp_path):
    write(tmp_path)
    r = regress.classify(job(tmp_path), 0, 0.1)
    assert (r.status, r.cycles) == ("PASS", 7)


def test_error_line_in_a_passing_run_fails_it(tmp_path):
    write(tmp_path, log="   5.000 ns ERROR TB.X: bad thing\n")
    r = regress.classify(job(tmp_path), 0, 0.1)
    assert r.status == "FAIL" and r.signature.startswith("LOG:")


def test_failure_keeps_the_signature_and_the_repro(tmp_path):
    write(tmp_path, status="FAIL", sig="TB.CSR.MISMATCH: x")
    r = regress.classify(job(tmp_path), 1, 0.1)
    assert (r.status, r.signature) == ("FAIL", "TB.CSR.MISMATCH: x")
    assert r.repro == "./ncv run tile_config --config ci --seed 42 +x=1"


def test_signal_is_a_crash_and_missing_result_too(tmp_path):
    write(tmp_path)
    assert regress.classify(job(tmp_path), -signal.SIGSEGV, 0.1).signature == "CRASH: SIGSEGV"
    (tmp_path / "result.json").unlink()
    assert regress.classify(job(tmp_path), 1, 0.1).status == "CRASH"


def test_refused_arguments_are_infra_and_timeouts_are_timeouts(tmp_path):
    (tmp_path / "stdout.log").write_text("ncv_sled: error: argument '+x=1': unknown\n")
    r = regress.classify(job(tmp_path), 2, 0.1)
    assert r.status == "INFRA" and "unknown" in r.detail
    write(tmp_path, status="TIMEOUT", sig="TB.TIMEOUT: late")
    assert regress.classify(job(tmp_path), 3, 0.1).status == "TIMEOUT"
    write(tmp_path, status="FAIL")
    assert regress.classify(job(tmp_path), 0, 0.1).status == "FAIL"  # exit 0 but result says FAIL


def test_wall_clock_limit_kills_the_process_group(tmp_path):
    sim = tmp_path / "hang"
    sim.write_text("#!/bin/sh\nexec python3 -c 'import signal; signal.pause()'\n")  # blocks until killed
    sim.chmod(0o755)
    j = job(tmp_path / "run")
    j.test.timeout_s = 0.5
    r = regress.run_job(j, sim)
    assert r.status == "TIMEOUT" and r.rc is None
