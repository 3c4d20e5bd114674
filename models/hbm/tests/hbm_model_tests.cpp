// Unit tests of the HBM model (hbm.md "Validation"). Every expected value is computed from
// the preset's parameters, never typed in. Each checker used here (latency, bandwidth,
// refresh) is also fed a bad case and must reject it.
#define BOOST_TEST_MODULE hbm_model
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>

#include <algorithm>
#include <cstring>
#include <deque>
#include <sstream>
#include <string>
#include <vector>

#include "hbm_csr_regs.h"
#include "ncv/hbm/hbm.h"

using namespace sc_core;
using namespace ncv::hbm;

int sc_main(int, char **) {
  return 0;
}  // libsystemc needs the symbol; Boost.Test owns main

namespace {

// ---- Expected values and checkers ------------------------------------------------------

// Unloaded latencies in controller cycles from the preset (hbm.md "Validation").
int64_t hit_cycles(const Preset &p) {
  return p.RL + p.burst_cycles();
}
int64_t miss_cycles(const Preset &p) {
  return p.tRCDRD + p.RL + p.burst_cycles();
}
int64_t conflict_cycles(const Preset &p) {
  return p.tRP + p.tRCDRD + p.RL + p.burst_cycles();
}

// A latency is right when it is within one controller clock of the expectation.
bool latency_ok(int64_t got, int64_t expected) {
  return got >= expected - 1 && got <= expected + 1;
}

// Sequential reads must reach 90 % of the preset's peak.
bool bandwidth_ok(double got_bytes_per_s, const Preset &p) {
  return got_bytes_per_s >= 0.9 * p.peak_bytes_per_s();
}

// All-bank refresh: REFab due every tREFI (the first at tREFI), issued at the due cycle or,
// when a bank was open, after precharging it (tRP later); no ACT within tRFC of a REFab.
// Returns the first violation, or "".
std::string refresh_violation(const std::vector<CmdRecord> &trace, const Preset &p, int64_t until) {
  int64_t expect = p.tREFI;
  int64_t last_ref = Controller::kNever;
  for (const auto &r : trace) {
    if (r.cmd == Cmd::REFab) {
      if (r.cycle < expect || r.cycle > expect + p.tRP)
        return "REFab at " + std::to_string(r.cycle) + ", expected " + std::to_string(expect) + " (+ tRP)";
      last_ref = r.cycle;
      expect += p.tREFI;
    } else if (r.cmd == Cmd::ACT && r.cycle < last_ref + p.tRFC) {
      return "ACT at " + std::to_string(r.cycle) + " inside tRFC of the REFab at " + std::to_string(last_ref);
    }
  }
  if (expect <= until) return "missing REFab at " + std::to_string(expect);
  return "";
}

struct Done {
  std::vector<std::pair<uint64_t, int64_t>> v;
  Controller::DoneFn fn() {
    return [this](uint64_t t, int64_t c) { v.emplace_back(t, c); };
  }
  int64_t of(uint64_t tag) const {
    for (const auto &x : v)
      if (x.first == tag) return x.second;
    return -1;
  }
};

Burst rd(uint64_t tag, unsigned bg, unsigned ba, unsigned row, unsigned col, int64_t at) {
  Burst b;
  b.tag = tag;
  b.bg = bg;
  b.ba = ba;
  b.row = row;
  b.col = col;
  b.arrival = at;
  return b;
}

ControllerOptions no_refresh() {
  ControllerOptions o;
  o.refresh = RefreshMode::None;
  o.trace = true;
  return o;
}

// ---- SystemC benches: every module is built before the first sc_start -------------------

struct AtInitiator : sc_module {
  tlm_utils::simple_initiator_socket<AtInitiator> sock{"sock"};
  uint64_t outstanding = 0, done = 0, bytes = 0;
  sc_time first_req = SC_ZERO_TIME, last_resp = SC_ZERO_TIME;
  sc_event resp_ev;
  std::vector<tlm::tlm_generic_payload *> free_;
  std::vector<uint8_t> buf;
  explicit AtInitiator(sc_module_name n) : sc_module(n), buf(1 << 16) {
    sock.register_nb_transport_bw(this, &AtInitiator::bw);
  }
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph, sc_time &) {
    BOOST_REQUIRE(ph == tlm::BEGIN_RESP);
    BOOST_REQUIRE(gp.is_response_ok());
    --outstanding;
    ++done;
    bytes += gp.get_data_length();
    last_resp = sc_time_stamp();
    free_.push_back(&gp);
    resp_ev.notify();
    return tlm::TLM_COMPLETED;
  }
  // Sequential reads of `len` bytes from 0, up to `depth` in flight, `count` in all.
  void stream(unsigned len, unsigned depth, uint64_t count) {
    std::deque<tlm::tlm_generic_payload> pool(depth);
    for (auto &g : pool) free_.push_back(&g);
    first_req = sc_time_stamp();
    uint64_t issued = 0;
    while (done < count) {
      while (outstanding < depth && issued < count) {
        tlm::tlm_generic_payload *gp = free_.back();
        free_.pop_back();
        gp->set_command(tlm::TLM_READ_COMMAND);
        gp->set_address(issued * len);
        gp->set_data_ptr(buf.data());
        gp->set_data_length(len);
        gp->set_streaming_width(len);
        gp->set_byte_enable_ptr(nullptr);
        gp->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        tlm::tlm_phase ph = tlm::BEGIN_REQ;
        sc_time d = SC_ZERO_TIME;
        const auto r = sock->nb_transport_fw(*gp, ph, d);
        BOOST_REQUIRE(r == tlm::TLM_UPDATED);
        BOOST_REQUIRE(ph == tlm::END_REQ);
        ++outstanding;
        ++issued;
      }
      wait(resp_ev);
    }
    free_.clear();
  }
};

