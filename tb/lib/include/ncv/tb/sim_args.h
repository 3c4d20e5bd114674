// Command line of a simulation main (verification.md "Run control"): the common plusargs
// (+test, +seed, +outdir, +waves, +verbosity, +max_cycles, +list) plus the program's own
// knobs, the +list answer and the unknown-test error, in one place for every simulator.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ncv/tb/plusargs.h"
#include "ncv/tb/result.h"

namespace ncv::tb {

// Parses argv into `args`. Returns -1 when the run should go on (args.get("test") names a
// test of `tests`), otherwise the exit status: 0 after printing the test list for +list,
// 2 after one error line on stderr for a bad argument or an unknown test.
int parse_sim_args(const std::string &prog, int argc, const char *const *argv,
                   const std::map<std::string, std::string> &tests,
                   const std::vector<std::pair<std::string, std::string>> &knobs, Plusargs &args);

// The run control shared by the simulation mains: opens OUTDIR/sim.log at +verbosity, logs
// TB.START, and at the end writes coverage.json and result.json, logs TB.END, prints the
// reproduction command of a failing run and gives the exit status (0 pass, 1 test failure,
// 3 internal error).
class SimRun {
 public:
  // `what` ends the TB.START line, for example "(P=8)".
  SimRun(const Plusargs &args, const std::string &test, uint64_t seed, const std::string &config,
         const std::string &outdir, const std::string &what);
  const std::string &outdir() const { return outdir_; }
  const std::string &waves() const { return waves_; }  // OUTDIR/waves.fst with +waves, else empty
  bool debug() const { return debug_; }
  RunResult &result() { return res_; }  // add extra facts before finish()
  const std::string &repro() const { return repro_; }

  // `write_coverage(path)` writes the run's coverage JSON and returns its percentage.
  int finish(unsigned mismatches, bool internal, uint64_t cycles,
             const std::function<double(const std::string &)> &write_coverage);

 private:
  std::string outdir_, waves_, repro_;
  bool debug_ = false;
  RunResult res_;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace ncv::tb
