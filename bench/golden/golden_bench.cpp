// bench/golden: speed of the golden model on one core.
//   matmul: MACs per second of PE_MM with K = 128, M = 128, N = 512 in BF16 (the 128 x 128
//           x 512 matmul of issue 3), checked bit for bit against a straightforward
//           reference fold so the fast path can never drift from the semantics.
//   mixed:  instructions per second of a mixed DMA/PE/ACT/DVE program through the queues,
//           built with the program builder and launched through the tile's CSRs.
// Usage: golden_bench [repeats]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "nct_csr_regs.h"
#include "ncv/golden/builder.h"
#include "ncv/golden/core.h"
#include "ncv/golden/engines.h"
#include "ncv/golden/numerics.h"
#include "ncv/golden/tile_model.h"

using namespace ncv::golden;
namespace isa = ncv::isa;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

isa::Word word(uint8_t opcode) {
  isa::Word w;
  isa::put(w, isa::kOpcode, opcode);
  isa::put(w, isa::kWaitSem, isa::kNoSem);
  isa::put(w, isa::kPostSem, isa::kNoSem);
  return w;
}

uint32_t lcg(uint32_t &s) {
  return s = s * 1664525u + 1013904223u;
}

class FlatMem : public DeviceMemory {
 public:
  std::vector<uint8_t> m = std::vector<uint8_t>(1 << 22);
  MemStatus read(uint64_t a, uint8_t *d, size_t n) override {
    if (a + n > m.size()) return MemStatus::kDecodeError;
    std::memcpy(d, m.data() + a, n);
    return MemStatus::kOk;
  }
  MemStatus write(uint64_t a, const uint8_t *s, size_t n) override {
    if (a + n > m.size()) return MemStatus::kDecodeError;
    std::memcpy(m.data() + a, s, n);
    return MemStatus::kOk;
  }
};

}  // namespace

