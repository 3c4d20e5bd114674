#include "ncv/tb/plusargs.h"

#include <sstream>

#include "ncv/tb/errors.h"

namespace ncv::tb {

Plusargs::Plusargs(int argc, const char *const *argv) {
  for (int i = 1; i < argc; ++i) parse_one(argv[i]);
}

Plusargs::Plusargs(const std::vector<std::string> &args) {
  for (const auto &a : args) parse_one(a);
}

void Plusargs::parse_one(const std::string &a) {
  if (a.size() > 1 && a[0] == '+') {
    const auto eq = a.find('=');
    const std::string name = a.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
    if (name.empty()) throw UsageError("argument '" + a + "': expected +name or +name=value");
    values_[name] = eq == std::string::npos ? std::string() : a.substr(eq + 1);
  } else {
    positional_.push_back(a);
  }
}

void Plusargs::declare(const std::string &name, const std::string &help) {
  declared_[name] = help;
}

void Plusargs::check_known() const {
  for (const auto &kv : values_) {
    // Verilator's own runtime options pass through untouched.
    if (kv.first.rfind("verilator+", 0) == 0) continue;
    if (!declared_.count(kv.first)) {
      throw UsageError("argument '+" + kv.first + "': unknown (expected one of: " + help() + ")");
    }
  }
}

bool Plusargs::has(const std::string &name) const {
  return values_.count(name) != 0;
}

std::optional<std::string> Plusargs::get(const std::string &name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Plusargs::get_or(const std::string &name, const std::string &dflt) const {
  auto v = get(name);
  return v ? *v : dflt;
}

uint64_t Plusargs::get_u64(const std::string &name, uint64_t dflt) const {
  auto v = get(name);
  if (!v) return dflt;
  try {
    size_t pos = 0;
    const uint64_t r = std::stoull(*v, &pos, 0);
    if (pos != v->size()) throw std::invalid_argument("trailing");
    return r;
  } catch (const std::exception &) {
    throw UsageError("argument '+" + name + "=" + *v + "': expected an unsigned integer");
  }
}

std::string Plusargs::help() const {
  std::ostringstream os;
  bool first = true;
  for (const auto &kv : declared_) {
    os << (first ? "" : ", ") << "+" << kv.first;
    first = false;
  }
  return os.str();
}

}  // namespace ncv::tb
