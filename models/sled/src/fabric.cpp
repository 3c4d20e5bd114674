// Verilator's SystemC mode expects systemc.h (global names) before its headers.
#include <systemc.h>

#include "ncv/sled/fabric.h"

#include <verilated_fst_sc.h>

#include <tlm_utils/simple_target_socket.h>

#include "Vnsp_endpoint.h"
#include "Vnsp_switch.h"
#include "ncv/bridges/nsp_bridge.h"
#include "ncv/link/sc_link.h"
#include "ncv/sled/sled.h"
#include "ncv_cfg.h"
#include "nsp_ep_csr_regs.h"
#include "nsp_switch_regs.h"
#include "sled_map.h"

namespace ncv::sled {

using sc_core::SC_NS;
using sc_core::sc_signal;
using sc_core::sc_time;

static constexpr unsigned kPorts = NSP_SLED_NPORTS;
static_assert(kPorts == NCV_CFG_CHIPS, "the switch is Verilated with one port per chip");
static_assert(kPorts >= 2 && kPorts <= 8, "the switch's wire pins are mapped for 2..8 ports");

// ------------------------------------------------------------------------------------------
// NspEndpoint

NspEndpoint::NspEndpoint(sc_core::sc_module_name name, unsigned node_id)
    : sc_module(name), pins_(std::make_unique<ncv::bridges::NspEpPins>()) {
  ncv::bridges::NspEpPins &p = *pins_;
  bridge_ = std::make_unique<ncv::bridges::NspBridge>("bridge", p, node_id);
  bridge_->clk(clk);
  bridge_->rst_n(rst_n);
  rtl_ = std::make_unique<Vnsp_endpoint>("rtl");
  Vnsp_endpoint &r = *rtl_;
  r.clk_i(rtl_clk);
  r.rst_ni(rst_n);
  r.enable_i(p.enable);
  r.retrain_i(p.retrain);
  r.tst_credit_ignore_i(p.credit_ignore);
  r.tx_valid_o(tx_valid);
  r.tx_kind_o(tx_kind);
  r.tx_data_o(tx_data);
  r.rx_valid_i(rx_valid);
  r.rx_kind_i(rx_kind);
  r.rx_data_i(rx_data);
  r.in_valid_i(p.in_valid);
  r.in_data_i(p.in_data);
  r.in_ready_o(p.in_ready);
  r.out_valid_o(p.out_valid);
  r.out_data_o(p.out_data);
  r.out_ready_i(p.out_ready);
  r.out_count_o(p.out_count);
  r.state_o(p.state);
  r.cnt_idx_i(p.cnt_idx);
  r.cnt_o(p.cnt);
}

NspEndpoint::~NspEndpoint() = default;

tlm::tlm_target_socket<> &NspEndpoint::remote_socket() {
  return bridge_->remote;
}
tlm::tlm_initiator_socket<> &NspEndpoint::local_socket() {
  return bridge_->local;
}
tlm::tlm_target_socket<> &NspEndpoint::csr_socket() {
  return bridge_->csr;
}
void NspEndpoint::trace(VerilatedFstSc *tfp, int levels) {
  rtl_->trace(tfp, levels);
}

bool NspEndpoint::quiet_edge() {
  const ncv::bridges::NspEpPins &p = *pins_;
  const uint64_t pins = uint64_t(p.enable.read()) | uint64_t(p.retrain.read()) << 1 |
                        uint64_t(p.credit_ignore.read()) << 2 | uint64_t(p.cnt_idx.read() & 0xFFu) << 3 |
                        uint64_t(p.out_ready.read() & 0xFu) << 11 | uint64_t(p.in_valid.read() & 0xFu) << 15;
  const bool same = pins == last_pins_;
  last_pins_ = pins;
  return same && p.in_valid.read() == 0 && p.out_valid.read() == 0 && !tx_valid.read() && !rx_valid.read() &&
         p.state.read() == 0;  // nsp_pkg::LS_DOWN
}

// ------------------------------------------------------------------------------------------
// Fabric

struct Fabric::Impl {
  sc_core::sc_clock &clk;
  sc_core::sc_clock lclk;  // rising edge = the tile clock's falling edge
  std::unique_ptr<Vnsp_switch> sw;
  sc_signal<uint32_t> sw_tx_valid{"sw_tx_valid"}, sw_tx_kind{"sw_tx_kind"};
  sc_signal<uint32_t> sw_rx_valid{"sw_rx_valid"}, sw_rx_kind{"sw_rx_kind"};
  sc_signal<sc_dt::sc_bv<128 * kPorts>> sw_tx_data{"sw_tx_data"}, sw_rx_data{"sw_rx_data"};
  // The register port is driven by whichever thread accesses it (firmware, testbench; one
  // at a time under csr_mutex): many writers.
  sc_signal<bool, sc_core::SC_MANY_WRITERS> csr_valid{"csr_valid"}, csr_write{"csr_write"};
  sc_signal<bool> irq_err{"irq_err"}, irq_link{"irq_link"};
  sc_signal<uint32_t, sc_core::SC_MANY_WRITERS> csr_addr{"csr_addr"}, csr_wdata{"csr_wdata"};
  sc_signal<uint32_t> csr_rdata{"csr_rdata"};
  // Per port: the switch's TX split out (into the down link), the up link's output (merged
  // into the switch's RX).
  std::vector<std::unique_ptr<sc_signal<bool>>> dn_valid, up_valid;
  std::vector<std::unique_ptr<sc_signal<uint32_t>>> dn_kind, up_kind;
  std::vector<std::unique_ptr<sc_signal<sc_dt::sc_bv<128>>>> dn_data, up_data;
  std::vector<std::unique_ptr<ncv::link::ScLink>> up, down;
  tlm_utils::simple_target_socket<Fabric> tsock{"csr"};
  sc_core::sc_mutex csr_mutex;
  // Clock gate of the switch and endpoint RTL (see Fabric::gate).
  sc_signal<bool> gclk{"gclk"};
  uint64_t idle = 0;       // rising edges in a row without stimulus
  uint64_t last_sw = ~uint64_t(0);
  bool last_rst = false;
  sc_signal<bool> *rst_n = nullptr;
  bool gate_on = true;  // off while traced (the waveform keeps every edge)

