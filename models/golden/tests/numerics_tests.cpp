// The numerics library against independent oracles: the host FPU (in double, then one
// RNE narrowing) with DAZ, FTZ (after rounding with unbounded exponent) and NaN
// canonicalisation applied around it. Random and special-class operands; the full
// BF16 x BF16 product space when NCV_NUMERICS_EXHAUSTIVE=1 (nightly), 2^24 pairs otherwise.
#define BOOST_TEST_MODULE numerics
#include <boost/test/unit_test.hpp>

#include <cfenv>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ncv/golden/numerics.h"
#include "ncv/tb/rng.h"

using namespace ncv::num;

namespace {

float f(uint32_t b) {
  float x;
  std::memcpy(&x, &b, 4);
  return x;
}
uint32_t bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, 4);
  return b;
}

// Host result narrowed to FP32 with FTZ decided on the exact (double) value.
uint32_t narrow(double d) {
  if (std::isnan(d)) return kF32QNaN;
  const float r = static_cast<float>(d);  // host RNE (checked below)
  if (d != 0 && std::fabs(d) < FLT_MIN) {
    // The host would round into the subnormal range first; the tile rounds to 24 bits with
    // an unbounded exponent and flushes what stays below 2^-126.
    // Rounded with an unbounded exponent, |d| reaches 2^-126 iff |d| >= 2^-126 - 2^-151.
    const double thr = std::ldexp(1.0, -126) - std::ldexp(1.0, -151);
    const float mag = std::fabs(d) >= thr ? FLT_MIN : 0.0f;
    return bits(std::signbit(d) ? -mag : mag);
  }
  return bits(r);
}

uint32_t oracle(uint32_t a, uint32_t b, char op) {
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32QNaN;
  a = f32_daz(a);
  b = f32_daz(b);
  const double x = f(a), y = f(b);
  switch (op) {
    case '+': {
      const double d = x + y;
      if (d == 0) return bits(f(a) + f(b));  // signed-zero rules of IEEE RNE
      return narrow(d);
    }
    case '-': {
      const double d = x - y;
      if (d == 0) return bits(f(a) - f(b));
      return narrow(d);
    }
    default: {
      const double d = x * y;  // exact: 24 x 24 bits
      if (d == 0) return bits(f(a) * f(b));
      return narrow(d);
    }
  }
}

// BF16 from FP32 by scaling: round the value to 8 significant bits with the host's
// nearbyint (RNE), FTZ/overflow on the rounded value.
uint16_t oracle_bf16(uint32_t x) {
  if (f32_is_nan(x)) return kBF16QNaN;
  x = f32_daz(x);
  const float v = f(x);
  if (std::isinf(v)) return static_cast<uint16_t>(x >> 16);
  if (v == 0) return static_cast<uint16_t>(x >> 16);
  int e;
  std::frexp(static_cast<double>(v), &e);  // v = m * 2^e, 0.5 <= |m| < 1
  const double q = std::nearbyint(std::ldexp(static_cast<double>(v), 8 - e));
  const double r = std::ldexp(q, e - 8);
  if (std::fabs(r) < FLT_MIN) return std::signbit(r) ? 0x8000 : 0;
  if (std::fabs(r) >= std::ldexp(1.0, 128)) return std::signbit(r) ? 0xFF80 : 0x7F80;
  return static_cast<uint16_t>(bits(static_cast<float>(r)) >> 16);
}

const std::vector<uint32_t> &specials() {
  static const std::vector<uint32_t> v = [] {
    std::vector<uint32_t> s = {0x00000000, 0x00000001, 0x007FFFFF, 0x00400000, 0x00800000, 0x00800001,
                               0x00FFFFFF, 0x01000000, 0x3F800000, 0x3F800001, 0x3FC00000, 0x3FFFFFFF,
                               0x40000000, 0x4B000000, 0x4B800000, 0x7F7FFFFF, 0x7F7FFFFE, 0x7F000000,
                               0x7F800000, 0x7FC00000, 0x7F800001, 0x7FFFFFFF, 0x33800000, 0x34000000,
                               0x0C000000, 0x1F800000, 0x5F800000, 0x3F7FFFFF, 0x3F000000};
    const size_t n = s.size();
    for (size_t i = 0; i < n; ++i) s.push_back(s[i] ^ 0x80000000u);
    return s;
  }();
  return v;
}

