// Seeded random streams. Every component derives its own stream from (run seed,
// component path), so adding a component never changes another component's numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ncv::tb {

// 64-bit FNV-1a of a string: stable across platforms and compilers.
uint64_t fnv1a64(const std::string &s);

// A weighted distribution over values and ranges, like SystemVerilog's `dist`:
//   Dist d;
//   d.value(0, 1)              // 0 := 1
//    .range(1, 10, 2)          // [1:10] := 2   (each value weight 2)
//    .range_total(11, 100, 5); // [11:100] :/ 5 (the range as a whole weight 5)
// Weights are integers; a weight of 0 is allowed and never chosen.
class Dist {
 public:
  Dist &value(uint64_t v, uint64_t weight) { return range(v, v, weight); }
  Dist &range(uint64_t lo, uint64_t hi, uint64_t weight_each);
  Dist &range_total(uint64_t lo, uint64_t hi, uint64_t weight);
  uint64_t total_weight() const { return total_; }
  bool empty() const { return total_ == 0; }

 private:
  friend class Rng;
  void add(uint64_t lo, uint64_t hi, uint64_t total, bool each);
  struct Entry {
    uint64_t lo, hi;
    uint64_t weight;  // each value (each) or the whole range
    bool each;
    uint64_t end;  // cumulative weight up to and including this entry
  };
  std::vector<Entry> entries_;
  uint64_t total_ = 0;
};

// A constraint could not be met within its number of attempts.
class ConstraintError : public std::runtime_error {
 public:
  explicit ConstraintError(const std::string &what) : std::runtime_error(what) {}
};

class Rng;

// A named predicate over a generated value.
template <class T>
struct Constraint {
  std::string name;
  std::function<bool(const T &)> holds;
};

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  Rng(uint64_t run_seed, const std::string &path);
  uint64_t next();
  // Uniform in [lo, hi] (inclusive), without modulo bias.
  uint64_t range(uint64_t lo, uint64_t hi);
  bool chance(double p);

  // The functions below draw only through next() and range(), so they never change the
  // numbers the three above give for a seed; each documents how many draws it takes.

  // One value of a weighted distribution (one draw, two for a range_total entry).
  // Throws std::invalid_argument if every weight is 0.
  uint64_t dist(const Dist &d);
  // Index i with probability weights[i] / sum (one draw). Throws if the sum is 0.
  size_t weighted_index(const std::vector<uint64_t> &weights);
  // One of the values, each with its weight: rng.weighted<Op>({{Op::kAdd, 3}, {Op::kMul, 1}}).
  template <class T>
  T weighted(const std::vector<std::pair<T, uint64_t>> &choices) {
    std::vector<uint64_t> w;
    w.reserve(choices.size());
    for (const auto &c : choices) w.push_back(c.second);
    return choices[weighted_index(w)].first;
  }

  // A uniformly chosen element (one draw). Throws std::invalid_argument if empty.
  template <class C>
  auto pick(C &c) -> decltype(*std::begin(c)) {
    const size_t n = static_cast<size_t>(std::distance(std::begin(c), std::end(c)));
    if (n == 0) throw std::invalid_argument("Rng::pick: empty container");
    return *std::next(std::begin(c), static_cast<std::ptrdiff_t>(range(0, n - 1)));
  }
  template <class T>
  T pick(std::initializer_list<T> values) {
    return pick<const std::initializer_list<T>>(values);
  }

  // k distinct indices of [0, n), ascending, every k-subset equally likely (k draws).
  std::vector<size_t> subset(size_t n, size_t k);
  // Each index of [0, n) independently with probability p, ascending (n draws).
  std::vector<size_t> subset_each(size_t n, double p);
  // k distinct elements of v, in their order in v.
  template <class T>
  std::vector<T> subset(const std::vector<T> &v, size_t k) {
    std::vector<T> out;
    out.reserve(k);
    for (size_t i : subset(v.size(), k)) out.push_back(v[i]);
    return out;
  }

  // Fisher-Yates shuffle of a random-access container (size - 1 draws).
  template <class C>
  void shuffle(C &c) {
    using std::swap;
    const size_t n = static_cast<size_t>(std::size(c));
    for (size_t i = n; i-- > 1;) {
      const size_t j = static_cast<size_t>(range(0, i));
      if (j != i) swap(c[i], c[j]);
    }
  }

  // Bounded rejection: calls gen(*this) until every constraint holds and returns that
  // value. After max_attempts values that fail, throws ConstraintError naming `what`, the
  // constraint that rejected most and the rejection count of each.
  template <class T, class Gen>
  T solve(const std::string &what, Gen &&gen, const std::vector<Constraint<T>> &constraints,
          unsigned max_attempts = 1000);

 private:
  uint64_t s_[4];
};

