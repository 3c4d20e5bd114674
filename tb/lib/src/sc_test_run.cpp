#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "ncv/tb/sc_test_run.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

int sc_main(int, char **) {
  return 0;
}  // libsystemc needs the symbol; Boost.Test owns main

namespace ncv::tb {

void run_sc_test(const std::function<void()> &body, sc_core::sc_time limit, sc_core::sc_time step) {
  bool done = false, threw = false;
  sc_core::sc_spawn([&] {
    try {
      body();
    } catch (...) {  // a failed BOOST_REQUIRE: already reported; keep the kernel alive
      threw = true;
    }
    done = true;
  });
  const sc_core::sc_time end = sc_core::sc_time_stamp() + limit;
  while (!done && sc_core::sc_time_stamp() < end) sc_core::sc_start(step);
  BOOST_REQUIRE_MESSAGE(done, "test body did not finish within " << limit);
  BOOST_REQUIRE_MESSAGE(!threw, "test body stopped at a failed requirement");
}

uint64_t test_seed() {
  const char *s = std::getenv("NCV_SEED");
  return s ? std::strtoull(s, nullptr, 0) : 1;
}

}  // namespace ncv::tb
