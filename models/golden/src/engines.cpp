#include "ncv/golden/engines.h"

#include <cfloat>
#include <cmath>
#include <cstring>

#include "ncv/golden/numerics.h"

namespace ncv::golden {

namespace {

using isa::Field;
using isa::get;
using isa::Word;

enum Dtype : unsigned { kBF16 = 0, kFP32 = 1, kINT8 = 2, kINT32 = 3 };

unsigned dsize(unsigned dt) {
  return dt == kBF16 ? 2 : dt == kINT8 ? 1 : 4;
}
bool is_int(unsigned dt) {
  return dt == kINT8 || dt == kINT32;
}

struct Operand {
  unsigned mem, dtype;
  uint32_t off;
};

Operand opd(const Word &w, Field mem, Field dtype, Field off) {
  return {unsigned(get(w, mem)), unsigned(get(w, dtype)), uint32_t(get(w, off))};
}

// A value in the compute type: INT32 (i) or FP32 bits (f).
struct Val {
  int32_t i = 0;
  uint32_t f = 0;
};

class Ctx {
 public:
  Ctx(Buffers &b, const TileParams &p) : b_(b), p_(p) {}

  // Range, alignment and dtype checks for `n` elements per partition of [p0, p0+pc).
  ExecResult check(const Operand &o, uint32_t n, unsigned p0, unsigned pc) const {
    if (o.dtype > kINT32) return {Err::kBadDtype, o.off};
    if (o.mem == 1 && !(o.dtype == kFP32 || o.dtype == kINT32)) return {Err::kBadDtype, o.off};
    if (p0 + pc > p_.P) return {Err::kPartRange, p0};
    if (o.off % dsize(o.dtype)) return {Err::kMisaligned, o.off};
    const uint64_t part = o.mem ? p_.PSUM_PART_BYTES : p_.SBUF_PART_BYTES;
    if (uint64_t(o.off) + uint64_t(n) * dsize(o.dtype) > part)
      return {o.mem ? Err::kPsumRange : Err::kSbufRange, o.off};
    return {};
  }

  uint8_t *at(const Operand &o, unsigned p, uint32_t f) {
    auto &v = o.mem ? b_.psum : b_.sbuf;
    const size_t part = o.mem ? p_.PSUM_PART_BYTES : p_.SBUF_PART_BYTES;
    return v.data() + size_t(p) * part + o.off + size_t(f) * dsize(o.dtype);
  }

  Val load(const Operand &o, unsigned p, uint32_t f, bool int_compute) {
    const uint8_t *q = at(o, p, f);
    Val v;
    switch (o.dtype) {
      case kBF16: {
        uint16_t x;
        std::memcpy(&x, q, 2);
        v.f = num::bf16_to_f32(x);
        break;
      }
      case kFP32: std::memcpy(&v.f, q, 4); break;
      case kINT8: v.i = num::i8_to_i32(static_cast<int8_t>(*q)); break;
      default: std::memcpy(&v.i, q, 4); break;
    }
    if (is_int(o.dtype) && !int_compute) v.f = num::i32_to_f32(v.i);
    return v;
  }

  void store(const Operand &o, unsigned p, uint32_t f, const Val &v, bool int_compute) {
    uint8_t *q = at(o, p, f);
    switch (o.dtype) {
      case kBF16: {  // from INT32 compute: INT32 -> FP32 -> BF16, each RNE
        const uint16_t x = num::f32_to_bf16(int_compute ? num::i32_to_f32(v.i) : v.f);
        std::memcpy(q, &x, 2);
        break;
      }
      case kFP32: {
        const uint32_t x = int_compute ? num::i32_to_f32(v.i) : v.f;
        std::memcpy(q, &x, 4);
        break;
      }
      case kINT8: *q = static_cast<uint8_t>(num::i32_to_i8(int_compute ? v.i : num::f32_to_i32(v.f))); break;
      default: {
        const int32_t x = int_compute ? v.i : num::f32_to_i32(v.f);
        std::memcpy(q, &x, 4);
        break;
      }
    }
  }

