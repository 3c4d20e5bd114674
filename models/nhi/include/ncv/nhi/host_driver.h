// Host driver model (host.md, docs/nhi.md "Driver API"): brings the NHI up, creates IO
// queue pairs, submits commands, waits for MSI-X, checks completions and events, and runs
// the keep-alive watchdog. Every call that waits must run in an SC_THREAD and takes a
// deadline in simulated time. Protocol violations it sees go to errors() as one-line
// messages (the checkers: unknown/duplicate cid, wrong sq_id, sq_head beyond the depth,
// event sequence gap, missing completion after a reset, keep-alive loss, deadlines).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>

#include "ncv/nhi/host_memory.h"

namespace ncv::nhi {

struct Command {
  uint8_t opcode = 0, flags = 0;
  uint32_t nsid = 0;
  uint64_t addr = 0;
  uint32_t len = 0;
  uint32_t cdw[11] = {};
};

struct Completion {
  uint64_t result = 0;
  uint16_t sq_head = 0, sq_id = 0, cid = 0, status = 0;
  bool phase = false;
};

struct Event {
  uint64_t data = 0;
  uint16_t type = 0, info = 0, seq = 0;
};

struct DriverOptions {
  uint32_t admin_depth = 16;
  uint32_t event_depth = 16;
  sc_core::sc_time poll = sc_core::sc_time(100, sc_core::SC_NS);  // polling period when waiting
};

class HostDriver : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<HostDriver> bar0;  // bind to Nhi::bar0().tsock
  tlm_utils::simple_initiator_socket<HostDriver> bar2;  // bind to Nhi::bar2().tsock

  HostDriver(sc_core::sc_module_name name, HostMemory &mem, const DriverOptions &opt = DriverOptions());

  // Register access (BAR0 / BAR2); failures go to errors().
  uint32_t rd0(uint32_t off);
  void wr0(uint32_t off, uint32_t v);
  uint32_t rd2(uint32_t off);
  void wr2(uint32_t off, uint32_t v);

  // DEV_CTL.RESET, collecting the ABORTED completions, until RESET_IN_PROGRESS clears.
  // Every command outstanding before the reset must have completed by then.
  bool reset(sc_core::sc_time timeout);
  // reset, admin/event queues, MSI-X vector 0, ENABLE, wait DEV_STS.READY.
  bool bring_up(sc_core::sc_time timeout);
  // CREATE_IO_CQ (MSI-X vector qid) and CREATE_IO_SQ of depth entries each.
  bool create_io_queue_pair(uint16_t qid, uint32_t depth, sc_core::sc_time timeout);
  bool delete_io_queue_pair(uint16_t qid, sc_core::sc_time timeout);
  // Admin command with a wait for its completion; status or -1 on a timeout.
  int admin(const Command &c, sc_core::sc_time timeout, Completion *out = nullptr);

  // Queues the entry and rings the SQ tail doorbell; the cid is chosen by the driver
  // (next free) unless given. Returns the cid, or -1 when the SQ is full / missing.
  int submit(uint16_t qid, const Command &c, int cid = -1);
  // Raw doorbell (for bad-input tests): no driver state changes.
  void ring_sq(uint16_t qid, uint32_t tail) { wr0(0x1000 + 8u * qid, tail); }
  void ring_cq(uint16_t qid, uint32_t head) { wr0(0x1004 + 8u * qid, head); }

  // Reads new completions of queue pair qid (phase-tagged), checks them and rings the
  // CQ head doorbell. Returns how many were taken.
  size_t poll(uint16_t qid);
  // Waits for the completion of cid on qid; false (and an error) at the deadline.
  bool wait_completion(uint16_t qid, uint16_t cid, sc_core::sc_time timeout, Completion *out = nullptr);
  // Waits until every outstanding command of qid completed.
  bool wait_idle(uint16_t qid, sc_core::sc_time timeout);
  // Waits for an MSI-X message of `vector` not yet consumed by an earlier wait.
  bool wait_msix(uint16_t vector, sc_core::sc_time timeout);
  void mask_vector(uint16_t v, bool masked);
  uint32_t pba(uint16_t v);

  // New events (checked for sequence gaps); rings EQ_HEAD_DB.
  std::vector<Event> poll_events();
  const std::vector<Event> &events() const { return events_; }

  // Keep-alive watchdog: reads HEARTBEAT every period; `misses` periods without change
  // declare the device dead (an error) and reset it.
  void start_keepalive(sc_core::sc_time period, unsigned misses);
  void stop_keepalive() { ka_on_ = false; }
  bool device_dead() const { return dead_; }

  // Completions taken so far per queue pair, in arrival order.
  const std::vector<Completion> &completions(uint16_t qid) { return done_[qid]; }
  size_t outstanding(uint16_t qid) { return outstanding_[qid].size(); }
  uint64_t cq_ring(uint16_t qid) const;  // ring address (for bad-case tests)
  uint32_t cq_head(uint16_t qid) const;
  bool cq_phase(uint16_t qid) const;
  uint64_t eq_ring() const { return eq_.base; }
  uint32_t eq_head() const { return eq_.head; }

  const std::vector<std::string> &errors() const { return errors_; }
  void clear_errors() { errors_.clear(); }
  HostMemory &memory() { return mem_; }

 private:
  struct Ring {
    bool live = false;
    uint64_t base = 0;
    uint32_t depth = 0, head = 0, tail = 0;
    bool phase = true;
  };
  struct Pair {
    Ring sq, cq;
  };
  void error(const std::string &m);
  size_t poll_q(uint16_t qid, bool doorbell);
  uint32_t access(tlm_utils::simple_initiator_socket<HostDriver> &s, tlm::tlm_command cmd, uint32_t off, uint32_t v);
  void program_vector(uint16_t v);
  void keepalive_thread();
  uint64_t ring(uint32_t bytes, const std::string &what);

  HostMemory &mem_;
  DriverOptions opt_;
  std::map<uint16_t, Pair> q_;
  Ring eq_;
  uint16_t eq_seq_ = 0;
  std::map<uint16_t, std::set<uint16_t>> outstanding_;
  std::map<uint16_t, std::vector<Completion>> done_;
  std::map<uint16_t, uint16_t> next_cid_;
  std::map<uint16_t, uint64_t> msix_seen_;
  std::vector<Event> events_;
  std::vector<std::string> errors_;
  bool ka_on_ = false, ka_running_ = false, dead_ = false;
  sc_core::sc_time ka_period_;
  unsigned ka_misses_ = 0;
};

}  // namespace ncv::nhi
