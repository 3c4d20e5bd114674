// Unit tests of the sled devices (sled_dev.rdl): timer, console, watchdog, power
// sequencer, PLL, sensors and flash through their registers, every fault knob and checker
// with its bad case.
#define BOOST_TEST_MODULE devices
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "ncv/devices/sled_devices.h"
#include "ncv/sc/word_access.h"
#include "ncv/tb/sc_test_run.h"
#include "sled_dev_regs.h"

using namespace sc_core;
using ncv::devices::SledDevices;
using ncv::devices::SledDevicesOptions;

namespace {

using ncv::tb::test_seed;

struct Init : sc_module {
  tlm_utils::simple_initiator_socket<Init> sock{"sock"};
  explicit Init(sc_module_name n) : sc_module(n) {}
};

// One device and its bus master per test (all built before the first sc_start).
struct Rig {
  SledDevices dev;
  Init bus;
  Rig(const std::string &n, const SledDevicesOptions &o) : dev((n + "_dev").c_str(), o), bus((n + "_bus").c_str()) {
    bus.sock.bind(dev.tsock);
  }
  uint32_t rd(uint32_t off, tlm::tlm_response_status *st = nullptr) {
    uint32_t v = 0;
    const auto s = ncv::sc::word_access(bus.sock, tlm::TLM_READ_COMMAND, off, v);
    if (st) *st = s;
    return v;
  }
  tlm::tlm_response_status wr(uint32_t off, uint32_t v) {
    return ncv::sc::word_access(bus.sock, tlm::TLM_WRITE_COMMAND, off, v);
  }
};

SledDevicesOptions opts(uint64_t s) {
  SledDevicesOptions o;
  o.seed = s;
  o.rail_delay_min_ns = 200;
  o.rail_delay_max_ns = 2000;
  o.pll_lock_ns = 700;
  return o;
}

struct Bench {
  std::map<std::string, std::unique_ptr<Rig>> rigs;
  Bench() {
    for (const char *n : {"tc", "pwr", "stuck", "pll", "pllbad", "wdt", "sens", "flash"})
      rigs[n] = std::make_unique<Rig>(n, opts(test_seed()));
    rigs["seed2"] = std::make_unique<Rig>("seed2", opts(test_seed() + 1));
  }
};

Bench &bench() {
  static Bench b;
  return b;
}
Rig &rig(const std::string &n) {
  return *bench().rigs.at(n);
}

// Runs `body` in a SystemC thread until it returns (bounded in simulated time).
void run(std::function<void()> body, sc_time limit = sc_time(10, SC_MS)) {
  bench();
  ncv::tb::run_sc_test(body, limit, sc_time(10, SC_US));
}

uint64_t now_ns() {
  return sc_time_stamp().value() / 1000u;
}

}  // namespace

