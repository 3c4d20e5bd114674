"""cocotb tests for sva/common/axi4_checker.sv, run on the checker alone (hdl_toplevel
axi4_checker, default parameters: 128-bit data, 4-bit IDs, 256-byte bursts, INCR only,
4 reads tracked per ID, 8 AWs awaiting data), with cocotb playing master and slave.
break_<Assertion> breaks exactly one rule after some legal traffic; test_cocotb.py runs each
alone and checks that exactly that assertion fired first. legal_axi4_traffic runs every
protocol corner the rules allow and must stay silent."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge

INPUTS = ("awvalid", "awready", "awid", "awaddr", "awlen", "awsize", "awburst", "wvalid", "wready", "wdata", "wstrb",
          "wlast", "bvalid", "bready", "bid", "bresp", "arvalid", "arready", "arid", "araddr", "arlen", "arsize",
          "arburst", "rvalid", "rready", "rid", "rdata", "rresp", "rlast")
INCR, WRAP = 1, 2
BEAT = 16  # bytes per beat of the default 128-bit bus: AxSIZE 4
SIZE = 4


async def cycles(dut, n):
    for _ in range(n):
        await FallingEdge(dut.clk_i)


def drive(dut, **sigs):
    for k, v in sigs.items():
        getattr(dut, k).value = v


async def pulse(dut, **sigs):
    """Holds the given signals for one cycle (falling edge to falling edge), then clears them."""
    drive(dut, **sigs)
    await cycles(dut, 1)
    drive(dut, **{k: 0 for k in sigs})


async def start(dut):
    cocotb.start_soon(Clock(dut.clk_i, 1, unit="ns").start())
    drive(dut, **{s: 0 for s in INPUTS})
    drive(dut, awsize=SIZE, arsize=SIZE, awburst=INCR, arburst=INCR)
    dut.rst_ni.value = 0
    await cycles(dut, 3)
    dut.rst_ni.value = 1
    await cycles(dut, 1)


async def ar(dut, id_, addr, length, **extra):
    """One accepted read address (ARLEN = length - 1); the payload returns to idle after."""
    await pulse(dut, arvalid=1, arready=1, arid=id_, araddr=addr, arlen=length - 1, **extra)
    drive(dut, arsize=SIZE, arburst=INCR)


async def aw(dut, id_, addr, length, **extra):
    await pulse(dut, awvalid=1, awready=1, awid=id_, awaddr=addr, awlen=length - 1, **extra)
    drive(dut, awsize=SIZE, awburst=INCR)


async def w_burst(dut, length, data=0):
    """The W beats of one burst, WLAST on the last."""
    for i in range(length):
        await pulse(dut, wvalid=1, wready=1, wdata=data + i, wstrb=0xFFFF, wlast=int(i == length - 1))


async def r_beat(dut, id_, last, data=0):
    await pulse(dut, rvalid=1, rready=1, rid=id_, rlast=int(last), rdata=data)


async def b(dut, id_):
    await pulse(dut, bvalid=1, bready=1, bid=id_)


@cocotb.test()
async def legal_axi4_traffic(dut):
    """Everything here is legal AXI4 for our master: no assertion may fire."""
    await start(dut)
    # Reads: 1 beat on ID 0 and 16 beats (256 bytes, ending on a 4 KiB boundary) on ID 1,
    # back to back; AR waits a cycle for ARREADY with its payload held.
    drive(dut, arvalid=1, arid=0, araddr=0x100, arlen=0)
    await cycles(dut, 1)
    dut.arready.value = 1
    await cycles(dut, 1)
    drive(dut, arid=1, araddr=0xF00, arlen=15)
    await cycles(dut, 1)
    drive(dut, arvalid=0, arready=0, arid=0, araddr=0, arlen=0)
    # R interleaves the IDs; a beat waits for RREADY with its payload held.
    await r_beat(dut, 1, False)
    drive(dut, rvalid=1, rid=0, rlast=1, rdata=0x55)
    await cycles(dut, 2)
    dut.rready.value = 1
    await cycles(dut, 1)
    drive(dut, rvalid=0, rready=0, rid=0, rlast=0, rdata=0)
    for i in range(1, 16):
        await r_beat(dut, 1, i == 15, data=i)
    # Several reads outstanding on one ID come back in order.
    await ar(dut, 2, 0x2000, 2)
    await ar(dut, 2, 0x2020, 1)
    for last in (False, True, True):
        await r_beat(dut, 2, last)
    # Writes: 1 beat on ID 4, 16 beats on ID 5, W in AW order; a W beat waits for WREADY
    # while the bytes it does not write change; B comes back in any order across IDs.
    await aw(dut, 4, 0x3000, 1)
    await aw(dut, 5, 0x4000, 16)
    await w_burst(dut, 1)
    drive(dut, wvalid=1, wdata=0x1234, wstrb=0x0003, wlast=0)
    await cycles(dut, 1)
    drive(dut, wdata=0xFF0000 | 0x1234)
    await cycles(dut, 1)
    dut.wready.value = 1
    await cycles(dut, 1)
    drive(dut, wvalid=0, wready=0, wdata=0, wstrb=0)
    for i in range(1, 16):
        await pulse(dut, wvalid=1, wready=1, wstrb=0xFFFF, wlast=int(i == 15))
    await b(dut, 5)
    drive(dut, bvalid=1, bid=4, bresp=2)  # waits for BREADY
    await cycles(dut, 1)
    dut.bready.value = 1
    await cycles(dut, 1)
    drive(dut, bvalid=0, bready=0, bid=0, bresp=0)
    # An unaligned start whose (aligned) 256-byte burst ends exactly on a 4 KiB boundary.
    await aw(dut, 6, 0x1F08, 16)
    await w_burst(dut, 16)
    await b(dut, 6)
    await cycles(dut, 3)


# ---- Master rules ------------------------------------------------------------------------


async def stall_ar(dut):
    drive(dut, arvalid=1, arid=3, araddr=0x40, arlen=3)
    await cycles(dut, 1)


async def stall_aw(dut):
    drive(dut, awvalid=1, awid=3, awaddr=0x40, awlen=3)
    await cycles(dut, 1)


@cocotb.test()
async def break_ArValidHeld(dut):
    await start(dut)
    await stall_ar(dut)
    dut.arvalid.value = 0  # withdrawn before ARREADY
    await cycles(dut, 3)


@cocotb.test()
async def break_ArStable(dut):
    await start(dut)
    await stall_ar(dut)
    dut.araddr.value = 0x80  # another (legal) address while waiting
    await cycles(dut, 3)


@cocotb.test()
async def break_AwValidHeld(dut):
    await start(dut)
    await stall_aw(dut)
    dut.awvalid.value = 0
    await cycles(dut, 3)


@cocotb.test()
async def break_AwStable(dut):
    await start(dut)
    await stall_aw(dut)
    dut.awlen.value = 1  # the length changes while waiting
    await cycles(dut, 3)


@cocotb.test()
async def break_WValidHeld(dut):
    await start(dut)
    await aw(dut, 1, 0x0, 2)
    drive(dut, wvalid=1, wstrb=0xFFFF)
    await cycles(dut, 1)
    dut.wvalid.value = 0
    await cycles(dut, 3)


@cocotb.test()
async def break_WStable(dut):
    await start(dut)
    await aw(dut, 1, 0x0, 2)
    drive(dut, wvalid=1, wstrb=0x00FF, wdata=0x11)
    await cycles(dut, 1)
    dut.wdata.value = 0x22  # a byte the beat writes
    await cycles(dut, 3)


@cocotb.test()
async def break_ArBurstIncr(dut):
    await start(dut)
    await ar(dut, 0, 0x0, 4, arburst=WRAP)
    await cycles(dut, 3)


@cocotb.test()
async def break_AwBurstIncr(dut):
    await start(dut)
    await aw(dut, 0, 0x0, 4, awburst=WRAP)
    await cycles(dut, 3)


@cocotb.test()
async def break_ArSizeFits(dut):
    await start(dut)
    await ar(dut, 0, 0x0, 1, arsize=SIZE + 1)  # 32-byte beats on a 16-byte bus
    await cycles(dut, 3)


@cocotb.test()
async def break_AwSizeFits(dut):
    await start(dut)
    await aw(dut, 0, 0x0, 1, awsize=SIZE + 1)
    await cycles(dut, 3)


@cocotb.test()
async def break_ArMaxBytes(dut):
    await start(dut)
    await ar(dut, 0, 0x0, 256 // BEAT)  # the longest legal burst ...
    await ar(dut, 1, 0x0, 256 // BEAT + 1)  # ... and one beat more
    await cycles(dut, 3)


@cocotb.test()
async def break_AwMaxBytes(dut):
    await start(dut)
    await aw(dut, 0, 0x0, 256 // BEAT)
    await aw(dut, 1, 0x0, 256 // BEAT + 1)
    await cycles(dut, 3)


@cocotb.test()
async def break_Ar4K(dut):
    await start(dut)
    await ar(dut, 0, 0x1000 - 4 * BEAT, 4)  # ends on the boundary ...
    await ar(dut, 1, 0x1000 - 4 * BEAT, 5)  # ... and one beat across it
    await cycles(dut, 3)


@cocotb.test()
async def break_Aw4K(dut):
    await start(dut)
    await aw(dut, 0, 0x1000 - 4 * BEAT, 4)
    await aw(dut, 1, 0x1000 - 4 * BEAT, 5)
    await cycles(dut, 3)


@cocotb.test()
async def break_WAfterAw(dut):
    await start(dut)
    await aw(dut, 0, 0x0, 1)
    await w_burst(dut, 1)
    await pulse(dut, wvalid=1, wready=1, wstrb=0xFFFF, wlast=1)  # data with no AW for it
    await cycles(dut, 3)


@cocotb.test()
async def break_WLastBeat(dut):
    await start(dut)
    await aw(dut, 0, 0x0, 2)
    await aw(dut, 1, 0x100, 3)
    await w_burst(dut, 2)
    await pulse(dut, wvalid=1, wready=1, wstrb=0xFFFF)
    await pulse(dut, wvalid=1, wready=1, wstrb=0xFFFF, wlast=1)  # early: AWLEN of ID 1 is 2
    await cycles(dut, 3)


@cocotb.test()
async def break_ArTrackRoom(dut):
    await start(dut)
    for i in range(5):  # one more than the 4 reads tracked per ID
        await ar(dut, 7, 0x100 * i, 1)
    await cycles(dut, 3)


@cocotb.test()
async def break_AwTrackRoom(dut):
    await start(dut)
    for i in range(9):  # one more than the 8 AWs tracked until their data
        await aw(dut, i, 0x100 * i, 1)
    await cycles(dut, 3)


# ---- Slave rules -------------------------------------------------------------------------


@cocotb.test()
async def break_RValidHeld(dut):
    await start(dut)
    await ar(dut, 2, 0x0, 1)
    drive(dut, rvalid=1, rid=2, rlast=1, rdata=0xABCD)  # not taken (RREADY low) ...
    await cycles(dut, 1)
    drive(dut, rvalid=0, rid=0, rlast=0, rdata=0)  # ... and withdrawn
    await cycles(dut, 3)


@cocotb.test()
async def break_BValidHeld(dut):
    await start(dut)
    await aw(dut, 2, 0x0, 1)
    await w_burst(dut, 1)
    drive(dut, bvalid=1, bid=2)
    await cycles(dut, 1)
    drive(dut, bvalid=0, bid=0)
    await cycles(dut, 3)


@cocotb.test()
async def break_RIdOutstanding(dut):
    await start(dut)
    await ar(dut, 1, 0x0, 1)
    await r_beat(dut, 1, True)
    await r_beat(dut, 1, True)  # ID 1 has nothing outstanding any more
    await cycles(dut, 3)


@cocotb.test()
async def break_RLastBeat(dut):
    await start(dut)
    await ar(dut, 1, 0x0, 2)
    await ar(dut, 1, 0x40, 1)
    await r_beat(dut, 1, False)
    await r_beat(dut, 1, False)  # RLAST missing on the second beat of a 2-beat read
    await cycles(dut, 3)


@cocotb.test()
async def break_BIdOutstanding(dut):
    await start(dut)
    await aw(dut, 3, 0x0, 2)
    await w_burst(dut, 2)
    await b(dut, 3)
    await aw(dut, 3, 0x100, 2)
    await pulse(dut, wvalid=1, wready=1, wstrb=0xFFFF)
    await b(dut, 3)  # before the last W beat of the write it answers
    await cycles(dut, 3)
