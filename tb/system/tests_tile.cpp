// System tests of a tile in the sled: the Verilated tile fetches its program and moves its
// data through the AXI4 -> TLM bridge and the chip interconnect into the chip's HBM model;
// the testbench places inputs through the management bus's HBM window, launches the tile
// through its CSRs as firmware does (tile.md "Launch"), and compares the outputs with the
// golden model run on the same image.
#include <cstring>
#include <map>
#include <vector>

#include "ncv/golden/builder.h"
#include "ncv/golden/cfg_params.h"
#include "ncv/golden/tile_model.h"
#include "ncv/tb/errors.h"
#include "nct_csr_regs.h"
#include "ncv_cfg.h"
#include "sim_test.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

namespace ncv::tbsys {
namespace {

using sled::Sled;

// The golden model's device memory: sparse 4 KiB pages (unwritten bytes read 0, like HBM).
class SparseMem : public golden::DeviceMemory {
 public:
  golden::MemStatus read(uint64_t a, uint8_t *d, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      auto it = pages_.find((a + i) >> 12);
      d[i] = it == pages_.end() ? 0 : it->second[(a + i) & 0xFFF];
    }
    return golden::MemStatus::kOk;
  }
  golden::MemStatus write(uint64_t a, const uint8_t *s, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      auto &pg = pages_[(a + i) >> 12];
      if (pg.empty()) pg.assign(4096, 0);
      pg[(a + i) & 0xFFF] = s[i];
    }
    return golden::MemStatus::kOk;
  }

 private:
  std::map<uint64_t, std::vector<uint8_t>> pages_;
};

// Chip c's HBM through the 256 MiB management window (addresses below 256 MiB).
struct HbmWindow {
  Sled &sled;
  unsigned chip;
  void select() {
    sled.tb_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_CHIP, chip);
    sled.tb_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_BASE, 0);
  }
  void write(uint64_t a, const uint8_t *s, size_t n) {  // n and a multiples of 4
    for (size_t i = 0; i < n; i += 4) {
      uint32_t w;
      std::memcpy(&w, s + i, 4);
      sled.tb_write32(SLED_HBM_WIN_BASE + uint32_t(a + i), w);
    }
  }
  void read(uint64_t a, uint8_t *d, size_t n) {
    for (size_t i = 0; i < n; i += 4) {
      const uint32_t w = sled.tb_read32(SLED_HBM_WIN_BASE + uint32_t(a + i));
      std::memcpy(d + i, &w, 4);
    }
  }
};

constexpr uint64_t kRings = 0x800000;  // rings at 8 MiB, each 2^ring_lg entries of 16 bytes

// tile.md "Launch": soft reset, rings, notification ring, interrupt enable, enable, tails.
template <typename Csr, typename Mem>
void launch(const golden::build::Program &prog, Csr csr, Mem mem) {
  csr(NCT_CSR_CTRL, NCT_CSR_CTRL_SOFT_RESET_MASK);
  uint64_t at = kRings;
  for (unsigned q = 0; q < 4; ++q) {
    unsigned lg = 4;
    while ((1u << lg) < prog.queues[q].size() + 1) ++lg;
    std::vector<uint8_t> ring(16u << lg, 0);
    for (size_t i = 0; i < prog.queues[q].size(); ++i) {
      std::memcpy(ring.data() + 16 * i, &prog.queues[q][i].lo, 8);
      std::memcpy(ring.data() + 16 * i + 8, &prog.queues[q][i].hi, 8);
    }
    mem(at, ring);
    csr(NCT_CSR_Q_BASE_LO(q), uint32_t(at));
    csr(NCT_CSR_Q_BASE_HI(q), uint32_t(at >> 32));
    csr(NCT_CSR_Q_SIZE(q), lg);
    at += ring.size();
  }
  csr(NCT_CSR_NQ_BASE_LO, uint32_t(at));
  csr(NCT_CSR_NQ_BASE_HI, uint32_t(at >> 32));
  csr(NCT_CSR_NQ_SIZE, 6);
  csr(NCT_CSR_INTR_ENABLE, 0xFF);
  csr(NCT_CSR_CTRL, NCT_CSR_CTRL_ENABLE_MASK);
  for (unsigned q = 0; q < 4; ++q)
    if (!prog.queues[q].empty()) csr(NCT_CSR_Q_TAIL(q), uint32_t(prog.queues[q].size()));
}

