// The Verilated NCT tile (rtl/tile/nct_top.sv) inside SystemC: its pins, the TLM ->
// AXI-Lite bridge that serves its CSR page, and its waveform hook. Built per
// configuration (the RTL's parameters come from the generated nct_cfg_pkg).
#pragma once

#include <memory>
#include <string>

#include <systemc>
#include <tlm>

class Vnct_top;
class VerilatedFstSc;

namespace ncv::bridges {
class AxiLiteMaster;
struct AxiLitePins;
}  // namespace ncv::bridges

namespace ncv::sled {

class TileRtl : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_in<bool> rst_n;

  explicit TileRtl(sc_core::sc_module_name name);
  ~TileRtl() override;

  // Target socket of the tile's 4 KiB CSR page (AXI-Lite behind it).
  tlm::tlm_target_socket<> &csr_socket();
  bool irq() const;
  void trace(VerilatedFstSc *tfp, int levels);

 private:
  struct Pins;
  std::unique_ptr<Pins> pins_;
  std::unique_ptr<ncv::bridges::AxiLiteMaster> bridge_;
  std::unique_ptr<Vnct_top> rtl_;
};

}  // namespace ncv::sled