uint32_t random_f32(ncv::tb::Rng &r) {
  // Half uniform bit patterns, half clustered exponents (so sums cancel and round).
  const uint64_t x = r.next();
  if (x & 1) return static_cast<uint32_t>(x >> 32);
  const uint32_t exp = 100 + static_cast<uint32_t>((x >> 8) % 56);
  return (static_cast<uint32_t>(x >> 63) << 31) | (exp << 23) | static_cast<uint32_t>((x >> 20) & 0x7FFFFF);
}

}  // namespace

BOOST_AUTO_TEST_CASE(host_rounding_mode_is_nearest) {
  BOOST_REQUIRE(std::fegetround() == FE_TONEAREST);
}

BOOST_AUTO_TEST_CASE(add_sub_mul_on_all_special_pairs) {
  for (uint32_t a : specials()) {
    for (uint32_t b : specials()) {
      BOOST_REQUIRE_MESSAGE(f32_add(a, b) == oracle(a, b, '+'), std::hex << "add " << a << " " << b);
      BOOST_REQUIRE_MESSAGE(f32_sub(a, b) == oracle(a, b, '-'), std::hex << "sub " << a << " " << b);
      BOOST_REQUIRE_MESSAGE(f32_mul(a, b) == oracle(a, b, '*'), std::hex << "mul " << a << " " << b);
    }
  }
}

BOOST_AUTO_TEST_CASE(add_mul_on_ten_million_random_pairs) {
  ncv::tb::Rng r(20261122, "numerics.random_pairs");
  for (int i = 0; i < 10000000; ++i) {
    const uint32_t a = random_f32(r), b = random_f32(r);
    const uint32_t s = f32_add(a, b), m = f32_mul(a, b);
    if (s != oracle(a, b, '+') || m != oracle(a, b, '*')) {
      BOOST_FAIL(std::hex << "a=" << a << " b=" << b << " add=" << s << " (oracle " << oracle(a, b, '+')
                          << ") mul=" << m << " (oracle " << oracle(a, b, '*') << ")");
    }
  }
}

BOOST_AUTO_TEST_CASE(ftz_boundary_and_ties) {
  // 2^-126 - 2^-151 (half an ulp below min normal, unbounded exponent) is a tie: to even = 2^-126.
  const uint32_t a = 0x00800000u;     // 2^-126
  const uint32_t tiny = 0x00000001u;  // 2^-149, the smallest subnormal
  BOOST_TEST(f32_is_subnormal(tiny));
  BOOST_TEST(f32_sub(a, tiny) == a);  // DAZ: the subnormal reads as 0
  // 0.75 * 2^-126 is below min normal: +0. (1 - 2^-24) * 2^-126 = 0x1.fffffep-127 exactly
  // (24 bits, unbounded exponent): below min normal, so 0, although a subnormal-rounding
  // host would round it up to 2^-126. (1 - 2^-23) * 2^-126 * (1 + 2^-23) = 2^-126 (1 - 2^-46)
  // rounds to 2^-126 and stays, although it is below 2^-126 before rounding.
  BOOST_TEST(f32_mul(0x3F400000u, 0x00800000u) == 0u);
  BOOST_TEST(f32_mul(0x3F7FFFFFu, 0x00800000u) == 0u);
  BOOST_TEST(f32_mul(0xBF7FFFFFu, 0x00800000u) == 0x80000000u);
  BOOST_TEST(f32_mul(0x3F7FFFFEu, 0x00800001u) == 0x00800000u);
  BOOST_TEST(f32_mul(0xBF7FFFFEu, 0x00800001u) == 0x80800000u);
  // Ties to even in addition: 1 + 2^-24 = 1 (even), 1 + 3*2^-24 = 1 + 2^-22.
  BOOST_TEST(f32_add(0x3F800000u, 0x33800000u) == 0x3F800000u);
  BOOST_TEST(f32_add(0x3F800000u, 0x34400000u) == 0x3F800002u);
  // x - x = +0; -0 + -0 = -0; Inf - Inf and 0 * Inf are the canonical NaN.
  BOOST_TEST(f32_sub(0x40490FDBu, 0x40490FDBu) == 0u);
  BOOST_TEST(f32_add(0x80000000u, 0x80000000u) == 0x80000000u);
  BOOST_TEST(f32_add(0x7F800000u, 0xFF800000u) == kF32QNaN);
  BOOST_TEST(f32_mul(0x00000000u, 0xFF800000u) == kF32QNaN);
  BOOST_TEST(f32_mul(0x7F7FFFFFu, 0x40000000u) == 0x7F800000u);
}

