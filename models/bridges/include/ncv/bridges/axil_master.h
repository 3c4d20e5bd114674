// TLM-2.0 target -> AXI-Lite master pins: how TLM initiators (firmware, host, tests)
// reach the CSRs of Verilated RTL. One driver thread owns the pins; it changes them on
// the falling clock edge and samples handshakes as they stand at the rising edge, so
// pin changes never race the RTL's clock (system.md "Time and clocks").
#pragma once

#include <cstdint>

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

namespace ncv::bridges {

// Signal types follow Verilator's SystemC port mapping: 1 bit -> bool, 2..32 -> uint32_t.
struct AxiLitePins {
  sc_core::sc_signal<bool> awvalid{"awvalid"}, awready{"awready"};
  sc_core::sc_signal<uint32_t> awaddr{"awaddr"}, awprot{"awprot"};
  sc_core::sc_signal<bool> wvalid{"wvalid"}, wready{"wready"};
  sc_core::sc_signal<uint32_t> wdata{"wdata"}, wstrb{"wstrb"};
  sc_core::sc_signal<bool> bvalid{"bvalid"}, bready{"bready"};
  sc_core::sc_signal<uint32_t> bresp{"bresp"};
  sc_core::sc_signal<bool> arvalid{"arvalid"}, arready{"arready"};
  sc_core::sc_signal<uint32_t> araddr{"araddr"}, arprot{"arprot"};
  sc_core::sc_signal<bool> rvalid{"rvalid"}, rready{"rready"};
  sc_core::sc_signal<uint32_t> rdata{"rdata"}, rresp{"rresp"};
};

class AxiLiteMaster : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<AxiLiteMaster> tsock;
  sc_core::sc_in<bool> clk;

  // `addr_mask` keeps the address bits the slave decodes; `timeout_cycles` bounds every
  // handshake so a hung slave gives an error response instead of a hung simulation.
  AxiLiteMaster(sc_core::sc_module_name name, AxiLitePins &pins, uint32_t addr_mask, unsigned timeout_cycles = 1000);

  uint64_t transactions() const { return count_; }

 private:
  struct Req {
    tlm::tlm_generic_payload *gp;
    sc_core::sc_event done;
  };
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  void driver();
  bool handshake(sc_core::sc_signal<bool> &valid, const sc_core::sc_signal<bool> &ready);
  tlm::tlm_response_status do_write(uint32_t addr, uint32_t data, uint32_t strb);
  tlm::tlm_response_status do_read(uint32_t addr, uint32_t &data);

  AxiLitePins &p_;
  uint32_t mask_;
  unsigned timeout_;
  sc_core::sc_fifo<Req *> reqs_;
  sc_core::sc_mutex lock_;
  uint64_t count_ = 0;
};

}  // namespace ncv::bridges
