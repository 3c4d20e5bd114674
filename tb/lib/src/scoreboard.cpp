#include "ncv/tb/scoreboard.h"

#include <algorithm>
#include <stdexcept>

#include "ncv/tb/log.h"

namespace ncv::tb {

namespace {

constexpr size_t kMaxKeptReports = 1000;
constexpr size_t kShownBytes = 16;

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}

std::string bytes(const std::vector<uint8_t> &v) {
  std::string s;
  char b[4];
  for (uint8_t x : v) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += (s.empty() ? "" : " ") + std::string(b);
  }
  return s;
}

}  // namespace

void ScoreboardBase::report(const char *id, const std::string &text) {
  const std::string line = name_ + ": " + text;
  if (reports_.size() < kMaxKeptReports) reports_.push_back(std::string(id) + ": " + line);
  if (!log_) return;
  if (logged_ < max_logged_) {
    Log::get().error(id, line);
  } else if (logged_ == max_logged_) {
    Log::get().warning("SB.LIMIT", name_ + ": further problems are counted but not logged");
  } else {
    return;
  }
  ++logged_;
}

bool ScoreboardBase::drain_summary(uint64_t left_expected, uint64_t left_actual) {
  if (left_expected == 0 && left_actual == 0) return true;
  const std::string text = "drain: " + std::to_string(left_expected) + " expected items never arrived, " +
                           std::to_string(left_actual) + " actual items never expected";
  report("SB.DRAIN", text);
  return false;
}

// ---------------------------------------------------------------------------------------
// MemoryScoreboard

void MemoryScoreboard::expect(uint64_t addr, const uint8_t *data, size_t n) {
  if (n == 0) return;
  const uint64_t hi_new = addr + (n - 1);
  if (hi_new < addr) throw std::invalid_argument("MemoryScoreboard " + name_ + ": region wraps the address space");
  auto last = [](const std::pair<const uint64_t, std::vector<uint8_t>> &r) { return r.first + (r.second.size() - 1); };
  // Regions overlapping or touching [addr, hi_new] are joined with it into one.
  auto first = regions_.upper_bound(addr);
  if (first != regions_.begin()) {
    auto prev = std::prev(first);
    if (last(*prev) >= addr || last(*prev) + 1 == addr) first = prev;
  }
  uint64_t lo = addr, hi = hi_new;
  auto it = first;
  for (; it != regions_.end() && (it->first <= hi_new || (hi_new != UINT64_MAX && it->first == hi_new + 1)); ++it) {
    lo = std::min(lo, it->first);
    hi = std::max(hi, last(*it));
  }
  std::vector<uint8_t> merged(static_cast<size_t>(hi - lo + 1));
  for (auto j = first; j != it; ++j) std::copy(j->second.begin(), j->second.end(), merged.begin() + (j->first - lo));
  std::copy(data, data + n, merged.begin() + (addr - lo));
  regions_.erase(first, it);
  regions_.emplace(lo, std::move(merged));
}

uint64_t MemoryScoreboard::expected_bytes() const {
  uint64_t n = 0;
  for (const auto &r : regions_) n += r.second.size();
  return n;
}

void MemoryScoreboard::diff(uint64_t addr, const uint8_t *exp, const uint8_t *act, size_t n, MemDiff &d) const {
  d.compared += n;
  for (size_t i = 0; i < n; ++i) {
    if (exp[i] == act[i]) continue;
    if (d.count++ == 0) {
      d.first_addr = addr + i;
      const size_t k = std::min(kShownBytes, n - i);
      d.expected.assign(exp + i, exp + i + k);
      d.actual.assign(act + i, act + i + k);
    }
  }
}

void MemoryScoreboard::finish(const MemDiff &d, uint64_t lo, uint64_t hi) {
  if (d.ok()) {
    matched_ += 1;
    return;
  }
  ++mismatches_;
  bytes_differ_ += d.count;
  report("SB.MEMORY", std::to_string(d.count) + " of " + std::to_string(d.compared) + " bytes differ in [" + hex(lo) +
                          ", " + hex(hi) + "]; first at " + hex(d.first_addr) + ": expected " + bytes(d.expected) +
                          ", actual " + bytes(d.actual));
}

MemDiff MemoryScoreboard::check(uint64_t addr, const uint8_t *actual, size_t n) {
  MemDiff d;
  if (n == 0) return d;
  const uint64_t hi = addr + (n - 1);
  if (hi < addr) throw std::invalid_argument("MemoryScoreboard " + name_ + ": region wraps the address space");
  auto it = regions_.upper_bound(addr);
  if (it != regions_.begin()) --it;
  for (; it != regions_.end() && it->first <= hi; ++it) {
    const uint64_t rlo = it->first, rhi = rlo + (it->second.size() - 1);
    if (rhi < addr) continue;
    const uint64_t a = std::max(addr, rlo), b = std::min(hi, rhi);
    diff(a, it->second.data() + (a - rlo), actual + (a - addr), static_cast<size_t>(b - a + 1), d);
  }
  finish(d, addr, hi);
  return d;
}

MemDiff MemoryScoreboard::check_all(const Reader &read) {
  MemDiff d;
  std::vector<uint8_t> buf;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const auto &r : regions_) {
    buf.assign(r.second.size(), 0);
    read(r.first, buf.data(), buf.size());
    diff(r.first, r.second.data(), buf.data(), buf.size(), d);
    lo = std::min(lo, r.first);
    hi = std::max(hi, r.first + (r.second.size() - 1));
  }
  if (regions_.empty()) lo = 0;
  finish(d, lo, hi);
  return d;
}

MemDiff MemoryScoreboard::compare(uint64_t addr, const uint8_t *expected, const uint8_t *actual, size_t n) {
  MemDiff d;
  if (n == 0) return d;
  diff(addr, expected, actual, n, d);
  finish(d, addr, addr + (n - 1));
  return d;
}

}  // namespace ncv::tb
