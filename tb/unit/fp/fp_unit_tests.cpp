// The RTL arithmetic of rtl/common/nct_fp_pkg.sv (Verilated through the wrapper
// tb/unit/fp/nct_fp_unit.sv) against the bit-exact C++ numerics library ncv::num, bit for
// bit. Every expected value comes from ncv::num.
//
// - FP32 add/sub/mul/max/min: every pair of a special-class list and 10^7 seeded random
//   pairs per operation (raw bit patterns, near-equal values, close exponents, alignment
//   distances, constructed ties, products near the FTZ and overflow boundaries).
// - Conversions: BF16 -> FP32 on all 2^16 values; the others on special classes, 10^7
//   random values each and a stride through the whole 32-bit space.
// - BF16 x BF16 PE product: 2^24 sampled pairs; all 2^32 when NCV_NUMERICS_EXHAUSTIVE=1
//   (CTest nct_fp_exhaustive, label nightly).
// - The checker itself is shown to fail on bad references.
//
// A mismatch report names the operation, the operands, the expected and the actual value;
// a checker stops after kStopAfter mismatches. Random operands are seeded (seed 1, or
// NCV_FP_SEED) and so deterministic.
#define BOOST_TEST_MODULE fp_unit
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "Vnct_fp_unit.h"
#include "ncv/golden/numerics.h"
#include "ncv/tb/rng.h"
#include "verilated.h"

namespace num = ncv::num;
using ncv::tb::Rng;

namespace {

// Op codes of tb/unit/fp/nct_fp_unit.sv (OP_*).
enum class Op : uint8_t {
  kF32Add = 0,
  kF32Sub = 1,
  kF32Mul = 2,
  kF32Max = 3,
  kF32Min = 4,
  kF32Relu = 5,
  kBf16ToF32 = 6,
  kF32ToBf16 = 7,
  kI32ToF32 = 8,
  kF32ToI32 = 9,
  kI32ToI8 = 10,
  kPeMulBf16 = 11,
};

const char *op_name(Op op) {
  switch (op) {
    case Op::kF32Add: return "f32_add";
    case Op::kF32Sub: return "f32_sub";
    case Op::kF32Mul: return "f32_mul";
    case Op::kF32Max: return "f32_max";
    case Op::kF32Min: return "f32_min";
    case Op::kF32Relu: return "f32_relu";
    case Op::kBf16ToF32: return "bf16_to_f32";
    case Op::kF32ToBf16: return "f32_to_bf16";
    case Op::kI32ToF32: return "i32_to_f32";
    case Op::kF32ToI32: return "f32_to_i32";
    case Op::kI32ToI8: return "i32_to_i8";
    case Op::kPeMulBf16: return "pe_mul_bf16";
  }
  return "?";
}

bool is_binary(Op op) {
  switch (op) {
    case Op::kF32Add:
    case Op::kF32Sub:
    case Op::kF32Mul:
    case Op::kF32Max:
    case Op::kF32Min:
    case Op::kPeMulBf16: return true;
    default: return false;
  }
}

// The reference: ncv::num, in the wrapper's result encoding (BF16 zero-extended, INT8
// sign-extended, INT32 as its bit pattern). 16-bit operands are the low halves.
uint32_t reference(Op op, uint32_t a, uint32_t b) {
  const auto a16 = static_cast<uint16_t>(a), b16 = static_cast<uint16_t>(b);
  const auto ai = static_cast<int32_t>(a);
  switch (op) {
    case Op::kF32Add: return num::f32_add(a, b);
    case Op::kF32Sub: return num::f32_sub(a, b);
    case Op::kF32Mul: return num::f32_mul(a, b);
    case Op::kF32Max: return num::f32_max(a, b);
    case Op::kF32Min: return num::f32_min(a, b);
    case Op::kF32Relu: return num::f32_relu(a);
    case Op::kBf16ToF32: return num::bf16_to_f32(a16);
    case Op::kF32ToBf16: return num::f32_to_bf16(a);
    case Op::kI32ToF32: return num::i32_to_f32(ai);
    case Op::kF32ToI32: return static_cast<uint32_t>(num::f32_to_i32(a));
    case Op::kI32ToI8: return static_cast<uint32_t>(static_cast<int32_t>(num::i32_to_i8(ai)));
    case Op::kPeMulBf16: return num::pe_mul_bf16(a16, b16);
  }
  return 0;
}

// The Verilated wrapper (one per process): kLanes lanes evaluated at once.
constexpr size_t kLanes = 8;  // nct_fp_unit LANES

class Dut {
 public:
  Dut() : top_(&ctx_, "nct_fp_unit") {
    static_assert(sizeof(top_.a_i) == kLanes * sizeof(uint32_t), "kLanes must equal nct_fp_unit LANES");
  }
  ~Dut() { top_.final(); }
  Dut(const Dut &) = delete;
  Dut &operator=(const Dut &) = delete;

