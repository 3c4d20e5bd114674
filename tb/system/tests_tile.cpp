// System tests of a tile in the sled: the Verilated tile fetches its program and moves its
// data through the AXI4 -> TLM bridge and the chip interconnect into the chip's HBM model;
// the testbench places inputs through the management bus's HBM window, launches the tile
// through its CSRs as firmware does (tile.md "Launch"), and compares the outputs with the
// golden model run on the same image.
#include <chrono>
#include <cstdio>
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
#include "tile_job.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

namespace ncv::tbsys {
namespace {

using sled::Sled;

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
  SparseMemory gm;
  golden::TileModel model(p, &gm);
  for (const auto &s : prog.memory) gm.write(s.addr, s.bytes.data(), s.bytes.size());
  launch(prog, [&](uint32_t o, uint32_t v) { model.csr_write(o, v); },
         [&](uint64_t a0, const std::vector<uint8_t> &v) { gm.write(a0, v.data(), v.size()); });
  model.run();

  // The same on chip 0 of the sled.
  const unsigned chip = unsigned(t.args.get_u64("chip", 0));
  for (const auto &s : prog.memory) win_write(t.sled, chip, s.addr, s.bytes);
  const uint32_t csr_base = SLED_CHIP_CSR(chip) + CHIP_TILE_CSR;
  launch(prog, [&](uint32_t o, uint32_t v) { t.sled.tb_write32(csr_base + o, v); },
         [&](uint64_t a0, const std::vector<uint8_t> &v) { win_write(t.sled, chip, a0, v); });
  const uint64_t c0 = t.sled.cycles();
  const auto wall0 = std::chrono::steady_clock::now();
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
  if (t.args.has("bench")) {  // bench/platform: wall time of the kernel alone, on stdout (never in sim.log)
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    const uint64_t cyc = t.sled.cycles() - c0;
    std::printf("bench: mode %s matmul %ux%ux%u: %llu cycles in %.3f s, %.0f cycles/s\n", t.sled.mode(), M, K, N,
                static_cast<unsigned long long>(cyc), wall, double(cyc) / wall);
    std::fflush(stdout);
  }
  // The cycle counters as the RTL counts them (not compared: the model's cost model differs),
  // logged so that runs with and without the clock gate can be compared (clock_gate_equiv.sh).
  for (unsigned c = 0; c < t.sled.chips(); ++c)
    t.log.info("SYS.TILE.PERF", "chip" + std::to_string(c) + " PERF_CYCLES " +
                                    std::to_string(t.sled.tb_read32(SLED_CHIP_CSR(c) + CHIP_TILE_CSR +
                                                                    NCT_CSR_PERF_CYCLES)));
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
    got = win_read(t.sled, chip, o.addr, n);
    for (size_t i = 0; i < n; ++i)
      if (exp[i] != got[i]) {
        t.log.error("SYS.TILE.DATA", "output " + name + " byte " + std::to_string(i) + ": expected " +
                                         std::to_string(exp[i]) + ", actual " + std::to_string(got[i]));
        return;
      }
    t.log.info("SYS.TILE.DATA", "output " + name + ": " + std::to_string(n) + " bytes equal the golden model's");
  }
}

// PERF_CYCLES counts every clock cycle since reset, also while the sled holds an idle
// tile's clock (decision 0011): on every chip, two reads a seeded number of cycles apart
// differ by exactly that many cycles. The tiles have no work, so with the clock gate on
// (the default) it holds nearly every edge between the reads.
void tile_perf_cycles(TestCtx &t) {
  tb::Rng rng(t.seed, "tb.system.tile_perf_cycles");
  const sc_core::sc_time period = t.sled.clock_period();
  for (unsigned c = 0; c < t.sled.chips(); ++c) {
    const uint32_t addr = SLED_CHIP_CSR(c) + CHIP_TILE_CSR + NCT_CSR_PERF_CYCLES;
    for (int rep = 0; rep < 3; ++rep) {
      const uint64_t gap = rng.range(1000, 20000);
      const sc_core::sc_time t1 = sc_core::sc_time_stamp();
      const uint32_t p1 = t.sled.tb_read32(addr);
      sc_core::wait(t1 + period * double(gap) - sc_core::sc_time_stamp());
      const uint32_t p2 = t.sled.tb_read32(addr);
      if (p2 - p1 != uint32_t(gap)) {
        t.log.error("SYS.TILE.PERF_CYCLES", "chip" + std::to_string(c) + ": PERF_CYCLES went from " +
                                                std::to_string(p1) + " to " + std::to_string(p2) + " in " +
                                                std::to_string(gap) + " cycles (expected +" + std::to_string(gap) +
                                                ")");
        return;
      }
    }
  }
  t.log.info("SYS.TILE.PERF_CYCLES", "PERF_CYCLES advanced by every cycle on " + std::to_string(t.sled.chips()) +
                                         " chips");
}

Register r_pc("tile_perf_cycles",
              {"PERF_CYCLES counts every cycle of an idle tile whose clock the sled holds", false, {}, tile_perf_cycles,
               nullptr});

Register r_mm("tile_matmul_hbm",
              {"the RTL tile runs a matmul kernel from the chip's HBM through the AXI4 bridge; outputs equal the "
               "golden model's",
               false,
               {"m", "k", "n", "chip", "max_cycles", "inject", "bench"},
               tile_matmul_hbm,
               [](const tb::Plusargs &a) {
                 const std::string i = a.get_or("inject", "");
                 if (!i.empty() && i != "golden_data")
                   throw tb::UsageError("argument '+inject=" + i + "': expected golden_data");
               }});

}  // namespace
}  // namespace ncv::tbsys
