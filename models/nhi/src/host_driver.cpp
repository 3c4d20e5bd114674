#include "ncv/nhi/host_driver.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "ncv/nhi/nhi_proto.h"
#include "ncv/sc/word_access.h"
#include "nhi_bar0_regs.h"

namespace ncv::nhi {

using sc_core::sc_time;
using sc_core::sc_time_stamp;

namespace {
std::string hex(uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}
}  // namespace

HostDriver::HostDriver(sc_core::sc_module_name name, HostMemory &mem, const DriverOptions &opt)
    : sc_module(name), bar0("bar0"), bar2("bar2"), mem_(mem), opt_(opt) {}

void HostDriver::error(const std::string &m) {
  errors_.push_back(std::string(name()) + ": " + m);
}

uint32_t HostDriver::access(tlm_utils::simple_initiator_socket<HostDriver> &s, tlm::tlm_command cmd, uint32_t off,
                            uint32_t v) {
  const tlm::tlm_response_status st = ncv::sc::word_access(s, cmd, off, v);
  if (st != tlm::TLM_OK_RESPONSE)
    error(std::string(cmd == tlm::TLM_READ_COMMAND ? "read" : "write") + " of " + (&s == &bar0 ? "BAR0" : "BAR2") +
          " offset " + hex(off) + " failed");
  return v;
}

uint32_t HostDriver::rd0(uint32_t off) {
  return access(bar0, tlm::TLM_READ_COMMAND, off, 0);
}
void HostDriver::wr0(uint32_t off, uint32_t v) {
  access(bar0, tlm::TLM_WRITE_COMMAND, off, v);
}
uint32_t HostDriver::rd2(uint32_t off) {
  return access(bar2, tlm::TLM_READ_COMMAND, off, 0);
}
void HostDriver::wr2(uint32_t off, uint32_t v) {
  access(bar2, tlm::TLM_WRITE_COMMAND, off, v);
}

uint64_t HostDriver::ring(uint32_t bytes, const std::string &what) {
  return mem_.alloc(bytes, 4096, what);
}

void HostDriver::program_vector(uint16_t v) {
  const uint32_t e = v * NHI_MSIX_ENTRY_BYTES;
  wr2(e + NHI_MSIX_ADDR_LO, static_cast<uint32_t>(HostMemory::kMsiBase));
  wr2(e + NHI_MSIX_ADDR_HI, static_cast<uint32_t>(HostMemory::kMsiBase >> 32));
  wr2(e + NHI_MSIX_DATA, v);
  wr2(e + NHI_MSIX_CTL, 0);
}

void HostDriver::mask_vector(uint16_t v, bool masked) {
  wr2(v * NHI_MSIX_ENTRY_BYTES + NHI_MSIX_CTL, masked ? NHI_MSIX_CTL_MASK : 0);
}

uint32_t HostDriver::pba(uint16_t v) {
  return (rd2(NHI_MSIX_PBA + 4u * (v / 32)) >> (v % 32)) & 1u;
}

bool HostDriver::reset(sc_time timeout) {
  const sc_time deadline = sc_time_stamp() + timeout;
  wr0(NHI_BAR0_DEV_CTL, NHI_BAR0_DEV_CTL_RESET_MASK);
  bool ok = false;
  for (;;) {
    for (auto &kv : q_) poll(kv.first);
    if (!(rd0(NHI_BAR0_DEV_STS) & NHI_BAR0_DEV_STS_RESET_IN_PROGRESS_MASK)) {
      ok = true;
      break;
    }
    if (sc_time_stamp() >= deadline) break;
    wait(opt_.poll);
  }
  // Completions written just before the queues went away (no doorbell: they are gone).
  for (auto &kv : q_) poll_q(kv.first, false);
  if (!ok) error("reset: DEV_STS.RESET_IN_PROGRESS still set after " + timeout.to_string());
  for (auto &kv : outstanding_) {
    if (!kv.second.empty())
      error("reset: " + std::to_string(kv.second.size()) + " command(s) of queue " + std::to_string(kv.first) +
            " got no completion (first cid " + std::to_string(*kv.second.begin()) + ")");
    kv.second.clear();
  }
  q_.clear();
  eq_ = Ring{};
  eq_seq_ = 0;
  return ok;
}

bool HostDriver::bring_up(sc_time timeout) {
  const sc_time deadline = sc_time_stamp() + timeout;
  dead_ = false;
  if (!reset(timeout)) return false;
  Pair a;
  a.sq = Ring{true, ring(opt_.admin_depth * NHI_SQE_BYTES, "admin SQ"), opt_.admin_depth, 0, 0, true};
  a.cq = Ring{true, ring(opt_.admin_depth * NHI_CQE_BYTES, "admin CQ"), opt_.admin_depth, 0, 0, true};
  Ring eq{true, ring(opt_.event_depth * NHI_EQE_BYTES, "event queue"), opt_.event_depth, 0, 0, true};
  mem_.watch_ring(a.cq.base, a.cq.depth, "admin CQ");
  mem_.watch_ring(eq.base, eq.depth, "event queue");
  wr0(NHI_BAR0_ASQ_BASE_LO, static_cast<uint32_t>(a.sq.base));
  wr0(NHI_BAR0_ASQ_BASE_HI, static_cast<uint32_t>(a.sq.base >> 32));
  wr0(NHI_BAR0_ACQ_BASE_LO, static_cast<uint32_t>(a.cq.base));
  wr0(NHI_BAR0_ACQ_BASE_HI, static_cast<uint32_t>(a.cq.base >> 32));
  wr0(NHI_BAR0_AQ_ATTR, opt_.admin_depth | (opt_.admin_depth << 16));
  wr0(NHI_BAR0_EQ_BASE_LO, static_cast<uint32_t>(eq.base));
  wr0(NHI_BAR0_EQ_BASE_HI, static_cast<uint32_t>(eq.base >> 32));
  wr0(NHI_BAR0_EQ_ATTR, opt_.event_depth);
  program_vector(0);
  wr0(NHI_BAR0_DEV_CTL, NHI_BAR0_DEV_CTL_ENABLE_MASK);
  q_[0] = a;
  eq_ = eq;
  for (;;) {
    const uint32_t sts = rd0(NHI_BAR0_DEV_STS);
    if (sts & NHI_BAR0_DEV_STS_READY_MASK) return true;
    if (sts & NHI_BAR0_DEV_STS_FATAL_MASK) {
      error("bring_up: DEV_STS.FATAL set (DEV_STS=" + hex(sts) + ")");
      return false;
    }
    if (sc_time_stamp() >= deadline) {
      error("bring_up: DEV_STS.READY not set within " + timeout.to_string() + " (DEV_STS=" + hex(sts) + ")");
      return false;
    }
    wait(opt_.poll);
  }
}

int HostDriver::admin(const Command &c, sc_time timeout, Completion *out) {
  const int cid = submit(0, c);
  if (cid < 0) return -1;
  Completion cpl;
  if (!wait_completion(0, static_cast<uint16_t>(cid), timeout, &cpl)) return -1;
  if (out) *out = cpl;
  return cpl.status;
}

bool HostDriver::create_io_queue_pair(uint16_t qid, uint32_t depth, sc_time timeout) {
  if (qid == 0 || q_.count(qid)) {
    error("create_io_queue_pair: queue " + std::to_string(qid) + " is the admin queue or exists");
    return false;
  }
  Pair p;
  p.sq = Ring{true, ring(depth * NHI_SQE_BYTES, "IO SQ " + std::to_string(qid)), depth, 0, 0, true};
  p.cq = Ring{true, ring(depth * NHI_CQE_BYTES, "IO CQ " + std::to_string(qid)), depth, 0, 0, true};
  mem_.watch_ring(p.cq.base, depth, "IO CQ " + std::to_string(qid));
  program_vector(qid);
  Command c;
  c.opcode = NHI_OP_CREATE_IO_CQ;
  c.addr = p.cq.base;
  c.cdw[0] = qid;
  c.cdw[1] = depth;
  c.cdw[2] = qid;
  int st = admin(c, timeout);
  if (st != NHI_STS_SUCCESS) {
    error("create_io_queue_pair: CREATE_IO_CQ " + std::to_string(qid) + " status " + std::to_string(st));
    return false;
  }
  c.opcode = NHI_OP_CREATE_IO_SQ;
  c.addr = p.sq.base;
  st = admin(c, timeout);
  if (st != NHI_STS_SUCCESS) {
    error("create_io_queue_pair: CREATE_IO_SQ " + std::to_string(qid) + " status " + std::to_string(st));
    return false;
  }
  q_[qid] = p;
  return true;
}

bool HostDriver::delete_io_queue_pair(uint16_t qid, sc_time timeout) {
  Command c;
  c.opcode = NHI_OP_DELETE_IO_SQ;
  c.cdw[0] = qid;
  int st = admin(c, timeout);
  poll(qid);  // the SQ's aborted commands
  c.opcode = NHI_OP_DELETE_IO_CQ;
  const int st2 = admin(c, timeout);
  if (st != NHI_STS_SUCCESS || st2 != NHI_STS_SUCCESS) {
    error("delete_io_queue_pair " + std::to_string(qid) + ": status " + std::to_string(st) + "/" + std::to_string(st2));
    return false;
  }
  q_.erase(qid);
  return true;
}

int HostDriver::submit(uint16_t qid, const Command &c, int cid) {
  auto it = q_.find(qid);
  if (it == q_.end()) {
    error("submit: queue " + std::to_string(qid) + " does not exist");
    return -1;
  }
  Ring &sq = it->second.sq;
  if ((sq.tail + 1) % sq.depth == sq.head) {
    error("submit: SQ " + std::to_string(qid) + " is full");
    return -1;
  }
  auto &out = outstanding_[qid];
  if (cid < 0) {
    uint16_t &n = next_cid_[qid];
    while (out.count(n)) ++n;
    cid = n++;
  } else if (out.count(static_cast<uint16_t>(cid))) {
    error("submit: cid " + std::to_string(cid) + " already outstanding on queue " + std::to_string(qid));
    return -1;
  }
  uint8_t e[NHI_SQE_BYTES] = {};
  e[0] = c.opcode;
  e[1] = c.flags;
  const uint16_t cid16 = static_cast<uint16_t>(cid);
  std::memcpy(e + 2, &cid16, 2);
  std::memcpy(e + 4, &c.nsid, 4);
  std::memcpy(e + 8, &c.addr, 8);
  std::memcpy(e + 16, &c.len, 4);
  std::memcpy(e + 20, c.cdw, sizeof c.cdw);
  mem_.write(sq.base + static_cast<uint64_t>(sq.tail) * NHI_SQE_BYTES, e, sizeof e);
  sq.tail = (sq.tail + 1) % sq.depth;
  out.insert(cid16);
  ring_sq(qid, sq.tail);
  return cid;
}

size_t HostDriver::poll(uint16_t qid) {
  return poll_q(qid, true);
}

size_t HostDriver::poll_q(uint16_t qid, bool doorbell) {
  auto it = q_.find(qid);
  if (it == q_.end()) return 0;
  Pair &p = it->second;
  size_t n = 0;
  for (;;) {
    uint8_t e[NHI_CQE_BYTES];
    if (!mem_.read(p.cq.base + static_cast<uint64_t>(p.cq.head) * NHI_CQE_BYTES, e, sizeof e)) break;
    const bool phase = e[15] & 0x80;
    if (phase != p.cq.phase) break;
    Completion c;
    std::memcpy(&c.result, e, 8);
    std::memcpy(&c.sq_head, e + 8, 2);
    std::memcpy(&c.sq_id, e + 10, 2);
    std::memcpy(&c.cid, e + 12, 2);
    c.status = static_cast<uint16_t>((e[14] | (e[15] << 8)) & 0x7FFF);
    c.phase = phase;
    const std::string where = "CQ " + std::to_string(qid) + " entry " + std::to_string(p.cq.head) + ": ";
    if (c.sq_id != qid) error(where + "sq_id " + std::to_string(c.sq_id) + ", expected " + std::to_string(qid));
    if (c.sq_head >= p.sq.depth)
      error(where + "sq_head " + std::to_string(c.sq_head) + " beyond SQ depth " + std::to_string(p.sq.depth));
    else if (c.sq_id == qid)
      p.sq.head = c.sq_head;
    if (!outstanding_[qid].erase(c.cid))
      error(where + "completion for cid " + std::to_string(c.cid) + " which is not outstanding (duplicate or unknown)");
    done_[qid].push_back(c);
    if (++p.cq.head == p.cq.depth) {
      p.cq.head = 0;
      p.cq.phase = !p.cq.phase;
    }
    ++n;
  }
  if (n && doorbell) ring_cq(qid, p.cq.head);
  return n;
}

bool HostDriver::wait_completion(uint16_t qid, uint16_t cid, sc_time timeout, Completion *out) {
  const sc_time deadline = sc_time_stamp() + timeout;
  for (;;) {
    poll(qid);
    if (!outstanding_[qid].count(cid)) {
      auto &d = done_[qid];
      for (auto r = d.rbegin(); r != d.rend(); ++r)
        if (r->cid == cid) {
          if (out) *out = *r;
          return true;
        }
      error("wait_completion: cid " + std::to_string(cid) + " was never submitted on queue " + std::to_string(qid));
      return false;
    }
    if (sc_time_stamp() >= deadline) {
      error("wait_completion: no completion for cid " + std::to_string(cid) + " on queue " + std::to_string(qid) +
            " within " + timeout.to_string());
      return false;
    }
    const sc_time left = deadline - sc_time_stamp();
    wait(std::min(left, opt_.poll), mem_.msi_event());
  }
}

bool HostDriver::wait_idle(uint16_t qid, sc_time timeout) {
  const sc_time deadline = sc_time_stamp() + timeout;
  for (;;) {
    poll(qid);
    if (outstanding_[qid].empty()) return true;
    if (sc_time_stamp() >= deadline) {
      error("wait_idle: " + std::to_string(outstanding_[qid].size()) + " command(s) of queue " + std::to_string(qid) +
            " still outstanding after " + timeout.to_string());
      return false;
    }
    wait(std::min(deadline - sc_time_stamp(), opt_.poll), mem_.msi_event());
  }
}

bool HostDriver::wait_msix(uint16_t vector, sc_time timeout) {
  const sc_time deadline = sc_time_stamp() + timeout;
  uint64_t &seen = msix_seen_[vector];
  while (mem_.msi_count(vector) <= seen && sc_time_stamp() < deadline)
    wait(deadline - sc_time_stamp(), mem_.msi_event());
  if (mem_.msi_count(vector) > seen) {
    ++seen;
    return true;
  }
  error("wait_msix: no MSI-X message on vector " + std::to_string(vector) + " within " + timeout.to_string());
  return false;
}

std::vector<Event> HostDriver::poll_events() {
  std::vector<Event> got;
  if (!eq_.live) return got;
  for (;;) {
    uint8_t e[NHI_EQE_BYTES];
    if (!mem_.read(eq_.base + static_cast<uint64_t>(eq_.head) * NHI_EQE_BYTES, e, sizeof e)) break;
    if (static_cast<bool>(e[15] & 0x80) != eq_.phase) break;
    Event ev;
    std::memcpy(&ev.data, e, 8);
    std::memcpy(&ev.type, e + 8, 2);
    std::memcpy(&ev.info, e + 10, 2);
    std::memcpy(&ev.seq, e + 12, 2);
    if (ev.seq != eq_seq_)
      error("EQ entry " + std::to_string(eq_.head) + ": sequence " + std::to_string(ev.seq) + ", expected " +
            std::to_string(eq_seq_) + " (events lost)");
    eq_seq_ = static_cast<uint16_t>(ev.seq + 1);
    got.push_back(ev);
    events_.push_back(ev);
    if (++eq_.head == eq_.depth) {
      eq_.head = 0;
      eq_.phase = !eq_.phase;
    }
  }
  if (!got.empty()) wr0(NHI_BAR0_EQ_HEAD_DB, eq_.head);
  return got;
}

void HostDriver::start_keepalive(sc_time period, unsigned misses) {
  ka_period_ = period;
  ka_misses_ = misses;
  ka_on_ = true;
  if (!ka_running_) {
    ka_running_ = true;
    sc_core::sc_spawn([this] { keepalive_thread(); });
  }
}

void HostDriver::keepalive_thread() {
  uint32_t last = rd0(NHI_BAR0_HEARTBEAT);
  unsigned miss = 0;
  while (ka_on_) {
    wait(ka_period_);
    if (!ka_on_) break;
    const uint32_t hb = rd0(NHI_BAR0_HEARTBEAT);
    if (hb != last) {
      last = hb;
      miss = 0;
      continue;
    }
    if (++miss >= ka_misses_) {
      dead_ = true;
      ka_on_ = false;
      error("keep-alive: HEARTBEAT stuck at " + std::to_string(hb) + " for " + std::to_string(miss) + " periods of " +
            ka_period_.to_string() + "; device declared dead, resetting it");
      reset(ka_period_ * 10);
    }
  }
  ka_running_ = false;
}

uint64_t HostDriver::cq_ring(uint16_t qid) const {
  auto it = q_.find(qid);
  return it == q_.end() ? 0 : it->second.cq.base;
}
uint32_t HostDriver::cq_head(uint16_t qid) const {
  auto it = q_.find(qid);
  return it == q_.end() ? 0 : it->second.cq.head;
}
bool HostDriver::cq_phase(uint16_t qid) const {
  auto it = q_.find(qid);
  return it == q_.end() ? false : it->second.cq.phase;
}

}  // namespace ncv::nhi
