"""cocotb tests for the NSP switch checkers of sva/switch (nsp_link_sva, nsp_fifo_sva,
nsp_voq_sva, nsp_port_sva, nsp_xbar_sva, nsp_credit_sva), each run alone as the toplevel
with its default parameters and its ports driven the way the bound module (or the testbench
top, for the credit checker) would drive them. break_<Assertion> breaks exactly one
invariant after a legal prelude; test_cocotb.py runs each alone and checks that exactly that assertion fired
first. legal_<checker> drives a legal history over the corners of the rules and must stay
silent."""

import cocotb

from pin_drive import cycles, drive, pulse, start, step  # noqa: F401


def pack(vals, width):
    """Packs a list (element 0 lowest) into one integer of len(vals) fields of width bits."""
    return sum((v & ((1 << width) - 1)) << (i * width) for i, v in enumerate(vals))


# ---- flits of nsp_pkg (128 bits, MSB first) ------------------------------------------------

KIND_CTL, KIND_HDR, KIND_DATA, KIND_TRL = 0, 1, 2, 3
CTL_IDLE, CTL_ACK, CTL_NAK = 0, 1, 2
LS_DOWN, LS_INIT, LS_UP, LS_DEGRADED, LS_RETRAIN = 0, 1, 2, 3, 4


def hdr(length, vc=0):
    return (vc << 120) | (length << 84)


def trl(lsn, ack_lsn=0x3FF, ack_valid=1):
    return (lsn << 118) | (ack_valid << 117) | (ack_lsn << 107)


def ctl(typ, lsn=0):
    return (typ << 124) | (lsn << 113)


# ---- nsp_link_sva (RB_FLITS 128, RB_PKTS 16) ------------------------------------------------

LINK_IN = ("state_i", "rf_st_i", "tx_lsn_i", "npend_i", "ack_tgt_i", "rx_exp_i", "rb_used_i", "rb_wr_i", "rb_wr_en_i",
           "rb_oldest_i", "desc_wr_en_i", "limit_i", "tx_valid_i", "tx_kind_i", "tx_data_i")


async def link_start(dut):
    await start(dut, LINK_IN)


async def wire(dut, kind, data):
    """One flit on the TX wire."""
    await pulse(dut, tx_valid_i=1, tx_kind_i=kind, tx_data_i=data)


async def link_up(dut):
    for s in (LS_INIT, LS_UP):
        await step(dut, state_i=s)


@cocotb.test()
async def legal_nsp_link_sva(dut):
    await link_start(dut)
    for s in (LS_INIT, LS_UP, LS_DEGRADED, LS_RETRAIN, LS_UP, LS_RETRAIN, LS_UP):
        await step(dut, state_i=s)
    for s in (1, 2, 0):
        await step(dut, rf_st_i=s)
    await step(dut, limit_i=pack([34] * 4, 12))
    await step(dut, limit_i=pack([40, 34, 35, 34], 12))
    await step(dut, limit_i=pack([2000, 34, 35, 34], 12))
    await step(dut, limit_i=pack([4000, 34, 35, 34], 12))
    await step(dut, limit_i=pack([10, 34, 35, 34], 12))  # the 12-bit counters wrap
    # Two packets of 3 and 1 flits into the replay buffer, acknowledged one by one.
    await pulse(dut, rb_wr_en_i=1, desc_wr_en_i=1)
    await step(dut, tx_lsn_i=1, npend_i=1, rb_used_i=1, rb_wr_i=1)
    await pulse(dut, rb_wr_en_i=1)
    await step(dut, rb_used_i=2, rb_wr_i=2)
    await pulse(dut, rb_wr_en_i=1)
    await step(dut, rb_used_i=3, rb_wr_i=3)
    await pulse(dut, rb_wr_en_i=1, desc_wr_en_i=1)
    await step(dut, tx_lsn_i=2, npend_i=2, rb_used_i=4, rb_wr_i=4)
    await step(dut, ack_tgt_i=1)
    await step(dut, npend_i=1, rb_used_i=1, rb_oldest_i=3)
    await step(dut, ack_tgt_i=2)
    await step(dut, npend_i=0, rb_used_i=0, rb_oldest_i=4)
    # A full replay buffer: 128 flits, the next write lands on the packet being freed.
    await step(dut, tx_lsn_i=3, npend_i=1, rb_used_i=127, rb_wr_i=(4 + 127) % 128)
    await pulse(dut, rb_wr_en_i=1)
    await step(dut, rb_used_i=128, rb_wr_i=4)
    await step(dut, ack_tgt_i=3, npend_i=0, rb_used_i=0)
    # RX.
    for e in range(1, 4):
        await step(dut, rx_exp_i=e)
    # The wire: ACK, a frame, a NAK, a control flit between frames, a replay, wrap of the ACK.
    await wire(dut, KIND_CTL, ctl(CTL_ACK, 0x3FF))
    await wire(dut, KIND_CTL, ctl(CTL_ACK, 0))
    await wire(dut, KIND_HDR, hdr(2))
    await wire(dut, KIND_DATA, 0)
    await cycles(dut, 1)  # a gap inside a frame
    await wire(dut, KIND_DATA, 0)
    await wire(dut, KIND_TRL, trl(0, 1))
    await wire(dut, KIND_CTL, ctl(CTL_NAK, 3))  # NAK(3) acknowledges 2
    await wire(dut, KIND_HDR, hdr(0))
    await wire(dut, KIND_TRL, trl(1, 2))
    await wire(dut, KIND_CTL, ctl(CTL_IDLE))
    await wire(dut, KIND_HDR, hdr(0))
    await wire(dut, KIND_TRL, trl(0, 2))  # a replay of lsn 0
    await wire(dut, KIND_HDR, hdr(16))
    for _ in range(16):
        await wire(dut, KIND_DATA, (1 << 128) - 1)
    await wire(dut, KIND_TRL, trl(2, 3))
    await cycles(dut, 2)


