#define BOOST_TEST_MODULE scoreboard
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "ncv/tb/log.h"
#include "ncv/tb/rng.h"
#include "ncv/tb/scoreboard.h"

using namespace ncv::tb;

namespace {

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

bool has_report(const ScoreboardBase &sb, const std::string &prefix) {
  for (const auto &r : sb.reports()) {
    if (r.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

struct Packet {
  uint32_t id;
  uint64_t data;
  bool operator==(const Packet &o) const { return id == o.id && data == o.data; }
};

std::string fmt_packet(const Packet &p) {
  return "pkt{id=" + std::to_string(p.id) + " data=" + std::to_string(p.data) + "}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(in_order)

BOOST_AUTO_TEST_CASE(matching_streams_pass) {
  QuietLog quiet;
  InOrderScoreboard<uint32_t> sb("q0");
  Rng r(1, "sb");
  std::vector<uint32_t> items;
  items.reserve(1000);
  for (int i = 0; i < 1000; ++i) items.push_back(static_cast<uint32_t>(r.next()));
  for (uint32_t v : items) sb.expect(v);
  for (uint32_t v : items) sb.actual(v);
  BOOST_TEST(sb.drain());
  BOOST_TEST(sb.matched() == items.size());
  BOOST_TEST(sb.errors() == 0u);
  BOOST_TEST(sb.reports().empty());
  BOOST_TEST(Log::get().errors() == 0u);
}

BOOST_AUTO_TEST_CASE(mismatch_reports_index_expected_and_actual) {
  QuietLog quiet;
  InOrderScoreboard<Packet> sb("tile.q2", fmt_packet);
  for (uint32_t i = 0; i < 5; ++i) sb.expect({i, uint64_t{i} * 10});
  for (uint32_t i = 0; i < 5; ++i) sb.actual({i, i == 3 ? 99 : uint64_t{i} * 10});
  BOOST_TEST(!sb.drain());
  BOOST_TEST(sb.mismatches() == 1u);
  BOOST_TEST(sb.matched() == 4u);
  BOOST_REQUIRE(sb.reports().size() == 1u);
  BOOST_TEST(sb.reports()[0] == "SB.MISMATCH: tile.q2: item #3: expected pkt{id=3 data=30}, actual pkt{id=3 data=99}");
  BOOST_TEST(Log::get().errors() == 1u);
  BOOST_TEST(Log::get().signature().rfind("SB.MISMATCH: tile.q<n>: item #<n>: expected", 0) == 0);
}

BOOST_AUTO_TEST_CASE(unexpected_actual_and_leftovers_at_drain) {
  QuietLog quiet;
  InOrderScoreboard<uint64_t> sb("dma");
  sb.actual(7);  // nothing expected yet
  BOOST_TEST(sb.unexpected() == 1u);
  BOOST_TEST(has_report(sb, "SB.UNEXPECTED: dma: actual item #0"));
  sb.expect(1);
  sb.expect(2);
  sb.expect(3);
  sb.actual(1);
  BOOST_TEST(sb.pending_expected() == 2u);
  BOOST_TEST(!sb.drain());
  BOOST_TEST(sb.missing() == 2u);
  BOOST_TEST(has_report(sb, "SB.DRAIN: dma: drain: 2 expected items never arrived"));
  BOOST_TEST(has_report(sb, "SB.MISSING: dma: expected item #1 never arrived: 0x2"));
  BOOST_TEST(has_report(sb, "SB.MISSING: dma: expected item #2 never arrived: 0x3"));
  BOOST_TEST(sb.pending_expected() == 0u);
}

BOOST_AUTO_TEST_CASE(actual_first_mode_waits_for_the_reference) {
  QuietLog quiet;
  InOrderScoreboard<int> sb("late_ref");
  sb.set_expect_first(false);
  sb.actual(1);
  sb.actual(2);
  sb.actual(3);
  BOOST_TEST(sb.errors() == 0u);
  sb.expect(1);
  sb.expect(5);
  BOOST_TEST(sb.mismatches() == 1u);
  BOOST_TEST(has_report(sb, "SB.MISMATCH: late_ref: item #1: expected 5, actual 2"));
  BOOST_TEST(!sb.drain());
  BOOST_TEST(sb.unexpected() == 1u);  // 3 was never expected
  BOOST_TEST(has_report(sb, "SB.UNEXPECTED: late_ref: actual item never expected: 3"));
}

BOOST_AUTO_TEST_CASE(resync_window_reports_a_dropped_item_as_missing) {
  QuietLog quiet;
  InOrderScoreboard<int> sb("link");
  sb.set_resync_window(4);
  for (int i = 0; i < 10; ++i) sb.expect(i);
  for (int i = 0; i < 10; ++i) {
    if (i != 4) sb.actual(i);  // item 4 dropped
  }
  BOOST_TEST(sb.drain() == false);
  BOOST_TEST(sb.missing() == 1u);
  BOOST_TEST(sb.mismatches() == 0u);
  BOOST_TEST(sb.matched() == 9u);
  BOOST_TEST(sb.reports()[0] == "SB.MISSING: link: expected item #4 never arrived (a later one did): 4");
  // Without the window the same drop is a mismatch at item 4.
  InOrderScoreboard<int> strict("strict");
  for (int i = 0; i < 10; ++i) strict.expect(i);
  for (int i = 0; i < 10; ++i) {
    if (i != 4) strict.actual(i);
  }
  BOOST_TEST(strict.reports()[0] == "SB.MISMATCH: strict: item #4: expected 4, actual 5");
}

BOOST_AUTO_TEST_CASE(logging_is_limited_but_counting_is_not) {
  QuietLog quiet;
  InOrderScoreboard<int> sb("noisy");
  sb.set_max_logged(3);
  for (int i = 0; i < 50; ++i) sb.expect(i);
  for (int i = 0; i < 50; ++i) sb.actual(i + 1);
  BOOST_TEST(sb.mismatches() == 50u);
  BOOST_TEST(Log::get().errors() == 3u);
  BOOST_TEST(Log::get().warnings() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(keyed)

BOOST_AUTO_TEST_CASE(out_of_order_completion_passes) {
  QuietLog quiet;
  KeyedScoreboard<uint32_t, Packet> sb("axi", fmt_packet);
  Rng r(9, "keyed");
  std::vector<uint32_t> keys;
  for (uint32_t k = 0; k < 200; ++k) {
    keys.push_back(k);
    sb.expect(k, {k, uint64_t{k} * 3});
  }
  r.shuffle(keys);
  for (uint32_t k : keys) sb.actual(k, {k, uint64_t{k} * 3});
  BOOST_TEST(sb.drain());
  BOOST_TEST(sb.matched() == 200u);
  BOOST_TEST(sb.pending() == 0u);
  BOOST_TEST(Log::get().errors() == 0u);
}

BOOST_AUTO_TEST_CASE(mismatch_unexpected_duplicate_and_missing) {
  QuietLog quiet;
  KeyedScoreboard<uint32_t, uint64_t> sb("rd");
  sb.expect(1, 100);
  sb.expect(2, 200);
  sb.expect(3, 300);
  sb.expect(2, 222);  // duplicate expectation
  BOOST_TEST(sb.duplicates() == 1u);
  BOOST_TEST(has_report(sb, "SB.DUPLICATE: rd: key 0x2 expected twice: 0xde"));
  sb.actual(2, 200);
  sb.actual(1, 101);  // mismatch
  BOOST_TEST(sb.mismatches() == 1u);
  BOOST_TEST(has_report(sb, "SB.MISMATCH: rd: key 0x1: expected 0x64, actual 0x65"));
  sb.actual(9, 900);  // never expected
  BOOST_TEST(sb.unexpected() == 1u);
  BOOST_TEST(has_report(sb, "SB.UNEXPECTED: rd: key 0x9: actual item with no expectation: 0x384"));
  sb.actual(2, 200);  // the same key again
  BOOST_TEST(sb.duplicates() == 2u);
  BOOST_TEST(has_report(sb, "SB.DUPLICATE: rd: key 0x2: actual item arrived again: 0xc8"));
  BOOST_TEST(!sb.drain());  // key 3 never arrived
  BOOST_TEST(sb.missing() == 1u);
  BOOST_TEST(has_report(sb, "SB.DRAIN: rd: drain: 1 expected items never arrived, 0 actual items never expected"));
  BOOST_TEST(has_report(sb, "SB.MISSING: rd: key 0x3: expected item never arrived: 0x12c"));
  BOOST_TEST(sb.errors() == 5u);
  BOOST_TEST(Log::get().signature().rfind("SB.DUPLICATE: rd: key <hex> expected twice", 0) == 0);
}

BOOST_AUTO_TEST_CASE(repeated_keys_match_in_order_per_key) {
  QuietLog quiet;
  KeyedScoreboard<std::string, int> sb("ids");
  sb.set_unique_keys(false);
  sb.expect("a", 1);
  sb.expect("b", 10);
  sb.expect("a", 2);
  sb.actual("b", 10);
  sb.actual("a", 1);
  sb.actual("a", 2);
  BOOST_TEST(sb.drain());
  BOOST_TEST(sb.matched() == 3u);
  sb.expect("a", 3);
  sb.expect("a", 4);
  sb.actual("a", 4);  // per-key order violated
  BOOST_TEST(sb.mismatches() == 1u);
  BOOST_TEST(has_report(sb, "SB.MISMATCH: ids: key a: expected 3, actual 4"));
}

BOOST_AUTO_TEST_CASE(actual_first_mode_reports_leftover_actuals_at_drain) {
  QuietLog quiet;
  KeyedScoreboard<int, int> sb("early");
  sb.set_expect_first(false);
  sb.actual(5, 50);
  sb.actual(6, 60);
  sb.expect(5, 50);
  BOOST_TEST(sb.errors() == 0u);
  sb.actual(5, 50);  // key 5 already done
  BOOST_TEST(sb.duplicates() == 1u);
  BOOST_TEST(!sb.drain());
  BOOST_TEST(sb.unexpected() == 1u);
  BOOST_TEST(has_report(sb, "SB.UNEXPECTED: early: key 6: actual item never expected: 60"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(memory)

BOOST_AUTO_TEST_CASE(equal_memory_passes) {
  QuietLog quiet;
  MemoryScoreboard sb("dram");
  Rng r(4, "mem");
  std::vector<uint8_t> mem(8192);
  for (auto &b : mem) b = static_cast<uint8_t>(r.next());
  sb.expect(0x1000, mem.data() + 0x1000, 0x200);
  sb.expect(0x1800, mem.data() + 0x1800, 0x100);
  const MemDiff d = sb.check_all([&](uint64_t a, uint8_t *out, size_t n) { std::copy_n(mem.data() + a, n, out); });
  BOOST_TEST(d.ok());
  BOOST_TEST(d.compared == 0x300u);
  BOOST_TEST(sb.errors() == 0u);
  BOOST_TEST(sb.check(0, mem.data(), mem.size()).ok());
  BOOST_TEST(Log::get().errors() == 0u);
}

BOOST_AUTO_TEST_CASE(first_difference_bytes_and_count) {
  QuietLog quiet;
  MemoryScoreboard sb("sbuf");
  std::vector<uint8_t> exp(64), act;
  for (size_t i = 0; i < exp.size(); ++i) exp[i] = static_cast<uint8_t>(i);
  act = exp;
  act[10] = 0xff;
  act[11] = 0xfe;
  act[40] = 0x00;  // exp[40] == 40
  const MemDiff d = sb.compare(0x2000, exp.data(), act.data(), exp.size());
  BOOST_TEST(!d.ok());
  BOOST_TEST(d.count == 3u);
  BOOST_TEST(d.first_addr == 0x200au);
  BOOST_TEST(d.expected == std::vector<uint8_t>(exp.begin() + 10, exp.begin() + 26));
  BOOST_TEST(d.actual == std::vector<uint8_t>(act.begin() + 10, act.begin() + 26));
  BOOST_TEST(sb.mismatches() == 1u);
  BOOST_TEST(sb.bytes_differ() == 3u);
  BOOST_REQUIRE(sb.reports().size() == 1u);
  BOOST_TEST(sb.reports()[0].rfind("SB.MEMORY: sbuf: 3 of 64 bytes differ in [0x2000, 0x203f]; first at 0x200a: "
                                   "expected 0a 0b 0c",
                                   0) == 0);
  BOOST_TEST(sb.reports()[0].find("actual ff fe 0c") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(expected_image_joins_writes_and_later_writes_win) {
  QuietLog quiet;
  MemoryScoreboard sb("img");
  sb.expect(100, std::vector<uint8_t>(10, 1));  // [100, 110)
  sb.expect(110, std::vector<uint8_t>(5, 2));   // touches: joined
  sb.expect(200, std::vector<uint8_t>(4, 3));
  sb.expect(105, std::vector<uint8_t>(2, 9));  // overwrites inside
  sb.expect(90, std::vector<uint8_t>(12, 4));  // overlaps the start
  BOOST_REQUIRE(sb.regions().size() == 2u);
  const auto &first = *sb.regions().begin();
  BOOST_TEST(first.first == 90u);
  BOOST_TEST(first.second.size() == 25u);  // [90, 115)
  std::vector<uint8_t> mem(256, 0);
  for (int a = 90; a < 102; ++a) mem[a] = 4;
  for (int a = 102; a < 110; ++a) mem[a] = 1;
  mem[105] = mem[106] = 9;
  for (int a = 110; a < 115; ++a) mem[a] = 2;
  for (int a = 200; a < 204; ++a) mem[a] = 3;
  mem[150] = 77;  // no expectation there: not compared
  auto reader = [&](uint64_t a, uint8_t *out, size_t n) { std::copy_n(mem.data() + a, n, out); };
  BOOST_TEST(sb.check_all(reader).ok());
  BOOST_TEST(sb.expected_bytes() == 29u);
  mem[203] = 0;
  mem[112] = 0;
  const MemDiff d = sb.check_all(reader);
  BOOST_TEST(d.count == 2u);
  BOOST_TEST(d.first_addr == 112u);
  // A partial check sees only the expected bytes inside its window.
  const MemDiff w = sb.check(113, mem.data() + 113, 100);
  BOOST_TEST(w.count == 1u);
  BOOST_TEST(w.first_addr == 203u);
  BOOST_TEST(w.compared == 2u + 4u);
  BOOST_TEST(sb.mismatches() == 2u);
  BOOST_TEST(Log::get().signature().rfind("SB.MEMORY: img: <n> of <n> bytes differ", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
