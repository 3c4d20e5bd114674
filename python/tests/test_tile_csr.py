"""The golden tile behind its CSR page (TileModel): launch as firmware does, status,
interrupts, queue hold, semaphores by CSR, the watchdog, performance counters, soft reset,
and every error code reported through the error registers, the interrupt and the
notification ring while the other queues run on."""

import numpy as np
import pytest

from ncv import _golden as g
from ncv import isa, tile

P, SB, PS, NMAX, NSEM = 4, 1024, 1024, 64, 32
RINGS_AT = 0x80000
A = tile.addr


def make():
    return g.Tile(P, SB, PS, NMAX, NSEM, mem_size=1 << 20)


def launch(t, texts, check_queue=True, **kw):
    # check_queue=False lets a test put an opcode on a queue where it is illegal (error 0x02).
    progs = {q: isa.assemble(txt, f"q{q}.s", queue=q if check_queue else None) for q, txt in texts.items()}
    lay = tile.plan(progs, RINGS_AT)
    tile.launch(t, progs, lay, **kw)
    return progs, lay


VECTOR_ADD = {
    0: f"""
        DMA_LD addr=0x10000 pr=0:{P} sb_off=0 bytes=16 stride_r=0 post=1
        DMA_LD addr=0x20000 pr=0:{P} sb_off=256 bytes=16 stride_r=0 post=1
        DMA_ST addr=0x30000 pr=0:{P} sb_off=512 bytes=16 stride_r=0 wait=2:1
        HALT code=7 irq=1
    """,
    3: f"""
        TT pr=0:{P} a=sbuf:fp32:0 b=sbuf:fp32:256 dst=sbuf:fp32:512 len=4 alu=add wait=1:2 post=2
        HALT code=9 irq=1
    """,
}


def vector_add_inputs(t):
    a = np.arange(16, dtype=np.float32).reshape(P, 4)
    b = np.full((P, 4), 0.5, dtype=np.float32)
    t.mem_write(0x10000, a.tobytes())
    t.mem_write(0x20000, b.tobytes())
    return a + b


def test_launch_through_csrs_runs_to_done_with_irq_status_and_records():
    t = make()
    want = vector_add_inputs(t)
    progs, lay = launch(t, VECTOR_ADD, intr_enable=0x0F)
    assert t.csr_read(A("STATUS")) >> 8 & 1  # BUSY before running
    assert t.run() == 6
    got = np.frombuffer(t.mem_read(0x30000, 64), dtype=np.float32).reshape(P, 4)
    np.testing.assert_array_equal(got, want)
    st = tile.status(t)
    assert [q["state"] for q in st["queues"]] == ["DONE", "IDLE", "IDLE", "DONE"]
    assert [q["retired"] for q in st["queues"]] == [4, 0, 0, 2]
    assert [q["head"] for q in st["queues"]] == [4, 0, 0, 2] == [q["tail"] for q in st["queues"]]
    assert t.csr_read(A("STATUS")) == (3 << 0) | (3 << 6)  # DONE on Q0 and Q3, not BUSY
    assert st["intr"] == ["Q_DONE0", "Q_DONE3"] and t.irq()
    recs = tile.notifications(t, lay)
    assert [(r.type, r.queue, r.index, r.tag) for r in recs] == [("HALT", 3, 1, 9), ("HALT", 0, 3, 7)]
    assert recs[0].cycle <= recs[1].cycle
    # W1C clears, the irq follows INTR_STATUS & INTR_ENABLE.
    t.csr_write(A("INTR_STATUS"), 1 << 0)
    assert t.irq() and tile.status(t)["intr"] == ["Q_DONE3"]
    t.csr_write(A("INTR_ENABLE"), 1 << 0)
    assert not t.irq()
    t.csr_write(A("INTR_SET"), 1 << 4)
    assert tile.status(t)["intr"] == ["Q_DONE3", "NOTIFY"] and not t.irq()
    t.csr_write(A("INTR_ENABLE"), 1 << 4)
    assert t.irq()


def test_perf_counters_count_bytes_and_macs_exactly():
    t = make()
    vector_add_inputs(t)
    launch(t, VECTOR_ADD)
    t.run()
    pf = tile.status(t)["perf"]
    assert pf["dma_rd"] == 2 * P * 16 and pf["dma_wr"] == P * 16 and pf["macs"] == 0
    assert pf["busy"][0] > 0 and pf["busy"][3] > 0 and pf["busy"][1] == pf["busy"][2] == 0
    assert pf["semwait"][3] > 0  # the add waits for both loads
    assert pf["cycles"] >= max(pf["busy"])
    # A matmul: K=4 rows, M=3 columns of weights, N=5 moving columns -> 60 MACs per PE_MM.
    t2 = make()
    launch(t2, {1: """
        PE_LDW pr=0:4 src_off=0 m_cnt=3 dtype=bf16
        PE_MM pr=0:4 src_off=64 n_cnt=5 dtype=bf16 psum_off=0 acc=0
        PE_MM pr=0:4 src_off=64 n_cnt=5 dtype=bf16 psum_off=0 acc=1
        HALT code=0 irq=0
    """})
    t2.run()
    assert tile.status(t2)["perf"]["macs"] == 2 * 4 * 3 * 5


