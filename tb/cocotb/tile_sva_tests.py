"""cocotb tests for the tile invariant checkers of sva/tile (nct_queue_sva, nct_dma_sva,
nct_nq_sva, nct_sem_sva, nct_top_sva), each run alone as the toplevel with its default
parameters and its ports driven the way the bound module would drive them. break_<Assertion>
breaks exactly one invariant after a legal prelude; test_cocotb.py runs each alone and checks
that exactly that assertion fired first. legal_<checker> drives a legal history that covers
the corners of the invariants and must stay silent."""

import cocotb

from pin_drive import cycles, drive, pulse, start, step  # noqa: F401


# ---- nct_queue_sva (FETCH_DEPTH 2) -------------------------------------------------------

QUEUE_IN = ("soft_reset_i", "mask_i", "head_i", "fptr_i", "fcnt_i", "pend_i", "drop_i", "ar_pend_i", "ar_hs_i",
            "push_i", "eng_start_i", "eng_busy_i", "infl_i", "retire_i", "retired_i", "state_i")
RING = 0xF  # a 16-entry ring


async def queue_start(dut):
    await start(dut, QUEUE_IN, mask_i=RING)


async def fetch(dut, fptr, fcnt, pend):
    """One fetch the way nct_queue makes it: offered (pend + 1), taken, answered into the FIFO."""
    await step(dut, ar_pend_i=1, pend_i=pend + 1, fptr_i=fptr)
    await pulse(dut, ar_hs_i=1)
    drive(dut, ar_pend_i=0)
    await cycles(dut, 1)
    await pulse(dut, push_i=1)
    drive(dut, pend_i=pend, fcnt_i=fcnt + 1)
    await cycles(dut, 1)


async def retire_one(dut, head, retired):
    """The engine takes the head instruction, finishes it, and the queue retires it."""
    await pulse(dut, eng_start_i=1)
    await step(dut, infl_i=1, eng_busy_i=1)
    await pulse(dut, retire_i=1)
    drive(dut, infl_i=0, eng_busy_i=0, head_i=(head + 1) & RING, retired_i=retired + 1)
    await cycles(dut, 1)


@cocotb.test()
async def legal_nct_queue_sva(dut):
    await queue_start(dut)
    await fetch(dut, 1, 0, 0)
    await fetch(dut, 2, 1, 0)  # the FIFO is full
    for i in range(16):  # around the ring
        await retire_one(dut, i, i)
    await step(dut, fcnt_i=0)  # the FIFO drained
    # SOFT_RESET with a fetch on the bus: it is answered later and dropped.
    await step(dut, ar_pend_i=1, pend_i=1)
    await pulse(dut, ar_hs_i=1)
    drive(dut, ar_pend_i=0)
    await pulse(dut, soft_reset_i=1)
    drive(dut, pend_i=0, drop_i=1, fcnt_i=0, head_i=0, fptr_i=0, retired_i=0)
    await cycles(dut, 1)
    await pulse(dut, push_i=1)
    drive(dut, drop_i=0)
    await step(dut, state_i=4)
    await cycles(dut, 2)


@cocotb.test()
async def break_QFetchBound(dut):
    await queue_start(dut)
    await fetch(dut, 1, 0, 0)
    await fetch(dut, 2, 1, 0)
    await step(dut, ar_pend_i=1, pend_i=1, fptr_i=3)  # a third fetch while the FIFO is full
    await cycles(dut, 2)


@cocotb.test()
async def break_QFetchAccount(dut):
    await queue_start(dut)
    await fetch(dut, 1, 0, 0)
    await step(dut, ar_pend_i=1, pend_i=1, fptr_i=2)
    await pulse(dut, ar_hs_i=1)
    drive(dut, ar_pend_i=0)
    await pulse(dut, push_i=1)  # answered, but the queue still counts it as pending
    await cycles(dut, 2)


@cocotb.test()
async def break_QHeadInRing(dut):
    await queue_start(dut)
    await step(dut, head_i=RING)
    await step(dut, head_i=RING + 1)  # not wrapped
    await cycles(dut, 2)


@cocotb.test()
async def break_QFetchPtrInRing(dut):
    await queue_start(dut)
    await step(dut, fptr_i=RING)
    await step(dut, fptr_i=RING + 1)
    await cycles(dut, 2)


@cocotb.test()
async def break_QStartWhileBusy(dut):
    await queue_start(dut)
    await retire_one(dut, 0, 0)
    await step(dut, eng_busy_i=1)  # the engine is still busy (e.g. after SOFT_RESET) ...
    await pulse(dut, eng_start_i=1)  # ... and the queue starts it
    await cycles(dut, 2)


@cocotb.test()
async def break_QOneInFlight(dut):
    await queue_start(dut)
    await pulse(dut, eng_start_i=1)
    await step(dut, infl_i=1)
    await pulse(dut, eng_start_i=1)  # a second issue before the first retired
    await cycles(dut, 2)


