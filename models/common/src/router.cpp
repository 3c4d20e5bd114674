#include "ncv/sc/router.h"

#include <sstream>
#include <stdexcept>

namespace ncv::sc {

Router::Router(sc_core::sc_module_name name, sc_core::sc_time hop_delay)
    : sc_module(name), tsock("tsock"), isock("isock"), hop_(hop_delay) {
  tsock.register_b_transport(this, &Router::b_transport);
  tsock.register_transport_dbg(this, &Router::transport_dbg);
}

void Router::map(uint64_t base, uint64_t size, unsigned port, const std::string &what) {
  if (size == 0) throw std::invalid_argument(std::string(name()) + ": window '" + what + "' has size 0");
  for (const auto &w : map_) {
    if (base < w.base + w.size && w.base < base + size) {
      std::ostringstream os;
      os << name() << ": window '" << what << "' overlaps '" << w.what << "'";
      throw std::invalid_argument(os.str());
    }
  }
  map_.push_back({base, size, port, what});
}

const Router::Window *Router::decode(uint64_t addr, unsigned len) const {
  for (const auto &w : map_) {
    if (addr >= w.base && addr - w.base + len <= w.size) return &w;
  }
  return nullptr;
}

void Router::b_transport(int, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
  const uint64_t addr = gp.get_address();
  const Window *w = decode(addr, gp.get_data_length());
  if (!w) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  delay += hop_;
  gp.set_address(addr - w->base);
  isock[w->port]->b_transport(gp, delay);
  gp.set_address(addr);
}

unsigned Router::transport_dbg(int, tlm::tlm_generic_payload &gp) {
  const uint64_t addr = gp.get_address();
  const Window *w = decode(addr, gp.get_data_length());
  if (!w) return 0;
  gp.set_address(addr - w->base);
  const unsigned n = isock[w->port]->transport_dbg(gp);
  gp.set_address(addr);
  return n;
}

}  // namespace ncv::sc
