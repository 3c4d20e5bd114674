#include "ncv/link/sc_link.h"

namespace ncv::link {

ScLink::ScLink(sc_core::sc_module_name name, uint64_t run_seed, const LinkKnobs &knobs)
    : sc_module(name), model_(run_seed, std::string(this->name()), knobs) {
  SC_HAS_PROCESS(ScLink);
  SC_METHOD(tick);
  sensitive << clk.pos();
  dont_initialize();
}

Flit ScLink::to_flit(bool valid, uint32_t kind, const sc_dt::sc_bv<128> &data) {
  Flit f;
  f.valid = valid;
  f.kind = uint8_t(kind & 3u);
  // Word i of an sc_bv is its bits [32i+31:32i] (word access: part-selects cost ~10x).
  for (unsigned i = 0; i < 4; ++i) f.w[i] = uint32_t(data.get_word(int(i)));
  return f;
}

sc_dt::sc_bv<128> ScLink::to_bits(const Flit &f) {
  sc_dt::sc_bv<128> b;
  for (unsigned i = 0; i < 4; ++i) b.set_word(int(i), sc_dt::sc_digit(f.w[i]));
  return b;
}

void ScLink::tick() {
  if (!rst_n.read()) {
    same_run_ = 0;
    model_.flush();
    out_valid.write(false);
    out_kind.write(0);
    out_data.write(sc_dt::sc_bv<128>());
    return;
  }
  const Flit in = to_flit(in_valid.read(), in_kind.read(), in_data.read());
  const bool same = !in.valid && !last_in_.valid && in.kind == last_in_.kind && in.w[0] == last_in_.w[0] &&
                    in.w[1] == last_in_.w[1] && in.w[2] == last_in_.w[2] && in.w[3] == last_in_.w[3];
  same_run_ = same ? (same_run_ < ~0u ? same_run_ + 1 : same_run_) : 1;
  last_in_ = in;
  if (same_run_ >= model_.depth() + 2) return;
  const Flit o = model_.step(in);
  out_valid.write(o.valid);
  out_kind.write(o.kind);
  out_data.write(to_bits(o));
}

}  // namespace ncv::link
