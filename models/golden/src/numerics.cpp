#include "ncv/golden/numerics.h"

namespace ncv::num {

namespace {

int msb64(uint64_t x) {
  return 63 - __builtin_clzll(x);
}

// Unpacked normal or zero FP32 (after DAZ): value = (-1)^s * m * 2^e, m has 24 bits.
struct Unpacked {
  bool s;
  int e;
  uint64_t m;  // 0 for zero
};

Unpacked unpack(uint32_t x) {
  const bool s = x >> 31;
  const int be = static_cast<int>((x >> 23) & 0xFF);
  if (be == 0) return {s, 0, 0};
  return {s, be - 127 - 23, (x & 0x7FFFFFu) | 0x800000u};
}

}  // namespace

uint32_t round_pack(bool sign, int exp, uint64_t mant, int sig_bits) {
  const uint32_t sbit = sign ? 1u : 0u;
  const bool bf16 = sig_bits == 8;
  if (mant == 0) return bf16 ? (sbit << 15) : (sbit << 31);
  const int p = msb64(mant);
  if (p > sig_bits - 1) {
    const int sh = p - (sig_bits - 1);
    const uint64_t kept = mant >> sh;
    const uint64_t rem = mant & ((uint64_t(1) << sh) - 1);
    const uint64_t half = uint64_t(1) << (sh - 1);
    uint64_t r = kept;
    if (rem > half || (rem == half && (kept & 1))) ++r;
    exp += sh;
    if (r >> sig_bits) {  // rounding carried into a new bit
      r >>= 1;
      ++exp;
    }
    mant = r;
  } else {
    exp -= (sig_bits - 1) - p;
    mant <<= (sig_bits - 1) - p;
  }
  // value = mant * 2^exp with mant in [2^(sig-1), 2^sig): unbiased exponent E.
  const int E = exp + sig_bits - 1;
  const int frac_bits = sig_bits - 1;
  if (E < -126) return bf16 ? (sbit << 15) : (sbit << 31);  // FTZ
  if (E > 127) return bf16 ? ((sbit << 15) | 0x7F80u) : ((sbit << 31) | kF32PosInf);
  const uint32_t frac = static_cast<uint32_t>(mant) & ((1u << frac_bits) - 1);
  const uint32_t be = static_cast<uint32_t>(E + 127);
  return bf16 ? ((sbit << 15) | (be << 7) | frac) : ((sbit << 31) | (be << 23) | frac);
}

uint32_t bf16_to_f32(uint16_t x) {
  if (bf16_is_nan(x)) return kF32QNaN;
  return f32_daz(static_cast<uint32_t>(x) << 16);
}

uint16_t f32_to_bf16(uint32_t x) {
  if (f32_is_nan(x)) return kBF16QNaN;
  x = f32_daz(x);
  if (f32_is_inf(x)) return static_cast<uint16_t>(x >> 16);
  const Unpacked u = unpack(x);
  return static_cast<uint16_t>(round_pack(u.s, u.e, u.m, 8));
}

uint32_t i32_to_f32(int32_t x) {
  const bool s = x < 0;
  const uint64_t m = s ? static_cast<uint64_t>(-static_cast<int64_t>(x)) : static_cast<uint64_t>(x);
  return round_pack(s, 0, m, 24);
}

int32_t f32_to_i32(uint32_t x) {
  if (f32_is_nan(x)) return 0;
  x = f32_daz(x);
  const Unpacked u = unpack(x);
  if (f32_is_inf(x)) return u.s ? INT32_MIN : INT32_MAX;
  if (u.m == 0) return 0;
  int64_t mag;
  if (u.e >= 0) {
    if (u.e > 31) return u.s ? INT32_MIN : INT32_MAX;
    mag = static_cast<int64_t>(u.m << u.e);
  } else if (u.e < -25) {
    mag = 0;  // below 0.5
  } else {
    const int sh = -u.e;
    const uint64_t kept = u.m >> sh, rem = u.m & ((uint64_t(1) << sh) - 1), half = uint64_t(1) << (sh - 1);
    mag = static_cast<int64_t>(kept + ((rem > half || (rem == half && (kept & 1))) ? 1 : 0));
  }
  const int64_t v = u.s ? -mag : mag;
  return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : static_cast<int32_t>(v);
}

uint32_t f32_add(uint32_t a, uint32_t b) {
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32QNaN;
  a = f32_daz(a);
  b = f32_daz(b);
  const bool ai = f32_is_inf(a), bi = f32_is_inf(b);
  if (ai || bi) {
    if (ai && bi && ((a ^ b) >> 31)) return kF32QNaN;  // Inf - Inf
    return ai ? a : b;
  }
  if (f32_is_zero(a) && f32_is_zero(b)) return a & b & 0x80000000u;  // -0 only if both are -0
  if (f32_is_zero(a)) return b;
  if (f32_is_zero(b)) return a;
  Unpacked x = unpack(a), y = unpack(b);
  if (x.e < y.e || (x.e == y.e && x.m < y.m)) {
    const Unpacked t = x;
    x = y;
    y = t;
  }
  // 32 guard bits; the smaller operand's shifted-out bits fold into a sticky bit.
  constexpr int kGuard = 32;
  const uint64_t mx = x.m << kGuard;
  const int d = x.e - y.e;
  uint64_t my = y.m << kGuard;
  if (d >= 63) {
    my = 1;  // sticky only
  } else if (d > 0) {
    const uint64_t lost = my & ((uint64_t(1) << d) - 1);
    my = (my >> d) | (lost ? 1 : 0);
  }
  const int e = x.e - kGuard;
  if (x.s == y.s) return round_pack(x.s, e, mx + my, 24);
  const uint64_t diff = mx - my;
  if (diff == 0) return 0;  // exact cancellation gives +0 in round-to-nearest
  return round_pack(x.s, e, diff, 24);
}

uint32_t f32_sub(uint32_t a, uint32_t b) {
  return f32_add(a, f32_is_nan(b) ? b : (b ^ 0x80000000u));
}

uint32_t f32_mul(uint32_t a, uint32_t b) {
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32QNaN;
  a = f32_daz(a);
  b = f32_daz(b);
  const bool s = (a ^ b) >> 31;
  const bool ai = f32_is_inf(a), bi = f32_is_inf(b), az = f32_is_zero(a), bz = f32_is_zero(b);
  if ((ai && bz) || (bi && az)) return kF32QNaN;  // 0 * Inf
  if (ai || bi) return (static_cast<uint32_t>(s) << 31) | kF32PosInf;
  if (az || bz) return static_cast<uint32_t>(s) << 31;
  const Unpacked x = unpack(a), y = unpack(b);
  return round_pack(s, x.e + y.e, x.m * y.m, 24);
}

namespace {
// Total order on non-NaN FP32 after DAZ, with -0 < +0: a key that compares as integers.
int64_t order_key(uint32_t x) {
  return (x >> 31) ? -static_cast<int64_t>(x & 0x7FFFFFFFu) - 1 : static_cast<int64_t>(x);
}
}  // namespace

uint32_t f32_max(uint32_t a, uint32_t b) {
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32QNaN;
  a = f32_daz(a);
  b = f32_daz(b);
  return order_key(a) >= order_key(b) ? a : b;
}

uint32_t f32_min(uint32_t a, uint32_t b) {
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32QNaN;
  a = f32_daz(a);
  b = f32_daz(b);
  return order_key(a) <= order_key(b) ? a : b;
}

uint32_t f32_relu(uint32_t x) {
  if (f32_is_nan(x)) return kF32QNaN;
  x = f32_daz(x);
  return (x >> 31) || f32_is_zero(x) ? 0u : x;
}

uint32_t pe_mul_bf16(uint16_t a, uint16_t b) {
  return f32_mul(bf16_to_f32(a), bf16_to_f32(b));
}

}  // namespace ncv::num
