#define BOOST_TEST_MODULE golden
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <vector>

#include "nct_csr_regs.h"
#include "ncv/golden/builder.h"
#include "ncv/golden/numerics.h"
#include "ncv/golden/tile_model.h"

using ncv::golden::TileModel;
using ncv::golden::TileParams;

static TileParams params(uint32_t P) {
  TileParams p;
  p.P = P;
  p.SBUF_PART_BYTES = 16384;
  p.PSUM_PART_BYTES = 2048;
  p.NMAX = 128;
  p.NSEM = 32;
  p.AXI_DW = 128;
  p.FEATURES = 3;
  p.VERSION_MAJOR = 1;
  p.VERSION_MINOR = 2;
  p.VERSION_PATCH = 3;
  return p;
}

BOOST_AUTO_TEST_CASE(config_registers_follow_parameters) {
  TileModel m(params(8));
  BOOST_TEST(m.csr_read(NCT_CSR_ID) == 0x4E435431u);
  BOOST_TEST(m.csr_read(NCT_CSR_VERSION) == 0x00010203u);
  // P=8, NSEM=32, NMAX/16=8, AXI bytes=16
  BOOST_TEST(m.csr_read(NCT_CSR_CONFIG0) == ((16u << 24) | (8u << 16) | (32u << 8) | 8u));
  // SBUF 16 KiB, PSUM 2 KiB, features 3
  BOOST_TEST(m.csr_read(NCT_CSR_CONFIG1) == ((3u << 24) | (2u << 12) | 16u));
  BOOST_TEST(m.csr_read(0xFFC) == 0u);
}

BOOST_AUTO_TEST_CASE(ctrl_soft_reset_self_clears) {
  TileModel m(params(4));
  m.csr_write(NCT_CSR_CTRL, 0xFFFFFFFFu);
  BOOST_TEST(m.csr_read(NCT_CSR_CTRL) == (NCT_CSR_CTRL_ENABLE_MASK | NCT_CSR_CTRL_HALT_ALL_MASK));
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_refused_with_the_field) {
  try {
    TileModel m(params(6));
    BOOST_FAIL("P=6 accepted");
  } catch (const std::invalid_argument &e) {
    BOOST_TEST(std::string(e.what()).find("P = 6") != std::string::npos);
  }
  TileParams p = params(8);
  p.NMAX = 100;
  BOOST_CHECK_THROW(TileModel{p}, std::invalid_argument);
}

// ---- The C++ program builder and the CSR front together, as a C++ testbench uses them.

