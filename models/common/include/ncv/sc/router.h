// A TLM-2.0 address router: any number of initiators, an address map of targets.
// Addresses are rebased to the target's window; a miss answers
// TLM_ADDRESS_ERROR_RESPONSE, never a silent wrap.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <systemc>
#include <tlm>

namespace ncv::sc {

class Router : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Router> tsock;
  tlm_utils::multi_passthrough_initiator_socket<Router> isock;

  Router(sc_core::sc_module_name name, sc_core::sc_time hop_delay = sc_core::SC_ZERO_TIME);

  // Maps [base, base + size) to initiator port `port` (the order in which targets are
  // bound to isock). Overlapping windows are a construction error.
  void map(uint64_t base, uint64_t size, unsigned port, const std::string &what);

  struct Window {
    uint64_t base, size;
    unsigned port;
    std::string what;
  };
  const std::vector<Window> &windows() const { return map_; }

 private:
  const Window *decode(uint64_t addr, unsigned len) const;
  void b_transport(int id, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  unsigned transport_dbg(int id, tlm::tlm_generic_payload &gp);

  std::vector<Window> map_;
  sc_core::sc_time hop_;
};

}  // namespace ncv::sc
