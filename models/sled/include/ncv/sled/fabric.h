// The NSP scale-up fabric of the sled (system.md, docs/switch.md "The fabric in the sled"):
// per chip an NSP endpoint (Verilated nsp_endpoint + ncv::bridges::NspBridge), at sled level
// the Verilated nsp_switch with one port per chip, and a link model (ncv::link::ScLink) on
// each direction of every link. Built per configuration (NPORTS = chips).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#include "ncv/link/link_model.h"

class Vnsp_endpoint;
class Vnsp_switch;
class VerilatedFstSc;

namespace ncv::bridges {
class NspBridge;
struct NspEpPins;
}  // namespace ncv::bridges
namespace ncv::link {
class ScLink;
}

namespace ncv::sled {

class Sled;

// One chip's endpoint: the RTL, its bridge and its wire pins (joined to the switch by the
// Fabric).
class NspEndpoint : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk{"clk"};
  sc_core::sc_in<bool> rst_n{"rst_n"};
  // The endpoint RTL's clock: the Fabric's gated copy of `clk` (the bridge runs on `clk`).
  sc_core::sc_in<bool> rtl_clk{"rtl_clk"};
  // The wire: what the endpoint sends (tx) and receives (rx).
  sc_core::sc_signal<bool> tx_valid{"tx_valid"}, rx_valid{"rx_valid"};
  sc_core::sc_signal<uint32_t> tx_kind{"tx_kind"}, rx_kind{"rx_kind"};
  sc_core::sc_signal<sc_dt::sc_bv<128>> tx_data{"tx_data"}, rx_data{"rx_data"};

  NspEndpoint(sc_core::sc_module_name name, unsigned node_id);
  ~NspEndpoint() override;

  // Accesses of the chip interconnect's window [39] = 1 (rebased to [38:0]).
  tlm::tlm_target_socket<> &remote_socket();
  // Requests from the fabric into the chip's HBM; must be bound.
  tlm::tlm_initiator_socket<> &local_socket();
  // The endpoint's CSR page (nsp_ep_csr.rdl, chip CSR offset 0x01_0000).
  tlm::tlm_target_socket<> &csr_socket();
  ncv::bridges::NspBridge &bridge() { return *bridge_; }
  void trace(VerilatedFstSc *tfp, int levels);
  // True when, at this rising edge, the RTL's inputs from the bridge equal those of the
  // previous rising edge, nothing is on the wire (tx/rx valid low, no bridge flit) and the
  // link is DOWN (the Fabric's clock gate; call once per rising edge).
  bool quiet_edge();

 private:
  std::unique_ptr<ncv::bridges::NspEpPins> pins_;
  uint64_t last_pins_ = ~uint64_t(0);
  std::unique_ptr<ncv::bridges::NspBridge> bridge_;
  std::unique_ptr<Vnsp_endpoint> rtl_;
};

// The switch, its CSR adapter and the link models. The link models run on a clock whose
// rising edge is the tile clock's falling edge, so every wire input of the RTL changes away
// from the RTL's active edge (system.md "Time and clocks"). The switch and endpoint RTL
// run on a gated copy of the clock that stops while the fabric is provably at a fixed
// point (links DOWN, no stimulus for 1024 cycles) and restarts at the first edge with a
// stimulus, which no test can observe (Fabric::gate in fabric.cpp; off once traced).
class Fabric : public sc_core::sc_module {
 public:
  // `eps[p]` is joined to switch port p. Link models: ncv::link::ScLink named
  // "<this>.link<p>_up" (endpoint -> switch) and "<this>.link<p>_down", seeded from `seed`.
  Fabric(sc_core::sc_module_name name, sc_core::sc_clock &clk, sc_core::sc_signal<bool> &rst_n,
         const std::vector<NspEndpoint *> &eps, uint64_t seed, const ncv::link::LinkKnobs &knobs);
  ~Fabric() override;

  // The switch's register port as a TLM target (16-bit byte offsets, 32-bit registers;
  // management bus 0x2100_0000). Call from an SC_THREAD: an access takes 1..2 cycles.
  tlm::tlm_target_socket<> &csr_socket();
  unsigned ports() const { return unsigned(eps_.size()); }
  ncv::link::ScLink &link(unsigned port, bool up);
  bool irq_err() const;
  bool irq_link() const;
  void trace(VerilatedFstSc *tfp, int levels);
  // Turns the clock gate of the fabric RTL off (every edge simulated); on by default.
  void set_clock_gate(bool on);

 private:
  void split();
  void merge();
  void gate();
  void csr_b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  struct Impl;
  std::vector<NspEndpoint *> eps_;
  std::unique_ptr<Impl> impl_;
};

// Fabric bring-up as the firmware's boot stage 5 will do it, over the management bus (call
// from an SC_THREAD): every chip's node id is its index; the switch's shadow routing bank
// gets node c -> port c for every chip (minus `skip_routes`), the banks swap, then every
// switch port and every endpoint link is enabled, and it waits until all links are UP.
// Returns "" or one line saying what failed.
std::string fabric_bringup(Sled &sled, sc_core::sc_time limit, const std::vector<unsigned> &skip_routes = {});

}  // namespace ncv::sled
