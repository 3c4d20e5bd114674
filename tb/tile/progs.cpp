#include "progs.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "nct_isa.h"
#include "ncv/golden/numerics.h"

namespace ncv::tbtile {

namespace B = golden::build;
namespace D = isa::dtype;

namespace {

constexpr uint64_t kMemLo = 0x10000, kMemHi = 0x50000;  // device memory the DMA queue owns

unsigned dsize(unsigned dt) {
  return dt == D::kBf16 ? 2 : dt == D::kInt8 ? 1 : 4;
}

uint32_t corner_f32(tb::Rng &r) {
  static const uint32_t k[] = {0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001,
                               0x00000001, 0x807FFFFF, 0x00800000, 0x80800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000,
                               0xBF800000, 0x3F808000, 0x3F818000, 0x4B000001, 0x4F000000, 0xCF000000, 0x3F000000};
  return k[r.range(0, sizeof k / sizeof k[0] - 1)];
}

uint32_t corner_i32(tb::Rng &r) {
  static const uint32_t k[] = {0x00000000, 0x00000001, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x0000007F, 0xFFFFFF80,
                               0x00000080, 0xFFFFFF7F, 0x00010000};
  return k[r.range(0, sizeof k / sizeof k[0] - 1)];
}

// A random value for a register or a memory word: random bits, a normal-ish float, or a corner.
uint32_t value32(tb::Rng &r, double corner) {
  if (r.chance(corner)) return r.chance(0.5) ? corner_f32(r) : corner_i32(r);
  if (r.chance(0.5)) {  // a float of moderate exponent: exercises arithmetic, not only NaN
    const uint32_t e = uint32_t(r.range(110, 140));
    return uint32_t(r.next() & 0x807FFFFFu) | (e << 23);
  }
  return uint32_t(r.next());
}

struct Zone {
  uint32_t lo, hi;  // byte range in every partition
};

struct Gen {
  const golden::TileParams &p;
  tb::Rng &r;
  const GenKnobs &k;

  Zone sbuf_zone(unsigned z) const { return {z * (p.SBUF_PART_BYTES / 4), (z + 1) * (p.SBUF_PART_BYTES / 4)}; }
  Zone psum_zone(unsigned z) const { return {z * (p.PSUM_PART_BYTES / 4), (z + 1) * (p.PSUM_PART_BYTES / 4)}; }

  B::Pr pr() {
    if (r.chance(0.4)) return {0, p.P};
    const unsigned s = unsigned(r.range(0, p.P - 1));
    return {s, unsigned(r.range(1, p.P - s))};
  }
  unsigned len(uint32_t cap) {  // elements, mostly short, sometimes the most that fit
    cap = std::min<uint32_t>(cap, 4096);
    if (r.chance(0.1)) return cap;
    return unsigned(r.range(1, std::min<uint32_t>(cap, r.chance(0.7) ? 16 : 128)));
  }
  // An operand of `n` elements in zone z of memory `mem`.
  B::Opd opd(unsigned mem, unsigned dt, unsigned n, unsigned z) {
    const Zone zn = mem ? psum_zone(z) : sbuf_zone(z);
    const uint32_t sz = dsize(dt), span = n * sz;
    const uint32_t slots = (zn.hi - zn.lo - span) / sz;
    return {mem, dt, zn.lo + sz * uint32_t(r.range(0, slots))};
  }
  unsigned any_dtype() { return unsigned(r.range(0, 3)); }
  unsigned mem_and_dtype(unsigned &dt) {  // PSUM holds FP32/INT32 only
    const unsigned mem = r.chance(0.3) ? 1u : 0u;
    dt = mem ? (r.chance(0.5) ? D::kFp32 : D::kInt32) : any_dtype();
    return mem;
  }
  uint32_t cap(unsigned mem, unsigned dt) const {
    return (mem ? p.PSUM_PART_BYTES / 4 : p.SBUF_PART_BYTES / 4) / dsize(dt);
  }
};

}  // namespace

std::vector<uint8_t> corner_bytes(tb::Rng &rng, size_t n, double corner) {
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i + 4 <= n; i += 4) {
    uint32_t v = value32(rng, corner);
    if (rng.chance(0.2)) {  // a pair of BF16 values instead
      const uint32_t a = value32(rng, corner) >> 16, c = value32(rng, corner) >> 16;
      v = a | (c << 16);
    }
    std::memcpy(&b[i], &v, 4);
  }
  return b;
}

