// Simulation log: severities, message ids, simulated timestamps, a sim.log file, and
// the failure signature of the first error (message id + normalised text) for triage.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

namespace ncv::tb {

enum class Severity { kDebug, kInfo, kWarning, kError, kFatal };

const char *severity_name(Severity s);

// Replaces numbers, hex values and paths by placeholders so that failures of the same
// cause on different seeds share one signature.
std::string normalise_signature(const std::string &text);

class Log {
 public:
  // The log of the current run (one per process).
  static Log &get();

  // Where lines go besides stdout; empty path = stdout only.
  void open(const std::string &path);
  void close();
  // Source of the simulated time printed on each line, in picoseconds.
  void set_time_source(std::function<uint64_t()> now_ps) { now_ps_ = std::move(now_ps); }
  void set_verbosity(Severity min) { min_ = min; }
  void set_echo(bool echo) { echo_ = echo; }

  void msg(Severity s, const std::string &id, const std::string &text);
  void debug(const std::string &id, const std::string &t) { msg(Severity::kDebug, id, t); }
  void info(const std::string &id, const std::string &t) { msg(Severity::kInfo, id, t); }
  void warning(const std::string &id, const std::string &t) { msg(Severity::kWarning, id, t); }
  void error(const std::string &id, const std::string &t) { msg(Severity::kError, id, t); }

  unsigned errors() const { return errors_; }
  unsigned warnings() const { return warnings_; }
  // Signature of the first error: "ID: normalised text"; empty if none.
  const std::string &signature() const { return signature_; }
  const std::string &first_error() const { return first_error_; }
  uint64_t first_error_ps() const { return first_error_ps_; }
  uint64_t now_ps() const { return now_ps_ ? now_ps_() : 0; }
  void reset_counts();

 private:
  Log() = default;
  std::function<uint64_t()> now_ps_;
  std::unique_ptr<std::ofstream> file_;
  Severity min_ = Severity::kInfo;
  bool echo_ = true;
  unsigned errors_ = 0, warnings_ = 0;
  std::string signature_, first_error_;
  uint64_t first_error_ps_ = 0;
};

}  // namespace ncv::tb
