#include "ncv/tb/sim_args.h"

#include <filesystem>
#include <iostream>

#include "ncv/tb/errors.h"
#include "ncv/tb/log.h"
#include "ncv/tb/waves.h"

namespace ncv::tb {

int parse_sim_args(const std::string &prog, int argc, const char *const *argv,
                   const std::map<std::string, std::string> &tests,
                   const std::vector<std::pair<std::string, std::string>> &knobs, Plusargs &args) {
  try {
    args = Plusargs(argc, argv);
    args.declare("test", "test to run");
    args.declare("seed", "run seed");
    args.declare("outdir", "output directory");
    args.declare("waves", "write waves.fst");
    args.declare("verbosity", "debug|info|warning|error");
    args.declare("max_cycles", "cycle budget");
    args.declare("list", "list the tests");
    for (const auto &[name, help] : knobs) args.declare(name, help);
    args.check_known();
  } catch (const UsageError &e) {
    std::cerr << prog << ": " << e.what() << "\n";
    return kExitUsage;
  }
  if (args.has("list")) {
    for (const auto &[n, d] : tests) std::cout << n << "\t" << d << "\n";
    return kExitPass;
  }
  const std::string test = args.get_or("test", "");
  if (!tests.count(test)) {
    std::cerr << prog << ": +test=" << test << ": unknown test (expected one of:";
    for (const auto &kv : tests) std::cerr << " " << kv.first;
    std::cerr << ")\n";
    return kExitUsage;
  }
  return -1;
}

SimRun::SimRun(const Plusargs &args, const std::string &test, uint64_t seed, const std::string &config,
               const std::string &outdir, const std::string &what)
    : outdir_(outdir), t0_(std::chrono::steady_clock::now()) {
  Log &log = Log::get();
  std::filesystem::create_directories(outdir_);
  log.open(outdir_ + "/sim.log");
  const std::string v = args.get_or("verbosity", "info");
  log.set_verbosity(v == "debug" ? Severity::kDebug : v == "warning" ? Severity::kWarning
                                                    : v == "error" ? Severity::kError
                                                                   : Severity::kInfo);
  debug_ = v == "debug";
  if (args.has("waves")) waves_ = outdir_ + "/waves.fst";
  res_.test = test;
  res_.seed = seed;
  res_.config = config;
  res_.host = hostname();
  repro_ = "./ncv run " + test + " --seed " + std::to_string(seed) + " --config " + config;
  log.info("TB.START", "test " + test + " seed " + std::to_string(seed) + " config " + config + " " + what);
}

int SimRun::finish(unsigned mismatches, bool internal, uint64_t cycles,
                   const std::function<double(const std::string &)> &write_coverage) {
  Log &log = Log::get();
  res_.cycles = cycles;
  res_.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  try {
    const double pct = write_coverage(outdir_ + "/coverage.json");
    res_.artefacts["coverage"] = "coverage.json";
    res_.extra["coverage_percent"] = std::to_string(pct).substr(0, 5);
  } catch (const std::exception &e) {
    log.error("TB.COVERAGE", e.what());
  }
  const bool pass = !internal && mismatches == 0 && log.errors() == 0;
  res_.status = pass ? "PASS" : "FAIL";
  res_.signature = log.signature();
  res_.first_error = log.first_error();
  res_.first_failure_ps = log.first_error_ps();
  res_.artefacts["log"] = "sim.log";
  if (!waves_.empty()) res_.artefacts["waves"] = "waves.fst";
  res_.extra["repro"] = repro_;
  res_.write(outdir_ + "/result.json");
  // No wall time in the log: the same seed gives the same log (it is in result.json).
  log.info("TB.END", std::string(pass ? "PASS" : "FAIL") + " after " + std::to_string(cycles) + " cycles");
  if (!pass) std::cout << "reproduce: " << repro_ << "\n";
  log.close();
  if (!waves_.empty()) fst_fix_date(waves_);
  return internal ? kExitInternal : pass ? kExitPass : kExitFail;
}

}  // namespace ncv::tb