@cocotb.test()
async def break_LinkStateLegal(dut):
    await link_start(dut)
    await link_up(dut)
    await step(dut, state_i=5)
    await cycles(dut, 2)


@cocotb.test()
async def break_LinkStateStep(dut):
    await link_start(dut)
    await step(dut, state_i=LS_UP)  # DOWN -> UP without INIT
    await cycles(dut, 2)


@cocotb.test()
async def break_LinkRxFrameLegal(dut):
    await link_start(dut)
    await step(dut, rf_st_i=1)
    await step(dut, rf_st_i=3)
    await cycles(dut, 2)


@cocotb.test()
async def break_RbOccBound(dut):
    await link_start(dut)
    await step(dut, tx_lsn_i=1, npend_i=1, rb_used_i=129, rb_wr_i=1)  # 129 flits of 128
    await cycles(dut, 2)


@cocotb.test()
async def break_RbLiveRegion(dut):
    await link_start(dut)
    await step(dut, tx_lsn_i=1, npend_i=1, rb_used_i=3, rb_wr_i=3)
    await step(dut, rb_wr_i=4)  # written without counting it
    await cycles(dut, 2)


@cocotb.test()
async def break_RbNoOverwrite(dut):
    await link_start(dut)
    await step(dut, tx_lsn_i=1, npend_i=1, rb_used_i=128, rb_wr_i=0)
    await pulse(dut, rb_wr_en_i=1)  # onto the oldest un-acknowledged flit
    await cycles(dut, 2)


@cocotb.test()
async def break_RbDescNoOverwrite(dut):
    await link_start(dut)
    await step(dut, npend_i=16, rb_used_i=16, rb_wr_i=16)
    await pulse(dut, desc_wr_en_i=1)  # a 17th packet
    await cycles(dut, 2)


@cocotb.test()
async def break_LinkTxLsnStep(dut):
    await link_start(dut)
    await step(dut, tx_lsn_i=1, npend_i=1, rb_used_i=1, rb_wr_i=1)
    await step(dut, tx_lsn_i=3, npend_i=3, rb_used_i=3, rb_wr_i=3)  # skips lsn 2
    await cycles(dut, 2)


@cocotb.test()
async def break_LinkRxExpStep(dut):
    await link_start(dut)
    await step(dut, rx_exp_i=1)
    await step(dut, rx_exp_i=0)  # back
    await cycles(dut, 2)


@cocotb.test()
async def break_LinkAckInWindow(dut):
    await link_start(dut)
    await step(dut, tx_lsn_i=1, npend_i=1, rb_used_i=1, rb_wr_i=1)
    await step(dut, tx_lsn_i=2, npend_i=2, rb_used_i=2, rb_wr_i=2)
    await step(dut, ack_tgt_i=1)
    await step(dut, npend_i=0, rb_used_i=0, rb_oldest_i=2)  # frees lsn 1, never acknowledged
    await cycles(dut, 2)


