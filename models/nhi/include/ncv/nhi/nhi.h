// NHI: the Nitro-like host interface (host.md, docs/nhi.md). Faces:
//  - BAR0 (`bar0().tsock`): identification, control/status, admin and event queue
//    registers, telemetry and the queue doorbells;
//  - BAR2 (`bar2().tsock`): the MSI-X table and PBA;
//  - `host_dma`: initiator into host memory (queue fetch, completions, events, MSI-X
//    messages, data DMA); `dev_dma`: initiator into the device side (management bus);
//  - device-side registers for the firmware (`dev().tsock`, nhi_dev.rdl) and the
//    firmware interrupt line (`fw_irq()`).
// Unbound DMA sockets are allowed (the access fails with an error status).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>

#include "ncv/sc/reg_device.h"

namespace ncv::nhi {

struct NhiParams {
  uint32_t version = 0;
  unsigned io_queue_pairs = 8;   // queue ids 1..N (at most 63)
  unsigned max_depth_log2 = 12;  // 4096 entries
  unsigned dma_bits = 48;
  unsigned max_inflight = 256;                                        // fetched and not yet completed, over all queues
  sc_core::sc_time reset_time = sc_core::sc_time(1, sc_core::SC_US);  // RESET_IN_PROGRESS at least this long
  // How long a reset waits for aborted completions to find room in their CQ.
  sc_core::sc_time reset_drain_limit = sc_core::sc_time(100, sc_core::SC_US);
  sc_core::sc_time dma_word_time = sc_core::sc_time(1, sc_core::SC_NS);  // per 8 bytes moved
};

// Counters for tests and reports.
struct NhiStats {
  uint64_t fetched = 0, completed = 0, aborted = 0, events = 0, events_dropped = 0;
  uint64_t doorbell_errors = 0, bad_tags = 0, msix_sent = 0, msix_pended = 0;
  uint64_t dropped_completions = 0;  // CQ gone or full at the end of a reset
};

class Nhi : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket_optional<Nhi> host_dma;
  tlm_utils::simple_initiator_socket_optional<Nhi> dev_dma;

  Nhi(sc_core::sc_module_name name, uint32_t version);
  Nhi(sc_core::sc_module_name name, const NhiParams &p);

  class Bar0;
  class Bar2;
  class Dev;
  Bar0 &bar0();
  Bar2 &bar2();
  Dev &dev();

  const NhiParams &params() const { return p_; }
  const NhiStats &stats() const { return stats_; }
  uint32_t fw_post() const { return fw_post_; }
  // Every FW_POST value the firmware wrote, in order (since power-on).
  const std::vector<uint32_t> &post_history() const { return post_hist_; }
  uint32_t dev_sts() const { return fw_sts_; }  // what the firmware published
  uint32_t host_dev_sts() const;                // BAR0 DEV_STS
  uint32_t heartbeat() const { return heartbeat_; }
  unsigned msix_vectors() const { return p_.io_queue_pairs + 1; }
  // Notified on every FW_POST write by the firmware.
  const sc_core::sc_event &post_event() const { return post_ev_; }
  // Firmware interrupt: high while IRQ_STS & IRQ_EN != 0.
  const sc_core::sc_signal<bool> &fw_irq() const { return fw_irq_; }
  // The sled was reset under the host (the management controller's watchdog): the function
  // reports FATAL (BAR0 DEV_STS and a FATAL event), every command in flight completes
  // ABORTED, and the device side forgets what the firmware published (READY, FW_ALIVE,
  // POST, interrupt enables). The host recovers with DEV_CTL.RESET, which clears FATAL.
  void sled_reset();

 private:
  friend class Bar0;
  friend class Bar2;
  friend class Dev;
  struct Queue {
    bool live = false;
    uint64_t base = 0;
    uint32_t depth = 0, head = 0, tail = 0;
    uint16_t cq = 0;      // SQ: its CQ
    uint16_t vector = 0;  // CQ: its MSI-X vector
    bool phase = true;    // CQ: phase of the next entry written
    unsigned sqs = 0;     // CQ: SQs bound to it
  };
  struct Cmd {
    uint32_t tag = 0;
    uint16_t sq = 0, cid = 0;
    uint8_t sqe[64] = {};
    bool popped = false;
  };
  struct Cpl {
    uint16_t sq, cid;
    uint16_t status;
    uint64_t result;
  };
  struct Evt {
    uint16_t type, info;
    uint64_t data;
  };
  struct MsixEntry {
    uint32_t addr_lo = 0, addr_hi = 0, data = 0, ctl = 1;
  };

