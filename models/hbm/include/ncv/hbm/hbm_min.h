// Minimal HBM TLM-2.0 target: sparse storage, a fixed access latency plus transfer time
// at a configured bandwidth. It stands for one HBM stack until the timed model of hbm.md
// (banks, scheduling, refresh, ECC) replaces it behind the same sockets.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include <tlm_utils/multi_passthrough_target_socket.h>
#include <systemc>
#include <tlm>

namespace ncv::hbm {

// Sparse byte store: 4 KiB pages allocated on first write; unwritten bytes read as 0.
class SparseMemory {
 public:
  explicit SparseMemory(uint64_t size) : size_(size) {}
  uint64_t size() const { return size_; }
  bool in_range(uint64_t addr, uint64_t len) const { return addr <= size_ && len <= size_ - addr; }
  void read(uint64_t addr, uint8_t *dst, uint64_t len) const;
  // `be` (may be null) is a byte-enable pattern of `be_len` bytes repeated over the data.
  void write(uint64_t addr, const uint8_t *src, uint64_t len, const uint8_t *be = nullptr, unsigned be_len = 0);
  size_t pages() const { return pages_.size(); }

 private:
  static constexpr uint64_t kPage = 4096;
  uint64_t size_;
  std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> pages_;
};

class HbmMin : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<HbmMin> tsock;

  struct Params {
    uint64_t size_bytes = 64ull << 20;
    sc_core::sc_time latency = sc_core::sc_time(100, sc_core::SC_NS);
    double bytes_per_ns = 64.0;  // transfer rate seen by one initiator
  };

  HbmMin(sc_core::sc_module_name name, const Params &p);

  // Backdoor for tests and loaders: no time, no side effects beyond the data.
  SparseMemory &mem() { return mem_; }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }

 private:
  void b_transport(int id, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  unsigned transport_dbg(int id, tlm::tlm_generic_payload &gp);
  Params p_;
  SparseMemory mem_;
  uint64_t reads_ = 0, writes_ = 0;
};

}  // namespace ncv::hbm
