// Unit tests of the firmware's boot logic (fw_boot.h, no HAL): the March C- test against
// a fake memory with injected stuck-at, transition and coupling faults (each must be
// found), option checks with a bad case per rule, stage verdicts and the POST-order check.
#define BOOST_TEST_MODULE fw_boot_logic
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fw_boot.h"
#include "fw_post.h"

namespace {

// Word memory with optional faults at bit level.
struct FakeMem {
  std::map<uint32_t, uint32_t> w;
  // Stuck-at: bit `bit` of word `addr` always reads `val`.
  bool stuck = false;
  uint32_t s_addr = 0, s_bit = 0, s_val = 0;
  // Transition fault: bit `bit` of word `addr` cannot rise 0 -> 1.
  bool trans = false;
  uint32_t t_addr = 0, t_bit = 0;
  // Idempotent coupling fault: a rising transition of bit `bit` in word `agg` forces the
  // same bit of word `vic` to `val`.
  bool coupling = false;
  uint32_t c_agg = 0, c_vic = 0, c_bit = 0, c_val = 0;
  uint32_t reads = 0, writes = 0;

  uint32_t rd(uint32_t a) {
    ++reads;
    uint32_t v = w[a];
    if (stuck && a == s_addr) v = (v & ~(1u << s_bit)) | (s_val << s_bit);
    return v;
  }
  void wr(uint32_t a, uint32_t v) {
    ++writes;
    const uint32_t old = w[a];
    if (trans && a == t_addr && !((old >> t_bit) & 1u)) v &= ~(1u << t_bit);
    w[a] = v;
    if (coupling && a == c_agg && !((old >> c_bit) & 1u) && ((v >> c_bit) & 1u))
      w[c_vic] = (w[c_vic] & ~(1u << c_bit)) | (c_val << c_bit);
  }
  fw_mem_ops ops() {
    return {[](void *c, uint32_t a) { return static_cast<FakeMem *>(c)->rd(a); },
            [](void *c, uint32_t a, uint32_t v) { static_cast<FakeMem *>(c)->wr(a, v); }, this};
  }
};

constexpr uint32_t kBase = 0x1000, kWords = 64;

}  // namespace

BOOST_AUTO_TEST_CASE(march_passes_a_good_memory_with_10n_accesses) {
  for (uint32_t pattern : {0x00000000u, 0x55555555u, 0x0F0F1234u}) {
    FakeMem m;
    const fw_mem_ops ops = m.ops();
    fw_march_result r{};
    BOOST_TEST(fw_march_cminus(&ops, kBase, kWords, pattern, &r) == 0);
    BOOST_TEST(r.element == 0u);
    BOOST_TEST(r.ops == 10u * kWords);
    BOOST_TEST(m.reads + m.writes == 10u * kWords);
    for (uint32_t i = 0; i < kWords; ++i) BOOST_TEST(m.w[kBase + 4 * i] == pattern);  // ends on background 0
    BOOST_TEST(m.w.size() == kWords);  // nothing outside the region touched
  }
}

BOOST_AUTO_TEST_CASE(march_finds_stuck_at_faults) {
  for (uint32_t val : {0u, 1u}) {
    for (uint32_t word : {0u, 17u, kWords - 1}) {
      FakeMem m;
      m.stuck = true;
      m.s_addr = kBase + 4 * word;
      m.s_bit = 13;
      m.s_val = val;
      const fw_mem_ops ops = m.ops();
      fw_march_result r{};
      BOOST_TEST(fw_march_cminus(&ops, kBase, kWords, 0, &r) == 1, "stuck-at-" << val << " word " << word);
      BOOST_TEST(r.addr == m.s_addr);
      BOOST_TEST((r.got ^ r.expected) == (1u << 13));
      // Stuck-at-1 shows at the first read of 0 (element 1); stuck-at-0 at the first read of 1 (element 2).
      BOOST_TEST(r.element == (val ? 1u : 2u));
    }
  }
}