struct Initiator : sc_module {
  tlm_utils::simple_initiator_socket<Initiator> sock{"sock"};
  explicit Initiator(sc_module_name n) : sc_module(n) {}
  // Blocking access; returns the latency seen (delay out - delay in).
  sc_time access(tlm::tlm_command cmd, uint64_t addr, uint8_t *data, unsigned len, sc_time at,
                 tlm::tlm_response_status *st = nullptr) {
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(addr);
    gp.set_data_ptr(data);
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    sc_time d = at;
    sock->b_transport(gp, d);
    if (st) *st = gp.get_response_status();
    return d - at;
  }
};

// An AT initiator that answers BEGIN_RESP with TLM_ACCEPTED and sends END_RESP later,
// as an initiator that needs time for each response may.
struct SlowAtInitiator : sc_module {
  tlm_utils::simple_initiator_socket<SlowAtInitiator> sock{"sock"};
  std::vector<std::pair<tlm::tlm_generic_payload *, sc_time>> resps;
  bool in_resp = false, overlap = false;
  sc_event got;
  explicit SlowAtInitiator(sc_module_name n) : sc_module(n) {
    sock.register_nb_transport_bw(this, &SlowAtInitiator::bw);
  }
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph, sc_time &) {
    if (ph != tlm::BEGIN_RESP) return tlm::TLM_ACCEPTED;
    if (in_resp) overlap = true;  // the response exclusion rule was broken
    in_resp = true;
    resps.emplace_back(&gp, sc_time_stamp());
    got.notify(SC_ZERO_TIME);
    return tlm::TLM_ACCEPTED;
  }
  void end_resp(tlm::tlm_generic_payload &gp) {
    in_resp = false;
    tlm::tlm_phase ph = tlm::END_RESP;
    sc_time d = SC_ZERO_TIME;
    BOOST_TEST(sock->nb_transport_fw(gp, ph, d) == tlm::TLM_COMPLETED);
  }
  void begin_req(tlm::tlm_generic_payload &gp) {
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    sc_time d = SC_ZERO_TIME;
    BOOST_TEST(sock->nb_transport_fw(gp, ph, d) == tlm::TLM_UPDATED);
    BOOST_TEST(ph == tlm::END_REQ);
  }
};

HbmParams params(const std::string &preset, RefreshMode rm) {
  HbmParams p;
  p.preset = preset;
  p.size_bytes = 256ull << 20;
  p.ctrl.refresh = rm;
  return p;
}

struct Bench {
  Hbm hbm3_lat{"hbm3_lat", params("HBM3", RefreshMode::None)};
  Hbm hbm2e_lat{"hbm2e_lat", params("HBM2E", RefreshMode::None)};
  Hbm hbm3_ref{"hbm3_ref", params("HBM3", RefreshMode::AllBank)};
  Hbm hbm3_bw{"hbm3_bw", params("HBM3", RefreshMode::AllBank)};
  Hbm hbm2e_bw{"hbm2e_bw", params("HBM2E", RefreshMode::AllBank)};
  Hbm hbm_ecc{"hbm_ecc", params("HBM3", RefreshMode::AllBank)};
  Hbm hbm_at{"hbm_at", params("HBM3", RefreshMode::None)};
  Initiator iblk{"iblk"};
  SlowAtInitiator slow{"slow"};
  Initiator i3{"i3"}, i2e{"i2e"}, iref{"iref"}, iecc{"iecc"}, icsr{"icsr"};
  AtInitiator at3{"at3"}, at2e{"at2e"};
  std::vector<std::unique_ptr<Initiator>> csr_ports;  // every CSR socket must be bound
  Bench() {
    iblk.sock.bind(hbm_at.tsock);
    slow.sock.bind(hbm_at.tsock);
    for (Hbm *h : {&hbm3_lat, &hbm2e_lat, &hbm3_ref, &hbm3_bw, &hbm2e_bw, &hbm_at}) {
      csr_ports.push_back(std::make_unique<Initiator>(sc_gen_unique_name("csr_port")));
      csr_ports.back()->sock.bind(h->csr().tsock);
    }
    i3.sock.bind(hbm3_lat.tsock);
    i2e.sock.bind(hbm2e_lat.tsock);
    iref.sock.bind(hbm3_ref.tsock);
    iecc.sock.bind(hbm_ecc.tsock);
    icsr.sock.bind(hbm_ecc.csr().tsock);
    at3.sock.bind(hbm3_bw.tsock);
    at2e.sock.bind(hbm2e_bw.tsock);
  }
};

Bench &bench() {
  static Bench b;
  return b;
}

uint32_t csr_read(uint32_t off) {
  uint32_t v = 0;
  tlm::tlm_response_status st;
  bench().icsr.access(tlm::TLM_READ_COMMAND, off, reinterpret_cast<uint8_t *>(&v), 4, SC_ZERO_TIME, &st);
  BOOST_REQUIRE(st == tlm::TLM_OK_RESPONSE);
  return v;
}
void csr_write(uint32_t off, uint32_t v) {
  tlm::tlm_response_status st;
  bench().icsr.access(tlm::TLM_WRITE_COMMAND, off, reinterpret_cast<uint8_t *>(&v), 4, SC_ZERO_TIME, &st);
  BOOST_REQUIRE(st == tlm::TLM_OK_RESPONSE);
}

}  // namespace