  // Runs `op` on the first n operand pairs; results in res[0..n).
  void eval(Op op, const uint32_t *a, const uint32_t *b, size_t n, uint32_t *res) {
    top_.op_i = static_cast<uint8_t>(op);
    for (size_t l = 0; l < n; ++l) {
      top_.a_i[l] = a[l];
      top_.b_i[l] = b[l];
    }
    top_.eval();
    for (size_t l = 0; l < n; ++l) res[l] = top_.res_o[l];
  }

 private:
  VerilatedContext ctx_;
  Vnct_fp_unit top_;
};

Dut &dut() {
  static Dut d;
  return d;
}

using RefFn = uint32_t (*)(Op, uint32_t, uint32_t);

// Compares the RTL with a reference. Operands are queued and evaluated kLanes at a time;
// results are compared in the order the operands came. After kStopAfter mismatches the
// checker compares nothing more and check() returns false: the caller stops feeding it.
class Checker {
 public:
  static constexpr uint64_t kStopAfter = 5;

  explicit Checker(Op op, RefFn ref = reference) : op_(op), ref_(ref) {}

  bool check(uint32_t a, uint32_t b = 0) {
    if (stopped()) return false;
    a_[n_] = a;
    b_[n_] = b;
    if (++n_ == kLanes) flush();
    return !stopped();
  }

  // Evaluates what is queued.
  void flush() {
    if (n_ == 0) return;
    uint32_t got[kLanes];
    dut().eval(op_, a_, b_, n_, got);
    for (size_t l = 0; l < n_ && !stopped(); ++l) {
      const uint32_t want = ref_(op_, a_[l], b_[l]);
      ++checked_;
      if (got[l] != want) {
        ++mismatches_;
        std::ostringstream m;
        m << std::hex << std::setfill('0') << op_name(op_) << "(0x" << std::setw(8) << a_[l];
        if (is_binary(op_)) m << ", 0x" << std::setw(8) << b_[l];
        m << "): expected 0x" << std::setw(8) << want << ", got 0x" << std::setw(8) << got[l] << "\n";
        report_ += m.str();
      }
    }
    n_ = 0;
  }

  bool stopped() const { return mismatches_ >= kStopAfter; }
  uint64_t checked() const { return checked_; }
  uint64_t mismatches() const { return mismatches_; }
  const std::string &report() const { return report_; }

  // The test's verdict, after evaluating what is queued: no mismatch (the report lists the
  // first few otherwise).
  void expect_clean() {
    flush();
    BOOST_TEST_MESSAGE(op_name(op_) << ": " << checked_ << " checked, " << mismatches_ << " mismatches");
    BOOST_CHECK_MESSAGE(mismatches_ == 0, op_name(op_) << ": " << mismatches_ << " mismatch(es)"
                                                       << (stopped() ? " (stopped)" : "") << "\n"
                                                       << report_);
  }