Stimulus random_program(const golden::TileParams &p, tb::Rng &r, const GenKnobs &k) {
  Stimulus st;
  auto &Q = st.prog.queues;
  Gen g{p, r, k};
  const unsigned bar = p.NSEM - 1;  // the barrier semaphore
  bool pe_loaded = false;
  unsigned pe_k = 0, pe_dt = 0;
  st.image.push_back({kMemLo, corner_bytes(r, kMemHi - kMemLo, k.corner)});
  for (unsigned e = 0; e < k.epochs; ++e) {
    for (unsigned q = 0; q < 4; ++q) {
      auto &P = Q[q];
      const unsigned z = (q + e) % 4;
      if (e) {  // barrier: wait until all four queues finished epoch e-1
        B::Sync y;
        if (k.barriers) {
          y.wait_sem = bar;
          y.wait_val = 4 * e;
        }
        P.push_back(B::sem(bar, isa::semop::kAdd, 0, y));
      }
      const bool on = (q == 0 && k.dma) || (q == 1 && k.pe) || (q == 2 && k.act) || (q == 3 && k.dve);
      const unsigned n_ops = on ? unsigned(r.range(k.min_ops, k.max_ops)) : 0;
      for (unsigned i = 0; i < n_ops; ++i) {
        if (r.chance(0.08)) P.push_back(B::notify(unsigned(r.range(0, 0xFFFF)), r.chance(0.3)));
        if (r.chance(0.05)) P.push_back(B::setr(unsigned(r.range(0, 15)), uint32_t(r.next())));  // any queue, R0 too
        if (q == 0) {
          const bool st_op = r.chance(0.4);
          const B::Pr pr = g.pr();
          const Zone zn = g.sbuf_zone(z);
          const uint32_t bytes = unsigned(r.range(1, std::min<uint32_t>(k.max_dma_bytes, zn.hi - zn.lo)));
          const uint32_t sb = zn.lo + uint32_t(r.range(0, zn.hi - zn.lo - bytes));
          unsigned sr = 0;
          uint64_t stride = bytes;
          if (r.chance(0.4)) {
            stride = r.chance(0.2) ? 0 : r.range(1, 2 * bytes);
            sr = unsigned(r.range(1, 15));
            P.push_back(B::setr(sr, uint32_t(stride)));
          }
          const uint64_t extent = (pr.count - 1) * stride + bytes;
          const uint64_t addr = kMemLo + r.range(0, (kMemHi - kMemLo) - extent);
          P.push_back(B::dma(st_op, addr, pr, sb, bytes, sr));
        } else if (q == 1) {
          if (!pe_loaded || r.chance(0.3)) {
            const unsigned dt = r.chance(0.6) ? D::kBf16 : D::kInt8;
            const unsigned kk = unsigned(r.range(1, p.P)), s = unsigned(r.range(0, p.P - kk));
            const unsigned m = unsigned(r.range(1, p.P));
            const B::Opd src = g.opd(0, dt, m, z);
            P.push_back(B::pe_ldw({s, kk}, src.off, m, dt));
            pe_loaded = true, pe_k = kk, pe_dt = dt;
          } else {
            const unsigned nmax = std::min(p.NMAX, (p.PSUM_PART_BYTES / 4) / 4);
            const unsigned n = r.chance(0.15) ? nmax : unsigned(r.range(1, nmax));
            const unsigned s = unsigned(r.range(0, p.P - pe_k));
            const B::Opd x = g.opd(0, pe_dt, n, z);
            const B::Opd out = g.opd(1, D::kFp32, n, z);
            P.push_back(B::pe_mm({s, pe_k}, x.off, n, pe_dt, out.off, r.chance(0.5)));
          }
        } else {
          // Vector engines: Q2 ACT and COPY; Q3 TT, TS, TRED, COPY, MEMSET, IOTA.
          const B::Pr pr = g.pr();
          unsigned op;
          if (q == 2)
            op = r.chance(0.7) ? isa::ACT : isa::COPY;
          else {
            static const unsigned ops[] = {isa::TT, isa::TS, isa::TRED, isa::COPY, isa::MEMSET, isa::IOTA};
            op = ops[r.range(0, 5)];
          }
          unsigned sdt, ddt;
          const unsigned smem = g.mem_and_dtype(sdt), dmem = g.mem_and_dtype(ddt);
          switch (op) {
            case isa::ACT: {
              const unsigned n = g.len(std::min(g.cap(smem, sdt), g.cap(dmem, ddt)));
              unsigned sr = 0, br = 0;
              if (r.chance(0.7)) P.push_back(B::setr(sr = 1, r.chance(0.5) ? value32(r, k.corner) : 0x3FC00000u));
              if (r.chance(0.7)) P.push_back(B::setr(br = 2, value32(r, k.corner)));
              P.push_back(B::act(pr, g.opd(smem, sdt, n, z), g.opd(dmem, ddt, n, z), n, unsigned(r.range(0, 1)), sr,
                                 br));
              break;
            }
            case isa::COPY: {
              const unsigned n = g.len(std::min(g.cap(smem, sdt), g.cap(dmem, ddt)));
              P.push_back(B::copy(pr, g.opd(smem, sdt, n, z), g.opd(dmem, ddt, n, z), n));
              break;
            }
            case isa::TT: {
              unsigned bdt;
              unsigned bmem = smem ? 0u : (r.chance(0.3) ? 1u : 0u);  // a and b not both PSUM
              bdt = bmem ? (r.chance(0.5) ? D::kFp32 : D::kInt32) : g.any_dtype();
              unsigned alu = unsigned(r.range(0, 7));
              const bool ints = (sdt == D::kInt8 || sdt == D::kInt32) && (bdt == D::kInt8 || bdt == D::kInt32) &&
                                (ddt == D::kInt8 || ddt == D::kInt32);
              if (alu >= 5 && !ints) alu = unsigned(r.range(0, 4));
              const unsigned n = g.len(std::min({g.cap(smem, sdt), g.cap(bmem, bdt), g.cap(dmem, ddt)}));
              P.push_back(B::tt(pr, g.opd(smem, sdt, n, z), g.opd(bmem, bdt, n, z), g.opd(dmem, ddt, n, z), n, alu));
              break;
            }
            case isa::TS: {
              const bool ints = (sdt == D::kInt8 || sdt == D::kInt32) && (ddt == D::kInt8 || ddt == D::kInt32);
              unsigned op0 = unsigned(r.range(0, ints ? 7 : 4));
              unsigned op1 = r.chance(0.3) ? isa::alu::kNone : unsigned(r.range(0, ints ? 7 : 4));
              P.push_back(B::setr(3, value32(r, k.corner)));
              P.push_back(B::setr(4, value32(r, k.corner)));
              const unsigned n = g.len(std::min(g.cap(smem, sdt), g.cap(dmem, ddt)));
              P.push_back(B::ts(pr, g.opd(smem, sdt, n, z), g.opd(dmem, ddt, n, z), n, op0, r.chance(0.2) ? 0 : 3, op1,
                                4));
              break;
            }
            case isa::TRED: {
              const unsigned n = g.len(g.cap(smem, sdt));
              P.push_back(B::tred(pr, g.opd(smem, sdt, n, z), g.opd(dmem, ddt, 1, z), n, unsigned(r.range(0, 2)),
                                  r.chance(0.3)));
              break;
            }
            case isa::MEMSET: {
              P.push_back(B::setr(5, value32(r, k.corner)));
              const unsigned n = g.len(g.cap(dmem, ddt));
              P.push_back(B::memset(pr, g.opd(dmem, ddt, n, z), n, r.chance(0.1) ? 0 : 5));
              break;
            }
            default: {  // IOTA
              const unsigned n = g.len(g.cap(dmem, ddt));
              auto s16 = [&] { return int(r.range(0, 65535)) - 32768; };
              P.push_back(B::iota(pr, g.opd(dmem, ddt, n, z), n, s16(), r.chance(0.5) ? s16() : 1,
                                  r.chance(0.5) ? s16() : 1));
              break;
            }
          }
        }
      }
      P.push_back(B::sem(bar, isa::semop::kAdd, 1));  // epoch e done
    }
  }
  for (unsigned q = 0; q < 4; ++q) Q[q].push_back(B::halt(unsigned(r.range(0, 255)), r.chance(0.7)));
  return st;
}