[[noreturn]] void throw_constraint_error(const std::string &what, unsigned attempts,
                                         const std::vector<std::string> &names,
                                         const std::vector<unsigned> &rejections);

template <class T, class Gen>
T Rng::solve(const std::string &what, Gen &&gen, const std::vector<Constraint<T>> &constraints, unsigned max_attempts) {
  std::vector<unsigned> rejected(constraints.size(), 0);
  for (unsigned a = 0; a < max_attempts; ++a) {
    T v = gen(*this);
    size_t i = 0;
    while (i < constraints.size() && constraints[i].holds(v)) ++i;
    if (i == constraints.size()) return v;
    ++rejected[i];
  }
  std::vector<std::string> names;
  names.reserve(constraints.size());
  for (const auto &c : constraints) names.push_back(c.name);
  throw_constraint_error(what, max_attempts, names, rejected);
}

// A random integer (or enum) declared by ranges and predicates: the ranges are drawn from
// by construction (uniformly over their values unless weighted), the predicates by
// bounded rejection.
//   Constrained<uint32_t> len("dma.len");
//   len.in(1, 64).in(4096, 4096, 10).where("even", [](uint32_t v) { return v % 2 == 0; });
//   uint32_t n = len.draw(rng);
template <class T>
class Constrained {
  static_assert(std::is_integral_v<T> || std::is_enum_v<T>, "Constrained<T> is for integers and enums");
  using U = std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::common_type<T>>;
  using I = typename U::type;

 public:
  explicit Constrained(std::string name) : name_(std::move(name)) {}
  // Allowed values [lo, hi] (several calls: the union), each value with weight_each.
  Constrained &in(T lo, T hi, uint64_t weight_each = 1) {
    if (key(lo) > key(hi)) throw std::invalid_argument("Constrained " + name_ + ": in(lo, hi) with lo > hi");
    dist_.range(key(lo), key(hi), weight_each);
    return *this;
  }
  Constrained &value(T v, uint64_t weight = 1) { return in(v, v, weight); }
  Constrained &where(const std::string &name, std::function<bool(T)> pred) {
    constraints_.push_back({name_ + "." + name, [p = std::move(pred)](const T &v) { return p(v); }});
    return *this;
  }
  Constrained &max_attempts(unsigned n) {
    attempts_ = n;
    return *this;
  }
  const std::string &name() const { return name_; }

  // Draws a value; throws ConstraintError naming the constraint if none is found.
  T draw(Rng &rng) const {
    return rng.solve<T>(
        name_, [this](Rng &r) { return from_key(r.dist(dist_.empty() ? all_ : dist_)); }, constraints_, attempts_);
  }
  T operator()(Rng &rng) const { return draw(rng); }

 private:
  // Order-preserving map of the value to 64 unsigned bits (signed values offset by 2^63).
  static uint64_t key(T v) { return key_i(static_cast<I>(v)); }
  static uint64_t key_i(I x) {
    if constexpr (std::is_signed_v<I>) {
      return static_cast<uint64_t>(static_cast<int64_t>(x)) ^ (uint64_t{1} << 63);
    } else {
      return static_cast<uint64_t>(x);
    }
  }
  static T from_key(uint64_t k) {
    if constexpr (std::is_signed_v<I>) {
      return static_cast<T>(static_cast<I>(static_cast<int64_t>(k ^ (uint64_t{1} << 63))));
    } else {
      return static_cast<T>(static_cast<I>(k));
    }
  }
  std::string name_;
  Dist dist_;
  // No range declared: every value of T.
  Dist all_ = Dist().range_total(key_i(std::numeric_limits<I>::min()), key_i(std::numeric_limits<I>::max()), 1);
  std::vector<Constraint<T>> constraints_;
  unsigned attempts_ = 1000;
};

}  // namespace ncv::tb
