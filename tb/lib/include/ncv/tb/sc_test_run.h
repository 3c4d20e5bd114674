// Boost.Test harness for SystemC unit tests (library ncv_tb_sctest): runs a test body in a
// spawned SystemC thread and advances the simulation until it returns. The library also
// defines `sc_main` (libsystemc needs the symbol; Boost.Test owns main), so a test
// executable that links it defines BOOST_TEST_MODULE and no sc_main of its own, and builds
// its modules before the first run_sc_test.
#pragma once

#include <cstdint>
#include <functional>

#include <systemc>

namespace ncv::tb {

// Spawns `body` as a SystemC thread and calls sc_start in steps of `step` until the body
// returns or `limit` of simulated time (from now) has passed. A body that throws (a failed
// BOOST_REQUIRE, already reported) ends the thread and keeps the kernel alive. Then
// requires (BOOST_REQUIRE) that the body finished within `limit` and did not throw.
void run_sc_test(const std::function<void()> &body, sc_core::sc_time limit, sc_core::sc_time step);

// The unit tests' seed: the environment's NCV_SEED (decimal or 0x hex), 1 if unset.
uint64_t test_seed();

}  // namespace ncv::tb
