// One pseudo-channel controller of the HBM model: request queue, FR-FCFS scheduler with a
// starvation cap and read/write grouping, per-bank state machines with the preset's
// timing constraints per bank, bank group and pseudo-channel, and refresh (hbm.md
// "Behaviour"). Plain C++ on controller clock cycles, no SystemC: the Hbm module drives it.
//
// The controller is event-skipping: decide(c) issues at most one row command (ACT, PRE,
// REF) and one column command (RD, WR) at cycle c (separate row and column command buses,
// as HBM has) and knows the earliest later cycle at which anything can change, so the
// model costs time per command, not per clock.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>
#include <vector>

#include "ncv/hbm/preset.h"

namespace ncv::hbm {

enum class PagePolicy { Open, Closed };
enum class RefreshMode { None, AllBank, PerBank };

struct ControllerOptions {
  PagePolicy page = PagePolicy::Open;
  RefreshMode refresh = RefreshMode::AllBank;
  unsigned window = 32;          // requests the scheduler considers, oldest first
  unsigned starvation_cap = 16;  // younger column commands a request may be bypassed by
  bool trace = false;            // keep the command trace (tests, debugging)
};

struct Burst {
  uint64_t tag = 0;  // the transaction it belongs to
  bool write = false;
  unsigned bg = 0, ba = 0, row = 0, col = 0;
  int64_t arrival = 0;  // cycle
};

enum class Cmd { ACT, PRE, RD, WR, REFab, REFpb };
const char *cmd_name(Cmd c);

struct CmdRecord {
  int64_t cycle;
  Cmd cmd;
  int bank;  // flat bank index (bg * banks_per_group + ba); -1 for REFab
  unsigned row;
  uint64_t tag;  // request served (0 for refresh and its precharges)
};

struct ControllerStats {
  uint64_t reads = 0, writes = 0;  // bursts
  uint64_t row_hits = 0, row_misses = 0, row_conflicts = 0;
  uint64_t acts = 0, pres = 0, refreshes = 0, turnarounds = 0;
  uint64_t data_cycles = 0;  // cycles the data bus carried a burst
  uint64_t max_bypassed = 0;
};

class Controller {
 public:
  static constexpr int64_t kNever = -(int64_t(1) << 40);
  static constexpr int64_t kIdle = int64_t(1) << 62;
  // Called when a burst's column command issues: its tag and the cycle its data transfer
  // ends (RD: issue + RL + burst; WR: issue + WL + burst).
  using DoneFn = std::function<void(uint64_t tag, int64_t done_cycle)>;

  Controller(const Preset &p, const ControllerOptions &o, DoneFn done);

  // Queue a burst; an arrival before now() is taken as now().
  void enqueue(Burst b);
  // Make every decision at cycles <= c.
  void advance_through(int64_t c);
  // Decide until no burst of `tag` is left in the queue (the blocking-transport path).
  void run_until_done(uint64_t tag);
  // The next undecided cycle.
  int64_t now() const { return now_; }
  // Earliest cycle >= now() at which a queued request can make progress; kIdle when the
  // queue is empty (refresh of an idle controller is caught up lazily).
  int64_t next_event();
  size_t pending() const { return q_.size(); }

  const ControllerStats &stats() const { return st_; }
  const std::vector<CmdRecord> &trace() const { return trace_; }
  // Bank open row or -1.
  int open_row(unsigned bank) const { return banks_[bank].open ? int(banks_[bank].row) : -1; }

 private:
  struct Req {
    Burst b;
    unsigned bank;
    uint64_t seq;
    uint32_t bypassed = 0;
    uint8_t kind = 0;  // 0 none yet, 1 hit, 2 miss, 3 conflict
  };
  struct Bank {
    bool open = false;
    unsigned row = 0;
    int64_t t_act = kNever, t_rd = kNever, t_wr = kNever;
    int64_t act_ok = kNever;  // earliest ACT after precharge (tRP) or refresh (tRFC)
  };
  struct Pick {
    bool valid = false;
    int idx = -1;  // queue index, or -1 for refresh
    Cmd cmd = Cmd::ACT;
    int bank = -1;
  };
  struct Decision {
    Pick row, col;
    int64_t next = kIdle;
  };

  Decision scan(int64_t c);
  bool issue(const Decision &d, int64_t c);
  int64_t act_earliest(unsigned b) const;
  int64_t pre_earliest(unsigned b) const;
  void do_act(unsigned b, unsigned row, int64_t c, uint64_t tag);
  void do_pre(unsigned b, int64_t c, uint64_t tag);
  void do_col(size_t idx, int64_t c);
  void record(int64_t c, Cmd cmd, int bank, unsigned row, uint64_t tag);

  Preset p_;
  ControllerOptions o_;
  DoneFn done_;
  std::deque<Req> q_;  // arrival order; served from within the first `window`
  std::unordered_map<uint64_t, unsigned> per_tag_;
  std::vector<Bank> banks_;
  std::vector<int64_t> last_act_bg_, last_col_bg_, last_wr_end_bg_;
  std::vector<uint8_t> hit_, claimed_;
  std::vector<int64_t> bg_rd_, bg_wr_;  // per scan: bank-group and PC part of RD/WR earliest
  int64_t next_cache_ = -1;             // next_event() of the last idle scan, -1 if stale
  int64_t last_act_ = kNever, last_col_ = kNever, last_rd_ = kNever, last_wr_end_ = kNever;
  int64_t faw_[4] = {kNever, kNever, kNever, kNever};
  unsigned faw_pos_ = 0;
  int64_t row_bus_ = 0, col_bus_ = 0, refpb_act_ok_ = kNever;
  int64_t now_ = 0, next_ref_ = 0;
  unsigned rr_bank_ = 0;
  bool dir_write_ = false, any_col_ = false, last_col_write_ = false;
  uint64_t seq_ = 0;
  ControllerStats st_;
  std::vector<CmdRecord> trace_;
};

}  // namespace ncv::hbm
