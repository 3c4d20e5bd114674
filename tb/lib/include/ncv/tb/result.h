// result.json of one run (system.md "Determinism and run outputs").
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace ncv::tb {

std::string json_escape(const std::string &s);

struct RunResult {
  std::string test;
  uint64_t seed = 0;
  std::string config;
  std::string status = "FAIL";  // PASS or FAIL (the runner adds TIMEOUT, CRASH, ...)
  std::string signature;        // empty on PASS
  std::string first_error;
  uint64_t first_failure_ps = 0;
  uint64_t cycles = 0;
  double wall_s = 0.0;
  std::string host;
  std::map<std::string, std::string> artefacts;  // name -> path relative to the run dir
  std::map<std::string, std::string> extra;      // free-form string facts

  std::string to_json() const;
  void write(const std::string &path) const;
};

std::string hostname();

}  // namespace ncv::tb
