// The Verilated NCT tile (rtl/tile/nct_top.sv) inside SystemC: its pins, the TLM ->
// AXI-Lite bridge that serves its CSR page, and its waveform hook. Built per
// configuration (the RTL's parameters come from the generated nct_cfg_pkg).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <systemc>
#include <tlm>

#include "ncv/sled/tile_if.h"

class Vnct_top;
class VerilatedFstSc;

namespace ncv::bridges {
class AxiLiteMaster;
struct AxiLitePins;
}  // namespace ncv::bridges

namespace ncv::sled {

class TileRtl : public TileIf {
 public:
  // `clock_gate`: hold the tile's clock while it is idle (decision 0011); off once traced.
  // `uncorrected` (negative tests only): do not present the held edges on gated_cycles_i.
  explicit TileRtl(sc_core::sc_module_name name, bool clock_gate = true, bool uncorrected = false);
  ~TileRtl() override;

  // Target socket of the tile's 4 KiB CSR page (AXI-Lite behind it).
  tlm::tlm_target_socket<> &csr_socket() override;
  // Initiator socket of the tile's AXI4 master (instruction fetch and DMA) into the chip's
  // 40-bit address space (system.md "Address maps"); must be bound.
  tlm::tlm_initiator_socket<> &mem_socket() override;
  uint64_t mem_beats() const override;  // AXI4 data beats the tile moved
  bool irq() const override;
  void trace(VerilatedFstSc *tfp, int levels) override;
  RunMode mode() const override { return RunMode::kRtl; }

  // The retire trace port as it stands (rtl/tile/nct_top.sv trace_*: one valid bit, a
  // 16-bit ring index and an 8-bit opcode per queue; registered, one cycle per retirement).
  void retire_trace(unsigned &valid, uint64_t &index, uint32_t &opcode) const;
  // Rising edges the clock gate held back so far.
  uint64_t gated_edges() const override { return gated_edges_; }
  // Backdoor read of SBUF (mem 0) or PSUM (mem 1): byte `byte` of partition `part`.
  uint8_t buf_byte(unsigned mem, unsigned part, uint32_t byte) const;

 private:
  struct Pins;
  struct MemBridge;
  void follow_clock();
  std::unique_ptr<Pins> pins_;
  std::unique_ptr<MemBridge> mem_;
  std::unique_ptr<ncv::bridges::AxiLiteMaster> bridge_;
  std::unique_ptr<Vnct_top> rtl_;
  bool gate_on_;
  bool uncorrected_;
  unsigned idle_run_ = 0;  // clocked rising edges in a row with idle_o
  uint64_t held_ = 0;      // edges held back since the last clocked edge (out of reset)
  uint64_t gated_edges_ = 0;
};

}  // namespace ncv::sled