 private:
  Buffers &b_;
  const TileParams &p_;
};

bool alu_ok(unsigned op, bool allow_none) {
  return op <= 7 || (allow_none && op == 15);
}

Val alu(unsigned op, const Val &a, const Val &b, bool int_compute) {
  Val r;
  if (int_compute) {
    const uint32_t x = uint32_t(a.i), y = uint32_t(b.i);
    switch (op) {
      case 0: r.i = int32_t(x + y); break;
      case 1: r.i = int32_t(x - y); break;
      case 2: r.i = int32_t(x * y); break;
      case 3: r.i = a.i > b.i ? a.i : b.i; break;
      case 4: r.i = a.i < b.i ? a.i : b.i; break;
      case 5: r.i = int32_t(x & y); break;
      case 6: r.i = int32_t(x | y); break;
      case 7: r.i = int32_t(x ^ y); break;
      default: r = a; break;  // NONE
    }
  } else {
    switch (op) {
      case 0: r.f = num::f32_add(a.f, b.f); break;
      case 1: r.f = num::f32_sub(a.f, b.f); break;
      case 2: r.f = num::f32_mul(a.f, b.f); break;
      case 3: r.f = num::f32_max(a.f, b.f); break;
      case 4: r.f = num::f32_min(a.f, b.f); break;
      default: r = a; break;  // NONE (AND/OR/XOR are refused before)
    }
  }
  return r;
}

Val reg_val(const uint32_t regs[16], unsigned r, bool int_compute) {
  Val v;
  const uint32_t x = r ? regs[r] : 0;
  v.i = int32_t(x);
  v.f = x;  // in FP32 compute a register holds FP32 bits
  (void)int_compute;
  return v;
}

// Validates every operand and writes through `body(p, f)` for each element.
template <class Body>
ExecResult for_each(Ctx &c, std::initializer_list<std::pair<const Operand *, uint32_t>> ops, unsigned p0, unsigned pc,
                    Body body, uint32_t n) {
  for (const auto &[o, cnt] : ops) {
    const ExecResult e = c.check(*o, cnt, p0, pc);
    if (e.err != Err::kNone) return e;
  }
  for (unsigned p = p0; p < p0 + pc; ++p)
    for (uint32_t f = 0; f < n; ++f) body(p, f);
  return {};
}

}  // namespace

ExecResult exec_vector(const Word &w, Buffers &buf, const uint32_t regs[16], const TileParams &prm) {
  namespace I = isa;
  Ctx c(buf, prm);
  const unsigned opcode = unsigned(get(w, I::kOpcode));
  auto len_of = [](uint64_t raw) { return raw ? uint32_t(raw) : 4096u; };
  // Every vector/activation opcode starts with PR. TS, TRED, COPY and ACT share the
  // src/dst/len positions, MEMSET and IOTA the dst/len ones (asserted in core.cpp), so
  // those are decoded once here through TS's and MEMSET's fields.
  const unsigned p0 = unsigned(get(w, I::ts::k_pr_p_start)), pc = unsigned(get(w, I::ts::k_pr_p_cnt)) + 1;
  const Operand s = opd(w, I::ts::k_src_mem, I::ts::k_src_dtype, I::ts::k_src_off);
  const Operand d = opd(w, I::ts::k_dst_mem, I::ts::k_dst_dtype, I::ts::k_dst_off);
  const uint32_t n = len_of(get(w, I::ts::k_len));
  const Operand d1 = opd(w, I::memset::k_dst_mem, I::memset::k_dst_dtype, I::memset::k_dst_off);
  const uint32_t n1 = len_of(get(w, I::memset::k_len));
  switch (opcode) {
    case I::TT: {
      namespace F = I::tt;
      const Operand a = opd(w, F::k_a_mem, F::k_a_dtype, F::k_a_off), b = opd(w, F::k_b_mem, F::k_b_dtype, F::k_b_off),
                    o = opd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off);
      const uint32_t len = len_of(get(w, F::k_len));
      const unsigned op = unsigned(get(w, F::k_alu));
      if (!alu_ok(op, false)) return {Err::kReserved, op};
      if (a.mem == 1 && b.mem == 1) return {Err::kBadDtype, b.off};
      const bool ic = is_int(a.dtype) && is_int(b.dtype) && is_int(o.dtype);
      if (op >= 5 && !ic && a.dtype <= kINT32 && b.dtype <= kINT32 && o.dtype <= kINT32) return {Err::kBadDtype, o.off};
      return for_each(
          c, {{&a, len}, {&b, len}, {&o, len}}, p0, pc,
          [&](unsigned p, uint32_t f) { c.store(o, p, f, alu(op, c.load(a, p, f, ic), c.load(b, p, f, ic), ic), ic); },
          len);
    }
    case I::TS: {
      namespace F = I::ts;
      const unsigned op0 = unsigned(get(w, F::k_op0)), op1 = unsigned(get(w, F::k_op1));
      if (!alu_ok(op0, false)) return {Err::kReserved, op0};
      if (!alu_ok(op1, true)) return {Err::kReserved, op1};
      const bool ic = is_int(s.dtype) && is_int(d.dtype);
      if ((op0 >= 5 || (op1 >= 5 && op1 != 15)) && !ic && s.dtype <= kINT32 && d.dtype <= kINT32)
        return {Err::kBadDtype, d.off};
      const Val r0 = reg_val(regs, unsigned(get(w, F::k_r0)), ic), r1 = reg_val(regs, unsigned(get(w, F::k_r1)), ic);
      return for_each(
          c, {{&s, n}, {&d, n}}, p0, pc,
          [&](unsigned p, uint32_t f) {
            c.store(d, p, f, alu(op1, alu(op0, c.load(s, p, f, ic), r0, ic), r1, ic), ic);
          },
          n);
    }
    case I::TRED: {
      namespace F = I::tred;
      const unsigned op = unsigned(get(w, F::k_op));
      if (op > 2) return {Err::kReserved, op};
      const bool neg = get(w, F::k_neg) != 0;
      const bool ic = is_int(s.dtype) && is_int(d.dtype);
      static constexpr unsigned kAlu[3] = {0, 3, 4};  // ADD MAX MIN
      return for_each(
          c, {{&s, n}, {&d, 1}}, p0, pc,
          [&](unsigned p, uint32_t f) {
            if (f) return;
            Val acc = c.load(s, p, 0, ic);
            for (uint32_t k = 1; k < n; ++k) acc = alu(kAlu[op], acc, c.load(s, p, k, ic), ic);
            if (neg) {
              if (ic)
                acc.i = int32_t(0u - uint32_t(acc.i));
              else
                acc.f = num::f32_mul(acc.f, 0xBF800000u);
            }
            c.store(d, p, 0, acc, ic);
          },
          n);
    }
    case I::COPY: {
      const bool raw = s.dtype == d.dtype;
      const bool ic = is_int(s.dtype) && is_int(d.dtype);
      return for_each(
          c, {{&s, n}, {&d, n}}, p0, pc,
          [&](unsigned p, uint32_t f) {
            if (raw)
              std::memcpy(c.at(d, p, f), c.at(s, p, f), dsize(s.dtype));
            else
              c.store(d, p, f, c.load(s, p, f, ic), ic);
          },
          n);
    }
    case I::MEMSET: {
      namespace F = I::memset;
      const unsigned r = unsigned(get(w, F::k_r));
      const uint32_t v = r ? regs[r] : 0;
      return for_each(
          c, {{&d1, n1}}, p0, pc, [&](unsigned p, uint32_t f) { std::memcpy(c.at(d1, p, f), &v, dsize(d1.dtype)); },
          n1);
    }
    case I::IOTA: {
      namespace F = I::iota;
      auto s16 = [](uint64_t x) { return int32_t(int16_t(uint16_t(x))); };
      const int32_t base = s16(get(w, F::k_base)), pm = s16(get(w, F::k_pmul)), fm = s16(get(w, F::k_fmul));
      return for_each(
          c, {{&d1, n1}}, p0, pc,
          [&](unsigned p, uint32_t f) {
            Val v;
            v.i = int32_t(uint32_t(base) + uint32_t(p) * uint32_t(pm) + f * uint32_t(fm));
            c.store(d1, p, f, v, true);
          },
          n1);
    }
    case I::ACT: {
      namespace F = I::act;
      const unsigned func = unsigned(get(w, F::k_func));
      if (func > 1) return {Err::kReserved, func};
      const unsigned sr = unsigned(get(w, F::k_scale_r)), br = unsigned(get(w, F::k_bias_r));
      const uint32_t scale = sr ? regs[sr] : 0x3F800000u, bias = br ? regs[br] : 0u;
      return for_each(
          c, {{&s, n}, {&d, n}}, p0, pc,
          [&](unsigned p, uint32_t f) {
            Val v = c.load(s, p, f, false);
            v.f = num::f32_add(num::f32_mul(v.f, scale), bias);
            if (func == 1) v.f = num::f32_relu(v.f);
            c.store(d, p, f, v, false);
          },
          n);
    }
    default: return {Err::kIllegalOpcode, opcode};
  }
}

