"""The golden model's execution core: queues with rings in device memory, semaphores,
DMA, halting, notification records, interrupts, error latching, and interleavings."""

import struct

import numpy as np
import pytest

from ncv import _golden as g
from ncv import isa
from ncv.kernels import pe_fold

P, SB, PS, NMAX, NSEM = 4, 1024, 1024, 64, 32
RING = {0: 0x1000, 1: 0x2000, 2: 0x3000, 3: 0x4000}
NQ = 0x8000
IDLE, RUN, WAIT, DONE, ERR = range(5)


def core(nq_log2=4):
    c = g.Core(P, SB, PS, NMAX, NSEM)
    for q, base in RING.items():
        c.set_ring(q, base, 6)  # 64 entries
    c.set_notify_ring(NQ, nq_log2)
    c.enable(True)
    return c


def load(c, q, text, start=0):
    words = isa.assemble(text)
    c.mem_write(RING[q] + 16 * start, isa.to_bytes(words))
    c.doorbell(q, start + len(words))
    return len(words)


def records(c):
    out = []
    for i in range(c.nq_tail()):
        t, q, _r, idx, tag, _cyc = struct.unpack("<BBHIII", c.mem_read(NQ + 16 * i, 16))
        out.append((t, q, idx, tag))
    return out


def vector_add_program(c, a, b):
    """Q0 loads A and B, Q3 adds them after both loads, Q0 stores after the add."""
    n = a.shape[1]
    c.mem_write(0x10000, a.tobytes())
    c.mem_write(0x20000, b.tobytes())
    load(c, 0, f"""
        .sem loaded 1
        .sem added 2
        DMA_LD addr=0x10000 pr=0:{P} sb_off=0 bytes={4 * n} stride_r=0 post=loaded
        DMA_LD addr=0x20000 pr=0:{P} sb_off=256 bytes={4 * n} stride_r=0 post=loaded
        DMA_ST addr=0x30000 pr=0:{P} sb_off=512 bytes={4 * n} stride_r=0 wait=added:1
        HALT code=1 irq=1
    """)
    load(c, 3, f"""
        TT pr=0:{P} a=sbuf:fp32:0 b=sbuf:fp32:256 dst=sbuf:fp32:512 len={n} alu=add wait=1:2 post=2
        HALT code=3 irq=1
    """)


