// A tile job as system tests build it: a golden-builder program, the four instruction
// rings and the notification ring laid out in device memory, and the golden model's run
// of the same image (tile.md "Launch"), which gives the expected outputs and CSRs.
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "nct_csr_regs.h"
#include "ncv/golden/builder.h"
#include "ncv/golden/tile_model.h"
#include "ncv/sled/sled.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

namespace ncv::tbsys {

// The golden model's device memory: sparse 4 KiB pages (unwritten bytes read 0, like HBM).
class SparseMemory : public golden::DeviceMemory {
 public:
  golden::MemStatus read(uint64_t a, uint8_t *d, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      auto it = pages_.find((a + i) >> 12);
      d[i] = it == pages_.end() ? 0 : it->second[(a + i) & 0xFFF];
    }
    return golden::MemStatus::kOk;
  }
  golden::MemStatus write(uint64_t a, const uint8_t *s, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      auto &pg = pages_[(a + i) >> 12];
      if (pg.empty()) pg.assign(4096, 0);
      pg[(a + i) & 0xFFF] = s[i];
    }
    return golden::MemStatus::kOk;
  }
  std::vector<uint8_t> get(uint64_t a, size_t n) {
    std::vector<uint8_t> v(n);
    read(a, v.data(), n);
    return v;
  }

 private:
  std::map<uint64_t, std::vector<uint8_t>> pages_;
};

struct Ring {
  uint64_t addr = 0;
  unsigned log2 = 0;
  uint32_t tail = 0;  // instructions in it
  std::vector<uint8_t> bytes;
};

// Where a job's rings live in device memory, and its notification ring (2^nq_log2 records).
struct JobImage {
  std::array<Ring, 4> rings;
  uint64_t nq_base = 0;
  unsigned nq_log2 = 6;
};

// Rings of at least 16 entries (one slot stays free), packed upwards from `at`; the
// notification ring follows them.
inline JobImage job_image(const golden::build::Program &prog, uint64_t at = 0x800000) {
  JobImage img;
  for (unsigned q = 0; q < 4; ++q) {
    Ring &r = img.rings[q];
    r.log2 = 4;
    while ((1u << r.log2) < prog.queues[q].size() + 1) ++r.log2;
    r.addr = at;
    r.tail = uint32_t(prog.queues[q].size());
    r.bytes.assign(16u << r.log2, 0);
    for (size_t i = 0; i < prog.queues[q].size(); ++i) {
      std::memcpy(r.bytes.data() + 16 * i, &prog.queues[q][i].lo, 8);
      std::memcpy(r.bytes.data() + 16 * i + 8, &prog.queues[q][i].hi, 8);
    }
    at += r.bytes.size();
  }
  img.nq_base = at;
  return img;
}

// tile.md "Launch" (as firmware does it) through `csr(offset, value)`: soft reset, rings,
// notification ring, interrupt enable, enable, tails.
template <typename Csr>
void launch_csrs(const JobImage &img, Csr csr) {
  csr(NCT_CSR_CTRL, NCT_CSR_CTRL_SOFT_RESET_MASK);
  for (unsigned q = 0; q < 4; ++q) {
    const Ring &r = img.rings[q];
    csr(NCT_CSR_Q_BASE_LO(q), uint32_t(r.addr));
    csr(NCT_CSR_Q_BASE_HI(q), uint32_t(r.addr >> 32));
    csr(NCT_CSR_Q_SIZE(q), r.log2);
  }
  csr(NCT_CSR_NQ_BASE_LO, uint32_t(img.nq_base));
  csr(NCT_CSR_NQ_BASE_HI, uint32_t(img.nq_base >> 32));
  csr(NCT_CSR_NQ_SIZE, img.nq_log2);
  csr(NCT_CSR_INTR_ENABLE, 0xFF);
  csr(NCT_CSR_CTRL, NCT_CSR_CTRL_ENABLE_MASK);
  for (unsigned q = 0; q < 4; ++q)
    if (img.rings[q].tail) csr(NCT_CSR_Q_TAIL(q), img.rings[q].tail);
}

// The whole launch of `prog`: its rings placed with `mem(addr, bytes)`, then the CSRs.
template <typename Csr, typename Mem>
void launch(const golden::build::Program &prog, Csr csr, Mem mem) {
  const JobImage img = job_image(prog);
  for (const Ring &r : img.rings) mem(r.addr, r.bytes);
  launch_csrs(img, csr);
}

// Chip c's HBM through the management window (addresses below 256 MiB).
inline void win_write(ncv::sled::Sled &s, unsigned chip, uint64_t a, const std::vector<uint8_t> &v) {
  s.tb_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_CHIP, chip);
  s.tb_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_BASE, 0);
  for (size_t i = 0; i < v.size(); i += 4) {
    uint32_t w = 0;
    std::memcpy(&w, v.data() + i, std::min<size_t>(4, v.size() - i));
    s.tb_write32(SLED_HBM_WIN_BASE + uint32_t(a + i), w);
  }
}
inline std::vector<uint8_t> win_read(ncv::sled::Sled &s, unsigned chip, uint64_t a, size_t n) {
  s.tb_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_CHIP, chip);
  s.tb_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_BASE, 0);
  std::vector<uint8_t> v((n + 3) & ~size_t(3));
  for (size_t i = 0; i < v.size(); i += 4) {
    const uint32_t w = s.tb_read32(SLED_HBM_WIN_BASE + uint32_t(a + i));
    std::memcpy(v.data() + i, &w, 4);
  }
  v.resize(n);
  return v;
}

// The golden model running `prog` from `img`, launched through its CSRs as firmware does.
struct GoldenJob {
  SparseMemory mem;
  golden::TileModel model;
  GoldenJob(const golden::TileParams &p, const golden::build::Program &prog, const JobImage &img) : model(p, &mem) {
    for (const auto &s : prog.memory) mem.write(s.addr, s.bytes.data(), s.bytes.size());
    for (const Ring &r : img.rings) mem.write(r.addr, r.bytes.data(), r.bytes.size());
    launch_csrs(img, [this](uint32_t o, uint32_t v) { model.csr_write(o, v); });
    model.run();
  }
  uint64_t retired() {
    uint64_t n = 0;
    for (unsigned q = 0; q < 4; ++q) n += model.csr_read(NCT_CSR_Q_STATUS(q)) >> NCT_CSR_Q_STATUS_RETIRED_SHIFT;
    return n;
  }
};

}  // namespace ncv::tbsys
