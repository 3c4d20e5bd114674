#include "axi_mem.h"

#include <cstring>

namespace ncv::tbtile {

using golden::MemStatus;

MemStatus DevMem::check(uint64_t a, size_t n) const {
  if (a + n > m.size() || a + n < a) return MemStatus::kDecodeError;
  for (const Bad &b : bad)
    if (a < b.hi && a + n > b.lo) return b.decode ? MemStatus::kDecodeError : MemStatus::kBusError;
  return MemStatus::kOk;
}

MemStatus DevMem::read(uint64_t a, uint8_t *d, size_t n) {
  const MemStatus st = check(a, n);
  if (st == MemStatus::kOk) std::memcpy(d, m.data() + a, n);
  return st;
}

MemStatus DevMem::write(uint64_t a, const uint8_t *s, size_t n) {
  const MemStatus st = check(a, n);
  if (st == MemStatus::kOk) std::memcpy(m.data() + a, s, n);
  return st;
}

AxiMem::AxiMem(DevMem &mem, unsigned data_bytes, uint64_t seed, const AxiTiming &t)
    : mem_(mem), bytes_(data_bytes), rng_(seed, "tb.tile.axi_mem"), t_(t) {
  pins_ = {};
  pins_.r_data.assign(bytes_, 0);
}

uint64_t AxiMem::beat_addr(const Burst &b, unsigned i) const {
  const uint64_t sz = uint64_t(1) << b.size;
  return i == 0 ? b.addr : (b.addr & ~(sz - 1)) + uint64_t(i) * sz;
}

void AxiMem::classify(Burst &b) const {
  const uint64_t sz = uint64_t(1) << b.size;
  const uint64_t lo = b.addr & ~(sz - 1), n = uint64_t(b.len + 1) * sz;
  const MemStatus st = mem_.check(lo, n);
  b.error = st != MemStatus::kOk;
  b.decode = st == MemStatus::kDecodeError;
}

const AxiMem::Pins &AxiMem::drive(uint64_t cycle) {
  pins_.ar_ready = rng_.chance(t_.ar_ready);
  pins_.aw_ready = rng_.chance(t_.aw_ready);
  pins_.w_ready = rng_.chance(t_.w_ready);
  // R: keep offering the same beat until it is taken (AXI: valid may not drop).
  if (!pins_.r_valid) {
    r_pick_ = -1;
    if (!rng_.chance(t_.r_gap)) {
      std::vector<int> ok;
      for (size_t i = 0; i < reads_.size(); ++i) {
        const Burst &b = reads_[i];
        if (b.ready_at > cycle) {
          if (!t_.interleave) break;
          continue;
        }
        bool first_of_id = true;  // per-ID order
        for (size_t j = 0; j < i; ++j)
          if (reads_[j].id == b.id) first_of_id = false;
        if (first_of_id) ok.push_back(int(i));
        if (!t_.interleave) break;
      }
      if (!ok.empty()) r_pick_ = ok[rng_.range(0, ok.size() - 1)];
    }
    if (r_pick_ >= 0) {
      const Burst &b = reads_[size_t(r_pick_)];
      const uint64_t a = beat_addr(b, b.beat) & ~uint64_t(bytes_ - 1);
      pins_.r_valid = true;
      pins_.r_id = b.id;
      pins_.r_last = b.beat == b.len;
      pins_.r_resp = b.error ? (b.decode ? 3u : 2u) : 0u;
      for (unsigned i = 0; i < bytes_; ++i) pins_.r_data[i] = (!b.error && a + i < mem_.m.size()) ? mem_.m[a + i] : 0;
    }
  }
  if (!pins_.b_valid && !bq_.empty() && bq_.front().ready_at <= cycle) {
    pins_.b_valid = true;
    pins_.b_id = bq_.front().id;
    pins_.b_resp = bq_.front().resp;
  }
  return pins_;
}

void AxiMem::edge(const Master &m, uint64_t cycle) {
  const auto lat = [&] { return cycle + rng_.range(t_.min_lat, t_.max_lat); };
  if (m.ar_valid && pins_.ar_ready) {
    Burst b{m.ar_id, m.ar_len, m.ar_size, m.ar_addr, lat()};
    classify(b);
    errors += b.error;
    reads_.push_back(b);
  }
  if (pins_.r_valid && m.r_ready) {
    Burst &b = reads_[size_t(r_pick_)];
    ++read_beats;
    if (b.beat++ == b.len) reads_.erase(reads_.begin() + r_pick_);
    pins_.r_valid = false;
  }
  if (m.aw_valid && pins_.aw_ready) {
    Burst b{m.aw_id, m.aw_len, m.aw_size, m.aw_addr, 0};
    classify(b);
    errors += b.error;
    writes_.push_back(b);
  }
  if (m.w_valid && pins_.w_ready && !writes_.empty()) {
    Burst &b = writes_.front();
    const uint64_t a = beat_addr(b, b.beat) & ~uint64_t(bytes_ - 1);
    if (!b.error)
      for (unsigned i = 0; i < bytes_; ++i)
        if (m.w_strb[i] && a + i < mem_.m.size()) mem_.m[a + i] = m.w_data[i];
    ++write_beats;
    if (b.beat++ == b.len || m.w_last) {
      bq_.push_back({b.id, b.error ? (b.decode ? 3u : 2u) : 0u, lat()});
      writes_.pop_front();
    }
  }
  if (pins_.b_valid && m.b_ready) {
    bq_.pop_front();
    pins_.b_valid = false;
  }
}

}  // namespace ncv::tbtile
