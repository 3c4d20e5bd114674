// Retirement-by-retirement comparison of the tile RTL with the golden model: the checker of
// the tile testbench (tb/tile) and of the sled's lockstep run mode (models/sled). The RTL's
// retire trace port (trace_* of rtl/tile/nct_top.sv) says which queue retired which ring
// index with which opcode; the checker steps the model on that queue (the RTL chooses the
// order, the model follows it), checks that the model expected that instruction and does
// not fault on it, and compares every byte the instruction wrote (SBUF, PSUM, device
// memory) on both sides. The first difference of a retirement is one ERROR line naming the
// queue, the instruction index, its opcode and what differed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nct_isa.h"
#include "ncv/golden/tile_model.h"
#include "ncv/tb/log.h"

namespace ncv::tb {

class RetireChecker {
 public:
  // Reads n bytes of one side's state: space 0 SBUF, 1 PSUM (partition, byte offset in the
  // partition), 2 device memory (address; partition unused).
  using ReadFn = std::function<void(unsigned space, unsigned partition, uint64_t lo, uint8_t *dst, size_t n)>;

  // `rtl` reads the RTL's buffers and memory; `model_mem` reads the model's device memory
  // (its SBUF and PSUM come from the model itself). Message ids are `prefix` + ".ORDER",
  // ".RETIRE", ".FAULT", ".MISMATCH"; every message starts with `who` ("chip0 ", or "").
  RetireChecker(golden::TileModel &model, Log &log, ReadFn rtl, ReadFn model_mem, std::string prefix = "TILE",
                std::string who = "");

  // One RTL retirement at `cycle`. Returns true when the model executed the same
  // instruction without a fault (its written bytes were compared; a data difference is
  // counted and reported but still returns true), false on an order, index, opcode or
  // fault difference (the model did not advance).
  bool retire(unsigned q, uint32_t index, uint8_t opcode, uint64_t cycle);

  // The instruction of the last retirement that returned true.
  const isa::Word &last_word() const { return last_; }
  // The bytes the last matched instruction wrote.
  const std::vector<golden::Span> &last_spans() const { return spans_; }
  unsigned mismatches() const { return mismatches_; }
  uint64_t checked() const { return checked_; }

  // Called with the spans a matched instruction wrote, before they are compared
  // (negative tests corrupt one side here).
  std::function<void(const std::vector<golden::Span> &)> before_compare;

  static const char *opname(unsigned op);
  static std::string describe(unsigned q, uint32_t index, const isa::Word &w);
  static std::string hex(uint64_t v, int width = 0);

 private:
  void compare_spans(unsigned q, uint32_t index, const isa::Word &w, uint64_t cycle);
  void model_read(unsigned space, unsigned partition, uint64_t lo, uint8_t *dst, size_t n);

  golden::TileModel &model_;
  Log &log_;
  ReadFn rtl_, model_mem_;
  std::string prefix_, who_;
  isa::Word last_{};
  std::vector<golden::Span> spans_;
  unsigned mismatches_ = 0;
  uint64_t checked_ = 0;
};

}  // namespace ncv::tb
