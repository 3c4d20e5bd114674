#include "ncv/bridges/axil_master.h"

#include <cstring>

namespace ncv::bridges {

using sc_core::wait;

AxiLiteMaster::AxiLiteMaster(sc_core::sc_module_name name, AxiLitePins &pins, uint32_t addr_mask,
                             unsigned timeout_cycles)
    : sc_module(name),
      tsock("tsock"),
      clk("clk"),
      p_(pins),
      mask_(addr_mask),
      timeout_(timeout_cycles),
      reqs_("reqs", 1) {
  tsock.register_b_transport(this, &AxiLiteMaster::b_transport);
  SC_HAS_PROCESS(AxiLiteMaster);
  SC_THREAD(driver);
}

void AxiLiteMaster::b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
  // Bring the caller's local time up to date before touching pins.
  if (delay != sc_core::SC_ZERO_TIME) {
    wait(delay);
    delay = sc_core::SC_ZERO_TIME;
  }
  lock_.lock();
  Req r{&gp, sc_core::sc_event()};
  reqs_.write(&r);
  wait(r.done);
  lock_.unlock();
}

// Holds `valid` high until a rising edge sees `ready`; returns false on timeout.
bool AxiLiteMaster::handshake(sc_core::sc_signal<bool> &valid, const sc_core::sc_signal<bool> &ready) {
  for (unsigned n = 0; n < timeout_; ++n) {
    wait(clk.posedge_event());
    if (ready.read()) {  // the value the RTL presented before this edge
      wait(clk.negedge_event());
      valid.write(false);
      return true;
    }
  }
  valid.write(false);
  return false;
}

static tlm::tlm_response_status from_resp(uint32_t resp) {
  switch (resp & 3u) {
    case 0: return tlm::TLM_OK_RESPONSE;
    case 3: return tlm::TLM_ADDRESS_ERROR_RESPONSE;   // DECERR
    default: return tlm::TLM_GENERIC_ERROR_RESPONSE;  // SLVERR (EXOKAY is not legal on AXI-Lite)
  }
}

tlm::tlm_response_status AxiLiteMaster::do_write(uint32_t addr, uint32_t data, uint32_t strb) {
  wait(clk.negedge_event());
  p_.awaddr.write(addr & mask_);
  p_.awprot.write(0);
  p_.awvalid.write(true);
  p_.wdata.write(data);
  p_.wstrb.write(strb);
  p_.wvalid.write(true);
  bool aw = false, w = false;
  for (unsigned n = 0; n < timeout_ && !(aw && w); ++n) {
    wait(clk.posedge_event());
    aw = aw || p_.awready.read();
    w = w || p_.wready.read();
    wait(clk.negedge_event());
    if (aw) p_.awvalid.write(false);
    if (w) p_.wvalid.write(false);
  }
  p_.awvalid.write(false);
  p_.wvalid.write(false);
  if (!(aw && w)) return tlm::TLM_GENERIC_ERROR_RESPONSE;
  p_.bready.write(true);
  for (unsigned n = 0; n < timeout_; ++n) {
    wait(clk.posedge_event());
    if (p_.bvalid.read()) {
      const uint32_t resp = p_.bresp.read();
      wait(clk.negedge_event());
      p_.bready.write(false);
      return from_resp(resp);
    }
  }
  p_.bready.write(false);
  return tlm::TLM_GENERIC_ERROR_RESPONSE;
}

tlm::tlm_response_status AxiLiteMaster::do_read(uint32_t addr, uint32_t &data) {
  wait(clk.negedge_event());
  p_.araddr.write(addr & mask_);
  p_.arprot.write(0);
  p_.arvalid.write(true);
  if (!handshake(p_.arvalid, p_.arready)) return tlm::TLM_GENERIC_ERROR_RESPONSE;
  p_.rready.write(true);
  for (unsigned n = 0; n < timeout_; ++n) {
    wait(clk.posedge_event());
    if (p_.rvalid.read()) {
      data = p_.rdata.read();
      const uint32_t resp = p_.rresp.read();
      wait(clk.negedge_event());
      p_.rready.write(false);
      return from_resp(resp);
    }
  }
  p_.rready.write(false);
  return tlm::TLM_GENERIC_ERROR_RESPONSE;
}

void AxiLiteMaster::driver() {
  p_.awvalid.write(false);
  p_.wvalid.write(false);
  p_.bready.write(false);
  p_.arvalid.write(false);
  p_.rready.write(false);
  for (;;) {
    Req *r = nullptr;
    reqs_.read(r);
    tlm::tlm_generic_payload &gp = *r->gp;
    const uint64_t addr = gp.get_address();
    tlm::tlm_response_status st;
    if (gp.get_data_length() != 4 || (addr & 3) || gp.get_streaming_width() < 4 ||
        (gp.get_byte_enable_ptr() && gp.get_byte_enable_length() != 4)) {
      st = tlm::TLM_BURST_ERROR_RESPONSE;
    } else if (gp.is_write()) {
      uint32_t data, strb = 0xF;
      std::memcpy(&data, gp.get_data_ptr(), 4);
      if (const unsigned char *be = gp.get_byte_enable_ptr()) {
        strb = 0;
        for (int i = 0; i < 4; ++i) strb |= (be[i] == TLM_BYTE_ENABLED ? 1u : 0u) << i;
      }
      st = do_write(static_cast<uint32_t>(addr), data, strb);
    } else if (gp.is_read()) {
      uint32_t data = 0;
      st = do_read(static_cast<uint32_t>(addr), data);
      std::memcpy(gp.get_data_ptr(), &data, 4);
    } else {
      st = tlm::TLM_OK_RESPONSE;  // TLM_IGNORE_COMMAND
    }
    ++count_;
    gp.set_response_status(st);
    r->done.notify(sc_core::SC_ZERO_TIME);
  }
}

}  // namespace ncv::bridges
