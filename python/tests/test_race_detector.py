"""The golden model's race detector: a racy program is caught under some schedule, with
the two instructions and the overlapping bytes; properly synchronised programs never are."""

import numpy as np

from test_core import RING, core, load, vector_add_program, rand  # noqa: F401


def run_seeds(build, seeds=range(16)):
    races = []
    for s in seeds:
        c = core()
        c.enable_race_detection(True)
        build(c)
        c.run_random(s)
        races.append(c.race())
    return races


def test_synchronised_program_has_no_race_under_any_schedule():
    a, b = rand((4, 16), 1), rand((4, 16), 2)
    assert run_seeds(lambda c: vector_add_program(c, a, b)) == [None] * 16


def racy(c):
    # Q0 loads SBUF[0:64) and posts semaphore 1, but Q3 reads SBUF[32:96) waiting on nothing.
    c.mem_write(0x10000, bytes(range(64)) * 4)
    load(c, 0, "DMA_LD addr=0x10000 pr=0:4 sb_off=0 bytes=64 stride_r=0 post=1\nHALT code=0 irq=0")
    load(c, 3, "COPY pr=0:4 src=sbuf:fp32:32 dst=sbuf:fp32:256 len=16\nHALT code=0 irq=0")


def test_racy_program_is_caught_with_both_instructions_and_the_bytes():
    races = [r for r in run_seeds(racy) if r is not None]
    assert races, "the race was not detected under any schedule"
    r = races[0]
    assert {r["a"][0], r["b"][0]} == {0, 3}
    ops = {r["a"][0]: r["a"][2], r["b"][0]: r["b"][2]}
    assert ops == {0: 0x10, 3: 0x34}
    assert r["space"] == "sbuf" and r["range"] == (32, 64) and r["partition"] == 0


def test_waiting_on_the_semaphore_removes_the_race():
    def fixed(c):
        c.mem_write(0x10000, bytes(range(64)) * 4)
        load(c, 0, "DMA_LD addr=0x10000 pr=0:4 sb_off=0 bytes=64 stride_r=0 post=1\nHALT code=0 irq=0")
        load(c, 3, "COPY pr=0:4 src=sbuf:fp32:32 dst=sbuf:fp32:256 len=16 wait=1:1\nHALT code=0 irq=0")

    assert run_seeds(fixed) == [None] * 16


def test_write_after_read_through_memory_is_a_race_too():
    def war(c):
        # Q0 stores SBUF to memory that Q0 also loads from later: same queue, ordered (no race);
        # Q3 overwrites the SBUF bytes Q0 stores, unsynchronised: a race on SBUF.
        load(c, 0, "DMA_ST addr=0x20000 pr=0:1 sb_off=0 bytes=16 stride_r=0\nHALT code=0 irq=0")
        load(c, 3, "MEMSET pr=0:1 dst=sbuf:int32:8 len=2 r=0\nHALT code=0 irq=0")

    races = [r for r in run_seeds(war) if r is not None]
    assert races and races[0]["range"] == (8, 16)