std::vector<unsigned> error_codes() {
  return {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x10, 0x11, 0x12, 0x20, 0x21};
}

Stimulus error_program(const golden::TileParams &p, unsigned code, tb::Rng &r) {
  Stimulus st;
  auto &Q = st.prog.queues;
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", code);
  st.expect_error = buf;
  unsigned q = 3;
  std::vector<isa::Word> bad;
  const B::Opd f32 = B::sbuf(D::kFp32, 0);
  switch (code) {
    case 0x01: {
      q = 1;
      isa::Word w;
      isa::put(w, isa::kOpcode, 0x7F);
      isa::put(w, isa::kWaitSem, isa::kNoSem);
      isa::put(w, isa::kPostSem, isa::kNoSem);
      bad.push_back(w);
      break;
    }
    case 0x02: {
      q = 0;  // TT is not legal on the DMA queue
      bad.push_back(B::tt({0, 1}, f32, f32, f32, 1, isa::alu::kAdd));
      break;
    }
    case 0x03: {
      q = 2;
      isa::Word w = B::halt(0, false);
      isa::put(w, isa::Field{0, 1}, 1);  // a reserved bit
      bad.push_back(w);
      break;
    }
    case 0x04: bad.push_back(B::copy({0, 1}, {0, 5, 0}, B::sbuf(D::kFp32, 64), 1)); break;
    case 0x05: bad.push_back(B::copy({p.P - 1, 2}, f32, B::sbuf(D::kFp32, 64), 4)); break;
    case 0x06: bad.push_back(B::copy({0, 1}, B::sbuf(D::kFp32, p.SBUF_PART_BYTES - 12), B::sbuf(D::kFp32, 64), 4)); break;
    case 0x07: bad.push_back(B::copy({0, 1}, f32, B::psum(D::kFp32, p.PSUM_PART_BYTES - 4), 4)); break;
    case 0x08: bad.push_back(B::copy({0, 1}, B::sbuf(D::kFp32, 2), B::sbuf(D::kFp32, 64), 1)); break;
    case 0x09:
      q = 1;
      bad.push_back(B::pe_mm({0, p.P}, 0, 4, D::kBf16, 0, false));
      break;
    case 0x0A:
      q = 1;
      bad.push_back(B::pe_ldw({0, p.P}, 0, p.P, D::kBf16));
      bad.push_back(B::pe_mm({0, p.P}, 0, 4, D::kInt8, 0, false));
      break;
    case 0x0B:
      q = 1;
      bad.push_back(B::pe_ldw({0, p.P}, 0, p.P, D::kBf16));
      bad.push_back(B::pe_mm({0, p.P}, 0, p.NMAX + 1, D::kBf16, 0, false));
      break;
    case 0x10:  // nothing decodes the address (past the 16 MiB device memory)
      q = 0;
      bad.push_back(B::dma(false, 0x10000, {0, p.P}, 0, 64, 0));
      bad.push_back(B::dma(false, 0xFFFFFF0000ull, {0, 2}, 128, 48, 0));
      break;
    case 0x11:  // the slave answers SLVERR on the second partition row
      q = 0;
      st.bus_errors.push_back({0x60100, 0x60200});
      bad.push_back(B::dma(false, 0x60000, {0, 2}, 256, 96, 0));
      bad.push_back(B::setr(1, 0x100));
      bad.push_back(B::dma(true, 0x60000, {0, 3}, 0, 64, 1));
      break;
    case 0x12:  // the ring's second entry cannot be read (tile_main marks it)
      q = 2;
      bad.push_back(B::setr(1, 1));
      bad.push_back(B::setr(2, 2));
      break;
    case 0x20: {  // waits for a semaphore nobody posts: the watchdog stops the queue
      q = 2;
      st.watchdog = 3000;
      B::Sync y;
      y.wait_sem = 9;
      y.wait_val = 1;
      bad.push_back(B::setr(1, 1));
      bad.push_back(B::setr(2, 2, y));
      break;
    }
    case 0x21:  // 4 records, 3 usable: the fourth NOTIFY overflows
      q = 2;
      st.nq_log2 = 2;
      for (int i = 0; i < 5; ++i) bad.push_back(B::notify(unsigned(i), false));
      break;
    default: throw std::invalid_argument("no error program for code " + std::to_string(code));
  }
  Q[q] = bad;
  if (code == 0x21) {  // no other records: which one overflows must not depend on timing
    Q[q].push_back(B::halt(1, false));
    return st;
  }
  // Another queue runs a clean program to completion meanwhile.
  const unsigned other = q == 3 ? 2 : 3;
  for (int i = 0; i < 4; ++i) Q[other].push_back(B::setr(unsigned(1 + i), uint32_t(r.next())));
  Q[other].push_back(B::halt(7, true));
  return st;
}

