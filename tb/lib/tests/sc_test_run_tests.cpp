// The SystemC unit-test harness (ncv/tb/sc_test_run.h) on its own: a body that finishes
// passes; the two bad cases (a body that never finishes, one that stops at a failed
// requirement) are disabled by default and run by name from CTest, which requires the
// harness's failure message (tb/lib/CMakeLists.txt). Links no sc_main of its own: the
// library provides it.
#define BOOST_TEST_MODULE sc_test_run
#include <boost/test/unit_test.hpp>

#include <systemc>

#include <cstdlib>
#include <stdexcept>

#include "ncv/tb/sc_test_run.h"

using namespace sc_core;

BOOST_AUTO_TEST_CASE(a_body_that_returns_passes_and_time_advances) {
  const sc_time t0 = sc_time_stamp();
  bool ran = false;
  ncv::tb::run_sc_test(
      [&] {
        wait(sc_time(25, SC_US));
        ran = true;
      },
      sc_time(1, SC_MS), sc_time(10, SC_US));
  BOOST_TEST(ran);
  BOOST_TEST(sc_time_stamp() - t0 == sc_time(30, SC_US));  // whole steps of 10 us
}

BOOST_AUTO_TEST_CASE(a_body_that_never_returns_fails_at_the_limit, *boost::unit_test::disabled()) {
  static sc_event never;  // outlives the test: its waiting thread stays blocked
  ncv::tb::run_sc_test([] { wait(never); }, sc_time(100, SC_US), sc_time(20, SC_US));
  BOOST_FAIL("not reached: the harness requires the body to finish");
}

BOOST_AUTO_TEST_CASE(a_body_that_throws_fails, *boost::unit_test::disabled()) {
  ncv::tb::run_sc_test([] { throw std::runtime_error("a failed requirement"); }, sc_time(100, SC_US),
                       sc_time(20, SC_US));
}

BOOST_AUTO_TEST_CASE(the_seed_comes_from_ncv_seed) {
  unsetenv("NCV_SEED");
  BOOST_TEST(ncv::tb::test_seed() == 1u);
  setenv("NCV_SEED", "0x2A", 1);
  BOOST_TEST(ncv::tb::test_seed() == 42u);
  unsetenv("NCV_SEED");
}
