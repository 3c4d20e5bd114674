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
  for (unsigned i = 0; i < 4; ++i) f.w[i] = uint32_t(data.range(32 * i + 31, 32 * i).to_uint());
  return f;
}

sc_dt::sc_bv<128> ScLink::to_bits(const Flit &f) {
  sc_dt::sc_bv<128> b;
  for (unsigned i = 0; i < 4; ++i) b.range(32 * i + 31, 32 * i) = f.w[i];
  return b;
}

void ScLink::tick() {
  if (!rst_n.read()) {
    model_.flush();
    out_valid.write(false);
    out_kind.write(0);
    out_data.write(sc_dt::sc_bv<128>());
    return;
  }
  const Flit o = model_.step(to_flit(in_valid.read(), in_kind.read(), in_data.read()));
  out_valid.write(o.valid);
  out_kind.write(o.kind);
  out_data.write(to_bits(o));
}

}  // namespace ncv::link
