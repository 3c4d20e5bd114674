// Functional coverage (verification.md "tb/lib"), after the SystemVerilog covergroup model
// (fc4sc/UCIS as blueprint):
//
//   CoverageDb db;
//   Covergroup &g = db.group("tile.ops", "q0");        // name, instance
//   Coverpoint &op = g.coverpoint("opcode");
//   op.bin("add", 0x01).bin("alu", {0x02, 0x03, 0x04}).illegal("reserved", 0xf0, 0xff);
//   Coverpoint &len = g.coverpoint("len");
//   len.ranges("len", 1, 4096, 8).bin("zero", 0).at_least(4);
//   g.cross("op_x_len", {&op, &len}).ignore_if([](const CrossCombo &c) { ... });
//   ...
//   g.sample({opcode, length});                        // hot path: table lookups only
//   ...
//   db.write("coverage.json", {"tile_random", seed});
//
// Values are unsigned 64-bit integers (cast enums and signed values). A value may fall in
// several bins; then: if any illegal bin holds it, only the illegal bins count it (and the
// hit is reported as an error); else if any ignore bin holds it, only the ignore bins count
// it; else every normal bin holding it counts it. Ignore and illegal bins never count
// towards coverage.
//
// Coverage of a coverpoint or cross = normal bins with hits >= goal / normal bins. A
// group's coverage is the weight-averaged coverage of its coverpoints and crosses; the
// total is the weight-averaged coverage of the groups. Items with no normal bin (and
// groups with no such item, or weight 0) take no part in an average; an average over
// nothing is 100%.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ncv::tb {

class CoverageDb;
class Covergroup;

// Version of the JSON written by CoverageDb (docs/user-guide.md "Functional coverage").
constexpr int kCoverageSchemaVersion = 1;

enum class BinKind { kNormal, kIgnore, kIllegal };
const char *bin_kind_name(BinKind k);

struct ValueRange {
  uint64_t lo, hi;  // inclusive
};

struct Bin {
  std::string name;
  BinKind kind = BinKind::kNormal;
  std::vector<ValueRange> ranges;  // empty for cross bins
  uint64_t goal = 1;               // at_least
  uint64_t hits = 0;
  bool covered() const { return kind == BinKind::kNormal && hits >= goal; }
};

// One combination of a cross, as shown to ignore/illegal predicates.
struct CrossCombo {
  std::vector<size_t> index;              // per crossed coverpoint: ordinal among its normal bins
  std::vector<const std::string *> name;  // per crossed coverpoint: the bin's name
  const std::string &operator[](size_t i) const { return *name[i]; }
};

// An illegal bin was hit.
struct IllegalHit {
  std::string group;  // "name" or "name/instance"
  std::string item;   // coverpoint or cross
  std::string bin;
  std::vector<uint64_t> values;  // the sampled value (one per crossed point for a cross)
};

// Counts in a coverpoint or cross. Shared part of Coverpoint and Cross.
class CoverItem {
 public:
  virtual ~CoverItem() = default;
  const std::string &name() const { return name_; }
  const std::vector<Bin> &bins() const { return bins_; }
  double weight() const { return weight_; }
  size_t normal_bins() const;
  size_t covered_bins() const;
  // Percentage 0..100 (100 when there is no normal bin).
  double percent() const;
  const Covergroup &group() const { return *group_; }

 protected:
  CoverItem(Covergroup *g, std::string name) : group_(g), name_(std::move(name)) {}
  void check_not_frozen(const char *what) const;
  Covergroup *group_;
  std::string name_;
  std::vector<Bin> bins_;
  double weight_ = 1.0;
  uint64_t default_goal_ = 1;
  std::vector<bool> explicit_goal_;
  std::set<std::string> names_;
};

class Coverpoint : public CoverItem {
 public:
  // Declaration (before the first sample; afterwards std::logic_error). Bin names are
  // unique within the coverpoint, non-empty and contain no ',' (the cross separator).
  Coverpoint &bin(const std::string &name, uint64_t value);
  Coverpoint &bin(const std::string &name, uint64_t lo, uint64_t hi);
  // A named list of values and ranges counted as one bin.
  Coverpoint &bin(const std::string &name, std::initializer_list<uint64_t> values);
  Coverpoint &bin(const std::string &name, const std::vector<ValueRange> &ranges);
  // [lo, hi] split into n bins that tile it, named "name[a:b]" (decimal); widths differ by
  // at most one (the last bins are the wider ones); n is capped at the number of values.
  Coverpoint &ranges(const std::string &name, uint64_t lo, uint64_t hi, unsigned n);
  // One bin per value in [lo, hi], named "name[v]".
  Coverpoint &values(const std::string &name, uint64_t lo, uint64_t hi);
  Coverpoint &ignore(const std::string &name, uint64_t lo, uint64_t hi);
  Coverpoint &ignore(const std::string &name, uint64_t value) { return ignore(name, value, value); }
  Coverpoint &illegal(const std::string &name, uint64_t lo, uint64_t hi);
  Coverpoint &illegal(const std::string &name, uint64_t value) { return illegal(name, value, value); }
  // Goal of the bins of this point that were not given their own (default 1).
  Coverpoint &at_least(uint64_t goal);
  // Goal of the most recently declared bin(s) of the last call.
  Coverpoint &goal(uint64_t goal);
  Coverpoint &weight(double w);
  using CoverItem::weight;

