#define BOOST_TEST_MODULE rng
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ncv/tb/rng.h"

using namespace ncv::tb;

namespace {

// The published xoshiro256** and splitmix64, written out again: the stream of next() for
// a seed must never change (runs are reproduced from their seed).
struct Reference {
  uint64_t s[4];
  Reference(uint64_t seed, const std::string &path) {
    uint64_t x = seed ^ fnv1a64(path);
    for (auto &w : s) {
      uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      w = z ^ (z >> 31);
    }
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next() {
    const uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
  }
};

// |observed - expected| within 5 standard deviations of a binomial count.
void check_frequency(uint64_t observed, uint64_t n, double p, const std::string &what) {
  const double mean = static_cast<double>(n) * p;
  const double sigma = std::sqrt(static_cast<double>(n) * p * (1.0 - p));
  BOOST_TEST_CONTEXT(what << ": observed " << observed << ", expected " << mean << " +- 5 * " << sigma) {
    BOOST_TEST(std::fabs(static_cast<double>(observed) - mean) <= 5.0 * sigma + 1e-9);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(next_is_still_xoshiro256starstar) {
  Rng r(0x1234, "tile.q0");
  Reference ref(0x1234, "tile.q0");
  for (int i = 0; i < 1000; ++i) BOOST_REQUIRE(r.next() == ref.next());
}

BOOST_AUTO_TEST_CASE(dist_frequencies_follow_the_weights) {
  Rng r(2024, "dist");
  Dist d;
  d.value(0, 4).range(10, 13, 2).range_total(100, 199, 8).value(7, 0);
  BOOST_TEST(d.total_weight() == 4u + 4u * 2u + 8u);
  const uint64_t n = 200000;
  std::map<uint64_t, uint64_t> count;
  uint64_t in_total_range = 0;
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t v = r.dist(d);
    if (v >= 100 && v <= 199) {
      ++in_total_range;
    } else {
      ++count[v];
    }
  }
  const double total = static_cast<double>(d.total_weight());
  check_frequency(count[0], n, 4 / total, "value 0 := 4");
  for (uint64_t v = 10; v <= 13; ++v) check_frequency(count[v], n, 2 / total, "value " + std::to_string(v) + " := 2");
  check_frequency(in_total_range, n, 8 / total, "[100:199] :/ 8");
  BOOST_TEST(count.count(7) == 0u);  // weight 0
  BOOST_TEST(count.size() == 5u);    // nothing outside the declared values
  BOOST_CHECK_THROW(r.dist(Dist()), std::invalid_argument);
  BOOST_CHECK_THROW(Dist().range(0, ~uint64_t{0}, 2), std::overflow_error);
}

BOOST_AUTO_TEST_CASE(weighted_choice_over_any_values) {
  enum class Op { kAdd, kMul, kNop };
  Rng r(77, "weighted");
  const std::vector<std::pair<Op, uint64_t>> w{{Op::kAdd, 6}, {Op::kMul, 3}, {Op::kNop, 1}};
  std::map<Op, uint64_t> count;
  const uint64_t n = 100000;
  for (uint64_t i = 0; i < n; ++i) ++count[r.weighted(w)];
  check_frequency(count[Op::kAdd], n, 0.6, "add");
  check_frequency(count[Op::kMul], n, 0.3, "mul");
  check_frequency(count[Op::kNop], n, 0.1, "nop");
  BOOST_CHECK_THROW(r.weighted_index({0, 0}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(pick_subset_and_shuffle) {
  Rng r(8, "pick");
  const std::vector<std::string> names{"a", "b", "c", "d"};
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(r.pick(names));
  BOOST_TEST(seen.size() == names.size());
  std::vector<int> empty;
  BOOST_CHECK_THROW(r.pick(empty), std::invalid_argument);
  BOOST_TEST(r.pick({5, 5, 5}) == 5);

  // k of n: distinct, ascending, every 2-subset of 5 about equally often.
  std::map<std::vector<size_t>, uint64_t> subsets;
  const uint64_t n = 50000;
  for (uint64_t i = 0; i < n; ++i) {
    const auto s = r.subset(5, 2);
    BOOST_REQUIRE(s.size() == 2u);
    BOOST_REQUIRE(s[0] < s[1]);
    BOOST_REQUIRE(s[1] < 5u);
    ++subsets[s];
  }
  BOOST_TEST(subsets.size() == 10u);
  for (const auto &kv : subsets) check_frequency(kv.second, n, 0.1, "a 2-subset of 5");
  BOOST_TEST(r.subset(7, 7).size() == 7u);
  BOOST_TEST(r.subset(7, 0).empty());
  BOOST_CHECK_THROW(r.subset(3, 4), std::invalid_argument);
  BOOST_TEST(r.subset(names, 3).size() == 3u);

  uint64_t chosen = 0;
  for (int i = 0; i < 1000; ++i) chosen += r.subset_each(100, 0.25).size();
  check_frequency(chosen, 100000, 0.25, "subset_each p=0.25");

  std::vector<int> v(50);
  for (int i = 0; i < 50; ++i) v[i] = i;
  std::vector<int> w = v;
  r.shuffle(w);
  BOOST_TEST(w != v);
  std::vector<int> sorted = w;
  std::sort(sorted.begin(), sorted.end());
  BOOST_TEST(sorted == v);
  // Every element lands in the first slot about equally often.
  std::array<uint64_t, 4> first{};
  for (int i = 0; i < 40000; ++i) {
    std::array<int, 4> a{0, 1, 2, 3};
    r.shuffle(a);
    ++first[static_cast<size_t>(a[0])];
  }
  for (uint64_t c : first) check_frequency(c, 40000, 0.25, "shuffle first slot");
}

BOOST_AUTO_TEST_CASE(same_seed_same_draws) {
  auto draws = [](uint64_t seed) {
    Rng r(seed, "gen");
    Dist d;
    d.range(0, 9, 1).range_total(1000, 2000, 5);
    std::vector<uint64_t> out;
    out.reserve(100);
    for (int i = 0; i < 50; ++i) out.push_back(r.dist(d));
    for (size_t i : r.subset(30, 6)) out.push_back(i);
    std::vector<uint64_t> s{1, 2, 3, 4, 5, 6, 7, 8};
    r.shuffle(s);
    out.insert(out.end(), s.begin(), s.end());
    Constrained<uint32_t> c("c");
    c.in(0, 1000).where("odd", [](uint32_t x) { return x % 2 == 1; });
    for (int i = 0; i < 20; ++i) out.push_back(c.draw(r));
    out.push_back(r.next());
    return out;
  };
  BOOST_TEST(draws(5) == draws(5));
  BOOST_TEST(draws(5) != draws(6));
}

BOOST_AUTO_TEST_CASE(constrained_values_keep_to_ranges_and_predicates) {
  Rng r(31, "constrained");
  Constrained<uint32_t> len("dma.len");
  len.in(1, 64).in(4096, 4096, 64).where("even", [](uint32_t v) { return v % 2 == 0; });
  uint64_t big = 0;
  const uint64_t n = 20000;
  for (uint64_t i = 0; i < n; ++i) {
    const uint32_t v = len.draw(r);
    BOOST_REQUIRE(((v >= 1 && v <= 64) || v == 4096));
    BOOST_REQUIRE(v % 2 == 0);
    big += v == 4096;
  }
  // 4096 has weight 64 against 32 even values of weight 1 in [1, 64].
  check_frequency(big, n, 64.0 / (64.0 + 32.0), "4096 among the even lengths");

  Constrained<int8_t> s("signed");
  s.in(-5, 3);
  std::set<int> seen;
  for (int i = 0; i < 500; ++i) seen.insert(s.draw(r));
  BOOST_TEST(seen.size() == 9u);
  BOOST_TEST(*seen.begin() == -5);
  BOOST_TEST(*seen.rbegin() == 3);

  // Coupled fields: generated together, predicates over the whole struct.
  struct Dma {
    uint64_t addr, len;
  };
  const std::vector<Constraint<Dma>> rules{
      {"aligned", [](const Dma &d) { return d.addr % 64 == 0; }},
      {"no_4k_crossing", [](const Dma &d) { return d.addr / 4096 == (d.addr + d.len - 1) / 4096; }}};
  for (int i = 0; i < 200; ++i) {
    const Dma d = r.solve<Dma>(
        "dma",
        [](Rng &g) {
          return Dma{g.range(0, 1 << 16) & ~uint64_t{63}, g.range(1, 2048)};
        },
        rules, 10000);
    BOOST_REQUIRE(d.addr % 64 == 0);
    BOOST_REQUIRE(d.addr / 4096 == (d.addr + d.len - 1) / 4096);
  }
}

BOOST_AUTO_TEST_CASE(exhausted_constraint_names_itself) {
  Rng r(1, "exhaust");
  Constrained<uint16_t> v("pkt.len");
  v.in(1, 100).where("positive", [](uint16_t x) { return x > 0; }).where("above_200", [](uint16_t x) {
    return x > 200;
  });
  v.max_attempts(50);
  try {
    v.draw(r);
    BOOST_FAIL("expected ConstraintError");
  } catch (const ConstraintError &e) {
    const std::string m = e.what();
    BOOST_TEST(m.find("pkt.len: no value met constraint 'pkt.len.above_200' within 50 attempts") == 0u);
    BOOST_TEST(m.find("pkt.len.positive 0, pkt.len.above_200 50") != std::string::npos);
  }
}
