"""pytest entry for the cocotb tests: builds the NCT tile with Verilator's VPI through
cocotb's own runner and runs tile_csr_tests.py against it. Every cocotb test must pass."""

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

from ncv import config, paths, tools  # noqa: E402
from ncv.gen import params  # noqa: E402

CFG = "ci"


def test_tile_csr_over_axi_lite_pins():
    from cocotb_tools.runner import get_runner

    bd = paths.build_dir()
    gen = bd / "gen"
    regs = gen / "regs"
    for f in (gen / CFG / "nct_cfg_pkg.sv", regs / "nct_csr.sv", regs / "nct_csr_regs.py"):
        assert f.exists(), f"{f} missing: build first (./ncv build)"
    tools.use_verilator()  # the pinned Verilator (docs/decisions/0001-verilator.md)
    sources = [gen / CFG / "nct_cfg_pkg.sv", regs / "nct_csr_pkg.sv", regs / "nct_csr.sv",
               REPO / "rtl" / "tile" / "nct_top.sv"]
    build_dir = bd / "cocotb" / "nct_top"
    runner = get_runner("verilator")
    runner.build(sources=sources, hdl_toplevel="nct_top", build_dir=build_dir, always=False,
                 build_args=[str(REPO / "rtl" / "lint.vlt"), "-Wall", "--assert"], waves=False)
    tile = config.load(CFG)
    vals = params.values(tile)
    env = {
        "NCV_NCT_CSR_REGS": str(regs / "nct_csr_regs.py"),
        "NCV_TILE_PARAMS": ",".join(f"{k}={vals[k]}" for k in
                                    ("P", "NSEM", "NMAX", "AXI_DW", "SBUF_PART_BYTES", "PSUM_PART_BYTES")),
    }
    run_dir = bd / "cocotb" / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])
    xml = runner.test(hdl_toplevel="nct_top", test_module="tile_csr_tests", test_dir=run_dir,
                      build_dir=build_dir, extra_env=env, seed=1, results_xml=str(run_dir / "results.xml"))
    root = ET.parse(xml).getroot()
    cases = root.findall(".//testcase")
    failed = [c.get("name") for c in cases if c.find("failure") is not None or c.find("error") is not None]
    names = {c.get("name") for c in cases}
    assert {"read_tile_id", "config_matches_build_parameters", "ctrl_write_read_and_read_only_id"} <= names
    assert not failed, f"cocotb tests failed: {failed}"
