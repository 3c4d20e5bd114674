// Command line of a simulation main (verification.md "Run control"): the common plusargs
// (+test, +seed, +outdir, +waves, +verbosity, +max_cycles, +list) plus the program's own
// knobs, the +list answer and the unknown-test error, in one place for every simulator.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ncv/tb/plusargs.h"

namespace ncv::tb {

// Parses argv into `args`. Returns -1 when the run should go on (args.get("test") names a
// test of `tests`), otherwise the exit status: 0 after printing the test list for +list,
// 2 after one error line on stderr for a bad argument or an unknown test.
int parse_sim_args(const std::string &prog, int argc, const char *const *argv,
                   const std::map<std::string, std::string> &tests,
                   const std::vector<std::pair<std::string, std::string>> &knobs, Plusargs &args);

}  // namespace ncv::tb
