#include "ncv/tb/coverage.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

#include "ncv/tb/log.h"
#include "ncv/tb/result.h"

namespace ncv::tb {

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
// Values below this many are looked up in a direct table; above, by binary search.
constexpr uint64_t kDenseLimit = 4096;
// Crosses larger than this are a declaration mistake, not a coverage model.
constexpr uint64_t kMaxCrossBins = uint64_t{1} << 24;
constexpr size_t kMaxKeptIllegal = 1000;

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}

std::string num(double v, const char *fmt) {
  char b[40];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

std::string q(const std::string &s) {
  return "\"" + json_escape(s) + "\"";
}

// Weight-averaged percentage of the items that count (weight > 0, some normal bin).
template <typename Items>
double weighted_percent(const Items &items) {
  double wsum = 0.0, acc = 0.0;
  for (const auto &it : items) {
    if (it.first <= 0.0) continue;
    wsum += it.first;
    acc += it.first * it.second;
  }
  return wsum > 0.0 ? acc / wsum : 100.0;
}

}  // namespace

const char *bin_kind_name(BinKind k) {
  switch (k) {
    case BinKind::kNormal: return "normal";
    case BinKind::kIgnore: return "ignore";
    case BinKind::kIllegal: return "illegal";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------
// CoverItem

size_t CoverItem::normal_bins() const {
  size_t n = 0;
  for (const auto &b : bins_) n += b.kind == BinKind::kNormal;
  return n;
}

size_t CoverItem::covered_bins() const {
  size_t n = 0;
  for (const auto &b : bins_) n += b.covered();
  return n;
}

double CoverItem::percent() const {
  const size_t n = normal_bins();
  return n == 0 ? 100.0 : 100.0 * static_cast<double>(covered_bins()) / static_cast<double>(n);
}

void CoverItem::check_not_frozen(const char *what) const {
  if (group_->frozen_) {
    throw std::logic_error("coverage " + group_->full_name() + "." + name_ + ": " + what + " after the first sample");
  }
}

// ---------------------------------------------------------------------------------------
// Coverpoint declaration

Coverpoint &Coverpoint::add(const std::string &name, BinKind kind, std::vector<ValueRange> ranges) {
  if (frozen_) {
    throw std::logic_error("coverage " + group_->full_name() + "." + name_ + ": bin '" + name +
                           "' declared after the first sample");
  }
  const std::string where = "coverage " + group_->full_name() + "." + name_ + ": bin '" + name + "'";
  if (name.empty() || name.find(',') != std::string::npos) {
    throw std::invalid_argument(where + ": a bin name is non-empty and has no ','");
  }
  if (ranges.empty()) throw std::invalid_argument(where + ": no values");
  for (const auto &r : ranges) {
    if (r.lo > r.hi) throw std::invalid_argument(where + ": range " + hex(r.lo) + " > " + hex(r.hi));
  }
  if (!names_.insert(name).second) throw std::invalid_argument(where + ": declared twice");
  Bin b;
  b.name = name;
  b.kind = kind;
  b.ranges = std::move(ranges);
  b.goal = kind == BinKind::kNormal ? default_goal_ : 0;
  bins_.push_back(std::move(b));
  explicit_goal_.push_back(false);
  return *this;
}

Coverpoint &Coverpoint::bin(const std::string &name, uint64_t value) {
  last_decl_ = bins_.size();
  return add(name, BinKind::kNormal, {{value, value}});
}

Coverpoint &Coverpoint::bin(const std::string &name, uint64_t lo, uint64_t hi) {
  last_decl_ = bins_.size();
  return add(name, BinKind::kNormal, {{lo, hi}});
}

Coverpoint &Coverpoint::bin(const std::string &name, std::initializer_list<uint64_t> values) {
  std::vector<ValueRange> r;
  for (uint64_t v : values) r.push_back({v, v});
  last_decl_ = bins_.size();
  return add(name, BinKind::kNormal, std::move(r));
}

Coverpoint &Coverpoint::bin(const std::string &name, const std::vector<ValueRange> &ranges) {
  last_decl_ = bins_.size();
  return add(name, BinKind::kNormal, ranges);
}

Coverpoint &Coverpoint::ranges(const std::string &name, uint64_t lo, uint64_t hi, unsigned n) {
  if (lo > hi || n == 0) {
    throw std::invalid_argument("coverage " + group_->full_name() + "." + name_ + ": ranges '" + name +
                                "': expected lo <= hi and n >= 1");
  }
  const uint64_t span = hi - lo;  // values - 1
  // Number of values, capped: a span of the whole 64-bit space is treated as 2^64 - 1.
  const uint64_t count = span == kMax ? kMax : span + 1;
  const uint64_t nbins = std::min<uint64_t>(n, count);
  const uint64_t width = count / nbins, extra = count % nbins;
  const size_t first = bins_.size();
  uint64_t a = lo;
  for (uint64_t i = 0; i < nbins; ++i) {
    // The last `extra` bins are one wider, so the bins tile [lo, hi] exactly.
    const uint64_t w = width + (i >= nbins - extra ? 1 : 0);
    const uint64_t b = i + 1 == nbins ? hi : a + (w - 1);
    add(name + "[" + std::to_string(a) + ":" + std::to_string(b) + "]", BinKind::kNormal, {{a, b}});
    if (i + 1 < nbins) a = b + 1;
  }
  last_decl_ = first;
  return *this;
}

Coverpoint &Coverpoint::values(const std::string &name, uint64_t lo, uint64_t hi) {
  if (lo > hi || hi - lo >= kMaxCrossBins) {
    throw std::invalid_argument("coverage " + group_->full_name() + "." + name_ + ": values '" + name +
                                "': expected lo <= hi and a sensible number of values");
  }
  const size_t first = bins_.size();
  for (uint64_t v = lo;; ++v) {
    add(name + "[" + std::to_string(v) + "]", BinKind::kNormal, {{v, v}});
    if (v == hi) break;
  }
  last_decl_ = first;
  return *this;
}

Coverpoint &Coverpoint::ignore(const std::string &name, uint64_t lo, uint64_t hi) {
  last_decl_ = bins_.size();
  return add(name, BinKind::kIgnore, {{lo, hi}});
}

Coverpoint &Coverpoint::illegal(const std::string &name, uint64_t lo, uint64_t hi) {
  last_decl_ = bins_.size();
  return add(name, BinKind::kIllegal, {{lo, hi}});
}

Coverpoint &Coverpoint::at_least(uint64_t goal) {
  check_not_frozen("at_least set");
  if (goal == 0) throw std::invalid_argument("coverage " + name_ + ": at_least must be >= 1");
  default_goal_ = goal;
  for (size_t i = 0; i < bins_.size(); ++i) {
    if (!explicit_goal_[i] && bins_[i].kind == BinKind::kNormal) bins_[i].goal = goal;
  }
  return *this;
}

Coverpoint &Coverpoint::goal(uint64_t goal) {
  check_not_frozen("goal set");
  if (goal == 0) throw std::invalid_argument("coverage " + name_ + ": a goal must be >= 1");
  for (size_t i = last_decl_; i < bins_.size(); ++i) {
    if (bins_[i].kind != BinKind::kNormal) continue;
    bins_[i].goal = goal;
    explicit_goal_[i] = true;
  }
  return *this;
}

Coverpoint &Coverpoint::weight(double w) {
  if (!(w >= 0.0)) throw std::invalid_argument("coverage " + name_ + ": weight must be >= 0");
  weight_ = w;
  return *this;
}

// ---------------------------------------------------------------------------------------
// Coverpoint lookup tables

void Coverpoint::freeze() {
  if (frozen_) return;
  // Segment boundaries: 0, every range start, every range end + 1.
  std::vector<uint64_t> lo{0};
  for (const auto &b : bins_) {
    for (const auto &r : b.ranges) {
      lo.push_back(r.lo);
      if (r.hi != kMax) lo.push_back(r.hi + 1);
    }
  }
  std::sort(lo.begin(), lo.end());
  lo.erase(std::unique(lo.begin(), lo.end()), lo.end());
  const size_t nseg = lo.size();
  if (nseg >= std::numeric_limits<uint32_t>::max()) throw std::length_error("coverage: too many bins");

  std::vector<std::vector<uint32_t>> members(nseg);
  for (uint32_t bi = 0; bi < bins_.size(); ++bi) {
    for (const auto &r : bins_[bi].ranges) {
      const size_t s0 = static_cast<size_t>(std::lower_bound(lo.begin(), lo.end(), r.lo) - lo.begin());
      const size_t s1 = static_cast<size_t>(std::upper_bound(lo.begin(), lo.end(), r.hi) - lo.begin()) - 1;
      for (size_t s = s0; s <= s1; ++s) members[s].push_back(bi);
    }
  }
  seg_lo_ = std::move(lo);
  segs_.assign(nseg, Seg{0, 0, 0, 0, kNone});
  seg_bins_.clear();
  for (size_t s = 0; s < nseg; ++s) {
    auto &m = members[s];
    std::sort(m.begin(), m.end());
    m.erase(std::unique(m.begin(), m.end()), m.end());
    bool has_illegal = false, has_ignore = false;
    for (uint32_t bi : m) {
      has_illegal |= bins_[bi].kind == BinKind::kIllegal;
      has_ignore |= bins_[bi].kind == BinKind::kIgnore;
    }
    const BinKind want = has_illegal ? BinKind::kIllegal : has_ignore ? BinKind::kIgnore : BinKind::kNormal;
    Seg &sg = segs_[s];
    if (!m.empty()) sg.kind = has_illegal ? kIllegalSeg : has_ignore ? kIgnoreSeg : kNormalSeg;
    sg.first = static_cast<uint32_t>(seg_bins_.size());
    for (uint32_t bi : m) {
      if (bins_[bi].kind == want) seg_bins_.push_back(bi);
    }
    sg.count = static_cast<uint32_t>(seg_bins_.size()) - sg.first;
    if (sg.count) sg.bin0 = seg_bins_[sg.first];
  }
  normal_ord_.assign(bins_.size(), UINT32_MAX);
  normal_idx_.clear();
  for (uint32_t bi = 0; bi < bins_.size(); ++bi) {
    if (bins_[bi].kind != BinKind::kNormal) continue;
    normal_ord_[bi] = static_cast<uint32_t>(normal_idx_.size());
    normal_idx_.push_back(bi);
  }
  for (auto &sg : segs_) {
    if (sg.kind == kNormalSeg) sg.ord0 = normal_ord_[sg.bin0];
  }
  // Direct table up to the last boundary; every value at or above it is in the last segment.
  dense_.clear();
  if (seg_lo_.back() <= kDenseLimit) {
    dense_.resize(seg_lo_.back() + 1);
    uint32_t s = 0;
    for (uint64_t v = 0; v < dense_.size(); ++v) {
      while (s + 1 < nseg && seg_lo_[s + 1] <= v) ++s;
      dense_[v] = s;
    }
  }
  frozen_ = true;
}

uint32_t Coverpoint::segment_of(uint64_t v) const {
  if (!dense_.empty()) return v < dense_.size() ? dense_[v] : static_cast<uint32_t>(seg_lo_.size() - 1);
  // Last segment starting at or below v (seg_lo_[0] == 0), without data-dependent branches.
  const uint64_t *base = seg_lo_.data();
  size_t n = seg_lo_.size();
  while (n > 1) {
    const size_t half = n / 2;
    base = base[half] <= v ? base + half : base;
    n -= half;
  }
  return static_cast<uint32_t>(base - seg_lo_.data());
}

void Coverpoint::report_illegal(uint32_t seg, uint64_t v) {
  IllegalHit h;
  h.group = group_->full_name();
  h.item = name_;
  for (uint32_t i = segs_[seg].first; i < segs_[seg].first + segs_[seg].count; ++i) {
    h.bin += (h.bin.empty() ? "" : ",") + bins_[seg_bins_[i]].name;
  }
  h.values.push_back(v);
  group_->db_->illegal(std::move(h));
}

// ---------------------------------------------------------------------------------------
// Cross

Cross &Cross::ignore_if(Predicate p) {
  check_not_frozen("ignore_if set");
  ignore_.push_back(std::move(p));
  return *this;
}

Cross &Cross::illegal_if(Predicate p) {
  check_not_frozen("illegal_if set");
  illegal_.push_back(std::move(p));
  return *this;
}

Cross &Cross::at_least(uint64_t goal) {
  check_not_frozen("at_least set");
  if (goal == 0) throw std::invalid_argument("coverage " + name_ + ": at_least must be >= 1");
  default_goal_ = goal;
  return *this;
}

Cross &Cross::weight(double w) {
  if (!(w >= 0.0)) throw std::invalid_argument("coverage " + name_ + ": weight must be >= 0");
  weight_ = w;
  return *this;
}

void Cross::freeze() {
  if (frozen_) return;
  const size_t k = points_.size();
  uint64_t total = 1;
  stride_.assign(k, 0);
  for (size_t j = k; j-- > 0;) {
    points_[j]->freeze();
    stride_[j] = total;
    const uint64_t n = points_[j]->normal_idx_.size();
    if (n != 0 && total > kMaxCrossBins / n) {
      throw std::length_error("coverage " + group_->full_name() + "." + name_ + ": more than " +
                              std::to_string(kMaxCrossBins) + " cross bins");
    }
    total *= n;
  }
  point_index_.assign(k, 0);
  for (size_t j = 0; j < k; ++j) {
    for (size_t i = 0; i < group_->points_.size(); ++i) {
      if (group_->points_[i].get() == points_[j]) point_index_[j] = i;
    }
  }
  bins_.assign(total, Bin());
  CrossCombo c;
  c.index.assign(k, 0);
  c.name.assign(k, nullptr);
  for (uint64_t combo = 0; combo < total; ++combo) {
    std::string name;
    for (size_t j = 0; j < k; ++j) {
      c.index[j] = static_cast<size_t>(combo / stride_[j] % points_[j]->normal_idx_.size());
      c.name[j] = &points_[j]->bins_[points_[j]->normal_idx_[c.index[j]]].name;
      if (j) name += ',';
      name += *c.name[j];
    }
    Bin &b = bins_[combo];
    b.name = std::move(name);
    b.kind = BinKind::kNormal;
    for (const auto &p : ignore_) {
      if (p(c)) b.kind = BinKind::kIgnore;
    }
    for (const auto &p : illegal_) {
      if (p(c)) b.kind = BinKind::kIllegal;
    }
    b.goal = b.kind == BinKind::kNormal ? default_goal_ : 0;
  }
  frozen_ = true;
}

void Cross::hit(const uint32_t *segs, const uint64_t *values) {
  const size_t k = points_.size();
  // Common case: every point hit exactly one normal bin.
  uint64_t combo = 0;
  bool single = true;
  for (size_t j = 0; j < k; ++j) {
    const Coverpoint &p = *points_[j];
    const Coverpoint::Seg &sg = p.segs_[segs[point_index_[j]]];
    if (sg.kind != Coverpoint::kNormalSeg) return;
    if (sg.count != 1) single = false;
    combo += sg.ord0 * stride_[j];
  }
  if (single) {
    Bin &bin = bins_[combo];
    ++bin.hits;
    if (bin.kind == BinKind::kIllegal) report_illegal(combo, values);
    return;
  }
  // Overlapping bins: every combination of the bins hit (an odometer over the points).
  std::vector<uint32_t> pos(k, 0);
  for (;;) {
    combo = 0;
    for (size_t j = 0; j < k; ++j) {
      const Coverpoint &p = *points_[j];
      const Coverpoint::Seg &sg = p.segs_[segs[point_index_[j]]];
      combo += p.normal_ord_[p.seg_bins_[sg.first + pos[j]]] * stride_[j];
    }
    Bin &bin = bins_[combo];
    ++bin.hits;
    if (bin.kind == BinKind::kIllegal) report_illegal(combo, values);
    size_t j = 0;
    for (; j < k; ++j) {
      const Coverpoint &p = *points_[j];
      if (++pos[j] < p.segs_[segs[point_index_[j]]].count) break;
      pos[j] = 0;
    }
    if (j == k) break;
  }
}

void Cross::report_illegal(size_t combo, const uint64_t *values) {
  IllegalHit h;
  h.group = group_->full_name();
  h.item = name_;
  h.bin = bins_[combo].name;
  for (size_t j = 0; j < points_.size(); ++j) h.values.push_back(values[point_index_[j]]);
  group_->db_->illegal(std::move(h));
}

// ---------------------------------------------------------------------------------------
// Covergroup

Coverpoint &Covergroup::coverpoint(const std::string &name) {
  if (frozen_) throw std::logic_error("coverage " + full_name() + ": coverpoint '" + name + "' after the first sample");
  if (name.empty()) throw std::invalid_argument("coverage " + full_name() + ": empty coverpoint name");
  if (find_coverpoint(name) || find_cross(name)) {
    throw std::invalid_argument("coverage " + full_name() + ": '" + name + "' declared twice");
  }
  points_.emplace_back(new Coverpoint(this, name));
  return *points_.back();
}

Cross &Covergroup::cross(const std::string &name, std::initializer_list<Coverpoint *> points) {
  return cross(name, std::vector<Coverpoint *>(points));
}

Cross &Covergroup::cross(const std::string &name, const std::vector<Coverpoint *> &points) {
  const std::string where = "coverage " + full_name() + ": cross '" + name + "'";
  if (frozen_) throw std::logic_error(where + " after the first sample");
  if (name.empty()) throw std::invalid_argument("coverage " + full_name() + ": empty cross name");
  if (find_coverpoint(name) || find_cross(name)) throw std::invalid_argument(where + ": declared twice");
  if (points.size() < 2) throw std::invalid_argument(where + ": needs two or more coverpoints");
  std::set<const Coverpoint *> seen;
  for (const Coverpoint *p : points) {
    bool mine = false;
    for (const auto &q2 : points_) mine |= q2.get() == p;
    if (!mine) throw std::invalid_argument(where + ": a coverpoint of another group");
    if (!seen.insert(p).second) throw std::invalid_argument(where + ": coverpoint '" + p->name() + "' twice");
  }
  crosses_.emplace_back(new Cross(this, name, points));
  return *crosses_.back();
}

void Covergroup::freeze() {
  if (frozen_) return;
  for (auto &p : points_) p->freeze();
  for (auto &c : crosses_) c->freeze();
  segs_.assign(points_.size(), 0);
  frozen_ = true;
}

void Covergroup::sample(const uint64_t *values, size_t n) {
  if (!frozen_) freeze();
  if (n != points_.size()) {
    throw std::invalid_argument("coverage " + full_name() + ": sample of " + std::to_string(n) +
                                " values, the group has " + std::to_string(points_.size()) + " coverpoints");
  }
  for (size_t i = 0; i < n; ++i) {
    Coverpoint &p = *points_[i];
    const uint32_t s = p.segment_of(values[i]);
    segs_[i] = s;
    p.hit_segment(s, values[i]);
  }
  for (auto &c : crosses_) c->hit(segs_.data(), values);
}

const Coverpoint *Covergroup::find_coverpoint(const std::string &name) const {
  for (const auto &p : points_) {
    if (p->name() == name) return p.get();
  }
  return nullptr;
}

const Cross *Covergroup::find_cross(const std::string &name) const {
  for (const auto &c : crosses_) {
    if (c->name() == name) return c.get();
  }
  return nullptr;
}

bool Covergroup::counts() const {
  ensure_frozen();
  if (!(opts_.weight > 0.0)) return false;
  for (const auto &p : points_) {
    if (p->weight() > 0.0 && p->normal_bins()) return true;
  }
  for (const auto &c : crosses_) {
    if (c->weight() > 0.0 && c->normal_bins()) return true;
  }
  return false;
}

double Covergroup::percent() const {
  ensure_frozen();
  std::vector<std::pair<double, double>> items;
  for (const auto &p : points_) items.emplace_back(p->normal_bins() ? p->weight() : 0.0, p->percent());
  for (const auto &c : crosses_) items.emplace_back(c->normal_bins() ? c->weight() : 0.0, c->percent());
  return weighted_percent(items);
}

// ---------------------------------------------------------------------------------------
// CoverageDb

Covergroup &CoverageDb::group(const std::string &name, const std::string &instance, const CovergroupOptions &opts) {
  if (name.empty()) throw std::invalid_argument("coverage: empty covergroup name");
  if (!(opts.weight >= 0.0)) throw std::invalid_argument("coverage " + name + ": weight must be >= 0");
  const std::string inst = opts.per_instance ? instance : "";
  for (auto &g : groups_) {
    if (g->name() != name) continue;
    if (g->options().per_instance != opts.per_instance || g->options().weight != opts.weight) {
      throw std::invalid_argument("coverage " + name + ": covergroup declared again with other options");
    }
    if (g->instance() == inst) return *g;
  }
  groups_.emplace_back(new Covergroup(this, name, inst, opts));
  return *groups_.back();
}

const Covergroup *CoverageDb::find(const std::string &full_name) const {
  for (const auto &g : groups_) {
    if (g->full_name() == full_name) return g.get();
  }
  return nullptr;
}

double CoverageDb::percent() const {
  std::vector<std::pair<double, double>> items;
  for (const auto &g : groups_) items.emplace_back(g->counts() ? g->options().weight : 0.0, g->percent());
  return weighted_percent(items);
}

void CoverageDb::illegal(IllegalHit h) {
  ++illegal_count_;
  if (log_illegal_ && illegal_count_ <= max_logged_) {
    std::string vals;
    for (uint64_t v : h.values) vals += (vals.empty() ? "" : ",") + hex(v);
    Log::get().error("COV.ILLEGAL", h.group + "." + h.item + ": value " + vals + " hit illegal bin '" + h.bin + "'");
    if (illegal_count_ == max_logged_) {
      Log::get().warning("COV.ILLEGAL", "further illegal bin hits are counted but not logged");
    }
  }
  if (on_illegal_) on_illegal_(h);
  if (illegal_hits_.size() < kMaxKeptIllegal) illegal_hits_.push_back(std::move(h));
}

static void item_json(std::ostringstream &os, const CoverItem &it, const char *indent) {
  os << indent << "\"name\": " << q(it.name()) << ",\n";
  os << indent << "\"weight\": " << num(it.weight(), "%.15g") << ",\n";
  os << indent << "\"percent\": " << num(it.percent(), "%.4f") << ",\n";
  os << indent << "\"covered\": " << it.covered_bins() << ",\n";
  os << indent << "\"normal\": " << it.normal_bins() << ",\n";
}

static void bins_json(std::ostringstream &os, const std::vector<Bin> &bins, bool ranges) {
  os << "          \"bins\": [";
  for (size_t i = 0; i < bins.size(); ++i) {
    const Bin &b = bins[i];
    os << (i ? ",\n" : "\n") << "            {\"name\": " << q(b.name) << ", \"kind\": \"" << bin_kind_name(b.kind)
       << "\", \"goal\": " << b.goal << ", \"hits\": " << b.hits;
    if (ranges) {
      os << ", \"ranges\": [";
      for (size_t r = 0; r < b.ranges.size(); ++r) {
        os << (r ? ", " : "") << "[" << b.ranges[r].lo << ", " << b.ranges[r].hi << "]";
      }
      os << "]";
    }
    os << "}";
  }
  os << (bins.empty() ? "]\n" : "\n          ]\n");
}

std::string CoverageDb::to_json(const CoverageRunInfo &run) const {
  // Crosses get their bins on the first sample; a group never sampled still lists them.
  for (const auto &g : groups_) g->ensure_frozen();
  std::ostringstream os;
  os << "{\n";
  os << "  \"schema\": \"ncv.coverage\",\n";
  os << "  \"version\": " << kCoverageSchemaVersion << ",\n";
  os << "  \"runs\": [{\"test\": " << q(run.test) << ", \"seed\": " << run.seed << ", \"extra\": {";
  bool first = true;
  for (const auto &kv : run.extra) {
    os << (first ? "" : ", ") << q(kv.first) << ": " << q(kv.second);
    first = false;
  }
  os << "}}],\n";
  os << "  \"percent\": " << num(percent(), "%.4f") << ",\n";
  os << "  \"illegal_hits\": " << illegal_count_ << ",\n";
  os << "  \"groups\": [";
  for (size_t gi = 0; gi < groups_.size(); ++gi) {
    const Covergroup &g = *groups_[gi];
    os << (gi ? ",\n" : "\n") << "    {\n";
    os << "      \"name\": " << q(g.name()) << ",\n";
    os << "      \"instance\": " << q(g.instance()) << ",\n";
    os << "      \"weight\": " << num(g.options().weight, "%.15g") << ",\n";
    os << "      \"per_instance\": " << (g.options().per_instance ? "true" : "false") << ",\n";
    os << "      \"comment\": " << q(g.options().comment) << ",\n";
    os << "      \"percent\": " << num(g.percent(), "%.4f") << ",\n";
    os << "      \"coverpoints\": [";
    for (size_t i = 0; i < g.coverpoints().size(); ++i) {
      const Coverpoint &p = *g.coverpoints()[i];
      os << (i ? ",\n" : "\n") << "        {\n";
      item_json(os, p, "          ");
      os << "          \"unbinned\": " << p.unbinned() << ",\n";
      bins_json(os, p.bins(), true);
      os << "        }";
    }
    os << (g.coverpoints().empty() ? "],\n" : "\n      ],\n");
    os << "      \"crosses\": [";
    for (size_t i = 0; i < g.crosses().size(); ++i) {
      const Cross &c = *g.crosses()[i];
      os << (i ? ",\n" : "\n") << "        {\n";
      item_json(os, c, "          ");
      os << "          \"coverpoints\": [";
      for (size_t j = 0; j < c.points().size(); ++j) os << (j ? ", " : "") << q(c.points()[j]->name());
      os << "],\n";
      bins_json(os, c.bins(), false);
      os << "        }";
    }
    os << (g.crosses().empty() ? "]\n" : "\n      ]\n");
    os << "    }";
  }
  os << (groups_.empty() ? "]\n" : "\n  ]\n");
  os << "}\n";
  return os.str();
}

void CoverageDb::write(const std::string &path, const CoverageRunInfo &run) const {
  const std::string text = to_json(run);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::out | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write '" + tmp + "'");
    f << text;
    if (!f) throw std::runtime_error("cannot write '" + tmp + "'");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot rename '" + tmp + "' to '" + path + "'");
  }
}

std::string CoverageDb::summary() const {
  std::ostringstream os;
  os << "coverage " << num(percent(), "%.2f") << "%";
  if (illegal_count_) os << ", " << illegal_count_ << " illegal bin hits";
  os << "\n";
  for (const auto &g : groups_) {
    os << "  " << g->full_name() << ": " << num(g->percent(), "%.2f") << "%\n";
    auto line = [&](const CoverItem &it, const char *what) {
      os << "    " << what << " " << it.name() << ": " << it.covered_bins() << "/" << it.normal_bins() << " bins, "
         << num(it.percent(), "%.2f") << "%\n";
    };
    for (const auto &p : g->coverpoints()) line(*p, "point");
    for (const auto &c : g->crosses()) line(*c, "cross");
  }
  return os.str();
}

}  // namespace ncv::tb