@cocotb.test()
async def break_LinkAckForward(dut):
    await link_start(dut)
    await step(dut, tx_lsn_i=1, npend_i=1, rb_used_i=1, rb_wr_i=1)
    await step(dut, tx_lsn_i=2, npend_i=2, rb_used_i=2, rb_wr_i=2)
    await step(dut, ack_tgt_i=1)
    await step(dut, ack_tgt_i=0)  # backwards
    await cycles(dut, 2)


@cocotb.test()
async def break_LinkLimitForward(dut):
    await link_start(dut)
    await step(dut, limit_i=pack([34] * 4, 12))
    await step(dut, limit_i=pack([34, 34, 30, 34], 12))  # VC2 credit taken back
    await cycles(dut, 2)


@cocotb.test()
async def break_WireFrameShape(dut):
    await link_start(dut)
    await wire(dut, KIND_HDR, hdr(2))
    await wire(dut, KIND_DATA, 0)
    await wire(dut, KIND_TRL, trl(0))  # one data flit short
    await cycles(dut, 2)


@cocotb.test()
async def break_WireCtlBetweenFrames(dut):
    await link_start(dut)
    await wire(dut, KIND_HDR, hdr(1))
    await wire(dut, KIND_CTL, ctl(CTL_IDLE))
    await cycles(dut, 2)


@cocotb.test()
async def break_WireLsnStep(dut):
    await link_start(dut)
    await wire(dut, KIND_HDR, hdr(0))
    await wire(dut, KIND_TRL, trl(0))
    await wire(dut, KIND_HDR, hdr(0))
    await wire(dut, KIND_TRL, trl(2))  # lsn 1 skipped
    await cycles(dut, 2)


@cocotb.test()
async def break_WireAckForward(dut):
    await link_start(dut)
    await wire(dut, KIND_CTL, ctl(CTL_ACK, 3))
    await wire(dut, KIND_HDR, hdr(0))
    await wire(dut, KIND_TRL, trl(0, 2))  # piggy-backed ACK behind the last one
    await cycles(dut, 2)


# ---- nsp_fifo_sva (DEPTH 34) ------------------------------------------------------------

FIFO_IN = ("rd_i", "wr_i", "spec_i", "cnt_i", "spec_cnt_i")


@cocotb.test()
async def legal_nsp_fifo_sva(dut):
    await start(dut, FIFO_IN)
    await step(dut, spec_i=5, spec_cnt_i=5)
    await step(dut, wr_i=5, cnt_i=5, spec_cnt_i=0)
    await step(dut, rd_i=5, cnt_i=0)
    await step(dut, wr_i=(5 + 29) % 34, spec_i=0, cnt_i=29, spec_cnt_i=0)  # the commit pointer wrapped
    await step(dut, wr_i=5, spec_i=5, cnt_i=34)  # full: commit pointer wrapped onto the read pointer
    await step(dut, rd_i=33, cnt_i=6)
    await cycles(dut, 2)


@cocotb.test()
async def break_FifoBound(dut):
    await start(dut, FIFO_IN)
    await step(dut, wr_i=30, spec_i=30, cnt_i=30)
    await step(dut, spec_i=1, spec_cnt_i=5)  # 35 flits in 34 entries
    await cycles(dut, 2)


@cocotb.test()
async def break_FifoPtrLegal(dut):
    await start(dut, FIFO_IN)
    await step(dut, spec_i=33, spec_cnt_i=33)
    await step(dut, spec_i=34, spec_cnt_i=34)  # not wrapped
    await cycles(dut, 2)


@cocotb.test()
async def break_FifoCount(dut):
    await start(dut, FIFO_IN)
    await step(dut, wr_i=3, spec_i=3, cnt_i=3)
    await step(dut, rd_i=1)  # popped without counting it
    await cycles(dut, 2)


# ---- nsp_voq_sva (DEPTH 68, NQ 5) -----------------------------------------------------------

VOQ_IN = ("used_i", "spec_i", "cnt_i", "spec_cnt_i", "qcnt_i", "head_i", "pop_i", "wen_i", "wslot_i")
VOQ_DEPTH, VOQ_NQ, VOQ_W = 68, 5, 7


