// The SystemC wrapper of the link model against the plain model: with the same seed and
// path it must deliver exactly the flits the plain model delivers, cycle by cycle, errors
// included; reset empties the wire; counts match.
#define BOOST_TEST_MODULE sc_link_tests
#include <boost/test/unit_test.hpp>

#include <vector>

#include <systemc>

#include "ncv/link/sc_link.h"

using namespace ncv::link;

// libsystemc wants an sc_main; Boost.Test's main runs the cases.
int sc_main(int, char **) { return 0; }

namespace {

// Drives a deterministic flit sequence into the wrapper and records what leaves it.
struct Bench : sc_core::sc_module {
  sc_core::sc_clock clk{"clk", 1, sc_core::SC_NS};
  sc_core::sc_signal<bool> rst_n{"rst_n", true}, in_valid{"in_valid"}, out_valid{"out_valid"};
  sc_core::sc_signal<uint32_t> in_kind{"in_kind"}, out_kind{"out_kind"};
  sc_core::sc_signal<sc_dt::sc_bv<128>> in_data{"in_data"}, out_data{"out_data"};
  ScLink link;
  std::vector<Flit> sent, seen;
  unsigned cycles, reset_at;

  Bench(sc_core::sc_module_name n, const LinkKnobs &k, unsigned cyc, unsigned rst)
      : sc_module(n), link("link", 99, k), cycles(cyc), reset_at(rst) {
    link.clk(clk);
    link.rst_n(rst_n);
    link.in_valid(in_valid);
    link.in_kind(in_kind);
    link.in_data(in_data);
    link.out_valid(out_valid);
    link.out_kind(out_kind);
    link.out_data(out_data);
    SC_HAS_PROCESS(Bench);
    SC_THREAD(drive);
  }
  static Flit make(unsigned i) {
    Flit f;
    f.valid = (i % 5) != 4;
    f.kind = uint8_t(i % 4);
    f.w = {i * 0x9E3779B9u, i, ~i, (f.kind == 0 ? (i % 6) << 28 : 0u) | (i & 0xFFFFu)};
    return f;
  }
  void drive() {
    for (unsigned i = 0; i < cycles; ++i) {
      const Flit f = make(i);
      in_valid.write(f.valid);
      in_kind.write(f.kind);
      in_data.write(ScLink::to_bits(f));
      rst_n.write(i != reset_at);
      sent.push_back(f);
      wait(clk.posedge_event());
      wait(sc_core::SC_ZERO_TIME);  // the wrapper's outputs of this edge
      wait(sc_core::SC_ZERO_TIME);
      seen.push_back(ScLink::to_flit(out_valid.read(), out_kind.read(), out_data.read()));
    }
    sc_core::sc_stop();
  }
};

bool same(const Flit &a, const Flit &b) {
  if (a.valid != b.valid) return false;
  if (!a.valid) return true;
  return a.kind == b.kind && a.w == b.w;
}

}  // namespace

BOOST_AUTO_TEST_CASE(wrapper_delivers_what_the_plain_model_delivers_with_errors_and_reset) {
  LinkKnobs k;
  k.delay = 3;
  k.ber = 0.05;
  k.drop = 0.02;
  k.burst = 0.01;
  const unsigned n = 2000, rst = 1000;
  Bench b("bench", k, n, rst);
  sc_core::sc_start();
  BOOST_REQUIRE_EQUAL(b.seen.size(), n);
  // The same model, stepped by hand: same seed, same path (the wrapper's hierarchical name).
  LinkModel ref(99, "bench.link", k);
  unsigned diffs = 0, valid = 0;
  for (unsigned i = 0; i < n; ++i) {
    Flit exp;
    if (i == rst)
      ref.flush();
    else
      exp = ref.step(b.sent[i]);
    valid += exp.valid;
    if (!same(exp, b.seen[i])) ++diffs;
  }
  BOOST_TEST(diffs == 0u);
  BOOST_TEST(valid > n / 2);
  BOOST_TEST(b.link.counts().flits == ref.counts().flits);
  BOOST_TEST(b.link.counts().bits_flipped == ref.counts().bits_flipped);
  BOOST_TEST(b.link.counts().bits_flipped > 0u);  // errors were injected
  // The comparison itself can fail: a different seed gives a different error pattern.
  LinkModel other(100, "bench.link", k);
  unsigned other_diffs = 0;
  for (unsigned i = 0; i < n; ++i) {
    Flit exp;
    if (i == rst)
      other.flush();
    else
      exp = other.step(b.sent[i]);
    if (!same(exp, b.seen[i])) ++other_diffs;
  }
  BOOST_TEST(other_diffs > 0u);
}