def test_hold_and_halt_all_stop_issue_and_resume():
    t = make()
    vector_add_inputs(t)
    t.csr_write(A("Q_CTRL", 3), 1)  # HOLD Q3 before the launch (configuration survives SOFT_RESET)
    launch(t, VECTOR_ADD)
    t.run()
    st = tile.status(t)
    assert st["queues"][3]["state"] == "WAIT" and st["queues"][3]["retired"] == 0
    assert st["queues"][0]["state"] == "WAIT" and st["queues"][0]["retired"] == 2  # waits for the add
    assert t.csr_read(A("Q_CTRL", 3)) == 1
    t.csr_write(A("CTRL"), 1 | 4)  # HALT_ALL
    t.csr_write(A("Q_CTRL", 3), 0)
    assert t.run() == 0
    t.csr_write(A("CTRL"), 1)
    assert t.run() == 4
    assert [q["state"] for q in tile.status(t)["queues"]] == ["DONE", "IDLE", "IDLE", "DONE"]


def test_semaphore_csrs_set_inc_dec_and_unblock_a_queue():
    t = make()
    launch(t, {2: "SETR rd=1 imm=5 wait=3:2\nHALT code=0 irq=1"}, semaphores={3: 1})
    t.run()
    assert tile.status(t)["queues"][2]["state"] == "WAIT"
    assert t.csr_read(A("SEM_VAL", 3)) == 1
    t.csr_write(A("SEM_INC", 3), 3)
    t.csr_write(A("SEM_DEC", 3), 2)
    assert t.csr_read(A("SEM_VAL", 3)) == 2
    t.run()
    assert tile.status(t)["queues"][2]["state"] == "DONE"
    t.csr_write(A("SEM_SET", 3), 0x1FFFF)  # 16-bit semaphores
    assert t.csr_read(A("SEM_VAL", 3)) == 0xFFFF
    t.csr_write(A("SEM_INC", 3), 1)
    assert t.csr_read(A("SEM_VAL", 3)) == 0


def test_watchdog_fires_on_a_deadlock_and_not_when_off():
    prog = {2: "SETR rd=1 imm=5\nSETR rd=2 imm=6 wait=5:1\nHALT code=0 irq=1",
            3: "SETR rd=1 imm=7\nHALT code=0 irq=1"}
    t = make()
    launch(t, prog)
    t.run()
    t.advance(10**6)
    st = tile.status(t)
    assert st["error"] is None and st["queues"][2]["state"] == "WAIT" and st["busy"]
    t = make()
    progs, lay = launch(t, prog, watchdog=1000)
    t.run()
    st = tile.status(t)
    ring2 = lay.rings[2][0]
    assert st["error"] == {"code": 0x20, "queue": 2, "index": 1, "addr": ring2 + 16}
    assert st["queues"][2]["state"] == "ERR" and st["queues"][3]["state"] == "DONE"
    assert {"WATCHDOG", "ERROR"} <= set(st["intr"]) and t.irq()
    assert [(r.type, r.queue, r.index, r.tag) for r in tile.notifications(t, lay)][-1] == ("ERROR", 2, 1, 0x20)
    # The platform's clock counts too: short stalls do not fire it.
    t = make()
    launch(t, {2: "SETR rd=1 imm=5 wait=5:1\nHALT code=0 irq=0"}, watchdog=1000)
    t.advance(999)
    assert tile.status(t)["error"] is None
    t.advance(1)
    assert tile.status(t)["error"]["code"] == 0x20


def test_soft_reset_clears_queues_semaphores_errors_and_keeps_configuration():
    t = make()
    progs, lay = launch(t, {1: "TT pr=0:1 a=sbuf:fp32:0 b=sbuf:fp32:0 dst=sbuf:fp32:0 len=1 alu=add"},
                        semaphores={4: 9}, check_queue=False)
    t.run()
    assert tile.status(t)["error"]["code"] == 0x02
    t.csr_write(A("CTRL"), 2)  # SOFT_RESET (self-clearing)
    st = tile.status(t)
    assert st["error"] is None and st["intr"] == [] and not st["busy"]
    assert t.csr_read(A("CTRL")) == 0 and t.csr_read(A("SEM_VAL", 4)) == 0
    assert [q["state"] for q in st["queues"]] == ["IDLE"] * 4
    assert t.csr_read(A("Q_TAIL", 1)) == 0 and t.csr_read(A("NQ_TAIL")) == 0
    assert t.csr_read(A("Q_BASE_LO", 1)) == lay.rings[1][0] and t.csr_read(A("Q_SIZE", 1)) == lay.rings[1][1]