void tile_matmul_hbm(TestCtx &t) {
  const golden::TileParams p = golden::cfg_tile_params();
  tb::Rng rng(t.seed, "tb.system.tile_matmul_hbm");
  const unsigned M = unsigned(t.args.get_u64("m", 2 * p.P)), K = unsigned(t.args.get_u64("k", 2 * p.P)),
                 N = unsigned(t.args.get_u64("n", 16));
  std::vector<uint16_t> a(size_t(M) * K), b(size_t(K) * N);
  for (auto &x : a) x = uint16_t(0x3E00u + rng.range(0, 0x1FF));  // BF16 values in [0.125, 1)
  for (auto &x : b) x = uint16_t((rng.chance(0.5) ? 0xBE00u : 0x3E00u) + rng.range(0, 0x1FF));
  const golden::build::Program prog = golden::build::matmul(a.data(), b.data(), M, K, N, p);

  // The golden model on a sparse memory.
  SparseMem gm;
  golden::TileModel model(p, &gm);
  for (const auto &s : prog.memory) gm.write(s.addr, s.bytes.data(), s.bytes.size());
  launch(prog, [&](uint32_t o, uint32_t v) { model.csr_write(o, v); },
         [&](uint64_t a0, const std::vector<uint8_t> &v) { gm.write(a0, v.data(), v.size()); });
  model.run();

  // The same on chip 0 of the sled.
  const unsigned chip = unsigned(t.args.get_u64("chip", 0));
  HbmWindow win{t.sled, chip};
  win.select();
  for (const auto &s : prog.memory) win.write(s.addr, s.bytes.data(), s.bytes.size());
  const uint32_t csr_base = SLED_CHIP_CSR(chip) + CHIP_TILE_CSR;
  launch(prog, [&](uint32_t o, uint32_t v) { t.sled.tb_write32(csr_base + o, v); },
         [&](uint64_t a0, const std::vector<uint8_t> &v) { win.write(a0, v.data(), v.size()); });
  const uint64_t c0 = t.sled.cycles();
  const uint64_t limit = t.args.get_u64("max_cycles", 2000000);
  // Done as firmware sees it: not BUSY and every interrupt the program raises (the HALTs'
  // Q_DONE bits; the model says which) is pending. The tile drops BUSY before its last
  // notification records are written, so BUSY alone is not enough.
  const uint32_t want = model.csr_read(NCT_CSR_INTR_STATUS);
  uint32_t status = 0, intr = 0;
  for (;;) {
    sc_core::wait(sc_core::sc_time(100, sc_core::SC_NS));
    status = t.sled.tb_read32(csr_base + NCT_CSR_STATUS);
    intr = t.sled.tb_read32(csr_base + NCT_CSR_INTR_STATUS);
    if (!(status & NCT_CSR_STATUS_BUSY_MASK) && (intr & want) == want) break;
    if (t.sled.cycles() - c0 > limit) {
      t.log.error("SYS.TILE.TIMEOUT", "no completion after " + std::to_string(limit) + " cycles: STATUS " +
                                          std::to_string(status) + ", INTR_STATUS " + std::to_string(intr) +
                                          " (the model ends with " + std::to_string(want) + ")");
      return;
    }
  }
  t.log.info("SYS.TILE.DONE", "matmul " + std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N) +
                                  " done after " + std::to_string(t.sled.cycles() - c0) + " cycles");
  for (uint32_t r : {NCT_CSR_STATUS, NCT_CSR_ERR_CODE, NCT_CSR_INTR_STATUS, NCT_CSR_NQ_TAIL, NCT_CSR_PERF_MACS_LO}) {
    const uint32_t got = t.sled.tb_read32(csr_base + r), exp = model.csr_read(r);
    if (got != exp)
      t.log.error("SYS.TILE.CSR", "CSR " + std::to_string(r) + ": expected " + std::to_string(exp) + ", actual " +
                                      std::to_string(got));
  }
  // +inject=golden_data: the expected outputs get one flipped byte; the comparison must
  // report it (the checker's negative test).
  if (t.args.get_or("inject", "") == "golden_data") {
    const auto &o = prog.outputs.begin()->second;
    uint8_t b;
    gm.read(o.addr + 5, &b, 1);
    b ^= 0x10;
    gm.write(o.addr + 5, &b, 1);
  }
  // Every output byte, read back through the window.
  for (const auto &[name, o] : prog.outputs) {
    const size_t n = (size_t(o.rows) * o.cols * o.elem_bytes + 3) & ~size_t(3);
    std::vector<uint8_t> exp(n), got(n);
    gm.read(o.addr, exp.data(), n);
    win.read(o.addr, got.data(), n);
    for (size_t i = 0; i < n; ++i)
      if (exp[i] != got[i]) {
        t.log.error("SYS.TILE.DATA", "output " + name + " byte " + std::to_string(i) + ": expected " +
                                         std::to_string(exp[i]) + ", actual " + std::to_string(got[i]));
        return;
      }
    t.log.info("SYS.TILE.DATA", "output " + name + ": " + std::to_string(n) + " bytes equal the golden model's");
  }
}

Register r_mm("tile_matmul_hbm",
              {"the RTL tile runs a matmul kernel from the chip's HBM through the AXI4 bridge; outputs equal the "
               "golden model's",
               false,
               {"m", "k", "n", "chip", "max_cycles", "inject"},
               tile_matmul_hbm,
               [](const tb::Plusargs &a) {
                 const std::string i = a.get_or("inject", "");
                 if (!i.empty() && i != "golden_data")
                   throw tb::UsageError("argument '+inject=" + i + "': expected golden_data");
               }});

}  // namespace
}  // namespace ncv::tbsys
