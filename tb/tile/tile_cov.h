// Functional coverage of the tile testbench (verification.md "Coverage closure targets"):
// every opcode x dtype x queue, every error code, every ALU op in both compute types,
// semaphore waits, PE K/M/N extremes, DMA partial bursts, unaligned ends and 4 KiB
// crossings, ring wrap, and concurrency of all four engines.
#pragma once

#include <cstdint>
#include <string>

#include "nct_isa.h"
#include "ncv/golden/tile_params.h"
#include "ncv/tb/coverage.h"

namespace ncv::tbtile {

class TileCoverage {
 public:
  // Groups are per configuration (instance = config name): bins depend on P and NMAX.
  TileCoverage(const golden::TileParams &p, const std::string &config);
  // A new program on a fresh tile (ring indices start again at 0).
  void new_program() {
    for (bool &s : seen_) s = false;
  }
  // A retired instruction; pe_m is the M of the loaded weights (for PE_MM).
  void retire(unsigned q, uint32_t index, const isa::Word &w, unsigned pe_m);
  // Engines busy in one cycle (bit q: queue q's engine or control op active).
  void engines(unsigned mask) { conc_.sample({uint64_t(__builtin_popcount(mask))}); }
  void error(unsigned code) { err_.sample({code}); }
  void semwait(unsigned q, uint64_t cycles) { semw_.sample({q, cycles ? 1u : 0u}); }
  void write(const std::string &path, const std::string &test, uint64_t seed, const std::string &config);
  double percent() const { return db_.percent(); }
  tb::CoverageDb &db() { return db_; }

 private:
  golden::TileParams p_;
  tb::CoverageDb db_;
  tb::Covergroup &ops_, &err_, &alu_, &semw_, &pe_, &dma_, &ring_, &conc_;
  uint32_t last_index_[4] = {0, 0, 0, 0};
  bool seen_[4] = {false, false, false, false};
};

}  // namespace ncv::tbtile