@cocotb.test()
async def break_QRetiredStep(dut):
    await queue_start(dut)
    await retire_one(dut, 0, 0)
    await step(dut, retired_i=2)  # no retirement this time
    await cycles(dut, 2)


@cocotb.test()
async def break_QRetiredReset(dut):
    await queue_start(dut)
    await retire_one(dut, 0, 0)
    await pulse(dut, soft_reset_i=1)  # RETIRED stays at 1
    await cycles(dut, 2)


@cocotb.test()
async def break_QStateLegal(dut):
    await queue_start(dut)
    for s in range(5):
        await step(dut, state_i=s)
    await step(dut, state_i=5)
    await cycles(dut, 2)


# ---- nct_dma_sva (AXI_DW 128, MAX_OUT 4: a realigner of 32 bytes) -----------------------

DMA_IN = ("cnt_i", "out_i", "wq_cnt_i", "bq_cnt_i")
DMA_CAP, DMA_MAX_OUT = 32, 4


@cocotb.test()
async def legal_nct_dma_sva(dut):
    await start(dut, DMA_IN)
    await step(dut, cnt_i=DMA_CAP, out_i=DMA_MAX_OUT, wq_cnt_i=DMA_MAX_OUT, bq_cnt_i=DMA_MAX_OUT)
    await step(dut, cnt_i=0, out_i=2, wq_cnt_i=1, bq_cnt_i=2)
    await cycles(dut, 2)


@cocotb.test()
async def break_DmaRealignerBound(dut):
    await start(dut, DMA_IN)
    await step(dut, cnt_i=DMA_CAP)
    await step(dut, cnt_i=DMA_CAP + 1)
    await cycles(dut, 2)


@cocotb.test()
async def break_DmaOutstandingBound(dut):
    await start(dut, DMA_IN)
    await step(dut, out_i=DMA_MAX_OUT)
    await step(dut, out_i=DMA_MAX_OUT + 1)
    await cycles(dut, 2)


@cocotb.test()
async def break_DmaWFifoBound(dut):
    await start(dut, DMA_IN)
    await step(dut, out_i=1, wq_cnt_i=1, bq_cnt_i=1)
    await step(dut, wq_cnt_i=2, bq_cnt_i=2)  # a burst awaiting W that is not outstanding
    await cycles(dut, 2)


@cocotb.test()
async def break_DmaBFifoBound(dut):
    await start(dut, DMA_IN)
    await step(dut, out_i=DMA_MAX_OUT, bq_cnt_i=DMA_MAX_OUT)
    await step(dut, bq_cnt_i=DMA_MAX_OUT + 1)
    await cycles(dut, 2)


# ---- nct_nq_sva --------------------------------------------------------------------------

NQ_IN = ("st_i", "aw_valid_i", "aw_ready_i", "w_valid_i", "w_ready_i", "w_last_i", "b_valid_i", "b_ready_i",
         "size_log2_i", "tail_i")
IDLE, AW, W, B = 0, 1, 2, 3


async def nq_state(dut, st, **sigs):
    """One cycle in state st with the channel outputs nct_nq drives there (W is one beat)."""
    drive(dut, st_i=st, aw_valid_i=int(st == AW), w_valid_i=int(st == W), w_last_i=int(st == W),
          b_ready_i=int(st == B), aw_ready_i=0, w_ready_i=0, b_valid_i=0)
    drive(dut, **sigs)
    await cycles(dut, 1)


async def nq_record(dut, tail_after):
    """One record written: AW (waits a cycle), W, B; the tail advances at B."""
    await nq_state(dut, IDLE)
    await nq_state(dut, AW)
    await nq_state(dut, AW, aw_ready_i=1)
    await nq_state(dut, W, w_ready_i=1)
    await nq_state(dut, B)
    await nq_state(dut, B, b_valid_i=1)
    drive(dut, tail_i=tail_after)


@cocotb.test()
async def legal_nct_nq_sva(dut):
    await start(dut, NQ_IN, size_log2_i=2)
    for i in range(5):  # a 4-record ring, around and past the wrap
        await nq_record(dut, (i + 1) % 4)
    await nq_state(dut, IDLE)
    await cycles(dut, 2)


@cocotb.test()
async def break_NqFsmStep(dut):
    await start(dut, NQ_IN, size_log2_i=2)
    await nq_record(dut, 1)
    await nq_state(dut, IDLE)
    await nq_state(dut, W)  # IDLE straight to W
    await cycles(dut, 2)


@cocotb.test()
async def break_NqFsmHandshake(dut):
    await start(dut, NQ_IN, size_log2_i=2)
    await nq_record(dut, 1)
    await nq_state(dut, IDLE)
    await nq_state(dut, AW)  # AWREADY low ...
    await nq_state(dut, W)  # ... but it moves on
    await cycles(dut, 2)