// First: modules can only be built before the simulation starts.
BOOST_AUTO_TEST_CASE(bad_options_give_a_clear_error) {
  SledDevicesOptions o;
  o.rails = 9;
  try {
    SledDevices d("bad_rails", o);
    BOOST_FAIL("no error for 9 rails");
  } catch (const std::invalid_argument &e) {
    BOOST_TEST(std::string(e.what()) == "sled devices: option rails = 9: expected 1..8");
  }
  o.rails = 2;
  o.rail_delay_min_ns = 5;
  o.rail_delay_max_ns = 4;
  BOOST_CHECK_THROW(SledDevices("bad_delay", o), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(timer_and_console) {
  Rig &r = rig("tc");
  std::string got;
  r.dev.on_console_line([&](const std::string &l) { got = l; });
  run([&] {
    wait(sc_time(1234, SC_NS));
    const uint64_t t0 = now_ns();
    const uint32_t lo = r.rd(SLED_DEV_TIMER_NOW_LO), hi = r.rd(SLED_DEV_TIMER_NOW_HI);
    BOOST_TEST(((uint64_t(hi) << 32) | lo) == t0);
    for (char c : std::string("hi\r\n")) r.wr(SLED_DEV_CONSOLE_TX, uint32_t(c));
    // Read-only timer: a write is an address error.
    BOOST_TEST(r.wr(SLED_DEV_TIMER_NOW_LO, 1) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  });
  BOOST_TEST(got == "hi");
}

BOOST_AUTO_TEST_CASE(power_rails_come_good_after_their_seeded_delays) {
  Rig &r = rig("pwr");
  run([&] {
    BOOST_TEST(r.rd(SLED_DEV_PWR_INFO) == 4u);
    BOOST_TEST(r.rd(SLED_DEV_PWR_GOOD) == 0u);
    r.wr(SLED_DEV_PWR_ENABLE, 0xF);
    const uint64_t t_on = now_ns() - 10;  // the write took effect at its start (10 ns access delay)
    BOOST_TEST(r.rd(SLED_DEV_PWR_ENABLE) == 0xFu);
    uint64_t max_d = 0;
    for (unsigned i = 0; i < 4; ++i) {
      const uint64_t d = r.dev.rail_delay_ns(i);
      BOOST_TEST(d >= 200u);
      BOOST_TEST(d <= 2000u);
      max_d = std::max(max_d, d);
    }
    // Each rail is good exactly from its own delay on.
    while (now_ns() < t_on + max_d + 50) {
      const uint32_t good = r.rd(SLED_DEV_PWR_GOOD);
      const uint64_t t = now_ns() - 10;  // the read sampled at its start (10 ns access delay)
      for (unsigned i = 0; i < 4; ++i)
        BOOST_TEST(((good >> i) & 1u) == (t >= t_on + r.dev.rail_delay_ns(i) ? 1u : 0u), "rail " << i << " at " << t);
      wait(sc_time(37, SC_NS));
    }
    BOOST_TEST(r.rd(SLED_DEV_PWR_GOOD) == 0xFu);
    // Disabling a rail drops its power-good at once; bits past the rail count are ignored.
    r.wr(SLED_DEV_PWR_ENABLE, 0xF5);
    BOOST_TEST(r.rd(SLED_DEV_PWR_ENABLE) == 0x5u);
    BOOST_TEST(r.rd(SLED_DEV_PWR_GOOD) == 0x5u);
  });
  // The delays come from the seed: same seed, same delays; another seed, others.
  bool differ = false;
  for (unsigned i = 0; i < 4; ++i) {
    BOOST_TEST(rig("pwr").dev.rail_delay_ns(i) == rig("stuck").dev.rail_delay_ns(i));
    differ |= rig("pwr").dev.rail_delay_ns(i) != rig("seed2").dev.rail_delay_ns(i);
  }
  BOOST_TEST(differ);
}

BOOST_AUTO_TEST_CASE(power_rail_stuck_knob_keeps_one_rail_from_coming_good) {
  Rig &r = rig("stuck");
  r.dev.inject_rail_stuck(2);
  run([&] {
    r.wr(SLED_DEV_PWR_ENABLE, 0xF);
    wait(sc_time(5, SC_US));
    BOOST_TEST(r.rd(SLED_DEV_PWR_GOOD) == 0xBu);
    r.dev.inject_rail_stuck(2, false);
    BOOST_TEST(r.rd(SLED_DEV_PWR_GOOD) == 0xFu);
  });
  BOOST_CHECK_THROW(r.dev.inject_rail_stuck(4), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(pll_locks_after_its_delay_and_reports_the_frequency) {
  Rig &r = rig("pll");
  run([&] {
    BOOST_TEST(r.rd(SLED_DEV_CLK_PLL_STATUS) == 0u);
    r.wr(SLED_DEV_CLK_PLL_CFG, (10u << SLED_DEV_CLK_PLL_CFG_MULT_SHIFT) | (1u << SLED_DEV_CLK_PLL_CFG_DIV_SHIFT));
    r.wr(SLED_DEV_CLK_PLL_CTRL, 1);
    const uint64_t t_on = now_ns() - 10;
    while (now_ns() < t_on + 800) {
      const uint32_t st = r.rd(SLED_DEV_CLK_PLL_STATUS);
      const bool want = now_ns() - 10 >= t_on + 700;
      BOOST_TEST((st & SLED_DEV_CLK_PLL_STATUS_LOCKED_MASK) == (want ? 1u : 0u));
      wait(sc_time(23, SC_NS));
    }
    BOOST_TEST(r.rd(SLED_DEV_CLK_FREQ) == 1000u);
    // Reprogramming while running loses lock until it relocks.
    r.wr(SLED_DEV_CLK_PLL_CFG, (15u << SLED_DEV_CLK_PLL_CFG_MULT_SHIFT) | (1u << SLED_DEV_CLK_PLL_CFG_DIV_SHIFT));
    BOOST_TEST(r.rd(SLED_DEV_CLK_FREQ) == 0u);
    wait(sc_time(1, SC_US));
    BOOST_TEST(r.rd(SLED_DEV_CLK_FREQ) == 1500u);
    // The injection knob: never locks.
    r.dev.inject_pll_no_lock();
    BOOST_TEST(r.rd(SLED_DEV_CLK_PLL_STATUS) == 0u);
    r.dev.inject_pll_no_lock(false);
    BOOST_TEST(r.rd(SLED_DEV_CLK_PLL_STATUS) == 1u);
  });
}

BOOST_AUTO_TEST_CASE(pll_with_a_bad_configuration_reports_it_and_never_locks) {
  Rig &r = rig("pllbad");
  run([&] {
    r.wr(SLED_DEV_CLK_PLL_CFG, (63u << SLED_DEV_CLK_PLL_CFG_MULT_SHIFT) | (1u << SLED_DEV_CLK_PLL_CFG_DIV_SHIFT));
    r.wr(SLED_DEV_CLK_PLL_CTRL, 1);  // 6300 MHz: out of range
    wait(sc_time(5, SC_US));
    BOOST_TEST(r.rd(SLED_DEV_CLK_PLL_STATUS) == SLED_DEV_CLK_PLL_STATUS_BAD_CFG_MASK);
    BOOST_TEST(r.rd(SLED_DEV_CLK_FREQ) == 0u);
    r.wr(SLED_DEV_CLK_PLL_CFG, 0);  // DIV 0
    BOOST_TEST(r.rd(SLED_DEV_CLK_PLL_STATUS) == SLED_DEV_CLK_PLL_STATUS_BAD_CFG_MASK);
  });
}

BOOST_AUTO_TEST_CASE(watchdog_kicks_expiry_reset_request_and_bad_kick) {
  Rig &r = rig("wdt");
  int requests = 0;
  r.dev.on_reset_request([&] { ++requests; });
  run([&] {
    r.wr(SLED_DEV_WDT_TIMEOUT, 3);  // 3 us
    r.wr(SLED_DEV_WDT_CTRL, 1);
    for (int i = 0; i < 5; ++i) {  // kicked every 2 us: never expires
      wait(sc_time(2, SC_US));
      r.wr(SLED_DEV_WDT_KICK, SledDevices::kWdtKey);
    }
    BOOST_TEST(r.rd(SLED_DEV_WDT_STATUS) == 0u);
    BOOST_TEST(r.rd(SLED_DEV_WDT_KICK_COUNT) == 5u);
    // A kick with the wrong key does not restart it: it expires 3 us after the last good one.
    wait(sc_time(1, SC_US));
    r.wr(SLED_DEV_WDT_KICK, 0x1234);
    BOOST_TEST(r.rd(SLED_DEV_WDT_STATUS) == SLED_DEV_WDT_STATUS_BAD_KICK_MASK);
    BOOST_TEST(requests == 0);
    wait(r.dev.reset_request_event());
    BOOST_TEST(requests == 1);
    BOOST_TEST(r.rd(SLED_DEV_WDT_STATUS) == 7u);
    BOOST_TEST(r.rd(SLED_DEV_WDT_EXPIRE_COUNT) == 1u);
    BOOST_TEST(r.dev.reset_requested());
    r.wr(SLED_DEV_WDT_STATUS, 7);  // W1C
    BOOST_TEST(r.rd(SLED_DEV_WDT_STATUS) == 0u);
    // Stopped after expiry until kicked; disabled, it never fires.
    wait(sc_time(10, SC_US));
    BOOST_TEST(requests == 1);
    r.wr(SLED_DEV_WDT_KICK, SledDevices::kWdtKey);
    r.wr(SLED_DEV_WDT_CTRL, 0);
    wait(sc_time(10, SC_US));
    BOOST_TEST(requests == 1);
    BOOST_TEST(r.rd(SLED_DEV_WDT_EXPIRE_COUNT) == 1u);
  });
}

BOOST_AUTO_TEST_CASE(sensors_are_set_by_the_test_bench) {
  Rig &r = rig("sens");
  run([&] {
    BOOST_TEST(r.rd(SLED_DEV_SENS_TEMP(3)) == 40000u);
    r.dev.set_temp_milli_c(3, 85500);
    r.dev.set_power_mw(1234);
    BOOST_TEST(r.rd(SLED_DEV_SENS_TEMP(3)) == 85500u);
    BOOST_TEST(r.rd(SLED_DEV_SENS_POWER) == 1234u);
    BOOST_TEST(r.wr(SLED_DEV_SENS_POWER, 1) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  });
  BOOST_CHECK_THROW(r.dev.set_temp_milli_c(16, 0), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(flash_is_a_read_only_image) {
  Rig &r = rig("flash");
  run([&] {
    BOOST_TEST(r.rd(SLED_DEV_FLASH_SIZE) == SledDevices::kFlashBytes);
    BOOST_TEST(r.rd(SLED_DEV_FLASH_DATA(0)) == SledDevices::kFlashMagic);
    const uint32_t serial = r.rd(SLED_DEV_FLASH_DATA(2));
    BOOST_TEST((serial >> 24) == 0x5Eu);
    BOOST_TEST(r.wr(SLED_DEV_FLASH_DATA(2), 0) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_TEST(r.rd(SLED_DEV_FLASH_DATA(2)) == serial);
    tlm::tlm_response_status st;
    r.rd(SLED_DEV_FLASH_DATA(0) + SledDevices::kFlashBytes, &st);  // past the image
    BOOST_TEST(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  });
  BOOST_CHECK_THROW(r.dev.load_flash(std::vector<uint8_t>(SledDevices::kFlashBytes + 1)), std::invalid_argument);
}
