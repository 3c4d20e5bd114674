#include "ncv/nhi/nhi.h"

#include <algorithm>
#include <cstring>

#include "ncv/nhi/nhi_proto.h"
#include "nhi_bar0_regs.h"
#include "nhi_dev_regs.h"

namespace ncv::nhi {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {
uint16_t rd16(const uint8_t *p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
uint32_t rd32(const uint8_t *p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t rd64(const uint8_t *p) {
  return rd32(p) | (static_cast<uint64_t>(rd32(p + 4)) << 32);
}
void wr16(uint8_t *p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void wr64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t lohi(uint32_t lo, uint32_t hi) {
  return lo | (static_cast<uint64_t>(hi) << 32);
}
}  // namespace

Nhi::Nhi(sc_core::sc_module_name name, uint32_t version)
    : Nhi(name, [version] {
        NhiParams p;
        p.version = version;
        return p;
      }()) {}

Nhi::Nhi(sc_core::sc_module_name name, const NhiParams &p)
    : sc_module(name), host_dma("host_dma"), dev_dma("dev_dma"), p_(p), fw_irq_("fw_irq") {
  if (p_.io_queue_pairs < 1 || p_.io_queue_pairs + 1 > NHI_BAR0_DB_SQ_TAIL_COUNT)
    throw std::invalid_argument("Nhi: io_queue_pairs must be 1..63");
  if (p_.max_depth_log2 < 1 || p_.max_depth_log2 > 15) throw std::invalid_argument("Nhi: max_depth_log2 must be 1..15");
  sq_.resize(p_.io_queue_pairs + 1);
  cq_.resize(p_.io_queue_pairs + 1);
  msix_.resize(msix_vectors());
  pba_.assign((msix_vectors() + 31) / 32, 0);
  telemetry_.assign(NHI_DEV_TELEMETRY_COUNT, 0);
  bar0_ = new Bar0("bar0", *this);
  bar2_ = new Bar2("bar2", *this);
  dev_ = new Dev("dev", *this);
  SC_HAS_PROCESS(Nhi);
  SC_THREAD(fetch_thread);
  SC_THREAD(writer_thread);
  SC_THREAD(reset_thread);
  SC_THREAD(dma_thread);
  SC_THREAD(irq_thread);
}

Nhi::Bar0 &Nhi::bar0() {
  return *bar0_;
}
Nhi::Bar2 &Nhi::bar2() {
  return *bar2_;
}
Nhi::Dev &Nhi::dev() {
  return *dev_;
}

uint32_t Nhi::host_dev_sts() const {
  uint32_t v = fw_sts_ & NHI_BAR0_DEV_STS_FW_ALIVE_MASK;
  const bool fatal = fatal_ || (fw_sts_ & NHI_DEV_DEV_STS_FATAL_MASK);
  if (fatal) v |= NHI_BAR0_DEV_STS_FATAL_MASK;
  if (reset_busy_) v |= NHI_BAR0_DEV_STS_RESET_IN_PROGRESS_MASK;
  if (!reset_busy_ && !fatal && (fw_sts_ & NHI_DEV_DEV_STS_READY_MASK)) v |= NHI_BAR0_DEV_STS_READY_MASK;
  return v;
}

// ---- DMA and MSI-X ----------------------------------------------------------------------

bool Nhi::dma(tlm_utils::simple_initiator_socket_optional<Nhi> &s, tlm::tlm_command cmd, uint64_t addr, uint8_t *data,
              unsigned len) {
  if (s.size() == 0) return false;
  if (&s == &host_dma && p_.dma_bits < 64 && ((addr + len - 1) >> p_.dma_bits) != 0) return false;
  tlm::tlm_generic_payload gp;
  sc_time d = SC_ZERO_TIME;
  gp.set_command(cmd);
  gp.set_address(addr);
  gp.set_data_ptr(data);
  gp.set_data_length(len);
  gp.set_streaming_width(len);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  s->b_transport(gp, d);
  wait(d + p_.dma_word_time * ((len + 7) / 8));
  return gp.is_response_ok();
}

void Nhi::msix_fire(unsigned v) {
  if (v >= msix_.size()) return;
  if (msix_[v].ctl & NHI_MSIX_CTL_MASK) {
    pba_[v / 32] |= 1u << (v % 32);
    ++stats_.msix_pended;
    return;
  }
  msix_send(v);
}

void Nhi::msix_send(unsigned v) {
  uint32_t data = msix_[v].data;
  uint8_t b[4];
  std::memcpy(b, &data, 4);
  ++stats_.msix_sent;
  dma(host_dma, tlm::TLM_WRITE_COMMAND, lohi(msix_[v].addr_lo, msix_[v].addr_hi), b, 4);
}

// ---- Completions and events -------------------------------------------------------------

void Nhi::complete(uint16_t sq, uint16_t cid, uint16_t status, uint64_t result) {
  cpls_.push_back(Cpl{sq, cid, status, result});
  writer_ev_.notify(SC_ZERO_TIME);
}

void Nhi::evt_post(uint16_t type, uint16_t info, uint64_t data) {
  evts_.push_back(Evt{type, info, data});
  writer_ev_.notify(SC_ZERO_TIME);
}

// The only writer of CQ and EQ rings: body first, then the status/phase half-word, then
// the interrupt. A completion whose CQ is full waits for a CQ head doorbell.
void Nhi::writer_thread() {
  for (;;) {
    if (!msix_q_.empty()) {
      const unsigned v = msix_q_.front();
      msix_q_.pop_front();
      msix_send(v);
      continue;
    }
    if (!cpls_.empty()) {
      const Cpl c = cpls_.front();
      Queue &sq = sq_[c.sq];
      Queue &cq = cq_[sq.cq];
      if (!cq.live) {  // its CQ was deleted
        ++stats_.dropped_completions;
        cpls_.pop_front();
        continue;
      }
      if ((cq.tail + 1) % cq.depth == cq.head) {
        wait(space_ev_ | reset_ev_);
        continue;
      }
      cpls_.pop_front();
      const uint64_t at = cq.base + static_cast<uint64_t>(cq.tail) * NHI_CQE_BYTES;
      const bool phase = cq.phase;
      const uint16_t vec = cq.vector;
      if (++cq.tail == cq.depth) {
        cq.tail = 0;
        cq.phase = !cq.phase;
      }
      uint8_t e[NHI_CQE_BYTES] = {};
      wr64(e, c.result);
      wr16(e + 8, static_cast<uint16_t>(sq.head));
      wr16(e + 10, c.sq);
      wr16(e + 12, c.cid);
      wr16(e + 14, static_cast<uint16_t>((c.status & 0x7FFF) | (phase ? 0x8000 : 0)));
      dma(host_dma, tlm::TLM_WRITE_COMMAND, at, e, 14);
      dma(host_dma, tlm::TLM_WRITE_COMMAND, at + 14, e + 14, 2);
      ++stats_.completed;
      if (c.status == NHI_STS_ABORTED) ++stats_.aborted;
      msix_fire(vec);
      continue;
    }
    if (!evts_.empty()) {
      const Evt ev = evts_.front();
      evts_.pop_front();
      if (!eq_.live || (eq_.tail + 1) % eq_.depth == eq_.head) {
        ++stats_.events_dropped;
        continue;
      }
      const uint64_t at = eq_.base + static_cast<uint64_t>(eq_.tail) * NHI_EQE_BYTES;
      const bool phase = eq_.phase;
      if (++eq_.tail == eq_.depth) {
        eq_.tail = 0;
        eq_.phase = !eq_.phase;
      }
      uint8_t e[NHI_EQE_BYTES] = {};
      wr64(e, ev.data);
      wr16(e + 8, ev.type);
      wr16(e + 10, ev.info);
      wr16(e + 12, eq_seq_++);
      wr16(e + 14, phase ? 0x8000 : 0);
      dma(host_dma, tlm::TLM_WRITE_COMMAND, at, e, 14);
      dma(host_dma, tlm::TLM_WRITE_COMMAND, at + 14, e + 14, 2);
      ++stats_.events;
      msix_fire(0);
      continue;
    }
    wait(writer_ev_);
  }
}

// ---- Submission fetch -------------------------------------------------------------------

void Nhi::fetch_thread() {
  unsigned rr = 0;
  for (;;) {
    int pick = -1;
    if (enabled_ && !reset_busy_ && inflight_.size() < p_.max_inflight) {
      for (unsigned i = 0; i < sq_.size(); ++i) {
        const unsigned q = (rr + i) % sq_.size();
        if (sq_[q].live && sq_[q].head != sq_[q].tail) {
          pick = static_cast<int>(q);
          break;
        }
      }
    }
    if (pick < 0) {
      wait(fetch_ev_);
      continue;
    }
    const uint16_t q = static_cast<uint16_t>(pick);
    rr = q + 1;
    Queue &sq = sq_[q];
    const uint64_t at = sq.base + static_cast<uint64_t>(sq.head) * NHI_SQE_BYTES;
    const uint64_t base = sq.base;
    Cmd c;
    c.sq = q;
    const bool ok = dma(host_dma, tlm::TLM_READ_COMMAND, at, c.sqe, NHI_SQE_BYTES);
    // A reset or a delete during the fetch voids it.
    if (reset_busy_ || !enabled_ || !sq.live || sq.base != base) continue;
    sq.head = (sq.head + 1) % sq.depth;
    if (!ok) {
      evt_post(NHI_EVT_FETCH_ERROR, q, at);
      continue;
    }
    ++stats_.fetched;
    c.cid = rd16(c.sqe + 2);
    const uint8_t op = c.sqe[0];
    if (q == 0 && op >= NHI_OP_CREATE_IO_CQ && op <= NHI_OP_DELETE_IO_CQ) {
      admin_local(c);
      continue;
    }
    c.tag = next_tag_;
    next_tag_ = next_tag_ + 1 >= NHI_DEV_NO_CMD ? 1 : next_tag_ + 1;
    inflight_[c.tag] = c;
    mailbox_.push_back(c.tag);
    irq_sts_ |= NHI_DEV_IRQ_STS_CMD_MASK;
    update_irq();
  }
}

void Nhi::admin_local(const Cmd &c) {
  const uint8_t op = c.sqe[0];
  const uint64_t addr = rd64(c.sqe + 8);
  const uint32_t qid = rd32(c.sqe + 20), depth = rd32(c.sqe + 24), arg = rd32(c.sqe + 28);
  const bool qid_ok = qid >= 1 && qid <= p_.io_queue_pairs;
  uint16_t st = NHI_STS_SUCCESS;
  switch (op) {
    case NHI_OP_CREATE_IO_CQ:
      if (!qid_ok || cq_[qid].live || !valid_depth(depth) || arg >= msix_vectors() || (addr % NHI_CQE_BYTES))
        st = NHI_STS_QUEUE_ERROR;
      else
        cq_[qid] = Queue{true, addr, depth, 0, 0, 0, static_cast<uint16_t>(arg), true, 0};
      break;
    case NHI_OP_CREATE_IO_SQ:
      if (!qid_ok || sq_[qid].live || !valid_depth(depth) || arg < 1 || arg > p_.io_queue_pairs || !cq_[arg].live ||
          (addr % NHI_SQE_BYTES))
        st = NHI_STS_QUEUE_ERROR;
      else {
        sq_[qid] = Queue{true, addr, depth, 0, 0, static_cast<uint16_t>(arg), 0, true, 0};
        ++cq_[arg].sqs;
      }
      break;
    case NHI_OP_DELETE_IO_SQ:
      if (!qid_ok || !sq_[qid].live)
        st = NHI_STS_QUEUE_ERROR;
      else {
        abort_all(static_cast<int>(qid));
        abort_unfetched(static_cast<uint16_t>(qid));
        --cq_[sq_[qid].cq].sqs;
        sq_[qid].live = false;
      }
      break;
    case NHI_OP_DELETE_IO_CQ:
      if (!qid_ok || !cq_[qid].live || cq_[qid].sqs != 0)
        st = NHI_STS_QUEUE_ERROR;
      else
        cq_[qid].live = false;
      break;
    default: st = NHI_STS_INVALID_OPCODE; break;
  }
  complete(0, c.cid, st, 0);
}

// Completes every in-flight command (of one SQ, or all) with ABORTED.
void Nhi::abort_all(int only_sq) {
  for (auto it = inflight_.begin(); it != inflight_.end();) {
    if (only_sq >= 0 && it->second.sq != only_sq) {
      ++it;
      continue;
    }
    complete(it->second.sq, it->second.cid, NHI_STS_ABORTED, 0);
    mailbox_.erase(std::remove(mailbox_.begin(), mailbox_.end(), it->first), mailbox_.end());
    it = inflight_.erase(it);
  }
  fetch_ev_.notify(SC_ZERO_TIME);
}

// Fetches the entries between an SQ's head and tail only to complete them ABORTED.
void Nhi::abort_unfetched(uint16_t q) {
  Queue &sq = sq_[q];
  while (sq.live && sq.head != sq.tail) {
    uint8_t e[NHI_SQE_BYTES];
    const bool ok = dma(host_dma, tlm::TLM_READ_COMMAND, sq.base + uint64_t{sq.head} * NHI_SQE_BYTES, e, sizeof e);
    sq.head = (sq.head + 1) % sq.depth;
    if (ok) complete(q, rd16(e + 2), NHI_STS_ABORTED, 0);
  }
}

// ---- Reset ------------------------------------------------------------------------------

void Nhi::reset_thread() {
  for (;;) {
    wait(reset_ev_);
    const sc_time until = sc_core::sc_time_stamp() + p_.reset_time;
    abort_all(-1);
    // Submissions not fetched yet are in flight too: fetch them only to abort them.
    for (uint16_t q = 0; q < sq_.size(); ++q) abort_unfetched(q);
    irq_sts_ |= NHI_DEV_IRQ_STS_RESET_MASK;
    update_irq();
    // The aborted completions go out while the queues still exist. Only a CQ the host
    // never frees can stop them; after reset_drain_limit those are dropped (and counted).
    const sc_time drain_end = until + p_.reset_drain_limit;
    while (!cpls_.empty() && sc_core::sc_time_stamp() < drain_end) wait(sc_time(10, SC_NS));
    if (sc_core::sc_time_stamp() < until) wait(until - sc_core::sc_time_stamp());
    stats_.dropped_completions += cpls_.size();
    cpls_.clear();
    evts_.clear();
    for (auto &q : sq_) q = Queue{};
    for (auto &q : cq_) q = Queue{};
    eq_ = Queue{};
    eq_seq_ = 0;
    fatal_ = false;
    enabled_ = false;
    dev_ctl_ = 0;
    reset_busy_ = false;
  }
}

void Nhi::sled_reset() {
  fatal_ = true;
  if (eq_.live) evt_post(NHI_EVT_FATAL, 0, 0);
  abort_all(-1);
  fw_sts_ = 0;
  fw_post_ = 0;
  irq_en_ = 0;
  irq_sts_ = 0;
  dma_sts_ = 0;
  update_irq();
  post_ev_.notify(SC_ZERO_TIME);
}

void Nhi::dev_ctl_write(uint32_t v) {
  if (reset_busy_) return;
  if (v & NHI_BAR0_DEV_CTL_RESET_MASK) {
    reset_busy_ = true;
    enabled_ = false;
    dev_ctl_ = 0;
    reset_ev_.notify(SC_ZERO_TIME);
    return;
  }
  const bool en = v & NHI_BAR0_DEV_CTL_ENABLE_MASK;
  dev_ctl_ = v & NHI_BAR0_DEV_CTL_ENABLE_MASK;
  if (en && !enabled_) enable();
  if (!en) enabled_ = false;
}

void Nhi::enable() {
  const uint32_t asqs = aq_attr_ & 0xFFFF, acqs = aq_attr_ >> 16, eqs = eq_attr_ & 0xFFFF;
  if (!valid_depth(asqs) || !valid_depth(acqs) || !valid_depth(eqs) || asq_base_ % NHI_SQE_BYTES ||
      acq_base_ % NHI_CQE_BYTES || eq_base_ % NHI_EQE_BYTES) {
    fatal_ = true;
    return;
  }
  sq_[0] = Queue{true, asq_base_, asqs, 0, 0, 0, 0, true, 0};
  cq_[0] = Queue{true, acq_base_, acqs, 0, 0, 0, 0, true, 1};
  eq_ = Queue{true, eq_base_, eqs, 0, 0, 0, 0, true, 0};
  enabled_ = true;
  fetch_ev_.notify(SC_ZERO_TIME);
}

// A doorbell beyond the depth or for a missing queue raises DOORBELL_ERROR and changes
// nothing else.
void Nhi::doorbell(uint32_t offset, uint32_t value) {
  const unsigned q = (offset - NHI_BAR0_DB_SQ_TAIL(0)) / 8;
  const bool is_cq = offset & 4;
  Queue *qq = nullptr;
  if (q < sq_.size()) qq = is_cq ? &cq_[q] : &sq_[q];
  if (!qq || !qq->live || value >= qq->depth) {
    ++stats_.doorbell_errors;
    evt_post(NHI_EVT_DOORBELL_ERROR, static_cast<uint16_t>(q), (static_cast<uint64_t>(offset) << 32) | value);
    return;
  }
  if (is_cq) {
    qq->head = value;
    space_ev_.notify(SC_ZERO_TIME);
  } else {
    qq->tail = value;
    fetch_ev_.notify(SC_ZERO_TIME);
  }
}

// ---- Device side ------------------------------------------------------------------------

void Nhi::cpl_post(uint32_t tag) {
  auto it = inflight_.find(tag);
  if (it == inflight_.end()) {
    err_sts_ |= NHI_DEV_ERR_STS_BAD_TAG_MASK;
    ++stats_.bad_tags;
    return;
  }
  const Cmd c = it->second;
  inflight_.erase(it);
  mailbox_.erase(std::remove(mailbox_.begin(), mailbox_.end(), tag), mailbox_.end());
  complete(c.sq, c.cid, static_cast<uint16_t>(cpl_status_ & 0x7FFF), lohi(cpl_res_lo_, cpl_res_hi_));
  fetch_ev_.notify(SC_ZERO_TIME);
}

void Nhi::update_irq() {
  irq_ev_.notify(SC_ZERO_TIME);
}

void Nhi::irq_thread() {
  for (;;) {
    if (!mailbox_.empty()) irq_sts_ |= NHI_DEV_IRQ_STS_CMD_MASK;
    fw_irq_.write((irq_sts_ & irq_en_) != 0);
    wait(irq_ev_);
  }
}

void Nhi::dma_thread() {
  for (;;) {
    wait(dma_ev_);
    const uint64_t host = lohi(dma_host_lo_, dma_host_hi_);
    const bool to_host = dma_dir_ != 0;
    uint32_t done = 0, err = 0;
    uint8_t buf[256];
    while (done < dma_len_ && !err) {
      const unsigned n = std::min<uint32_t>(sizeof buf, dma_len_ - done);
      if (to_host) {
        if (!dma(dev_dma, tlm::TLM_READ_COMMAND, dma_dev_ + done, buf, n))
          err = NHI_DEV_DMA_STS_ERR_DEV_MASK;
        else if (!dma(host_dma, tlm::TLM_WRITE_COMMAND, host + done, buf, n))
          err = NHI_DEV_DMA_STS_ERR_HOST_MASK;
      } else {
        if (!dma(host_dma, tlm::TLM_READ_COMMAND, host + done, buf, n))
          err = NHI_DEV_DMA_STS_ERR_HOST_MASK;
        else if (!dma(dev_dma, tlm::TLM_WRITE_COMMAND, dma_dev_ + done, buf, n))
          err = NHI_DEV_DMA_STS_ERR_DEV_MASK;
      }
      done += n;
    }
    dma_sts_ = NHI_DEV_DMA_STS_DONE_MASK | err;
    irq_sts_ |= NHI_DEV_IRQ_STS_DMA_DONE_MASK;
    update_irq();
  }
}

// ---- BAR0 -------------------------------------------------------------------------------

// A PCIe read round trip is slow; a posted write is not.
Nhi::Bar0::Bar0(sc_core::sc_module_name name, Nhi &nhi) : RegDevice(name, sc_time(200, SC_NS)), n_(nhi) {}

bool Nhi::Bar0::reg_read(uint32_t offset, uint32_t &v) {
  if (offset >= NHI_BAR0_TELEMETRY(0) && offset < NHI_BAR0_TELEMETRY(NHI_BAR0_TELEMETRY_COUNT)) {
    v = (n_.host_dev_sts() & NHI_BAR0_DEV_STS_READY_MASK) ? n_.telemetry_[(offset - NHI_BAR0_TELEMETRY(0)) / 4]
                                                          : 0xDEADBEEFu;
    return true;
  }
  if (offset >= NHI_BAR0_DB_SQ_TAIL(0) && offset < NHI_BAR0_DB_SQ_TAIL(NHI_BAR0_DB_SQ_TAIL_COUNT)) {
    v = 0;  // doorbells are write-only; reads return 0
    return true;
  }
  switch (offset) {
    case NHI_BAR0_ID: v = NHI_BAR0_ID_RESET; return true;
    case NHI_BAR0_VERSION: v = n_.p_.version; return true;
    case NHI_BAR0_CAPS:
      v = (n_.p_.io_queue_pairs << NHI_BAR0_CAPS_IOQ_PAIRS_SHIFT) |
          (n_.p_.max_depth_log2 << NHI_BAR0_CAPS_MQD_LOG2_SHIFT) | (n_.p_.dma_bits << NHI_BAR0_CAPS_DMA_BITS_SHIFT) |
          (n_.msix_vectors() << NHI_BAR0_CAPS_MSIX_VECTORS_SHIFT);
      return true;
    case NHI_BAR0_DEV_CTL: v = n_.dev_ctl_; return true;
    case NHI_BAR0_DEV_STS: v = n_.host_dev_sts(); return true;
    case NHI_BAR0_ASQ_BASE_LO: v = static_cast<uint32_t>(n_.asq_base_); return true;
    case NHI_BAR0_ASQ_BASE_HI: v = static_cast<uint32_t>(n_.asq_base_ >> 32); return true;
    case NHI_BAR0_ACQ_BASE_LO: v = static_cast<uint32_t>(n_.acq_base_); return true;
    case NHI_BAR0_ACQ_BASE_HI: v = static_cast<uint32_t>(n_.acq_base_ >> 32); return true;
    case NHI_BAR0_AQ_ATTR: v = n_.aq_attr_; return true;
    case NHI_BAR0_EQ_BASE_LO: v = static_cast<uint32_t>(n_.eq_base_); return true;
    case NHI_BAR0_EQ_BASE_HI: v = static_cast<uint32_t>(n_.eq_base_ >> 32); return true;
    case NHI_BAR0_EQ_ATTR: v = n_.eq_attr_; return true;
    case NHI_BAR0_EQ_HEAD_DB: v = 0; return true;
    case NHI_BAR0_HEARTBEAT: v = n_.heartbeat_; return true;
    case NHI_BAR0_FW_POST: v = n_.fw_post_; return true;
    default: return false;
  }
}

bool Nhi::Bar0::reg_write(uint32_t offset, uint32_t v) {
  if (offset >= NHI_BAR0_DB_SQ_TAIL(0) && offset < NHI_BAR0_DB_SQ_TAIL(NHI_BAR0_DB_SQ_TAIL_COUNT)) {
    n_.doorbell(offset, v);
    return true;
  }
  auto set_lo = [](uint64_t &r, uint32_t x) { r = (r & ~0xFFFFFFFFull) | x; };
  auto set_hi = [](uint64_t &r, uint32_t x) { r = (r & 0xFFFFFFFFull) | (static_cast<uint64_t>(x) << 32); };
  switch (offset) {
    case NHI_BAR0_DEV_CTL: n_.dev_ctl_write(v); return true;
    case NHI_BAR0_ASQ_BASE_LO: set_lo(n_.asq_base_, v); return true;
    case NHI_BAR0_ASQ_BASE_HI: set_hi(n_.asq_base_, v); return true;
    case NHI_BAR0_ACQ_BASE_LO: set_lo(n_.acq_base_, v); return true;
    case NHI_BAR0_ACQ_BASE_HI: set_hi(n_.acq_base_, v); return true;
    case NHI_BAR0_AQ_ATTR: n_.aq_attr_ = v; return true;
    case NHI_BAR0_EQ_BASE_LO: set_lo(n_.eq_base_, v); return true;
    case NHI_BAR0_EQ_BASE_HI: set_hi(n_.eq_base_, v); return true;
    case NHI_BAR0_EQ_ATTR: n_.eq_attr_ = v & NHI_BAR0_EQ_ATTR_EQS_MASK; return true;
    case NHI_BAR0_EQ_HEAD_DB:
      if (!n_.eq_.live || v >= n_.eq_.depth) {
        ++n_.stats_.doorbell_errors;
        n_.evt_post(NHI_EVT_DOORBELL_ERROR, 0xFFFF, (static_cast<uint64_t>(offset) << 32) | v);
      } else {
        n_.eq_.head = v;
        n_.writer_ev_.notify(SC_ZERO_TIME);
      }
      return true;
    default: return false;  // read-only or unmapped
  }
}

// ---- BAR2: MSI-X ------------------------------------------------------------------------

Nhi::Bar2::Bar2(sc_core::sc_module_name name, Nhi &nhi) : sc_module(name), tsock("tsock"), n_(nhi) {
  tsock.register_b_transport(this, &Bar2::b_transport);
}

void Nhi::Bar2::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
  delay += sc_time(200, SC_NS);
  const uint64_t addr = gp.get_address();
  if (gp.get_data_length() != 4 || (addr & 3) || gp.get_byte_enable_ptr() || gp.get_streaming_width() < 4 ||
      addr >= NHI_BAR2_SIZE) {
    gp.set_response_status(addr >= NHI_BAR2_SIZE ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  uint32_t v = 0;
  bool ok = true;
  if (gp.is_read()) {
    ok = reg_read(static_cast<uint32_t>(addr), v);
    if (ok) std::memcpy(gp.get_data_ptr(), &v, 4);
  } else if (gp.is_write()) {
    std::memcpy(&v, gp.get_data_ptr(), 4);
    ok = reg_write(static_cast<uint32_t>(addr), v);
  }
  gp.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

bool Nhi::Bar2::reg_read(uint32_t offset, uint32_t &v) {
  const unsigned nv = n_.msix_vectors();
  if (offset < nv * NHI_MSIX_ENTRY_BYTES) {
    const MsixEntry &e = n_.msix_[offset / NHI_MSIX_ENTRY_BYTES];
    const uint32_t f = offset % NHI_MSIX_ENTRY_BYTES;
    v = f == NHI_MSIX_ADDR_LO ? e.addr_lo : f == NHI_MSIX_ADDR_HI ? e.addr_hi : f == NHI_MSIX_DATA ? e.data : e.ctl;
    return true;
  }
  if (offset >= NHI_MSIX_PBA && offset < NHI_MSIX_PBA + 4 * n_.pba_.size()) {
    v = n_.pba_[(offset - NHI_MSIX_PBA) / 4];
    return true;
  }
  return false;
}

bool Nhi::Bar2::reg_write(uint32_t offset, uint32_t v) {
  const unsigned nv = n_.msix_vectors();
  if (offset >= nv * NHI_MSIX_ENTRY_BYTES) return false;  // PBA is read only
  const unsigned vec = offset / NHI_MSIX_ENTRY_BYTES;
  MsixEntry &e = n_.msix_[vec];
  switch (offset % NHI_MSIX_ENTRY_BYTES) {
    case NHI_MSIX_ADDR_LO: e.addr_lo = v; break;
    case NHI_MSIX_ADDR_HI: e.addr_hi = v; break;
    case NHI_MSIX_DATA: e.data = v; break;
    default:
      e.ctl = v & NHI_MSIX_CTL_MASK;
      // Unmasking a vector with its pending bit set sends the message now.
      if (!(e.ctl & NHI_MSIX_CTL_MASK) && (n_.pba_[vec / 32] & (1u << (vec % 32)))) {
        n_.pba_[vec / 32] &= ~(1u << (vec % 32));
        n_.msix_q_.push_back(vec);
        n_.writer_ev_.notify(SC_ZERO_TIME);
      }
      break;
  }
  return true;
}

// ---- Device-side registers --------------------------------------------------------------

Nhi::Dev::Dev(sc_core::sc_module_name name, Nhi &nhi) : RegDevice(name, sc_time(10, SC_NS)), n_(nhi) {}

bool Nhi::Dev::reg_read(uint32_t offset, uint32_t &v) {
  if (offset >= NHI_DEV_CMD_DW(0) && offset < NHI_DEV_CMD_DW(NHI_DEV_CMD_DW_COUNT)) {
    v = rd32(n_.cmd_sqe_ + (offset - NHI_DEV_CMD_DW(0)));
    return true;
  }
  if (offset >= NHI_DEV_TELEMETRY(0) && offset < NHI_DEV_TELEMETRY(NHI_DEV_TELEMETRY_COUNT)) {
    v = n_.telemetry_[(offset - NHI_DEV_TELEMETRY(0)) / 4];
    return true;
  }
  switch (offset) {
    case NHI_DEV_ID: v = NHI_DEV_ID_RESET; return true;
    case NHI_DEV_FW_POST: v = n_.fw_post_; return true;
    case NHI_DEV_DEV_STS: v = n_.fw_sts_; return true;
    case NHI_DEV_HEARTBEAT: v = n_.heartbeat_; return true;
    case NHI_DEV_IRQ_STS: v = n_.irq_sts_; return true;
    case NHI_DEV_IRQ_EN: v = n_.irq_en_; return true;
    case NHI_DEV_CMD_COUNT: v = static_cast<uint32_t>(n_.mailbox_.size()); return true;
    case NHI_DEV_CMD_POP:
      if (n_.mailbox_.empty()) {
        v = NHI_DEV_NO_CMD;
      } else {
        v = n_.mailbox_.front();
        n_.mailbox_.pop_front();
        Cmd &c = n_.inflight_.at(v);
        c.popped = true;
        n_.cmd_sq_ = c.sq;
        std::memcpy(n_.cmd_sqe_, c.sqe, sizeof n_.cmd_sqe_);
      }
      return true;
    case NHI_DEV_CMD_SQ: v = n_.cmd_sq_; return true;
    case NHI_DEV_CPL_RESULT_LO: v = n_.cpl_res_lo_; return true;
    case NHI_DEV_CPL_RESULT_HI: v = n_.cpl_res_hi_; return true;
    case NHI_DEV_CPL_STATUS: v = n_.cpl_status_; return true;
    case NHI_DEV_ERR_STS: v = n_.err_sts_; return true;
    case NHI_DEV_BAD_TAG_COUNT: v = static_cast<uint32_t>(n_.stats_.bad_tags); return true;
    case NHI_DEV_EVT_INFO: v = n_.evt_info_; return true;
    case NHI_DEV_EVT_DATA_LO: v = n_.evt_lo_; return true;
    case NHI_DEV_EVT_DATA_HI: v = n_.evt_hi_; return true;
    case NHI_DEV_DMA_HOST_LO: v = n_.dma_host_lo_; return true;
    case NHI_DEV_DMA_HOST_HI: v = n_.dma_host_hi_; return true;
    case NHI_DEV_DMA_DEV: v = n_.dma_dev_; return true;
    case NHI_DEV_DMA_LEN: v = n_.dma_len_; return true;
    case NHI_DEV_DMA_CTL: v = n_.dma_dir_ << NHI_DEV_DMA_CTL_DIR_SHIFT; return true;
    case NHI_DEV_DMA_STS: v = n_.dma_sts_; return true;
    default: return false;
  }
}

bool Nhi::Dev::reg_write(uint32_t offset, uint32_t v) {
  if (offset >= NHI_DEV_TELEMETRY(0) && offset < NHI_DEV_TELEMETRY(NHI_DEV_TELEMETRY_COUNT)) {
    n_.telemetry_[(offset - NHI_DEV_TELEMETRY(0)) / 4] = v;
    return true;
  }
  switch (offset) {
    case NHI_DEV_FW_POST:
      n_.fw_post_ = v;
      n_.post_hist_.push_back(v);
      n_.post_ev_.notify(SC_ZERO_TIME);
      return true;
    case NHI_DEV_DEV_STS:
      n_.fw_sts_ = v & (NHI_DEV_DEV_STS_READY_MASK | NHI_DEV_DEV_STS_FATAL_MASK | NHI_DEV_DEV_STS_FW_ALIVE_MASK);
      return true;
    case NHI_DEV_HEARTBEAT: n_.heartbeat_ = v; return true;
    case NHI_DEV_IRQ_STS:
      n_.irq_sts_ &= ~v;
      n_.update_irq();
      return true;
    case NHI_DEV_IRQ_EN:
      n_.irq_en_ = v & (NHI_DEV_IRQ_EN_CMD_MASK | NHI_DEV_IRQ_EN_RESET_MASK | NHI_DEV_IRQ_EN_DMA_DONE_MASK);
      n_.update_irq();
      return true;
    case NHI_DEV_CPL_RESULT_LO: n_.cpl_res_lo_ = v; return true;
    case NHI_DEV_CPL_RESULT_HI: n_.cpl_res_hi_ = v; return true;
    case NHI_DEV_CPL_STATUS: n_.cpl_status_ = v & NHI_DEV_CPL_STATUS_STATUS_MASK; return true;
    case NHI_DEV_CPL_TAG: n_.cpl_post(v); return true;
    case NHI_DEV_ERR_STS: n_.err_sts_ &= ~v; return true;
    case NHI_DEV_EVT_INFO: n_.evt_info_ = v & NHI_DEV_EVT_INFO_INFO_MASK; return true;
    case NHI_DEV_EVT_DATA_LO: n_.evt_lo_ = v; return true;
    case NHI_DEV_EVT_DATA_HI: n_.evt_hi_ = v; return true;
    case NHI_DEV_EVT_POST:
      n_.evt_post(static_cast<uint16_t>(v), static_cast<uint16_t>(n_.evt_info_), lohi(n_.evt_lo_, n_.evt_hi_));
      return true;
    case NHI_DEV_DMA_HOST_LO: n_.dma_host_lo_ = v; return true;
    case NHI_DEV_DMA_HOST_HI: n_.dma_host_hi_ = v; return true;
    case NHI_DEV_DMA_DEV: n_.dma_dev_ = v; return true;
    case NHI_DEV_DMA_LEN: n_.dma_len_ = v; return true;
    case NHI_DEV_DMA_CTL:
      n_.dma_dir_ = (v & NHI_DEV_DMA_CTL_DIR_MASK) ? 1 : 0;
      if (v & NHI_DEV_DMA_CTL_START_MASK) {
        if (n_.dma_sts_ & NHI_DEV_DMA_STS_BUSY_MASK) {
          n_.err_sts_ |= NHI_DEV_ERR_STS_DMA_BUSY_MASK;
        } else {
          n_.dma_sts_ = NHI_DEV_DMA_STS_BUSY_MASK;
          n_.dma_ev_.notify(SC_ZERO_TIME);
        }
      }
      return true;
    default: return false;
  }
}

}  // namespace ncv::nhi
