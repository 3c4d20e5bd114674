// Device memory of the tile testbench: a flat byte array with error ranges, behind two
// faces: the golden model's DeviceMemory interface, and an AXI4 slave that drives the
// Verilated tile's master pins with seeded random latency, backpressure and read-data
// interleaving between IDs.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "ncv/golden/core.h"
#include "ncv/tb/rng.h"

namespace ncv::tbtile {

class DevMem : public golden::DeviceMemory {
 public:
  explicit DevMem(size_t size) : m(size) {}
  golden::MemStatus read(uint64_t a, uint8_t *d, size_t n) override;
  golden::MemStatus write(uint64_t a, const uint8_t *s, size_t n) override;
  golden::MemStatus check(uint64_t a, size_t n) const;
  // Accesses that overlap [lo, hi) answer SLVERR (bus error) or DECERR.
  void add_error(uint64_t lo, uint64_t hi, bool decode) { bad.push_back({lo, hi, decode}); }

  std::vector<uint8_t> m;
  struct Bad {
    uint64_t lo, hi;
    bool decode;
  };
  std::vector<Bad> bad;
};

// Knobs of the slave's timing (probabilities per cycle).
struct AxiTiming {
  double ar_ready = 0.8, aw_ready = 0.8, w_ready = 0.85, r_gap = 0.15;
  unsigned min_lat = 2, max_lat = 12;  // cycles from address to first data / to B
  bool interleave = true;              // read data of different IDs may interleave
};

// Pin-level AXI4 slave. Call drive() before the clock edge's evaluation, sample() with
// the settled values just before the edge, then commit() after it.
class AxiMem {
 public:
  AxiMem(DevMem &mem, unsigned data_bytes, uint64_t seed, const AxiTiming &t = {});

  struct Pins {  // what the slave drives
    bool ar_ready, r_valid, r_last, aw_ready, w_ready, b_valid;
    unsigned r_id, r_resp, b_id, b_resp;
    std::vector<uint8_t> r_data;
  };
  struct Master {  // what the master drives (sampled before the edge)
    bool ar_valid, r_ready, aw_valid, w_valid, w_last, b_ready;
    unsigned ar_id, ar_len, ar_size, aw_id, aw_len, aw_size;
    uint64_t ar_addr, aw_addr;
    std::vector<uint8_t> w_data, w_strb;
  };
  const Pins &drive(uint64_t cycle);
  void edge(const Master &m, uint64_t cycle);  // handshakes of this cycle
  bool idle() const { return reads_.empty() && writes_.empty() && bq_.empty(); }
  uint64_t read_beats = 0, write_beats = 0, errors = 0;

 private:
  struct Burst {
    unsigned id, len, size;
    uint64_t addr, ready_at;
    unsigned beat = 0;
    bool error = false, decode = false;
  };
  struct B {
    unsigned id, resp;
    uint64_t ready_at;
  };
  uint64_t beat_addr(const Burst &b, unsigned i) const;
  void classify(Burst &b) const;

  DevMem &mem_;
  unsigned bytes_;
  tb::Rng rng_;
  AxiTiming t_;
  Pins pins_;
  std::deque<Burst> reads_, writes_;
  std::deque<B> bq_;
  int r_pick_ = -1;  // index in reads_ of the burst offered on R this cycle
};

}  // namespace ncv::tbtile
