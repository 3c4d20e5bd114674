// Verilator's SystemC mode expects systemc.h (global names) before its headers.
#include <systemc.h>

#include "ncv/sled/sled.h"

#include <verilated.h>
#include <verilated_fst_sc.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "fw.h"
#include "fw_post.h"
#include "fw_service.h"
#include "ncv/devices/sled_devices.h"
#include "ncv/fw/fw_cpu.h"
#include "ncv/hbm/hbm.h"
#include "ncv/nhi/host_driver.h"
#include "ncv/nhi/host_memory.h"
#include "ncv/nhi/nhi.h"
#include "ncv/sc/router.h"
#include "ncv/sc/word_access.h"
#include "ncv/tb/log.h"
#include "ncv/bridges/nsp_bridge.h"
#include "ncv/sled/fabric.h"
#include "ncv/sled/tile_if.h"
#include "ncv_cfg.h"
#include "sled_map.h"

namespace ncv::sled {

using sc_core::SC_NS;
using sc_core::sc_time;

constexpr uint64_t kMaxLinkDelayNs = 100000;  // configs' link.delay_ns range (python/ncv/config.py)

// One chip: the tile, its HBM stack, its CSR space and its interconnect.
class Chip : public sc_core::sc_module {
 public:
  std::unique_ptr<TileIf> tile_own;  // the tile of the run mode (tile_if.h)
  TileIf &tile;
  ncv::hbm::Hbm hbm;
  ncv::sc::Router csr;  // the chip's 24-bit CSR space
  ncv::sc::Router mem;  // the chip interconnect: the tile's 40-bit AXI4 address space
  std::unique_ptr<NspEndpoint> nsp;  // the chip's port into the NSP fabric

  Chip(sc_core::sc_module_name name, const ncv::hbm::HbmParams &hp, const TileOptions &to = {})
      : sc_module(name), tile_own(make_tile("tile", to)), tile(*tile_own), hbm("hbm", hp), csr("csr", sc_time(2, SC_NS)), mem("mem", sc_time(2, SC_NS)) {
    csr.isock.bind(tile.csr_socket());
    csr.map(CHIP_TILE_CSR, CHIP_TILE_CSR_SIZE, 0, "tile");
    csr.isock.bind(hbm.csr().tsock);
    csr.map(CHIP_HBM_CSR, 0x1000, 1, "HBM controller");
    // system.md "Address maps": [39:38] = 00 local HBM, [39] = 1 remote chips (below). Host
    // memory (01) is not mapped yet: it answers an address error (the tile's DMA error 0x10).
    tile.mem_socket().bind(mem.tsock);
    mem.isock.bind(hbm.tsock);
    mem.map(0, 1ull << 38, 0, "local HBM");
    // [39] = 1: the HBM of chip [38:31] through the NSP fabric (fabric.h); the endpoint
    // serves requests from the fabric out of this chip's HBM. Its CSRs: CHIP_NSP_CSR.
    nsp = std::make_unique<NspEndpoint>("nsp", 0);
    mem.isock.bind(nsp->remote_socket());
    mem.map(1ull << 39, 1ull << 39, unsigned(mem.windows().size()), "remote chips (NSP fabric)");
    nsp->local_socket().bind(hbm.tsock);
    csr.isock.bind(nsp->csr_socket());
    csr.map(CHIP_NSP_CSR, 0x1000, unsigned(csr.windows().size()), "NSP endpoint");
  }
};

// The 256 MiB management window onto the HBM of the chip chosen in the sled devices.
class HbmWindow : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<HbmWindow> tsock;
  tlm_utils::multi_passthrough_initiator_socket<HbmWindow> isock;

  HbmWindow(sc_core::sc_module_name name, ncv::devices::SledDevices &devs)
      : sc_module(name), tsock("tsock"), isock("isock"), devs_(devs) {
    tsock.register_b_transport(this, &HbmWindow::b_transport);
  }

 private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
    const unsigned chip = devs_.hbm_win_chip();
    if (chip >= isock.size()) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    const uint64_t addr = gp.get_address();
    gp.set_address(devs_.hbm_win_base() + addr);
    isock[static_cast<int>(chip)]->b_transport(gp, delay);
    gp.set_address(addr);
  }
  ncv::devices::SledDevices &devs_;
};

