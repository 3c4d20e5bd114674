// Scoreboards (verification.md "tb/lib"): in-order, keyed (out-of-order) and memory.
//
// Every problem is reported where it happens through the run's Log as an error with a
// message id, so the first one becomes the run's failure signature:
//   SB.MISMATCH    an actual item differs from its expected item (index or key, both values)
//   SB.MISSING     an expected item never arrived (found by drain(), or skipped in order)
//   SB.UNEXPECTED  an actual item nobody expected
//   SB.DUPLICATE   a key expected or seen twice (keyed scoreboard with unique keys)
//   SB.DRAIN       end-of-test summary of the leftovers (followed by one line per item)
//   SB.MEMORY      a memory region differs (first differing address, bytes, count)
// Each scoreboard also counts its problems and keeps their text (reports()), so a test can
// assert on them. The hot path (items that match) builds no strings.
#pragma once

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ncv::tb {

namespace detail {
template <class T, class = void>
struct is_streamable : std::false_type {};
template <class T>
struct is_streamable<T, std::void_t<decltype(std::declval<std::ostream &>() << std::declval<const T &>())>>
    : std::true_type {};
}  // namespace detail

// Default text of an item: integers and enums in hex, anything with operator<< through it.
template <class T>
std::string sb_format(const T &v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_enum_v<T>) {
    return sb_format(static_cast<std::underlying_type_t<T>>(v));
  } else if constexpr (std::is_integral_v<T>) {
    char b[24];
    if constexpr (std::is_signed_v<T>) {
      std::snprintf(b, sizeof b, "%" PRId64, static_cast<int64_t>(v));
    } else {
      std::snprintf(b, sizeof b, "0x%" PRIx64, static_cast<uint64_t>(v));
    }
    return b;
  } else if constexpr (detail::is_streamable<T>::value) {
    std::ostringstream os;
    os << v;
    return os.str();
  } else {
    return "<item>";
  }
}

class ScoreboardBase {
 public:
  explicit ScoreboardBase(std::string name) : name_(std::move(name)) {}
  virtual ~ScoreboardBase() = default;
  const std::string &name() const { return name_; }

  uint64_t matched() const { return matched_; }
  uint64_t mismatches() const { return mismatches_; }
  uint64_t missing() const { return missing_; }
  uint64_t unexpected() const { return unexpected_; }
  uint64_t duplicates() const { return duplicates_; }
  // Every problem found so far (drain summaries are not counted twice).
  uint64_t errors() const { return mismatches_ + missing_ + unexpected_ + duplicates_; }
  // "ID: text" of the problems, in order (the first 1000).
  const std::vector<std::string> &reports() const { return reports_; }

  // Log only the first n problems of this scoreboard (counting goes on); default 20.
  void set_max_logged(unsigned n) { max_logged_ = n; }
  // Whether problems go to the Log at all (default true).
  void set_log(bool on) { log_ = on; }

 protected:
  void report(const char *id, const std::string &text);
  // Logs the drain summary; true if there is nothing left over.
  bool drain_summary(uint64_t left_expected, uint64_t left_actual);
  std::string name_;
  uint64_t matched_ = 0, mismatches_ = 0, missing_ = 0, unexpected_ = 0, duplicates_ = 0;

 private:
  std::vector<std::string> reports_;
  unsigned max_logged_ = 20, logged_ = 0;
  bool log_ = true;
};

// Expected and actual streams compared in order.
template <class T>
class InOrderScoreboard : public ScoreboardBase {
 public:
  using Formatter = std::function<std::string(const T &)>;
  using Equal = std::function<bool(const T &, const T &)>;

  explicit InOrderScoreboard(std::string name, Formatter fmt = sb_format<T>, Equal eq = std::equal_to<T>())
      : ScoreboardBase(std::move(name)), fmt_(std::move(fmt)), eq_(std::move(eq)) {}

  // true (default): an actual item arriving when no expectation is pending is reported at
  // once as unexpected. false: it waits for its expectation (reference slower than DUT).
  void set_expect_first(bool on) { expect_first_ = on; }
  // When an actual item differs from the oldest expectation but equals one of the next n,
  // the skipped expectations are reported as missing (a dropped item) and matching goes
  // on from there. Default 0: every difference is a mismatch.
  void set_resync_window(size_t n) { resync_ = n; }

