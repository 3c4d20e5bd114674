// Simulation main of the switch testbench: ncv_switch_<config> +test=NAME [+seed=N]
// [+outdir=DIR] [+waves] [+verbosity=debug|info|warning|error] [+list] [+max_cycles=N]
// and knobs (+packets=N +load=P +ber=P +drop=P +burst=P +delay=N +target=all|ctl|ack
// +pattern=uniform|incast|transpose|hotspot). Writes DIR/sim.log, DIR/result.json,
// DIR/coverage.json (and DIR/waves.fst). Exit status: 0 pass, 1 test failure, 2 usage
// error, 3 internal error.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>

#include "ncv/tb/errors.h"
#include "ncv/tb/log.h"
#include "ncv/tb/plusargs.h"
#include "ncv/tb/result.h"
#include "ncv/tb/sim_args.h"
#include "ncv/tb/waves.h"
#include "ncv_cfg.h"
#include "sw_tb.h"

using namespace ncv;
using namespace ncv::tbsw;
using tb::Log;

namespace {

const std::map<std::string, std::string> kTests = {
    {"sw_uniform", "uniform random traffic, all VCs and lengths, link errors on every link; exactly-once, order, integrity, credits, counters"},
    {"sw_incast", "all endpoints to one (incast) with link errors; no deadlock, exactly-once, credits"},
    {"sw_transpose", "transpose traffic with link errors"},
    {"sw_hotspot", "half the traffic to one hot endpoint, with link errors"},
    {"sw_mixed", "the four traffic patterns in turn in one run, link errors, route changes and retrains"},
    {"sw_routes", "routing-table swaps under traffic, invalid routes (DECODE_ERR responses) and TTL expiry"},
    {"sw_retrain", "link retrains from both sides under traffic, with link errors"},
    {"sw_reset", "fabric reset under traffic: no stale credit or lsn, traffic after reset checked"},
    {"sw_ctl_errors", "errors on control flits only (ACK, NAK, CREDIT): credits delayed, never leaked"},
    {"sw_ack_errors", "errors on ACK control flits only: replays by timeout, duplicates dropped"},
    {"sw_link_stress", "high bit-error, drop and burst rates: back-to-back NAKs, replays, degraded links"},
    {"sw_corrupt", "directed: some frames on every link corrupted; each counted once, never delivered, replayed intact"},
    {"sw_credit_ovf", "negative: an endpoint ignores credit; the switch must set the sticky credit_overflow"},
    {"sw_sb_inject", "negative: a delivery corrupted before the scoreboard must be reported (exit status 1)"},
    {"sw_sva_credit", "negative: an endpoint ignores credit with the credit assertions on; SVA.CreditHeldBound must fail the run"},
    {"sw_sb_order", "negative: two deliveries of one stream swapped before the scoreboard must give SB.ORDER (exit status 1)"},
    {"sw_degraded", "directed: replays of one lsn keep failing; switch port 0 goes DEGRADED, flags it, and RETRAIN brings it UP"},
    {"sw_csr", "directed: every register at its SystemRDL address reads its reset value, RW bits read back, W1C clears (+csr_offset=N: negative)"},
};

SwKnobs knobs_for(const std::string &test) {
  SwKnobs k;
  k.link.ber = 1e-3;
  k.link.drop = 2e-4;
  k.link.burst = 1e-4;
  if (test == "sw_incast") k.pattern = Pattern::kIncast;
  if (test == "sw_transpose") k.pattern = Pattern::kTranspose;
  if (test == "sw_hotspot") k.pattern = Pattern::kHotspot;
  if (test == "sw_mixed") {
    k.mixed_patterns = true;
    k.route_changes = 2;
    k.retrains = 2;
    k.invalid_dst = 0.02;
    k.ttl0 = 0.01;
    k.packets = 400;
  }
  if (test == "sw_routes") {
    k.invalid_dst = 0.08;
    k.ttl0 = 0.05;
    k.route_changes = 6;
    k.link.ber = 2e-4;
    k.link.drop = 0;
    k.link.burst = 0;
  }
  if (test == "sw_retrain") k.retrains = 4;
  if (test == "sw_reset") k.resets = 1;
  if (test == "sw_ctl_errors") {
    k.link.target = link::Target::kControlOnly;
    k.link.ber = 0.05;
    k.link.drop = 0.02;
    k.link.burst = 0;
  }
  if (test == "sw_ack_errors") {
    k.link.target = link::Target::kAckOnly;
    k.link.ber = 0.3;
    k.link.drop = 0.1;
    k.link.burst = 0;
  }
  if (test == "sw_link_stress") {
    k.link.ber = 1e-2;
    k.link.drop = 2e-3;
    k.link.burst = 1e-3;
  }
  if (test == "sw_corrupt") {
    k.link.ber = 0;
    k.link.drop = 0;
    k.link.burst = 0;
    k.forced_frames = 3;
  }
  if (test == "sw_credit_ovf") {
    k.link.ber = k.link.drop = k.link.burst = 0;
    k.backpressure = 0;
    k.load = 0.5;
    k.credit_ignore_test = true;
  }
  if (test == "sw_sb_inject") k.sb_inject_at = 20;
  if (test == "sw_sva_credit") {
    k.link.ber = k.link.drop = k.link.burst = 0;
    k.backpressure = 0;
    k.load = 0.5;
    k.credit_ignore_test = true;
    k.sva_strict = true;
  }
  if (test == "sw_sb_order") {
    k.sb_reorder_at = 20;
    k.link.ber = k.link.drop = k.link.burst = 0;
  }
  if (test == "sw_csr") {
    k.csr_test = true;
    k.link.ber = k.link.drop = k.link.burst = 0;
    k.backpressure = 0;
    k.poison = 0;
    k.invalid_dst = 1.0;  // the one packet it sends must miss the routing table
  }
  if (test == "sw_degraded") {
    k.link.ber = k.link.drop = k.link.burst = 0;
    k.degrade_frames = 48;
    k.load = 0.05;
    k.packets = 80;
  }
  return k;
}

void declare_coverage(tb::CoverageDb &db, unsigned n) {
  tb::Covergroup &g = db.group("sw.packets", NCV_CFG_NAME, tb::CovergroupOptions(3.0, true, "delivered packets"));
  tb::Coverpoint &vc = g.coverpoint("vc");
  vc.values("vc", 0, 3);
  tb::Coverpoint &len = g.coverpoint("len");
  len.values("len", 0, 16);
  tb::Coverpoint &src = g.coverpoint("src");
  src.values("src", 0, n - 1);
  tb::Coverpoint &dst = g.coverpoint("dst");
  dst.values("dst", 0, n - 1);
  tb::Coverpoint &op = g.coverpoint("opcode");
  op.bin("NOP", 0).bin("RD", 1).bin("WR", 2).bin("RD_RSP", 3).bin("WR_RSP", 4).bin("MSG", 5).illegal("other", 6, 63);
  tb::Coverpoint &poison = g.coverpoint("poison");
  poison.bin("clean", 0).bin("poisoned", 1);
  g.cross("vc_x_len", {&vc, &len});
  g.cross("src_x_dst", {&src, &dst});
  tb::Covergroup &e = db.group("sw.events", NCV_CFG_NAME, tb::CovergroupOptions(2.0, true, "link and switch events seen"));
  e.coverpoint("event")
      .bin("crc_err", 0)
      .bin("nak", 2)
      .bin("replay", 3)
      .bin("replay_timeout", 4)
      .bin("dup_drop", 5)
      .bin("degraded", 6)
      .bin("credit_overflow", 7)
      .bin("route_miss", 8)
      .bin("ttl_expired", 9)
      .bin("decode_err_resp", 10)
      .bin("retrain", 11)
      .bin("lsn_wrap", 12)
      .bin("credit_stall_vc0", 20)
      .bin("credit_stall_vc1", 21)
      .bin("credit_stall_vc2", 22)
      .bin("credit_stall_vc3", 23)
      .ignore("unused", 1)
      .ignore("unused2", 13, 19);
  db.group("sw.patterns", NCV_CFG_NAME, tb::CovergroupOptions(1.0, true, "traffic patterns"))
      .coverpoint("pattern")
      .bin("uniform", 0)
      .bin("incast", 1)
      .bin("transpose", 2)
      .bin("hotspot", 3);
}

}  // namespace

