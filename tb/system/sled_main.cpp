// Simulation main of the sled platform: ncv_sled_<config> +test=NAME [+seed=N] [+waves]
// [+outdir=DIR] [+timeout_us=N] [+verbosity=debug|info|warning|error] [+list]
// [+mode=rtl|golden|lockstep] [+lockstep_inject=N] [+link_delay_ns=N].
// Writes DIR/sim.log, DIR/result.json and with +waves DIR/waves.fst and DIR/waves.gtkw.
// Exit status: 0 pass, 1 test failure, 2 usage error, 3 internal error or timeout.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include <systemc>

#include <verilated.h>

#include "ncv/devices/sled_devices.h"
#include "ncv/tb/errors.h"
#include "ncv/tb/log.h"
#include "ncv/tb/plusargs.h"
#include "ncv/tb/result.h"
#include "ncv/tb/waves.h"
#include "sim_test.h"

using ncv::tb::Log;
using ncv::tb::Plusargs;

namespace ncv::tbsys {

std::map<std::string, TestDef> &registry() {
  static std::map<std::string, TestDef> r;
  return r;
}

namespace {

class Runner : public sc_core::sc_module {
 public:
  Runner(sc_core::sc_module_name name, TestCtx ctx, const TestDef &def, sc_core::sc_time timeout)
      : sc_module(name), ctx_(ctx), def_(def), timeout_(timeout) {
    SC_HAS_PROCESS(Runner);
    SC_THREAD(body);
    SC_THREAD(watchdog);
  }
  bool done = false, timed_out = false;

