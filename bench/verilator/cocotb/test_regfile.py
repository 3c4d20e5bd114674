"""ncv bench probe: tiny cocotb test of rtl/regfile.sv (cocotb 1.8.x and 2.x)."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge, Timer


async def _reset(dut):
    dut.rst_n.value = 0
    dut.req_valid.value = 0
    dut.req_write.value = 0
    dut.req_addr.value = 0
    dut.req_wdata.value = 0
    dut.rsp_ready.value = 1
    for _ in range(3):
        await RisingEdge(dut.clk)
    dut.rst_n.value = 1
    await RisingEdge(dut.clk)
    await FallingEdge(dut.clk)


async def _xfer(dut, write, addr, data=0):
    """Issue one request (drive and sample at falling edges); return rsp data."""
    dut.req_valid.value = 1
    dut.req_write.value = int(write)
    dut.req_addr.value = addr
    dut.req_wdata.value = data
    while True:
        await RisingEdge(dut.clk)
        await FallingEdge(dut.clk)
        if int(dut.rsp_valid.value):  # request was taken at that rising edge
            break
    dut.req_valid.value = 0
    rdata = int(dut.rsp_rdata.value)
    await RisingEdge(dut.clk)  # rsp_ready is 1: response consumed here
    await FallingEdge(dut.clk)
    return rdata


@cocotb.test()
async def write_then_read(dut):
    """Clock, reset, write three registers, read them back."""
    cocotb.start_soon(Clock(dut.clk, 10, "ns").start())
    await _reset(dut)
    assert int(dut.req_ready.value) == 1
    vals = {1: 0xDEADBEEF, 7: 0x01234567, 31: 0xA5A5A5A5}
    for addr, val in vals.items():
        await _xfer(dut, True, addr, val)
    for addr, val in vals.items():
        got = await _xfer(dut, False, addr)
        assert got == val, f"reg{addr}: got {got:#010x} want {val:#010x}"
    # overwrite returns the old value
    old = await _xfer(dut, True, 7, 0x55AA55AA)
    assert old == 0x01234567
    await Timer(20, "ns")
    assert int(dut.n_req.value) == 7


@cocotb.test()
async def backpressure(dut):
    """A pending response with rsp_ready low must stall the request port."""
    cocotb.start_soon(Clock(dut.clk, 10, "ns").start())
    await _reset(dut)
    dut.rsp_ready.value = 0
    dut.req_valid.value = 1
    dut.req_write.value = 0
    dut.req_addr.value = 3
    await RisingEdge(dut.clk)
    await ReadOnly()
    assert int(dut.rsp_valid.value) == 1
    assert int(dut.req_ready.value) == 0
    await RisingEdge(dut.clk)
    await ReadOnly()
    assert int(dut.req_ready.value) == 0
    assert int(dut.n_req.value) == 1