std::vector<std::string> kernel_names() {
  return {"matmul", "mlp", "attention", "reduce"};
}

Stimulus kernel_program(const golden::TileParams &p, const std::string &name, tb::Rng &r) {
  Stimulus st;
  st.random_buffers = false;
  auto bf16 = [&](size_t n) {
    std::vector<uint16_t> v(n);
    for (auto &x : v) {
      // Normal-ish values around 1 with both signs.
      const uint32_t f = (uint32_t(r.range(120, 130)) << 23) | uint32_t(r.next() & 0x807FFFFFu);
      x = num::f32_to_bf16(f);
    }
    return v;
  };
  if (name == "matmul" || name == "mlp") {
    const unsigned M = unsigned(r.range(1, 3 * p.P)), K = unsigned(r.range(1, 3 * p.P));
    const unsigned N = unsigned(r.range(1, 2 * std::min(p.NMAX, p.PSUM_PART_BYTES / 4) + 5));
    const auto a = bf16(size_t(M) * K), b = bf16(size_t(K) * N);
    B::MatmulOptions o;
    std::vector<float> bias(N);
    if (name == "mlp") {
      for (auto &x : bias) x = float(int(r.range(0, 200)) - 100) / 64.0f;
      o.bias = bias.data();
    }
    st.prog = B::matmul(a.data(), b.data(), M, K, N, p, o);
  } else if (name == "attention") {
    const unsigned S = unsigned(r.range(1, 2 * p.P)), T = unsigned(r.range(1, std::min(p.NMAX, p.PSUM_PART_BYTES / 4)));
    const unsigned Dm = unsigned(r.range(1, 2 * p.P));
    const auto qm = bf16(size_t(S) * Dm), km = bf16(size_t(T) * Dm);
    st.prog = B::attention_scores(qm.data(), km.data(), S, T, Dm, 0.125f, p);
  } else if (name == "reduce") {
    const unsigned R = unsigned(r.range(1, 3 * p.P)), L = unsigned(r.range(1, 200));
    std::vector<float> x(size_t(R) * L);
    for (auto &v : x) v = float(int(r.range(0, 2000)) - 1000) / 16.0f;
    st.prog = B::reduce_rows(x.data(), R, L, unsigned(r.range(0, 2)), p);
  } else {
    throw std::invalid_argument("unknown kernel " + name);
  }
  return st;
}

}  // namespace ncv::tbtile
