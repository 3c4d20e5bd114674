// NSP link model (docs/switch.md "Link model"): carries the flits of one direction of an
// nsp_link pair with a fixed delay and injects errors: per-flit bit errors, dropped flits,
// burst errors, optionally restricted to control flits or to ACK control flits. Plain
// C++17 (the --cc testbench calls step() once per clock); every random choice comes from
// an ncv::tb::Rng seeded with (run seed, component path). Counts everything it injects so
// the testbench can reconcile the RTL's error counters with it.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>

#include "ncv/tb/rng.h"

namespace ncv::link {

// One flit on the wire: valid, kind (nsp_pkg::kind_e: 0 control, 1 header, 2 data,
// 3 trailer) and 128 data bits as four 32-bit words, word 0 = bits 31:0.
struct Flit {
  bool valid = false;
  uint8_t kind = 0;
  std::array<uint32_t, 4> w{};
  // Control-flit type (bits 127:124).
  unsigned ctl_type() const { return w[3] >> 28; }
};

enum CtlType : unsigned { kIdle = 0, kAck = 1, kNak = 2, kCredit = 3, kInit = 4, kRetrain = 5 };

enum class Target { kAll, kControlOnly, kAckOnly };

struct LinkKnobs {
  unsigned delay = 4;          // cycles from TX register to RX input (>= 1)
  double ber = 0.0;            // probability that a flit gets 1..3 flipped bits
  double drop = 0.0;           // probability that a flit is lost
  double burst = 0.0;          // probability that a burst starts at a flit
  unsigned burst_len = 4;      // flits hit by a burst (1..burst_len), each 1..16 adjacent bits
  Target target = Target::kAll;
  bool enabled = true;         // false: an ideal wire (knobs ignored)
};

struct LinkCounts {
  uint64_t flits = 0, ctl_flits = 0, pkt_flits = 0;
  uint64_t corrupted_ctl = 0, dropped_ctl = 0;        // control flits damaged
  uint64_t corrupted_pkt = 0, dropped_pkt = 0;        // packet flits damaged
  uint64_t damaged_ack = 0, damaged_nak = 0, damaged_credit = 0, damaged_init = 0, damaged_retrain = 0;
  uint64_t bursts = 0, bits_flipped = 0;
  uint64_t frames = 0, damaged_frames = 0;            // by trailers seen at the input
  uint64_t forced = 0;                                // directed corruptions (corrupt_frame)
  uint64_t damaged_ctl() const { return corrupted_ctl + dropped_ctl; }
};

class LinkModel {
 public:
  LinkModel(uint64_t run_seed, const std::string &path, const LinkKnobs &k);

  // One clock: takes the flit the TX side registered this cycle and returns the flit the
  // RX side sees this cycle (the one sent `delay` cycles earlier, possibly damaged).
  Flit step(const Flit &in);
  // Empties the wire (fabric reset).
  void flush();
  // Directed error: damages one bit of the next n packet frames' first data (or header)
  // flit that enters the wire.
  void corrupt_next_frames(unsigned n) { force_frames_ += n; }
  // Error injection on or off (knobs kept).
  void set_enabled(bool on) { knobs_.enabled = on; }
  LinkKnobs &knobs() { return knobs_; }
  const LinkCounts &counts() const { return counts_; }
  // Flits on the wire (valid ones).
  unsigned in_flight() const;
  // Flits the wire holds between two steps (delay - 1 after a flush).
  unsigned depth() const { return unsigned(line_.size()); }
  const std::string &path() const { return path_; }

 private:
  bool targeted(const Flit &f) const;
  void flip(Flit &f, unsigned bit);
  void note_damage(const Flit &f, bool dropped);

  std::string path_;
  LinkKnobs knobs_;
  tb::Rng rng_;
  std::deque<Flit> line_;
  LinkCounts counts_;
  unsigned burst_left_ = 0;
  unsigned force_frames_ = 0;
  bool frame_damaged_ = false, force_this_frame_ = false;
};

}  // namespace ncv::link
