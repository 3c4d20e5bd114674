// The tile as the chip sees it (system.md "Run modes"): a 4 KiB CSR page behind a TLM
// target socket, an AXI4-like master into the chip's 40-bit address space as a TLM
// initiator socket, an interrupt line, and its waves. Three implementations, chosen per
// run: the Verilated RTL (TileRtl, mode `rtl`), the golden model behind TLM (TileGolden,
// mode `golden`), and both side by side with every retired instruction compared
// (TileLockstep, mode `lockstep`). Firmware and tests see the same registers and memory
// traffic in every mode; only speed and cycle counts differ.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <systemc>
#include <tlm>

class VerilatedFstSc;

namespace ncv::sled {

enum class RunMode { kRtl, kGolden, kLockstep };

// "rtl", "golden", "lockstep" -> mode; false for anything else.
bool parse_run_mode(const std::string &s, RunMode &mode);
const char *run_mode_name(RunMode mode);

class TileIf : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_in<bool> rst_n;

  // Target socket of the tile's 4 KiB CSR page.
  virtual tlm::tlm_target_socket<> &csr_socket() = 0;
  // Initiator socket of the tile's master (instruction fetch, DMA, notification records)
  // into the chip's 40-bit address space (system.md "Address maps"); must be bound.
  virtual tlm::tlm_initiator_socket<> &mem_socket() = 0;
  virtual bool irq() const = 0;
  virtual uint64_t mem_beats() const = 0;  // data beats (bus width) the tile moved
  // Adds the tile's RTL to a waveform (the golden tile has none).
  virtual void trace(VerilatedFstSc *tfp, int levels) = 0;
  virtual RunMode mode() const = 0;
  // Lockstep: retirements compared with the golden model so far (0 in the other modes).
  virtual uint64_t lockstep_checked() const { return 0; }
  // Rising edges the clock gate held back while the tile was idle (rtl; decision 0011).
  virtual uint64_t gated_edges() const { return 0; }

 protected:
  explicit TileIf(sc_core::sc_module_name name) : sc_module(name), clk("clk"), rst_n("rst_n") {}
};

struct TileOptions {
  RunMode mode = RunMode::kRtl;
  unsigned chip = 0;                    // for messages ("chip0 ...")
  uint64_t lockstep_inject = 0;         // lockstep negative test: perturb the n-th writing retirement (0 = off)
  bool clock_gate = true;               // rtl: hold the tile's clock while it is idle (decision 0011)
  bool clock_gate_uncorrected = false;  // negative test: the gate leaves PERF_CYCLES uncorrected
};

// The tile of one chip in the given mode (built per configuration: the RTL's and the
// model's parameters come from the generated configuration header).
std::unique_ptr<TileIf> make_tile(sc_core::sc_module_name name, const TileOptions &opt);

}  // namespace ncv::sled
