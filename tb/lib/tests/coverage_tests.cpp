#define BOOST_TEST_MODULE coverage
#define BOOST_BIND_GLOBAL_PLACEHOLDERS  // property_tree still includes the old boost/bind.hpp
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "ncv/tb/coverage.h"
#include "ncv/tb/log.h"
#include "ncv/tb/rng.h"

using namespace ncv::tb;

namespace {

// Quiet log with fresh counts for each test that provokes errors.
struct QuietLog {
  QuietLog() {
    Log::get().set_echo(false);
    Log::get().reset_counts();
  }
  ~QuietLog() {
    Log::get().reset_counts();
    Log::get().set_echo(true);
  }
};

bool contains(const Bin &b, uint64_t v) {
  for (const auto &r : b.ranges) {
    if (v >= r.lo && v <= r.hi) return true;
  }
  return false;
}

// Reference model of one coverpoint sample: the indices of the bins that count it, by the
// documented precedence (illegal, then ignore, then normal), by brute force.
std::vector<size_t> reference_hits(const Coverpoint &p, uint64_t v) {
  for (BinKind k : {BinKind::kIllegal, BinKind::kIgnore, BinKind::kNormal}) {
    std::vector<size_t> hit;
    for (size_t i = 0; i < p.bins().size(); ++i) {
      if (p.bins()[i].kind == k && contains(p.bins()[i], v)) hit.push_back(i);
    }
    if (!hit.empty()) return hit;
  }
  return {};
}

const Bin &bin(const CoverItem &it, const std::string &name) {
  for (const auto &b : it.bins()) {
    if (b.name == name) return b;
  }
  BOOST_FAIL("no bin " + name + " in " + it.name());
  throw std::logic_error("unreachable");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(coverpoints)

BOOST_AUTO_TEST_CASE(bins_count_like_a_brute_force_reference) {
  QuietLog quiet;
  CoverageDb db;
  Covergroup &g = db.group("ops");
  Coverpoint &p = g.coverpoint("value");
  // Singles, ranges, lists, an auto split, overlaps, ignore and illegal bins, values both
  // in the direct table and beyond it (binary search), and the top of the 64-bit range.
  p.bin("zero", 0)
      .bin("small", 1, 15)
      .bin("odd_list", {3, 5, 7, 9001})
      .ranges("mid", 16, 1000, 7)
      .bin("overlap", 500, 600)
      .ignore("ign", 550, 560)
      .illegal("bad", 555)
      .bin("huge", uint64_t{1} << 40, std::numeric_limits<uint64_t>::max())
      .illegal("top", std::numeric_limits<uint64_t>::max());
  db.set_log_illegal(false);
  Rng r(11, "cov.ref");
  std::vector<uint64_t> expect(p.bins().size(), 0);
  uint64_t unbinned = 0;
  for (int i = 0; i < 20000; ++i) {
    uint64_t v;
    switch (r.range(0, 4)) {
      case 0: v = r.range(0, 20); break;
      case 1: v = r.range(0, 1100); break;
      case 2: v = r.range(540, 570); break;
      case 3:
        v = r.pick({uint64_t{9001}, uint64_t{1} << 40, (uint64_t{1} << 40) - 1, ~uint64_t{0}, ~uint64_t{1}});
        break;
      default: v = r.next(); break;
    }
    const auto ref = reference_hits(p, v);
    for (size_t b : ref) ++expect[b];
    unbinned += ref.empty();
    p.sample(v);
  }
  for (size_t i = 0; i < expect.size(); ++i) {
    BOOST_TEST_CONTEXT("bin " << p.bins()[i].name) {
      BOOST_TEST(p.bins()[i].hits == expect[i]);
    }
  }
  BOOST_TEST(p.unbinned() == unbinned);
  uint64_t illegal = 0;
  for (const auto &b : p.bins()) illegal += b.kind == BinKind::kIllegal ? b.hits : 0;
  BOOST_TEST(illegal > 0u);
  BOOST_TEST(db.illegal_count() == illegal);
}

BOOST_AUTO_TEST_CASE(auto_split_ranges_tile_the_range) {
  CoverageDb db;
  Coverpoint &p = db.group("g").coverpoint("len");
  p.ranges("len", 1, 4096, 7).ranges("tiny", 10, 12, 8);
  std::vector<const Bin *> len, tiny;
  for (const auto &b : p.bins()) (b.name.rfind("len", 0) == 0 ? len : tiny).push_back(&b);
  BOOST_TEST(len.size() == 7u);
  BOOST_TEST(tiny.size() == 3u);  // capped at the number of values
  uint64_t next = 1, widest = 0, narrowest = ~uint64_t{0};
  for (const Bin *b : len) {
    BOOST_REQUIRE(b->ranges.size() == 1u);
    BOOST_TEST(b->ranges[0].lo == next);
    next = b->ranges[0].hi + 1;
    widest = std::max(widest, b->ranges[0].hi - b->ranges[0].lo + 1);
    narrowest = std::min(narrowest, b->ranges[0].hi - b->ranges[0].lo + 1);
    BOOST_TEST(b->name == "len[" + std::to_string(b->ranges[0].lo) + ":" + std::to_string(b->ranges[0].hi) + "]");
  }
  BOOST_TEST(next == 4097u);
  BOOST_TEST(widest - narrowest <= 1u);
  Coverpoint &v = db.group("g").coverpoint("q");
  v.values("q", 0, 3);
  BOOST_TEST(v.bins().size() == 4u);
  BOOST_TEST(v.bins()[2].name == "q[2]");
}

BOOST_AUTO_TEST_CASE(goals_ignore_and_illegal_bins_in_percentages) {
  QuietLog quiet;
  CoverageDb db;
  Coverpoint &p = db.group("g").coverpoint("x");
  p.bin("a", 1).bin("b", 2).goal(3).bin("c", 3).ignore("i", 4).illegal("x", 5);
  p.sample(1);
  p.sample(2);
  p.sample(2);
  p.sample(4);
  p.sample(4);
  // a: covered; b: 2 of 3; c: none. Ignore and illegal bins are not in the denominator.
  BOOST_TEST(p.normal_bins() == 3u);
  BOOST_TEST(p.covered_bins() == 1u);
  BOOST_TEST(p.percent() == 100.0 / 3.0, boost::test_tools::tolerance(1e-9));
  p.sample(2);
  BOOST_TEST(p.covered_bins() == 2u);
  BOOST_TEST(bin(p, "i").hits == 2u);
  BOOST_TEST(bin(p, "i").goal == 0u);
  BOOST_TEST(Log::get().errors() == 0u);
  // Hitting the illegal bin never raises coverage, and is an error everybody can see.
  const double before = p.percent();
  std::vector<IllegalHit> seen;
  db.on_illegal([&](const IllegalHit &h) { seen.push_back(h); });
  p.sample(5);
  BOOST_TEST(p.percent() == before);
  BOOST_TEST(db.illegal_count() == 1u);
  BOOST_REQUIRE(seen.size() == 1u);
  BOOST_TEST(seen[0].group == "g");
  BOOST_TEST(seen[0].item == "x");
  BOOST_TEST(seen[0].bin == "x");
  BOOST_TEST(seen[0].values == std::vector<uint64_t>{5});
  BOOST_TEST(db.illegal_hits().size() == 1u);
  BOOST_TEST(Log::get().errors() == 1u);
  BOOST_TEST(Log::get().signature().rfind("COV.ILLEGAL: g.x: value", 0) == 0);
}

BOOST_AUTO_TEST_CASE(at_least_applies_to_bins_without_their_own_goal) {
  CoverageDb db;
  Coverpoint &p = db.group("g").coverpoint("x");
  p.bin("a", 1).bin("b", 2).goal(5).at_least(2).bin("c", 3);
  BOOST_TEST(bin(p, "a").goal == 2u);
  BOOST_TEST(bin(p, "b").goal == 5u);
  BOOST_TEST(bin(p, "c").goal == 2u);
}

BOOST_AUTO_TEST_CASE(declaration_mistakes_are_refused) {
  CoverageDb db;
  Covergroup &g = db.group("g");
  Coverpoint &p = g.coverpoint("x");
  p.bin("a", 1);
  BOOST_CHECK_THROW(p.bin("a", 2), std::invalid_argument);
  BOOST_CHECK_THROW(p.bin("a,b", 2), std::invalid_argument);
  BOOST_CHECK_THROW(p.bin("r", 5, 4), std::invalid_argument);
  BOOST_CHECK_THROW(g.coverpoint("x"), std::invalid_argument);
  Coverpoint &y = g.coverpoint("y");
  y.bin("b", 0);
  BOOST_CHECK_THROW(g.cross("c", {&p}), std::invalid_argument);
  BOOST_CHECK_THROW(g.cross("c", {&p, &p}), std::invalid_argument);
  Coverpoint &other = db.group("h").coverpoint("z");
  BOOST_CHECK_THROW(g.cross("c", {&p, &other}), std::invalid_argument);
  g.sample({1, 0});
  BOOST_CHECK_THROW(p.bin("late", 9), std::logic_error);
  BOOST_CHECK_THROW(g.coverpoint("late"), std::logic_error);
  BOOST_CHECK_THROW(g.sample({1}), std::invalid_argument);
  BOOST_CHECK_THROW(db.group("g", "", CovergroupOptions{2.0, true, ""}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(crosses)

BOOST_AUTO_TEST_CASE(cross_counts_every_combination_of_normal_bins) {
  QuietLog quiet;
  CoverageDb db;
  db.set_log_illegal(false);
  Covergroup &g = db.group("tile", "q1");
  Coverpoint &op = g.coverpoint("op");
  op.bin("add", 0).bin("mul", 1).bin("alu", {0, 1, 2}).ignore("nop", 3).illegal("bad", 7);
  Coverpoint &dt = g.coverpoint("dtype");
  dt.values("dt", 0, 2).bin("wide", 1, 2);
  Coverpoint &len = g.coverpoint("len");
  len.ranges("len", 0, 99, 2);
  Cross &x = g.cross("op_x_dt", {&op, &dt});
  x.ignore_if([](const CrossCombo &c) { return c[0] == "mul" && c[1] == "dt[0]"; }).illegal_if([](const CrossCombo &c) {
    return c[0] == "add" && c[1] == "dt[2]";
  });
  Cross &x3 = g.cross("all", {&op, &dt, &len});
  Rng r(5, "cross");
  std::map<std::string, uint64_t> ref, ref3;
  uint64_t illegal = 0;
  for (int i = 0; i < 5000; ++i) {
    const uint64_t a = r.range(0, 7), b = r.range(0, 3), c = r.range(0, 120);
    // Reference: every normal-bin combination, unless a value falls in an ignore/illegal
    // bin or in no bin.
    auto normal = [](const Coverpoint &p, uint64_t v) {
      std::vector<std::string> names;
      auto hits = reference_hits(p, v);
      if (!hits.empty() && p.bins()[hits[0]].kind != BinKind::kNormal) return names;
      for (size_t h : hits) names.push_back(p.bins()[h].name);
      return names;
    };
    const auto na = normal(op, a), nb = normal(dt, b), nc = normal(len, c);
    illegal += a == 7;
    for (const auto &x1 : na) {
      for (const auto &x2 : nb) {
        std::string key = x1;
        key.append(",").append(x2);
        ++ref[key];
        illegal += x1 == "add" && x2 == "dt[2]";
        for (const auto &x3n : nc) ++ref3[std::string(key).append(",").append(x3n)];
      }
    }
    g.sample({a, b, c});
  }
  BOOST_TEST(x.bins().size() == 3u * 4u);
  BOOST_TEST(x3.bins().size() == 3u * 4u * 2u);
  for (const auto &b : x.bins()) {
    BOOST_TEST_CONTEXT(b.name) {
      BOOST_TEST(b.hits == ref[b.name]);
    }
  }
  for (const auto &b : x3.bins()) {
    BOOST_TEST_CONTEXT(b.name) {
      BOOST_TEST(b.hits == ref3[b.name]);
    }
  }
  BOOST_TEST(std::string(bin_kind_name(bin(x, "mul,dt[0]").kind)) == "ignore");
  BOOST_TEST(std::string(bin_kind_name(bin(x, "add,dt[2]").kind)) == "illegal");
  BOOST_TEST(x.normal_bins() == 10u);
  BOOST_TEST(db.illegal_count() == illegal);
  bool cross_illegal_seen = false;
  for (const auto &h : db.illegal_hits()) cross_illegal_seen |= h.item == "op_x_dt" && h.values.size() == 2;
  BOOST_TEST(cross_illegal_seen);
}

BOOST_AUTO_TEST_CASE(group_and_total_percent_are_weighted_averages) {
  CoverageDb db;
  Covergroup &g1 = db.group("a", "", CovergroupOptions{3.0, true, ""});
  Coverpoint &p = g1.coverpoint("p");
  p.values("v", 0, 3);
  Coverpoint &q = g1.coverpoint("q");
  q.bin("x", 0).bin("y", 1).weight(2.0);
  g1.cross("pq", {&p, &q});
  Covergroup &g2 = db.group("b");
  Coverpoint &s = g2.coverpoint("s");
  s.bin("only", 9).weight(0.0);  // weight 0: not counted
  Coverpoint &t = g2.coverpoint("t");
  t.bin("t0", 0).bin("t1", 1);
  Covergroup &g3 = db.group("c", "", CovergroupOptions{5.0, true, ""});
  g3.coverpoint("all_ignored").ignore("i", 0, 10);  // no normal bin: not counted
  g1.sample({0, 0});
  g1.sample({1, 0});
  g2.sample({9, 0});
  const double pp = 100.0 * 2 / 4, pq = 100.0 * 1 / 2, px = 100.0 * 2 / 8;
  BOOST_TEST(g1.percent() == (1 * pp + 2 * pq + 1 * px) / 4.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(g2.percent() == 50.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(!g3.counts());
  BOOST_TEST(g3.percent() == 100.0);
  BOOST_TEST(db.percent() == (3 * g1.percent() + 1 * g2.percent()) / 4.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(shared_type_coverage_without_per_instance) {
  CoverageDb db;
  CovergroupOptions shared;
  shared.per_instance = false;
  Covergroup &a = db.group("link", "port0", shared);
  Covergroup &b = db.group("link", "port1", shared);
  BOOST_TEST(&a == &b);
  BOOST_TEST(a.instance().empty());
  Covergroup &c = db.group("q", "0");
  Covergroup &d = db.group("q", "1");
  BOOST_TEST(&c != &d);
  BOOST_TEST(d.full_name() == "q/1");
  BOOST_TEST(db.find("q/1") == &d);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json)

namespace pt = boost::property_tree;

BOOST_AUTO_TEST_CASE(json_round_trip_keeps_every_bin) {
  QuietLog quiet;
  CoverageDb db;
  db.set_log_illegal(false);
  CovergroupOptions o;
  o.weight = 2.5;
  o.comment = "quotes \" and \\ and\nnewline";
  Covergroup &g = db.group("tile.ops", "q\"0", o);
  Coverpoint &op = g.coverpoint("op");
  op.bin("add", 0).bin("mul", 1).ignore("nop", 2).illegal("bad", 3).at_least(2);
  Coverpoint &len = g.coverpoint("len");
  len.ranges("len", 0, (uint64_t{1} << 63), 3);
  g.cross("op_x_len", {&op, &len}).ignore_if([](const CrossCombo &c) { return c.index[0] == 1 && c.index[1] == 2; });
  db.group("never.sampled").coverpoint("z").bin("z", 0);
  Rng r(3, "json");
  for (int i = 0; i < 300; ++i) g.sample({r.range(0, 4), r.next()});
  const std::string path = "coverage_tests.json";
  CoverageRunInfo run;
  run.test = "unit";
  run.seed = 0xfeedface12345678ULL;
  run.extra["config"] = "ci";
  db.write(path, run);

  pt::ptree doc;
  pt::read_json(path, doc);
  BOOST_TEST(doc.get<std::string>("schema") == "ncv.coverage");
  BOOST_TEST(doc.get<int>("version") == kCoverageSchemaVersion);
  const auto &runs = doc.get_child("runs");
  BOOST_REQUIRE(runs.size() == 1u);
  BOOST_TEST(runs.front().second.get<std::string>("test") == "unit");
  BOOST_TEST(runs.front().second.get<uint64_t>("seed") == run.seed);
  BOOST_TEST(runs.front().second.get<std::string>("extra.config") == "ci");
  BOOST_TEST(doc.get<double>("percent") == db.percent(), boost::test_tools::tolerance(1e-3));
  BOOST_TEST(doc.get<uint64_t>("illegal_hits") == db.illegal_count());
  const auto &groups = doc.get_child("groups");
  BOOST_REQUIRE(groups.size() == db.groups().size());
  auto gj = groups.begin();
  for (const auto &grp : db.groups()) {
    const pt::ptree &jg = (gj++)->second;
    BOOST_TEST(jg.get<std::string>("name") == grp->name());
    BOOST_TEST(jg.get<std::string>("instance") == grp->instance());
    BOOST_TEST(jg.get<std::string>("comment") == grp->options().comment);
    BOOST_TEST(jg.get<double>("weight") == grp->options().weight);
    BOOST_TEST(jg.get<double>("percent") == grp->percent(), boost::test_tools::tolerance(1e-3));
    auto check_items = [](const pt::ptree &list, const auto &items, bool ranges) {
      BOOST_REQUIRE(list.size() == items.size());
      auto ij = list.begin();
      for (const auto &item : items) {
        const pt::ptree &ji = (ij++)->second;
        BOOST_TEST(ji.get<std::string>("name") == item->name());
        BOOST_TEST(ji.get<size_t>("covered") == item->covered_bins());
        BOOST_TEST(ji.get<size_t>("normal") == item->normal_bins());
        const auto &bins = ji.get_child("bins");
        BOOST_REQUIRE(bins.size() == item->bins().size());
        auto bj = bins.begin();
        for (const Bin &b : item->bins()) {
          const pt::ptree &jb = (bj++)->second;
          BOOST_TEST(jb.get<std::string>("name") == b.name);
          BOOST_TEST(jb.get<std::string>("kind") == bin_kind_name(b.kind));
          BOOST_TEST(jb.get<uint64_t>("hits") == b.hits);
          BOOST_TEST(jb.get<uint64_t>("goal") == b.goal);
          BOOST_TEST(static_cast<bool>(jb.get_child_optional("ranges")) == ranges);
          if (!ranges) continue;
          const auto &rs = jb.get_child("ranges");
          BOOST_REQUIRE(rs.size() == b.ranges.size());
          auto rj = rs.begin();
          for (const auto &vr : b.ranges) {
            const pt::ptree &pair = (rj++)->second;
            BOOST_REQUIRE(pair.size() == 2u);
            BOOST_TEST(pair.front().second.get_value<uint64_t>() == vr.lo);
            BOOST_TEST(pair.back().second.get_value<uint64_t>() == vr.hi);
          }
        }
      }
    };
    check_items(jg.get_child("coverpoints"), grp->coverpoints(), true);
    check_items(jg.get_child("crosses"), grp->crosses(), false);
  }
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
