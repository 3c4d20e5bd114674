// The NCT tile testbench (verification.md "Tile testbench"): the Verilated tile with an
// AXI-Lite master for its CSRs and an AXI4 slave device memory, the golden model launched
// through the same CSR writes, and a checker that compares every retirement with the model
// in lockstep (the first divergence with instruction, cycle, address, expected and actual),
// then the final state: queue states, error registers, interrupts, semaphores, counters,
// notification records and every byte of SBUF, PSUM and device memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "axi_mem.h"
#include "ncv/golden/builder.h"
#include "ncv/golden/tile_model.h"
#include "ncv/tb/log.h"
#include "ncv/tb/retire_check.h"

namespace ncv::tbtile {

struct TbConfig {
  uint64_t seed = 1;
  AxiTiming timing;
  size_t mem_bytes = 16u << 20;
  std::string waves;          // FST path; empty = no waves
  uint64_t max_cycles = 2000000;
  bool verbose = false;
  bool check = true;  // false: no model, no checks (the bare-RTL reference of bench/tile)
  // Negative test of the lockstep checker: at the n-th retirement that writes bytes,
  // flip the RTL's first written byte before the comparison (0 = off).
  uint64_t corrupt_retire = 0;
  // Code-coverage builds (ncv_tile_cov_<config>): each tile's coverage counters are written
  // to this file when the tile is destroyed (empty = not written).
  std::string code_coverage;
};

struct Stats {
  uint64_t cycles = 0, retired = 0;
  uint64_t per_queue[4] = {};
};

class TileTb {
 public:
  TileTb(const golden::TileParams &p, const TbConfig &cfg);
  ~TileTb();

  // Both memories (RTL slave and model) get the same bytes.
  void load(uint64_t addr, const std::vector<uint8_t> &bytes);
  void load(uint64_t addr, const void *p, size_t n);
  void add_error_range(uint64_t lo, uint64_t hi, bool decode);
  // SBUF/PSUM initial contents (both sides), e.g. random bytes with special values.
  void init_buffers(const std::function<uint8_t(unsigned mem, unsigned part, uint32_t byte)> &f);

  // CSR access on both sides (RTL over AXI-Lite pins, model directly).
  void csr_write(uint32_t off, uint32_t v);
  uint32_t rtl_csr_read(uint32_t off);

  // tile.md launch through the CSRs; rings and the notification ring at `rings_at`.
  struct Launch {
    std::array<std::vector<isa::Word>, 4> queues;
    uint64_t rings_at = 0xE00000;
    unsigned nq_log2 = 8;
    uint32_t watchdog = 0;
    uint32_t intr_enable = 0xFF;
    std::vector<std::pair<unsigned, uint32_t>> semaphores;
    std::array<unsigned, 4> ring_log2 = {0, 0, 0, 0};  // 0 = just large enough
    std::array<uint32_t, 4> start_index = {0, 0, 0, 0};  // ring index of the first instruction
  };
  void launch(const Launch &l);
  // Where launch() puts queue q's ring (to aim error ranges at it before launching).
  static uint64_t ring_base_of(const Launch &l, unsigned q);

  // Runs until the tile is quiet (not BUSY, bus idle) or max_cycles; checks every
  // retirement on the way. Returns false on timeout.
  bool run();
  // Compares the final state of RTL and model; returns the number of differences.
  unsigned check_final();
  // Bytes a failing DMA may have left half-written (decision 0006), which check_final()
  // skips: for DMA_LD the failing row's SBUF bytes [lo, hi) of partition `part`; for DMA_ST
  // device-memory ranges. space 9 = no buffer bytes masked.
  struct FailMask {
    unsigned space = 9, part = 0;
    uint64_t lo = 0, hi = 0;
    std::vector<std::pair<uint64_t, uint64_t>> mem;
  };
  FailMask dma_fail_mask() const;

  golden::TileModel &model() { return model_; }
  const Stats &stats() const { return stats_; }
  uint64_t cycle() const { return cycle_; }
  unsigned mismatches() const { return mismatches_ + checker_->mismatches(); }
  // The RTL's SBUF/PSUM byte (backdoor) and device memory.
  uint8_t rtl_buf(unsigned mem, unsigned part, uint32_t byte) const;
  void rtl_buf_write(unsigned mem, unsigned part, uint32_t byte, uint8_t v);
  DevMem &rtl_mem() { return rtl_mem_; }
  DevMem &model_mem() { return model_mem_; }
  // Called for every RTL retirement (queue, ring index, instruction) after the check.
  std::function<void(unsigned, uint32_t, const isa::Word &)> on_retire;
  // Called every cycle with the mask of queues whose engine (or control op) is active.
  std::function<void(unsigned)> on_cycle;

 private:
  struct Impl;
  void tick();
  void write_ring(unsigned q, const std::vector<isa::Word> &prog, uint32_t start, uint32_t mask, uint64_t base);
  void check_retire(unsigned q, uint32_t index, uint8_t opcode);

  golden::TileParams p_;
  TbConfig cfg_;
  DevMem rtl_mem_, model_mem_;
  golden::TileModel model_;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<AxiMem> axi_;
  Launch launched_;
  std::array<uint64_t, 4> ring_base_{};
  std::array<unsigned, 4> ring_lg_{};
  uint64_t nq_base_ = 0;
  unsigned nq_lg_ = 0;
  uint64_t cycle_ = 0;
  Stats stats_;
  unsigned mismatches_ = 0;
  uint64_t writing_retires_ = 0;
  bool model_stuck_reported_ = false;
  tb::Log &log_;
  std::unique_ptr<tb::RetireChecker> checker_;  // the lockstep comparison (tb/lib, shared with the sled)
};

}  // namespace ncv::tbtile
