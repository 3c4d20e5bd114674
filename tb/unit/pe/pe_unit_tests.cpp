// The tensor engine rtl/tile/nct_pe.sv (Verilated with its SBUF and PSUM through the
// wrapper tb/unit/pe/nct_pe_unit.sv, at P = 4 and P = 8) against the golden model's
// ncv::golden::exec_pe, bit for bit. Every expected value comes from the golden model.
//
// - Random PE_LDW / PE_MM sequences: random p_start, K, M, N (up to NMAX), offsets, acc,
//   BF16 and INT8. BF16 values mix normals around a per-instruction exponent (chosen so
//   that products land near 1, near the FTZ boundary 2^-126 or near overflow) with specials:
//   +-0, subnormals, +-Inf, NaN, huge values, tiny values, exactly cancelling values. PSUM
//   targets are refilled with FP32 specials / INT32 extremes before some acc=1 PE_MMs.
//   A few instructions are perturbed so that the golden model may reject them; rejected
//   instructions are never given to the RTL (the checker catches them before issue) and
//   leave the golden PE state as it is. Some SOFT_RESETs (clear_i) drop the weights.
// - After every executed instruction the whole PSUM and SBUF of the RTL must equal the
//   golden buffers, and loaded_o / k_o / m_o / dtype_o the golden PE state. A mismatch
//   reports the first differing (m, n), expected, actual, the operands and the instruction.
// - Cycles: PE_LDW takes M cycles and PE_MM N + 2P cycles from start_i to done_o.
// - Directed: -0 from an FTZ'd negative sum passes the rows k >= K unchanged; clear_i
//   aborts a running PE_MM and drops the weights.
// - The checker is shown to fail on a corrupted PSUM word and a corrupted SBUF word.
//
// Random streams are seeded (seed 1, or NCV_PE_SEED) and so deterministic; NCV_PE_COUNT
// scales the number of instructions per variant.
#define BOOST_TEST_MODULE pe_unit
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <optional>
#include <tuple>
#include <sstream>
#include <string>
#include <vector>

#include "Vnct_pe_unit_p4.h"
#include "Vnct_pe_unit_p4___024root.h"
#include "Vnct_pe_unit_p8.h"
#include "Vnct_pe_unit_p8___024root.h"
#include "ncv/golden/builder.h"
#include "ncv/golden/engines.h"
#include "ncv/tb/rng.h"
#include "verilated.h"

namespace {

namespace isa = ncv::isa;
namespace build = ncv::golden::build;
using ncv::golden::Buffers;
using ncv::golden::Err;
using ncv::golden::ExecResult;
using ncv::golden::PeState;
using ncv::golden::TileParams;
using ncv::tb::Rng;

constexpr unsigned kBf16 = isa::dtype::kBf16;
constexpr unsigned kInt8 = isa::dtype::kInt8;

// The two Verilated variants (tb/unit/pe/CMakeLists.txt): configurations ci and default.
TileParams params(unsigned p, unsigned sbuf_bytes, unsigned psum_bytes, unsigned nmax) {
  TileParams t;
  t.P = p;
  t.SBUF_PART_BYTES = sbuf_bytes;
  t.PSUM_PART_BYTES = psum_bytes;
  t.NMAX = nmax;
  t.NSEM = 32;
  t.AXI_DW = 128;
  return t;
}
const TileParams kP4 = params(4, 4096, 1024, 64);
const TileParams kP8 = params(8, 16384, 2048, 128);

uint64_t env_u64(const char *name, uint64_t dflt) {
  const char *v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : dflt;
}

std::string hex(uint64_t v, int digits) {
  std::ostringstream s;
  s << "0x" << std::hex << std::setw(digits) << std::setfill('0') << v;
  return s.str();
}

const char *dtype_name(unsigned dt) {
  return dt == kBf16 ? "BF16" : dt == kInt8 ? "INT8" : "dtype?";
}

// One generated instruction, kept for reports.
struct Instr {
  bool mm = false;
  unsigned p_start = 0, k = 1, count = 1, dtype = kBf16;  // count: M (PE_LDW) or N (PE_MM)
  uint32_t src_off = 0, psum_off = 0;
  bool acc = false;
  isa::Word word() const {
    return mm ? build::pe_mm({p_start, k}, src_off, count, dtype, psum_off, acc)
              : build::pe_ldw({p_start, k}, src_off, count, dtype);
  }
  std::string str() const {
    std::ostringstream s;
    s << (mm ? "PE_MM" : "PE_LDW") << " p_start=" << p_start << " K=" << k << (mm ? " N=" : " M=") << count
      << " dtype=" << dtype_name(dtype) << " src_off=" << hex(src_off, 5);
    if (mm) s << " psum_off=" << hex(psum_off, 5) << " acc=" << acc;
    return s.str();
  }
};

unsigned elem_size(unsigned dt) {
  return dt == kInt8 ? 1 : 2;
}

// ---------------------------------------------------------------------------------------
// The Verilated wrapper.

template <class V>
class Dut {
 public:
  explicit Dut(const TileParams &p) : p_(p), top_(&ctx_, "nct_pe_unit") {
    if (sizeof(sbuf()) != size_t(p.P) * p.SBUF_PART_BYTES || sizeof(psum()) != size_t(p.P) * p.PSUM_PART_BYTES)
      throw std::logic_error("nct_pe_unit parameters differ from the TileParams of the test");
    top_.clk_i = 0;
    top_.rst_ni = 0;
    top_.clear_i = 0;
    top_.start_i = 0;
    top_.eval();
    tick();
    top_.rst_ni = 1;
    top_.eval();
    tick();
  }
  ~Dut() { top_.final(); }
  Dut(const Dut &) = delete;
  Dut &operator=(const Dut &) = delete;

