#include "ncv/sc/reg_device.h"

#include <cstring>

namespace ncv::sc {

RegDevice::RegDevice(sc_core::sc_module_name name, sc_core::sc_time access_delay)
    : sc_module(name), tsock("tsock"), delay_(access_delay) {
  tsock.register_b_transport(this, &RegDevice::b_transport);
  tsock.register_transport_dbg(this, &RegDevice::transport_dbg);
}

tlm::tlm_response_status RegDevice::access(tlm::tlm_generic_payload &gp) {
  const uint64_t addr = gp.get_address();
  if (gp.get_data_length() != 4 || (addr & 3) != 0 || gp.get_byte_enable_ptr() != nullptr ||
      gp.get_streaming_width() < 4) {
    return tlm::TLM_BURST_ERROR_RESPONSE;
  }
  uint32_t v = 0;
  if (gp.is_read()) {
    if (!reg_read(static_cast<uint32_t>(addr), v)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    std::memcpy(gp.get_data_ptr(), &v, 4);
  } else if (gp.is_write()) {
    std::memcpy(&v, gp.get_data_ptr(), 4);
    if (!reg_write(static_cast<uint32_t>(addr), v)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  }
  return tlm::TLM_OK_RESPONSE;
}

void RegDevice::b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
  gp.set_response_status(access(gp));
  delay += delay_;
}

unsigned RegDevice::transport_dbg(tlm::tlm_generic_payload &gp) {
  // Debug reads have no side effects in these devices; debug writes are refused.
  if (!gp.is_read()) return 0;
  return access(gp) == tlm::TLM_OK_RESPONSE ? 4u : 0u;
}

}  // namespace ncv::sc