BOOST_AUTO_TEST_CASE(max_min_relu) {
  BOOST_TEST(f32_max(0x80000000u, 0x00000000u) == 0x00000000u);  // -0 < +0
  BOOST_TEST(f32_min(0x80000000u, 0x00000000u) == 0x80000000u);
  BOOST_TEST(f32_max(0x7FC00001u, 0x3F800000u) == kF32QNaN);
  BOOST_TEST(f32_min(0x3F800000u, 0xFFFFFFFFu) == kF32QNaN);
  BOOST_TEST(f32_max(0x00000001u, 0x80000000u) == 0x00000000u);  // DAZ: subnormal +tiny reads +0
  BOOST_TEST(f32_relu(0x80000000u) == 0u);
  BOOST_TEST(f32_relu(0xBF800000u) == 0u);
  BOOST_TEST(f32_relu(0x3F800000u) == 0x3F800000u);
  BOOST_TEST(f32_relu(0x7FA00000u) == kF32QNaN);
  ncv::tb::Rng r(7, "numerics.maxmin");
  for (int i = 0; i < 1000000; ++i) {
    const uint32_t a = random_f32(r), b = random_f32(r);
    if (f32_is_nan(a) || f32_is_nan(b)) continue;
    const float x = f(f32_daz(a)), y = f(f32_daz(b));
    if (x != y) BOOST_REQUIRE(f(f32_max(a, b)) == std::fmax(x, y) && f(f32_min(a, b)) == std::fmin(x, y));
  }
}

BOOST_AUTO_TEST_CASE(bf16_conversions) {
  for (uint32_t i = 0; i < 0x10000u; ++i) {  // every BF16: exact widening (DAZ, NaN canonical)
    const uint16_t b = static_cast<uint16_t>(i);
    const uint32_t w = bf16_to_f32(b);
    if (bf16_is_nan(b)) {
      BOOST_REQUIRE(w == kF32QNaN);
    } else if ((b & 0x7F80u) == 0) {
      BOOST_REQUIRE(w == (static_cast<uint32_t>(b & 0x8000u) << 16));
    } else {
      BOOST_REQUIRE(w == static_cast<uint32_t>(b) << 16);
      BOOST_REQUIRE(f32_to_bf16(w) == b);  // round trip
    }
  }
  const bool all = std::getenv("NCV_NUMERICS_EXHAUSTIVE") != nullptr;
  const uint64_t step = all ? 1 : 251;  // 2^32 / 251 ~ 1.7e7 samples in CI
  for (uint64_t x = 0; x < (uint64_t(1) << 32); x += step) {
    const uint32_t v = static_cast<uint32_t>(x);
    if (f32_to_bf16(v) != oracle_bf16(v)) {
      BOOST_FAIL(std::hex << "f32_to_bf16(" << v << ") = " << f32_to_bf16(v) << ", oracle " << oracle_bf16(v));
    }
  }
  BOOST_TEST(f32_to_bf16(0x3F808000u) == 0x3F80u);  // tie to even (down)
  BOOST_TEST(f32_to_bf16(0x3F818000u) == 0x3F82u);  // tie to even (up)
  BOOST_TEST(f32_to_bf16(0x7F7FFFFFu) == 0x7F80u);  // overflow to Inf
  BOOST_TEST(f32_to_bf16(0x007FFFFFu) == 0x0000u);  // subnormal input
}