  // nct_buf's mem_q (public_flat_rw): [partition][word].
  auto &sbuf() { return top_.rootp->nct_pe_unit__DOT__u_sbuf__DOT__mem_q; }
  auto &psum() { return top_.rootp->nct_pe_unit__DOT__u_psum__DOT__mem_q; }

  void tick() {
    top_.clk_i = 1;
    top_.eval();
    top_.clk_i = 0;
    top_.eval();
  }

  // One cycle with clear_i high (SOFT_RESET).
  void clear() {
    top_.clear_i = 1;
    top_.eval();
    tick();
    top_.clear_i = 0;
    top_.eval();
  }

  struct Run {
    bool done = false;      // done_o came within the limit
    bool busy_ok = true;    // busy_o low at start, high until done_o, low after it
    unsigned cycles = 0;    // from start_i to done_o (the start cycle not counted)
  };

  // start_i with the instruction for one cycle; true if busy_o and done_o were low then.
  bool issue(const isa::Word &w) {
    top_.instr_i[0] = static_cast<uint32_t>(w.lo);
    top_.instr_i[1] = static_cast<uint32_t>(w.lo >> 32);
    top_.instr_i[2] = static_cast<uint32_t>(w.hi);
    top_.instr_i[3] = static_cast<uint32_t>(w.hi >> 32);
    top_.start_i = 1;
    top_.eval();
    const bool idle = !top_.busy_o && !top_.done_o;
    tick();
    top_.start_i = 0;
    top_.eval();
    return idle;
  }

  // Issues one instruction and clocks until done_o (inclusive).
  Run run(const isa::Word &w, unsigned limit) {
    Run r;
    r.busy_ok = issue(w);
    while (r.cycles < limit) {
      ++r.cycles;
      if (!top_.busy_o) r.busy_ok = false;
      const bool done = top_.done_o;
      tick();
      if (done) {
        r.done = true;
        if (top_.busy_o || top_.done_o) r.busy_ok = false;
        break;
      }
    }
    return r;
  }

  bool busy() const { return top_.busy_o; }
  bool done() const { return top_.done_o; }
  bool loaded() const { return top_.loaded_o; }
  unsigned k() const { return top_.k_o; }
  unsigned m() const { return top_.m_o; }
  unsigned dtype() const { return top_.dtype_o; }