// The management controller's data SRAM on the management bus (sled_map.h): byte
// addressed, any length inside it; outside it answers an address error.
class Sram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Sram> tsock;
  Sram(sc_core::sc_module_name name, size_t bytes) : sc_module(name), tsock("tsock"), mem_(bytes, 0) {
    tsock.register_b_transport(this, &Sram::b_transport);
  }

 private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
    const uint64_t a = gp.get_address();
    const unsigned n = gp.get_data_length();
    if (a > mem_.size() || n > mem_.size() - a || gp.get_byte_enable_ptr()) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (gp.is_read())
      std::memcpy(gp.get_data_ptr(), mem_.data() + a, n);
    else if (gp.is_write())
      std::memcpy(mem_.data() + a, gp.get_data_ptr(), n);
    delay += sc_time(1, SC_NS) * ((n + 7) / 8);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  std::vector<uint8_t> mem_;
};

static int default_fw_entry() {
  return fw_main();
}

Sled::Sled(sc_core::sc_module_name name, const SledOptions &opt)
    : sc_module(name), clk_("clk", sc_time(1, SC_NS)), rst_n_("rst_n"), tb_port_("tb_port"), host_port_("host_port") {
  // Waves can be opened after elaboration; the RTL must know before it first evaluates.
  Verilated::traceEverOn(true);
  ncv::hbm::HbmParams hp;
  hp.preset = NCV_CFG_HBM_PRESET;
  hp.size_bytes = static_cast<uint64_t>(NCV_CFG_HBM_SIZE_MIB) << 20;
  mgmt_ = std::make_unique<ncv::sc::Router>("mgmt", sc_time(2, SC_NS));
  nhi_ = std::make_unique<ncv::nhi::Nhi>(
      "nhi", (NCV_CFG_VERSION_MAJOR << 16) | (NCV_CFG_VERSION_MINOR << 8) | NCV_CFG_VERSION_PATCH);
  ncv::devices::SledDevicesOptions dopt;
  dopt.seed = opt.seed;  // power-rail ramp delays and the flash serial number come from the run seed
  devs_ = std::make_unique<ncv::devices::SledDevices>("devices", dopt);
  win_ = std::make_unique<HbmWindow>("hbm_window", *devs_);
  fw_sram_ = std::make_unique<Sram>("fw_sram", SLED_FW_SRAM_SIZE);

  TileOptions to;
  const std::string mode = opt.mode.empty() ? std::string(NCV_CFG_MODE) : opt.mode;
  if (!parse_run_mode(mode, to.mode))
    throw std::invalid_argument("run mode '" + mode + "': expected rtl, golden or lockstep");
  mode_ = to.mode;
  unsigned port = 0;
  for (unsigned c = 0; c < NCV_CFG_CHIPS; ++c) {
    hp.seed = opt.seed * 0x9E3779B97F4A7C15ull + c + 1;  // per chip: ECC rate injection stream
    to.chip = c;
    to.lockstep_inject = c == 0 ? opt.lockstep_inject : 0;
    to.clock_gate = opt.clock_gate;
    to.clock_gate_uncorrected = opt.clock_gate_uncorrected;
    chips_.push_back(std::make_unique<Chip>(("chip" + std::to_string(c)).c_str(), hp, to));
    Chip &ch = *chips_.back();
    ch.tile.clk(clk_);
    ch.tile.rst_n(rst_n_);
    mgmt_->isock.bind(ch.csr.tsock);
    mgmt_->map(SLED_CHIP_CSR(c), SLED_CHIP_CSR_STRIDE, port++, "chip" + std::to_string(c) + " CSR");
    win_->isock.bind(ch.hbm.tsock);
  }
  {
    // The NSP fabric: chip c's endpoint (node id c) on switch port c (fabric.h). Every link
    // model starts with the configuration's link section: delay_ns at the 1 GHz link clock
    // (SledOptions::link_delay_ns overrides it) and ber; tests may change the knobs later.
    std::vector<NspEndpoint *> eps;
    for (unsigned c = 0; c < chips_.size(); ++c) {
      Chip &ch = *chips_[c];
      ch.nsp->clk(clk_);
      ch.nsp->rst_n(rst_n_);
      ch.nsp->bridge().set_node_id(c);
      // Debug transport of the remote window (lockstep's shadow memory, backdoors): straight
      // into chip `n`'s memory, no packets.
      ch.nsp->bridge().set_peer_debug([this](unsigned n, tlm::tlm_generic_payload &gp) -> unsigned {
        return n < chips_.size() ? chips_[n]->nsp->bridge().local_debug(gp) : 0u;
      });
      eps.push_back(ch.nsp.get());
    }
    const uint64_t delay_ns = opt.link_delay_ns.value_or(config_link_delay_ns());
    if (delay_ns < 1 || delay_ns > kMaxLinkDelayNs)
      throw std::invalid_argument("link delay " + std::to_string(delay_ns) + " ns: expected 1.." +
                                  std::to_string(kMaxLinkDelayNs) + " (whole 1 ns link-clock cycles)");
    ncv::link::LinkKnobs lk;
    lk.delay = static_cast<unsigned>(sc_time(double(delay_ns), SC_NS) / clk_.period());  // link clock = clk_'s period
    lk.ber = config_link_ber();
    link_delay_cycles_ = lk.delay;
    fabric_ = std::make_unique<Fabric>("fabric", clk_, rst_n_, eps, opt.seed, lk);
    if (!opt.clock_gate) fabric_->set_clock_gate(false);
  }
  mgmt_->isock.bind(nhi_->dev().tsock);
  mgmt_->map(SLED_NHI_DEV_BASE, SLED_NHI_DEV_SIZE, port++, "NHI device side");
  mgmt_->isock.bind(devs_->tsock);
  mgmt_->map(SLED_DEVICES_BASE, SLED_DEVICES_SIZE, port++, "sled devices");
  mgmt_->isock.bind(win_->tsock);
  mgmt_->map(SLED_HBM_WIN_BASE, SLED_HBM_WIN_SIZE, port++, "HBM window");
  mgmt_->isock.bind(fabric_->csr_socket());
  mgmt_->map(SLED_SWITCH_CSR_BASE, 0x10000, port++, "NSP switch CSRs");
  mgmt_->isock.bind(fw_sram_->tsock);
  mgmt_->map(SLED_FW_SRAM_BASE, SLED_FW_SRAM_SIZE, port++, "firmware SRAM");

  tb_port_.bind(mgmt_->tsock);
  // The host: its memory behind the NHI's DMA, the driver model on BAR0 and BAR2. The
  // NHI's device-side DMA reaches the management bus (HBM window, firmware SRAM).
  host_mem_ = std::make_unique<ncv::nhi::HostMemory>("host_memory");
  host_ = std::make_unique<ncv::nhi::HostDriver>("host", *host_mem_);
  host_bus_ = std::make_unique<ncv::sc::Router>("host_bus");
  host_bus_->isock.bind(nhi_->bar0().tsock);
  host_bus_->map(0, 0x10000, 0, "NHI BAR0");
  host_port_.bind(host_bus_->tsock);
  host_->bar0.bind(host_bus_->tsock);
  host_->bar2.bind(nhi_->bar2().tsock);
  nhi_->host_dma.bind(host_mem_->tsock);
  nhi_->dev_dma.bind(mgmt_->tsock);
  if (opt.firmware) {
    fw_ = std::make_unique<ncv::fw::FwCpu>("fw", opt.fw_entry ? opt.fw_entry : default_fw_entry);
    fw_->isock.bind(mgmt_->tsock);
    // Interrupt lines of the management controller (sled_map.h SLED_IRQ_*).
    const sc_core::sc_signal<bool> &nirq = nhi_->fw_irq();
    fw_->set_irq_line(SLED_IRQ_NHI, [&nirq] { return nirq.read(); }, &nirq.value_changed_event());
    for (unsigned c = 0; c < chips_.size(); ++c) {
      Chip *ch = chips_[c].get();
      fw_->set_irq_line(SLED_IRQ_TILE(c), [ch] { return ch->tile.irq(); }, nullptr);
    }
    // The watchdog resets the management controller (docs/firmware.md "Watchdog"): NHI
    // reports FATAL and aborts what is in flight; the firmware boots again and
    // re-initialises the chips.
    devs_->on_reset_request([this] {
      ncv::tb::Log::get().info("SLED.RESET", "watchdog expired: management controller reset, firmware restarts");
      nhi_->sled_reset();
      fw_->restart(sc_time(1, sc_core::SC_US));
    });
  }
  SC_HAS_PROCESS(Sled);
  SC_THREAD(reset_thread);
}