@cocotb.test()
async def break_NqOneChannel(dut):
    await start(dut, NQ_IN, size_log2_i=2)
    await nq_record(dut, 1)
    await nq_state(dut, IDLE)
    await nq_state(dut, AW, w_valid_i=1)  # AW and W at once
    await cycles(dut, 2)


@cocotb.test()
async def break_NqTailInRing(dut):
    await start(dut, NQ_IN, size_log2_i=2)
    for i in range(3):
        await nq_record(dut, i + 1)
    await nq_record(dut, 4)  # 4 is not below 2^2
    await nq_state(dut, IDLE)
    await cycles(dut, 2)


# ---- nct_sem_sva (NSEM 32, NQ 4) ---------------------------------------------------------

SEM_IN = ("soft_reset_i", "csr_set_i", "csr_inc_i", "csr_dec_i", "op_valid_i", "op_idx_i", "post_valid_i",
          "post_idx_i", "sem_i")


def sems(values):
    """The packed sem_i vector of {index: value}."""
    return sum(v << (16 * s) for s, v in values.items())


def per_queue(idx):
    """The packed per-queue 6-bit index vector of {queue: index}."""
    return sum(i << (6 * q) for q, i in idx.items())


async def sem_update(dut, after, **cause):
    """The causes in one cycle; the semaphore values they give in the next."""
    await pulse(dut, **cause)
    dut.sem_i.value = sems(after)


@cocotb.test()
async def legal_nct_sem_sva(dut):
    await start(dut, SEM_IN)
    await sem_update(dut, {3: 7}, csr_set_i=1 << 3)
    await sem_update(dut, {3: 9}, csr_inc_i=1 << 3)
    await sem_update(dut, {3: 9, 5: 2}, post_valid_i=0b0011, post_idx_i=per_queue({0: 5, 1: 5}))
    await sem_update(dut, {3: 9, 5: 2, 6: 0xFFFF}, op_valid_i=0b0100, op_idx_i=per_queue({2: 6}))
    await sem_update(dut, {3: 9, 5: 2, 6: 0}, post_valid_i=0b1000, post_idx_i=per_queue({3: 6}))  # wraps
    await sem_update(dut, {3: 9, 5: 2}, csr_dec_i=1 << 6)  # a CSR write need not change the value
    await cycles(dut, 2)
    await sem_update(dut, {}, soft_reset_i=1)
    await cycles(dut, 2)


@cocotb.test()
async def break_SemChangeHasCause(dut):
    await start(dut, SEM_IN)
    await sem_update(dut, {3: 7}, csr_set_i=1 << 3)
    await cycles(dut, 1)
    dut.sem_i.value = sems({3: 7, 5: 1})  # semaphore 5 moves on its own
    await cycles(dut, 2)


@cocotb.test()
async def break_SemPostStep(dut):
    await start(dut, SEM_IN)
    await sem_update(dut, {5: 1}, post_valid_i=0b0001, post_idx_i=per_queue({0: 5}))
    # Two posts to semaphore 5 in one cycle count once.
    await sem_update(dut, {5: 2}, post_valid_i=0b0110, post_idx_i=per_queue({1: 5, 2: 5}))
    await cycles(dut, 2)


# ---- nct_top_sva (W source FIFO of 4) ----------------------------------------------------

TOP_IN = ("soft_reset_i", "wcnt_i", "err_valid_i", "err_info_i", "idle_i", "idle_state_i")


@cocotb.test()
async def legal_nct_top_sva(dut):
    await start(dut, TOP_IN)
    await step(dut, wcnt_i=4)
    await step(dut, err_valid_i=1, err_info_i=0x21 << 74)
    await cycles(dut, 2)
    await pulse(dut, soft_reset_i=1)
    drive(dut, err_valid_i=0, err_info_i=0)
    await step(dut, err_valid_i=1, err_info_i=0x10 << 74)
    await cycles(dut, 2)
    # Idle: nothing changes while idle_i is high; it drops before the state moves again.
    await step(dut, idle_i=1)
    await cycles(dut, 3)
    await step(dut, idle_i=0)
    await step(dut, idle_state_i=1 << 769)
    await cycles(dut, 2)


@cocotb.test()
async def break_TopWSrcBound(dut):
    await start(dut, TOP_IN)
    await step(dut, wcnt_i=4)
    await step(dut, wcnt_i=5)
    await cycles(dut, 2)


@cocotb.test()
async def break_TopFirstErrorHeld(dut):
    await start(dut, TOP_IN)
    await step(dut, err_valid_i=1, err_info_i=0x21 << 74)
    await step(dut, err_info_i=0x10 << 74)  # a later error overwrites the first
    await cycles(dut, 2)


@cocotb.test()
async def break_TopIdleHolds(dut):
    await start(dut, TOP_IN)
    await step(dut, idle_i=1)
    await cycles(dut, 2)
    await step(dut, idle_state_i=1 << 100)  # a register moves on an edge idle_o promised to hold
    await cycles(dut, 2)