// ---- Presets and configuration ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(presets_are_consistent_and_peak_is_computed) {
  for (const auto &n : preset_names()) {
    const Preset p = preset_by_name(n);
    BOOST_TEST_CONTEXT(n) {
      validate(p);
      BOOST_TEST(!p.source.empty());
      BOOST_TEST(p.bytes_per_burst() == 32u);  // the ECC word of hbm.md
      // Peak = pins x rate; also = bytes per burst per burst duration, per PC.
      const double per_pc = double(p.bytes_per_burst()) / (p.burst_cycles() * p.tck_ps * 1e-12);
      BOOST_TEST(p.pc_peak_bytes_per_s() == per_pc, boost::test_tools::tolerance(1e-9));
    }
  }
  BOOST_TEST(preset_by_name("HBM3").peak_bytes_per_s() / 1e9 == 819.2, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(preset_by_name("HBM2E").peak_bytes_per_s() / 1e9 == 409.6, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(preset_by_name("HBM3").capacity_bytes() == 8ull << 30);
}

BOOST_AUTO_TEST_CASE(bad_configuration_gives_a_clear_error) {
  auto msg = [](auto fn) -> std::string {
    try {
      fn();
    } catch (const ConfigError &e) {
      return e.what();
    }
    return "no error";
  };
  BOOST_TEST(msg([] { preset_by_name("HBM4"); }) == "hbm: field 'preset': expected one of HBM3, HBM2E, got 'HBM4'");
  BOOST_TEST(msg([] {
               Preset p = preset_by_name("HBM3");
               preset_override(p, "tRC", "10");
               validate(p);
             }) == "hbm preset HBM3: field 'tRC': expected >= tRAS + tRP (71), got 10");
  BOOST_TEST(msg([] {
               Preset p = preset_by_name("HBM3");
               preset_override(p, "tRCDRD", "-3");
             }) == "hbm preset HBM3: field 'tRCDRD': expected a non-negative integer, got '-3'");
  BOOST_TEST(msg([] {
               Preset p = preset_by_name("HBM3");
               preset_override(p, "tXYZ", "3");
             }).rfind("hbm preset HBM3: unknown field 'tXYZ' (expected one of channels,", 0) == 0);
  BOOST_TEST(msg([] {
               Preset p = preset_by_name("HBM2E");
               preset_override(p, "rows", "1000");
               validate(p);
             }) == "hbm preset HBM2E: field 'rows': expected a power of two, got 1000");
  BOOST_TEST(msg([] { AddressMap m(preset_by_name("HBM3"), "PC BG CH BA CO"); }) ==
             "hbm: field 'mapping': field 'RO' has 0 of its 13 bits in \"PC BG CH BA CO\" (expected fields CH PC "
             "BG BA RO CO, each NAME or NAME:bits, low bit first)");
  BOOST_TEST(msg([] { AddressMap m(preset_by_name("HBM3"), "PC BG XX CH BA CO RO"); }).find("unknown field 'XX'") !=
             std::string::npos);
  BOOST_TEST(msg([] {
               AddressMap m(preset_by_name("HBM3"), "CO:9 PC BG CH BA RO");
             }).find("'CO:9' asks for 9 bits, 5 left") != std::string::npos);
  BOOST_TEST(msg([] {
               Ecc e(32, 1);
               e.set_rates(1.5, 0);
             }) == "hbm: field 'ce_rate': expected a probability in [0, 1], got 1.500000");
  BOOST_TEST(msg([] {
               ControllerOptions o;
               o.window = 0;
               Controller c(preset_by_name("HBM3"), o, nullptr);
             }) == "hbm: field 'window': expected a value > 0, got 0");
  // The module refuses a size beyond the preset's capacity (checked before any SystemC object).
  BOOST_TEST(msg([] {
               HbmParams p;
               p.size_bytes = 16ull << 30;
               Hbm h("too_big", p);
             }) ==
             "hbm: field 'size_bytes': expected at most the capacity of preset HBM3 (8589934592 bytes), got "
             "17179869184");
}

BOOST_AUTO_TEST_CASE(address_mapping_round_trips_and_interleaves) {
  for (const auto &n : preset_names()) {
    const Preset p = preset_by_name(n);
    const AddressMap m(p);
    BOOST_TEST_CONTEXT(n) {
      // Consecutive bursts go to the other pseudo-channel, then to other bank groups.
      const Coord a = m.decode(0), b = m.decode(32), c = m.decode(64);
      BOOST_TEST(a.pc == 0u);
      BOOST_TEST(b.pc == 1u);
      BOOST_TEST(c.bg == 1u);
      uint64_t x = 0x12345;
      for (int i = 0; i < 1000; ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        const uint64_t addr = (x >> 7) % p.capacity_bytes() & ~uint64_t(31);
        BOOST_TEST(m.encode(m.decode(addr)) == addr);
      }
    }
  }
  // A split field: one column bit first.
  const Preset p = preset_by_name("HBM3");
  const AddressMap m(p, "CO:1 PC BG CH BA CO RO");
  BOOST_TEST(m.decode(32).col == 1u);
  BOOST_TEST(m.decode(64).pc == 1u);
  BOOST_TEST((m.decode(m.encode(Coord{3, 1, 2, 1, 77, 9})) == Coord{3, 1, 2, 1, 77, 9}));
}

// ---- Controller timing ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(row_hit_miss_and_conflict_latencies_equal_the_preset_timing) {
  for (const auto &n : preset_names()) {
    const Preset p = preset_by_name(n);
    BOOST_TEST_CONTEXT(n) {
      Done d;
      Controller c(p, no_refresh(), d.fn());
      c.enqueue(rd(1, 2, 1, 5, 0, 100));  // closed bank: ACT + RD
      c.advance_through(999);
      c.enqueue(rd(2, 2, 1, 5, 1, 1000));  // open row: RD
      c.advance_through(1999);
      c.enqueue(rd(3, 2, 1, 6, 0, 2000));  // other row: PRE + ACT + RD
      c.advance_through(3000);
      BOOST_TEST(d.of(1) - 100 == miss_cycles(p));
      BOOST_TEST(d.of(2) - 1000 == hit_cycles(p));
      BOOST_TEST(d.of(3) - 2000 == conflict_cycles(p));
      BOOST_TEST(c.stats().row_misses == 1u);
      BOOST_TEST(c.stats().row_hits == 1u);
      BOOST_TEST(c.stats().row_conflicts == 1u);
      // The checker rejects a latency off by more than one clock.
      BOOST_TEST(latency_ok(d.of(2) - 1000, hit_cycles(p)));
      BOOST_TEST(!latency_ok(d.of(2) - 1000, hit_cycles(p) + 2));
      BOOST_TEST(!latency_ok(d.of(3) - 2000, miss_cycles(p)));
    }
  }
}