 private:
  Op op_;
  RefFn ref_;
  uint32_t a_[kLanes] = {};
  uint32_t b_[kLanes] = {};
  size_t n_ = 0;
  uint64_t checked_ = 0;
  uint64_t mismatches_ = 0;
  std::string report_;
};

constexpr uint32_t kSign = 0x80000000u;

uint32_t pack(uint32_t sign, uint32_t exp, uint32_t frac) {
  return ((sign & 1u) << 31) | ((exp & 0xFFu) << 23) | (frac & 0x7FFFFFu);
}

uint64_t run_seed() {
  const char *s = std::getenv("NCV_FP_SEED");
  return s ? std::strtoull(s, nullptr, 0) : 1;
}

bool exhaustive() {
  const char *s = std::getenv("NCV_NUMERICS_EXHAUSTIVE");
  return s && std::string(s) == "1";
}

// FP32 special classes, both signs.
const std::vector<uint32_t> &f32_specials() {
  static const std::vector<uint32_t> v = [] {
    std::vector<uint32_t> s = {
        0x00000000,  // zero
        0x00000001, 0x00000002, 0x00400000, 0x007FFFFE, 0x007FFFFF,  // subnormals
        0x00800000, 0x00800001, 0x00FFFFFF, 0x01000000, 0x01000001,  // smallest normals
        0x7F7FFFFF, 0x7F7FFFFE, 0x7F000000, 0x7EFFFFFF, 0x7F000001,  // largest normals
        0x3F800000, 0x3F800001, 0x3F7FFFFF, 0x3F7FFFFE, 0x3FFFFFFF,  // around 1
        0x40000000, 0x3FC00000, 0x40400000, 0x3F000000, 0x3EFFFFFF,  // 2, 1.5, 3, 0.5
        0x3FA00000, 0x40200000, 0x40600000,                          // 1.25, 2.5, 3.5
        0x33800000, 0x33800001, 0x33FFFFFF, 0x34000000, 0x33000000,  // ties against 1
        0x34400000, 0x4B000000, 0x4B000001, 0x4B800000, 0x4B7FFFFF,  // 2^-22*1.5, 2^23, 2^24
        0x4AFFFFFF, 0x4EFFFFFF, 0x4F000000, 0x4F000001, 0x4F800000,  // INT32 range edges
        0x5F800000, 0x5F7FFFFF, 0x5F800001,                          // 2^64: overflow when squared
        0x1F800000, 0x1F7FFFFF, 0x1F800001, 0x20000000,              // 2^-64: FTZ when squared
        0x0C000000, 0x40490FDB,                                      // 2^-103, pi
        0x7F800000,                                                  // Inf
        0x7FC00000, 0x7FC00001, 0x7FFFFFFF,                          // quiet NaNs
        0x7F800001, 0x7FBFFFFF, 0x7FA00000,                          // signalling NaNs
    };
    const size_t n = s.size();
    for (size_t i = 0; i < n; ++i) s.push_back(s[i] ^ kSign);
    return s;
  }();
  return v;
}

// BF16 special classes, both signs.
const std::vector<uint32_t> &bf16_specials() {
  static const std::vector<uint32_t> v = [] {
    std::vector<uint32_t> s = {0x0000, 0x0001, 0x0040, 0x007F, 0x0080, 0x0081, 0x00FF, 0x0100,
                               0x3F80, 0x3F81, 0x3FFF, 0x3F7F, 0x4000, 0x3FC0, 0x7F7F, 0x7F7E,
                               0x7F00, 0x5F80, 0x5F7F, 0x1F80, 0x1FFF, 0x2000, 0x2080, 0x1F00,
                               0x7F80, 0x7FC0, 0x7FC1, 0x7FFF, 0x7F81, 0x7FBF};
    const size_t n = s.size();
    for (size_t i = 0; i < n; ++i) s.push_back(s[i] ^ 0x8000u);
    return s;
  }();
  return v;
}

// INT32 special values (as bit patterns).
const std::vector<uint32_t> &i32_specials() {
  static const std::vector<uint32_t> v = [] {
    std::vector<uint32_t> s = {0,          1,          2,          3,          127,        128,
                               129,        255,        256,        0x00FFFFFF, 0x01000000, 0x01000001,
                               0x01000002, 0x01000003, 0x02000002, 0x02000006, 0x0200000A, 0x7FFFFF80,
                               0x7FFFFF7F, 0x7FFFFFC0, 0x7FFFFFBF, 0x7FFFFF40, 0x7FFFFFFF, 0x40000000,
                               0x55555555, 0x12345678};
    const size_t n = s.size();
    for (size_t i = 0; i < n; ++i) s.push_back(static_cast<uint32_t>(-static_cast<int64_t>(s[i])));
    s.push_back(0x80000000u);  // INT32_MIN
    return s;
  }();
  return v;
}

// A random FP32 operand pair from one of several families.
void random_pair(Rng &r, uint32_t &a, uint32_t &b) {
  const uint64_t x = r.next(), y = r.next();
  const auto lo = static_cast<uint32_t>(y), hi = static_cast<uint32_t>(y >> 32);
  const auto s1 = static_cast<uint32_t>(x >> 63), s2 = static_cast<uint32_t>(x >> 62);
  switch (x % 8) {
    case 0:
    case 1:  // raw bit patterns (NaNs, Infs, subnormals included)
      a = lo;
      b = hi;
      break;
    case 2: {  // near-equal: a +- a few ulps, -a (exact cancellation, max/min ties)
      a = lo;
      const auto k = static_cast<uint32_t>((x >> 8) % 8);
      b = k == 0 ? a : k == 1 ? (a ^ kSign) : a + k - 4;
      if ((x >> 12) & 1) b ^= kSign;
      break;
    }
    case 3: {  // close exponents: cancellation and one-bit alignment
      const auto ea = static_cast<uint32_t>(1 + (x >> 8) % 254);
      const int eb = static_cast<int>(ea) + static_cast<int>((x >> 16) % 7) - 3;
      a = pack(s1, ea, lo);
      b = pack(s2, static_cast<uint32_t>(eb < 1 ? 1 : eb > 254 ? 254 : eb), hi);
      break;
    }
    case 4: {  // alignment distance 0..31 (guard, round and sticky positions)
      const auto ea = static_cast<uint32_t>(32 + (x >> 8) % 223);
      const auto d = static_cast<uint32_t>((x >> 16) % 32);
      a = pack(s1, ea, lo);
      b = pack(s2, ea - d, hi);
      break;
    }
    case 5: {  // additive ties: the bits of b shifted out are exactly half an ulp of a
      const auto ea = static_cast<uint32_t>(25 + (x >> 8) % 230);
      const auto d = static_cast<uint32_t>(1 + (x >> 16) % 24);
      uint32_t mb = 0x800000u | (hi & 0x7FFFFFu);
      mb = (mb & ~((1u << d) - 1)) | (1u << (d - 1));
      a = pack(s1, ea, lo);
      b = pack(s2, ea - d, mb);
      break;
    }
    case 6: {  // products with few significant bits (ties, exact), near FTZ/overflow/mid range
      const auto ka = static_cast<uint32_t>(1 + (x >> 8) % 24);
      const int kb0 = 24 - static_cast<int>(ka) + static_cast<int>((x >> 16) % 5);
      const auto kb = static_cast<uint32_t>(kb0 < 1 ? 1 : kb0 > 24 ? 24 : kb0);
      const uint32_t fa = lo & ~((1u << (24 - ka)) - 1), fb = hi & ~((1u << (24 - kb)) - 1);
      const auto delta = static_cast<int>((x >> 24) % 5) - 2;
      uint32_t ea, eb;
      switch ((x >> 32) % 3) {
        case 0:  // result near 2^-126
          ea = static_cast<uint32_t>(3 + (x >> 40) % 122);
          eb = static_cast<uint32_t>(127 + delta - static_cast<int>(ea));
          break;
        case 1:  // result near 2^128
          ea = static_cast<uint32_t>(129 + (x >> 40) % 124);
          eb = static_cast<uint32_t>(381 + delta - static_cast<int>(ea));
          break;
        default:
          ea = static_cast<uint32_t>(64 + (x >> 40) % 128);
          eb = static_cast<uint32_t>(64 + (x >> 48) % 128);
          break;
      }
      a = pack(s1, ea, fa);
      b = pack(s2, eb, fb);
      break;
    }
    default: {  // x % 8 == 7
      if ((x >> 8) & 1) {  // sums near 2^-126 (FTZ after cancellation) and near overflow
        const uint32_t base = ((x >> 9) & 1) ? 1 : 252;
        a = pack(s1, base + static_cast<uint32_t>((x >> 10) % 3), lo);
        b = pack(s2, base + static_cast<uint32_t>((x >> 12) % 3), hi);
      } else {  // a special class against a random pattern
        const auto &sp = f32_specials();
        a = sp[(x >> 16) % sp.size()];
        b = hi;
        if ((x >> 9) & 1) std::swap(a, b);
      }
      break;
    }
  }
}

constexpr int kRandomPairs = 10000000;

void check_binary_specials(Op op) {
  Checker c(op);
  for (uint32_t a : f32_specials()) {
    for (uint32_t b : f32_specials()) {
      if (!c.check(a, b)) break;
    }
    if (c.stopped()) break;
  }
  c.expect_clean();
}

void check_binary_random(Op op) {
  Rng r(run_seed(), std::string("fp_unit.") + op_name(op));
  Checker c(op);
  for (int i = 0; i < kRandomPairs; ++i) {
    uint32_t a, b;
    random_pair(r, a, b);
    if (!c.check(a, b)) break;
  }
  c.expect_clean();
}

// Every 2^32 / step-th pattern of the 32-bit space (an odd step reaches every residue).
void check_stride(Checker &c, uint64_t step) {
  for (uint64_t x = 0; x < (uint64_t(1) << 32); x += step) {
    if (!c.check(static_cast<uint32_t>(x))) return;
  }
}

}  // namespace

