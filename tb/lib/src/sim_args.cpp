#include "ncv/tb/sim_args.h"

#include <iostream>

#include "ncv/tb/errors.h"

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

}  // namespace ncv::tb