namespace {

class Mem : public ncv::golden::DeviceMemory {
 public:
  std::vector<uint8_t> m = std::vector<uint8_t>(1 << 20);
  ncv::golden::MemStatus read(uint64_t a, uint8_t *d, size_t n) override {
    if (a + n > m.size()) return ncv::golden::MemStatus::kDecodeError;
    std::memcpy(d, m.data() + a, n);
    return ncv::golden::MemStatus::kOk;
  }
  ncv::golden::MemStatus write(uint64_t a, const uint8_t *s, size_t n) override {
    if (a + n > m.size()) return ncv::golden::MemStatus::kDecodeError;
    std::memcpy(m.data() + a, s, n);
    return ncv::golden::MemStatus::kOk;
  }
};

// Launch through the CSRs (tile.md "Launch"), rings from 0xC0000.
void launch(TileModel &t, Mem &mem, const ncv::golden::build::Program &prog) {
  t.csr_write(NCT_CSR_CTRL, NCT_CSR_CTRL_SOFT_RESET_MASK);
  for (const auto &seg : prog.memory) std::memcpy(mem.m.data() + seg.addr, seg.bytes.data(), seg.bytes.size());
  for (unsigned q = 0; q < 4; ++q) {
    const uint32_t base = 0xC0000 + 0x10000 * q;
    for (size_t i = 0; i < prog.queues[q].size(); ++i) {
      std::memcpy(mem.m.data() + base + 16 * i, &prog.queues[q][i].lo, 8);
      std::memcpy(mem.m.data() + base + 16 * i + 8, &prog.queues[q][i].hi, 8);
    }
    t.csr_write(NCT_CSR_Q_BASE_LO(q), base);
    t.csr_write(NCT_CSR_Q_SIZE(q), 12);
  }
  t.csr_write(NCT_CSR_INTR_ENABLE, 0xFF);
  t.csr_write(NCT_CSR_CTRL, NCT_CSR_CTRL_ENABLE_MASK);
  for (unsigned q = 0; q < 4; ++q) t.csr_write(NCT_CSR_Q_TAIL(q), uint32_t(prog.queues[q].size()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(builder_matmul_through_the_csrs_equals_the_fold) {
  namespace num = ncv::num;
  const unsigned M = 6, K = 7, N = 20;
  TileParams p = params(4);
  std::vector<uint16_t> a(M * K), b(K * N);
  uint32_t s = 12345;
  auto rnd = [&s] {  // BF16 values of both signs around 0.1 .. 10
    s = s * 1664525u + 1013904223u;
    return uint16_t(uint16_t(0x3E00u + (s >> 22)) ^ uint16_t(s & 0x8000u));
  };
  for (auto &v : a) v = rnd();
  for (auto &v : b) v = rnd();
  const auto prog = ncv::golden::build::matmul(a.data(), b.data(), M, K, N, p);
  Mem mem;
  TileModel t(p, &mem);
  launch(t, mem, prog);
  t.run();
  BOOST_TEST(t.csr_read(NCT_CSR_ERR_CODE) == 0u);
  BOOST_TEST((t.csr_read(NCT_CSR_STATUS) & NCT_CSR_STATUS_BUSY_MASK) == 0u);
  BOOST_TEST(t.irq());
  BOOST_TEST(t.csr_read(NCT_CSR_PERF_MACS_LO) == M * K * N);
  const auto &out = prog.outputs.at("C");
  unsigned bad = 0;
  for (unsigned m = 0; m < M; ++m)
    for (unsigned n = 0; n < N; ++n) {
      // PE fold per K tile of P rows, PSUM accumulation across tiles (tile.md).
      uint32_t acc = 0;
      for (unsigned k0 = 0; k0 < K; k0 += p.P) {
        uint32_t part = 0;
        for (unsigned k = k0; k < std::min(K, k0 + p.P); ++k)
          part = num::f32_add(part, num::pe_mul_bf16(a[m * K + k], b[k * N + n]));
        acc = k0 ? num::f32_add(acc, part) : part;
      }
      uint32_t got;
      std::memcpy(&got, mem.m.data() + out.addr + 4 * (m * N + n), 4);
      bad += got != acc;
    }
  BOOST_TEST(bad == 0u);
}

BOOST_AUTO_TEST_CASE(builder_names_the_field_that_does_not_fit) {
  using namespace ncv::golden::build;
  try {
    tt({0, 4}, sbuf(1, 0), sbuf(1, 1u << 18), sbuf(1, 0), 4, 0);
    BOOST_FAIL("an 19-bit offset accepted");
  } catch (const std::invalid_argument &e) {
    BOOST_TEST(std::string(e.what()) == "TT.b.off = 262144: expected 0..262143");
  }
  BOOST_CHECK_THROW(copy({0, 0}, sbuf(1, 0), sbuf(1, 0), 1), std::invalid_argument);  // zero partitions
  BOOST_CHECK_THROW(dma(false, 0, {0, 1}, 0, 4097, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(watchdog_expires_on_a_deadlock_through_the_csrs) {
  using namespace ncv::golden::build;
  ncv::golden::build::Program prog;
  Sync wait5;
  wait5.wait_sem = 5;
  wait5.wait_val = 1;
  prog.queues[2] = {setr(1, 1), setr(2, 2, wait5), halt(0, true)};
  Mem mem;
  TileModel t(params(4), &mem);
  t.csr_write(NCT_CSR_WATCHDOG, 500);
  launch(t, mem, prog);
  t.advance(499);
  BOOST_TEST(t.csr_read(NCT_CSR_ERR_CODE) == 0u);
  t.run();  // Q2 blocks on semaphore 5 forever: the watchdog period passes
  BOOST_TEST(t.csr_read(NCT_CSR_ERR_CODE) == 0x20u);
  BOOST_TEST(t.csr_read(NCT_CSR_ERR_QUEUE) == 2u);
  BOOST_TEST(t.csr_read(NCT_CSR_ERR_INDEX) == 1u);
  BOOST_TEST((t.csr_read(NCT_CSR_INTR_STATUS) & NCT_CSR_INTR_STATUS_WATCHDOG_MASK) != 0u);
  BOOST_TEST(((t.csr_read(NCT_CSR_Q_STATUS(2)) & NCT_CSR_Q_STATUS_STATE_MASK)) == 4u);  // ERR
}
