#include "ncv/hbm/controller.h"

#include <algorithm>
#include <stdexcept>

namespace ncv::hbm {

const char *cmd_name(Cmd c) {
  switch (c) {
    case Cmd::ACT: return "ACT";
    case Cmd::PRE: return "PRE";
    case Cmd::RD: return "RD";
    case Cmd::WR: return "WR";
    case Cmd::REFab: return "REFab";
    case Cmd::REFpb: return "REFpb";
  }
  return "?";
}

Controller::Controller(const Preset &p, const ControllerOptions &o, DoneFn done)
    : p_(p),
      o_(o),
      done_(std::move(done)),
      banks_(p.banks()),
      last_act_bg_(p.bank_groups, kNever),
      last_col_bg_(p.bank_groups, kNever),
      last_wr_end_bg_(p.bank_groups, kNever),
      hit_(p.banks()),
      claimed_(p.banks()),
      bg_rd_(p.bank_groups),
      bg_wr_(p.bank_groups) {
  if (o_.window == 0) throw ConfigError("hbm: field 'window': expected a value > 0, got 0");
  if (o_.starvation_cap == 0) throw ConfigError("hbm: field 'starvation_cap': expected a value > 0, got 0");
  next_ref_ = o_.refresh == RefreshMode::AllBank ? p_.tREFI : o_.refresh == RefreshMode::PerBank ? p_.tREFIpb() : kIdle;
}

void Controller::enqueue(Burst b) {
  b.arrival = std::max(b.arrival, now_);
  Req r{b, b.bg * p_.banks_per_group + b.ba, seq_++};
  // Keep the queue in arrival order (ties: enqueue order), so the front is the oldest.
  auto it = std::upper_bound(q_.begin(), q_.end(), b.arrival, [](int64_t a, const Req &x) { return a < x.b.arrival; });
  q_.insert(it, r);
  ++per_tag_[b.tag];
  next_cache_ = -1;
}

int64_t Controller::act_earliest(unsigned b) const {
  const Bank &k = banks_[b];
  const unsigned bg = b / p_.banks_per_group;
  int64_t t = std::max({k.act_ok, k.t_act + p_.tRC, last_act_bg_[bg] + p_.tRRD_L, last_act_ + p_.tRRD_S,
                        faw_[faw_pos_] + p_.tFAW, row_bus_, refpb_act_ok_});
  return t;
}

int64_t Controller::pre_earliest(unsigned b) const {
  const Bank &k = banks_[b];
  return std::max({k.t_act + p_.tRAS, k.t_rd + p_.tRTP, k.t_wr + p_.WL + p_.burst_cycles() + p_.tWR, row_bus_});
}

Controller::Decision Controller::scan(int64_t c) {
  Decision d;
  auto row_cand = [&](int idx, Cmd cmd, int bank, int64_t t) {
    if (t > c)
      d.next = std::min(d.next, t);
    else if (!d.row.valid)
      d.row = {true, idx, cmd, bank};
  };
  const bool refab = o_.refresh == RefreshMode::AllBank && c >= next_ref_;
  const int refpb = o_.refresh == RefreshMode::PerBank && c >= next_ref_ ? int(rr_bank_) : -1;
  if (o_.refresh != RefreshMode::None && c < next_ref_) d.next = std::min(d.next, next_ref_);

  if (refab) {
    // Precharge every open bank, then refresh all of them; requests wait.
    bool all_closed = true;
    int64_t ref_t = row_bus_;
    for (unsigned b = 0; b < banks_.size(); ++b) {
      if (banks_[b].open) {
        all_closed = false;
        row_cand(-1, Cmd::PRE, int(b), pre_earliest(b));
      } else {
        ref_t = std::max({ref_t, banks_[b].act_ok, banks_[b].t_act + p_.tRC});
      }
    }
    if (all_closed) row_cand(-1, Cmd::REFab, -1, ref_t);
    return d;
  }
  if (refpb >= 0) {
    const Bank &k = banks_[refpb];
    if (k.open)
      row_cand(-1, Cmd::PRE, refpb, pre_earliest(refpb));
    else
      row_cand(-1, Cmd::REFpb, refpb, std::max({k.act_ok, k.t_act + p_.tRC, row_bus_}));
  }

  // The window: the oldest requests that have arrived.
  const size_t n = std::min<size_t>(q_.size(), o_.window);
  size_t arrived = 0;
  bool reads = false, writes = false;
  std::fill(hit_.begin(), hit_.end(), 0);
  std::fill(claimed_.begin(), claimed_.end(), 0);
  for (; arrived < n && q_[arrived].b.arrival <= c; ++arrived) {
    const Req &r = q_[arrived];
    (r.b.write ? writes : reads) = true;
    if (banks_[r.bank].open && banks_[r.bank].row == r.b.row) hit_[r.bank] = 1;
  }
  if (arrived < q_.size() && arrived < n) d.next = std::min(d.next, q_[arrived].b.arrival);
  if (arrived == 0) return d;
  // The bank-group and pseudo-channel parts of the column constraints, once per scan.
  for (unsigned g = 0; g < p_.bank_groups; ++g) {
    const int64_t ccd = std::max<int64_t>({last_col_bg_[g] + p_.tCCD_L, last_col_ + p_.tCCD_S, col_bus_});
    bg_rd_[g] = std::max<int64_t>({ccd, last_wr_end_bg_[g] + p_.tWTR_L, last_wr_end_ + p_.tWTR_S});
    bg_wr_[g] = std::max<int64_t>(ccd, last_rd_ + p_.tRTW);
  }

  // Starvation cap: the oldest request, once bypassed often enough, goes first: its
  // direction is chosen and its bank serves nobody else until it is done.
  const bool urgent = q_[0].bypassed >= o_.starvation_cap;
  bool want_write = dir_write_;
  if (urgent)
    want_write = q_[0].b.write;
  else if (dir_write_ && !writes)
    want_write = false;
  else if (!dir_write_ && !reads)
    want_write = true;

  for (size_t i = 0; i < arrived; ++i) {
    const Req &r = q_[i];
    const unsigned b = r.bank;
    if (int(b) == refpb) continue;
    if (urgent && i != 0 && b == q_[0].bank && r.b.row != q_[0].b.row) continue;
    const Bank &k = banks_[b];
    if (k.open && k.row == r.b.row) {
      if (r.b.write != want_write) continue;
      const int64_t t = r.b.write ? std::max<int64_t>(k.t_act + p_.tRCDWR, bg_wr_[b / p_.banks_per_group])
                                  : std::max<int64_t>(k.t_act + p_.tRCDRD, bg_rd_[b / p_.banks_per_group]);
      if (t <= c) {
        if (!d.col.valid) d.col = {true, int(i), r.b.write ? Cmd::WR : Cmd::RD, int(b)};
      } else {
        d.next = std::min(d.next, t);
      }
      continue;
    }
    if (claimed_[b]) continue;
    claimed_[b] = 1;
    if (k.open) {
      // Row hits first: leave the row open while an arrived request still hits it.
      if (hit_[b] && !(urgent && i == 0)) continue;
      row_cand(int(i), Cmd::PRE, int(b), pre_earliest(b));
    } else {
      row_cand(int(i), Cmd::ACT, int(b), act_earliest(b));
    }
  }
  return d;
}

void Controller::record(int64_t c, Cmd cmd, int bank, unsigned row, uint64_t tag) {
  if (o_.trace) trace_.push_back({c, cmd, bank, row, tag});
}

void Controller::do_act(unsigned b, unsigned row, int64_t c, uint64_t tag) {
  Bank &k = banks_[b];
  k.open = true;
  k.row = row;
  k.t_act = c;
  last_act_bg_[b / p_.banks_per_group] = c;
  last_act_ = c;
  faw_[faw_pos_] = c;
  faw_pos_ = (faw_pos_ + 1) % 4;
  row_bus_ = c + 1;
  ++st_.acts;
  record(c, Cmd::ACT, int(b), row, tag);
}

void Controller::do_pre(unsigned b, int64_t c, uint64_t tag) {
  Bank &k = banks_[b];
  k.open = false;
  k.act_ok = std::max(k.act_ok, c + p_.tRP);
  row_bus_ = c + 1;
  ++st_.pres;
  record(c, Cmd::PRE, int(b), k.row, tag);
}

void Controller::do_col(size_t idx, int64_t c) {
  Req r = q_[idx];
  Bank &k = banks_[r.bank];
  const unsigned bg = r.bank / p_.banks_per_group;
  const unsigned burst = p_.burst_cycles();
  int64_t done;
  if (any_col_ && last_col_write_ != r.b.write) ++st_.turnarounds;
  any_col_ = true;
  last_col_write_ = r.b.write;
  dir_write_ = r.b.write;
  if (r.b.write) {
    k.t_wr = c;
    done = c + p_.WL + burst;
    last_wr_end_bg_[bg] = done;
    last_wr_end_ = done;
    ++st_.writes;
  } else {
    k.t_rd = c;
    last_rd_ = c;
    done = c + p_.RL + burst;
    ++st_.reads;
  }
  last_col_bg_[bg] = c;
  last_col_ = c;
  col_bus_ = c + 1;
  st_.data_cycles += burst;
  if (r.kind == 0) r.kind = 1;
  (r.kind == 1 ? st_.row_hits : r.kind == 2 ? st_.row_misses : st_.row_conflicts)++;
  record(c, r.b.write ? Cmd::WR : Cmd::RD, int(r.bank), k.row, r.b.tag);
  // Older arrived requests in the window were bypassed.
  for (size_t j = 0; j < idx; ++j) {
    if (q_[j].b.arrival > c) break;
    st_.max_bypassed = std::max<uint64_t>(st_.max_bypassed, ++q_[j].bypassed);
  }
  q_.erase(q_.begin() + static_cast<std::ptrdiff_t>(idx));
  if (--per_tag_[r.b.tag] == 0) per_tag_.erase(r.b.tag);
  if (o_.page == PagePolicy::Closed) {
    // Auto-precharge unless an arrived request in the window still hits the row.
    bool more = false;
    const size_t n = std::min<size_t>(q_.size(), o_.window);
    for (size_t j = 0; j < n && q_[j].b.arrival <= c && !more; ++j) more = q_[j].bank == r.bank && q_[j].b.row == k.row;
    if (!more) {
      const int64_t t = std::max({k.t_act + p_.tRAS, k.t_rd + p_.tRTP, k.t_wr + p_.WL + burst + p_.tWR});
      k.open = false;
      k.act_ok = std::max(k.act_ok, t + p_.tRP);
      ++st_.pres;
    }
  }
  done_(r.b.tag, done);
}

bool Controller::issue(const Decision &d, int64_t c) {
  if (d.row.valid) {
    if (d.row.cmd == Cmd::REFab) {
      for (auto &k : banks_) k.act_ok = std::max(k.act_ok, c + p_.tRFC);
      row_bus_ = c + 1;
      next_ref_ += p_.tREFI;
      ++st_.refreshes;
      record(c, Cmd::REFab, -1, 0, 0);
    } else if (d.row.cmd == Cmd::REFpb) {
      Bank &k = banks_[size_t(d.row.bank)];
      k.act_ok = std::max(k.act_ok, c + p_.tRFCpb);
      refpb_act_ok_ = c + p_.tRREFD;
      row_bus_ = c + 1;
      next_ref_ += p_.tREFIpb();
      rr_bank_ = (rr_bank_ + 1) % p_.banks();
      ++st_.refreshes;
      record(c, Cmd::REFpb, d.row.bank, 0, 0);
    } else {
      const unsigned b = unsigned(d.row.bank);
      uint64_t tag = 0;
      if (d.row.idx >= 0) {
        Req &r = q_[size_t(d.row.idx)];
        tag = r.b.tag;
        if (r.kind == 0) r.kind = d.row.cmd == Cmd::PRE ? 3 : 2;
      }
      if (d.row.cmd == Cmd::PRE)
        do_pre(b, c, tag);
      else
        do_act(b, q_[size_t(d.row.idx)].b.row, c, tag);
    }
  }
  if (d.col.valid) do_col(size_t(d.col.idx), c);
  return d.row.valid || d.col.valid;
}

void Controller::advance_through(int64_t c) {
  while (now_ <= c) {
    const Decision d = scan(now_);
    if (issue(d, now_)) {
      ++now_;
      next_cache_ = -1;
    } else {
      // Nothing can happen before d.next unless a request is queued (which clears this).
      next_cache_ = q_.empty() ? -1 : std::max(now_ + 1, d.next);
      now_ = std::min(std::max(now_ + 1, d.next), c + 1);
    }
  }
}

void Controller::run_until_done(uint64_t tag) {
  while (per_tag_.count(tag)) {
    const Decision d = scan(now_);
    next_cache_ = -1;
    if (issue(d, now_)) {
      ++now_;
    } else {
      if (d.next == kIdle) throw std::logic_error("hbm controller: a queued request can never issue");
      now_ = std::max(now_ + 1, d.next);
    }
  }
}

int64_t Controller::next_event() {
  if (q_.empty()) return kIdle;
  if (next_cache_ >= now_) return next_cache_;
  const Decision d = scan(now_);
  if (d.row.valid || d.col.valid) return now_;
  return d.next;
}

}  // namespace ncv::hbm
