// The HBM TLM-2.0 model of hbm.md: one stack and its controller per chip.
//
//  - tsock: TLM-2.0 target. nb_transport_fw with the four-phase base protocol
//    (BEGIN_REQ -> END_REQ at once, BEGIN_RESP when the last burst's data has moved plus
//    the fixed PHY delay) is the accurate path; b_transport runs the same controllers
//    until the transaction's bursts have issued and annotates the delay (no wait(), so it
//    works from any process); transport_dbg is the untimed backdoor. Decision record:
//    docs/decisions/0009-hbm-model.md; user guide: docs/hbm.md.
//  - Data moves when a request is accepted (in arrival order at the socket), so both paths
//    agree on data and a read after a write sees the write whatever the scheduler does.
//  - csr(): the controller CSRs (models/hbm/data/hbm_csr.rdl), at chip offset 0x02_0000.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <tlm_utils/multi_passthrough_target_socket.h>
#include <systemc>
#include <tlm>

#include "ncv/hbm/address_map.h"
#include "ncv/hbm/controller.h"
#include "ncv/hbm/ecc.h"
#include "ncv/hbm/hbm_min.h"  // SparseMemory
#include "ncv/hbm/preset.h"
#include "ncv/sc/reg_device.h"

namespace ncv::hbm {

struct HbmParams {
  std::string preset = "HBM3";
  std::vector<std::pair<std::string, std::string>> overrides;  // preset field -> value
  uint64_t size_bytes = 0;                                     // 0: the preset's capacity
  std::string mapping = AddressMap::kDefault;
  ControllerOptions ctrl;
  unsigned phy_delay_cycles = 2;  // fixed controller/PHY delay added to every response
  uint64_t seed = 1;              // ECC rate injection stream
  double ce_rate = 0, ue_rate = 0;
  double window_ns = 1000;  // bandwidth-over-time window
};

struct HbmStats {
  uint64_t read_txns = 0, write_txns = 0, bytes_read = 0, bytes_written = 0;
  uint64_t read_bursts = 0, write_bursts = 0, row_hits = 0, row_misses = 0, row_conflicts = 0;
  uint64_t acts = 0, refreshes = 0, turnarounds = 0, ecc_corrected = 0, ecc_uncorrectable = 0;
  double first_ns = 0, last_ns = 0;  // first request arrival, last data end
  double lat_min_ns = 0, lat_max_ns = 0, lat_mean_ns = 0;
  double row_hit_rate() const {
    const uint64_t n = row_hits + row_misses + row_conflicts;
    return n ? double(row_hits) / double(n) : 0.0;
  }
  double bandwidth_gbps() const {  // GB/s between the first arrival and the last data end
    return last_ns > first_ns ? double(bytes_read + bytes_written) / (last_ns - first_ns) : 0.0;
  }
};

class Hbm : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Hbm> tsock;

  // Throws ConfigError (one line: field and what was expected) for a bad configuration.
  Hbm(sc_core::sc_module_name name, const HbmParams &p);
  ~Hbm() override;

  const Preset &preset() const { return preset_; }
  const AddressMap &address_map() const { return map_; }
  uint64_t size() const { return mem_.size(); }
  sc_core::sc_time tck() const { return tck_; }
  double peak_gbps() const { return preset_.peak_bytes_per_s() / 1e9; }
  Controller &controller(unsigned ch, unsigned pc) { return *ctrls_[ch * preset_.pseudo_channels + pc]; }
  unsigned controllers() const { return unsigned(ctrls_.size()); }

  // Backdoor: no time, no ECC, no statistics.
  void backdoor_read(uint64_t addr, uint8_t *dst, uint64_t len) const;
  void backdoor_write(uint64_t addr, const uint8_t *src, uint64_t len);
  SparseMemory &mem() { return mem_; }