BOOST_AUTO_TEST_CASE(march_finds_a_transition_fault) {
  FakeMem m;
  m.trans = true;
  m.t_addr = kBase + 4 * 9;
  m.t_bit = 0;
  const fw_mem_ops ops = m.ops();
  fw_march_result r{};
  BOOST_TEST(fw_march_cminus(&ops, kBase, kWords, 0, &r) == 1);
  BOOST_TEST(r.addr == m.t_addr);
  BOOST_TEST(r.element == 2u);
}

BOOST_AUTO_TEST_CASE(march_finds_coupling_faults_in_both_directions) {
  // Aggressor below and above the victim, forcing 0 and 1: March C- catches all four.
  for (uint32_t agg : {5u, 40u}) {
    for (uint32_t val : {0u, 1u}) {
      FakeMem m;
      m.coupling = true;
      m.c_agg = kBase + 4 * agg;
      m.c_vic = kBase + 4 * 20;
      m.c_bit = 31;
      m.c_val = val;
      const fw_mem_ops ops = m.ops();
      fw_march_result r{};
      BOOST_TEST(fw_march_cminus(&ops, kBase, kWords, 0, &r) == 1, "aggressor " << agg << " forcing " << val);
      BOOST_TEST(r.addr == m.c_vic);
    }
  }
}

BOOST_AUTO_TEST_CASE(march_misses_a_fault_outside_its_region) {
  // The checker's scope: a stuck bit just past the region is not reported.
  FakeMem m;
  m.stuck = true;
  m.s_addr = kBase + 4 * kWords;
  m.s_val = 1;
  const fw_mem_ops ops = m.ops();
  fw_march_result r{};
  BOOST_TEST(fw_march_cminus(&ops, kBase, kWords, 0, &r) == 0);
}

BOOST_AUTO_TEST_CASE(default_options_are_valid_and_every_rule_rejects_its_bad_case) {
  fw_boot_opts d;
  fw_boot_default_opts(&d, 2);
  const char *field = nullptr, *expected = nullptr;
  const uint32_t st_base = 0x100000, st_bytes = 0x3000;
  BOOST_TEST(fw_boot_opts_check(&d, st_base, st_bytes, &field, &expected) == 0);
  struct Case {
    std::string field;
    void (*mutate)(fw_boot_opts &);
  };
  const std::vector<Case> cases = {
      {"chips", [](fw_boot_opts &o) { o.chips = 0; }},
      {"chips", [](fw_boot_opts &o) { o.chips = 17; }},
      {"min_healthy_chips", [](fw_boot_opts &o) { o.min_healthy_chips = 3; }},
      {"rail_mask", [](fw_boot_opts &o) { o.rail_mask = 0; }},
      {"rail_mask", [](fw_boot_opts &o) { o.rail_mask = 0x100; }},
      {"poll_ns", [](fw_boot_opts &o) { o.poll_ns = 0; }},
      {"power_good_timeout_ns", [](fw_boot_opts &o) { o.power_good_timeout_ns = o.poll_ns - 1; }},
      {"pll_lock_timeout_ns", [](fw_boot_opts &o) { o.pll_lock_timeout_ns = 0; }},
      {"tile_timeout_ns", [](fw_boot_opts &o) { o.tile_timeout_ns = 0; }},
      {"pll_mult/pll_div", [](fw_boot_opts &o) { o.pll_mult = 0; }},
      {"pll_mult/pll_div", [](fw_boot_opts &o) { o.pll_div = 0; }},
      {"pll_mult/pll_div", [](fw_boot_opts &o) { o.pll_mult = 30; }},  // 3000 MHz
      {"march_base", [](fw_boot_opts &o) { o.march_base = 2; }},
      {"march_bytes", [](fw_boot_opts &o) { o.march_bytes = 6; }},
      {"march_base + march_bytes", [](fw_boot_opts &o) { o.march_base = 0x0FFFFFFC, o.march_bytes = 8; }},
      {"march_base + march_bytes", [](fw_boot_opts &o) { o.march_base = 0x101000; }},  // inside the self-test image
      {"tile_selftest", [](fw_boot_opts &o) { o.tile_selftest = 2; }},
      {"fabric_present", [](fw_boot_opts &o) { o.fabric_present = 2; }},
  };
  for (const auto &c : cases) {
    fw_boot_opts o = d;
    c.mutate(o);
    field = expected = nullptr;
    BOOST_TEST(fw_boot_opts_check(&o, st_base, st_bytes, &field, &expected) == 1, c.field);
    BOOST_TEST((field ? std::string(field) : "") == c.field);
    BOOST_TEST((expected && *expected));
  }
  // The March region may sit next to the image, and overlap it when the self-test is off.
  fw_boot_opts o = d;
  o.march_base = st_base + st_bytes;
  BOOST_TEST(fw_boot_opts_check(&o, st_base, st_bytes, &field, &expected) == 0);
  o.march_base = st_base;
  o.tile_selftest = 0;
  BOOST_TEST(fw_boot_opts_check(&o, st_base, st_bytes, &field, &expected) == 0);
}

