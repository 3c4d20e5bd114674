// One 32-bit blocking TLM access from an SC_THREAD: builds the payload, calls
// b_transport, waits out the annotated delay. Used by every register-level initiator
// (firmware HAL, testbench and host ports).
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>

namespace ncv::sc {

// `socket` is any bound TLM initiator socket. Reads fill `data`; writes send it.
// Returns the response status.
template <class Socket>
tlm::tlm_response_status word_access(Socket &socket, tlm::tlm_command cmd, uint64_t addr, uint32_t &data) {
  tlm::tlm_generic_payload gp;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  gp.set_command(cmd);
  gp.set_address(addr);
  gp.set_data_ptr(reinterpret_cast<unsigned char *>(&data));
  gp.set_data_length(4);
  gp.set_streaming_width(4);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  socket->b_transport(gp, delay);
  sc_core::wait(delay);
  return gp.get_response_status();
}

}  // namespace ncv::sc