int main(int argc, char **argv) {
  tb::Plusargs args;
  Log &log = Log::get();
  const int st = tb::parse_sim_args("ncv_switch", argc, argv, kTests,
                                    {{"packets", "packets per endpoint"},
                                     {"load", "offered load per endpoint, 0..1"},
                                     {"ber", "bit-error rate per flit"},
                                     {"drop", "flit drop rate"},
                                     {"burst", "burst-error rate"},
                                     {"delay", "link delay in cycles"},
                                     {"target", "errors on all, ctl or ack flits"},
                                     {"pattern", "uniform, incast, transpose or hotspot"},
                                     {"bench", "throughput bench: no backpressure, no bursts (see SW.PERF)"},
                                     {"csr_offset", "sw_csr: add N bytes to every register address (negative test)"}},
                                    args);
  if (st >= 0) return st;
  const std::string test = args.get_or("test", "");
  SwKnobs k = knobs_for(test);
  std::string outdir;
  try {
    k.seed = args.get_u64("seed", 1);
    outdir = args.get_or("outdir", "out/switch/" + test + "/" + std::to_string(k.seed));
    k.max_cycles = args.get_u64("max_cycles", k.max_cycles);
    k.packets = unsigned(args.get_u64("packets", k.packets));
    if (args.has("load")) k.load = std::stod(args.get_or("load", "0.3"));
    if (args.has("ber")) k.link.ber = std::stod(args.get_or("ber", "0"));
    if (args.has("drop")) k.link.drop = std::stod(args.get_or("drop", "0"));
    if (args.has("burst")) k.link.burst = std::stod(args.get_or("burst", "0"));
    k.link.delay = unsigned(args.get_u64("delay", k.link.delay));
    k.csr_offset = uint32_t(args.get_u64("csr_offset", 0));
    const std::string tg = args.get_or("target", "");
    if (tg == "ctl") k.link.target = link::Target::kControlOnly;
    else if (tg == "ack") k.link.target = link::Target::kAckOnly;
    else if (tg == "all") k.link.target = link::Target::kAll;
    else if (!tg.empty()) throw tb::UsageError("+target=" + tg + ": expected all, ctl or ack");
    const std::string pt = args.get_or("pattern", "");
    if (pt == "uniform") k.pattern = Pattern::kUniform;
    else if (pt == "incast") k.pattern = Pattern::kIncast;
    else if (pt == "transpose") k.pattern = Pattern::kTranspose;
    else if (pt == "hotspot") k.pattern = Pattern::kHotspot;
    else if (!pt.empty()) throw tb::UsageError("+pattern=" + pt + ": expected uniform, incast, transpose or hotspot");
    if (k.link.delay == 0) throw tb::UsageError("+delay must be >= 1");
    if (args.has("bench")) {
      k.backpressure = 0;
      k.burst_traffic = 0;
    }
  } catch (const tb::UsageError &e) {
    std::cerr << "ncv_switch: " << e.what() << "\n";
    return 2;
  } catch (const std::exception &e) {
    std::cerr << "ncv_switch: bad numeric argument: " << e.what() << "\n";
    return 2;
  }
  tb::SimRun run(args, test, k.seed, NCV_CFG_NAME, outdir, "(NPORTS=" + std::to_string(NSW_NPORTS) + ")");
  k.waves = run.waves();
  tb::CoverageDb cov;
  declare_coverage(cov, NSW_NPORTS);
  unsigned bad = 0;
  bool internal = false;
  uint64_t cycles = 0;
  try {
    SwitchTb tb(NSW_NPORTS, k, cov);
    bad = tb.run();
    cycles = tb.cycles();
    for (const auto &[a, b] : tb.stats) run.result().extra[a] = b;
  } catch (const std::exception &e) {
    log.error("TB.INTERNAL", e.what());
    internal = true;
  }
  if (cov.illegal_count()) ++bad;
  return run.finish(bad, internal, cycles, [&](const std::string &path) {
    tb::CoverageRunInfo ri(test, k.seed);
    ri.extra["config"] = NCV_CFG_NAME;
    cov.write(path, ri);
    return cov.percent();
  });
}