 private:
  void body() {
    wait(sc_core::sc_time(10, sc_core::SC_NS));  // out of reset
    def_.body(ctx_);
    done = true;
    sc_core::sc_stop();
  }
  void watchdog() {
    wait(timeout_);
    if (!done) {
      timed_out = true;
      ctx_.log.error("TB.TIMEOUT", "test did not finish within " + timeout_.to_string() + " of simulated time");
      sc_core::sc_stop();
    }
  }
  TestCtx ctx_;
  const TestDef &def_;
  sc_core::sc_time timeout_;
};

// `rtl_scope`: where the Verilated tile sits below the chip ("tile.rtl", in lockstep
// "tile.rtl.rtl").
void write_gtkw(const std::string &path, const std::string &fst, unsigned chips, const std::string &rtl_scope) {
  std::ofstream f(path);
  f << "[*] GTKWave save file written by ncv for the sled platform\n";
  f << "[dumpfile] \"" << fst << "\"\n";
  f << "[timestart] 0\n";
  for (unsigned c = 0; c < chips; ++c) {
    const std::string top = "sled.chip" + std::to_string(c) + "." + rtl_scope + ".nct_top.";
    f << "@200\n-chip" << c << " tile: clock, reset, irq\n@28\n";
    for (const char *s : {"clk_i", "rst_ni", "irq_o"}) f << top << s << "\n";
    f << "@200\n-chip" << c << " tile: AXI-Lite CSR port\n@28\n";
    for (const char *s :
         {"s_axil_awvalid_i", "s_axil_awready_o", "s_axil_wvalid_i", "s_axil_wready_o", "s_axil_bvalid_o",
          "s_axil_bready_i", "s_axil_arvalid_i", "s_axil_arready_o", "s_axil_rvalid_o", "s_axil_rready_i"})
      f << top << s << "\n";
    f << "@22\n";
    for (const char *s :
         {"s_axil_awaddr_i[11:0]", "s_axil_wdata_i[31:0]", "s_axil_araddr_i[11:0]", "s_axil_rdata_o[31:0]"})
      f << top << s << "\n";
  }
  // The NSP fabric (docs/switch.md): each chip's endpoint with its link pins (TX into its up
  // link, RX from its down link), then the switch's ports (port p: bit p of valid, bits
  // 2p+1:2p of kind, bits 128p+127:128p of data) and interrupts.
  for (unsigned c = 0; c < chips; ++c) {
    const std::string ep = "sled.chip" + std::to_string(c) + ".nsp.rtl.nsp_endpoint.";
    f << "@200\n-chip" << c << " NSP endpoint: link pins\n@28\n";
    for (const char *s : {"clk_i", "rst_ni", "enable_i", "tx_valid_o", "rx_valid_i"}) f << ep << s << "\n";
    f << "@22\n";
    for (const char *s : {"state_o[2:0]", "tx_kind_o[1:0]", "tx_data_o[127:0]", "rx_kind_i[1:0]", "rx_data_i[127:0]"})
      f << ep << s << "\n";
  }
  const std::string sw = "sled.fabric.switch.nsp_switch.";
  const std::string hi = std::to_string(chips - 1), hi2 = std::to_string(2 * chips - 1),
                    hi128 = std::to_string(128 * chips - 1);
  f << "@200\n-NSP switch: ports 0.." << hi << ", interrupts\n@28\n";
  for (const char *s : {"clk_i", "rst_ni", "irq_err_o", "irq_link_o"}) f << sw << s << "\n";
  f << "@22\n";
  for (const std::string &s : {"tx_valid_o[" + hi + ":0]", "tx_kind_o[" + hi2 + ":0]", "tx_data_o[" + hi128 + ":0]",
                               "rx_valid_i[" + hi + ":0]", "rx_kind_i[" + hi2 + ":0]", "rx_data_i[" + hi128 + ":0]"})
    f << sw << s << "\n";
}

int run(int argc, char **argv) {
  Plusargs args(argc, argv);
  for (const auto &[n, h] : std::map<std::string, std::string>{
           {"test", "test name"},
           {"seed", "run seed"},
           {"waves", "write waves.fst"},
           {"outdir", "run directory"},
           {"timeout_us", "simulated-time limit"},
           {"verbosity", "debug|info|warning|error"},
           {"list", "list the tests"},
           {"mode", "run mode: rtl, golden or lockstep"},
           {"link_delay_ns", "link delay (default: config)"},
           {"lockstep_inject", "lockstep negative test"},
           {"clock_gate", "0: simulate every edge of idle tiles and fabric (1: hold them, the default)"}}) {
    args.declare(n, h);
  }
  if (args.has("list")) {
    for (const auto &[name, def] : registry()) std::cout << name << "\t" << def.desc << "\n";
    return ncv::tb::kExitPass;
  }
  const std::string test = args.get_or("test", "");
  auto it = registry().find(test);
  if (it == registry().end()) {
    std::string known;
    for (const auto &kv : registry()) known += (known.empty() ? "" : ", ") + kv.first;
    throw ncv::tb::UsageError(test.empty()
                                  ? "argument '+test': missing (expected one of: " + known + ")"
                                  : "argument '+test=" + test + "': unknown test (expected one of: " + known + ")");
  }
  const TestDef &def = it->second;
  for (const auto &p : def.plusargs) args.declare(p, "test argument");
  args.check_known();
  if (def.check) def.check(args);
  const uint64_t seed = args.get_u64("seed", 1);
  // system.md "Run modes"; the default is the configuration's `mode`.
  const std::string mode = args.get_or("mode", ncv::sled::Sled::config_mode());
  ncv::sled::RunMode run_mode = ncv::sled::RunMode::kRtl;
  if (!ncv::sled::parse_run_mode(mode, run_mode))
    throw ncv::tb::UsageError("argument '+mode=" + mode + "': expected rtl, golden or lockstep");
  const uint64_t lockstep_inject = args.get_u64("lockstep_inject", 0);
  if (lockstep_inject && run_mode != ncv::sled::RunMode::kLockstep)
    throw ncv::tb::UsageError("argument '+lockstep_inject': needs +mode=lockstep");
  const std::string gate = args.get_or("clock_gate", "1");
  if (gate != "0" && gate != "1" && gate != "uncorrected")
    throw ncv::tb::UsageError("argument '+clock_gate=" + gate + "': expected 0, 1 or uncorrected");
  const bool clock_gate = gate != "0";
  // The link models' delay; the default is the configuration's `link.delay_ns`.
  std::optional<uint64_t> link_delay_ns;
  if (args.has("link_delay_ns")) {
    link_delay_ns = args.get_u64("link_delay_ns", 0);
    if (*link_delay_ns < 1 || *link_delay_ns > 100000)
      throw ncv::tb::UsageError("argument '+link_delay_ns=" + args.get_or("link_delay_ns", "") +
                                "': expected a delay in ns in 1..100000");
  }
  const std::string outdir = args.get_or("outdir", ".");
  std::error_code ec;
  std::filesystem::create_directories(outdir, ec);
  if (ec) throw std::runtime_error("cannot create run directory '" + outdir + "': " + ec.message());
  const std::string verb = args.get_or("verbosity", "info");
  Log &log = Log::get();
  if (verb == "debug")
    log.set_verbosity(ncv::tb::Severity::kDebug);
  else if (verb == "warning")
    log.set_verbosity(ncv::tb::Severity::kWarning);
  else if (verb == "error")
    log.set_verbosity(ncv::tb::Severity::kError);
  else if (verb != "info")
    throw ncv::tb::UsageError("argument '+verbosity=" + verb + "': expected debug, info, warning or error");
  log.open(outdir + "/sim.log");
  log.set_time_source([] { return sc_core::sc_time_stamp().value(); });

  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
  ncv::sled::SledOptions opt;
  opt.firmware = def.firmware;
  opt.seed = seed;
  opt.mode = mode;
  opt.lockstep_inject = lockstep_inject;
  opt.link_delay_ns = link_delay_ns;
  opt.clock_gate = clock_gate;
  opt.clock_gate_uncorrected = gate == "uncorrected";  // the PERF_CYCLES checks' negative test
  ncv::sled::Sled sled("sled", opt);
  sled.devices().on_console_line([&log](const std::string &l) { log.info("FW.CONSOLE", l); });
  std::unique_ptr<sc_core::sc_module> tb_extra(def.elaborate ? def.elaborate(sled) : nullptr);
  TestCtx ctx{sled, log, args, seed};
  const sc_core::sc_time timeout(static_cast<double>(args.get_u64("timeout_us", 1000)), sc_core::SC_US);
  Runner runner("runner", ctx, def, timeout);

  log.info("TB.START", "test " + test + " seed " + std::to_string(seed) + " config " + ncv::sled::Sled::config_name() +
                           " mode " + mode);
  ncv::tb::RunResult res;
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  if (args.has("waves")) {
    sled.open_waves(outdir + "/waves.fst");
    write_gtkw(outdir + "/waves.gtkw", "waves.fst", sled.chips(),
               run_mode == ncv::sled::RunMode::kLockstep ? "tile.rtl.rtl" : "tile.rtl");
    res.artefacts["waves"] = "waves.fst";
    res.artefacts["gtkw"] = "waves.gtkw";
  }
  sc_core::sc_start();
  sled.close_waves();
  if (args.has("waves")) ncv::tb::fst_fix_date(outdir + "/waves.fst");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  res.test = test;
  res.seed = seed;
  res.config = ncv::sled::Sled::config_name();
  res.cycles = sled.cycles();
  res.wall_s = wall;
  res.host = ncv::tb::hostname();
  res.extra["mode"] = mode;
  {  // how much the clock gate saved (result.json only: sim.log is the same either way)
    std::string held;
    for (unsigned c = 0; c < sled.chips(); ++c) held += (c ? " " : "") + std::to_string(sled.tile_gated_edges(c));
    res.extra["tile_edges_gated"] = held;
  }
  if (run_mode == ncv::sled::RunMode::kLockstep)
    log.info("TB.LOCKSTEP", std::to_string(sled.lockstep_checked()) + " retirements compared with the golden model");
  res.artefacts["log"] = "sim.log";
  std::ofstream(outdir + "/hbm_stats.json") << sled.hbm_stats_json();
  res.artefacts["hbm_stats"] = "hbm_stats.json";
  int rc;
  if (Verilated::threadContextp()->gotError()) {
    // A failed assertion or $error in the RTL (Verilator printed it and stopped the run).
    log.error("RTL.ERROR", "the RTL reported an error (an assertion or $error; its text is in the simulator output)");
  }
  if (runner.timed_out) {
    res.status = "TIMEOUT";
    rc = ncv::tb::kExitInternal;
  } else if (!runner.done) {
    log.error("TB.NOT_DONE", "simulation stopped before the test finished");
    res.status = "FAIL";
    rc = ncv::tb::kExitFail;
  } else {
    res.status = log.errors() ? "FAIL" : "PASS";
    rc = log.errors() ? ncv::tb::kExitFail : ncv::tb::kExitPass;
  }
  res.signature = log.signature();
  res.first_error = log.first_error();
  res.first_failure_ps = log.first_error_ps();
  res.write(outdir + "/result.json");
  log.info("TB.END", "test " + test + " " + res.status + ": " + std::to_string(log.errors()) + " errors, " +
                         std::to_string(res.cycles) + " cycles");
  log.close();
  return rc;
}

}  // namespace
}  // namespace ncv::tbsys

int sc_main(int argc, char **argv) {
  // The run log says what happened; SystemC's own stop notice adds nothing.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  try {
    return ncv::tbsys::run(argc, argv);
  } catch (const ncv::tb::UsageError &e) {
    std::cerr << "ncv_sled: error: " << e.what() << "\n";
    return ncv::tb::kExitUsage;
  } catch (const std::exception &e) {
    std::cerr << "ncv_sled: internal error: " << e.what() << "\n";
    return ncv::tb::kExitInternal;
  }
}