Sled::~Sled() {
  close_waves();
}

const char *Sled::config_name() {
  return NCV_CFG_NAME;
}

const char *Sled::config_mode() {
  return NCV_CFG_MODE;
}

// The generator checked the configuration (python/ncv/config.py); these guard the header.
static_assert(NCV_CFG_LINK_DELAY_NS >= 1 && NCV_CFG_LINK_DELAY_NS <= kMaxLinkDelayNs,
              "configs: link.delay_ns out of range");
static_assert(NCV_CFG_LINK_BER >= 0.0 && NCV_CFG_LINK_BER <= 1.0, "configs: link.ber is not a probability");

uint64_t Sled::config_link_delay_ns() {
  return NCV_CFG_LINK_DELAY_NS;
}

double Sled::config_link_ber() {
  return NCV_CFG_LINK_BER;
}

const char *Sled::mode() const {
  return run_mode_name(mode_);
}

uint64_t Sled::tile_gated_edges(unsigned chip) const {
  return chips_.at(chip)->tile.gated_edges();
}

uint64_t Sled::lockstep_checked() const {
  uint64_t n = 0;
  for (const auto &ch : chips_) n += ch->tile.lockstep_checked();
  return n;
}

uint64_t Sled::cycles() const {
  return sc_core::sc_time_stamp().value() / clk_.period().value();
}

