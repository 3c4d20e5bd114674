// System tests on the sled platform: a registry of named tests that the simulation main
// (+test=NAME) runs in a SystemC thread.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "ncv/sled/sled.h"
#include "ncv/tb/log.h"
#include "ncv/tb/plusargs.h"
#include "ncv/tb/rng.h"

namespace ncv::tbsys {

struct TestCtx {
  ncv::sled::Sled &sled;
  ncv::tb::Log &log;
  const ncv::tb::Plusargs &args;
  uint64_t seed;
};

struct TestDef {
  std::string desc;
  bool firmware;                        // does the sled run its firmware?
  std::vector<std::string> plusargs;    // test-specific plusargs it understands
  std::function<void(TestCtx &)> body;  // runs in an SC_THREAD; report errors via ctx.log
  // Checks the test's plusarg values before the simulation starts; throws UsageError.
  std::function<void(const ncv::tb::Plusargs &)> check = nullptr;
  // Adds testbench modules around the sled before elaboration ends (owned by the main).
  std::function<sc_core::sc_module *(ncv::sled::Sled &)> elaborate = nullptr;
};

std::map<std::string, TestDef> &registry();

struct Register {
  Register(const std::string &name, TestDef def) { registry()[name] = std::move(def); }
};

}  // namespace ncv::tbsys
