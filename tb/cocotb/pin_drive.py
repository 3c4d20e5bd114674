"""Pin-level helpers shared by the cocotb checker tests (tile_sva_tests, switch_sva_tests):
a clock on clk_i, active-low reset rst_ni, inputs changed at the falling edge."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge


async def cycles(dut, n):
    for _ in range(n):
        await FallingEdge(dut.clk_i)


def drive(dut, **sigs):
    for k, v in sigs.items():
        getattr(dut, k).value = v


async def step(dut, **sigs):
    """Drives the given values for one cycle (they stay afterwards)."""
    drive(dut, **sigs)
    await cycles(dut, 1)


async def pulse(dut, **sigs):
    """Holds the given signals for one cycle, then clears them."""
    drive(dut, **sigs)
    await cycles(dut, 1)
    drive(dut, **{k: 0 for k in sigs})


async def start(dut, inputs, **init):
    cocotb.start_soon(Clock(dut.clk_i, 1, unit="ns").start())
    drive(dut, **{s: 0 for s in inputs})
    drive(dut, **init)
    dut.rst_ni.value = 0
    await cycles(dut, 3)
    dut.rst_ni.value = 1
    await cycles(dut, 1)