namespace {

// FTZ and NaN canonicalisation of a native FP32 result. Valid here because every operand
// is already DAZ'd: a product of two BF16 values is exact (16-bit significands) unless it
// overflows (native gives Inf) or is below 2^-126 (native gives an exact or rounded
// subnormal, and the unbounded-exponent rounding of tile.md flushes it either way); a sum
// of two normals below 2^-126 is exact. So native RNE plus this flush equals
// f32_mul/f32_add bit for bit (checked by the tests against the integer reference).
inline float flush(float v) {
  return std::fabs(v) < FLT_MIN ? std::copysign(0.0f, v) : v;
}

float as_float(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// PE_MM in BF16: for every (m, n) the sum runs k = 0..K-1 in order; the loop nest keeps
// that order per output while letting n vectorise.
void pe_mm_bf16(Ctx &c, const Operand &x, const Operand &out, const PeState &pe, unsigned p0, unsigned K, unsigned N,
                bool acc) {
  const unsigned M = pe.M;
  std::vector<float> xs(size_t(K) * N), ws(size_t(K) * M), s(N);
  for (unsigned k = 0; k < K; ++k) {
    for (unsigned n = 0; n < N; ++n) {
      uint16_t v;
      std::memcpy(&v, c.at(x, p0 + k, n), 2);
      xs[size_t(k) * N + n] = as_float(num::bf16_to_f32(v));
    }
    for (unsigned m = 0; m < M; ++m) ws[size_t(k) * M + m] = as_float(num::bf16_to_f32(pe.w[size_t(k) * M + m]));
  }
  for (unsigned m = 0; m < M; ++m) {
    std::fill(s.begin(), s.end(), 0.0f);
    for (unsigned k = 0; k < K; ++k) {
      const float wv = ws[size_t(k) * M + m];
      const float *xr = &xs[size_t(k) * N];
      for (unsigned n = 0; n < N; ++n) s[n] = flush(s[n] + flush(wv * xr[n]));
    }
    for (unsigned n = 0; n < N; ++n) {
      uint8_t *q = c.at(out, m, n);
      uint32_t r;
      std::memcpy(&r, &s[n], 4);
      if (num::f32_is_nan(r)) r = num::kF32QNaN;
      if (acc) {
        uint32_t old;
        std::memcpy(&old, q, 4);
        r = num::f32_add(old, r);
      }
      std::memcpy(q, &r, 4);
    }
  }
}

}  // namespace

ExecResult exec_pe(const Word &w, Buffers &buf, PeState &pe, const TileParams &prm) {
  namespace I = isa;
  Ctx c(buf, prm);
  const unsigned opcode = unsigned(get(w, I::kOpcode));
  if (opcode == I::PE_LDW) {
    namespace F = I::pe_ldw;
    const unsigned p0 = unsigned(get(w, F::k_pr_p_start)), K = unsigned(get(w, F::k_pr_p_cnt)) + 1;
    const unsigned M = unsigned(get(w, F::k_m_cnt)) + 1, dt = unsigned(get(w, F::k_dtype));
    if (dt != kBF16 && dt != kINT8) return {Err::kBadDtype, dt};
    if (M > prm.P) return {Err::kPartRange, M};
    const Operand src{0, dt, uint32_t(get(w, F::k_src_off))};
    const ExecResult e = c.check(src, M, p0, K);
    if (e.err != Err::kNone) return e;
    PeState next;
    next.loaded = true;
    next.K = K;
    next.M = M;
    next.dtype = dt;
    next.w.resize(size_t(K) * M);
    for (unsigned k = 0; k < K; ++k)
      for (unsigned m = 0; m < M; ++m) {
        uint16_t v = 0;
        std::memcpy(&v, c.at(src, p0 + k, m), dsize(dt));
        next.w[size_t(k) * M + m] = v;
      }
    pe = std::move(next);
    return {};
  }
  if (opcode != I::PE_MM) return {Err::kIllegalOpcode, opcode};
  namespace F = I::pe_mm;
  const unsigned p0 = unsigned(get(w, F::k_pr_p_start)), K = unsigned(get(w, F::k_pr_p_cnt)) + 1;
  const unsigned N = unsigned(get(w, F::k_n_cnt)) + 1, dt = unsigned(get(w, F::k_dtype));
  const bool acc = get(w, F::k_acc) != 0;
  if (dt != kBF16 && dt != kINT8) return {Err::kBadDtype, dt};
  if (!pe.loaded || pe.K != K) return {Err::kNoWeights, K};
  if (dt != pe.dtype) return {Err::kPeDtype, dt};
  if (N > prm.NMAX) return {Err::kNTooBig, N};
  const Operand x{0, dt, uint32_t(get(w, F::k_src_off))};
  const Operand out{1, dt == kBF16 ? kFP32 : kINT32, uint32_t(get(w, F::k_psum_off))};
  ExecResult e = c.check(x, N, p0, K);
  if (e.err == Err::kNone) e = c.check(out, N, 0, pe.M);
  if (e.err != Err::kNone) return e;
  if (dt == kBF16) {
    pe_mm_bf16(c, x, out, pe, p0, K, N, acc);
    return {};
  }
  // INT8: exact products, wrapping INT32 sums.
  for (unsigned m = 0; m < pe.M; ++m) {
    for (unsigned n = 0; n < N; ++n) {
      uint8_t *q = c.at(out, m, n);
      uint32_t s = 0;
      for (unsigned k = 0; k < K; ++k) {
        const int32_t wv = int8_t(uint8_t(pe.w[size_t(k) * pe.M + m]));
        const int32_t xv = int8_t(*c.at(x, p0 + k, n));
        s += uint32_t(wv * xv);
      }
      if (acc) {
        uint32_t old;
        std::memcpy(&old, q, 4);
        s += old;
      }
      std::memcpy(q, &s, 4);
    }
  }
  return {};
}

}  // namespace ncv::golden