  void expect(T v) {
    const uint64_t idx = next_expected_++;
    if (!actual_.empty()) {
      compare(idx, v, actual_.front());
      actual_.pop_front();
    } else {
      expected_.emplace_back(idx, std::move(v));
    }
  }

  void actual(T v) {
    ++actual_count_;
    if (expected_.empty()) {
      if (expect_first_) {
        ++unexpected_;
        report("SB.UNEXPECTED", "actual item #" + std::to_string(actual_count_ - 1) +
                                    " arrived with no expectation pending: " + fmt_(v));
      } else {
        actual_.push_back(std::move(v));
      }
      return;
    }
    if (!eq_(expected_.front().second, v) && resync_ != 0) {
      const size_t lim = std::min(resync_ + 1, expected_.size());
      for (size_t j = 1; j < lim; ++j) {
        if (!eq_(expected_[j].second, v)) continue;
        for (size_t s = 0; s < j; ++s) {
          ++missing_;
          report("SB.MISSING", "expected item #" + std::to_string(expected_.front().first) +
                                   " never arrived (a later one did): " + fmt_(expected_.front().second));
          expected_.pop_front();
        }
        break;
      }
    }
    compare(expected_.front().first, expected_.front().second, v);
    expected_.pop_front();
  }

  // End-of-test check: every leftover expectation is missing, every leftover actual item
  // unexpected. Returns true if the scoreboard found no problem at all.
  bool drain() {
    drain_summary(expected_.size(), actual_.size());
    for (const auto &e : expected_) {
      ++missing_;
      report("SB.MISSING", "expected item #" + std::to_string(e.first) + " never arrived: " + fmt_(e.second));
    }
    for (const auto &a : actual_) {
      ++unexpected_;
      report("SB.UNEXPECTED", "actual item never expected: " + fmt_(a));
    }
    expected_.clear();
    actual_.clear();
    return errors() == 0;
  }

  size_t pending_expected() const { return expected_.size(); }
  size_t pending_actual() const { return actual_.size(); }

 private:
  void compare(uint64_t idx, const T &exp, const T &act) {
    if (eq_(exp, act)) {
      ++matched_;
      return;
    }
    ++mismatches_;
    report("SB.MISMATCH", "item #" + std::to_string(idx) + ": expected " + fmt_(exp) + ", actual " + fmt_(act));
  }

  Formatter fmt_;
  Equal eq_;
  std::deque<std::pair<uint64_t, T>> expected_;  // (index, item)
  std::deque<T> actual_;
  uint64_t next_expected_ = 0, actual_count_ = 0;
  bool expect_first_ = true;
  size_t resync_ = 0;
};

// Items matched by key, in any order across keys (in order within one key when keys may
// repeat). K needs operator<.
template <class K, class T>
class KeyedScoreboard : public ScoreboardBase {
 public:
  using Formatter = std::function<std::string(const T &)>;
  using KeyFormatter = std::function<std::string(const K &)>;
  using Equal = std::function<bool(const T &, const T &)>;

  explicit KeyedScoreboard(std::string name, Formatter fmt = sb_format<T>, KeyFormatter kfmt = sb_format<K>,
                           Equal eq = std::equal_to<T>())
      : ScoreboardBase(std::move(name)), fmt_(std::move(fmt)), kfmt_(std::move(kfmt)), eq_(std::move(eq)) {}

  // true (default): a key is used once per test; a second expectation or a second actual
  // item for it is a duplicate. false: keys repeat and items of one key match in order.
  void set_unique_keys(bool on) { unique_ = on; }
  // As InOrderScoreboard::set_expect_first.
  void set_expect_first(bool on) { expect_first_ = on; }

  void expect(const K &key, T v) {
    Slot &s = slots_[key];
    if (unique_ && (!s.expected.empty() || done_.count(key))) {
      ++duplicates_;
      report("SB.DUPLICATE", "key " + kfmt_(key) + " expected twice: " + fmt_(v));
      cleanup(key, s);
      return;
    }
    if (!s.actual.empty()) {
      compare(key, v, s.actual.front());
      s.actual.pop_front();
      if (unique_) done_.insert(key);
      cleanup(key, s);
    } else {
      s.expected.push_back(std::move(v));
    }
  }

