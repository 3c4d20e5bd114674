#define BOOST_TEST_MODULE hbm_min
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>

#include "ncv/hbm/hbm_min.h"

using namespace sc_core;

int sc_main(int, char **) {
  return 0;
}  // libsystemc needs the symbol; Boost.Test owns main

BOOST_AUTO_TEST_CASE(sparse_memory_reads_zero_and_keeps_writes) {
  ncv::hbm::SparseMemory m(1 << 20);
  uint8_t buf[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  m.read(4090, buf, 8);  // crosses a page, nothing written
  for (uint8_t b : buf) BOOST_TEST(b == 0);
  const uint8_t w[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  m.write(4092, w, 8);
  m.read(4092, buf, 8);
  for (int i = 0; i < 8; ++i) BOOST_TEST(buf[i] == w[i]);
  BOOST_TEST(m.pages() == 2u);
  BOOST_TEST(m.in_range((1 << 20) - 8, 8));
  BOOST_TEST(!m.in_range((1 << 20) - 7, 8));
}

BOOST_AUTO_TEST_CASE(byte_enables_mask_writes) {
  ncv::hbm::SparseMemory m(4096);
  const uint8_t w[4] = {0xAA, 0xBB, 0xCC, 0xDD};
  const uint8_t be[2] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED};
  m.write(0, w, 4, be, 2);
  uint8_t r[4];
  m.read(0, r, 4);
  BOOST_TEST(r[0] == 0xAA);
  BOOST_TEST(r[1] == 0);
  BOOST_TEST(r[2] == 0xCC);
  BOOST_TEST(r[3] == 0);
}

struct Initiator : sc_module {
  tlm_utils::simple_initiator_socket<Initiator> sock{"sock"};
  explicit Initiator(sc_module_name n) : sc_module(n) {}
};

BOOST_AUTO_TEST_CASE(tlm_access_times_and_decode_errors) {
  ncv::hbm::HbmMin::Params p;
  p.size_bytes = 1 << 20;
  p.latency = sc_time(100, SC_NS);
  p.bytes_per_ns = 64;
  ncv::hbm::HbmMin hbm("hbm", p);
  Initiator ini("ini");
  ini.sock.bind(hbm.tsock);
  sc_start(SC_ZERO_TIME);

  uint8_t data[64];
  for (int i = 0; i < 64; ++i) data[i] = static_cast<uint8_t>(i);
  tlm::tlm_generic_payload gp;
  gp.set_command(tlm::TLM_WRITE_COMMAND);
  gp.set_address(0x1000);
  gp.set_data_ptr(data);
  gp.set_data_length(64);
  gp.set_streaming_width(64);
  sc_time d = SC_ZERO_TIME;
  ini.sock->b_transport(gp, d);
  BOOST_TEST(gp.is_response_ok());
  BOOST_TEST(d == sc_time(101, SC_NS));  // latency + 64 B at 64 B/ns

  gp.set_address((1 << 20) - 32);  // runs past the end
  ini.sock->b_transport(gp, d);
  BOOST_TEST(gp.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE);

  uint8_t back[64] = {0};
  hbm.mem().read(0x1000, back, 64);
  for (int i = 0; i < 64; ++i) BOOST_TEST(back[i] == i);
  BOOST_TEST(hbm.writes() == 1u);
}