BOOST_AUTO_TEST_CASE(bank_group_and_activate_constraints_hold) {
  const Preset p = preset_by_name("HBM3");
  Done d;
  Controller c(p, no_refresh(), d.fn());
  // Six activates to different banks at once: tRRD_S apart across groups, tFAW for the 5th.
  for (unsigned i = 0; i < 6; ++i) c.enqueue(rd(10 + i, i, 0, 1, 0, 0));
  c.advance_through(500);
  std::vector<int64_t> acts;
  for (const auto &r : c.trace())
    if (r.cmd == Cmd::ACT) acts.push_back(r.cycle);
  BOOST_REQUIRE(acts.size() == 6u);
  for (size_t i = 1; i < acts.size(); ++i) BOOST_TEST(acts[i] - acts[i - 1] >= int64_t(p.tRRD_S));
  BOOST_TEST(acts[4] - acts[0] >= int64_t(p.tFAW));
  // Two reads in one bank group are tCCD_L apart, in different groups tCCD_S.
  std::vector<int64_t> rds;
  for (const auto &r : c.trace())
    if (r.cmd == Cmd::RD) rds.push_back(r.cycle);
  for (size_t i = 1; i < rds.size(); ++i) BOOST_TEST(rds[i] - rds[i - 1] >= int64_t(p.tCCD_S));
  Done d2;
  Controller c2(p, no_refresh(), d2.fn());
  c2.enqueue(rd(1, 3, 0, 1, 0, 0));
  c2.enqueue(rd(2, 3, 1, 1, 0, 0));  // same group, other bank
  c2.advance_through(500);
  std::vector<int64_t> r2;
  for (const auto &r : c2.trace())
    if (r.cmd == Cmd::RD) r2.push_back(r.cycle);
  BOOST_REQUIRE(r2.size() == 2u);
  BOOST_TEST(r2[1] - r2[0] >= int64_t(p.tCCD_L));
}

BOOST_AUTO_TEST_CASE(fr_fcfs_serves_a_row_hit_before_an_older_miss) {
  const Preset p = preset_by_name("HBM3");
  Done d;
  Controller c(p, no_refresh(), d.fn());
  c.enqueue(rd(1, 0, 0, 7, 0, 0));  // opens row 7
  c.advance_through(200);
  c.enqueue(rd(2, 0, 0, 9, 0, 300));  // older: row conflict
  c.enqueue(rd(3, 0, 0, 7, 1, 300));  // younger (same cycle, queued later): row hit
  c.advance_through(1000);
  BOOST_TEST(d.of(3) < d.of(2));
  BOOST_TEST(d.of(3) - 300 == hit_cycles(p));
  // FCFS order would serve 2 first: the check can fail.
  BOOST_TEST(!(d.of(2) < d.of(3)));
}

BOOST_AUTO_TEST_CASE(starvation_cap_bounds_bypassing) {
  const Preset p = preset_by_name("HBM3");
  for (unsigned cap : {2u, 8u}) {
    ControllerOptions o = no_refresh();
    o.starvation_cap = cap;
    Done d;
    Controller c(p, o, d.fn());
    c.enqueue(rd(1, 0, 0, 7, 0, 0));
    c.advance_through(200);
    c.enqueue(rd(2, 0, 0, 9, 0, 300));                                              // the miss, oldest
    for (unsigned i = 0; i < 20; ++i) c.enqueue(rd(100 + i, 0, 0, 7, 1 + i, 300));  // hits
    c.advance_through(5000);
    unsigned before = 0;
    for (unsigned i = 0; i < 20; ++i) before += d.of(100 + i) < d.of(2);
    BOOST_TEST_CONTEXT("cap " << cap) {
      BOOST_TEST(before == cap);
      BOOST_TEST(c.stats().max_bypassed == cap);
    }
  }
}

