// Simulation main of the tile testbench: ncv_tile_<config> +test=NAME [+seed=N] [+waves]
// [+outdir=DIR] [+verbosity=debug|info|warning|error] [+max_cycles=N] [+list] plus
// test knobs (+epochs=N, +ops=N, +code=0xNN, +kernel=NAME).
//   tile_random   random legal programs over all four queues (race-free by construction),
//                 checked retirement by retirement against the golden model
//   tile_errors   every error code of tile.md provoked on purpose (or +code=0xNN)
//   tile_kernels  the program builder's kernels (or +kernel=matmul|mlp|attention|reduce)
//   tile_wrap     a random program that starts near the end of small rings (ring wrap)
//   tile_inject   like tile_random, but the testbench corrupts one SBUF byte after the run: the
//                 checker must report it (exit status 1 is the expected outcome)
//   tile_inject_lockstep  corrupts the first byte written by the 25th writing retirement
//                 before it is compared: the lockstep check must report that instruction
//   tile_inject_mask  a failing DMA (+code=0x10: a DMA_LD, its failing SBUF row is masked;
//                 0x11: a DMA_ST, its failing and later memory rows are masked): a byte
//                 inside the mask is corrupted (must not be reported), then the byte just
//                 after it (must be reported by the final check)
// Negative knobs: tile_errors +expect=0xNN (a wrong expected code: TILE.ERRTEST must report
// it); tile_random +unclean=race (programs without barriers: the generator's guard must
// refuse them with GEN.UNCLEAN).
// Writes DIR/sim.log, DIR/result.json, with +waves DIR/waves.fst. Exit status: 0 pass,
// 1 test failure, 2 usage error, 3 internal error or timeout.
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "ncv/golden/cfg_params.h"
#include "ncv/golden/core.h"
#include "ncv/tb/errors.h"
#include "ncv/tb/log.h"
#include "ncv/tb/plusargs.h"
#include "ncv/tb/result.h"
#include "ncv/tb/sim_args.h"
#include "ncv/tb/waves.h"
#include "nct_csr_regs.h"
#include "ncv_cfg.h"
#include "progs.h"
#include "tile_cov.h"
#include "tile_tb.h"

using namespace ncv;
using namespace ncv::tbtile;
using tb::Log;

