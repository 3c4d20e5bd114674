#include "ncv/golden/tile_model.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "nct_csr_regs.h"

namespace ncv::golden {

static bool pow2(uint32_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

void validate(const TileParams &p) {
  auto bad = [](const char *field, uint32_t v, const char *expect) {
    throw std::invalid_argument(std::string("tile parameter ") + field + " = " + std::to_string(v) + ": expected " +
                                expect);
  };
  if (p.P < 4 || p.P > 128 || !pow2(p.P)) bad("P", p.P, "a power of 2 in 4..128");
  if (p.SBUF_PART_BYTES % 1024 || p.SBUF_PART_BYTES == 0 || p.SBUF_PART_BYTES > 262144)
    bad("SBUF_PART_BYTES", p.SBUF_PART_BYTES, "a multiple of 1024 up to 262144");
  if (p.PSUM_PART_BYTES % 1024 || p.PSUM_PART_BYTES == 0 || p.PSUM_PART_BYTES > 262144)
    bad("PSUM_PART_BYTES", p.PSUM_PART_BYTES, "a multiple of 1024 up to 262144");
  if (p.NMAX % 16 || p.NMAX == 0 || p.NMAX > 1024) bad("NMAX", p.NMAX, "a multiple of 16 up to 1024");
  if (p.NSEM == 0 || p.NSEM > 64) bad("NSEM", p.NSEM, "1..64");
  if (p.AXI_DW < 64 || p.AXI_DW > 512 || !pow2(p.AXI_DW)) bad("AXI_DW", p.AXI_DW, "a power of 2 in 64..512");
}

TileModel::TileModel(const TileParams &params, DeviceMemory *mem)
    : params_((validate(params), params)), core_(params_, mem ? *mem : none_) {}

// Every INTR_STATUS bit.
static constexpr uint32_t kIntrAll = NCT_CSR_INTR_STATUS_Q_DONE_MASK | NCT_CSR_INTR_STATUS_NOTIFY_MASK |
                                     NCT_CSR_INTR_STATUS_ERROR_MASK | NCT_CSR_INTR_STATUS_WATCHDOG_MASK |
                                     NCT_CSR_INTR_STATUS_NQ_OVERFLOW_MASK;

static uint32_t put(uint32_t value, uint32_t shift, uint32_t mask) {
  return (value << shift) & mask;
}

// Index of a register array element: offset = base + stride * i, i < count.
static bool in_array(uint32_t off, uint32_t base, uint32_t stride, uint32_t count, unsigned &i) {
  if (off < base || (off - base) % stride || (off - base) / stride >= count) return false;
  i = (off - base) / stride;
  return true;
}

uint32_t TileModel::csr_read(uint32_t offset) const {
  const TileParams &p = params_;
  const Core &c = core_;
  const Perf &pf = c.perf();
  switch (offset) {
    case NCT_CSR_ID: return NCT_CSR_ID_RESET;
    case NCT_CSR_VERSION:
      return put(p.VERSION_MAJOR, NCT_CSR_VERSION_MAJOR_SHIFT, NCT_CSR_VERSION_MAJOR_MASK) |
             put(p.VERSION_MINOR, NCT_CSR_VERSION_MINOR_SHIFT, NCT_CSR_VERSION_MINOR_MASK) |
             put(p.VERSION_PATCH, NCT_CSR_VERSION_PATCH_SHIFT, NCT_CSR_VERSION_PATCH_MASK);
    case NCT_CSR_CONFIG0:
      return put(p.P, NCT_CSR_CONFIG0_P_SHIFT, NCT_CSR_CONFIG0_P_MASK) |
             put(p.NSEM, NCT_CSR_CONFIG0_NSEM_SHIFT, NCT_CSR_CONFIG0_NSEM_MASK) |
             put(p.NMAX / 16, NCT_CSR_CONFIG0_NMAX_DIV16_SHIFT, NCT_CSR_CONFIG0_NMAX_DIV16_MASK) |
             put(p.AXI_DW / 8, NCT_CSR_CONFIG0_AXI_BYTES_SHIFT, NCT_CSR_CONFIG0_AXI_BYTES_MASK);
    case NCT_CSR_CONFIG1:
      return put(p.SBUF_PART_BYTES / 1024, NCT_CSR_CONFIG1_SBUF_KB_SHIFT, NCT_CSR_CONFIG1_SBUF_KB_MASK) |
             put(p.PSUM_PART_BYTES / 1024, NCT_CSR_CONFIG1_PSUM_KB_SHIFT, NCT_CSR_CONFIG1_PSUM_KB_MASK) |
             put(p.FEATURES, NCT_CSR_CONFIG1_FEATURES_SHIFT, NCT_CSR_CONFIG1_FEATURES_MASK);
    case NCT_CSR_CTRL: return ctrl_;  // SOFT_RESET self-clears, so it reads 0
    case NCT_CSR_STATUS: {
      uint32_t v = 0;
      for (unsigned q = 0; q < Core::kQueues; ++q) {
        const unsigned st = std::min(3u, unsigned(c.state(q)));  // DONE and ERR share 3
        v |= st << (NCT_CSR_STATUS_Q1_STATE_SHIFT * q);
      }
      return v | put(c.busy() ? 1u : 0u, NCT_CSR_STATUS_BUSY_SHIFT, NCT_CSR_STATUS_BUSY_MASK);
    }
    case NCT_CSR_INTR_STATUS: return c.intr_status();
    case NCT_CSR_INTR_ENABLE: return intr_enable_;
    case NCT_CSR_ERR_CODE: return static_cast<uint32_t>(c.error().code);
    case NCT_CSR_ERR_QUEUE: return c.error().code == Err::kNone ? 0u : c.error().queue;
    case NCT_CSR_ERR_INDEX: return c.error().index;
    case NCT_CSR_ERR_ADDR_LO: return static_cast<uint32_t>(c.error().addr);
    case NCT_CSR_ERR_ADDR_HI: return static_cast<uint32_t>(c.error().addr >> 32);
    case NCT_CSR_WATCHDOG: return watchdog_;
    case NCT_CSR_NQ_BASE_LO: return nq_base_lo_;
    case NCT_CSR_NQ_BASE_HI: return nq_base_hi_;
    case NCT_CSR_NQ_SIZE: return nq_size_;
    case NCT_CSR_NQ_HEAD: return c.nq_head();
    case NCT_CSR_NQ_TAIL: return c.nq_tail();
    case NCT_CSR_PERF_CYCLES: return static_cast<uint32_t>(pf.cycles);
    case NCT_CSR_PERF_DMA_RD: return static_cast<uint32_t>(pf.dma_rd);
    case NCT_CSR_PERF_DMA_WR: return static_cast<uint32_t>(pf.dma_wr);
    case NCT_CSR_PERF_MACS_LO: return static_cast<uint32_t>(pf.macs);
    case NCT_CSR_PERF_MACS_HI: return static_cast<uint32_t>(pf.macs >> 32);
    default: break;
  }
  unsigned i = 0;
  if (offset >= NCT_CSR_Q_BASE_LO(0) && offset < NCT_CSR_Q_BASE_LO(Core::kQueues)) {
    const unsigned q = (offset - NCT_CSR_Q_BASE_LO(0)) / 0x20u;
    switch (offset - NCT_CSR_Q_BASE_LO(q)) {
      case NCT_CSR_Q_BASE_LO(0) - NCT_CSR_Q_BASE_LO(0): return q_base_lo_[q];
      case NCT_CSR_Q_BASE_HI(0) - NCT_CSR_Q_BASE_LO(0): return q_base_hi_[q];
      case NCT_CSR_Q_SIZE(0) - NCT_CSR_Q_BASE_LO(0): return q_size_[q];
      case NCT_CSR_Q_HEAD(0) - NCT_CSR_Q_BASE_LO(0): return c.head(q);
      case NCT_CSR_Q_TAIL(0) - NCT_CSR_Q_BASE_LO(0): return q_tail_[q];
      case NCT_CSR_Q_CTRL(0) - NCT_CSR_Q_BASE_LO(0): return c.hold(q) ? NCT_CSR_Q_CTRL_HOLD_MASK : 0u;
      case NCT_CSR_Q_STATUS(0) - NCT_CSR_Q_BASE_LO(0):
        return put(unsigned(c.state(q)), NCT_CSR_Q_STATUS_STATE_SHIFT, NCT_CSR_Q_STATUS_STATE_MASK) |
               put(c.retired(q), NCT_CSR_Q_STATUS_RETIRED_SHIFT, NCT_CSR_Q_STATUS_RETIRED_MASK);
      default: return 0;
    }
  }
  if (in_array(offset, NCT_CSR_SEM_VAL(0), 4, p.NSEM, i)) return c.semaphore(i);
  if (in_array(offset, NCT_CSR_PERF_BUSY(0), 4, NCT_CSR_PERF_BUSY_COUNT, i))
    return static_cast<uint32_t>(pf.busy[i]);
  if (in_array(offset, NCT_CSR_PERF_SEMWAIT(0), 4, NCT_CSR_PERF_SEMWAIT_COUNT, i))
    return static_cast<uint32_t>(pf.semwait[i]);
  return 0;
}

void TileModel::write_ring(unsigned q) {
  core_.set_ring(q, (uint64_t(q_base_hi_[q]) << 32) | (q_base_lo_[q] & ~0xFu), q_size_[q]);  // 16-byte entries
}

void TileModel::write_nq() {
  core_.set_notify_ring((uint64_t(nq_base_hi_) << 32) | (nq_base_lo_ & ~0xFu), nq_size_);
}

void TileModel::csr_write(uint32_t offset, uint32_t value) {
  Core &c = core_;
  switch (offset) {
    case NCT_CSR_CTRL:
      if (value & NCT_CSR_CTRL_SOFT_RESET_MASK) {
        c.soft_reset();
        for (uint32_t &t : q_tail_) t = 0;
      }
      ctrl_ = value & (NCT_CSR_CTRL_ENABLE_MASK | NCT_CSR_CTRL_HALT_ALL_MASK);
      c.set_enable(ctrl_ & NCT_CSR_CTRL_ENABLE_MASK);
      c.set_halt_all(ctrl_ & NCT_CSR_CTRL_HALT_ALL_MASK);
      return;
    case NCT_CSR_INTR_STATUS: c.intr_clear(value & kIntrAll); return;
    case NCT_CSR_INTR_ENABLE: intr_enable_ = value & kIntrAll; return;
    case NCT_CSR_INTR_SET: c.intr_raise(value & kIntrAll); return;
    case NCT_CSR_WATCHDOG:
      watchdog_ = value;
      c.set_watchdog(value);
      return;
    case NCT_CSR_NQ_BASE_LO: nq_base_lo_ = value, write_nq(); return;
    case NCT_CSR_NQ_BASE_HI: nq_base_hi_ = value & 0xFFu, write_nq(); return;
    case NCT_CSR_NQ_SIZE: nq_size_ = value & NCT_CSR_NQ_SIZE_LOG2_MASK, write_nq(); return;
    case NCT_CSR_NQ_HEAD: c.set_nq_head(value); return;
    default: break;
  }
  unsigned i = 0;
  if (offset >= NCT_CSR_Q_BASE_LO(0) && offset < NCT_CSR_Q_BASE_LO(Core::kQueues)) {
    const unsigned q = (offset - NCT_CSR_Q_BASE_LO(0)) / 0x20u;
    switch (offset - NCT_CSR_Q_BASE_LO(q)) {
      case NCT_CSR_Q_BASE_LO(0) - NCT_CSR_Q_BASE_LO(0): q_base_lo_[q] = value, write_ring(q); return;
      case NCT_CSR_Q_BASE_HI(0) - NCT_CSR_Q_BASE_LO(0): q_base_hi_[q] = value & 0xFFu, write_ring(q); return;
      case NCT_CSR_Q_SIZE(0) - NCT_CSR_Q_BASE_LO(0): q_size_[q] = value & NCT_CSR_Q_SIZE_LOG2_MASK, write_ring(q); return;
      case NCT_CSR_Q_TAIL(0) - NCT_CSR_Q_BASE_LO(0): q_tail_[q] = value, c.doorbell(q, value); return;
      case NCT_CSR_Q_CTRL(0) - NCT_CSR_Q_BASE_LO(0): c.set_hold(q, value & NCT_CSR_Q_CTRL_HOLD_MASK); return;
      default: return;
    }
  }
  if (in_array(offset, NCT_CSR_SEM_SET(0), 4, params_.NSEM, i)) return c.set_semaphore(i, value);
  if (in_array(offset, NCT_CSR_SEM_INC(0), 4, params_.NSEM, i)) return c.sem_add(i, value);
  if (in_array(offset, NCT_CSR_SEM_DEC(0), 4, params_.NSEM, i)) return c.sem_add(i, 0u - value);
}

uint64_t TileModel::run(uint64_t seed, uint64_t max_steps) {
  const uint64_t n = seed ? core_.run_random(seed, max_steps) : core_.run_round_robin(max_steps);
  if (watchdog_ && core_.busy()) {
    bool stuck = true;
    for (unsigned q = 0; q < Core::kQueues; ++q) stuck = stuck && !core_.can_issue(q);
    if (stuck) core_.advance(watchdog_);
  }
  return n;
}

}  // namespace ncv::golden
