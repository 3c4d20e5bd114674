// Run-time arguments of a simulation: `+name` flags and `+name=value` options (the
// convention of Verilog plusargs), plus positional words. Unknown names are an error
// unless declared, so a typo never silently changes a run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ncv::tb {

class Plusargs {
 public:
  Plusargs() = default;
  // Parses argv[1..]; throws UsageError on a malformed argument.
  Plusargs(int argc, const char *const *argv);
  explicit Plusargs(const std::vector<std::string> &args);

  // Declares a name the program understands (for the unknown-argument check).
  void declare(const std::string &name, const std::string &help);
  // Throws UsageError naming the first argument that was never declared.
  void check_known() const;

  bool has(const std::string &name) const;
  std::optional<std::string> get(const std::string &name) const;
  std::string get_or(const std::string &name, const std::string &dflt) const;
  // Integer values accept decimal and 0x hex; throws UsageError naming the argument.
  uint64_t get_u64(const std::string &name, uint64_t dflt) const;
  const std::vector<std::string> &positional() const { return positional_; }
  std::string help() const;

 private:
  void parse_one(const std::string &a);
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  std::map<std::string, std::string> declared_;
};

}  // namespace ncv::tb