  explicit Impl(sc_core::sc_clock &c)
      : clk(c), lclk("link_clk", c.period(), 0.5, c.period() / 2, true) {}
};

Fabric::Fabric(sc_core::sc_module_name name, sc_core::sc_clock &clk, sc_core::sc_signal<bool> &rst_n,
               const std::vector<NspEndpoint *> &eps, uint64_t seed, const ncv::link::LinkKnobs &knobs)
    : sc_module(name), eps_(eps), impl_(std::make_unique<Impl>(clk)) {
  if (eps.size() != kPorts) throw std::logic_error("Fabric: one endpoint per switch port expected");
  Impl &m = *impl_;
  m.rst_n = &rst_n;
  m.sw = std::make_unique<Vnsp_switch>("switch");
  Vnsp_switch &s = *m.sw;
  s.clk_i(m.gclk);
  s.rst_ni(rst_n);
  s.tx_valid_o(m.sw_tx_valid);
  s.tx_kind_o(m.sw_tx_kind);
  s.tx_data_o(m.sw_tx_data);
  s.rx_valid_i(m.sw_rx_valid);
  s.rx_kind_i(m.sw_rx_kind);
  s.rx_data_i(m.sw_rx_data);
  s.csr_valid_i(m.csr_valid);
  s.csr_write_i(m.csr_write);
  s.csr_addr_i(m.csr_addr);
  s.csr_wdata_i(m.csr_wdata);
  s.csr_rdata_o(m.csr_rdata);
  s.irq_err_o(m.irq_err);
  s.irq_link_o(m.irq_link);
  for (unsigned p = 0; p < kPorts; ++p) {
    const std::string n = std::to_string(p);
    m.dn_valid.push_back(std::make_unique<sc_signal<bool>>(("dn_valid" + n).c_str()));
    m.dn_kind.push_back(std::make_unique<sc_signal<uint32_t>>(("dn_kind" + n).c_str()));
    m.dn_data.push_back(std::make_unique<sc_signal<sc_dt::sc_bv<128>>>(("dn_data" + n).c_str()));
    m.up_valid.push_back(std::make_unique<sc_signal<bool>>(("up_valid" + n).c_str()));
    m.up_kind.push_back(std::make_unique<sc_signal<uint32_t>>(("up_kind" + n).c_str()));
    m.up_data.push_back(std::make_unique<sc_signal<sc_dt::sc_bv<128>>>(("up_data" + n).c_str()));
    NspEndpoint &ep = *eps[p];
    ep.rtl_clk(m.gclk);
    m.up.push_back(std::make_unique<ncv::link::ScLink>(("link" + n + "_up").c_str(), seed, knobs));
    ncv::link::ScLink &u = *m.up.back();
    u.clk(m.lclk);
    u.rst_n(rst_n);
    u.in_valid(ep.tx_valid);
    u.in_kind(ep.tx_kind);
    u.in_data(ep.tx_data);
    u.out_valid(*m.up_valid[p]);
    u.out_kind(*m.up_kind[p]);
    u.out_data(*m.up_data[p]);
    m.down.push_back(std::make_unique<ncv::link::ScLink>(("link" + n + "_down").c_str(), seed, knobs));
    ncv::link::ScLink &d = *m.down.back();
    d.clk(m.lclk);
    d.rst_n(rst_n);
    d.in_valid(*m.dn_valid[p]);
    d.in_kind(*m.dn_kind[p]);
    d.in_data(*m.dn_data[p]);
    d.out_valid(ep.rx_valid);
    d.out_kind(ep.rx_kind);
    d.out_data(ep.rx_data);
  }
  m.tsock.register_b_transport(this, &Fabric::csr_b_transport);
  SC_HAS_PROCESS(Fabric);
  SC_METHOD(split);
  sensitive << m.sw_tx_valid << m.sw_tx_kind << m.sw_tx_data;
  SC_METHOD(merge);
  for (unsigned p = 0; p < kPorts; ++p) sensitive << *m.up_valid[p] << *m.up_kind[p] << *m.up_data[p];
  SC_METHOD(gate);
  sensitive << clk;
  dont_initialize();
}

// Clock gate of the fabric RTL (switch and endpoints; the link models and bridges keep
// running on the ungated clocks). All RTL inputs change at falling edges only (bridges,
// link models on the inverted clock, the CSR port), so at a rising edge this method sees
// the inputs the RTL is about to sample; the gated edge follows one delta later, which no
// process observes (the bridges sample RTL outputs at the rising edge, before either).
// An edge is skipped only after more than kGateIdle rising edges in a row with: every
// input pin equal to its value at the previous edge, nothing on any wire (tx/rx valid of
// every endpoint and switch port, no flit in any link model), no CSR access on the switch
// port, every endpoint link DOWN, reset released. Any stimulus (a bridge flit from a remote
// access or a response, an endpoint CSR change such as LINK_CTRL or a counter select, a
// switch CSR access, a flit on a link) restarts the clock at that very edge.
// Why that is exact: with constant inputs a DOWN link's only state that still moves is its
// 8-bit saturating timers (timer_q, ack_tmr_q, cr_tmr_q, cr_ref_q; the switch's age_q), all
// stopped after 255 edges; rpl_timer_q only runs while UP. A switch port that is not DOWN
// is never silent that long: INIT sends every INIT_PERIOD (8) edges, RETRAIN ends after
// RETRAIN_CYCLES (64) and UP/DEGRADED sends a CREDIT refresh every CREDIT_REFRESH + 1
// (129) edges (frames are granted whole, so none stalls mid-frame). kGateIdle = 1024 is 4x
// the largest of these (255) and exceeds REPLAY_TIMEOUT (256). Consequently a fabric whose
// links are UP is never gated (the refresh), and gating pays off while links are not
// enabled (every test that does not bring the fabric up). Not gated once trace() is called.
static constexpr uint64_t kGateIdle = 1024;

void Fabric::gate() {
  Impl &m = *impl_;
  if (!m.clk.read()) {
    m.gclk.write(false);
    return;
  }
  bool quiet = true;
  for (NspEndpoint *ep : eps_) quiet = ep->quiet_edge() && quiet;  // every endpoint updates its snapshot
  const uint64_t sw = uint64_t(m.csr_addr.read() & 0xFFFFu) | uint64_t(m.csr_write.read()) << 16 |
                      uint64_t(m.csr_wdata.read()) << 17;
  const bool rst = m.rst_n->read();
  quiet = quiet && sw == m.last_sw && rst && rst == m.last_rst && !m.csr_valid.read() &&
          m.sw_tx_valid.read() == 0 && m.sw_rx_valid.read() == 0;
  m.last_sw = sw;
  m.last_rst = rst;
  for (unsigned p = 0; quiet && p < kPorts; ++p)
    quiet = m.up[p]->model().in_flight() == 0 && m.down[p]->model().in_flight() == 0;
  m.idle = quiet ? m.idle + 1 : 0;
  if (m.idle <= kGateIdle || !m.gate_on) m.gclk.write(true);
}

Fabric::~Fabric() = default;

void Fabric::split() {
  Impl &m = *impl_;
  const uint32_t v = m.sw_tx_valid.read(), k = m.sw_tx_kind.read();
  const sc_dt::sc_bv<128 * kPorts> d = m.sw_tx_data.read();
  for (unsigned p = 0; p < kPorts; ++p) {
    m.dn_valid[p]->write(((v >> p) & 1u) != 0);
    m.dn_kind[p]->write((k >> (2 * p)) & 3u);
    m.dn_data[p]->write(d.range(128 * p + 127, 128 * p));
  }
}

void Fabric::merge() {
  Impl &m = *impl_;
  uint32_t v = 0, k = 0;
  sc_dt::sc_bv<128 * kPorts> d;
  for (unsigned p = 0; p < kPorts; ++p) {
    v |= (m.up_valid[p]->read() ? 1u : 0u) << p;
    k |= (m.up_kind[p]->read() & 3u) << (2 * p);
    d.range(128 * p + 127, 128 * p) = m.up_data[p]->read();
  }
  m.sw_rx_valid.write(v);
  m.sw_rx_kind.write(k);
  m.sw_rx_data.write(d);
}

// The switch's register port: inputs driven at a falling edge, a read's data taken before
// the next rising edge (csr_rdata_o is combinational), a write takes effect at that edge;
// the port is released at the following falling edge.
void Fabric::csr_b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
  Impl &m = *impl_;
  const uint64_t a = gp.get_address();
  if (gp.get_data_length() != 4 || (a & 3) != 0 || gp.get_byte_enable_ptr() != nullptr ||
      gp.get_streaming_width() < 4) {
    gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  if (a > 0xFFFC) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  sc_core::wait(delay);
  delay = sc_core::SC_ZERO_TIME;
  m.csr_mutex.lock();
  uint32_t v = 0;
  if (gp.is_write()) std::memcpy(&v, gp.get_data_ptr(), 4);
  sc_core::wait(m.clk.negedge_event());
  m.csr_addr.write(uint32_t(a));
  m.csr_wdata.write(v);
  m.csr_write.write(gp.is_write());
  m.csr_valid.write(gp.is_read() || gp.is_write());
  sc_core::wait(m.clk.posedge_event());
  if (gp.is_read()) {
    v = m.csr_rdata.read();
    std::memcpy(gp.get_data_ptr(), &v, 4);
  }
  sc_core::wait(m.clk.negedge_event());
  m.csr_valid.write(false);
  m.csr_write.write(false);
  m.csr_mutex.unlock();
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

tlm::tlm_target_socket<> &Fabric::csr_socket() {
  return impl_->tsock;
}
ncv::link::ScLink &Fabric::link(unsigned port, bool up) {
  return up ? *impl_->up.at(port) : *impl_->down.at(port);
}
bool Fabric::irq_err() const {
  return impl_->irq_err.read();
}
bool Fabric::irq_link() const {
  return impl_->irq_link.read();
}
void Fabric::set_clock_gate(bool on) {
  impl_->gate_on = on;
}
void Fabric::trace(VerilatedFstSc *tfp, int levels) {
  impl_->gate_on = false;
  impl_->sw->trace(tfp, levels);
}

// ------------------------------------------------------------------------------------------
// Bring-up (boot stage 5 of the firmware, done by the testbench until the firmware does it).

std::string fabric_bringup(Sled &sled, sc_time limit, const std::vector<unsigned> &skip_routes) {
  const unsigned n = sled.chips();
  const uint32_t sw = SLED_SWITCH_CSR_BASE;
  auto ep = [](unsigned c, uint32_t r) { return SLED_CHIP_CSR(c) + CHIP_NSP_CSR + r; };
  tlm::tlm_response_status st = tlm::TLM_OK_RESPONSE;
  const uint32_t id = sled.tb_read32(sw + NSP_SWITCH_ID, &st);
  if (st != tlm::TLM_OK_RESPONSE || (id >> 16) != 0x4E53u || (id & 0xFFFFu) != n)
    return "switch ID reads " + std::to_string(id) + ", expected 0x4E53 << 16 | " + std::to_string(n);
  for (unsigned c = 0; c < n; ++c) {
    sled.tb_write32(ep(c, NSP_EP_CSR_NODE_ID), c);
    bool skip = false;
    for (unsigned s : skip_routes) skip = skip || s == c;
    sled.tb_write32(sw + NSP_SWITCH_RT_SHADOW(c), skip ? 0u : (NSP_SWITCH_RT_SHADOW_VALID_MASK | c));
  }
  const uint32_t bank = sled.tb_read32(sw + NSP_SWITCH_RT_BANK);
  sled.tb_write32(sw + NSP_SWITCH_RT_SWAP, 1);
  if (sled.tb_read32(sw + NSP_SWITCH_RT_BANK) == bank) return "switch RT_BANK did not change after RT_SWAP";
  for (unsigned c = 0; c < n; ++c) {
    const uint32_t e = sled.tb_read32(sw + NSP_SWITCH_RT_ACTIVE(c));
    bool skip = false;
    for (unsigned s : skip_routes) skip = skip || s == c;
    const uint32_t want = skip ? 0u : (NSP_SWITCH_RT_SHADOW_VALID_MASK | c);
    if (e != want)
      return "switch RT_ACTIVE(" + std::to_string(c) + ") reads " + std::to_string(e) + ", expected " +
             std::to_string(want);
  }
  for (unsigned c = 0; c < n; ++c) {
    sled.tb_write32(sw + NSP_SWITCH_PORT_LINK_CTRL(c), NSP_SWITCH_PORT_LINK_CTRL_ENABLE_MASK);
    sled.tb_write32(ep(c, NSP_EP_CSR_LINK_CTRL), NSP_EP_CSR_LINK_CTRL_ENABLE_MASK);
  }
  const sc_time deadline = sc_core::sc_time_stamp() + limit;
  for (;;) {
    unsigned up = 0;
    std::string states;
    for (unsigned c = 0; c < n; ++c) {
      const uint32_t a = sled.tb_read32(sw + NSP_SWITCH_PORT_LINK_CNT(c, 0));
      const uint32_t b = sled.tb_read32(ep(c, NSP_EP_CSR_LINK_STATE));
      up += (a == 2 && b == 2) ? 1u : 0u;
      states += " chip" + std::to_string(c) + " " + std::to_string(b) + "/" + std::to_string(a);
    }
    if (up == n) return "";
    if (sc_core::sc_time_stamp() >= deadline)
      return "links not UP after " + limit.to_string() + " (endpoint/switch state:" + states + ")";
    sc_core::wait(sc_time(20, SC_NS));
  }
}

}  // namespace ncv::sled