class VoqModel:
    """The buffer as nsp_voq_buf keeps it: slots in use, the speculative list, the queues."""

    def __init__(self):
        self.used, self.spec, self.q = set(), [], [[] for _ in range(VOQ_NQ)]

    def free(self):
        return min(set(range(VOQ_DEPTH)) - self.used)

    def signals(self, wr, pops):
        return dict(used_i=sum(1 << x for x in self.used), spec_i=sum(1 << x for x in self.spec),
                    cnt_i=sum(len(q) for q in self.q), spec_cnt_i=len(self.spec),
                    qcnt_i=pack([len(q) for q in self.q], VOQ_W), head_i=pack([q[0] if q else 0 for q in self.q], VOQ_W),
                    pop_i=sum(1 << q for q in pops), wen_i=int(wr), wslot_i=self.free() if wr else 0)

    def apply(self, wr, commit, abort, pops):
        slot = self.free() if wr else None
        for q in pops:
            self.used.discard(self.q[q].pop(0))
        if abort:
            self.used -= set(self.spec)
            self.spec = []
        if wr:
            self.used.add(slot)
            self.spec.append(slot)
        if commit is not None:
            self.q[commit] += self.spec
            self.spec = []


async def voq(dut, m, wr=False, commit=None, abort=False, pops=(), **override):
    """One cycle: the model's state and this cycle's write and pops (overridable), then the update."""
    sig = m.signals(wr, pops)
    sig.update(override)
    await step(dut, **sig)
    m.apply(wr, commit, abort, pops)


async def voq_packet(dut, m, q, flits):
    for i in range(flits):
        await voq(dut, m, wr=True, commit=q if i == flits - 1 else None)
    await voq(dut, m)  # the state after the commit


@cocotb.test()
async def legal_nsp_voq_sva(dut):
    await start(dut, VOQ_IN)
    m = VoqModel()
    await voq_packet(dut, m, 1, 3)
    await voq_packet(dut, m, 4, 2)              # the drop queue
    await voq(dut, m, wr=True)
    await voq(dut, m, wr=True, abort=True)      # a bad frame: its slots are free again
    await voq(dut, m, pops=[1])
    await voq_packet(dut, m, 1, 2)              # reuses freed slots: the list is not contiguous
    for q in (1, 1, 4, 1, 4, 1, 1):
        await voq(dut, m, wr=True, pops=[q])
    await voq(dut, m, commit=0)
    while m.q[0]:
        await voq(dut, m, pops=[0])
    while len(m.used) < VOQ_DEPTH:              # fill the buffer
        await voq_packet(dut, m, 2, min(17, VOQ_DEPTH - len(m.used)))
    await voq(dut, m, pops=[2])
    await voq(dut, m)
    await cycles(dut, 2)


@cocotb.test()
async def break_VoqBound(dut):
    await start(dut, VOQ_IN)
    m = VoqModel()
    await voq_packet(dut, m, 0, 2)
    await voq(dut, m, cnt_i=60, spec_cnt_i=9, qcnt_i=pack([60], VOQ_W))  # 69 flits in 68 slots
    await cycles(dut, 2)


@cocotb.test()
async def break_VoqCount(dut):
    await start(dut, VOQ_IN)
    m = VoqModel()
    await voq_packet(dut, m, 3, 4)
    await voq(dut, m, qcnt_i=pack([0, 0, 0, 5, 0], VOQ_W))  # queue 3 claims a flit nobody committed
    await cycles(dut, 2)


@cocotb.test()
async def break_VoqSlots(dut):
    await start(dut, VOQ_IN)
    m = VoqModel()
    await voq_packet(dut, m, 2, 3)
    await voq(dut, m, pops=[2])
    await voq(dut, m, used_i=sum(1 << x for x in m.used) | (1 << 0))  # the popped slot leaked
    await cycles(dut, 2)


@cocotb.test()
async def break_VoqHeadUsed(dut):
    await start(dut, VOQ_IN)
    m = VoqModel()
    await voq_packet(dut, m, 1, 2)
    await voq(dut, m, head_i=pack([0, 40, 0, 0, 0], VOQ_W))  # queue 1's head is a free slot
    await cycles(dut, 2)


@cocotb.test()
async def break_VoqOnePop(dut):
    await start(dut, VOQ_IN)
    m = VoqModel()
    await voq_packet(dut, m, 0, 1)
    await voq_packet(dut, m, 3, 1)
    await voq(dut, m, pops=[0, 3])  # two flits, one credit
    await cycles(dut, 2)


