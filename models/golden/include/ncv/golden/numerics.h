// Bit-exact numerics of the NCT tile (tile.md "Numerics"): one library for the golden
// model and the RTL unit tests. Values are bit patterns (uint16_t BF16, uint32_t FP32);
// every operation is integer arithmetic, so nothing depends on the host's FP mode bits.
//
// Rules: inputs that are subnormal read as zero of the same sign (DAZ); a result whose
// magnitude, rounded to the destination precision with an unbounded exponent, is below
// the smallest normal becomes zero of the result's sign (FTZ); any NaN input, Inf - Inf
// and 0 * Inf give the canonical quiet NaN; rounding is to nearest, ties to even;
// overflow gives a signed infinity.
#pragma once

#include <cstdint>

namespace ncv::num {

inline constexpr uint32_t kF32QNaN = 0x7FC00000u;
inline constexpr uint16_t kBF16QNaN = 0x7FC0u;
inline constexpr uint32_t kF32PosInf = 0x7F800000u;

inline constexpr bool f32_is_nan(uint32_t x) {
  return (x & 0x7F800000u) == 0x7F800000u && (x & 0x7FFFFFu);
}
inline constexpr bool f32_is_inf(uint32_t x) {
  return (x & 0x7FFFFFFFu) == 0x7F800000u;
}
inline constexpr bool f32_is_zero(uint32_t x) {
  return (x & 0x7FFFFFFFu) == 0;
}
inline constexpr bool f32_is_subnormal(uint32_t x) {
  return (x & 0x7F800000u) == 0 && (x & 0x7FFFFFu);
}
inline constexpr bool bf16_is_nan(uint16_t x) {
  return (x & 0x7F80u) == 0x7F80u && (x & 0x7Fu);
}

// DAZ: a subnormal reads as zero of its sign.
inline constexpr uint32_t f32_daz(uint32_t x) {
  return (x & 0x7F800000u) == 0 ? (x & 0x80000000u) : x;
}

// Conversions.
uint32_t bf16_to_f32(uint16_t x);  // exact (DAZ, NaN canonical)
uint16_t f32_to_bf16(uint32_t x);  // RNE, FTZ, NaN canonical
uint32_t i32_to_f32(int32_t x);    // RNE
int32_t f32_to_i32(uint32_t x);    // RNE to integer, saturate, NaN -> 0
inline constexpr int8_t i32_to_i8(int32_t x) {
  return x > 127 ? int8_t(127) : x < -128 ? int8_t(-128) : int8_t(x);
}
inline constexpr int32_t i8_to_i32(int8_t x) {
  return x;
}

// FP32 arithmetic.
uint32_t f32_add(uint32_t a, uint32_t b);
uint32_t f32_sub(uint32_t a, uint32_t b);
uint32_t f32_mul(uint32_t a, uint32_t b);
uint32_t f32_max(uint32_t a, uint32_t b);  // NaN if either is NaN; -0 < +0
uint32_t f32_min(uint32_t a, uint32_t b);
uint32_t f32_relu(uint32_t x);  // x > 0 ? x : +0; NaN stays (canonical)

// PE product: BF16 x BF16 in FP32, exact apart from overflow to Inf and FTZ.
uint32_t pe_mul_bf16(uint16_t a, uint16_t b);

// Rounds the exact value (-1)^sign * mant * 2^exp to `sig_bits` significant bits (RNE,
// unbounded exponent), then applies FTZ below 2^-126 and overflow to Inf at 2^128.
// Returns the FP32 bit pattern when sig_bits == 24, the BF16 one (in the low 16 bits)
// when sig_bits == 8. Exposed for tests.
uint32_t round_pack(bool sign, int exp, uint64_t mant, int sig_bits);

}  // namespace ncv::num