BOOST_AUTO_TEST_CASE(pe_bf16_products) {
  const bool all = std::getenv("NCV_NUMERICS_EXHAUSTIVE") != nullptr;
  const uint64_t step = all ? 1 : 256;  // 2^24 pairs in CI, all 2^32 nightly
  uint64_t checked = 0;
  for (uint64_t x = 0; x < (uint64_t(1) << 32); x += step) {
    // Spread the samples over both operands: an odd multiplier permutes the 32-bit space.
    const uint32_t p = all ? static_cast<uint32_t>(x) : static_cast<uint32_t>(x * 0x9E3779B1ull + (x >> 8));
    const uint16_t a = static_cast<uint16_t>(p >> 16), b = static_cast<uint16_t>(p);
    const uint32_t got = pe_mul_bf16(a, b);
    const uint32_t want = oracle(bf16_to_f32(a), bf16_to_f32(b), '*');
    if (got != want) BOOST_FAIL(std::hex << "pe_mul_bf16(" << a << ", " << b << ") = " << got << ", oracle " << want);
    ++checked;
  }
  BOOST_TEST(checked == (all ? (uint64_t(1) << 32) : (uint64_t(1) << 24)));
}

BOOST_AUTO_TEST_CASE(integer_conversions) {
  BOOST_TEST(i32_to_f32(16777217) == 0x4B800000u);  // 2^24 + 1 ties to even
  BOOST_TEST(i32_to_f32(16777219) == 0x4B800002u);
  BOOST_TEST(i32_to_f32(INT32_MIN) == 0xCF000000u);
  BOOST_TEST(f32_to_i32(0x3F000000u) == 0);  // 0.5 -> 0 (even)
  BOOST_TEST(f32_to_i32(0x3FC00000u) == 2);  // 1.5 -> 2
  BOOST_TEST(f32_to_i32(0x40200000u) == 2);  // 2.5 -> 2
  BOOST_TEST(f32_to_i32(0xC0200000u) == -2);
  BOOST_TEST(f32_to_i32(0x4F000000u) == INT32_MAX);  // 2^31 saturates
  BOOST_TEST(f32_to_i32(0xCF000000u) == INT32_MIN);
  BOOST_TEST(f32_to_i32(0xFF800000u) == INT32_MIN);
  BOOST_TEST(f32_to_i32(0x7FC00000u) == 0);
  BOOST_TEST(i32_to_i8(300) == 127);
  BOOST_TEST(i32_to_i8(-300) == -128);
  BOOST_TEST(i8_to_i32(-5) == -5);
  ncv::tb::Rng r(11, "numerics.int");
  for (int i = 0; i < 1000000; ++i) {
    const int32_t v = static_cast<int32_t>(r.next());
    BOOST_REQUIRE(i32_to_f32(v) == bits(static_cast<float>(v)));  // host int->float is RNE
    const uint32_t x = random_f32(r);
    if (f32_is_nan(x)) continue;
    const double d = std::nearbyint(static_cast<double>(f(f32_daz(x))));
    const int32_t want = d >= 2147483647.0 ? INT32_MAX : d <= -2147483648.0 ? INT32_MIN : static_cast<int32_t>(d);
    BOOST_REQUIRE_MESSAGE(f32_to_i32(x) == want, std::hex << x);
  }
}