# Every error code of tile.md, provoked on purpose through a CSR launch: (queue, program,
# code, the ERR_ADDR the model reports or None for the instruction's own address).
W = ".word 0x{:032x}"
ERRORS = [
    (1, W.format(0x7F << 120 | 63 << 114 | 63 << 96), 0x01, None),
    (0, "TT pr=0:1 a=sbuf:fp32:0 b=sbuf:fp32:0 dst=sbuf:fp32:0 len=1 alu=add", 0x02, None),
    (2, W.format(0x02 << 120 | 63 << 114 | 63 << 96 | 1), 0x03, None),
    (3, "COPY pr=0:1 src=sbuf:5:0 dst=sbuf:fp32:64 len=1", 0x04, None),
    (3, "COPY pr=3:2 src=sbuf:fp32:0 dst=sbuf:fp32:64 len=4", 0x05, None),
    (3, "COPY pr=0:1 src=sbuf:fp32:1012 dst=sbuf:fp32:64 len=4", 0x06, None),
    (3, "COPY pr=0:1 src=sbuf:fp32:0 dst=psum:fp32:1020 len=4", 0x07, None),
    (3, "COPY pr=0:1 src=sbuf:fp32:2 dst=sbuf:fp32:64 len=1", 0x08, None),
    (1, "PE_MM pr=0:4 src_off=0 n_cnt=4 dtype=bf16 psum_off=0 acc=0", 0x09, None),
    (1, "PE_LDW pr=0:4 src_off=0 m_cnt=4 dtype=bf16\nPE_MM pr=0:4 src_off=0 n_cnt=4 dtype=int8 psum_off=0 acc=0",
     0x0A, None),
    (1, "PE_LDW pr=0:4 src_off=0 m_cnt=4 dtype=bf16\nPE_MM pr=0:4 src_off=0 n_cnt=65 dtype=bf16 psum_off=0 acc=0",
     0x0B, None),
    (0, "DMA_LD addr=0xFFFFFFFF pr=0:1 sb_off=0 bytes=16 stride_r=0", 0x10, 0xFFFFFFFF),
    (0, "DMA_ST addr=0x50000 pr=0:1 sb_off=0 bytes=16 stride_r=0", 0x11, 0x50000),
]


@pytest.mark.parametrize("q,text,code,where", ERRORS, ids=[f"0x{e[2]:02X}" for e in ERRORS])
def test_every_error_code_through_the_csrs(q, text, code, where):
    other = 2 if q != 2 else 3
    t = make()
    t.set_bus_error(0x50000, 0x50100)
    progs, lay = launch(t, {q: text, other: "SETR rd=1 imm=1\nSETR rd=2 imm=2\nHALT code=5 irq=1"},
                       check_queue=False)
    t.run()
    st = tile.status(t)
    index = len(progs[q]) - 1
    at = lay.rings[q][0] + 16 * index
    err = st["error"]
    assert (err["code"], err["queue"], err["index"]) == (code, q, index)
    if where is not None:
        assert err["addr"] == where
    assert st["queues"][q]["state"] == "ERR" and st["queues"][q]["retired"] == index
    assert st["queues"][other]["state"] == "DONE" and st["queues"][other]["retired"] == 3  # unaffected
    assert "ERROR" in st["intr"] and t.irq()
    recs = [(r.type, r.queue, r.index, r.tag) for r in tile.notifications(t, lay)]
    assert ("ERROR", q, index, code) in recs and ("HALT", other, 2, 5) in recs
    assert at == lay.rings[q][0] + 16 * err["index"]


def test_fetch_error_0x12_and_first_error_stays():
    t = make()
    progs, lay = launch(t, {3: "SETR rd=1 imm=1\nHALT code=0 irq=0"})
    t.csr_write(A("Q_BASE_LO", 2), 0xFFFF0)  # ring in the last 16 bytes of memory, then past it
    t.csr_write(A("Q_SIZE", 2), 4)
    t.csr_write(A("Q_TAIL", 2), 3)
    t.mem_write(0xFFFF0, isa.to_bytes(isa.assemble("SETR rd=1 imm=1")))
    t.run()
    err = tile.status(t)["error"]
    assert (err["code"], err["queue"], err["index"], err["addr"]) == (0x12, 2, 1, 0x100000)
    t2 = make()
    launch(t2, {3: "COPY pr=0:1 src=sbuf:fp32:2 dst=sbuf:fp32:64 len=1",
                2: "SETR rd=1 imm=1 wait=0:1\nCOPY pr=9:1 src=sbuf:fp32:0 dst=sbuf:fp32:0 len=1"})
    t2.run()
    t2.csr_write(A("SEM_SET", 0), 1)
    t2.run()
    assert tile.status(t2)["error"]["code"] == 0x08  # the first error is sticky
    assert tile.status(t2)["queues"][2]["state"] == "ERR"


def test_notification_ring_overflow_0x21():
    t = make()
    progs = {2: isa.assemble("\n".join(["NOTIFY tag=1 irq=0"] * 5), queue=2)}
    lay = tile.plan(progs, RINGS_AT, nq_log2=2)  # 4 records, 3 usable
    tile.launch(t, progs, lay)
    t.run()
    st = tile.status(t)
    assert st["error"]["code"] == 0x21 and {"NQ_OVERFLOW", "ERROR"} <= set(st["intr"])
    assert len(tile.notifications(t, lay)) == 3