  // BAR0 side.
  void doorbell(uint32_t offset, uint32_t value);
  void dev_ctl_write(uint32_t v);
  void enable();
  // Device side.
  void cpl_post(uint32_t tag);
  void evt_post(uint16_t type, uint16_t info, uint64_t data);
  void update_irq();
  // Threads.
  void fetch_thread();
  void writer_thread();
  void reset_thread();
  void dma_thread();
  void irq_thread();
  // Helpers.
  void complete(uint16_t sq, uint16_t cid, uint16_t status, uint64_t result);
  void admin_local(const Cmd &c);
  bool dma(tlm_utils::simple_initiator_socket_optional<Nhi> &s, tlm::tlm_command cmd, uint64_t addr, uint8_t *data,
           unsigned len);
  void msix_fire(unsigned v);
  void msix_send(unsigned v);
  void abort_all(int only_sq);
  void abort_unfetched(uint16_t q);
  bool valid_depth(uint32_t d) const { return d >= 2 && d <= (1u << p_.max_depth_log2); }

  NhiParams p_;
  NhiStats stats_;
  uint32_t fw_post_ = 0, fw_sts_ = 0, heartbeat_ = 0;
  std::vector<uint32_t> post_hist_;
  uint32_t dev_ctl_ = 0;
  bool enabled_ = false, reset_busy_ = false, fatal_ = false;
  uint64_t asq_base_ = 0, acq_base_ = 0, eq_base_ = 0;
  uint32_t aq_attr_ = 0, eq_attr_ = 0;
  Queue eq_;
  uint16_t eq_seq_ = 0;
  std::vector<Queue> sq_, cq_;
  std::vector<MsixEntry> msix_;
  std::vector<uint32_t> pba_;
  std::vector<uint32_t> telemetry_;
  // Commands fetched and not completed, by tag; the mailbox of tags not yet popped.
  std::map<uint32_t, Cmd> inflight_;
  std::deque<uint32_t> mailbox_;
  uint32_t next_tag_ = 1;
  // Popped command window.
  uint32_t cmd_sq_ = 0;
  uint8_t cmd_sqe_[64] = {};
  // Completion post registers.
  uint32_t cpl_res_lo_ = 0, cpl_res_hi_ = 0, cpl_status_ = 0;
  uint32_t evt_info_ = 0, evt_lo_ = 0, evt_hi_ = 0;
  uint32_t irq_sts_ = 0, irq_en_ = 0, err_sts_ = 0;
  // DMA engine.
  uint32_t dma_host_lo_ = 0, dma_host_hi_ = 0, dma_dev_ = 0, dma_len_ = 0, dma_dir_ = 0, dma_sts_ = 0;
  std::deque<Cpl> cpls_;
  std::deque<Evt> evts_;
  std::deque<unsigned> msix_q_;
  sc_core::sc_event fetch_ev_, writer_ev_, reset_ev_, dma_ev_, irq_ev_, post_ev_, space_ev_;
  sc_core::sc_signal<bool> fw_irq_;
  Bar0 *bar0_;
  Bar2 *bar2_;
  Dev *dev_;
};

class Nhi::Bar0 : public ncv::sc::RegDevice {
 public:
  Bar0(sc_core::sc_module_name name, Nhi &nhi);

 protected:
  bool reg_read(uint32_t offset, uint32_t &value) override;
  bool reg_write(uint32_t offset, uint32_t value) override;

 private:
  Nhi &n_;
};

// BAR2 (MSI-X table and PBA): 32-bit accesses like a RegDevice, but its socket may stay
// unbound (a platform without a host driver, e.g. the sled today).
class Nhi::Bar2 : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket_optional<Bar2> tsock;
  Bar2(sc_core::sc_module_name name, Nhi &nhi);

 private:
  bool reg_read(uint32_t offset, uint32_t &value);
  bool reg_write(uint32_t offset, uint32_t value);
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  Nhi &n_;
};

class Nhi::Dev : public ncv::sc::RegDevice {
 public:
  Dev(sc_core::sc_module_name name, Nhi &nhi);

 protected:
  bool reg_read(uint32_t offset, uint32_t &value) override;
  bool reg_write(uint32_t offset, uint32_t value) override;

 private:
  Nhi &n_;
};

}  // namespace ncv::nhi
