// Golden functional model of the NCT tile behind its CSR page (tile.md "CSRs"): the
// register map generated from rtl/tile/data/nct_csr.rdl, in front of the execution core.
// A platform (the SystemC sled, a testbench, Python) launches work exactly as firmware
// does on silicon: SOFT_RESET, program the rings, NQ and semaphores, INTR_ENABLE,
// CTRL.ENABLE, then write each Qq_TAIL; and completes by irq() or by polling STATUS / NQ.
//
// The model is untimed: run() executes until no queue can issue; advance() tells it that
// cycles passed (the watchdog and PERF_CYCLES count them).
#pragma once

#include <cstdint>
#include <memory>

#include "ncv/golden/core.h"
#include "ncv/golden/tile_params.h"

namespace ncv::golden {

class TileModel {
 public:
  // `mem` is the device memory the tile's AXI4 master reaches (instruction fetch and DMA);
  // without one, every access is a decode error.
  explicit TileModel(const TileParams &params, DeviceMemory *mem = nullptr);

  const TileParams &params() const { return params_; }

  // CSR read/write at a byte offset in the tile's 4 KiB page. Unmapped offsets read 0
  // and ignore writes, like the RTL register block.
  uint32_t csr_read(uint32_t offset) const;
  void csr_write(uint32_t offset, uint32_t value);

  bool irq() const { return (core_.intr_status() & intr_enable_) != 0; }

  // Runs until no queue can issue (round-robin, or a seeded random legal order when
  // seed != 0). If work remains that nothing in the tile can unblock and the watchdog is
  // on, the watchdog period passes and it expires. Returns instructions executed.
  uint64_t run(uint64_t seed = 0, uint64_t max_steps = 1ull << 32);
  void advance(uint64_t cycles) { core_.advance(cycles); }

  Core &core() { return core_; }
  const Core &core() const { return core_; }

 private:
  struct NoMemory : DeviceMemory {
    MemStatus read(uint64_t, uint8_t *, size_t) override { return MemStatus::kDecodeError; }
    MemStatus write(uint64_t, const uint8_t *, size_t) override { return MemStatus::kDecodeError; }
  };
  void write_ring(unsigned q);
  void write_nq();

  TileParams params_;
  NoMemory none_;
  Core core_;
  uint32_t ctrl_ = 0, intr_enable_ = 0, watchdog_ = 0;
  uint32_t q_base_lo_[4] = {}, q_base_hi_[4] = {}, q_size_[4] = {}, q_tail_[4] = {};
  uint32_t nq_base_lo_ = 0, nq_base_hi_ = 0, nq_size_ = 0;
};

}  // namespace ncv::golden