  // Samples this coverpoint alone (crosses are updated only by Covergroup::sample).
  void sample(uint64_t v) {
    if (!frozen_) freeze();
    hit_segment(segment_of(v), v);
  }
  // Samples that were in no bin at all.
  uint64_t unbinned() const { return unbinned_; }

 private:
  friend class Covergroup;
  friend class Cross;
  enum SegKind : uint8_t { kNone, kNormalSeg, kIgnoreSeg, kIllegalSeg };
  Coverpoint(Covergroup *g, std::string name) : CoverItem(g, std::move(name)) {}
  Coverpoint &add(const std::string &name, BinKind kind, std::vector<ValueRange> ranges);
  void freeze();
  uint32_t segment_of(uint64_t v) const;
  // Counts a sample in its segment; returns true if the segment's bins are normal.
  bool hit_segment(uint32_t seg, uint64_t v) {
    const Seg &s = segs_[seg];
    if (s.count == 1) {
      ++bins_[s.bin0].hits;
    } else {
      for (uint32_t i = s.first; i < s.first + s.count; ++i) ++bins_[seg_bins_[i]].hits;
    }
    if (s.kind == kNormalSeg) return true;
    if (s.kind == kIllegalSeg) report_illegal(seg, v);
    if (s.kind == kNone) ++unbinned_;
    return false;
  }
  void report_illegal(uint32_t seg, uint64_t v);

  bool frozen_ = false;
  size_t last_decl_ = 0;  // first bin of the latest declaration (for goal())
  uint64_t unbinned_ = 0;
  // Elementary segments [seg_lo_[i], seg_lo_[i+1]) over the value space, each with the
  // bins holding it (after the illegal > ignore > normal precedence).
  struct Seg {
    uint32_t first, count;  // the bins: seg_bins_[first .. first + count)
    uint32_t bin0, ord0;    // the first bin and its ordinal among the normal bins
    uint8_t kind;           // SegKind
  };
  std::vector<uint64_t> seg_lo_;
  std::vector<Seg> segs_;
  std::vector<uint32_t> seg_bins_;    // bin indices
  std::vector<uint32_t> dense_;       // value -> segment for small values
  std::vector<uint32_t> normal_ord_;  // bin index -> ordinal among normal bins
  std::vector<uint32_t> normal_idx_;  // ordinal -> bin index
};

class Cross : public CoverItem {
 public:
  using Predicate = std::function<bool(const CrossCombo &)>;
  // Combinations for which the predicate is true become ignore (or illegal) bins. May be
  // called several times; illegal wins over ignore.
  Cross &ignore_if(Predicate p);
  Cross &illegal_if(Predicate p);
  Cross &at_least(uint64_t goal);
  Cross &weight(double w);
  using CoverItem::weight;
  const std::vector<Coverpoint *> &points() const { return points_; }

 private:
  friend class Covergroup;
  Cross(Covergroup *g, std::string name, std::vector<Coverpoint *> points)
      : CoverItem(g, std::move(name)), points_(std::move(points)) {}
  void freeze();
  void hit(const uint32_t *segs, const uint64_t *values);
  void report_illegal(size_t combo, const uint64_t *values);

  std::vector<Coverpoint *> points_;
  std::vector<size_t> point_index_;  // position of each crossed point in the group
  std::vector<Predicate> ignore_, illegal_;
  std::vector<uint64_t> stride_;
  bool frozen_ = false;
};

struct CovergroupOptions {
  CovergroupOptions(double w = 1.0, bool per_inst = true, std::string text = "")
      : weight(w), per_instance(per_inst), comment(std::move(text)) {}
  double weight = 1.0;
  // true: each (name, instance) counts on its own; false: every instance of the name
  // shares one set of counters (SystemVerilog's type coverage).
  bool per_instance = true;
  std::string comment;
};

class Covergroup {
 public:
  const std::string &name() const { return name_; }
  const std::string &instance() const { return instance_; }
  // "name" or "name/instance".
  std::string full_name() const { return instance_.empty() ? name_ : name_ + "/" + instance_; }
  const CovergroupOptions &options() const { return opts_; }

