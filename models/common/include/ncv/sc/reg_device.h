// Base for memory-mapped register devices modelled in SystemC: 32-bit, naturally aligned
// accesses only; anything else answers TLM_BURST_ERROR_RESPONSE (size) or
// TLM_ADDRESS_ERROR_RESPONSE (unmapped register), so firmware bugs surface at once.
#pragma once

#include <cstdint>

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

namespace ncv::sc {

class RegDevice : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<RegDevice> tsock;

  RegDevice(sc_core::sc_module_name name, sc_core::sc_time access_delay);

 protected:
  // Return false for an unmapped offset.
  virtual bool reg_read(uint32_t offset, uint32_t &value) = 0;
  virtual bool reg_write(uint32_t offset, uint32_t value) = 0;

 private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  unsigned transport_dbg(tlm::tlm_generic_payload &gp);
  tlm::tlm_response_status access(tlm::tlm_generic_payload &gp);
  sc_core::sc_time delay_;
};

}  // namespace ncv::sc
