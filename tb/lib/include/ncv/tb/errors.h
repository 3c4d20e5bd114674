// Exceptions that map to the exit statuses of system.md.
#pragma once

#include <stdexcept>
#include <string>

namespace ncv::tb {

enum ExitStatus : int { kExitPass = 0, kExitFail = 1, kExitUsage = 2, kExitInternal = 3 };

// Bad input: command line, config, program, firmware image. Exit status 2.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string &what) : std::runtime_error(what) {}
};

}  // namespace ncv::tb
