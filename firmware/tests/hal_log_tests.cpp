// Unit test of the host HAL's log ring (hal.h hal_log_append/count/read): lines kept in
// order, the oldest evicted past HAL_LOG_LINES, long lines cut, small buffers and unknown
// sequence numbers refused. The C HAL calls run in a FwCpu thread, as firmware does.
#define BOOST_TEST_MODULE fw_hal_log
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_target_socket.h>
#include <systemc>

#include <string>

#include "hal.h"
#include "ncv/fw/fw_cpu.h"

using namespace sc_core;

int sc_main(int, char **) {
  return 0;
}  // libsystemc needs the symbol; Boost.Test owns main

namespace {

// Answers every bus access OK (the log ring makes none).
struct Bus : sc_module {
  tlm_utils::simple_target_socket<Bus> tsock{"tsock"};
  explicit Bus(sc_module_name n) : sc_module(n) { tsock.register_b_transport(this, &Bus::bt); }
  void bt(tlm::tlm_generic_payload &gp, sc_time &) { gp.set_response_status(tlm::TLM_OK_RESPONSE); }
};

struct Seen {
  uint32_t count_after_3 = 0, count_end = 0;
  int first_len = -2, evicted = -2, oldest_kept = -2, future = -2, long_len = -2, small = -2, zero = -2;
  std::string first, oldest, small_text;
};

}  // namespace

BOOST_AUTO_TEST_CASE(log_ring_keeps_the_last_lines_in_order) {
  Seen s;
  Bus bus("bus");
  ncv::fw::FwCpu cpu("fw", [&s]() -> int {
    char buf[HAL_LOG_LINE_MAX];
    hal_log_append("line 0");
    hal_log_append("line 1");
    hal_log_append("line 2");
    s.count_after_3 = hal_log_count();
    s.first_len = hal_log_read(0, buf, sizeof buf);
    s.first = buf;
    for (uint32_t i = 3; i < HAL_LOG_LINES + 10; ++i) hal_log_append(("line " + std::to_string(i)).c_str());
    s.count_end = hal_log_count();
    s.evicted = hal_log_read(9, buf, sizeof buf);  // 74 lines written: 0..9 are gone
    s.oldest_kept = hal_log_read(10, buf, sizeof buf);
    s.oldest = buf;
    s.future = hal_log_read(s.count_end, buf, sizeof buf);
    hal_log_append(std::string(300, 'x').c_str());
    s.long_len = hal_log_read(s.count_end, buf, sizeof buf);
    s.small = hal_log_read(11, buf, 4);  // "lin" + NUL (line 10 left with the 75th line)
    s.small_text = buf;
    s.zero = hal_log_read(11, buf, 0);
    return 0;
  });
  cpu.isock.bind(bus.tsock);
  sc_start(sc_time(1, SC_US));
  BOOST_REQUIRE(cpu.finished());
  BOOST_TEST(s.count_after_3 == 3u);
  BOOST_TEST(s.first_len == 6);
  BOOST_TEST(s.first == "line 0");
  BOOST_TEST(s.count_end == HAL_LOG_LINES + 10);
  BOOST_TEST(s.evicted == -1);
  BOOST_TEST(s.oldest_kept == 7);
  BOOST_TEST(s.oldest == "line 10");
  BOOST_TEST(s.future == -1);
  BOOST_TEST(s.long_len == int(HAL_LOG_LINE_MAX - 1));
  BOOST_TEST(s.small == 3);
  BOOST_TEST(s.small_text == "lin");
  BOOST_TEST(s.zero == -1);
  std::string l;
  BOOST_TEST(cpu.log_line(HAL_LOG_LINES + 9, l));
  BOOST_TEST(l == "line " + std::to_string(HAL_LOG_LINES + 9));
  BOOST_TEST(!cpu.log_line(0, l));
}