  // Declares a coverpoint (std::invalid_argument if the name exists).
  Coverpoint &coverpoint(const std::string &name);
  // Declares a cross of two or more coverpoints of this group.
  Cross &cross(const std::string &name, std::initializer_list<Coverpoint *> points);
  Cross &cross(const std::string &name, const std::vector<Coverpoint *> &points);

  // Samples every coverpoint (values in declaration order) and every cross. Throws
  // std::invalid_argument if the number of values differs from the number of points.
  void sample(std::initializer_list<uint64_t> values) { sample(values.begin(), values.size()); }
  void sample(const uint64_t *values, size_t n);

  const std::vector<std::unique_ptr<Coverpoint>> &coverpoints() const { return points_; }
  const std::vector<std::unique_ptr<Cross>> &crosses() const { return crosses_; }
  const Coverpoint *find_coverpoint(const std::string &name) const;
  const Cross *find_cross(const std::string &name) const;
  bool empty() const { return points_.empty(); }
  // Weight-averaged coverage of the items, 0..100.
  double percent() const;
  // Whether the group takes part in the total (weight > 0 and some normal bin).
  bool counts() const;
  CoverageDb &db() const { return *db_; }
  // Ends the declaration: builds the lookup tables and the cross bins. The first sample
  // (and percent(), to_json()) does it; declaring more afterwards is std::logic_error.
  void finalize() { freeze(); }
  bool finalized() const { return frozen_; }

  Covergroup(CoverageDb *db, std::string name, std::string instance, CovergroupOptions o)
      : db_(db), name_(std::move(name)), instance_(std::move(instance)), opts_(std::move(o)) {}

 private:
  friend class CoverItem;
  friend class CoverageDb;
  friend class Coverpoint;
  friend class Cross;
  void freeze();
  // percent() and friends need the cross bins; a group is only ever owned non-const.
  void ensure_frozen() const {
    if (!frozen_) const_cast<Covergroup *>(this)->freeze();
  }
  CoverageDb *db_;
  std::string name_, instance_;
  CovergroupOptions opts_;
  std::vector<std::unique_ptr<Coverpoint>> points_;
  std::vector<std::unique_ptr<Cross>> crosses_;
  bool frozen_ = false;
  std::vector<uint32_t> segs_;  // scratch for sample()
};

// Run metadata written with the coverage.
struct CoverageRunInfo {
  CoverageRunInfo(std::string test_name = "", uint64_t run_seed = 0) : test(std::move(test_name)), seed(run_seed) {}
  std::string test;
  uint64_t seed = 0;
  std::map<std::string, std::string> extra;  // config, commit, ... (free-form strings)
};

class CoverageDb {
 public:
  CoverageDb() = default;
  CoverageDb(const CoverageDb &) = delete;
  CoverageDb &operator=(const CoverageDb &) = delete;

  // Returns the group (name, instance), creating it on first use. With per_instance false
  // the instance name is dropped: every instance gets the same group. Throws
  // std::invalid_argument if the group exists with other options.
  Covergroup &group(const std::string &name, const std::string &instance = "",
                    const CovergroupOptions &opts = CovergroupOptions());
  const std::vector<std::unique_ptr<Covergroup>> &groups() const { return groups_; }
  const Covergroup *find(const std::string &full_name) const;

  // Weight-averaged coverage of the groups, 0..100.
  double percent() const;

  // Illegal hits: each is counted, logged as an error "COV.ILLEGAL" through Log (the
  // first max_logged of them; set_log_illegal(false) turns that off), kept in
  // illegal_hits() (the first 1000) and passed to the callback, if any.
  uint64_t illegal_count() const { return illegal_count_; }
  const std::vector<IllegalHit> &illegal_hits() const { return illegal_hits_; }
  void on_illegal(std::function<void(const IllegalHit &)> cb) { on_illegal_ = std::move(cb); }
  void set_log_illegal(bool on, unsigned max_logged = 20) {
    log_illegal_ = on;
    max_logged_ = max_logged;
  }

  // The JSON document (schema "ncv.coverage", version kCoverageSchemaVersion).
  std::string to_json(const CoverageRunInfo &run) const;
  // Writes to_json() atomically (temporary file + rename); throws std::runtime_error.
  void write(const std::string &path, const CoverageRunInfo &run) const;
  // A plain-text summary: one line per group and item with covered/total and percent.
  std::string summary() const;

 private:
  friend class Coverpoint;
  friend class Cross;
  void illegal(IllegalHit h);
  std::vector<std::unique_ptr<Covergroup>> groups_;
  uint64_t illegal_count_ = 0;
  std::vector<IllegalHit> illegal_hits_;
  std::function<void(const IllegalHit &)> on_illegal_;
  bool log_illegal_ = true;
  unsigned max_logged_ = 20;
};

}  // namespace ncv::tb
