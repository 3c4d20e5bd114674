// SystemC wrapper of the NSP link model (docs/switch.md "Link model") for the sled's
// co-simulation: one direction of a link between two Verilated nsp_link instances. Its
// ports have the types Verilator's --sc gives nsp_link's tx/rx pins (1-bit bool, 2-bit
// uint32_t, the 128-bit flit sc_bv<128>), so a TX side's outputs bind to `in_*` and the RX
// side's inputs to `out_*`. On every rising clock edge it samples the TX pins, steps the
// plain LinkModel (same seed and path, so the same errors as in the --cc testbench) and
// drives what arrives at the RX pins this cycle.
#pragma once

#include <string>

#include <systemc>

#include "ncv/link/link_model.h"

namespace ncv::link {

class ScLink : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk{"clk"};
  sc_core::sc_in<bool> rst_n{"rst_n"};  // low: the wire is emptied (fabric reset)
  sc_core::sc_in<bool> in_valid{"in_valid"};
  sc_core::sc_in<uint32_t> in_kind{"in_kind"};
  sc_core::sc_in<sc_dt::sc_bv<128>> in_data{"in_data"};
  sc_core::sc_out<bool> out_valid{"out_valid"};
  sc_core::sc_out<uint32_t> out_kind{"out_kind"};
  sc_core::sc_out<sc_dt::sc_bv<128>> out_data{"out_data"};

  // The model's path is this module's hierarchical name, so each link draws its own
  // random stream from the run seed.
  ScLink(sc_core::sc_module_name name, uint64_t run_seed, const LinkKnobs &knobs);

  LinkModel &model() { return model_; }
  const LinkCounts &counts() const { return model_.counts(); }

  static Flit to_flit(bool valid, uint32_t kind, const sc_dt::sc_bv<128> &data);
  static sc_dt::sc_bv<128> to_bits(const Flit &f);

 private:
  void tick();
  LinkModel model_;
  // Idle fast path: ticks in a row whose input was the same invalid flit. Once more than
  // depth() + 1, the wire holds only copies of it and the output already shows it, so a step
  // would change nothing (an invalid flit draws no random numbers and counts nothing).
  Flit last_in_;
  unsigned same_run_ = 0;
};

}  // namespace ncv::link
