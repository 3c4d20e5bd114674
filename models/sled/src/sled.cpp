// Verilator's SystemC mode expects systemc.h (global names) before its headers.
#include <systemc.h>

#include "ncv/sled/sled.h"

#include <verilated.h>
#include <verilated_fst_sc.h>

#include <stdexcept>

#include "fw.h"
#include "fw_post.h"
#include "ncv/devices/sled_devices.h"
#include "ncv/fw/fw_cpu.h"
#include "ncv/hbm/hbm.h"
#include "ncv/nhi/nhi.h"
#include "ncv/sc/router.h"
#include "ncv/sc/word_access.h"
#include "ncv/sled/tile_rtl.h"
#include "ncv_cfg.h"
#include "sled_map.h"

namespace ncv::sled {

using sc_core::SC_NS;
using sc_core::sc_time;

// One chip: the tile, its HBM stack, its CSR space and its interconnect.
class Chip : public sc_core::sc_module {
 public:
  TileRtl tile;
  ncv::hbm::Hbm hbm;
  ncv::sc::Router csr;  // the chip's 24-bit CSR space
  ncv::sc::Router mem;  // the chip interconnect: the tile's 40-bit AXI4 address space

  Chip(sc_core::sc_module_name name, const ncv::hbm::HbmParams &hp)
      : sc_module(name), tile("tile"), hbm("hbm", hp), csr("csr", sc_time(2, SC_NS)), mem("mem", sc_time(2, SC_NS)) {
    csr.isock.bind(tile.csr_socket());
    csr.map(CHIP_TILE_CSR, CHIP_TILE_CSR_SIZE, 0, "tile");
    csr.isock.bind(hbm.csr().tsock);
    csr.map(CHIP_HBM_CSR, 0x1000, 1, "HBM controller");
    // system.md "Address maps": [39:38] = 00 local HBM. Host memory (01) and remote chips
    // ([39] = 1) are not mapped yet: they answer an address error (the tile's DMA error 0x10).
    tile.mem_socket().bind(mem.tsock);
    mem.isock.bind(hbm.tsock);
    mem.map(0, 1ull << 38, 0, "local HBM");
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

static int default_fw_entry() {
  return fw_boot();
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
  devs_ = std::make_unique<ncv::devices::SledDevices>("devices");
  win_ = std::make_unique<HbmWindow>("hbm_window", *devs_);

  unsigned port = 0;
  for (unsigned c = 0; c < NCV_CFG_CHIPS; ++c) {
    hp.seed = opt.seed * 0x9E3779B97F4A7C15ull + c + 1;  // per chip: ECC rate injection stream
    chips_.push_back(std::make_unique<Chip>(("chip" + std::to_string(c)).c_str(), hp));
    Chip &ch = *chips_.back();
    ch.tile.clk(clk_);
    ch.tile.rst_n(rst_n_);
    mgmt_->isock.bind(ch.csr.tsock);
    mgmt_->map(SLED_CHIP_CSR(c), SLED_CHIP_CSR_STRIDE, port++, "chip" + std::to_string(c) + " CSR");
    win_->isock.bind(ch.hbm.tsock);
  }
  mgmt_->isock.bind(nhi_->dev().tsock);
  mgmt_->map(SLED_NHI_DEV_BASE, SLED_NHI_DEV_SIZE, port++, "NHI device side");
  mgmt_->isock.bind(devs_->tsock);
  mgmt_->map(SLED_DEVICES_BASE, SLED_DEVICES_SIZE, port++, "sled devices");
  mgmt_->isock.bind(win_->tsock);
  mgmt_->map(SLED_HBM_WIN_BASE, SLED_HBM_WIN_SIZE, port++, "HBM window");

  tb_port_.bind(mgmt_->tsock);
  host_port_.bind(nhi_->bar0().tsock);
  if (opt.firmware) {
    fw_ = std::make_unique<ncv::fw::FwCpu>("fw", opt.fw_entry ? opt.fw_entry : default_fw_entry);
    fw_->isock.bind(mgmt_->tsock);
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

void Sled::open_waves(const std::string &path) {
  if (waves_) throw std::logic_error("waves already open");
  waves_ = std::make_unique<VerilatedFstSc>();
  for (auto &ch : chips_) ch->tile.trace(waves_.get(), 99);
  waves_->open(path.c_str());
}

void Sled::close_waves() {
  if (waves_) {
    waves_->close();
    waves_.reset();
  }
}

}  // namespace ncv::sled