// ---- FP32 arithmetic ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(f32_binary_special_pairs) {
  BOOST_TEST_MESSAGE(f32_specials().size() << " special values, " << f32_specials().size() * f32_specials().size()
                                           << " pairs per operation");
  for (Op op : {Op::kF32Add, Op::kF32Sub, Op::kF32Mul, Op::kF32Max, Op::kF32Min}) check_binary_specials(op);
}

BOOST_AUTO_TEST_CASE(f32_add_random) { check_binary_random(Op::kF32Add); }
BOOST_AUTO_TEST_CASE(f32_sub_random) { check_binary_random(Op::kF32Sub); }
BOOST_AUTO_TEST_CASE(f32_mul_random) { check_binary_random(Op::kF32Mul); }
BOOST_AUTO_TEST_CASE(f32_max_random) { check_binary_random(Op::kF32Max); }
BOOST_AUTO_TEST_CASE(f32_min_random) { check_binary_random(Op::kF32Min); }

// ---- Conversions and RELU -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(bf16_to_f32_all_values) {
  Checker c(Op::kBf16ToF32);
  for (uint32_t x = 0; x < 0x10000u; ++x) {
    if (!c.check(x)) break;
  }
  c.expect_clean();
}

BOOST_AUTO_TEST_CASE(f32_to_bf16_conversions) {
  Checker c(Op::kF32ToBf16);
  for (uint32_t x : f32_specials()) c.check(x);
  Rng r(run_seed(), "fp_unit.f32_to_bf16");
  for (int i = 0; i < kRandomPairs && !c.stopped(); ++i) {
    const uint64_t v = r.next();
    auto x = static_cast<uint32_t>(v);
    switch ((v >> 32) % 4) {
      case 0: break;                                     // raw pattern
      case 1: x = (x & 0xFFFF0000u) | 0x8000u; break;    // exact tie
      case 2: x = (x & 0xFFFF0000u) | static_cast<uint32_t>(0x7FFF + (v >> 40) % 3); break;  // around the tie
      default: x = pack(static_cast<uint32_t>(v >> 63), 254, x | 0x7F8000u); break;  // rounding into Inf
    }
    c.check(x);
  }
  check_stride(c, 509);
  c.expect_clean();
}