def rand(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def test_three_stage_program_over_two_queues():
    c = core()
    a, b = rand((P, 16), 1), rand((P, 16), 2)
    vector_add_program(c, a, b)
    steps = c.run_round_robin()
    assert steps == 6
    out = np.frombuffer(c.mem_read(0x30000, a.nbytes), dtype=np.uint32).reshape(P, 16)
    assert np.array_equal(out, g.f32_add(a.view(np.uint32), b.view(np.uint32)))
    assert (c.state(0), c.state(3), c.state(1)) == (DONE, DONE, IDLE)
    assert (c.retired(0), c.retired(3)) == (4, 2)
    assert c.semaphore(1) == 2 and c.semaphore(2) == 1
    assert c.intr_status() & 0b1001 == 0b1001  # Q_DONE of queues 0 and 3
    assert sorted(records(c)) == [(1, 0, 3, 1), (1, 3, 1, 3)]  # HALT records: queue, index, code
    log0 = c.retire_log(0)
    assert [(i, op) for i, op, _ in log0] == [(0, 0x10), (1, 0x10), (2, 0x11), (3, 0x02)]
    assert all(d != 0 for _, _, d in log0[:3]) and log0[3][2] == 0


def test_race_free_program_is_identical_under_every_interleaving():
    a, b = rand((P, 16), 3), rand((P, 16), 4)
    results = set()
    for seed in range(20):
        c = core()
        vector_add_program(c, a, b)
        c.run_random(seed)
        results.add((c.mem_read(0x30000, a.nbytes), tuple(c.retire_log(0)), tuple(c.retire_log(3))))
    assert len(results) == 1


def test_a_queue_waits_for_its_semaphore():
    c = core()
    load(c, 3, "TT pr=0:1 a=sbuf:fp32:0 b=sbuf:fp32:0 dst=sbuf:fp32:0 len=1 alu=add wait=5:1\nHALT code=0 irq=0")
    assert c.run_round_robin() == 0
    assert c.state(3) == WAIT and c.busy()
    c.set_semaphore(5, 1)
    assert c.run_round_robin() == 2 and c.state(3) == DONE and not c.busy()


def test_ring_wraps():
    c = core()
    c.set_ring(2, RING[2], 2)  # 4 entries
    load(c, 2, "SEM sem=3 op=add imm=1\n" * 3)
    assert c.run_round_robin() == 3 and c.head(2) == 3
    words = isa.assemble("SEM sem=3 op=add imm=1")
    c.mem_write(RING[2] + 16 * 3, isa.to_bytes(words))
    c.mem_write(RING[2], isa.to_bytes(words))
    c.doorbell(2, 1)  # tail wrapped to 1: entries 3 and 0
    assert c.run_round_robin() == 2 and c.head(2) == 1 and c.semaphore(3) == 5


def test_setr_and_scalar_registers():
    c = core()
    load(c, 3, "SETR rd=2 imm=0x12345678\nSETR rd=0 imm=7\nHALT code=0 irq=0")
    c.run_round_robin()
    assert c.reg(3, 2) == 0x12345678 and c.reg(3, 0) == 0


@pytest.mark.parametrize(
    "q, text, code",
    [
        (0, "TT pr=0:1 a=sbuf:fp32:0 b=sbuf:fp32:0 dst=sbuf:fp32:0 len=1 alu=add", 0x02),  # wrong queue
        (1, f".word 0x{0x7F << 120:032x}", 0x01),                                            # illegal opcode
        (2, f".word 0x{(0x02 << 120) | (63 << 114) | (63 << 96) | 1:032x}", 0x03),           # HALT, reserved bit 0
        (3, "SEM sem=40 op=set imm=1", 0x03),                                                 # semaphore >= NSEM
        (0, "DMA_LD addr=0xFFFFFFFF pr=0:1 sb_off=0 bytes=16 stride_r=0", 0x10),             # nothing decodes it
        (0, "DMA_LD addr=0x50000 pr=0:1 sb_off=0 bytes=16 stride_r=0", 0x11),                # slave error
        (0, "DMA_LD addr=0x10000 pr=0:1 sb_off=1020 bytes=16 stride_r=0", 0x06),
    ],
)
def test_errors_latch_stop_the_queue_and_are_reported(q, text, code):
    c = core()
    c.set_bus_error(0x50000, 0x50100)
    load(c, q, text + "\nHALT code=9 irq=0")
    other = 3 if q != 3 else 2
    load(c, other, "SEM sem=4 op=add imm=2\nHALT code=0 irq=0")
    c.run_round_robin()
    err, eq, idx, _addr = c.error()
    assert (err, eq, idx) == (code, q, 0)
    assert c.state(q) == ERR and c.retired(q) == 0
    assert c.state(other) == DONE and c.semaphore(4) == 2  # the other queue ran on
    assert c.intr_status() & (1 << 5)
    assert (3, q, 0, code) in records(c)


def test_fetch_error_and_first_error_is_sticky():
    c = core()
    c.set_bus_error(RING[1], RING[1] + 16)
    c.doorbell(1, 1)  # queue 1 fetches from the faulting range
    load(c, 0, "TT pr=0:1 a=sbuf:fp32:0 b=sbuf:fp32:0 dst=sbuf:fp32:0 len=1 alu=add")
    c.run_round_robin()  # round-robin: queue 0 first (wrong queue), then queue 1 (fetch)
    assert c.error()[:2] == (0x02, 0)
    assert c.state(1) == ERR
    assert {(r[0], r[1], r[3]) for r in records(c)} == {(3, 0, 0x02), (3, 1, 0x12)}


def test_notification_ring_overflow():
    c = core(nq_log2=1)  # two entries: one record fits
    load(c, 3, "NOTIFY tag=1 irq=1\nNOTIFY tag=2 irq=0\nHALT code=0 irq=0")
    c.run_round_robin()
    assert records(c) == [(2, 3, 0, 1)]
    assert c.error()[0] == 0x21 and c.intr_status() & (1 << 7) and c.intr_status() & (1 << 4)


def test_pe_through_the_queues():
    c = core()
    K, M, N = 4, 4, 8
    w = g.f32_to_bf16(rand((K, M), 5).view(np.uint32))
    x = g.f32_to_bf16(rand((K, N), 6).view(np.uint32))
    c.mem_write(0x10000, w.tobytes())
    c.mem_write(0x11000, x.tobytes())
    load(c, 0, f"""
        DMA_LD addr=0x10000 pr=0:{K} sb_off=0 bytes={2 * M} stride_r=0 post=1
        DMA_LD addr=0x11000 pr=0:{K} sb_off=64 bytes={2 * N} stride_r=0 post=1
        DMA_ST addr=0x12000 pr=0:{M} sb_off=128 bytes={2 * N} stride_r=0 wait=3:1
    """)
    load(c, 1, f"PE_LDW pr=0:{K} src_off=0 m_cnt={M} dtype=bf16 wait=1:2\n"
               f"PE_MM pr=0:{K} src_off=64 n_cnt={N} dtype=bf16 psum_off=0 acc=0 post=2")
    load(c, 2, f"ACT pr=0:{M} src=psum:fp32:0 dst=sbuf:bf16:128 len={N} func=ident scale_r=0 bias_r=0 wait=2:1 post=3")
    c.run_random(11)
    got = np.frombuffer(c.mem_read(0x12000, 2 * M * N), dtype=np.uint16).reshape(M, N)
    assert np.array_equal(got, g.f32_to_bf16(pe_fold(w, x)))
