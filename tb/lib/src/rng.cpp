#include "ncv/tb/rng.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <stdexcept>

namespace ncv::tb {

uint64_t fnv1a64(const std::string &s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

static uint64_t splitmix64(uint64_t &x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

Rng::Rng(uint64_t run_seed, const std::string &path) {
  uint64_t x = run_seed ^ fnv1a64(path);
  for (auto &w : s_) w = splitmix64(x);
}

uint64_t Rng::next() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

uint64_t Rng::range(uint64_t lo, uint64_t hi) {
  if (lo > hi) throw std::invalid_argument("Rng::range: lo > hi");
  const uint64_t span = hi - lo;
  if (span == UINT64_MAX) return next();
  const uint64_t n = span + 1;
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
  uint64_t r;
  do {
    r = next();
  } while (r >= limit);
  return lo + r % n;
}

bool Rng::chance(double p) {
  return static_cast<double>(next() >> 11) * 0x1.0p-53 < p;
}

}  // namespace ncv::tb

// ---------------------------------------------------------------------------------------
// Additions: they draw through next()/range() only.

namespace ncv::tb {

void Dist::add(uint64_t lo, uint64_t hi, uint64_t total, bool each) {
  if (total == 0) return;
  if (total_ > UINT64_MAX - total) throw std::overflow_error("Dist: the weights add up to more than 2^64 - 1");
  total_ += total;
  entries_.push_back({lo, hi, each ? total / (hi - lo + 1) : total, each, total_});
}

Dist &Dist::range(uint64_t lo, uint64_t hi, uint64_t weight_each) {
  if (lo > hi) throw std::invalid_argument("Dist::range: lo > hi");
  if (weight_each == 0) return *this;
  const uint64_t span = hi - lo;  // values - 1
  if (span == UINT64_MAX || weight_each > UINT64_MAX / (span + 1)) {
    throw std::overflow_error("Dist::range: weight x values is more than 2^64 - 1");
  }
  add(lo, hi, weight_each * (span + 1), true);
  return *this;
}

Dist &Dist::range_total(uint64_t lo, uint64_t hi, uint64_t weight) {
  if (lo > hi) throw std::invalid_argument("Dist::range_total: lo > hi");
  add(lo, hi, weight, false);
  return *this;
}

uint64_t Rng::dist(const Dist &d) {
  if (d.total_ == 0) throw std::invalid_argument("Rng::dist: every weight is 0");
  const uint64_t r = range(0, d.total_ - 1);
  const auto it = std::upper_bound(d.entries_.begin(), d.entries_.end(), r,
                                   [](uint64_t x, const Dist::Entry &e) { return x < e.end; });
  const Dist::Entry &e = *it;
  if (!e.each) return e.lo == e.hi ? e.lo : range(e.lo, e.hi);
  const uint64_t start = e.end - e.weight * (e.hi - e.lo + 1);
  return e.lo + (r - start) / e.weight;
}

size_t Rng::weighted_index(const std::vector<uint64_t> &weights) {
  uint64_t total = 0;
  for (uint64_t w : weights) {
    if (total > UINT64_MAX - w) throw std::overflow_error("Rng::weighted_index: weights add up to more than 2^64 - 1");
    total += w;
  }
  if (total == 0) throw std::invalid_argument("Rng::weighted_index: every weight is 0");
  uint64_t r = range(0, total - 1);
  for (size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return weights.size() - 1;  // not reached
}

std::vector<size_t> Rng::subset(size_t n, size_t k) {
  if (k > n) throw std::invalid_argument("Rng::subset: k > n");
  // Floyd's algorithm: one draw per chosen element, uniform over the k-subsets.
  std::set<size_t> chosen;
  for (size_t j = n - k; j < n; ++j) {
    const size_t t = static_cast<size_t>(range(0, j));
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  return std::vector<size_t>(chosen.begin(), chosen.end());
}

std::vector<size_t> Rng::subset_each(size_t n, double p) {
  std::vector<size_t> out;
  for (size_t i = 0; i < n; ++i) {
    if (chance(p)) out.push_back(i);
  }
  return out;
}

void throw_constraint_error(const std::string &what, unsigned attempts, const std::vector<std::string> &names,
                            const std::vector<unsigned> &rejections) {
  std::ostringstream os;
  size_t worst = 0;
  for (size_t i = 1; i < rejections.size(); ++i) {
    if (rejections[i] > rejections[worst]) worst = i;
  }
  os << what << ": no value met constraint '" << (names.empty() ? std::string("?") : names[worst]) << "' within "
     << attempts << " attempts";
  if (!names.empty()) {
    os << " (rejections:";
    for (size_t i = 0; i < names.size(); ++i) os << (i ? ", " : " ") << names[i] << " " << rejections[i];
    os << ")";
  }
  throw ConstraintError(os.str());
}

}  // namespace ncv::tb