 private:
  TileParams p_;
  VerilatedContext ctx_;
  V top_;
};

// ---------------------------------------------------------------------------------------
// Buffers: the golden bytes are the reference; the RTL words are copied from them.

uint32_t gword(const std::vector<uint8_t> &v, size_t part_bytes, unsigned p, uint32_t w) {
  uint32_t x;
  std::memcpy(&x, v.data() + size_t(p) * part_bytes + 4 * size_t(w), 4);
  return x;
}

template <class V>
void sync_sbuf(Dut<V> &dut, const Buffers &g, const TileParams &prm, unsigned p, uint32_t byte0, uint32_t bytes) {
  if (!bytes) return;
  for (uint32_t w = byte0 / 4; w <= (byte0 + bytes - 1) / 4; ++w) dut.sbuf()[p][w] = gword(g.sbuf, prm.SBUF_PART_BYTES, p, w);
}

template <class V>
void sync_psum(Dut<V> &dut, const Buffers &g, const TileParams &prm, unsigned p, uint32_t byte0, uint32_t bytes) {
  if (!bytes) return;
  for (uint32_t w = byte0 / 4; w <= (byte0 + bytes - 1) / 4; ++w) dut.psum()[p][w] = gword(g.psum, prm.PSUM_PART_BYTES, p, w);
}

template <class V>
void sync_all(Dut<V> &dut, const Buffers &g, const TileParams &prm) {
  for (unsigned p = 0; p < prm.P; ++p) {
    sync_sbuf(dut, g, prm, p, 0, prm.SBUF_PART_BYTES);
    sync_psum(dut, g, prm, p, 0, prm.PSUM_PART_BYTES);
  }
}

// First difference between the RTL buffers and the golden ones, described for a report.
struct Mismatch {
  bool psum = true;
  unsigned part = 0;
  uint32_t word = 0;
  bool in_region = false;  // inside the PE_MM's output: m = part, n below
  unsigned m = 0, n = 0;
  uint32_t expected = 0, actual = 0;
  size_t count = 0;  // differing words in total
};

template <class V>
std::optional<Mismatch> compare(Dut<V> &dut, const Buffers &g, const TileParams &prm, const Instr &in) {
  std::optional<Mismatch> first;
  size_t count = 0;
  auto note = [&](bool psum, unsigned p, uint32_t w, uint32_t exp, uint32_t act) {
    ++count;
    Mismatch mm;
    mm.psum = psum;
    mm.part = p;
    mm.word = w;
    mm.expected = exp;
    mm.actual = act;
    if (psum && in.mm && w >= in.psum_off / 4 && w < in.psum_off / 4 + in.count) {
      mm.in_region = true;
      mm.m = p;
      mm.n = w - in.psum_off / 4;
    }
    // The first in the engine's write order: lowest n, then lowest m; region first.
    auto key = [](const Mismatch &x) {
      return std::make_tuple(!x.psum, !x.in_region, x.in_region ? x.n : x.word, x.part);
    };
    if (!first || key(mm) < key(*first)) first = mm;
  };
  for (unsigned p = 0; p < prm.P; ++p) {
    for (uint32_t w = 0; w < prm.PSUM_PART_BYTES / 4; ++w) {
      const uint32_t e = gword(g.psum, prm.PSUM_PART_BYTES, p, w), a = dut.psum()[p][w];
      if (e != a) note(true, p, w, e, a);
    }
    for (uint32_t w = 0; w < prm.SBUF_PART_BYTES / 4; ++w) {
      const uint32_t e = gword(g.sbuf, prm.SBUF_PART_BYTES, p, w), a = dut.sbuf()[p][w];
      if (e != a) note(false, p, w, e, a);
    }
  }
  if (first) first->count = count;
  return first;
}

// A mismatch report: where, expected, actual, the operands of that output and the instruction.
std::string report(const Mismatch &mm, const Instr &in, const PeState &pe, const Buffers &before,
                   const TileParams &prm, const std::string &where) {
  std::ostringstream s;
  s << where << ": " << mm.count << " word(s) differ; first: ";
  if (!mm.psum) {
    s << "SBUF partition " << mm.part << " word " << mm.word << " changed";
  } else if (mm.in_region) {
    s << "PSUM (m=" << mm.m << ", n=" << mm.n << ") word " << mm.word;
  } else {
    s << "PSUM partition " << mm.part << " word " << mm.word << " outside the instruction's output";
  }
  s << " expected " << hex(mm.expected, 8) << " actual " << hex(mm.actual, 8) << "\n  instruction: " << in.str();
  if (mm.in_region && pe.loaded && mm.m < pe.M) {
    s << "\n  W[k][" << mm.m << "] =";
    for (unsigned k = 0; k < pe.K; ++k) s << " " << hex(pe.w[size_t(k) * pe.M + mm.m], 4);
    s << "\n  X[k][" << mm.n << "] =";
    const unsigned sz = elem_size(in.dtype);
    for (unsigned k = 0; k < in.k; ++k) {
      uint16_t x = 0;
      std::memcpy(&x, before.sbuf.data() + size_t(in.p_start + k) * prm.SBUF_PART_BYTES + in.src_off + mm.n * sz, sz);
      s << " " << hex(x, 2 * sz);
    }
    s << "\n  old PSUM = " << hex(gword(before.psum, prm.PSUM_PART_BYTES, mm.m, mm.word), 8);
  }
  return s.str();
}

// ---------------------------------------------------------------------------------------
// Values.

// BF16: normals with exponent center +- spread, and with probability `special` a special.
struct Bf16Mode {
  int center = 127, spread = 3;
  double special = 0.05;
  bool coarse = false;  // few significand bits: sums cancel exactly more often
};

uint16_t bf16_value(Rng &r, const Bf16Mode &m) {
  const uint16_t sign = r.chance(0.5) ? 0x8000 : 0;
  if (r.chance(m.special)) {
    switch (r.range(0, 8)) {
      case 0: return sign;                                                    // +-0
      case 1: return uint16_t(sign | r.range(1, 0x7F));                       // subnormal (DAZ)
      case 2: return uint16_t(sign | 0x7F80);                                 // +-Inf
      case 3: return uint16_t(sign | 0x7F80 | r.range(1, 0x7F));              // NaN
      case 4: return uint16_t(sign | (r.range(230, 254) << 7) | r.range(0, 0x7F));  // huge
      case 5: return uint16_t(sign | (r.range(1, 40) << 7) | r.range(0, 0x7F));     // tiny
      case 6: return uint16_t(sign | (1u << 7) | r.range(0, 0x7F));                 // smallest normals
      case 7: return uint16_t(sign | (254u << 7) | r.range(0, 0x7F));               // largest finite
      default: return uint16_t(r.next());                                     // any bits
    }
  }
  const int e = std::clamp(m.center + int(r.range(0, 2 * m.spread)) - m.spread, 1, 254);
  const unsigned frac = m.coarse ? unsigned(r.range(0, 3)) << 5 : unsigned(r.range(0, 0x7F));
  return uint16_t(sign | (unsigned(e) << 7) | frac);
}

uint8_t int8_value(Rng &r) {
  switch (r.range(0, 5)) {
    case 0: return uint8_t(r.pick({0x80, 0x7F, 0x00, 0xFF, 0x01, 0x81}));
    default: return uint8_t(r.next());
  }
}

uint32_t fp32_value(Rng &r, int center) {
  const uint32_t sign = r.chance(0.5) ? 0x80000000u : 0u;
  switch (r.range(0, 11)) {
    case 0: return sign;                                       // +-0
    case 1: return sign | uint32_t(r.range(1, 0x7FFFFF));      // subnormal
    case 2: return sign | 0x7F800000u;                         // +-Inf
    case 3: return sign | 0x7F800000u | uint32_t(r.range(1, 0x7FFFFF));  // NaN
    case 4: return sign | (uint32_t(r.range(250, 254)) << 23) | uint32_t(r.range(0, 0x7FFFFF));  // huge
    case 5: return sign | (1u << 23) | uint32_t(r.range(0, 0x7FFFFF));  // smallest normals
    case 6: return uint32_t(r.next());
    default: {
      const int e = std::clamp(center + int(r.range(0, 8)) - 4, 1, 254);
      return sign | (uint32_t(e) << 23) | uint32_t(r.range(0, 0x7FFFFF));
    }
  }
}

uint32_t int32_value(Rng &r) {
  switch (r.range(0, 4)) {
    case 0: return 0x7FFFFFFFu - uint32_t(r.range(0, 300000));
    case 1: return 0x80000000u + uint32_t(r.range(0, 300000));
    case 2: return uint32_t(int32_t(r.range(0, 2000)) - 1000);
    default: return uint32_t(r.next());
  }
}

// ---------------------------------------------------------------------------------------
// The random sequence.

template <class V>
class Bench {
 public:
  Bench(const TileParams &prm, uint64_t seed, const std::string &name)
      : prm_(prm), rng_(seed, "pe_unit/" + name), dut_(prm), gold_(prm), name_(name) {
    for (auto &b : gold_.sbuf) b = uint8_t(rng_.next());
    for (auto &b : gold_.psum) b = uint8_t(rng_.next());
    sync_all(dut_, gold_, prm_);
  }

