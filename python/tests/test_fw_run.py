"""`ncv fw run` (issue 7): boot the sled firmware, stop at a POST code, run a host script,
run under gdb; bad scripts get one clear error. Runs the real ncv_sled_ci simulation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NCV = [sys.executable, "-m", "ncv"]
EXAMPLE = ROOT / "examples" / "fw" / "host_vector_add.yaml"


def ncv(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"), SC_COPYRIGHT_MESSAGE="DISABLE")
    return subprocess.run([*NCV, *args], cwd=cwd, capture_output=True, text=True, timeout=1800, env=env)


def test_stops_at_a_post_code_before_ready(tmp_path):
    r = ncv("fw", "run", "--config", "ci", "--stop-post", "HBM", "--out", str(tmp_path / "run"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "FW.RUN.POST: reached POST 0x30" in r.stdout
    assert "BOOT: READY" not in r.stdout  # it stopped before the end of boot


@pytest.mark.parametrize("mode", ["golden", "rtl"])
def test_host_script_runs_the_example_program_and_reads_what_the_golden_model_computes(tmp_path, mode):
    r = ncv("fw", "run", "--config", "ci", "--mode", mode, "--script", str(EXAMPLE), "--out", str(tmp_path / mode))
    assert r.returncode == 0, r.stdout + r.stderr
    # The same program on the golden model alone: its dump is what the host must read back.
    g = ncv("golden", "run", str(ROOT / "examples" / "golden" / "vector_add.yaml"))
    assert g.returncode == 0, g.stdout + g.stderr
    want = re.search(r"dump 0x30000 \[16 f32\]: (.*)", g.stdout).group(1)
    got = re.search(r"steps\[2\] read chip 0 0x30000 \[16 f32\]: (.*)", r.stdout).group(1)
    assert got == want
    # The error statuses the script expects, and the error log that counts them.
    assert re.search(r"host_script.txt:\d+ read: DMA_ERROR", r.stdout)
    assert re.search(r"host_script.txt:\d+ reset: INVALID_FIELD", r.stdout)
    log = [int(x) for x in re.search(r"steps\[5\] log errors: (.*)", r.stdout).group(1).split()]
    assert log[0] == 2 and log[1] == 2  # two failures logged, both held


def test_a_status_other_than_the_expected_one_fails_the_run(tmp_path):
    s = tmp_path / "host.yaml"
    s.write_text("steps:\n  - read: {chip: 0, addr: 0x1000, count: 4, as: hex}\n    status: DMA_ERROR\n")
    r = ncv("fw", "run", "--config", "ci", "--script", str(s), "--out", str(tmp_path / "run"))
    assert r.returncode == 1, r.stdout + r.stderr
    assert re.search(r"ERROR HOST.EXPECT: .*read: status SUCCESS, expected DMA_ERROR", r.stdout)


@pytest.mark.parametrize("text,field,expect", [
    ("steps:\n  - jump: {}\n", "steps[0].jump", "unknown step"),
    ("steps:\n  - write: {chip: 0, addr: 16}\n", "steps[0].write", "expected exactly one of"),
    ("steps:\n  - read: {chip: 0, addr: 16, count: 1}\n    status: MAYBE\n", "steps[0].status", "expected one of"),
    ("steps:\n  - log: {page: everything}\n", "steps[0].log.page", "expected one of telemetry, errors"),
    ("steps:\n  - reset_tile: {chip: -1}\n", "steps[0].reset_tile.chip", "non-negative integer"),
    ("stages: []\n", None, "expected a mapping with one key, steps"),
])
def test_bad_scripts_get_one_error_naming_the_file_and_field(tmp_path, text, field, expect):
    s = tmp_path / "bad.yaml"
    s.write_text(text)
    r = ncv("fw", "run", "--config", "ci", "--script", str(s), "--out", str(tmp_path / "run"))
    assert r.returncode == 2, r.stdout + r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and str(s) in lines[0] and expect in lines[0], r.stderr
    if field:
        assert field in lines[0]


def test_bad_stop_post_is_a_usage_error(tmp_path):
    r = ncv("fw", "run", "--stop-post", "SOON", "--out", str(tmp_path / "run"))
    assert r.returncode == 2 and "--stop-post" in r.stderr


def test_gdb_stops_at_a_breakpoint_in_firmware_code(tmp_path):
    r = ncv("fw", "run", "--config", "ci", "--gdb", "--gdb-batch", "--break", "fw_boot", "--out", str(tmp_path / "g"))
    out = r.stdout + r.stderr
    assert re.search(r"Breakpoint 1, fw_boot \(\) at .*firmware/src/boot\.c:\d+", out), out
    assert re.search(r"#1 .* fw_main \(\) at .*firmware/src/service\.c", out), out
