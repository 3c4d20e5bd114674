#include "ncv/tb/retire_check.h"

#include <cstdio>
#include <utility>

namespace ncv::tb {

RetireChecker::RetireChecker(golden::TileModel &model, Log &log, ReadFn rtl, ReadFn model_mem, std::string prefix,
                             std::string who)
    : model_(model),
      log_(log),
      rtl_(std::move(rtl)),
      model_mem_(std::move(model_mem)),
      prefix_(std::move(prefix)),
      who_(std::move(who)) {}

const char *RetireChecker::opname(unsigned op) {
  switch (op) {
    case isa::SEM: return "SEM";
    case isa::SETR: return "SETR";
    case isa::HALT: return "HALT";
    case isa::NOTIFY: return "NOTIFY";
    case isa::DMA_LD: return "DMA_LD";
    case isa::DMA_ST: return "DMA_ST";
    case isa::PE_LDW: return "PE_LDW";
    case isa::PE_MM: return "PE_MM";
    case isa::ACT: return "ACT";
    case isa::TT: return "TT";
    case isa::TS: return "TS";
    case isa::TRED: return "TRED";
    case isa::COPY: return "COPY";
    case isa::MEMSET: return "MEMSET";
    case isa::IOTA: return "IOTA";
    default: return "?";
  }
}

std::string RetireChecker::hex(uint64_t v, int w) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%0*llx", w, static_cast<unsigned long long>(v));
  return b;
}

std::string RetireChecker::describe(unsigned q, uint32_t index, const isa::Word &w) {
  return "q" + std::to_string(q) + " #" + std::to_string(index) + " " + opname(unsigned(isa::get(w, isa::kOpcode))) +
         " [" + hex(w.hi, 16) + hex(w.lo, 16).substr(2) + "]";
}

bool RetireChecker::retire(unsigned q, uint32_t index, uint8_t opcode, uint64_t cycle) {
  golden::Core &c = model_.core();
  isa::Word w;
  const bool have = c.head_word(q, w);
  const std::string where = " at cycle " + std::to_string(cycle);
  if (!c.can_issue(q) || !have) {
    ++mismatches_;
    log_.error(prefix_ + ".ORDER", who_ + "RTL retired q" + std::to_string(q) + " #" + std::to_string(index) + " " +
                                       opname(opcode) + where + ", but the model cannot issue it (state " +
                                       std::to_string(int(c.state(q))) + ")");
    return false;
  }
  const uint32_t exp_index = c.head(q) & 0xFFFFu;
  const unsigned exp_op = unsigned(isa::get(w, isa::kOpcode));
  if (exp_index != index || exp_op != opcode) {
    ++mismatches_;
    log_.error(prefix_ + ".RETIRE", who_ + "q" + std::to_string(q) + where + ": RTL retired #" + std::to_string(index) +
                                        " " + opname(opcode) + ", model expects #" + std::to_string(exp_index) + " " +
                                        opname(exp_op));
    return false;
  }
  const golden::Err before = c.error().code;
  c.step(q);
  if (c.state(q) == golden::QState::kErr) {
    ++mismatches_;
    log_.error(prefix_ + ".FAULT",
               who_ + describe(q, index, w) + where + ": RTL retired it, the model faults with code " +
                   hex(unsigned(c.error().code), 2) + (before != golden::Err::kNone ? " (not first)" : ""));
    return false;
  }
  ++checked_;
  last_ = w;
  compare_spans(q, index, w, cycle);
  return true;
}

void RetireChecker::model_read(unsigned space, unsigned partition, uint64_t lo, uint8_t *dst, size_t n) {
  if (space == 2) return model_mem_(space, partition, lo, dst, n);
  const auto &bufs = model_.core().buffers();
  const golden::TileParams &p = model_.params();
  const uint32_t part = space ? p.PSUM_PART_BYTES : p.SBUF_PART_BYTES;
  const auto &v = space ? bufs.psum : bufs.sbuf;
  for (size_t i = 0; i < n; ++i) dst[i] = v[size_t(partition) * part + lo + i];
}

void RetireChecker::compare_spans(unsigned q, uint32_t index, const isa::Word &w, uint64_t cycle) {
  spans_ = model_.core().writes_of(q, w);
  if (before_compare && !spans_.empty()) before_compare(spans_);
  std::vector<uint8_t> exp, act;
  for (const golden::Span &s : spans_) {
    // Whole aligned words around the span, so a difference can be shown with its word.
    const uint64_t lo = s.lo & ~uint64_t(3), hi = (s.hi + 3) & ~uint64_t(3);
    exp.assign(hi - lo, 0);
    act.assign(hi - lo, 0);
    model_read(s.space, s.partition, lo, exp.data(), exp.size());
    rtl_(s.space, s.partition, lo, act.data(), act.size());
    for (uint64_t a = s.lo; a < s.hi; ++a) {
      if (exp[a - lo] == act[a - lo]) continue;
      ++mismatches_;
      // Show the aligned 32-bit word around the first differing byte.
      const uint64_t w0 = a & ~uint64_t(3);
      uint32_t ew = 0, aw = 0;
      for (unsigned i = 0; i < 4; ++i) {
        ew |= uint32_t(exp[w0 - lo + i]) << (8 * i);
        aw |= uint32_t(act[w0 - lo + i]) << (8 * i);
      }
      const char *space = s.space == 0 ? "SBUF" : s.space == 1 ? "PSUM" : "memory";
      log_.error(prefix_ + ".MISMATCH",
                 who_ + describe(q, index, w) + " retired at cycle " + std::to_string(cycle) + ": " + space +
                     (s.space == 2 ? "" : " partition " + std::to_string(s.partition)) + " byte " + hex(a) +
                     ": expected " + hex(exp[a - lo], 2) + ", actual " + hex(act[a - lo], 2) + " (word " + hex(w0) +
                     ": expected " + hex(ew, 8) + ", actual " + hex(aw, 8) + ")");
      return;
    }
  }
}

}  // namespace ncv::tb
