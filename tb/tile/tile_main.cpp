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
// Writes DIR/sim.log, DIR/result.json, with +waves DIR/waves.fst. Exit status: 0 pass,
// 1 test failure, 2 usage error, 3 internal error or timeout.
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

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

golden::TileParams params() {
  golden::TileParams p;
  p.P = NCV_CFG_P;
  p.SBUF_PART_BYTES = NCV_CFG_SBUF_PART_BYTES;
  p.PSUM_PART_BYTES = NCV_CFG_PSUM_PART_BYTES;
  p.NMAX = NCV_CFG_NMAX;
  p.NSEM = NCV_CFG_NSEM;
  p.AXI_DW = NCV_CFG_AXI_DW;
  p.FEATURES = NCV_CFG_FEATURES;
  p.VERSION_MAJOR = NCV_CFG_VERSION_MAJOR;
  p.VERSION_MINOR = NCV_CFG_VERSION_MINOR;
  p.VERSION_PATCH = NCV_CFG_VERSION_PATCH;
  return p;
}

const std::map<std::string, std::string> kTests = {
    {"tile_random", "random legal programs on all four queues against the golden model, retirement by retirement"},
    {"tile_errors", "every error code provoked on purpose: code, queue, index, address, interrupt, record"},
    {"tile_kernels", "program-builder kernels (matmul, MLP, attention scores, reductions) on RTL and model"},
    {"tile_wrap", "a random program across the wrap of small instruction rings"},
    {"tile_inject", "negative test: a corrupted SBUF byte must be reported by the checker"},
    {"tile_inject_lockstep", "negative test: a byte corrupted at a retirement must be reported there"},
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
unsigned run_one(const golden::TileParams &p, const TbConfig &cfg, const Stimulus &s, const std::string &label,
                 uint64_t &cycles, tb::Rng &rng, TileCoverage &cov, bool inject = false) {
  Log &log = Log::get();
  TileTb tb(p, cfg);
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
  if (inject) tb.rtl_buf_write(0, 0, 3, uint8_t(tb.rtl_buf(0, 0, 3) ^ 0x5A));  // the final check must see it
  unsigned bad = tb.check_final() + tb.mismatches();
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
                                     {"code", "tile_errors: one error code"},
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
  std::filesystem::create_directories(outdir);
  log.open(outdir + "/sim.log");
  const std::string v = args.get_or("verbosity", "info");
  log.set_verbosity(v == "debug" ? tb::Severity::kDebug : v == "warning" ? tb::Severity::kWarning
                                                          : v == "error" ? tb::Severity::kError
                                                                         : tb::Severity::kInfo);
  cfg.seed = seed;
  cfg.verbose = v == "debug";
  if (args.has("waves")) cfg.waves = outdir + "/waves.fst";
  const golden::TileParams p = params();
  const auto t0 = std::chrono::steady_clock::now();
  tb::RunResult res;
  res.test = test;
  res.seed = seed;
  res.config = NCV_CFG_NAME;
  res.host = tb::hostname();
  std::string repro = "./ncv run " + test + " --seed " + std::to_string(seed) + " --config " + NCV_CFG_NAME;
  log.info("TB.START", "test " + test + " seed " + std::to_string(seed) + " config " + NCV_CFG_NAME + " (P=" +
                           std::to_string(p.P) + ")");
  unsigned bad = 0;
  uint64_t cycles = 0;
  int internal = 0;
  TileCoverage cov(p, NCV_CFG_NAME);
  try {
    tb::Rng rng(seed, "tb.tile." + test);
    if (test == "tile_inject_lockstep") cfg.corrupt_retire = 25;
    if (test == "tile_random" || test == "tile_inject" || test == "tile_wrap" || test == "tile_inject_lockstep") {
      GenKnobs k;
      k.epochs = unsigned(args.get_u64("epochs", test == "tile_wrap" ? 1 : 4));
      k.max_ops = unsigned(args.get_u64("ops", test == "tile_wrap" ? 3 : 8));
      k.min_ops = std::min(k.min_ops, k.max_ops);
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
        bad += run_one(p, cfg, s, test + " program " + std::to_string(i), cycles, rng, cov, test == "tile_inject");
        if (bad) break;
      }
    } else if (test == "tile_errors") {
      std::vector<unsigned> codes = error_codes();
      if (args.has("code")) codes = {unsigned(args.get_u64("code", 0))};
      for (unsigned c : codes) {
        char label[32];
        std::snprintf(label, sizeof label, "error 0x%02X", c);
        bad += run_one(p, cfg, error_program(p, c, rng), label, cycles, rng, cov);
      }
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
    internal = 1;
  }
  res.cycles = cycles;
  res.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const bool pass = !internal && bad == 0 && log.errors() == 0;
  res.status = pass ? "PASS" : "FAIL";
  res.signature = log.signature();
  res.first_error = log.first_error();
  res.first_failure_ps = log.first_error_ps();
  res.artefacts["log"] = "sim.log";
  try {
    cov.write(outdir + "/coverage.json", test, seed, NCV_CFG_NAME);
    res.artefacts["coverage"] = "coverage.json";
    res.extra["coverage_percent"] = std::to_string(cov.percent()).substr(0, 5);
  } catch (const std::exception &e) {
    log.error("TB.COVERAGE", e.what());
  }
  if (!cfg.waves.empty()) res.artefacts["waves"] = "waves.fst";
  res.extra["repro"] = repro;
  res.write(outdir + "/result.json");
  log.info("TB.END", std::string(pass ? "PASS" : "FAIL") + " after " + std::to_string(cycles) + " cycles, " +
                         std::to_string(res.wall_s).substr(0, 6) + " s");
  if (!pass) std::cout << "reproduce: " << repro << "\n";
  log.close();
  if (!cfg.waves.empty()) tb::fst_fix_date(cfg.waves);
  return internal ? 3 : pass ? 0 : 1;
}