BOOST_AUTO_TEST_CASE(stage_verdicts_count_usable_chips) {
  BOOST_TEST(fw_usable_chips(4, 0) == 4u);
  BOOST_TEST(fw_usable_chips(4, 0b0101) == 2u);
  BOOST_TEST(fw_usable_chips(2, 0b1100) == 2u);                 // bits past the chips do not count
  BOOST_TEST(fw_stage_verdict(FW_POST_HBM, 2, 0b10, 1) == 0u);  // one chip degraded: boot goes on
  BOOST_TEST(fw_stage_verdict(FW_POST_HBM, 2, 0b11, 1) == FW_POST_FAIL(FW_POST_HBM));
  BOOST_TEST(fw_stage_verdict(FW_POST_TILE, 2, 0b01, 2) == FW_POST_FAIL(FW_POST_TILE));
  BOOST_TEST(fw_stage_verdict(FW_POST_TILE, 2, 0b11, 0) == 0u);
}

BOOST_AUTO_TEST_CASE(post_sequence_check_accepts_boots_and_rejects_bad_orders) {
  const std::vector<uint32_t> ready = {FW_POST_START, FW_POST_POWER,  FW_POST_CLOCKS, FW_POST_HBM,
                                       FW_POST_TILE,  FW_POST_FABRIC, FW_POST_HOST,   FW_POST_READY};
  BOOST_TEST(fw_post_sequence_check(ready.data(), uint32_t(ready.size())) == FW_POST_SEQ_OK);
  const std::vector<uint32_t> failed = {FW_POST_START, FW_POST_POWER, FW_POST_FAIL(FW_POST_POWER)};
  BOOST_TEST(fw_post_sequence_check(failed.data(), 3) == FW_POST_SEQ_OK);
  const std::vector<uint32_t> opt_fail = {FW_POST_START, FW_POST_FAIL(FW_POST_START)};
  BOOST_TEST(fw_post_sequence_check(opt_fail.data(), 2) == FW_POST_SEQ_OK);
  // Bad cases: the index of the first offending code.
  const std::vector<uint32_t> no_start = {FW_POST_POWER, FW_POST_READY};
  BOOST_TEST(fw_post_sequence_check(no_start.data(), 2) == 0u);
  const std::vector<uint32_t> swapped = {FW_POST_START, FW_POST_CLOCKS, FW_POST_POWER};
  BOOST_TEST(fw_post_sequence_check(swapped.data(), 3) == 2u);
  const std::vector<uint32_t> early_ready = {FW_POST_START, FW_POST_POWER, FW_POST_READY};
  BOOST_TEST(fw_post_sequence_check(early_ready.data(), 3) == 2u);
  const std::vector<uint32_t> wrong_fail = {FW_POST_START, FW_POST_POWER, FW_POST_FAIL(FW_POST_HBM)};
  BOOST_TEST(fw_post_sequence_check(wrong_fail.data(), 3) == 2u);
  const std::vector<uint32_t> after_ready = {FW_POST_START,  FW_POST_POWER, FW_POST_CLOCKS, FW_POST_HBM, FW_POST_TILE,
                                             FW_POST_FABRIC, FW_POST_HOST,  FW_POST_READY,  FW_POST_HOST};
  BOOST_TEST(fw_post_sequence_check(after_ready.data(), 9) == 8u);
  BOOST_TEST(fw_post_sequence_check(ready.data(), 5) == 5u);  // cut short
  BOOST_TEST(fw_post_sequence_check(ready.data(), 0) == 0u);
}