  struct Stats {
    unsigned ldw = 0, mm = 0, rejected = 0, clears = 0;
    uint64_t mm_cycles = 0, mm_columns = 0;
    std::optional<unsigned> mm_overhead;  // cycles - N, the same for every PE_MM
    bool overhead_constant = true;
    // Classes of the PSUM words the PE_MMs wrote (golden values): coverage of the specials.
    uint64_t bf16_normal = 0, bf16_pos_zero = 0, bf16_neg_zero = 0, bf16_inf = 0, bf16_nan = 0;
    uint64_t int8_words = 0, int8_wrapped = 0;  // wrapped: old + s overflowed INT32 (acc)
  };

  // Runs `count` generated instructions; false (with a Boost error) at the first failure.
  bool random_sequence(unsigned count) {
    for (unsigned i = 0; i < count; ++i) {
      if (rng_.chance(0.01)) {
        dut_.clear();
        pe_.reset();
        ++stats_.clears;
        if (dut_.loaded()) {
          BOOST_ERROR(name_ << ": loaded_o still high after clear_i");
          return false;
        }
      }
      const bool ldw = !pe_.loaded ? rng_.chance(0.8) : rng_.chance(0.25);
      Instr in = ldw ? gen_ldw() : gen_mm();
      if (rng_.chance(0.05)) perturb(in);
      if (!step(in, i)) return false;
    }
    return true;
  }