BOOST_AUTO_TEST_CASE(reads_and_writes_are_grouped_with_turnaround_gaps) {
  const Preset p = preset_by_name("HBM3");
  Done d;
  Controller c(p, no_refresh(), d.fn());
  // Open one row in two bank groups, then interleaved R/W hits arriving together.
  c.enqueue(rd(1, 0, 0, 1, 0, 0));
  c.enqueue(rd(2, 1, 0, 1, 0, 0));
  c.advance_through(300);
  for (unsigned i = 0; i < 8; ++i) {
    Burst b = rd(10 + i, i % 2, 0, 1, 1 + i, 400);
    b.write = (i % 2) == 1;
    c.enqueue(b);
  }
  c.advance_through(2000);
  // Grouping: one switch read -> write (the reads first, they were the current direction).
  BOOST_TEST(c.stats().turnarounds == 1u);
  int64_t last_rd = -1, first_wr = -1;
  for (const auto &r : c.trace()) {
    if (r.cycle < 400) continue;
    if (r.cmd == Cmd::RD) last_rd = r.cycle;
    if (r.cmd == Cmd::WR && first_wr < 0) first_wr = r.cycle;
  }
  BOOST_TEST(first_wr - last_rd >= int64_t(p.tRTW));
  // Write then read: tWTR after the write data.
  Done d2;
  Controller c2(p, no_refresh(), d2.fn());
  c2.enqueue(rd(1, 0, 0, 1, 0, 0));
  c2.advance_through(300);
  Burst w = rd(2, 0, 0, 1, 1, 400);
  w.write = true;
  c2.enqueue(w);
  c2.enqueue(rd(3, 0, 0, 1, 2, 401));
  c2.advance_through(2000);
  const int64_t wr_end = d2.of(2);
  const int64_t rd_issue = d2.of(3) - p.RL - p.burst_cycles();
  BOOST_TEST(rd_issue - wr_end >= int64_t(p.tWTR_L));
}