@cocotb.test()
async def break_VoqOrder(dut):
    await start(dut, VOQ_IN)
    m = VoqModel()
    await voq_packet(dut, m, 1, 3)
    a, b, c = m.q[1]
    m.q[1] = [b, a, c]                               # the list handed out b before a
    await voq(dut, m, pops=[1])
    await voq(dut, m, pops=[1])
    await cycles(dut, 2)


# ---- nsp_port_sva ------------------------------------------------------------------------

PORT_IN = ("busy_i", "src_i", "rem_i", "gnt_i", "drop_i", "drem_i")


@cocotb.test()
async def legal_nsp_port_sva(dut):
    await start(dut, PORT_IN)
    await pulse(dut, gnt_i=1)
    await step(dut, busy_i=1, src_i=4, rem_i=0)  # the synthesised response
    await step(dut, busy_i=0)
    await pulse(dut, gnt_i=1)
    await step(dut, busy_i=1, src_i=3, rem_i=16)
    await step(dut, drop_i=0b0010, drem_i=pack([0, 16, 0, 0], 5))
    await step(dut, drop_i=0b0010, drem_i=pack([0, 1, 0, 0], 5))
    await step(dut, busy_i=0, drop_i=0, drem_i=0)
    await cycles(dut, 2)


@cocotb.test()
async def break_PortStreamLegal(dut):
    await start(dut, PORT_IN)
    await pulse(dut, gnt_i=1)
    await step(dut, busy_i=1, src_i=5)
    await cycles(dut, 2)


@cocotb.test()
async def break_PortDropLegal(dut):
    await start(dut, PORT_IN)
    await step(dut, drop_i=0b0100, drem_i=pack([0, 0, 17, 0], 5))
    await cycles(dut, 2)


@cocotb.test()
async def break_PortGrantWhenFree(dut):
    await start(dut, PORT_IN)
    await pulse(dut, gnt_i=1)
    await step(dut, busy_i=1, src_i=0, rem_i=3)
    await pulse(dut, gnt_i=1)  # granted again while streaming
    await cycles(dut, 2)


# ---- nsp_xbar_sva (NPORTS 4) ----------------------------------------------------------------

XBAR_IN = ("og_v_i", "og_in_i", "out_busy_i", "owner_i", "in_busy_i", "conn_i", "eg_valid_i", "eg_ready_i",
           "eg_sop_i", "eg_eop_i", "eg_data_i")


async def connect(dut, out, inp):
    """Output out grants input inp; both are busy from the next cycle."""
    await pulse(dut, og_v_i=1 << out, og_in_i=pack([inp if o == out else 0 for o in range(4)], 2))
    owner = dut.owner_i.value.to_unsigned() & ~(3 << (2 * out)) | (inp << (2 * out))
    conn = dut.conn_i.value.to_unsigned() & ~(3 << (2 * inp)) | (out << (2 * inp))
    drive(dut, owner_i=owner, conn_i=conn, out_busy_i=dut.out_busy_i.value.to_unsigned() | (1 << out),
          in_busy_i=dut.in_busy_i.value.to_unsigned() | (1 << inp))


async def xflit(dut, out, data, sop, eop):
    """One flit accepted by output out."""
    drive(dut, eg_data_i=data << (128 * out))
    await pulse(dut, eg_valid_i=1 << out, eg_ready_i=1 << out, eg_sop_i=sop << out, eg_eop_i=eop << out)


async def release(dut, out, inp):
    drive(dut, out_busy_i=dut.out_busy_i.value.to_unsigned() & ~(1 << out),
          in_busy_i=dut.in_busy_i.value.to_unsigned() & ~(1 << inp))


@cocotb.test()
async def legal_nsp_xbar_sva(dut):
    await start(dut, XBAR_IN)
    await connect(dut, 0, 2)
    await connect(dut, 3, 1)
    await xflit(dut, 0, hdr(2), 1, 0)
    await cycles(dut, 1)  # the input has no flit this cycle
    await xflit(dut, 0, 0, 0, 0)
    await xflit(dut, 3, hdr(0, vc=1), 1, 1)
    await release(dut, 3, 1)
    await xflit(dut, 0, 0, 0, 1)
    await release(dut, 0, 2)
    # Two grants in one cycle to different inputs and outputs.
    await pulse(dut, og_v_i=0b0011, og_in_i=pack([3, 0, 0, 0], 2))
    await cycles(dut, 2)