  // Executes one instruction on both; false (with a Boost error) on a mismatch.
  bool step(const Instr &in, unsigned index) {
    const Buffers before = gold_;
    const ExecResult r = ncv::golden::exec_pe(in.word(), gold_, pe_, prm_);
    if (r.err != Err::kNone) {
      ++stats_.rejected;
      return true;
    }
    const std::string where = name_ + " instruction #" + std::to_string(index);
    const unsigned limit = in.count + 4 * prm_.P + 16;
    const auto run = dut_.run(in.word(), limit);
    if (!run.done) {
      BOOST_ERROR(where << ": no done_o within " << limit << " cycles: " << in.str());
      return false;
    }
    if (!run.busy_ok) {
      BOOST_ERROR(where << ": busy_o/done_o protocol broken: " << in.str());
      return false;
    }
    if (in.mm) {
      classify(in, before);
      ++stats_.mm;
      stats_.mm_cycles += run.cycles;
      stats_.mm_columns += in.count;
      const unsigned over = run.cycles - in.count;
      if (stats_.mm_overhead && *stats_.mm_overhead != over) stats_.overhead_constant = false;
      stats_.mm_overhead = over;
    } else {
      ++stats_.ldw;
      if (run.cycles != in.count) {
        BOOST_ERROR(where << ": PE_LDW took " << run.cycles << " cycles, expected M = " << in.count);
        return false;
      }
    }
    if (const auto mm = compare(dut_, gold_, prm_, in)) {
      BOOST_ERROR(report(*mm, in, pe_, before, prm_, where));
      return false;
    }
    if (dut_.loaded() != pe_.loaded || dut_.k() != pe_.K || dut_.m() != pe_.M || dut_.dtype() != pe_.dtype) {
      BOOST_ERROR(where << ": state outputs loaded/K/M/dtype = " << dut_.loaded() << "/" << dut_.k() << "/"
                        << dut_.m() << "/" << dut_.dtype() << ", golden " << pe_.loaded << "/" << pe_.K << "/"
                        << pe_.M << "/" << pe_.dtype);
      return false;
    }
    return true;
  }

  const Stats &stats() const { return stats_; }
  Dut<V> &dut() { return dut_; }
  Buffers &gold() { return gold_; }
  PeState &pe() { return pe_; }
  Rng &rng() { return rng_; }

  // Writes element i of partition p at byte offset off (golden and RTL).
  void put_sbuf(unsigned p, uint32_t off, unsigned dt, unsigned i, uint16_t v) {
    const unsigned sz = elem_size(dt);
    std::memcpy(gold_.sbuf.data() + size_t(p) * prm_.SBUF_PART_BYTES + off + size_t(i) * sz, &v, sz);
    sync_sbuf(dut_, gold_, prm_, p, off + i * sz, sz);
  }

 private:
  void classify(const Instr &in, const Buffers &before) {
    for (unsigned m = 0; m < pe_.M; ++m) {
      for (unsigned n = 0; n < in.count; ++n) {
        const uint32_t w = in.psum_off / 4 + n;
        const uint32_t v = gword(gold_.psum, prm_.PSUM_PART_BYTES, m, w);
        if (in.dtype == kInt8) {
          ++stats_.int8_words;
          const uint32_t old = gword(before.psum, prm_.PSUM_PART_BYTES, m, w);
          const int64_t s = int32_t(v - old);  // |s| <= K * 2^14: exact
          const int64_t wide = int64_t(int32_t(old)) + s;
          if (in.acc && wide != int64_t(int32_t(v))) ++stats_.int8_wrapped;
        } else if ((v & 0x7FFFFFFFu) > 0x7F800000u) {
          ++stats_.bf16_nan;
        } else if ((v & 0x7FFFFFFFu) == 0x7F800000u) {
          ++stats_.bf16_inf;
        } else if (v == 0) {
          ++stats_.bf16_pos_zero;
        } else if (v == 0x80000000u) {
          ++stats_.bf16_neg_zero;
        } else {
          ++stats_.bf16_normal;
        }
      }
    }
  }

  unsigned pick_k() {
    const unsigned P = prm_.P;
    return unsigned(rng_.weighted<uint64_t>({{P, 3}, {1, 1}, {rng_.range(1, P), 4}}));
  }

