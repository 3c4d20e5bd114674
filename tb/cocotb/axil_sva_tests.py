"""cocotb tests that break the AXI-Lite protocol on purpose at the tile's CSR port, one
rule each, so that every assertion of sva/common/axil_checker.sv is shown to fire.
test_cocotb.py runs each alone and checks that exactly its assertion failed."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

from tile_csr_tests import start


async def cycles(dut, n):
    for _ in range(n):
        await FallingEdge(dut.clk_i)


async def stall_reads(dut):
    """Issue reads with RREADY low until the slave stops accepting (ARREADY low)."""
    dut.s_axil_rready_i.value = 0
    for _ in range(16):
        await FallingEdge(dut.clk_i)
        dut.s_axil_araddr_i.value = 0
        dut.s_axil_arvalid_i.value = 1
        await ReadOnly()
        if not int(dut.s_axil_arready_o.value):
            await FallingEdge(dut.clk_i)
            return
    raise AssertionError("the slave never stalled AR")


async def stall_writes(dut):
    """Issue writes with BREADY low until the slave stops accepting (AWREADY low)."""
    dut.s_axil_bready_i.value = 0
    for _ in range(16):
        await FallingEdge(dut.clk_i)
        dut.s_axil_awaddr_i.value = 0x10
        dut.s_axil_wdata_i.value = 0
        dut.s_axil_wstrb_i.value = 0xF
        dut.s_axil_awvalid_i.value = 1
        dut.s_axil_wvalid_i.value = 1
        await ReadOnly()
        if not int(dut.s_axil_awready_o.value) and not int(dut.s_axil_wready_o.value):
            await FallingEdge(dut.clk_i)
            return
    raise AssertionError("the slave never stalled AW/W")


async def break_after_stall(dut, stall, **changes):
    """Stalls a channel, then changes what the master must hold until the handshake."""
    await start(dut)
    await stall(dut)
    for name, value in changes.items():
        getattr(dut, name).value = value
    await cycles(dut, 3)


@cocotb.test()
async def break_ArValidHeld(dut):
    await break_after_stall(dut, stall_reads, s_axil_arvalid_i=0)  # withdrawn before ARREADY


@cocotb.test()
async def break_ArAddrStable(dut):
    await break_after_stall(dut, stall_reads, s_axil_araddr_i=0x8)  # changed while waiting


@cocotb.test()
async def break_AwValidHeld(dut):
    await break_after_stall(dut, stall_writes, s_axil_awvalid_i=0)


@cocotb.test()
async def break_AwAddrStable(dut):
    await break_after_stall(dut, stall_writes, s_axil_awaddr_i=0x14)


@cocotb.test()
async def break_WValidHeld(dut):
    await break_after_stall(dut, stall_writes, s_axil_wvalid_i=0)


@cocotb.test()
async def break_WDataStable(dut):
    await break_after_stall(dut, stall_writes, s_axil_wdata_i=0x5A5A)


# Slave-side rules: the tile's register block obeys them, so these run against the checker
# on its own (hdl_toplevel axil_checker), with cocotb playing both master and slave.


async def checker_start(dut):
    cocotb.start_soon(Clock(dut.clk_i, 1, unit="ns").start())
    for s in ("awvalid", "awready", "wvalid", "wready", "bvalid", "bready", "arvalid", "arready", "rvalid",
              "rready", "awaddr", "wdata", "wstrb", "bresp", "araddr", "rdata", "rresp"):
        getattr(dut, s).value = 0
    dut.rst_ni.value = 0
    await cycles(dut, 3)
    dut.rst_ni.value = 1
    await cycles(dut, 1)


async def pulse(dut, **sigs):
    """Holds the given signals for one cycle (falling edge to falling edge), then clears them."""
    for k, v in sigs.items():
        getattr(dut, k).value = v
    await cycles(dut, 1)
    for k in sigs:
        getattr(dut, k).value = 0


@cocotb.test()
async def break_RAfterAr(dut):
    await checker_start(dut)
    await pulse(dut, rvalid=1, rready=1)  # a response nobody asked for
    await cycles(dut, 2)


@cocotb.test()
async def break_BAfterAwW(dut):
    await checker_start(dut)
    await pulse(dut, awvalid=1, awready=1)  # the address, but no write data
    await pulse(dut, bvalid=1, bready=1)
    await cycles(dut, 2)


@cocotb.test()
async def break_RValidHeld(dut):
    await checker_start(dut)
    await pulse(dut, arvalid=1, arready=1)
    await pulse(dut, rvalid=1, rdata=0x1234)  # not taken (RREADY low) ...
    await cycles(dut, 2)  # ... and withdrawn


@cocotb.test()
async def break_BValidHeld(dut):
    await checker_start(dut)
    await pulse(dut, awvalid=1, awready=1, wvalid=1, wready=1)
    await pulse(dut, bvalid=1)  # not taken (BREADY low) and withdrawn
    await cycles(dut, 2)
