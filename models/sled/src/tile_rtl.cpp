// Verilator's SystemC mode expects systemc.h (global names) before its headers.
#include <systemc.h>

#include "ncv/sled/tile_rtl.h"

#include <verilated_fst_sc.h>

#include "Vnct_top.h"
#include "Vnct_top___024root.h"
#include "ncv/bridges/axi4_slave.h"
#include "ncv/bridges/axil_master.h"
#include "ncv/sled/pin_types.h"
#include "ncv_cfg.h"

namespace ncv::sled {

using sc_core::sc_signal;

static constexpr int kDw = NCV_CFG_AXI_DW;
static constexpr int kIdW = 4;

struct TileRtl::MemBridge : ncv::bridges::Axi4SlaveBridge<kDw, kIdW> {
  using Axi4SlaveBridge::Axi4SlaveBridge;
};

struct TileRtl::Pins {
  ncv::bridges::AxiLitePins axil;
  // AXI4 master of the tile (instruction fetch and DMA), served by the AXI4 -> TLM bridge.
  ncv::bridges::Axi4Pins<kDw, kIdW> axi;
  sc_signal<bool> irq{"irq"};
  sc_signal<pin_t<4>> trace_valid{"trace_valid"};
  sc_signal<pin_t<64>> trace_index{"trace_index"};
  sc_signal<pin_t<32>> trace_opcode{"trace_opcode"};
  // The tile's own clock: the chip clock one delta later, held while the tile is idle
  // (see TileRtl::follow_clock).
  sc_signal<bool> tclk{"tclk"};
  sc_signal<bool> idle{"idle"};
  sc_signal<uint32_t> gated_cycles{"gated_cycles"};
};

TileRtl::TileRtl(sc_core::sc_module_name name, bool clock_gate, bool uncorrected)
    : TileIf(name), pins_(std::make_unique<Pins>()), gate_on_(clock_gate), uncorrected_(uncorrected) {
  Pins &p = *pins_;
  bridge_ = std::make_unique<ncv::bridges::AxiLiteMaster>("csr_bridge", p.axil, 0xFFFu);
  bridge_->clk(clk);
  mem_ = std::make_unique<MemBridge>("mem_bridge", p.axi);
  mem_->clk(clk);
  mem_->rst_n(rst_n);
  rtl_ = std::make_unique<Vnct_top>("rtl");
  Vnct_top &t = *rtl_;
  t.clk_i(p.tclk);
  SC_HAS_PROCESS(TileRtl);
  SC_METHOD(follow_clock);
  sensitive << clk << rst_n;
  dont_initialize();
  t.rst_ni(rst_n);
  t.s_axil_awvalid_i(p.axil.awvalid);
  t.s_axil_awready_o(p.axil.awready);
  t.s_axil_awaddr_i(p.axil.awaddr);
  t.s_axil_awprot_i(p.axil.awprot);
  t.s_axil_wvalid_i(p.axil.wvalid);
  t.s_axil_wready_o(p.axil.wready);
  t.s_axil_wdata_i(p.axil.wdata);
  t.s_axil_wstrb_i(p.axil.wstrb);
  t.s_axil_bvalid_o(p.axil.bvalid);
  t.s_axil_bready_i(p.axil.bready);
  t.s_axil_bresp_o(p.axil.bresp);
  t.s_axil_arvalid_i(p.axil.arvalid);
  t.s_axil_arready_o(p.axil.arready);
  t.s_axil_araddr_i(p.axil.araddr);
  t.s_axil_arprot_i(p.axil.arprot);
  t.s_axil_rvalid_o(p.axil.rvalid);
  t.s_axil_rready_i(p.axil.rready);
  t.s_axil_rdata_o(p.axil.rdata);
  t.s_axil_rresp_o(p.axil.rresp);
  t.m_axi_awvalid_o(p.axi.awvalid);
  t.m_axi_awready_i(p.axi.awready);
  t.m_axi_awid_o(p.axi.awid);
  t.m_axi_awaddr_o(p.axi.awaddr);
  t.m_axi_awlen_o(p.axi.awlen);
  t.m_axi_awsize_o(p.axi.awsize);
  t.m_axi_awburst_o(p.axi.awburst);
  t.m_axi_wvalid_o(p.axi.wvalid);
  t.m_axi_wready_i(p.axi.wready);
  t.m_axi_wdata_o(p.axi.wdata);
  t.m_axi_wstrb_o(p.axi.wstrb);
  t.m_axi_wlast_o(p.axi.wlast);
  t.m_axi_bvalid_i(p.axi.bvalid);
  t.m_axi_bready_o(p.axi.bready);
  t.m_axi_bid_i(p.axi.bid);
  t.m_axi_bresp_i(p.axi.bresp);
  t.m_axi_arvalid_o(p.axi.arvalid);
  t.m_axi_arready_i(p.axi.arready);
  t.m_axi_arid_o(p.axi.arid);
  t.m_axi_araddr_o(p.axi.araddr);
  t.m_axi_arlen_o(p.axi.arlen);
  t.m_axi_arsize_o(p.axi.arsize);
  t.m_axi_arburst_o(p.axi.arburst);
  t.m_axi_rvalid_i(p.axi.rvalid);
  t.m_axi_rready_o(p.axi.rready);
  t.m_axi_rid_i(p.axi.rid);
  t.m_axi_rdata_i(p.axi.rdata);
  t.m_axi_rresp_i(p.axi.rresp);
  t.m_axi_rlast_i(p.axi.rlast);
  t.irq_o(p.irq);
  t.idle_o(p.idle);
  t.gated_cycles_i(p.gated_cycles);
  t.trace_valid_o(p.trace_valid);
  t.trace_index_o(p.trace_index);
  t.trace_opcode_o(p.trace_opcode);
}

TileRtl::~TileRtl() = default;

// The tile's clock follows the chip clock one delta later. The bridges drive the tile's
// inputs at the chip clock's falling edge, so the new inputs and the tile's falling clock
// edge reach the Verilated model in the same delta: one evaluation per edge instead of
// one for the edge and another for the inputs. Sampling is unchanged: the bridges read
// the tile's outputs at the chip clock's rising edge, before the tile's rising edge.
//
// Clock gate (decision 0011): a rising edge is held back when the tile's idle_o says it
// would change nothing but PERF_CYCLES, after kSettle clocked idle edges in a row (so
// assertion history such as $past has caught up with the idle state too). idle_o is
// combinational on the tile's state and inputs; every input changes at a falling edge and
// the Verilated model re-evaluates idle_o at once, so the first rising edge after any
// input change (a CSR access, a response on the bus, reset) sees idle_o low and is
// clocked. That edge gets the number of edges held back on gated_cycles_i, which the RTL
// adds to its cycle count: PERF_CYCLES and notification time stamps equal an ungated run.
// Edges while reset is asserted are not counted (the counter is held at 0 then).
static constexpr unsigned kSettle = 8;

void TileRtl::follow_clock() {
  Pins &p = *pins_;
  if (!clk.event()) {  // reset changed (asynchronous in the RTL)
    if (!rst_n.read()) held_ = 0;
    return;
  }
  if (!clk.read()) {
    p.tclk.write(false);
    if (p.gated_cycles.read() != 0) p.gated_cycles.write(0);  // presented for one edge
    return;
  }
  if (gate_on_ && p.idle.read()) {
    if (idle_run_ >= kSettle) {
      if (rst_n.read()) ++held_;
      ++gated_edges_;
      return;
    }
    ++idle_run_;
  } else {
    idle_run_ = 0;
  }
  if (held_ && !uncorrected_) {
    p.gated_cycles.write(static_cast<uint32_t>(held_));  // PERF_CYCLES wraps at 32 bits too
  }
  held_ = 0;
  p.tclk.write(true);
}

tlm::tlm_target_socket<> &TileRtl::csr_socket() {
  return bridge_->tsock;
}

tlm::tlm_initiator_socket<> &TileRtl::mem_socket() {
  return mem_->isock;
}

uint64_t TileRtl::mem_beats() const {
  return mem_->read_beats() + mem_->write_beats();
}

bool TileRtl::irq() const {
  return pins_->irq.read();
}

void TileRtl::trace(VerilatedFstSc *tfp, int levels) {
  gate_on_ = false;  // the waveform keeps every edge
  rtl_->trace(tfp, levels);
}

void TileRtl::retire_trace(unsigned &valid, uint64_t &index, uint32_t &opcode) const {
  valid = pins_->trace_valid.read();
  index = pins_->trace_index.read();
  opcode = pins_->trace_opcode.read();
}

uint8_t TileRtl::buf_byte(unsigned mem, unsigned part, uint32_t byte) const {
  const auto *r = rtl_->rootp;
  const uint32_t w = mem ? r->nct_top__DOT__u_psum__DOT__mem_q[part][byte / 4]
                         : r->nct_top__DOT__u_sbuf__DOT__mem_q[part][byte / 4];
  return uint8_t(w >> (8 * (byte % 4)));
}

}  // namespace ncv::sled