  uint32_t pick_off(unsigned elems, unsigned sz, uint32_t part_bytes) {
    const uint32_t slots = part_bytes / sz - elems;  // last legal start element
    switch (rng_.range(0, 3)) {
      case 0: return 0;
      case 1: return slots * sz;
      default: return uint32_t(rng_.range(0, slots)) * sz;
    }
  }

  void fill_x(const Instr &in, const Bf16Mode &mode) {
    for (unsigned k = 0; k < in.k; ++k)
      for (unsigned i = 0; i < in.count; ++i)
        put_sbuf(in.p_start + k, in.src_off, in.dtype, i, in.dtype == kInt8 ? int8_value(rng_) : bf16_value(rng_, mode));
  }

  Instr gen_ldw() {
    Instr in;
    in.mm = false;
    in.dtype = rng_.chance(0.5) ? kBf16 : kInt8;
    in.k = pick_k();
    in.p_start = unsigned(rng_.range(0, prm_.P - in.k));
    in.count = unsigned(rng_.weighted<uint64_t>({{prm_.P, 3}, {1, 1}, {rng_.range(1, prm_.P), 4}}));
    in.src_off = pick_off(in.count, elem_size(in.dtype), prm_.SBUF_PART_BYTES);
    w_center_ = int(rng_.pick({127, 127, 64, 100, 150, 190, int(rng_.range(1, 254))}));
    Bf16Mode mode;
    mode.center = w_center_;
    mode.spread = int(rng_.range(0, 6));
    mode.special = rng_.pick({0.0, 0.02, 0.2});
    mode.coarse = rng_.chance(0.3);
    w_coarse_ = mode.coarse;
    fill_x(in, mode);
    return in;
  }

  Instr gen_mm() {
    Instr in;
    in.mm = true;
    in.dtype = pe_.loaded ? pe_.dtype : kBf16;
    in.k = pe_.loaded ? pe_.K : pick_k();
    in.p_start = unsigned(rng_.range(0, prm_.P - in.k));
    in.count = unsigned(rng_.weighted<uint64_t>({{1, 1}, {prm_.NMAX, 1}, {rng_.range(1, 8), 2}, {rng_.range(1, prm_.NMAX), 4}}));
    in.src_off = pick_off(in.count, elem_size(in.dtype), prm_.SBUF_PART_BYTES);
    in.psum_off = pick_off(in.count, 4, prm_.PSUM_PART_BYTES);
    in.acc = rng_.chance(0.5);
    // X exponents: products near 1, near the FTZ boundary (2^-126), near overflow, or anywhere.
    Bf16Mode mode;
    const int target = int(rng_.pick({127, 127, 1, 3, 254, 250, int(rng_.range(1, 254))}));
    mode.center = std::clamp(target + 127 - w_center_, 1, 254);
    mode.spread = int(rng_.range(0, 4));
    mode.special = rng_.pick({0.0, 0.0, 0.01, 0.05, 0.3});
    mode.coarse = w_coarse_ && rng_.chance(0.7);
    fill_x(in, mode);
    // Old PSUM values for acc: specials, values of the products' magnitude, INT32 extremes.
    if (rng_.chance(0.5)) {
      const unsigned M = pe_.loaded ? pe_.M : prm_.P;
      for (unsigned m = 0; m < M; ++m) {
        for (unsigned n = 0; n < in.count; ++n) {
          const uint32_t v = in.dtype == kInt8 ? int32_value(rng_) : fp32_value(rng_, std::clamp(target, 1, 254));
          std::memcpy(gold_.psum.data() + size_t(m) * prm_.PSUM_PART_BYTES + in.psum_off + 4 * n, &v, 4);
        }
        sync_psum(dut_, gold_, prm_, m, in.psum_off, 4 * in.count);
      }
    }
    return in;
  }

  // Makes an instruction possibly illegal (the golden model decides).
  void perturb(Instr &in) {
    switch (rng_.range(0, 5)) {
      case 0: in.k = unsigned(rng_.range(1, prm_.P)); break;                  // K != loaded K, or p range
      case 1: in.p_start = unsigned(rng_.range(0, prm_.P)); break;           // partition range
      case 2: in.dtype = in.dtype == kBf16 ? kInt8 : kBf16; break;           // PE dtype mismatch
      case 3: in.src_off += 1; break;                                         // misaligned (BF16)
      case 4: in.count = in.mm ? prm_.NMAX + 1 : prm_.P + 1; break;         // N > NMAX, M > P
      default: in.psum_off = prm_.PSUM_PART_BYTES - 4 * (in.count - 1) + 4 * unsigned(rng_.range(0, 1)); break;
    }
  }