int main(int argc, char **argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 3;
  TileParams p;
  p.P = 128;
  p.SBUF_PART_BYTES = 16384;
  p.PSUM_PART_BYTES = 4096;
  p.NMAX = 512;
  p.NSEM = 32;
  p.AXI_DW = 128;
  const unsigned K = 128, M = 128, N = 512;
  Buffers buf(p);
  uint32_t seed = 1;
  for (unsigned k = 0; k < K; ++k)
    for (unsigned i = 0; i < 4096; ++i) {  // W at 0, X at 1024 (bytes), random normal-ish BF16
      const uint16_t v = uint16_t(0x3C00u + (lcg(seed) >> 20 & 0x07FFu)) | uint16_t((lcg(seed) >> 31) << 15);
      std::memcpy(buf.sbuf.data() + size_t(k) * p.SBUF_PART_BYTES + 2 * i, &v, 2);
    }
  PeState pe;
  isa::Word ldw = word(isa::PE_LDW);
  isa::put(ldw, isa::pe_ldw::k_pr_p_cnt, K - 1);
  isa::put(ldw, isa::pe_ldw::k_m_cnt, M - 1);
  if (exec_pe(ldw, buf, pe, p).err != Err::kNone) return 3;
  isa::Word mm = word(isa::PE_MM);
  isa::put(mm, isa::pe_mm::k_pr_p_cnt, K - 1);
  isa::put(mm, isa::pe_mm::k_src_off, 1024);
  isa::put(mm, isa::pe_mm::k_n_cnt, N - 1);
  double best = 1e9;
  for (int r = 0; r < reps; ++r) {
    const double t0 = now();
    if (exec_pe(mm, buf, pe, p).err != Err::kNone) return 3;
    best = std::min(best, now() - t0);
  }
  // Bit-exact check of a sample of outputs against the reference fold.
  for (unsigned s = 0; s < 64; ++s) {
    const unsigned m = lcg(seed) % M, n = lcg(seed) % N;
    uint32_t acc = 0;
    for (unsigned k = 0; k < K; ++k) {
      uint16_t xv;
      std::memcpy(&xv, buf.sbuf.data() + size_t(k) * p.SBUF_PART_BYTES + 1024 + 2 * n, 2);
      acc = ncv::num::f32_add(acc, ncv::num::pe_mul_bf16(pe.w[size_t(k) * M + m], xv));
    }
    uint32_t got;
    std::memcpy(&got, buf.psum.data() + size_t(m) * p.PSUM_PART_BYTES + 4 * n, 4);
    if (got != acc) {
      std::fprintf(stderr, "golden_bench: PSUM[%u][%u] = 0x%08X, reference 0x%08X\n", m, n, got, acc);
      return 1;
    }
  }
  const double macs = double(K) * M * N;
  std::printf("matmul_bf16 K=%u M=%u N=%u: %.3f s best of %d, %.3g MACs/s\n", K, M, N, best, reps, macs / best);

  // Mixed program through the queues, launched through the CSR page as firmware does:
  // Q0 DMA, Q1 PE, Q2 ACT, Q3 DVE, independent data, built with the program builder.
  namespace B = build;
  FlatMem mem;
  TileParams q = p;
  q.P = 8;
  q.SBUF_PART_BYTES = 16384;
  q.PSUM_PART_BYTES = 4096;
  TileModel tile(q, &mem);
  const unsigned per_queue = 4000;
  const uint64_t ring[4] = {0x100000, 0x200000, 0x300000, 0x380000};
  std::vector<isa::Word> prog[4];
  prog[1].push_back(B::pe_ldw({0, 8}, 0, 8, isa::dtype::kBf16));
  for (unsigned i = 0; i < per_queue; ++i) {
    prog[0].push_back(B::dma(false, 0, {0, 8}, 8192, 256, 0));
    if (i) prog[1].push_back(B::pe_mm({0, 8}, 0, 32, isa::dtype::kBf16, 0, false));
    prog[2].push_back(B::act({0, 8}, B::psum(isa::dtype::kFp32, 0), B::sbuf(isa::dtype::kFp32, 4096), 32,
                             isa::func::kIdent, 0, 0));
    prog[3].push_back(B::tt({0, 8}, B::sbuf(isa::dtype::kFp32, 12288), B::sbuf(isa::dtype::kFp32, 12288),
                            B::sbuf(isa::dtype::kFp32, 14336), 64, isa::alu::kAdd));
  }
  tile.csr_write(NCT_CSR_CTRL, NCT_CSR_CTRL_SOFT_RESET_MASK);
  for (unsigned qi = 0; qi < 4; ++qi) {
    for (size_t i = 0; i < prog[qi].size(); ++i) {
      std::memcpy(mem.m.data() + ring[qi] + 16 * i, &prog[qi][i].lo, 8);
      std::memcpy(mem.m.data() + ring[qi] + 16 * i + 8, &prog[qi][i].hi, 8);
    }
    tile.csr_write(NCT_CSR_Q_BASE_LO(qi), uint32_t(ring[qi]));
    tile.csr_write(NCT_CSR_Q_SIZE(qi), 12);
  }
  tile.csr_write(NCT_CSR_CTRL, NCT_CSR_CTRL_ENABLE_MASK);
  for (unsigned qi = 0; qi < 4; ++qi) tile.csr_write(NCT_CSR_Q_TAIL(qi), uint32_t(prog[qi].size()));
  const double t0 = now();
  const uint64_t n = tile.run();
  const double dt = now() - t0;
  if (n != 4 * per_queue || tile.csr_read(NCT_CSR_ERR_CODE) != 0) {
    std::fprintf(stderr, "golden_bench: mixed program ran %llu instructions, error 0x%02X\n",
                 static_cast<unsigned long long>(n), tile.csr_read(NCT_CSR_ERR_CODE));
    return 1;
  }
  std::printf("mixed program: %llu instructions in %.3f s, %.3g instructions/s (CSR launch; %llu MACs, "
              "%u DMA bytes read)\n",
              static_cast<unsigned long long>(n), dt, double(n) / dt,
              static_cast<unsigned long long>(tile.core().perf().macs), tile.csr_read(NCT_CSR_PERF_DMA_RD));
  return 0;
}
