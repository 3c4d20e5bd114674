"""The host driver model from Python (ncv.host over ncv._sim): the firmware serves NHI
commands from a Python host; a matmul kernel built in Python runs on chip 0's tile through
RUN_PROGRAM and reads back what the golden model computes; bad commands get their error
status. One simulation per process, so each case runs in its own interpreter."""

import os
import subprocess
import sys
import textwrap

from conftest import REPO


def py(code):
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"), SC_COPYRIGHT_MESSAGE="DISABLE")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=600)


import pytest


@pytest.mark.parametrize("mode", ["rtl", "golden"])
def test_python_host_runs_a_kernel_and_reads_what_the_golden_model_computes(mode):
    p = py("""
        import numpy as np
        from ncv import _sim, _golden as g, config, host, isa, kernels, tile
        t = config.load("ci").tile
        s = _sim.Sled(mode="@MODE@")
        print("MODE", s.mode)
        h = host.Host(s)
        print("BOOT", h.bring_up())
        ident = h.identify()
        print("IDENT", ident["config"], ident["chips"], ident["P"])
        rng = np.random.default_rng(20261122)
        a = rng.uniform(-1, 1, (2 * t["P"], 2 * t["P"])).astype(np.float32)
        b = rng.uniform(-1, 1, (2 * t["P"], 16)).astype(np.float32)
        prog = kernels.matmul(a, b, t["P"], t["SBUF_PART_BYTES"], t["PSUM_PART_BYTES"], t["NMAX"])
        programs = {q: isa.assemble(prog.text(q), f"q{q}", queue=q) for q in range(4) if prog.queues[q]}
        # The golden model on the same image and layout.
        m = g.Tile(t["P"], t["SBUF_PART_BYTES"], t["PSUM_PART_BYTES"], t["NMAX"], t["NSEM"], mem_size=16 << 20)
        for addr, data in prog.memory:
            m.mem_write(addr, data)
        tile.launch(m, programs, tile.plan(programs, 0xF00000))
        m.run(0)
        cpl = h.run_program(0, programs, image=prog.memory)
        print("RUN", cpl.name, cpl.result, sum(len(w) for w in programs.values()))
        for name, (addr, shape, dt) in prog.outputs.items():
            n = int(np.prod(shape)) * dt.itemsize
            got, want = h.read_device(0, addr, n), m.mem_read(addr, n)
            print("OUT", name, n, got == want)
        print("MSIX", s.msix_count(1) > 0, "ERRORS", s.host_errors)
    """.replace("@MODE@", mode))
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    assert f"MODE {mode}" in out
    assert "BOOT BOOT: READY" in out
    assert "IDENT ci 2 4" in out
    run = out.split("RUN ")[1].split()
    assert run[0] == "SUCCESS" and run[1] == run[2]  # every instruction retired
    assert "OUT C" in out and " False" not in out and out.count(" True") >= 1
    assert "MSIX True ERRORS []" in out


def test_python_host_gets_error_statuses_and_the_next_command_works():
    p = py("""
        from ncv import _sim, host
        s = _sim.Sled()
        h = host.Host(s)
        h.bring_up()
        print("BAD_OP", h.command(1, "GET_LOG", expect=None).name)
        print("PAST_HBM", h.write_device(0, 1 << 37, b"x" * 64, expect=None).name)
        print("NO_CHIP", h.reset_tile(9, expect=None).name)
        try:
            h.write_device(0, 1 << 37, b"x" * 64)
        except host.HostError as e:
            print("RAISED", e)
        h.write_device(1, 0x2000, bytes(range(256)))
        print("ROUNDTRIP", h.read_device(1, 0x2000, 256) == bytes(range(256)))
        log = h.get_log("errors")
        print("LOGGED", log[0])
    """)
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    assert "BAD_OP INVALID_OPCODE" in out
    assert "PAST_HBM DMA_ERROR" in out
    assert "NO_CHIP INVALID_FIELD" in out
    assert "RAISED WRITE_DEVICE: status DMA_ERROR, expected SUCCESS" in out
    assert "ROUNDTRIP True" in out
    assert "LOGGED 4" in out


def test_bad_mode_is_a_value_error():
    p = py("""
        from ncv import _sim
        try:
            _sim.Sled(mode="fast")
        except ValueError as e:
            print("REFUSED", e)
    """)
    assert "REFUSED" in p.stdout and "fast" in p.stdout, p.stdout + p.stderr
