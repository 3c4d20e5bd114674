// The NSP switch testbench (docs/switch.md "Testbench"): NPORTS endpoints, each joined to
// its switch port by two link models (one per direction), traffic generators on every
// endpoint, random backpressure, routing-table changes, retrain and reset under traffic,
// a scoreboard for exactly-once delivery, integrity, poison, order and error responses,
// a progress watchdog, credit and counter checks at quiescence, functional coverage.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ncv/link/link_model.h"
#include "ncv/tb/coverage.h"
#include "ncv/tb/log.h"
#include "ncv/tb/rng.h"
#include "nsp_switch_regs.h"

namespace ncv::tbsw {

using Flit128 = std::array<uint32_t, 4>;
constexpr unsigned kNvc = 4;
constexpr unsigned kBuf = 34;    // an endpoint's ingress buffer per VC (nsp_pkg::DEF_BUF_FLITS)
constexpr unsigned kSwBuf = 136;  // a switch port's ingress buffer per VC (nsp_pkg::SW_BUF_FLITS)

enum class Pattern { kUniform, kIncast, kTranspose, kHotspot };

struct SwKnobs {
  uint64_t seed = 1;
  unsigned packets = 200;         // per endpoint
  double load = 0.3;              // new packets per endpoint and cycle (probability)
  Pattern pattern = Pattern::kUniform;
  bool mixed_patterns = false;    // change pattern every phase
  double burst_traffic = 0.2;     // probability of a back-to-back burst of 2..8 packets
  link::LinkKnobs link;           // every link
  double backpressure = 0.05;     // probability per cycle that an endpoint stalls a while
  double poison = 0.05;
  double invalid_dst = 0.0;       // packets to ids with no valid route
  double ttl0 = 0.0;              // packets with ttl 0 (expire at the switch)
  unsigned route_changes = 0;     // shadow-bank swaps under traffic
  unsigned retrains = 0;          // retrains under traffic (random side and port)
  unsigned resets = 0;            // fabric resets under traffic
  unsigned forced_frames = 0;     // directed corruptions per link direction
  bool credit_ignore_test = false;
  bool sva_strict = false;        // keep the credit assertions on where credit is ignored
  unsigned sb_inject_at = 0;      // corrupt the n-th delivery before the scoreboard (0 = off)
  unsigned sb_reorder_at = 0;     // from the n-th delivery, swap two of one stream before the scoreboard
  unsigned degrade_frames = 0;    // directed: corrupt this many frames switch -> endpoint 0 (DEGRADED)
  bool csr_test = false;          // sw_csr: the register map check (sw_csr.cpp) instead of traffic
  uint32_t csr_offset = 0;        // sw_csr: add this to every register address (negative test)
  uint64_t max_cycles = 400000;
  uint64_t watchdog = 20000;
  std::string waves;
};

struct Expect;

class SwitchTb {
 public:
  SwitchTb(unsigned nports, const SwKnobs &k, tb::CoverageDb &cov);
  ~SwitchTb();
  // Runs the test; returns the number of problems found.
  unsigned run();
  uint64_t cycles() const { return cycle_; }
  std::map<std::string, std::string> stats;  // for result.json

 private:
  struct Impl;
  struct SvaStop {};  // thrown by cycle() after a failed bound assertion
  unsigned run_checked();
  // Clocking.
  void cycle();
  void reset_fabric();
  void bare_reset();  // reset, no routes programmed, links disabled
  bool bring_up();
  // Stimulus.
  void generate();
  void make_packet(unsigned src, unsigned dst_ep, int forced_vc);
  unsigned pick_dst(unsigned src);
  void route_change();
  // Checking.
  void deliver(unsigned ep, unsigned vc, const std::vector<Flit128> &flits);
  void deliver_checked(unsigned ep, unsigned vc, const std::vector<Flit128> &flits);
  void watch_degraded();
  unsigned check_degraded();
  bool quiescent() const;
  unsigned drain_and_check();
  unsigned check_counters();
  unsigned csr_check();  // sw_csr.cpp
  void sample_coverage_end();
  // Registers.
  void csr_write(uint32_t addr, uint32_t v);   // queued, one per cycle
  uint32_t csr_read(uint32_t addr);             // combinational
  uint32_t ep_cnt(unsigned ep, unsigned idx);
  uint32_t sw_cnt(unsigned port, unsigned idx) { return csr_read(NSP_SWITCH_PORT_LINK_CNT(port, idx)); }

  unsigned n_;
  SwKnobs k_;
  tb::CoverageDb &cov_;
  tb::Log &log_;
  tb::Rng rng_;
  std::unique_ptr<Impl> impl_;
  uint64_t cycle_ = 0;
  unsigned problems_ = 0;
};

}  // namespace ncv::tbsw
