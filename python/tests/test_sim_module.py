"""ncv._sim: the sled platform from Python. SystemC elaborates once per process, so each
case runs in its own interpreter."""

import os
import subprocess
import sys
import textwrap

from conftest import REPO


def py(code):
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"), SC_COPYRIGHT_MESSAGE="DISABLE")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=120)


def test_boot_to_ready_and_read_tile_id():
    p = py("""
        from ncv import _sim
        s = _sim.Sled()
        line = s.run_until_ready(timeout_us=100)
        print("LINE", line)
        print("ID", hex(s.tile_id(0)), hex(s.tile_id(s.chips - 1)))
        print("POST", hex(s.fw_post), "CYCLES", s.cycles)
    """)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "LINE BOOT: READY tile_id=0x4E435431" in out
    assert "ID 0x4e435431 0x4e435431" in out
    post = int(out.split("POST ")[1].split()[0], 16)
    assert post == 0x7F


def test_second_simulation_in_one_process_is_refused():
    p = py("""
        from ncv import _sim
        a = _sim.Sled()
        try:
            _sim.Sled()
        except RuntimeError as e:
            print("REFUSED", e)
    """)
    assert p.returncode == 0, p.stderr
    assert "REFUSED ncv._sim: one simulation per process" in p.stdout


def test_wrong_config_is_refused():
    p = py("""
        from ncv import _sim
        try:
            _sim.Sled(config="perf")
        except ValueError as e:
            print("REFUSED", e)
    """)
    assert "REFUSED ncv._sim is built for configuration 'ci', not 'perf'" in p.stdout


def test_bus_error_is_an_exception():
    p = py("""
        from ncv import _sim
        s = _sim.Sled(firmware=False)
        try:
            s.read32(0x0F000000)
        except RuntimeError as e:
            print("ERR", e)
    """)
    assert "ERR management-bus read of 0x0F000000 failed" in p.stdout, p.stderr
