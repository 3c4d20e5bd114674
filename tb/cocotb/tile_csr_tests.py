"""cocotb tests of the NCT tile's CSR page over its AXI-Lite pins (run by test_cocotb.py).

Register offsets and values come from the map generated from rtl/tile/data/nct_csr.rdl.
"""

import importlib.util
import os

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

_spec = importlib.util.spec_from_file_location("nct_csr_regs", os.environ["NCV_NCT_CSR_REGS"])
regs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regs)
R = regs.REGS


class AxiLiteMaster:
    """Drives the tile's s_axil_* pins: changes inputs on the falling edge, samples the
    handshake in the read-only phase before the rising edge that completes it."""

    def __init__(self, dut, timeout_cycles=100):
        self.dut = dut
        self.clk = dut.clk_i
        self.timeout = timeout_cycles
        for s in ("awvalid", "wvalid", "bready", "arvalid", "rready"):
            getattr(dut, f"s_axil_{s}_i").value = 0
        for s in ("awaddr", "awprot", "wdata", "wstrb", "araddr", "arprot"):
            getattr(dut, f"s_axil_{s}_i").value = 0
        dut.gated_cycles_i.value = 0  # the clock is never gated here

    async def _until(self, signal):
        for _ in range(self.timeout):
            await ReadOnly()
            hit = int(signal.value) == 1
            await RisingEdge(self.clk)
            await FallingEdge(self.clk)
            if hit:
                return
        raise AssertionError(f"AXI-Lite handshake timeout waiting for {signal._name}")

    async def read(self, addr):
        d = self.dut
        await FallingEdge(self.clk)
        d.s_axil_araddr_i.value = addr
        d.s_axil_arvalid_i.value = 1
        await self._until(d.s_axil_arready_o)
        d.s_axil_arvalid_i.value = 0
        d.s_axil_rready_i.value = 1
        for _ in range(self.timeout):
            await ReadOnly()
            if int(d.s_axil_rvalid_o.value):
                data, resp = int(d.s_axil_rdata_o.value), int(d.s_axil_rresp_o.value)
                await FallingEdge(self.clk)
                d.s_axil_rready_i.value = 0
                assert resp == 0, f"read 0x{addr:03X}: response {resp}"
                return data
            await FallingEdge(self.clk)
        raise AssertionError("AXI-Lite read data timeout")

    async def write(self, addr, data, strb=0xF):
        d = self.dut
        await FallingEdge(self.clk)
        d.s_axil_awaddr_i.value = addr
        d.s_axil_wdata_i.value = data
        d.s_axil_wstrb_i.value = strb
        d.s_axil_awvalid_i.value = 1
        d.s_axil_wvalid_i.value = 1
        aw = w = False
        for _ in range(self.timeout):
            await ReadOnly()
            aw = aw or int(d.s_axil_awready_o.value) == 1
            w = w or int(d.s_axil_wready_o.value) == 1
            await FallingEdge(self.clk)
            if aw:
                d.s_axil_awvalid_i.value = 0
            if w:
                d.s_axil_wvalid_i.value = 0
            if aw and w:
                break
        assert aw and w, "AXI-Lite write address/data handshake timeout"
        d.s_axil_bready_i.value = 1
        await self._until(d.s_axil_bvalid_o)
        d.s_axil_bready_i.value = 0


async def start(dut):
    cocotb.start_soon(Clock(dut.clk_i, 1, unit="ns").start())
    dut.rst_ni.value = 0
    bus = AxiLiteMaster(dut)
    for _ in range(4):
        await RisingEdge(dut.clk_i)
    await FallingEdge(dut.clk_i)
    dut.rst_ni.value = 1
    return bus


def field(value, reg, name):
    lsb, msb, _access, _reset = R[reg]["fields"][name]
    return (value >> lsb) & ((1 << (msb - lsb + 1)) - 1)


@cocotb.test()
async def read_tile_id(dut):
    """The ID register reads "NCT1" over AXI-Lite."""
    bus = await start(dut)
    value = await bus.read(R["ID"]["offset"])
    assert value == R["ID"]["fields"]["ID"][3] == 0x4E435431, hex(value)
    dut._log.info("tile ID 0x%08X", value)


@cocotb.test()
async def config_matches_build_parameters(dut):
    """CONFIG0/1 report the parameters the RTL was built with (configs/ci.yaml)."""
    bus = await start(dut)
    c0 = await bus.read(R["CONFIG0"]["offset"])
    c1 = await bus.read(R["CONFIG1"]["offset"])
    want = {k: int(v) for k, v in (kv.split("=") for kv in os.environ["NCV_TILE_PARAMS"].split(","))}
    assert field(c0, "CONFIG0", "P") == want["P"]
    assert field(c0, "CONFIG0", "NSEM") == want["NSEM"]
    assert field(c0, "CONFIG0", "NMAX_DIV16") * 16 == want["NMAX"]
    assert field(c0, "CONFIG0", "AXI_BYTES") * 8 == want["AXI_DW"]
    assert field(c1, "CONFIG1", "SBUF_KB") * 1024 == want["SBUF_PART_BYTES"]
    assert field(c1, "CONFIG1", "PSUM_KB") * 1024 == want["PSUM_PART_BYTES"]


@cocotb.test()
async def ctrl_write_read_and_read_only_id(dut):
    """CTRL keeps ENABLE/HALT_ALL, SOFT_RESET self-clears; writes to ID are ignored."""
    bus = await start(dut)
    ctrl = R["CTRL"]["offset"]
    await bus.write(ctrl, 0xFFFFFFFF)
    got = await bus.read(ctrl)
    assert field(got, "CTRL", "ENABLE") == 1 and field(got, "CTRL", "HALT_ALL") == 1
    assert field(got, "CTRL", "SOFT_RESET") == 0
    await bus.write(R["ID"]["offset"], 0)
    assert await bus.read(R["ID"]["offset"]) == 0x4E435431
    assert await bus.read(0xFFC) == 0


@cocotb.test()
async def interrupt_set_enable_and_clear(dut):
    """INTR_SET raises sticky INTR_STATUS bits; irq follows INTR_ENABLE; writing 1 clears."""
    bus = await start(dut)
    status, enable, setr = R["INTR_STATUS"]["offset"], R["INTR_ENABLE"]["offset"], R["INTR_SET"]["offset"]
    error_bit = 1 << R["INTR_STATUS"]["fields"]["ERROR"][0]
    notify_bit = 1 << R["INTR_STATUS"]["fields"]["NOTIFY"][0]
    assert int(dut.irq_o.value) == 0
    await bus.write(setr, error_bit | notify_bit)
    assert await bus.read(status) == error_bit | notify_bit
    assert int(dut.irq_o.value) == 0  # nothing enabled yet
    await bus.write(enable, error_bit)
    await FallingEdge(dut.clk_i)
    assert int(dut.irq_o.value) == 1
    await bus.write(status, error_bit)  # W1C
    assert await bus.read(status) == notify_bit
    await FallingEdge(dut.clk_i)
    assert int(dut.irq_o.value) == 0  # the remaining bit is not enabled