void Sled::reset_thread() {
  // Power-on reset: low for 4 cycles, released on a falling edge.
  rst_n_.write(false);
  wait(sc_time(4.5, SC_NS));
  rst_n_.write(true);
}

uint32_t Sled::access(tlm_utils::simple_initiator_socket<Sled> &s, tlm::tlm_command cmd, uint32_t addr, uint32_t value,
                      tlm::tlm_response_status *status) {
  const tlm::tlm_response_status st = ncv::sc::word_access(s, cmd, addr, value);
  if (status) *status = st;
  return value;
}

uint32_t Sled::tb_read32(uint32_t addr, tlm::tlm_response_status *st) {
  return access(tb_port_, tlm::TLM_READ_COMMAND, addr, 0, st);
}

void Sled::tb_write32(uint32_t addr, uint32_t value, tlm::tlm_response_status *st) {
  access(tb_port_, tlm::TLM_WRITE_COMMAND, addr, value, st);
}

uint32_t Sled::host_read_bar0(uint32_t offset, tlm::tlm_response_status *st) {
  return access(host_port_, tlm::TLM_READ_COMMAND, offset, 0, st);
}

std::string Sled::wait_boot(sc_core::sc_time limit) {
  if (!fw_) throw std::logic_error("wait_boot: this sled runs no firmware");
  const sc_time deadline = sc_core::sc_time_stamp() + limit;
  auto boot_line = [this]() -> std::string {
    for (const auto &l : devs_->console_lines())
      if (l.rfind("BOOT: READY", 0) == 0) return l;
    return "";
  };
  while (!(nhi_->fw_post() == FW_POST_READY && !boot_line().empty()) && !fw_->finished() &&
         sc_core::sc_time_stamp() < deadline) {
    wait(deadline - sc_core::sc_time_stamp(), nhi_->post_event() | fw_->finished_event() | devs_->line_event());
  }
  return nhi_->fw_post() == FW_POST_READY ? boot_line() : std::string();
}

ncv::nhi::Nhi &Sled::nhi() {
  return *nhi_;
}
ncv::nhi::HostMemory &Sled::host_memory() {
  return *host_mem_;
}
ncv::nhi::HostDriver &Sled::host() {
  return *host_;
}
ncv::devices::SledDevices &Sled::devices() {
  return *devs_;
}
ncv::hbm::Hbm &Sled::hbm(unsigned chip) {
  return chips_.at(chip)->hbm;
}
std::string Sled::hbm_stats_json() {
  std::string js = "[";
  for (size_t c = 0; c < chips_.size(); ++c) {
    chips_[c]->hbm.sync();
    js += (c ? ",\n " : "") + chips_[c]->hbm.stats_json();
  }
  return js + "]\n";
}
ncv::fw::FwCpu *Sled::firmware() {
  return fw_.get();
}
Fabric &Sled::fabric() {
  return *fabric_;
}

void Sled::open_waves(const std::string &path) {
  if (waves_) throw std::logic_error("waves already open");
  waves_ = std::make_unique<VerilatedFstSc>();
  for (auto &ch : chips_) ch->tile.trace(waves_.get(), 99);
  for (auto &ch : chips_) ch->nsp->trace(waves_.get(), 99);
  fabric_->trace(waves_.get(), 99);
  waves_->open(path.c_str());
}

void Sled::close_waves() {
  if (waves_) {
    waves_->close();
    waves_.reset();
  }
}

}  // namespace ncv::sled
