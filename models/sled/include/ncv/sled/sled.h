// The SystemC sled platform (system.md): C chips (tile RTL + HBM + chip CSR space), the
// management bus with NHI, sled devices and the HBM window, the host-compiled firmware,
// and the ports through which tests and the host reach it. Built per configuration.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "ncv/sled/tile_if.h"

class VerilatedFstSc;

namespace ncv::nhi {
class Nhi;
class HostMemory;
class HostDriver;
}  // namespace ncv::nhi
namespace ncv::hbm {
class Hbm;
}
namespace ncv::devices {
class SledDevices;
}
namespace ncv::fw {
class FwCpu;
}
namespace ncv::sc {
class Router;
}

namespace ncv::sled {

class Chip;
class Fabric;
class HbmWindow;
class Sram;

struct SledOptions {
  bool firmware = true;           // run the sled firmware's boot on the firmware CPU
  std::function<int()> fw_entry;  // firmware main; default fw_main() (boot, then the services)
  uint64_t seed = 1;              // run seed; components derive their streams from it
  // Run mode of the tiles (system.md "Run modes"): "rtl", "golden" or "lockstep"; empty =
  // the configuration's (configs/<name>.yaml `mode`). Anything else: std::invalid_argument.
  std::string mode;
  uint64_t lockstep_inject = 0;  // lockstep negative test: chip 0 perturbs its n-th writing retirement
  // Delay of every link model in ns (whole cycles of the 1 GHz link clock, 1..100000); unset =
  // the configuration's link.delay_ns. Out of range: std::invalid_argument.
  std::optional<uint64_t> link_delay_ns;
  // Hold the clocks of idle tiles and of an idle fabric (decision 0011; exact: the same log
  // and results either way). Off: every edge is simulated.
  bool clock_gate = true;
  // Negative test of the PERF_CYCLES checks: the tile gate does not present the edges it
  // held back (gated_cycles_i stays 0), so PERF_CYCLES falls behind.
  bool clock_gate_uncorrected = false;
};

class Sled : public sc_core::sc_module {
 public:
  explicit Sled(sc_core::sc_module_name name, const SledOptions &opt = {});
  ~Sled() override;

  static const char *config_name();
  static const char *config_mode();  // the configuration's run mode
  // The configuration's `link` section (configs/<name>.yaml, built into ncv_cfg.h): the
  // defaults of every link model in the fabric (delay in ns, per-flit bit-error rate).
  static uint64_t config_link_delay_ns();
  static double config_link_ber();
  // The delay every link model of this sled was built with, in link-clock cycles.
  unsigned link_delay_cycles() const { return link_delay_cycles_; }
  const char *mode() const;  // this sled's run mode
  // Lockstep: retirements compared with the golden model on all chips (0 in other modes).
  uint64_t lockstep_checked() const;
  // Rising edges the clock gate held back on chip `chip`'s tile (decision 0011).
  uint64_t tile_gated_edges(unsigned chip) const;
  unsigned chips() const { return static_cast<unsigned>(chips_.size()); }
  sc_core::sc_time clock_period() const { return clk_.period(); }
  // The tile clock, for testbench modules that run on it.
  sc_core::sc_clock &clock() { return clk_; }
  uint64_t cycles() const;

  // Management-bus access for testbenches (call from an SC_THREAD).
  uint32_t tb_read32(uint32_t addr, tlm::tlm_response_status *status = nullptr);
  void tb_write32(uint32_t addr, uint32_t value, tlm::tlm_response_status *status = nullptr);
  // Host access to NHI BAR0 (call from an SC_THREAD).
  uint32_t host_read_bar0(uint32_t offset, tlm::tlm_response_status *status = nullptr);

  // Waits (call from an SC_THREAD) until the firmware has published READY and printed its
  // boot line, or has returned, or `limit` of simulated time has passed. Returns the boot
  // line ("BOOT: READY ..."), or "" when boot did not complete.
  std::string wait_boot(sc_core::sc_time limit);

  ncv::nhi::Nhi &nhi();
  // The host side of NHI: host memory (the NHI's DMA target, MSI-X messages) and the host
  // driver model bound to BAR0/BAR2 (docs/nhi.md "Driver API").
  ncv::nhi::HostMemory &host_memory();
  ncv::nhi::HostDriver &host();
  ncv::devices::SledDevices &devices();
  ncv::hbm::Hbm &hbm(unsigned chip);
  // The NSP fabric: the switch, its CSR port and the link models (fabric.h).
  Fabric &fabric();
  // Statistics of every chip's HBM as one JSON array (docs/hbm.md).
  std::string hbm_stats_json();
  ncv::fw::FwCpu *firmware();

  // Waves of every RTL block (FST). Call after elaboration, before time advances.
  void open_waves(const std::string &path);
  void close_waves();

 private:
  void reset_thread();
  uint32_t access(tlm_utils::simple_initiator_socket<Sled> &s, tlm::tlm_command cmd, uint32_t addr, uint32_t value,
                  tlm::tlm_response_status *status);

  sc_core::sc_clock clk_;
  RunMode mode_ = RunMode::kRtl;
  unsigned link_delay_cycles_ = 0;
  sc_core::sc_signal<bool> rst_n_;
  std::vector<std::unique_ptr<Chip>> chips_;
  std::unique_ptr<ncv::sc::Router> mgmt_;
  std::unique_ptr<ncv::nhi::Nhi> nhi_;
  std::unique_ptr<ncv::devices::SledDevices> devs_;
  std::unique_ptr<HbmWindow> win_;
  std::unique_ptr<Fabric> fabric_;
  std::unique_ptr<Sram> fw_sram_;
  std::unique_ptr<ncv::sc::Router> host_bus_;  // host -> BAR0 (tests and the driver)
  std::unique_ptr<ncv::nhi::HostMemory> host_mem_;
  std::unique_ptr<ncv::nhi::HostDriver> host_;
  std::unique_ptr<ncv::fw::FwCpu> fw_;
  tlm_utils::simple_initiator_socket<Sled> tb_port_;
  tlm_utils::simple_initiator_socket<Sled> host_port_;
  std::unique_ptr<VerilatedFstSc> waves_;
};

}  // namespace ncv::sled
