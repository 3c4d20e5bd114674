"""pytest entry for the cocotb tests: builds the NCT tile with Verilator's VPI through
cocotb's own runner and runs tile_csr_tests.py against it. Every cocotb test must pass."""

import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

from ncv import config, paths, tools  # noqa: E402
from ncv.gen import params  # noqa: E402

CFG = "ci"


# Master-side rules are broken at the tile's CSR port (the checker bound into the tile);
# slave-side rules, which the tile obeys, on the checker alone.
MASTER_RULES = ["ArValidHeld", "ArAddrStable", "AwValidHeld", "AwAddrStable", "WValidHeld", "WDataStable"]
SLAVE_RULES = ["RAfterAr", "BAfterAwW", "RValidHeld", "BValidHeld"]


# The other checkers run alone (hdl_toplevel = the checker), every assertion broken on
# purpose by break_<Assertion> in the named cocotb module: the AXI4 master checker on both
# its master and slave rules, and the tile invariants, whose checkers are modules with ports
# bound into the RTL (sva/tile/nct_tile_bind.sv, nct_top_bind.sv).
CHECKER_RULES = {
    "axi4_checker": ("axi4_sva_tests", [
        "ArValidHeld", "ArStable", "AwValidHeld", "AwStable", "WValidHeld", "WStable", "ArBurstIncr", "AwBurstIncr",
        "ArSizeFits", "AwSizeFits", "ArMaxBytes", "AwMaxBytes", "Ar4K", "Aw4K", "WAfterAw", "WLastBeat",
        "ArTrackRoom", "AwTrackRoom", "RValidHeld", "BValidHeld", "RIdOutstanding", "RLastBeat", "BIdOutstanding"]),
    "nct_queue_sva": ("tile_sva_tests", [
        "QFetchBound", "QFetchAccount", "QHeadInRing", "QFetchPtrInRing", "QStartWhileBusy", "QOneInFlight",
        "QRetiredStep", "QRetiredReset", "QStateLegal"]),
    "nct_dma_sva": ("tile_sva_tests", ["DmaRealignerBound", "DmaOutstandingBound", "DmaWFifoBound", "DmaBFifoBound"]),
    "nct_nq_sva": ("tile_sva_tests", ["NqFsmStep", "NqFsmHandshake", "NqOneChannel", "NqTailInRing"]),
    "nct_sem_sva": ("tile_sva_tests", ["SemChangeHasCause", "SemPostStep"]),
    "nct_top_sva": ("tile_sva_tests", ["TopWSrcBound", "TopFirstErrorHeld", "TopIdleHolds"]),
    # The NSP switch checkers (sva/switch, bound by nsp_switch_bind.sv and tb/switch/nsp_tb_top.sv).
    "nsp_link_sva": ("switch_sva_tests", [
        "LinkStateLegal", "LinkStateStep", "LinkRxFrameLegal", "RbOccBound", "RbLiveRegion", "RbNoOverwrite",
        "RbDescNoOverwrite", "LinkTxLsnStep", "LinkRxExpStep", "LinkAckInWindow", "LinkAckForward",
        "LinkLimitForward", "WireFrameShape", "WireCtlBetweenFrames", "WireLsnStep", "WireAckForward"]),
    "nsp_fifo_sva": ("switch_sva_tests", ["FifoBound", "FifoPtrLegal", "FifoCount"]),
    "nsp_voq_sva": ("switch_sva_tests", ["VoqBound", "VoqCount", "VoqSlots", "VoqHeadUsed", "VoqOnePop", "VoqOrder"]),
    "nsp_port_sva": ("switch_sva_tests", ["PortStreamLegal", "PortDropLegal", "PortGrantWhenFree"]),
    "nsp_xbar_sva": ("switch_sva_tests", [
        "XbarGrantFree", "XbarInputOnce", "XbarOneToOne", "XbarNoInterleave", "XbarHeaderFirst", "XbarPacketLength"]),
    "nsp_credit_sva": ("switch_sva_tests", ["CreditHeldBound", "CreditInFlightBound", "CreditReturnBound"]),
}


def _checker_sources(top):
    if top.startswith("nsp_"):  # the switch checkers import the protocol package
        return [REPO / "rtl" / "switch" / "nsp_pkg.sv", REPO / "sva" / "switch" / f"{top}.sv"]
    return [REPO / "sva" / ("common" if top in ("axil_checker", "axi4_checker") else "tile") / f"{top}.sv"]


def _checker_runner(top="axil_checker"):
    """Builds (once) one checker alone as the toplevel; returns the runner."""
    from cocotb_tools.runner import get_runner

    bd = paths.build_dir()
    tools.use_verilator()
    runner = get_runner("verilator")
    runner.build(sources=_checker_sources(top), hdl_toplevel=top,
                 build_dir=bd / "cocotb" / top, always=False,
                 build_args=[*_checker_vlt(top), "-Wall", "--assert"], waves=False)
    return runner, bd


def _checker_vlt(top):
    vlt = [str(REPO / "sva" / "sva.vlt")]
    if top.startswith("nsp_"):  # the waivers of the protocol package
        vlt.append(str(REPO / "rtl" / "switch" / "lint.vlt"))
    return vlt