  void actual(const K &key, T v) {
    auto it = slots_.find(key);
    if (it != slots_.end() && !it->second.expected.empty()) {
      Slot &s = it->second;
      compare(key, s.expected.front(), v);
      s.expected.pop_front();
      if (unique_) done_.insert(key);
      cleanup(key, s);
      return;
    }
    if (unique_ && (done_.count(key) || (it != slots_.end() && !it->second.actual.empty()))) {
      ++duplicates_;
      report("SB.DUPLICATE", "key " + kfmt_(key) + ": actual item arrived again: " + fmt_(v));
      return;
    }
    if (expect_first_) {
      ++unexpected_;
      report("SB.UNEXPECTED", "key " + kfmt_(key) + ": actual item with no expectation: " + fmt_(v));
      return;
    }
    slots_[key].actual.push_back(std::move(v));
  }

  // End-of-test check, as InOrderScoreboard::drain (leftovers reported in key order).
  bool drain() {
    uint64_t le = 0, la = 0;
    for (const auto &kv : slots_) {
      le += kv.second.expected.size();
      la += kv.second.actual.size();
    }
    drain_summary(le, la);
    for (const auto &kv : slots_) {
      for (const auto &e : kv.second.expected) {
        ++missing_;
        report("SB.MISSING", "key " + kfmt_(kv.first) + ": expected item never arrived: " + fmt_(e));
      }
      for (const auto &a : kv.second.actual) {
        ++unexpected_;
        report("SB.UNEXPECTED", "key " + kfmt_(kv.first) + ": actual item never expected: " + fmt_(a));
      }
    }
    slots_.clear();
    return errors() == 0;
  }

  size_t pending() const {
    size_t n = 0;
    for (const auto &kv : slots_) n += kv.second.expected.size() + kv.second.actual.size();
    return n;
  }

 private:
  struct Slot {
    std::deque<T> expected, actual;
  };
  void compare(const K &key, const T &exp, const T &act) {
    if (eq_(exp, act)) {
      ++matched_;
      return;
    }
    ++mismatches_;
    report("SB.MISMATCH", "key " + kfmt_(key) + ": expected " + fmt_(exp) + ", actual " + fmt_(act));
  }
  void cleanup(const K &key, const Slot &s) {
    if (s.expected.empty() && s.actual.empty()) slots_.erase(key);
  }

  Formatter fmt_;
  KeyFormatter kfmt_;
  Equal eq_;
  std::map<K, Slot> slots_;
  std::set<K> done_;
  bool unique_ = true, expect_first_ = true;
};

// Result of a memory comparison.
struct MemDiff {
  uint64_t count = 0;       // differing bytes
  uint64_t compared = 0;    // bytes compared
  uint64_t first_addr = 0;  // first differing address (when count > 0)
  // Bytes from first_addr on (up to 16, within the region of the first difference).
  std::vector<uint8_t> expected, actual;
  bool ok() const { return count == 0; }
};

// Expected memory contents (for instance the golden model's writes) compared with the
// DUT's memory. Each failing check is one SB.MEMORY error and counts as one mismatch.
class MemoryScoreboard : public ScoreboardBase {
 public:
  using Reader = std::function<void(uint64_t addr, uint8_t *out, size_t n)>;
  explicit MemoryScoreboard(std::string name) : ScoreboardBase(std::move(name)) {}

  // Records expected bytes; later writes win where they overlap.
  void expect(uint64_t addr, const uint8_t *data, size_t n);
  void expect(uint64_t addr, const std::vector<uint8_t> &data) { expect(addr, data.data(), data.size()); }
  // The expected regions: (start address, bytes), disjoint, sorted, adjacent ones joined.
  const std::map<uint64_t, std::vector<uint8_t>> &regions() const { return regions_; }
  uint64_t expected_bytes() const;

  // Compares the expected bytes inside [addr, addr + n) with `actual` (bytes with no
  // expectation are not compared).
  MemDiff check(uint64_t addr, const uint8_t *actual, size_t n);
  // Compares every expected region with memory read through `read`.
  MemDiff check_all(const Reader &read);
  // Compares two images of the region [addr, addr + n).
  MemDiff compare(uint64_t addr, const uint8_t *expected, const uint8_t *actual, size_t n);
  // Bytes found different by all checks so far.
  uint64_t bytes_differ() const { return bytes_differ_; }

 private:
  void diff(uint64_t addr, const uint8_t *exp, const uint8_t *act, size_t n, MemDiff &d) const;
  void finish(const MemDiff &d, uint64_t lo, uint64_t hi);
  std::map<uint64_t, std::vector<uint8_t>> regions_;
  uint64_t bytes_differ_ = 0;
};

}  // namespace ncv::tb