BOOST_AUTO_TEST_CASE(i32_to_f32_conversions) {
  Checker c(Op::kI32ToF32);
  for (uint32_t x : i32_specials()) c.check(x);
  Rng r(run_seed(), "fp_unit.i32_to_f32");
  for (int i = 0; i < kRandomPairs && !c.stopped(); ++i) {
    const uint64_t v = r.next();
    auto x = static_cast<uint32_t>(v);
    const auto len = static_cast<uint32_t>(1 + (v >> 32) % 31);  // significant bits
    const uint32_t neg = (v >> 63) & 1;
    switch ((v >> 40) % 3) {
      case 0: break;  // raw pattern
      case 1: x = (x >> (32 - len)) | (1u << (len - 1)); break;
      default:  // a tie when more than 24 bits are significant
        x = (x >> (32 - len)) | (1u << (len - 1));
        if (len > 24) x = (x & ~((1u << (len - 24)) - 1)) | (1u << (len - 25));
        break;
    }
    c.check(neg ? static_cast<uint32_t>(-static_cast<int64_t>(x)) : x);
  }
  check_stride(c, 509);
  c.expect_clean();
}

BOOST_AUTO_TEST_CASE(f32_to_i32_conversions) {
  Checker c(Op::kF32ToI32);
  for (uint32_t x : f32_specials()) c.check(x);
  Rng r(run_seed(), "fp_unit.f32_to_i32");
  for (int i = 0; i < kRandomPairs && !c.stopped(); ++i) {
    const uint64_t v = r.next();
    auto x = static_cast<uint32_t>(v);
    const auto sign = static_cast<uint32_t>(v >> 63);
    switch ((v >> 32) % 3) {
      case 0: break;  // raw pattern
      case 1: x = pack(sign, static_cast<uint32_t>(120 + (v >> 40) % 42), x); break;  // |x| ~ 2^-7 .. 2^34
      default: {  // k + 1/2: the bit worth 1/2 set, everything below clear
        const auto be = static_cast<uint32_t>(126 + (v >> 40) % 24);
        const uint32_t idx = 149 - be;
        const uint32_t m = ((0x800000u | x) & ~((2u << idx) - 1)) | (1u << idx);
        x = pack(sign, be, m);
        break;
      }
    }
    c.check(x);
  }
  check_stride(c, 509);
  c.expect_clean();
}

