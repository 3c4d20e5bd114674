#include "ncv/link/link_model.h"

#include <stdexcept>

namespace ncv::link {

LinkModel::LinkModel(uint64_t run_seed, const std::string &path, const LinkKnobs &k)
    : path_(path), knobs_(k), rng_(run_seed, path) {
  if (k.delay == 0) throw std::invalid_argument("LinkModel " + path + ": delay must be >= 1");
  flush();
}

void LinkModel::flush() {
  line_.assign(knobs_.delay - 1, Flit{});
  burst_left_ = 0;
  frame_damaged_ = false;
  force_this_frame_ = false;
}

unsigned LinkModel::in_flight() const {
  unsigned n = 0;
  for (const auto &f : line_) n += f.valid;
  return n;
}

bool LinkModel::targeted(const Flit &f) const {
  switch (knobs_.target) {
    case Target::kAll: return true;
    case Target::kControlOnly: return f.kind == 0;
    case Target::kAckOnly: return f.kind == 0 && f.ctl_type() == kAck;
  }
  return true;
}

void LinkModel::flip(Flit &f, unsigned bit) {
  f.w[bit / 32] ^= 1u << (bit % 32);
  ++counts_.bits_flipped;
}

void LinkModel::note_damage(const Flit &f, bool dropped) {
  if (f.kind == 0) {
    ++(dropped ? counts_.dropped_ctl : counts_.corrupted_ctl);
    switch (f.ctl_type()) {
      case kAck: ++counts_.damaged_ack; break;
      case kNak: ++counts_.damaged_nak; break;
      case kCredit: ++counts_.damaged_credit; break;
      case kInit: ++counts_.damaged_init; break;
      case kRetrain: ++counts_.damaged_retrain; break;
      default: break;
    }
  } else {
    ++(dropped ? counts_.dropped_pkt : counts_.corrupted_pkt);
    frame_damaged_ = true;
  }
}

Flit LinkModel::step(const Flit &in) {
  Flit f = in;
  if (f.valid) {
    ++counts_.flits;
    ++(f.kind == 0 ? counts_.ctl_flits : counts_.pkt_flits);
    if (f.kind == 1) {
      frame_damaged_ = false;
      force_this_frame_ = force_frames_ > 0;
      if (force_this_frame_) --force_frames_;
    }
    // Directed corruption: the header (len 0) or first data flit of a forced frame.
    if (force_this_frame_ && (f.kind == 2 || f.kind == 1)) {
      flip(f, 40 + static_cast<unsigned>(rng_.range(0, 63)));
      note_damage(f, false);
      ++counts_.forced;
      force_this_frame_ = false;
    } else if (knobs_.enabled && targeted(f)) {
      // Draws happen only for targeted flits, so the numbers depend on the traffic alone.
      bool dropped = false, hit = false;
      if (burst_left_ == 0 && knobs_.burst > 0 && rng_.chance(knobs_.burst)) {
        burst_left_ = static_cast<unsigned>(rng_.range(1, knobs_.burst_len));
        ++counts_.bursts;
      }
      if (burst_left_ > 0) {
        --burst_left_;
        const unsigned n = static_cast<unsigned>(rng_.range(1, 16));
        const unsigned start = static_cast<unsigned>(rng_.range(0, 128 - n));
        for (unsigned b = 0; b < n; ++b) flip(f, start + b);
        hit = true;
      } else if (knobs_.drop > 0 && rng_.chance(knobs_.drop)) {
        dropped = true;
      } else if (knobs_.ber > 0 && rng_.chance(knobs_.ber)) {
        const unsigned n = static_cast<unsigned>(rng_.range(1, 3));
        unsigned bits[3] = {0, 0, 0};
        for (unsigned i = 0; i < n; ++i) {
          unsigned b;
          bool again;
          do {  // distinct bits, so a flip never undoes another
            b = static_cast<unsigned>(rng_.range(0, 127));
            again = false;
            for (unsigned j = 0; j < i; ++j) again |= bits[j] == b;
          } while (again);
          bits[i] = b;
          flip(f, b);
        }
        hit = true;
      }
      if (dropped || hit) note_damage(in, dropped);
      if (dropped) f.valid = false;
    }
    if (in.kind == 3) {
      ++counts_.frames;
      if (frame_damaged_) ++counts_.damaged_frames;
      frame_damaged_ = false;
    }
  }
  line_.push_back(f);
  Flit out = line_.front();
  line_.pop_front();
  return out;
}

}  // namespace ncv::link
