// The golden tile (run mode `golden`, system.md "Run modes"): the golden model's CSR front
// (ncv::golden::TileModel) behind the same TLM interface as the Verilated tile. Its CSR
// page is a TLM target; its device memory (instruction fetch, DMA, notification records)
// is served by TLM transactions through the chip interconnect; its time comes from the
// model's cost model (decision 0005);
// its interrupt line is the model's. Firmware and tests cannot tell it from the RTL tile
// except by speed and cycle counts.
#pragma once

#include <cstdint>
#include <memory>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "ncv/golden/tile_model.h"
#include "ncv/sled/tile_if.h"

namespace ncv::sled {

class TileGolden : public TileIf {
 public:
  TileGolden(sc_core::sc_module_name name, const golden::TileParams &params);
  ~TileGolden() override;

  tlm::tlm_target_socket<> &csr_socket() override { return tsock_; }
  tlm::tlm_initiator_socket<> &mem_socket() override { return isock_; }
  bool irq() const override { return model_->irq(); }
  uint64_t mem_beats() const override { return beats_; }
  void trace(VerilatedFstSc *, int) override {}
  RunMode mode() const override { return RunMode::kGolden; }

  golden::TileModel &model() { return *model_; }

 private:
  struct TlmMem;
  void csr_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  void run_thread();
  void end_of_elaboration() override;
  golden::MemStatus mem_access(tlm::tlm_command cmd, uint64_t addr, uint8_t *data, size_t len);

  tlm_utils::simple_target_socket<TileGolden> tsock_;
  tlm_utils::simple_initiator_socket<TileGolden> isock_;
  std::unique_ptr<TlmMem> mem_;
  std::unique_ptr<golden::TileModel> model_;
  sc_core::sc_event kick_;      // a CSR write: work may have arrived
  sc_core::sc_time period_;     // the tile clock
  sc_core::sc_time mem_delay_;  // annotated delay of the run thread's transactions (not waited)
  bool timed_ = false;          // memory accesses of an executing instruction (b_transport)
  sc_core::sc_process_handle run_proc_;
  unsigned rr_ = 0;  // round-robin pointer over the queues
  unsigned bus_bytes_ = 16;
  uint64_t beats_ = 0;
};

}  // namespace ncv::sled