def _tile_runner():
    """Builds (once) the tile with its bound assertions for cocotb; returns the runner."""
    from cocotb_tools.runner import get_runner

    bd = paths.build_dir()
    gen = bd / "gen"
    regs = gen / "regs"
    for f in (gen / CFG / "nct_cfg_pkg.sv", regs / "nct_csr.sv", regs / "nct_csr_regs.py"):
        assert f.exists(), f"{f} missing: build first (./ncv build)"
    tools.use_verilator()  # the pinned Verilator (docs/decisions/0001-verilator.md)
    # The tile's inputs as CMake lists them (rtl/CMakeLists.txt writes the file at configure).
    flist = bd / "rtl" / f"nct_top_{CFG}.f"
    assert flist.exists(), f"{flist} missing: configure first (./ncv build)"
    files = [Path(line) for line in flist.read_text().split() if line]
    vlt = [str(f) for f in files if f.suffix == ".vlt"]
    sources = [f for f in files if f.suffix != ".vlt"]
    runner = get_runner("verilator")
    # cocotb's runner makes every net public (--public-flat-rw), so Verilator cannot split the
    # queue's combinational block and reports a loop that the optimised builds do not have:
    # UNOPTFLAT is about speed, not function.
    runner.build(sources=sources, hdl_toplevel="nct_top", build_dir=bd / "cocotb" / "nct_top", always=False,
                 build_args=[*vlt, "-Wall", "--assert", "-Wno-UNOPTFLAT"], waves=False)
    return runner, bd


def _run(module, name, testcase=None, top="nct_top"):
    runner, bd = _tile_runner() if top == "nct_top" else _checker_runner(top)
    run_dir = bd / "cocotb" / "run" / name
    run_dir.mkdir(parents=True, exist_ok=True)
    vals = params.values(config.load(CFG))
    env = {
        "NCV_NCT_CSR_REGS": str(bd / "gen" / "regs" / "nct_csr_regs.py"),
        "NCV_TILE_PARAMS": ",".join(f"{k}={vals[k]}" for k in
                                    ("P", "NSEM", "NMAX", "AXI_DW", "SBUF_PART_BYTES", "PSUM_PART_BYTES")),
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]),
    }
    log = run_dir / "sim.log"
    xml = run_dir / "results.xml"
    xml.unlink(missing_ok=True)
    try:
        runner.test(hdl_toplevel=top, test_module=module, test_dir=run_dir, build_dir=bd / "cocotb" / top,
                    extra_env=env, seed=1, results_xml=str(xml), log_file=str(log),
                    testcase=[testcase] if testcase else None)
    except (SystemExit, RuntimeError):
        pass  # judged below from the results and the log
    cases = ET.parse(xml).getroot().findall(".//testcase") if xml.exists() else []
    return cases, log.read_text(errors="replace")


def test_tile_csr_over_axi_lite_pins():
    cases, log = _run("tile_csr_tests", "csr")
    failed = [c.get("name") for c in cases if c.find("failure") is not None or c.find("error") is not None]
    names = {c.get("name") for c in cases}
    assert {"read_tile_id", "config_matches_build_parameters", "ctrl_write_read_and_read_only_id",
            "interrupt_set_enable_and_clear"} <= names, log
    assert not failed, f"cocotb tests failed: {failed}"
    assert "Assertion failed" not in log  # the bound AXI-Lite checker saw a clean protocol


@pytest.mark.parametrize("prop", MASTER_RULES + SLAVE_RULES)
def test_each_axil_assertion_fires_when_its_rule_is_broken(prop):
    top = "nct_top" if prop in MASTER_RULES else "axil_checker"
    _cases, log = _run("axil_sva_tests", f"sva_{prop}", testcase=f"break_{prop}", top=top)
    fired = re.findall(r"Assertion failed in \S*?(?:u_sva_csr_axil|axil_checker)\.(\w+)", log)
    assert fired, f"expected {prop} to fire, nothing fired:\n{log[-3000:]}"
    assert fired[0] == prop, f"first assertion to fire was {fired[0]}, expected {prop}"


@pytest.mark.parametrize("top,prop", [(top, p) for top, (_m, props) in CHECKER_RULES.items() for p in props])
def test_each_sva_assertion_fires_when_its_rule_is_broken(top, prop):
    module = CHECKER_RULES[top][0]
    _cases, log = _run(module, f"sva_{top}_{prop}", testcase=f"break_{prop}", top=top)
    fired = re.findall(rf"Assertion failed in \S*?{top}\.(\w+)", log)
    assert fired, f"expected {prop} to fire, nothing fired:\n{log[-3000:]}"
    assert fired[0] == prop, f"first assertion to fire was {fired[0]}, expected {prop}"


@pytest.mark.parametrize("top", list(CHECKER_RULES))
def test_checker_quiet_on_legal_traffic(top):
    """The legal corners of each checker's rules (its legal_<checker> cocotb test) fire nothing."""
    legal = "legal_axi4_traffic" if top == "axi4_checker" else f"legal_{top}"
    cases, log = _run(CHECKER_RULES[top][0], f"legal_{top}", testcase=legal, top=top)
    assert "Assertion failed" not in log, log[-3000:]
    assert [c.get("name") for c in cases] == [legal], log[-3000:]
    assert all(c.find("failure") is None and c.find("error") is None for c in cases), log[-3000:]