BOOST_AUTO_TEST_CASE(all_bank_refresh_every_trefi_blocks_banks_for_trfc) {
  for (const auto &n : preset_names()) {
    const Preset p = preset_by_name(n);
    BOOST_TEST_CONTEXT(n) {
      ControllerOptions o;
      o.trace = true;
      Done d;
      Controller c(p, o, d.fn());
      // A read arriving one cycle after the 3rd refresh waits for tRFC, then ACT + RD.
      const int64_t ref3 = 3 * int64_t(p.tREFI);
      c.enqueue(rd(1, 1, 1, 3, 0, 100));  // leaves a row open before the first refresh
      c.enqueue(rd(2, 4, 2, 5, 0, ref3 + 1));
      c.advance_through(8 * int64_t(p.tREFI) + 10);
      BOOST_TEST(c.stats().refreshes == 8u);
      BOOST_TEST(refresh_violation(c.trace(), p, 8 * int64_t(p.tREFI)) == "");
      BOOST_TEST(d.of(2) - (ref3 + 1) == int64_t(p.tRFC) - 1 + miss_cycles(p));
      // The checker finds a refresh at the wrong time and an ACT inside tRFC.
      std::vector<CmdRecord> bad = c.trace();
      for (auto &r : bad)
        if (r.cmd == Cmd::REFab && r.cycle >= ref3 && r.cycle <= ref3 + p.tRP) r.cycle = ref3 + p.tRP + 1;
      BOOST_TEST(refresh_violation(bad, p, 8 * int64_t(p.tREFI)) != "");
      bad = c.trace();
      for (auto &r : bad)
        if (r.cmd == Cmd::ACT && r.cycle > ref3) r.cycle = ref3 + p.tRFC - 1;
      BOOST_TEST(refresh_violation(bad, p, 8 * int64_t(p.tREFI)).find("inside tRFC") != std::string::npos);
      bad = c.trace();
      bad.pop_back();
      while (!bad.empty() && bad.back().cmd != Cmd::REFab) bad.pop_back();
      if (!bad.empty()) bad.pop_back();
      BOOST_TEST(refresh_violation(bad, p, 8 * int64_t(p.tREFI)).find("missing REFab") == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(per_bank_refresh_blocks_only_its_bank) {
  const Preset p = preset_by_name("HBM3");
  ControllerOptions o;
  o.refresh = RefreshMode::PerBank;
  o.trace = true;
  Done d;
  Controller c(p, o, d.fn());
  const int64_t t1 = p.tREFIpb();        // bank 0 refreshes here, bank 1 at 2 x tREFIpb
  c.enqueue(rd(1, 0, 0, 3, 0, t1 + 1));  // bank 0: waits tRFCpb
  c.enqueue(rd(2, 0, 1, 3, 0, t1 + 1));  // bank 1: free
  c.advance_through(t1 + 2000);
  BOOST_TEST(d.of(1) - (t1 + 1) == int64_t(p.tRFCpb) - 1 + miss_cycles(p));
  BOOST_TEST(d.of(2) - (t1 + 1) <= miss_cycles(p) + int64_t(p.tRREFD));
  // One bank every tREFI / banks, round robin (tRP later when the bank had a row open).
  unsigned refs = 0;
  for (const auto &r : c.trace()) {
    if (r.cmd != Cmd::REFpb) continue;
    const int64_t due = int64_t(p.tREFIpb()) * ++refs;
    BOOST_TEST((r.cycle == due || r.cycle == due + p.tRP));
    BOOST_TEST(r.bank == int((refs - 1) % p.banks()));
  }
  BOOST_TEST(refs == unsigned((t1 + 2000) / p.tREFIpb()));
}

BOOST_AUTO_TEST_CASE(random_reads_are_bounded_by_tfaw) {
  // One activate per 32 B read: at most 4 bursts per tFAW in a pseudo-channel (hbm.md).
  for (const auto &n : preset_names()) {
    const Preset p = preset_by_name(n);
    ControllerOptions o = no_refresh();
    o.page = PagePolicy::Closed;
    o.trace = false;
    Done d;
    Controller c(p, o, d.fn());
    uint64_t x = 99;
    const unsigned count = 4000;
    for (unsigned i = 0; i < count; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      c.enqueue(rd(i + 1, unsigned(x >> 33) % p.bank_groups, unsigned(x >> 40) % p.banks_per_group,
                   unsigned(x >> 45) % p.rows, unsigned(x >> 20) % p.columns, 0));
    }
    c.advance_through(int64_t(count) * p.tRC);
    BOOST_REQUIRE(d.v.size() == count);
    int64_t end = 0;
    for (const auto &e : d.v) end = std::max(end, e.second);
    const double per_cycle = double(count) / double(end), bound = 4.0 / p.tFAW;
    BOOST_TEST_MESSAGE(n << " random reads: " << per_cycle / bound * 100 << " % of the tFAW bound");
    BOOST_TEST_CONTEXT(n) {
      BOOST_TEST(per_cycle <= bound);
      BOOST_TEST(per_cycle >= 0.8 * bound);
      BOOST_TEST(c.stats().acts + c.stats().row_hits == count);  // a rare same-row pair shares its ACT
    }
  }
}

BOOST_AUTO_TEST_CASE(closed_page_precharges_after_the_access) {
  const Preset p = preset_by_name("HBM3");
  ControllerOptions o = no_refresh();
  o.page = PagePolicy::Closed;
  Done d;
  Controller c(p, o, d.fn());
  c.enqueue(rd(1, 0, 0, 3, 0, 0));
  c.advance_through(500);
  BOOST_TEST(c.open_row(0) == -1);
  c.enqueue(rd(2, 0, 0, 3, 1, 1000));  // same row, but closed: a miss, not a conflict
  c.advance_through(2000);
  BOOST_TEST(d.of(2) - 1000 == miss_cycles(p));
}

// ---- The TLM module ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tlm_blocking_latencies_equal_the_preset_timing) {
  Bench &b = bench();
  sc_start(SC_ZERO_TIME);
  for (auto *pair : {&b.i3, &b.i2e}) {
    Hbm &h = pair == &b.i3 ? b.hbm3_lat : b.hbm2e_lat;
    const Preset &p = h.preset();
    const int64_t phy = HbmParams().phy_delay_cycles;
    const AddressMap &m = h.address_map();
    uint8_t buf[32] = {};
    auto cycles = [&](sc_time t) { return int64_t(t.value() / h.tck().value()); };
    BOOST_TEST_CONTEXT(p.name) {
      const sc_time t0(1, SC_US), t1(2, SC_US), t2(3, SC_US);
      const uint64_t a = m.encode(Coord{1, 0, 2, 1, 40, 3});
      const uint64_t a_hit = m.encode(Coord{1, 0, 2, 1, 40, 4});
      const uint64_t a_conf = m.encode(Coord{1, 0, 2, 1, 41, 0});
      BOOST_TEST(latency_ok(cycles(pair->access(tlm::TLM_READ_COMMAND, a, buf, 32, t0)), miss_cycles(p) + phy));
      BOOST_TEST(latency_ok(cycles(pair->access(tlm::TLM_READ_COMMAND, a_hit, buf, 32, t1)), hit_cycles(p) + phy));
      BOOST_TEST(
          latency_ok(cycles(pair->access(tlm::TLM_READ_COMMAND, a_conf, buf, 32, t2)), conflict_cycles(p) + phy));
      const HbmStats s = h.stats();
      BOOST_TEST(s.row_hits == 1u);
      BOOST_TEST(s.row_misses == 1u);
      BOOST_TEST(s.row_conflicts == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(tlm_refresh_delays_a_read_by_the_rest_of_trfc) {
  Bench &b = bench();
  Hbm &h = b.hbm3_ref;
  const Preset &p = h.preset();
  const int64_t phy = HbmParams().phy_delay_cycles;
  // Arrive one cycle after the 5th refresh (the model's refresh is due at k x tREFI).
  const int64_t ref5 = 5 * int64_t(p.tREFI);
  const sc_time at = h.tck() * double(ref5 + 1) - sc_time_stamp();
  uint8_t buf[32];
  const sc_time lat = b.iref.access(tlm::TLM_READ_COMMAND, 0x1000, buf, 32, at);
  const int64_t cyc = int64_t(lat.value() / h.tck().value());
  BOOST_TEST(latency_ok(cyc, int64_t(p.tRFC) - 1 + miss_cycles(p) + phy));
  // Refresh is caught up lazily: the accessed pseudo-channel has done five.
  const Coord c = h.address_map().decode(0x1000);
  BOOST_TEST(h.controller(c.ch, c.pc).stats().refreshes == 5u);
}

BOOST_AUTO_TEST_CASE(sequential_reads_reach_90_percent_of_peak) {
  Bench &b = bench();
  for (auto *ini : {&b.at3, &b.at2e}) {
    Hbm &h = ini == &b.at3 ? b.hbm3_bw : b.hbm2e_bw;
    const Preset &p = h.preset();
    // Ten refresh intervals of traffic at peak rate, 2 KiB per transaction.
    const unsigned len = 2048;
    const double secs = 10 * p.tREFI * p.tck_ps * 1e-12;
    const uint64_t count = uint64_t(p.peak_bytes_per_s() * secs / len);
    sc_spawn([ini, count] { ini->stream(len, 256, count); });
    sc_start();
    const double bw = double(ini->bytes) / (ini->last_resp - ini->first_req).to_seconds();
    BOOST_TEST_MESSAGE(p.name << ": " << bw / 1e9 << " GB/s of " << p.peak_bytes_per_s() / 1e9 << " GB/s peak ("
                              << 100.0 * bw / p.peak_bytes_per_s() << " %), " << h.stats().refreshes
                              << " refreshes, row-hit rate " << h.stats().row_hit_rate());
    BOOST_TEST_CONTEXT(p.name) {
      BOOST_TEST(ini->done == count);
      BOOST_TEST(h.stats().refreshes >= 9u * p.pcs_total());
      BOOST_TEST(bandwidth_ok(bw, p));
      // The checker rejects the refresh-free bound minus 15 %.
      BOOST_TEST(!bandwidth_ok(0.85 * p.peak_bytes_per_s(), p));
    }
    h.print_stats(std::cout);
    const std::string js = h.stats_json();
    BOOST_TEST(js.find("\"row_hit_rate\": ") != std::string::npos);
    BOOST_TEST(js.find("\"histogram\": {\"") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(at_and_blocking_paths_agree_on_data_and_latency) {
  Bench &b = bench();
  Hbm &h = b.hbm_at;
  const Preset &p = h.preset();
  const int64_t phy = HbmParams().phy_delay_cycles;
  uint8_t pattern[64], got[4][64];
  for (int i = 0; i < 64; ++i) pattern[i] = uint8_t(i * 7 + 1);
  tlm::tlm_response_status st;
  b.iblk.access(tlm::TLM_WRITE_COMMAND, 0x2000, pattern, 64, SC_ZERO_TIME, &st);
  BOOST_TEST(st == tlm::TLM_OK_RESPONSE);
  sc_time req_at, lat0;
  tlm::tlm_generic_payload gps[4];
  sc_spawn([&] {
    // One read alone (the write opened its rows, so it is a row hit), then three at once.
    wait(sc_time(1, SC_US));
    for (int k = 0; k < 4; ++k) {
      gps[k].set_command(tlm::TLM_READ_COMMAND);
      gps[k].set_address(0x2000);
      gps[k].set_data_ptr(got[k]);
      gps[k].set_data_length(64);
      gps[k].set_streaming_width(64);
    }
    req_at = sc_time_stamp();
    b.slow.begin_req(gps[0]);
    wait(b.slow.got);
    lat0 = sc_time_stamp() - req_at;
    wait(sc_time(10, SC_NS));
    b.slow.end_resp(gps[0]);
    // Three at once; each response waits for the previous END_RESP.
    for (int k = 1; k < 4; ++k) b.slow.begin_req(gps[k]);
    while (b.slow.resps.size() < 4) {
      wait(b.slow.got);
      wait(sc_time(20, SC_NS));
      b.slow.end_resp(*b.slow.resps.back().first);
    }
  });
  sc_start();
  BOOST_TEST(!b.slow.overlap);
  BOOST_REQUIRE(b.slow.resps.size() == 4u);
  for (int k = 0; k < 4; ++k) {
    BOOST_TEST(gps[k].is_response_ok());
    BOOST_TEST(std::memcmp(got[k], pattern, 64) == 0);
  }
  // The write opened both rows: the AT read is a row hit, as through b_transport.
  BOOST_TEST(latency_ok(int64_t(lat0.value() / h.tck().value()), hit_cycles(p) + phy));
  for (int k = 2; k < 4; ++k) BOOST_TEST(b.slow.resps[k].second - b.slow.resps[k - 1].second >= sc_time(20, SC_NS));
  // The same read through b_transport now: also a hit, same latency.
  uint8_t blk[64];
  const sc_time lb = b.iblk.access(tlm::TLM_READ_COMMAND, 0x2000, blk, 64, SC_ZERO_TIME, &st);
  BOOST_TEST(std::memcmp(blk, pattern, 64) == 0);
  BOOST_TEST(lb == lat0);
}

BOOST_AUTO_TEST_CASE(ecc_corrects_single_bit_and_reports_double_bit_errors) {
  Bench &b = bench();
  Hbm &h = b.hbm_ecc;
  uint8_t data[64], back[64];
  for (int i = 0; i < 64; ++i) data[i] = uint8_t(0xA0 + i);
  tlm::tlm_response_status st;
  b.iecc.access(tlm::TLM_WRITE_COMMAND, 0x4000, data, 64, SC_ZERO_TIME, &st);
  BOOST_TEST(st == tlm::TLM_OK_RESPONSE);
  csr_write(HBM_CSR_ECC_INT_ENABLE, HBM_CSR_ECC_INT_ENABLE_UE_MASK);

  // Corrected: data right, counted, status OK, no interrupt (only UE enabled).
  h.inject_error(0x4008, 1);
  b.iecc.access(tlm::TLM_READ_COMMAND, 0x4000, back, 64, SC_ZERO_TIME, &st);
  BOOST_TEST(st == tlm::TLM_OK_RESPONSE);
  BOOST_TEST(std::memcmp(back, data, 64) == 0);
  BOOST_TEST(csr_read(HBM_CSR_ECC_CE_COUNT) == 1u);
  BOOST_TEST(csr_read(HBM_CSR_ECC_ERR_ADDR_LO) == 0x4000u);
  BOOST_TEST(csr_read(HBM_CSR_ECC_ERR_INFO) == HBM_CSR_ECC_ERR_INFO_VALID_MASK);
  BOOST_TEST(!h.irq());
  // One-shot: the next read is clean.
  b.iecc.access(tlm::TLM_READ_COMMAND, 0x4000, back, 64, SC_ZERO_TIME, &st);
  BOOST_TEST(csr_read(HBM_CSR_ECC_CE_COUNT) == 1u);

  // Uncorrectable through the CSR injection command: error response, poisoned word,
  // counted, address logged, interrupt raised.
  csr_write(HBM_CSR_ECC_INJ_ADDR_LO, 0x4020);
  csr_write(HBM_CSR_ECC_INJ_CTRL, HBM_CSR_ECC_INJ_CTRL_GO_MASK | HBM_CSR_ECC_INJ_CTRL_UE_MASK);
  b.iecc.access(tlm::TLM_READ_COMMAND, 0x4000, back, 64, SC_ZERO_TIME, &st);
  BOOST_TEST(st == tlm::TLM_GENERIC_ERROR_RESPONSE);
  BOOST_TEST(std::memcmp(back, data, 32) == 0);
  BOOST_TEST(back[32] != data[32]);
  BOOST_TEST(csr_read(HBM_CSR_ECC_UE_COUNT) == 1u);
  BOOST_TEST(csr_read(HBM_CSR_ECC_ERR_ADDR_LO) == 0x4020u);
  BOOST_TEST(csr_read(HBM_CSR_ECC_ERR_INFO) == (HBM_CSR_ECC_ERR_INFO_VALID_MASK | HBM_CSR_ECC_ERR_INFO_UE_MASK));
  BOOST_TEST(csr_read(HBM_CSR_ECC_STATUS) == (HBM_CSR_ECC_STATUS_CE_MASK | HBM_CSR_ECC_STATUS_UE_MASK));
  BOOST_TEST(h.irq());
  csr_write(HBM_CSR_ECC_STATUS, HBM_CSR_ECC_STATUS_UE_MASK);  // W1C
  BOOST_TEST(!h.irq());
  csr_write(HBM_CSR_ECC_UE_COUNT, 0);
  BOOST_TEST(csr_read(HBM_CSR_ECC_UE_COUNT) == 0u);

  // Persistent fault: every read; a write does not clear it.
  h.inject_error(0x4000, 1, true);
  for (int i = 0; i < 3; ++i) b.iecc.access(tlm::TLM_READ_COMMAND, 0x4000, back, 32, SC_ZERO_TIME, &st);
  b.iecc.access(tlm::TLM_WRITE_COMMAND, 0x4000, data, 32, SC_ZERO_TIME, &st);
  b.iecc.access(tlm::TLM_READ_COMMAND, 0x4000, back, 32, SC_ZERO_TIME, &st);
  BOOST_TEST(csr_read(HBM_CSR_ECC_CE_COUNT) == 5u);
  h.ecc().clear_faults();

  // With ECC off the flipped bit reaches the data unreported: the data check can fail.
  csr_write(HBM_CSR_ECC_CTRL, 0);
  h.inject_error(0x4000, 1);
  b.iecc.access(tlm::TLM_READ_COMMAND, 0x4000, back, 32, SC_ZERO_TIME, &st);
  BOOST_TEST(st == tlm::TLM_OK_RESPONSE);
  BOOST_TEST(std::memcmp(back, data, 32) != 0);
  BOOST_TEST(csr_read(HBM_CSR_ECC_CE_COUNT) == 5u);
  csr_write(HBM_CSR_ECC_CTRL, 1);

  // The backdoor sees the stored (correct) data and no ECC.
  h.inject_error(0x4000, 2, true);
  h.backdoor_read(0x4000, back, 64);
  BOOST_TEST(std::memcmp(back, data, 64) == 0);
  h.ecc().clear_faults();
  // CSR identity.
  BOOST_TEST(csr_read(HBM_CSR_ID) == HBM_CSR_ID_RESET);
  BOOST_TEST((csr_read(HBM_CSR_GEOMETRY) >> HBM_CSR_GEOMETRY_BURST_BYTES_SHIFT) == 32u);
  BOOST_TEST(csr_read(HBM_CSR_MEM_SIZE) == 256u);
  BOOST_TEST(csr_read(HBM_CSR_STAT_RD_BURSTS) == uint32_t(h.stats().read_bursts));
  // The refresh counter includes the refreshes idle pseudo-channels owe up to now.
  const uint32_t refs = csr_read(HBM_CSR_STAT_REFRESHES);
  BOOST_TEST(refs == uint32_t(h.stats().refreshes));
  BOOST_TEST(refs >= uint32_t((sc_time_stamp() / (h.tck() * double(h.preset().tREFI))) - 1) * h.controllers());
}

BOOST_AUTO_TEST_CASE(ecc_rate_injection_is_seeded) {
  auto run = [](uint64_t seed) {
    Ecc e(32, seed);
    e.set_rates(0.1, 0.01);
    std::vector<unsigned> v;
    for (uint64_t w = 0; w < 20000; ++w) v.push_back(e.read_word(w * 32));
    return v;
  };
  const auto a = run(7), b = run(7), c = run(8);
  BOOST_TEST(a == b);
  BOOST_TEST(a != c);
  unsigned ce = 0, ue = 0;
  for (unsigned x : a) (x == 1 ? ce : x == 2 ? ue : ce) += x != 0;
  BOOST_TEST(ce > 1700u);
  BOOST_TEST(ce < 2300u);
  BOOST_TEST(ue > 120u);
  BOOST_TEST(ue < 290u);
}
