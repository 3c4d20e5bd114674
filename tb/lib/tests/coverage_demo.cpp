// A tiny testbench stand-in that writes a coverage JSON through the real library, for the
// Python merge/report tests and as an example of declaring and sampling coverage:
//   coverage_demo +seed=N +out=coverage.json [+test=NAME] [+samples=N] [+illegal]
#include <exception>
#include <iostream>

#include "ncv/tb/coverage.h"
#include "ncv/tb/errors.h"
#include "ncv/tb/log.h"
#include "ncv/tb/plusargs.h"
#include "ncv/tb/rng.h"

using namespace ncv::tb;

int main(int argc, char **argv) {
  try {
    Plusargs args(argc, argv);
    args.declare("seed", "run seed");
    args.declare("out", "coverage JSON to write");
    args.declare("test", "test name recorded in the JSON (default coverage_demo)");
    args.declare("samples", "number of samples (default 40)");
    args.declare("illegal", "also sample a reserved opcode once");
    args.check_known();
    const uint64_t seed = args.get_u64("seed", 1);
    const std::string out = args.get_or("out", "");
    if (out.empty()) throw UsageError("argument '+out': expected +out=PATH");
    Log::get().set_verbosity(Severity::kWarning);

    CoverageDb db;
    CovergroupOptions ops_opts;
    ops_opts.weight = 2.0;
    ops_opts.comment = "instructions retired per queue";
    Covergroup &ops = db.group("demo.ops", "q0", ops_opts);
    Coverpoint &op = ops.coverpoint("opcode");
    op.bin("load", 0)
        .bin("store", 1)
        .bin("alu", {2, 3, 4})
        .bin("matmul", 5)
        .ignore("nop", 6)
        .illegal("reserved", 7, 15);
    Coverpoint &dtype = ops.coverpoint("dtype");
    dtype.values("dt", 0, 3);
    Coverpoint &len = ops.coverpoint("len");
    len.ranges("len", 1, 4096, 4).bin("max", 4096).goal(2);
    ops.cross("opcode_x_dtype", {&op, &dtype}).ignore_if([](const CrossCombo &c) {
      return c[0] == "load" && c[1] == "dt[3]";
    });

    Covergroup &sem = db.group("demo.sem");
    Coverpoint &wait = sem.coverpoint("wait_outcome");
    wait.bin("ready", 0).bin("stalled", 1).bin("timeout", 2).at_least(3);

    Rng rng(seed, "coverage_demo");
    Dist op_dist;
    op_dist.value(0, 3).value(1, 3).range(2, 4, 1).value(5, 2).value(6, 1);
    const uint64_t samples = args.get_u64("samples", 40);
    for (uint64_t i = 0; i < samples; ++i) {
      ops.sample({rng.dist(op_dist), rng.range(0, 3), rng.chance(0.05) ? 4096 : rng.range(1, 4095)});
      wait.sample(rng.weighted<uint64_t>({{0, 10}, {1, 3}, {2, 1}}));
    }
    if (args.has("illegal")) op.sample(9);

    CoverageRunInfo run;
    run.test = args.get_or("test", "coverage_demo");
    run.seed = seed;
    run.extra["samples"] = std::to_string(samples);
    db.write(out, run);
    std::cout << db.summary();
    return db.illegal_count() ? kExitFail : kExitPass;
  } catch (const UsageError &e) {
    std::cerr << "coverage_demo: error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception &e) {
    std::cerr << "coverage_demo: error: " << e.what() << "\n";
    return kExitInternal;
  }
}