  // ECC: plant a fault (1 bit corrected, 2 bits uncorrectable) in the word holding addr.
  void inject_error(uint64_t addr, unsigned bits, bool persistent = false);
  Ecc &ecc() { return ecc_; }
  uint64_t ecc_corrected() const { return ce_count_; }
  uint64_t ecc_uncorrectable() const { return ue_count_; }
  uint64_t last_error_addr() const { return err_addr_; }
  // Level of the interrupt line: ECC_STATUS & ECC_INT_ENABLE; irq_event() fires on change.
  bool irq() const { return (ecc_status_ & ecc_int_enable_) != 0; }
  const sc_core::sc_event &irq_event() const { return irq_ev_; }

  // The controller CSRs.
  ncv::sc::RegDevice &csr();

  // Brings every controller up to the current time (idle ones catch up their refreshes
  // lazily); the CSR counters call it, call it before reading stats() at the end of a run.
  void sync();
  HbmStats stats() const;
  // Latency histogram: bucket i counts transactions with latency in [i, i+1) x bin_ns;
  // the last bucket takes everything above.
  static constexpr double kHistBinNs = 5.0;
  static constexpr unsigned kHistBins = 200;
  const std::array<uint64_t, kHistBins + 1> &latency_histogram() const { return hist_; }
  // Bytes whose data ended in each window of window_ns.
  const std::map<uint64_t, uint64_t> &window_bytes() const { return windows_; }
  std::string stats_json() const;
  void print_stats(std::ostream &os) const;

  uint64_t reads() const { return stats_.read_txns; }
  uint64_t writes() const { return stats_.write_txns; }

 private:
  class Csr;
  friend class Csr;
  struct Txn {
    tlm::tlm_generic_payload *gp = nullptr;
    int socket = -1;
    bool at = false;
    unsigned remaining = 0;
    int64_t arrival = 0, done = 0;
  };

  void b_transport(int id, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  tlm::tlm_sync_enum nb_transport_fw(int id, tlm::tlm_generic_payload &gp, tlm::tlm_phase &phase,
                                     sc_core::sc_time &delay);
  unsigned transport_dbg(int id, tlm::tlm_generic_payload &gp);

  // Checks, moves the data and runs ECC; false if the response is already final.
  bool accept(tlm::tlm_generic_payload &gp);
  // Splits into bursts and queues them; returns the tag.
  uint64_t enqueue(tlm::tlm_generic_payload &gp, int64_t arrival, int socket, bool at);
  void on_burst_done(uint64_t tag, int64_t done);
  void finish(uint64_t tag, Txn &t);
  void wake();
  void reschedule();
  void send_responses();
  void send_next(int socket);
  void ecc_event(uint64_t word, bool ue);
  void set_status(uint32_t bits);
  int64_t cycle_floor(const sc_core::sc_time &t) const { return int64_t(t.value() / tck_.value()); }
  int64_t cycle_ceil(const sc_core::sc_time &t) const { return int64_t((t.value() + tck_.value() - 1) / tck_.value()); }

  HbmParams p_;
  Preset preset_;
  AddressMap map_;
  sc_core::sc_time tck_;
  SparseMemory mem_;
  Ecc ecc_;
  std::vector<std::unique_ptr<Controller>> ctrls_;
  std::vector<int64_t> next_;  // per controller: earliest event (lower bound)
  std::map<uint64_t, Txn> txns_;
  uint64_t next_tag_ = 1;
  sc_core::sc_event wake_ev_, resp_ev_, irq_ev_;
  std::multimap<int64_t, uint64_t> resp_due_;  // response time (cycle) -> tag
  std::map<int, std::vector<uint64_t>> backlog_;
  std::map<int, bool> resp_busy_;
  bool ecc_enable_ = true;
  uint32_t ecc_status_ = 0, ecc_int_enable_ = 0;
  uint64_t ce_count_ = 0, ue_count_ = 0, err_addr_ = 0;
  bool err_ue_ = false, err_valid_ = false;
  uint64_t inj_addr_ = 0;
  HbmStats stats_;
  double lat_sum_ns_ = 0;
  uint64_t lat_n_ = 0;
  bool any_txn_ = false;
  std::array<uint64_t, kHistBins + 1> hist_{};
  std::map<uint64_t, uint64_t> windows_;
  std::unique_ptr<Csr> csr_;
};

}  // namespace ncv::hbm