BOOST_AUTO_TEST_CASE(i32_to_i8_conversions) {
  Checker c(Op::kI32ToI8);
  for (uint32_t x : i32_specials()) c.check(x);
  for (int64_t x = -300; x <= 300; ++x) c.check(static_cast<uint32_t>(x));
  Rng r(run_seed(), "fp_unit.i32_to_i8");
  for (int i = 0; i < kRandomPairs && !c.stopped(); ++i) {
    const uint64_t v = r.next();
    c.check((v >> 32) & 1 ? static_cast<uint32_t>(v) : static_cast<uint32_t>(static_cast<int32_t>(v) >> (v >> 59)));
  }
  check_stride(c, 509);
  c.expect_clean();
}

BOOST_AUTO_TEST_CASE(f32_relu_values) {
  Checker c(Op::kF32Relu);
  for (uint32_t x : f32_specials()) c.check(x);
  Rng r(run_seed(), "fp_unit.f32_relu");
  for (int i = 0; i < kRandomPairs && !c.stopped(); ++i) c.check(static_cast<uint32_t>(r.next()));
  check_stride(c, 509);
  c.expect_clean();
}

// ---- PE product -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(pe_mul_bf16_products) {
  Checker c(Op::kPeMulBf16);
  for (uint32_t a : bf16_specials()) {
    for (uint32_t b : bf16_specials()) c.check(a, b);
  }
  const bool all = exhaustive();
  const uint64_t step = all ? 1 : 256;  // 2^24 sampled pairs; all 2^32 nightly
  for (uint64_t x = 0; x < (uint64_t(1) << 32) && !c.stopped(); x += step) {
    // Sampled: an odd multiplier permutes the 32-bit space, spreading both operands.
    const auto p = all ? static_cast<uint32_t>(x) : static_cast<uint32_t>(x * 0x9E3779B1ull + (x >> 8));
    c.check(p >> 16, p & 0xFFFFu);
  }
  BOOST_TEST_MESSAGE("pe_mul_bf16: " << (all ? "exhaustive" : "sampled"));
  c.expect_clean();
}

// ---- The checker fails on bad references ------------------------------------------------

BOOST_AUTO_TEST_CASE(checker_detects_wrong_reference) {
  // Every expected value off by one LSB: the first pair mismatches and the checker stops
  // after kStopAfter of them, each reported with operands, expected and actual value.
  Checker c(Op::kF32Add, [](Op op, uint32_t a, uint32_t b) { return reference(op, a, b) ^ 1u; });
  uint64_t fed = 0;
  for (uint32_t a : f32_specials()) {
    for (uint32_t b : f32_specials()) {
      ++fed;
      if (!c.check(a, b)) break;
    }
    if (c.stopped()) break;
  }
  c.flush();
  BOOST_TEST(c.stopped());
  BOOST_TEST(c.mismatches() == Checker::kStopAfter);
  BOOST_TEST(c.checked() == Checker::kStopAfter);
  BOOST_TEST(fed <= kLanes);  // stopped at the first evaluation
  std::ostringstream first;
  const uint32_t a0 = f32_specials()[0];
  first << std::hex << std::setfill('0') << "f32_add(0x" << std::setw(8) << a0 << ", 0x" << std::setw(8) << a0
        << "): expected 0x" << std::setw(8) << (reference(Op::kF32Add, a0, a0) ^ 1u) << ", got 0x" << std::setw(8)
        << reference(Op::kF32Add, a0, a0) << "\n";
  BOOST_TEST(c.report().rfind(first.str(), 0) == 0, "report: " << c.report());
}

BOOST_AUTO_TEST_CASE(checker_detects_single_wrong_rounding) {
  // A reference that rounds 1 + 2^-24 (a tie) away from zero instead of to even, and is
  // right everywhere else: exactly that one pair is reported among all special pairs.
  Checker c(Op::kF32Add, [](Op op, uint32_t a, uint32_t b) {
    const uint32_t r = reference(op, a, b);
    return (a == 0x3F800000u && b == 0x33800000u) ? r + 1u : r;
  });
  for (uint32_t a : f32_specials()) {
    for (uint32_t b : f32_specials()) c.check(a, b);
  }
  c.flush();
  BOOST_TEST(c.checked() == f32_specials().size() * f32_specials().size());
  BOOST_TEST(c.mismatches() == 1u);
  BOOST_TEST(c.report().find("f32_add(0x3f800000, 0x33800000)") != std::string::npos, "report: " << c.report());
}
