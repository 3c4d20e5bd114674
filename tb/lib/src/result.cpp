#include "ncv/tb/result.h"

#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ncv::tb {

std::string json_escape(const std::string &s) {
  std::string o;
  o.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o;
}

static std::string q(const std::string &s) {
  return "\"" + json_escape(s) + "\"";
}

std::string RunResult::to_json() const {
  std::ostringstream os;
  os << "{\n";
  os << "  \"test\": " << q(test) << ",\n";
  os << "  \"seed\": " << seed << ",\n";
  os << "  \"config\": " << q(config) << ",\n";
  os << "  \"status\": " << q(status) << ",\n";
  os << "  \"signature\": " << q(signature) << ",\n";
  os << "  \"first_error\": " << q(first_error) << ",\n";
  os << "  \"first_failure_ps\": " << first_failure_ps << ",\n";
  os << "  \"cycles\": " << cycles << ",\n";
  char wall[32];
  std::snprintf(wall, sizeof wall, "%.6f", wall_s);
  os << "  \"wall_s\": " << wall << ",\n";
  os << "  \"host\": " << q(host) << ",\n";
  os << "  \"artefacts\": {";
  bool first = true;
  for (const auto &kv : artefacts) {
    os << (first ? "" : ", ") << q(kv.first) << ": " << q(kv.second);
    first = false;
  }
  os << "},\n  \"extra\": {";
  first = true;
  for (const auto &kv : extra) {
    os << (first ? "" : ", ") << q(kv.first) << ": " << q(kv.second);
    first = false;
  }
  os << "}\n}\n";
  return os.str();
}

void RunResult::write(const std::string &path) const {
  // Write to a temporary name and rename, so a crash never leaves half a result.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::out | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write '" + tmp + "'");
    f << to_json();
    if (!f) throw std::runtime_error("cannot write '" + tmp + "'");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot rename '" + tmp + "' to '" + path + "'");
  }
}

std::string hostname() {
  char b[256] = {0};
  if (gethostname(b, sizeof b - 1) != 0) return "unknown";
  return b;
}

}  // namespace ncv::tb