  TileParams prm_;
  Rng rng_;
  Dut<V> dut_;
  Buffers gold_;
  PeState pe_;
  std::string name_;
  Stats stats_;
  int w_center_ = 127;
  bool w_coarse_ = false;
};

template <class V>
void random_test(const TileParams &prm, const std::string &name, unsigned dflt_count) {
  const uint64_t seed = env_u64("NCV_PE_SEED", 1);
  const unsigned count = unsigned(env_u64("NCV_PE_COUNT", dflt_count));
  const auto t0 = std::chrono::steady_clock::now();
  Bench<V> b(prm, seed, name);
  const bool ok = b.random_sequence(count);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto &s = b.stats();
  std::cout << name << " (P=" << prm.P << ", NMAX=" << prm.NMAX << ", seed " << seed << "): " << count
            << " instructions, " << s.ldw << " PE_LDW + " << s.mm << " PE_MM checked bit for bit, " << s.rejected
            << " rejected by the golden model, " << s.clears << " clears; " << std::fixed << std::setprecision(2)
            << secs << " s\n";
  if (s.mm_overhead)
    std::cout << name << ": cycles per PE_MM = N + " << *s.mm_overhead
              << (s.overhead_constant ? " (every PE_MM)" : " (NOT constant)") << "; " << s.mm_columns
              << " columns in " << s.mm_cycles << " cycles\n";
  std::cout << name << ": BF16 outputs " << s.bf16_normal << " finite nonzero, " << s.bf16_pos_zero << " +0, "
            << s.bf16_neg_zero << " -0, " << s.bf16_inf << " +-Inf, " << s.bf16_nan << " NaN; INT8 outputs "
            << s.int8_words << " (" << s.int8_wrapped << " wrapped in the acc add)\n";
  BOOST_TEST(ok);
  if (count >= 1000) {  // coverage of the special results (the default counts reach all of them)
    BOOST_TEST(s.bf16_pos_zero > 0u);
    BOOST_TEST(s.bf16_neg_zero > 0u);
    BOOST_TEST(s.bf16_inf > 0u);
    BOOST_TEST(s.bf16_nan > 0u);
    BOOST_TEST(s.int8_wrapped > 0u);
  }
  BOOST_TEST(s.ldw > count / 10);
  BOOST_TEST(s.mm > count / 2);
  BOOST_TEST(s.overhead_constant);
  BOOST_TEST(s.mm_overhead.value_or(0) == 2 * prm.P);  // docs/tile-rtl.md "nct_pe"
}

// -0 from an FTZ'd negative sum leaves the rows k >= K unchanged: K = 2,
// W = [-1.5 * 2^-63, 2^-63], X = 2^-63: s = -1.5 * 2^-126 + 2^-126 = -0.5 * 2^-126 -> -0.
template <class V>
void negative_zero_test(const TileParams &prm, const std::string &name) {
  Bench<V> b(prm, 7, name);
  Instr ldw;
  ldw.k = 2;
  ldw.count = prm.P;
  ldw.dtype = kBf16;
  for (unsigned m = 0; m < prm.P; ++m) {
    b.put_sbuf(0, 0, kBf16, m, 0xA040);  // -1.5 * 2^-63
    b.put_sbuf(1, 0, kBf16, m, 0x2000);  // 2^-63
  }
  BOOST_REQUIRE(b.step(ldw, 0));
  Instr mm;
  mm.mm = true;
  mm.k = 2;
  mm.count = 5;
  mm.dtype = kBf16;
  mm.src_off = 64;
  for (unsigned n = 0; n < mm.count; ++n) {
    b.put_sbuf(0, mm.src_off, kBf16, n, 0x2000);
    b.put_sbuf(1, mm.src_off, kBf16, n, 0x2000);
  }
  for (const bool acc : {false, true}) {
    mm.acc = acc;
    BOOST_REQUIRE(b.step(mm, 1));
    uint32_t r;
    std::memcpy(&r, b.gold().psum.data(), 4);
    BOOST_TEST(r == 0x80000000u, name << ": the golden result is -0 (the case is meaningful), acc=" << acc);
    BOOST_TEST(b.dut().psum()[prm.P - 1][0] == 0x80000000u);
  }
}

// The checker detects a corrupted PSUM word (at the right m, n) and a changed SBUF word.
template <class V>
void checker_test(const TileParams &prm, const std::string &name) {
  Bench<V> b(prm, 3, name);
  Instr ldw;
  ldw.k = prm.P;
  ldw.count = prm.P;
  ldw.dtype = kBf16;
  BOOST_REQUIRE(b.step(ldw, 0));
  Instr mm;
  mm.mm = true;
  mm.k = prm.P;
  mm.count = 9;
  mm.dtype = kBf16;
  mm.psum_off = 32;
  const Buffers before = b.gold();
  BOOST_REQUIRE(b.step(mm, 1));
  BOOST_REQUIRE(!compare(b.dut(), b.gold(), prm, mm));
  const unsigned m = prm.P - 2, n = 5;
  b.dut().psum()[m][mm.psum_off / 4 + n] ^= 0x00000100u;
  const auto bad = compare(b.dut(), b.gold(), prm, mm);
  BOOST_REQUIRE(bad.has_value());
  BOOST_TEST(bad->psum);
  BOOST_TEST(bad->in_region);
  BOOST_TEST(bad->m == m);
  BOOST_TEST(bad->n == n);
  BOOST_TEST(bad->count == 1u);
  BOOST_TEST((bad->expected ^ bad->actual) == 0x00000100u);
  std::cout << name << ": injected PSUM fault reported as: " << report(*bad, mm, b.pe(), before, prm, "injected")
            << "\n";
  b.dut().psum()[m][mm.psum_off / 4 + n] ^= 0x00000100u;
  BOOST_TEST(!compare(b.dut(), b.gold(), prm, mm));
  b.dut().sbuf()[1][17] ^= 1u;
  const auto sb = compare(b.dut(), b.gold(), prm, mm);
  BOOST_REQUIRE(sb.has_value());
  BOOST_TEST(!sb->psum);
  BOOST_TEST(sb->part == 1u);
  BOOST_TEST(sb->word == 17u);
}

// clear_i (SOFT_RESET) in the middle of a PE_MM: no done_o, busy_o and loaded_o drop at
// once, and the engine then runs PE_LDW / PE_MM as after reset. The PSUM words the aborted
// PE_MM wrote are not modelled by the golden model, so PSUM is reloaded from it after.
template <class V>
void clear_aborts_test(const TileParams &prm, const std::string &name) {
  Bench<V> b(prm, 11, name);
  Instr ldw;
  ldw.k = prm.P;
  ldw.count = prm.P;
  BOOST_REQUIRE(b.step(ldw, 0));
  Instr mm;
  mm.mm = true;
  mm.k = prm.P;
  mm.count = prm.NMAX;
  BOOST_REQUIRE(b.dut().issue(mm.word()));
  bool early_done = false;
  for (unsigned c = 0; c < 3 * prm.P; ++c) {  // into the PSUM writes
    early_done |= b.dut().done();
    b.dut().tick();
  }
  BOOST_TEST(!early_done);
  BOOST_TEST(b.dut().busy());
  b.dut().clear();
  b.pe().reset();
  BOOST_TEST(!b.dut().busy());
  BOOST_TEST(!b.dut().loaded());
  bool late_done = false;
  for (unsigned c = 0; c < prm.NMAX + 4 * prm.P; ++c) {
    late_done |= b.dut().done() || b.dut().busy();
    b.dut().tick();
  }
  BOOST_TEST(!late_done, name << ": done_o or busy_o after the abort");
  sync_all(b.dut(), b.gold(), prm);
  ldw.p_start = 1;
  ldw.k = prm.P - 1;
  ldw.count = prm.P - 1;
  ldw.dtype = kInt8;
  ldw.src_off = 5;
  BOOST_REQUIRE(b.step(ldw, 1));
  mm.p_start = 1;
  mm.k = prm.P - 1;
  mm.count = 7;
  mm.dtype = kInt8;
  mm.acc = true;
  BOOST_REQUIRE(b.step(mm, 2));
}

}  // namespace

BOOST_AUTO_TEST_CASE(random_p4) {
  random_test<Vnct_pe_unit_p4>(kP4, "p4", 50000);
}

BOOST_AUTO_TEST_CASE(random_p8) {
  random_test<Vnct_pe_unit_p8>(kP8, "p8", 20000);
}

BOOST_AUTO_TEST_CASE(negative_zero_passes_idle_rows) {
  negative_zero_test<Vnct_pe_unit_p4>(kP4, "p4");
  negative_zero_test<Vnct_pe_unit_p8>(kP8, "p8");
}

BOOST_AUTO_TEST_CASE(clear_aborts_instruction) {
  clear_aborts_test<Vnct_pe_unit_p4>(kP4, "p4");
  clear_aborts_test<Vnct_pe_unit_p8>(kP8, "p8");
}

BOOST_AUTO_TEST_CASE(checker_detects_corruption) {
  checker_test<Vnct_pe_unit_p4>(kP4, "p4");
  checker_test<Vnct_pe_unit_p8>(kP8, "p8");
}