@cocotb.test()
async def break_XbarGrantFree(dut):
    await start(dut, XBAR_IN)
    await connect(dut, 0, 1)
    await pulse(dut, og_v_i=0b0001, og_in_i=pack([2, 0, 0, 0], 2))  # output 0 is busy
    await cycles(dut, 2)


@cocotb.test()
async def break_XbarInputOnce(dut):
    await start(dut, XBAR_IN)
    await pulse(dut, og_v_i=0b0011, og_in_i=pack([2, 2, 0, 0], 2))  # input 2 to two outputs
    await cycles(dut, 2)


@cocotb.test()
async def break_XbarOneToOne(dut):
    await start(dut, XBAR_IN)
    await connect(dut, 0, 1)
    drive(dut, in_busy_i=0)  # the input forgot its connection
    await cycles(dut, 2)


@cocotb.test()
async def break_XbarNoInterleave(dut):
    await start(dut, XBAR_IN)
    await connect(dut, 0, 2)
    await xflit(dut, 0, hdr(2), 1, 0)
    await xflit(dut, 0, hdr(0), 1, 0)  # a header inside the packet
    await cycles(dut, 2)


@cocotb.test()
async def break_XbarHeaderFirst(dut):
    await start(dut, XBAR_IN)
    await connect(dut, 0, 2)
    await xflit(dut, 0, 0, 0, 1)  # a data flit with no header before it
    await cycles(dut, 2)


@cocotb.test()
async def break_XbarPacketLength(dut):
    await start(dut, XBAR_IN)
    await connect(dut, 0, 2)
    await xflit(dut, 0, hdr(2), 1, 0)
    await xflit(dut, 0, 0, 0, 1)  # the tail one data flit early
    await cycles(dut, 2)


# ---- nsp_credit_sva (BUF_FLITS 34) ----------------------------------------------------------

CREDIT_IN = ("en_i", "sent_i", "limit_i", "freed_i", "occ_i")


async def credit(dut, sent, limit, freed, occ, vc=0):
    """Drives one VC's counters; the others stay at a full, idle state."""
    def vec(x, idle, w):
        return pack([x if v == vc else idle for v in range(4)], w)
    await step(dut, sent_i=vec(sent, 0, 12), limit_i=vec(limit, 34, 12), freed_i=vec(freed, 0, 12),
               occ_i=vec(occ, 0, 6))


@cocotb.test()
async def legal_nsp_credit_sva(dut):
    await start(dut, CREDIT_IN, en_i=1, limit_i=pack([34] * 4, 12))
    await credit(dut, 0, 34, 0, 0)
    await credit(dut, 34, 34, 0, 0)      # all credit spent, all in flight
    await credit(dut, 34, 34, 0, 34)     # all buffered
    await credit(dut, 34, 34, 34, 0)     # all freed, credit on its way back
    await credit(dut, 34, 68, 34, 0)     # back at the sender
    await credit(dut, 4090, 4124 % 4096, 4090, 0)  # the 12-bit counters wrap
    await credit(dut, 4100 % 4096, 4124 % 4096, 4090, 5, vc=2)
    await step(dut, en_i=0)
    await credit(dut, 40, 34, 0, 0)      # an endpoint ignoring credit on purpose: not checked
    await cycles(dut, 2)


@cocotb.test()
async def break_CreditHeldBound(dut):
    await start(dut, CREDIT_IN, en_i=1, limit_i=pack([34] * 4, 12))
    await credit(dut, 30, 34, 2, 10)
    await credit(dut, 36, 34, 2, 10)  # sent beyond the limit
    await cycles(dut, 2)


@cocotb.test()
async def break_CreditInFlightBound(dut):
    await start(dut, CREDIT_IN, en_i=1, limit_i=pack([34] * 4, 12))
    await credit(dut, 0, 34, 0, 5, vc=1)  # buffered flits nobody sent
    await cycles(dut, 2)


@cocotb.test()
async def break_CreditReturnBound(dut):
    await start(dut, CREDIT_IN, en_i=1, limit_i=pack([34] * 4, 12))
    await credit(dut, 6, 34, 0, 6, vc=3)
    await credit(dut, 6, 40, 0, 6, vc=3)  # a limit the receiver never advertised
    await cycles(dut, 2)