namespace {

const std::map<std::string, std::string> kTests = {
    {"tile_random", "random legal programs on all four queues against the golden model, retirement by retirement"},
    {"tile_errors", "every error code provoked on purpose: code, queue, index, address, interrupt, record"},
    {"tile_kernels", "program-builder kernels (matmul, MLP, attention scores, reductions) on RTL and model"},
    {"tile_wrap", "a random program across the wrap of small instruction rings"},
    {"tile_inject", "negative test: a corrupted SBUF byte must be reported by the checker"},
    {"tile_inject_lockstep", "negative test: a byte corrupted at a retirement must be reported there"},
    {"tile_inject_mask", "negative test: the failing-DMA mask hides its row and nothing after it"},
    {"tile_bench", "benchmark: a matmul-heavy kernel with and without the checking testbench"},
};

// Golden-model check of a generated program: no error, no race under several schedules.
bool program_is_clean(const golden::TileParams &p, const Stimulus &s, std::string &why) {
  for (uint64_t sched = 0; sched < 3; ++sched) {
    DevMem mem(16u << 20);
    for (const auto &[a, b] : s.image) std::memcpy(mem.m.data() + a, b.data(), b.size());
    for (const auto &seg : s.prog.memory) std::memcpy(mem.m.data() + seg.addr, seg.bytes.data(), seg.bytes.size());
    golden::Core c(p, mem);
    for (unsigned q = 0; q < 4; ++q) {
      const auto &prog = s.prog.queues[q];
      const uint64_t base = 0xE00000 + 0x10000ull * q;
      for (size_t i = 0; i < prog.size(); ++i) {
        std::memcpy(mem.m.data() + base + 16 * i, &prog[i].lo, 8);
        std::memcpy(mem.m.data() + base + 16 * i + 8, &prog[i].hi, 8);
      }
      c.set_ring(q, base, 12);
    }
    c.enable_race_detection(true);
    c.set_enable(true);
    for (unsigned q = 0; q < 4; ++q) c.doorbell(q, uint32_t(s.prog.queues[q].size()));
    if (sched == 0)
      c.run_round_robin();
    else
      c.run_random(sched * 7919);
    if (c.error().code != golden::Err::kNone) {
      why = "the model reports error " + std::to_string(int(c.error().code)) + " on q" +
            std::to_string(c.error().queue) + " #" + std::to_string(c.error().index);
      return false;
    }
    if (c.race_found()) {
      const auto &r = c.race();
      why = "race between q" + std::to_string(r.queue_a) + " #" + std::to_string(r.index_a) + " and q" +
            std::to_string(r.queue_b) + " #" + std::to_string(r.index_b);
      return false;
    }
    if (c.busy()) {
      why = "the program deadlocks";
      return false;
    }
  }
  return true;
}

// One program on a fresh tile: launch, run, final check. Returns the mismatch count.
enum class Inject { kNone, kFinal, kMask };

// tile_inject_mask: a corrupted byte inside the failing DMA's mask must be skipped by the
// final check and a corrupted byte just after the mask must be reported. Does the final
// check itself; returns the mismatches (the reported byte is the expected failure).
unsigned inject_mask(const golden::TileParams &p, TileTb &tb) {
  Log &log = Log::get();
  tb.model().run();  // the faulting instruction (check_final does the same)
  const TileTb::FailMask m = tb.dma_fail_mask();
  auto flip_buf = [&](uint64_t i) { tb.rtl_buf_write(0, m.part, uint32_t(i), uint8_t(tb.rtl_buf(0, m.part, uint32_t(i)) ^ 0x5A)); };
  auto flip_mem = [&](uint64_t a) { tb.rtl_mem().m[a] ^= 0x5A; };
  auto hx = [](uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return std::string(b);
  };
  std::string inside, outside;
  if (m.space == 0 && m.hi < p.SBUF_PART_BYTES) {
    flip_buf(m.lo);
    inside = "SBUF partition " + std::to_string(m.part) + " byte " + hx(m.lo);
  } else if (!m.mem.empty() && m.mem.back().second < tb.rtl_mem().m.size()) {
    flip_mem(m.mem.front().first);
    inside = "device memory " + hx(m.mem.front().first);
  } else {
    log.error("TILE.MASKTEST", "the run ended without a failing DMA to test the mask with");
    return 1;
  }
  log.info("TILE.INJECT", "masked " + inside + " corrupted: the final check must skip it");
  if (const unsigned n = tb.check_final()) {
    log.error("TILE.MASKTEST", "the final check reported a byte of the failing DMA's mask (" + inside + ")");
    return n;
  }
  if (m.space == 0) {
    flip_buf(m.hi);
    outside = "SBUF partition " + std::to_string(m.part) + " byte " + hx(m.hi);
  } else {
    flip_mem(m.mem.back().second);
    outside = "device memory " + hx(m.mem.back().second);
  }
  log.info("TILE.INJECT", "unmasked " + outside + " corrupted: the final check must report it");
  const unsigned n = tb.check_final();
  if (!n) {
    log.error("TILE.MASKTEST", "the final check missed a corrupted byte just after the mask (" + outside + ")");
    return 1;
  }
  return n;
}

unsigned run_one(const golden::TileParams &p, const TbConfig &cfg, const Stimulus &s, const std::string &label,
                 uint64_t &cycles, tb::Rng &rng, TileCoverage &cov, Inject inject = Inject::kNone) {
  Log &log = Log::get();
  TbConfig c = cfg;  // cfg.code_coverage is a directory: one file per tile
  static unsigned tiles = 0;
  if (!cfg.code_coverage.empty()) c.code_coverage = cfg.code_coverage + "/tile_" + std::to_string(tiles++) + ".dat";
  TileTb tb(p, c);
  cov.new_program();
  tb.on_retire = [&](unsigned q, uint32_t index, const isa::Word &w) {
    cov.retire(q, index, w, tb.model().core().pe().M);
  };
  tb.on_cycle = [&](unsigned mask) { cov.engines(mask); };
  for (const auto &[lo, hi] : s.bus_errors) tb.add_error_range(lo, hi, false);
  for (const auto &[lo, hi] : s.decode_errors) tb.add_error_range(lo, hi, true);
  for (const auto &[a, b] : s.image) tb.load(a, b);
  for (const auto &seg : s.prog.memory) tb.load(seg.addr, seg.bytes);
  if (s.random_buffers) {
    const auto sb = corner_bytes(rng, size_t(p.P) * p.SBUF_PART_BYTES, 0.3);
    const auto ps = corner_bytes(rng, size_t(p.P) * p.PSUM_PART_BYTES, 0.3);
    tb.init_buffers([&](unsigned mem, unsigned part, uint32_t i) {
      return mem ? ps[size_t(part) * p.PSUM_PART_BYTES + i] : sb[size_t(part) * p.SBUF_PART_BYTES + i];
    });
  }
  TileTb::Launch l;
  l.queues = s.prog.queues;
  l.nq_log2 = s.nq_log2;
  l.watchdog = s.watchdog;
  l.semaphores = s.semaphores;
  l.start_index = s.start_index;
  l.ring_log2 = s.ring_log2;
  if (s.expect_error == "0x12") {  // the second entry of queue 2's ring cannot be read
    const uint64_t b = TileTb::ring_base_of(l, 2);
    tb.add_error_range(b + 16, b + 32, false);
  }
  tb.launch(l);
  const bool finished = tb.run();
  unsigned bad = 0;
  if (inject == Inject::kFinal) tb.rtl_buf_write(0, 0, 3, uint8_t(tb.rtl_buf(0, 0, 3) ^ 0x5A));  // must be seen
  bad += (inject == Inject::kMask ? inject_mask(p, tb) : tb.check_final()) + tb.mismatches();
  if (const uint32_t code = tb.model().csr_read(NCT_CSR_ERR_CODE)) cov.error(code);
  for (unsigned q = 0; q < 4; ++q) cov.semwait(q, tb.rtl_csr_read(NCT_CSR_PERF_SEMWAIT(q)));
  cycles += tb.cycle();
  if (!finished) ++bad;
  if (!s.expect_error.empty()) {
    char got[8];
    std::snprintf(got, sizeof got, "0x%02X", tb.model().csr_read(NCT_CSR_ERR_CODE));
    if (s.expect_error != got) {
      ++bad;
      log.error("TILE.ERRTEST", label + ": expected error " + s.expect_error + ", the model ended with " + got);
    }
  }
  log.info("TILE.RUN", label + ": " + std::to_string(tb.stats().retired) + " retirements in " +
                           std::to_string(tb.cycle()) + " cycles, " + std::to_string(bad) + " mismatches");
  const uint64_t t = log.now_ps();
  log.set_time_source([t] { return t; });  // the next tile continues from here
  return bad;
}

}  // namespace

int main(int argc, char **argv) {
  tb::Plusargs args;
  Log &log = Log::get();
  const int st = tb::parse_sim_args("ncv_tile", argc, argv, kTests,
                                    {{"epochs", "tile_random: epochs"},
                                     {"ops", "tile_random: most engine instructions per queue and epoch"},
                                     {"programs", "tile_random: programs per run"},
                                     {"code", "tile_errors: one error code; tile_inject_mask: 0x10 or 0x11"},
                                     {"expect", "tile_errors: expected code (negative test of the check)"},
                                     {"unclean", "tile_random: race (negative test of the generator guard)"},
                                     {"kernel", "tile_kernels: one kernel"}},
                                    args);
  if (st >= 0) return st;
  const std::string test = args.get_or("test", "");
  uint64_t seed = 1;
  std::string outdir;
  TbConfig cfg;
  try {
    seed = args.get_u64("seed", 1);
    outdir = args.get_or("outdir", "out/tile/" + test + "/" + std::to_string(seed));
    cfg.max_cycles = args.get_u64("max_cycles", 2000000);
  } catch (const tb::UsageError &e) {
    std::cerr << "ncv_tile: " << e.what() << "\n";
    return 2;
  }
  const golden::TileParams p = golden::cfg_tile_params();
  tb::SimRun run(args, test, seed, NCV_CFG_NAME, outdir, "(P=" + std::to_string(p.P) + ")");
  cfg.seed = seed;
  cfg.verbose = run.debug();
  cfg.waves = run.waves();
#ifdef NCV_CODE_COVERAGE
  // A code-coverage build: every tile of the run writes OUTDIR/code_coverage/tile_<n>.dat
  // (Verilator's line, toggle and cover-property counters); `ncv regress` merges them.
  cfg.code_coverage = run.outdir() + "/code_coverage";
  std::filesystem::create_directories(cfg.code_coverage);
#endif
  unsigned bad = 0;
  uint64_t cycles = 0;
  bool internal = false;
  TileCoverage cov(p, NCV_CFG_NAME);
  try {
    tb::Rng rng(seed, "tb.tile." + test);
    if (test == "tile_inject_lockstep") cfg.corrupt_retire = 25;
    if (test == "tile_random" || test == "tile_inject" || test == "tile_wrap" || test == "tile_inject_lockstep") {
      GenKnobs k;
      k.epochs = unsigned(args.get_u64("epochs", test == "tile_wrap" ? 1 : 4));
      k.max_ops = unsigned(args.get_u64("ops", test == "tile_wrap" ? 3 : 8));
      k.min_ops = std::min(k.min_ops, k.max_ops);
      const std::string unclean = args.get_or("unclean", "");
      if (unclean == "race")
        k.barriers = false;
      else if (!unclean.empty())
        throw tb::UsageError("+unclean=" + unclean + ": expected race");
      const unsigned programs = unsigned(args.get_u64("programs", test == "tile_random" ? 2 : 1));
      for (unsigned i = 0; i < programs; ++i) {
        Stimulus s;
        std::string why;
        unsigned tries = 0;
        do {
          s = random_program(p, rng, k);
          if (test == "tile_wrap")
            for (unsigned q = 0; q < 4; ++q) {
              s.ring_log2[q] = 5;  // 32 entries; the program runs across the wrap
              s.start_index[q] = uint32_t(32 - 1 - s.prog.queues[q].size() / 2);
            }
        } while (!program_is_clean(p, s, why) && ++tries < 3);
        if (tries >= 3) {
          log.error("GEN.UNCLEAN", "the generator made an unclean program 3 times: " + why);
          ++bad;
          break;
        }
        bad += run_one(p, cfg, s, test + " program " + std::to_string(i), cycles, rng, cov,
                       test == "tile_inject" ? Inject::kFinal : Inject::kNone);
        if (bad) break;
      }
    } else if (test == "tile_errors") {
      std::vector<unsigned> codes = error_codes();
      if (args.has("code")) codes = {unsigned(args.get_u64("code", 0))};
      for (unsigned c : codes) {
        char label[32];
        std::snprintf(label, sizeof label, "error 0x%02X", c);
        Stimulus s = error_program(p, c, rng);
        if (args.has("expect")) {
          char want[16];
          std::snprintf(want, sizeof want, "0x%02X", unsigned(args.get_u64("expect", 0)));
          s.expect_error = want;
        }
        bad += run_one(p, cfg, s, label, cycles, rng, cov);
      }
    } else if (test == "tile_inject_mask") {  // 0x10: a DMA_LD's SBUF row; 0x11: a DMA_ST's memory rows
      const unsigned code = unsigned(args.get_u64("code", 0x10));
      if (code != 0x10 && code != 0x11) throw tb::UsageError("+code: tile_inject_mask takes 0x10 or 0x11");
      char label[32];
      std::snprintf(label, sizeof label, "error 0x%02X, mask test", code);
      bad += run_one(p, cfg, error_program(p, code, rng), label, cycles, rng, cov, Inject::kMask);
    } else if (test == "tile_bench") {
      // A matmul-heavy program: (8P x 16P) @ (16P x 4 NMAX) in BF16, so PE_MM runs most of
      // the time. Timed from launch to quiet (construction and loading excluded), once with
      // the full testbench and once with the RTL and its memory model alone.
      const unsigned M = 8 * p.P, K = 16 * p.P, N = 4 * p.NMAX;
      std::vector<uint16_t> a(size_t(M) * K), b(size_t(K) * N);
      for (auto &x : a) x = uint16_t(0x3F00u + rng.range(0, 0xFF));
      for (auto &x : b) x = uint16_t(0x3F00u + rng.range(0, 0xFF));
      const golden::build::Program prog = golden::build::matmul(a.data(), b.data(), M, K, N, p);
      double wall[2];
      uint64_t cyc[2];
      for (int checked = 1; checked >= 0; --checked) {
        TbConfig c = cfg;
        c.check = checked;
        TileTb tb(p, c);
        for (const auto &seg : prog.memory) tb.load(seg.addr, seg.bytes);
        TileTb::Launch l;
        l.queues = prog.queues;
        const uint64_t c0 = tb.cycle();
        const auto b0 = std::chrono::steady_clock::now();
        tb.launch(l);
        tb.run();
        wall[checked] = std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count();
        cyc[checked] = tb.cycle() - c0;
        if (checked) bad += tb.check_final() + tb.mismatches();
        cycles += tb.cycle();
      }
      char line[256];
      std::snprintf(line, sizeof line,
                    "P=%u: matmul %ux%ux%u, %llu cycles; checked %.0f cycles/s, bare RTL %.0f cycles/s; "
                    "testbench overhead %.2fx",
                    p.P, M, K, N, static_cast<unsigned long long>(cyc[1]), double(cyc[1]) / wall[1],
                    double(cyc[0]) / wall[0], (wall[1] / double(cyc[1])) / (wall[0] / double(cyc[0])));
      log.info("BENCH.TILE", line);
      std::cout << "bench: " << line << "\n";
    } else if (test == "tile_kernels") {
      std::vector<std::string> ks = kernel_names();
      if (args.has("kernel")) ks = {args.get_or("kernel", "")};
      for (const auto &k : ks) bad += run_one(p, cfg, kernel_program(p, k, rng), "kernel " + k, cycles, rng, cov);
    }
  } catch (const tb::UsageError &e) {
    std::cerr << "ncv_tile: " << e.what() << "\n";
    return 2;
  } catch (const std::exception &e) {
    log.error("TB.INTERNAL", e.what());
    internal = true;
  }
  return run.finish(bad, internal, cycles, [&](const std::string &path) {
    cov.write(path, test, seed, NCV_CFG_NAME);
    return cov.percent();
  });
}
