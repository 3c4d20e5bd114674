#include "tile_tb.h"

#include <verilated.h>
#include <verilated_fst_c.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <tuple>

#include "Vnct_tile.h"
#ifdef NCV_CODE_COVERAGE
#include "verilated_cov.h"
#endif
#include "Vnct_tile___024root.h"
#include "nct_csr_regs.h"
#include "nct_isa.h"

namespace ncv::tbtile {

namespace {

// Byte access to Verilated signals of any width.
template <class S>
void put_bytes(S &sig, const uint8_t *b, unsigned n) {
  if constexpr (std::is_integral_v<S>) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n && i < 8; ++i) v |= uint64_t(b[i]) << (8 * i);
    sig = static_cast<S>(v);
  } else {
    for (unsigned w = 0; w < (n + 3) / 4; ++w) {
      uint32_t v = 0;
      for (unsigned i = 0; i < 4 && 4 * w + i < n; ++i) v |= uint32_t(b[4 * w + i]) << (8 * i);
      sig[w] = v;
    }
  }
}

template <class S>
void get_bytes(const S &sig, uint8_t *b, unsigned n) {
  if constexpr (std::is_integral_v<S>) {
    const uint64_t v = sig;
    for (unsigned i = 0; i < n && i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
  } else {
    for (unsigned i = 0; i < n; ++i) b[i] = uint8_t(sig[i / 4] >> (8 * (i % 4)));
  }
}

std::string hex(uint64_t v, int w = 0) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%0*llx", w, static_cast<unsigned long long>(v));
  return b;
}

}  // namespace

struct TileTb::Impl {
  VerilatedContext ctx;
  std::unique_ptr<Vnct_tile> top;
  std::unique_ptr<VerilatedFstC> fst;
  // AXI-Lite master state.
  bool aw = false, w = false, b = false, ar = false, r = false;
  uint32_t rdata = 0;
};

TileTb::TileTb(const golden::TileParams &p, const TbConfig &cfg)
    : p_(p),
      cfg_(cfg),
      rtl_mem_(cfg.mem_bytes),
      model_mem_(cfg.mem_bytes),
      model_(p, &model_mem_),
      impl_(new Impl),
      log_(tb::Log::get()) {
  checker_ = std::make_unique<tb::RetireChecker>(
      model_, log_,
      [this](unsigned space, unsigned part, uint64_t lo, uint8_t *d, size_t n) {
        for (size_t i = 0; i < n; ++i)
          d[i] = space == 2 ? rtl_mem_.m[lo + i] : rtl_buf(space, part, uint32_t(lo + i));
      },
      [this](unsigned, unsigned, uint64_t lo, uint8_t *d, size_t n) {
        std::memcpy(d, model_mem_.m.data() + lo, n);
      });
  // Negative test of the lockstep checker: flip the RTL's first written byte of the n-th
  // retirement that writes bytes.
  checker_->before_compare = [this](const std::vector<golden::Span> &spans) {
    if (!cfg_.corrupt_retire || ++writing_retires_ != cfg_.corrupt_retire) return;
    const golden::Span &s = spans.front();
    if (s.space == 2)
      rtl_mem_.m[s.lo] ^= 0x01;
    else
      rtl_buf_write(s.space, s.partition, uint32_t(s.lo), uint8_t(rtl_buf(s.space, s.partition, uint32_t(s.lo)) ^ 0x01));
  };
  impl_->ctx.randReset(0);
  impl_->ctx.traceEverOn(!cfg.waves.empty());
  impl_->top.reset(new Vnct_tile(&impl_->ctx, "nct_top"));
  axi_.reset(new AxiMem(rtl_mem_, p.AXI_DW / 8, cfg.seed, cfg.timing));
  if (!cfg.waves.empty()) {
    impl_->fst.reset(new VerilatedFstC);
    impl_->top->trace(impl_->fst.get(), 99);
    impl_->fst->open(cfg.waves.c_str());
  }
  const uint64_t t0 = log_.now_ps();  // tiles run one after another: time continues
  log_.set_time_source([this, t0] { return t0 + cycle_ * 1000; });  // 1 GHz: a cycle is 1000 ps
  Vnct_tile &t = *impl_->top;
  t.rst_ni = 0;
  t.clk_i = 0;
  t.gated_cycles_i = 0;  // the bare tile's clock is never gated
  for (int i = 0; i < 4; ++i) tick();
  t.rst_ni = 1;
  tick();
}

TileTb::~TileTb() {
  if (impl_->fst) impl_->fst->close();
  impl_->top->final();
#ifdef NCV_CODE_COVERAGE  // only the code-coverage build links Verilator's coverage library
  if (!cfg_.code_coverage.empty()) impl_->ctx.coveragep()->write(cfg_.code_coverage);
#endif
}

void TileTb::load(uint64_t addr, const void *p, size_t n) {
  std::memcpy(rtl_mem_.m.data() + addr, p, n);
  std::memcpy(model_mem_.m.data() + addr, p, n);
}

void TileTb::load(uint64_t addr, const std::vector<uint8_t> &bytes) {
  load(addr, bytes.data(), bytes.size());
}

void TileTb::add_error_range(uint64_t lo, uint64_t hi, bool decode) {
  rtl_mem_.add_error(lo, hi, decode);
  model_mem_.add_error(lo, hi, decode);
}

uint8_t TileTb::rtl_buf(unsigned mem, unsigned part, uint32_t byte) const {
  const auto *r = impl_->top->rootp;
  const uint32_t w = mem ? r->nct_top__DOT__u_psum__DOT__mem_q[part][byte / 4]
                         : r->nct_top__DOT__u_sbuf__DOT__mem_q[part][byte / 4];
  return uint8_t(w >> (8 * (byte % 4)));
}

void TileTb::rtl_buf_write(unsigned mem, unsigned part, uint32_t byte, uint8_t v) {
  auto *r = impl_->top->rootp;
  uint32_t &w = mem ? r->nct_top__DOT__u_psum__DOT__mem_q[part][byte / 4]
                    : r->nct_top__DOT__u_sbuf__DOT__mem_q[part][byte / 4];
  const unsigned s = 8 * (byte % 4);
  w = (w & ~(0xFFu << s)) | (uint32_t(v) << s);
}

void TileTb::init_buffers(const std::function<uint8_t(unsigned, unsigned, uint32_t)> &f) {
  auto &b = model_.core().buffers();
  for (unsigned mem = 0; mem < 2; ++mem) {
    const uint32_t part = mem ? p_.PSUM_PART_BYTES : p_.SBUF_PART_BYTES;
    auto &v = mem ? b.psum : b.sbuf;
    for (unsigned p = 0; p < p_.P; ++p)
      for (uint32_t i = 0; i < part; ++i) {
        const uint8_t x = f(mem, p, i);
        v[size_t(p) * part + i] = x;
        rtl_buf_write(mem, p, i, x);
      }
  }
}

void TileTb::tick() {
  Vnct_tile &t = *impl_->top;
  const unsigned bw = p_.AXI_DW / 8;
  const AxiMem::Pins &s = axi_->drive(cycle_);
  t.m_axi_arready_i = s.ar_ready;
  t.m_axi_awready_i = s.aw_ready;
  t.m_axi_wready_i = s.w_ready;
  t.m_axi_rvalid_i = s.r_valid;
  t.m_axi_rid_i = s.r_id;
  t.m_axi_rresp_i = s.r_resp;
  t.m_axi_rlast_i = s.r_last;
  put_bytes(t.m_axi_rdata_i, s.r_data.data(), bw);
  t.m_axi_bvalid_i = s.b_valid;
  t.m_axi_bid_i = s.b_id;
  t.m_axi_bresp_i = s.b_resp;
  t.clk_i = 0;
  t.eval();
  if (impl_->fst) impl_->fst->dump(2 * cycle_);
  // Sample the master's side of this cycle's handshakes.
  AxiMem::Master m;
  m.ar_valid = t.m_axi_arvalid_o;
  m.ar_id = t.m_axi_arid_o;
  m.ar_addr = t.m_axi_araddr_o;
  m.ar_len = t.m_axi_arlen_o;
  m.ar_size = t.m_axi_arsize_o;
  m.r_ready = t.m_axi_rready_o;
  m.aw_valid = t.m_axi_awvalid_o;
  m.aw_id = t.m_axi_awid_o;
  m.aw_addr = t.m_axi_awaddr_o;
  m.aw_len = t.m_axi_awlen_o;
  m.aw_size = t.m_axi_awsize_o;
  m.w_valid = t.m_axi_wvalid_o;
  m.w_last = t.m_axi_wlast_o;
  m.b_ready = t.m_axi_bready_o;
  m.w_data.resize(bw);
  m.w_strb.resize(bw);
  get_bytes(t.m_axi_wdata_o, m.w_data.data(), bw);
  {
    const uint64_t strb = t.m_axi_wstrb_o;
    for (unsigned i = 0; i < bw; ++i) m.w_strb[i] = (bw > 64) ? 1 : uint8_t((strb >> i) & 1u);
  }
  Impl &im = *impl_;
  const bool aw_hs = t.s_axil_awvalid_i && t.s_axil_awready_o;
  const bool w_hs = t.s_axil_wvalid_i && t.s_axil_wready_o;
  const bool b_hs = t.s_axil_bvalid_o && t.s_axil_bready_i;
  const bool ar_hs = t.s_axil_arvalid_i && t.s_axil_arready_o;
  const bool r_hs = t.s_axil_rvalid_o && t.s_axil_rready_i;
  if (r_hs) im.rdata = t.s_axil_rdata_o;
  t.clk_i = 1;
  t.eval();
  if (impl_->fst) impl_->fst->dump(2 * cycle_ + 1);
  axi_->edge(m, cycle_);
  if (aw_hs) t.s_axil_awvalid_i = 0, im.aw = true;
  if (w_hs) t.s_axil_wvalid_i = 0, im.w = true;
  if (b_hs) t.s_axil_bready_i = 0, im.b = true;
  if (ar_hs) t.s_axil_arvalid_i = 0, im.ar = true;
  if (r_hs) t.s_axil_rready_i = 0, im.r = true;
  ++cycle_;
  // Internal signal (not a port): which queues execute something this cycle.
  if (on_cycle) on_cycle(unsigned(t.rootp->nct_top__DOT__active));
  // Retirements of the cycle that just ended (the trace port is registered).
  const unsigned valid = t.trace_valid_o;
  if (valid && t.rst_ni && cfg_.check) {
    const uint64_t idx = t.trace_index_o;
    const uint32_t ops = t.trace_opcode_o;
    for (unsigned q = 0; q < 4; ++q)
      if ((valid >> q) & 1u) check_retire(q, uint32_t(idx >> (16 * q)) & 0xFFFFu, uint8_t(ops >> (8 * q)));
  }
}

void TileTb::csr_write(uint32_t off, uint32_t v) {
  model_.csr_write(off, v);
  Vnct_tile &t = *impl_->top;
  Impl &im = *impl_;
  im.aw = im.w = im.b = false;
  t.s_axil_awvalid_i = 1;
  t.s_axil_awaddr_i = off;
  t.s_axil_awprot_i = 0;
  t.s_axil_wvalid_i = 1;
  t.s_axil_wdata_i = v;
  t.s_axil_wstrb_i = 0xF;
  t.s_axil_bready_i = 1;
  for (unsigned i = 0; !im.b && i < 1000; ++i) tick();
  if (!im.b) log_.error("TB.CSR.TIMEOUT", "no write response for CSR " + hex(off, 3));
}

uint32_t TileTb::rtl_csr_read(uint32_t off) {
  Vnct_tile &t = *impl_->top;
  Impl &im = *impl_;
  im.ar = im.r = false;
  t.s_axil_arvalid_i = 1;
  t.s_axil_araddr_i = off;
  t.s_axil_arprot_i = 0;
  t.s_axil_rready_i = 1;
  for (unsigned i = 0; !im.r && i < 1000; ++i) tick();
  if (!im.r) log_.error("TB.CSR.TIMEOUT", "no read data for CSR " + hex(off, 3));
  return im.rdata;
}

namespace {
unsigned ring_log2_of(const TileTb::Launch &l, unsigned q) {
  unsigned lg = l.ring_log2[q];
  if (!lg) {
    lg = 1;
    while ((1u << lg) < l.queues[q].size() + 1 + l.start_index[q]) ++lg;
  }
  return lg;
}
}  // namespace

uint64_t TileTb::ring_base_of(const Launch &l, unsigned q) {
  uint64_t at = (l.rings_at + 15) & ~uint64_t(15);
  for (unsigned i = 0; i < q; ++i) at += 16ull << ring_log2_of(l, i);
  return at;
}

void TileTb::launch(const Launch &l) {
  launched_ = l;
  csr_write(NCT_CSR_CTRL, NCT_CSR_CTRL_SOFT_RESET_MASK);
  uint64_t at = (l.rings_at + 15) & ~uint64_t(15);
  for (unsigned q = 0; q < 4; ++q) {
    const auto &prog = l.queues[q];
    const unsigned lg = ring_log2_of(l, q);
    ring_base_[q] = at;
    ring_lg_[q] = lg;
    const uint32_t mask = (1u << lg) - 1;
    // Entries before the start index (ring-wrap tests) hold no-ops that run first; the
    // program goes in after they ran (its wrapped part reuses their slots).
    const isa::Word nop = golden::build::setr(0, 0);
    for (uint32_t i = 0; i < l.start_index[q] && !prog.empty(); ++i) {
      uint8_t b[16];
      std::memcpy(b, &nop.lo, 8);
      std::memcpy(b + 8, &nop.hi, 8);
      load(at + 16ull * i, b, 16);
    }
    if (l.start_index[q] == 0) write_ring(q, prog, 0, mask, at);
    at += 16ull << lg;
    csr_write(NCT_CSR_Q_BASE_LO(q), uint32_t(ring_base_[q]));
    csr_write(NCT_CSR_Q_BASE_HI(q), uint32_t(ring_base_[q] >> 32));
    csr_write(NCT_CSR_Q_SIZE(q), lg);
  }
  nq_base_ = at;
  nq_lg_ = l.nq_log2;
  csr_write(NCT_CSR_NQ_BASE_LO, uint32_t(nq_base_));
  csr_write(NCT_CSR_NQ_BASE_HI, uint32_t(nq_base_ >> 32));
  csr_write(NCT_CSR_NQ_SIZE, nq_lg_);
  for (const auto &[s, v] : l.semaphores) csr_write(NCT_CSR_SEM_SET(s), v);
  csr_write(NCT_CSR_INTR_ENABLE, l.intr_enable);
  csr_write(NCT_CSR_WATCHDOG, l.watchdog);
  csr_write(NCT_CSR_CTRL, NCT_CSR_CTRL_ENABLE_MASK);
  // Queues that start past index 0 run their no-ops first (host doorbell 1), then get
  // their program, which wraps around the end of the ring (doorbell 2).
  bool prefix = false;
  for (unsigned q = 0; q < 4; ++q)
    if (!l.queues[q].empty() && l.start_index[q]) {
      csr_write(NCT_CSR_Q_TAIL(q), l.start_index[q]);
      prefix = true;
    }
  for (unsigned i = 0; prefix && i < 100000; ++i) {
    prefix = false;
    for (unsigned q = 0; q < 4; ++q)
      if (!l.queues[q].empty() && l.start_index[q] && rtl_csr_read(NCT_CSR_Q_HEAD(q)) != l.start_index[q])
        prefix = true;
  }
  for (unsigned q = 0; q < 4; ++q) {
    if (l.queues[q].empty()) continue;
    const uint32_t mask = (1u << ring_lg_[q]) - 1;
    if (l.start_index[q]) write_ring(q, l.queues[q], l.start_index[q], mask, ring_base_[q]);
    csr_write(NCT_CSR_Q_TAIL(q), (l.start_index[q] + uint32_t(l.queues[q].size())) & mask);
  }
}

void TileTb::write_ring(unsigned, const std::vector<isa::Word> &prog, uint32_t start, uint32_t mask, uint64_t base) {
  for (size_t i = 0; i < prog.size(); ++i) {
    uint8_t b[16];
    std::memcpy(b, &prog[i].lo, 8);
    std::memcpy(b + 8, &prog[i].hi, 8);
    load(base + 16ull * ((start + i) & mask), b, 16);
  }
}

void TileTb::check_retire(unsigned q, uint32_t index, uint8_t opcode) {
  ++stats_.retired;
  ++stats_.per_queue[q];
  if (!checker_->retire(q, index, opcode, cycle_)) return;
  const isa::Word &w = checker_->last_word();
  if (cfg_.verbose)
    log_.debug("TILE.RETIRE", tb::RetireChecker::describe(q, index, w) + " at cycle " + std::to_string(cycle_));
  if (on_retire) on_retire(q, index, w);
}

bool TileTb::run() {
  uint64_t quiet = 0;
  const uint64_t end = cycle_ + cfg_.max_cycles;
  while (cycle_ < end) {
    for (int i = 0; i < 32; ++i) tick();
    const uint32_t st = rtl_csr_read(NCT_CSR_STATUS);
    if (st & NCT_CSR_STATUS_BUSY_MASK) {
      quiet = 0;
      continue;
    }
    if (axi_->idle() && ++quiet >= 2) {
      stats_.cycles = cycle_;
      return true;
    }
  }
  stats_.cycles = cycle_;
  log_.error("TILE.TIMEOUT", "the tile is still busy after " + std::to_string(cfg_.max_cycles) + " cycles");
  return false;
}

unsigned TileTb::check_final() {
  const unsigned before = mismatches_;
  model_.run();  // what the model still has (faulting instructions, the watchdog)
  auto diff = [&](const std::string &what, uint64_t exp, uint64_t act) {
    if (exp == act) return;
    ++mismatches_;
    log_.error("TILE.FINAL", what + ": expected " + hex(exp) + ", actual " + hex(act));
  };
  std::vector<std::pair<std::string, uint32_t>> regs = {
      {"STATUS", NCT_CSR_STATUS},           {"INTR_STATUS", NCT_CSR_INTR_STATUS}, {"ERR_CODE", NCT_CSR_ERR_CODE},
      {"ERR_QUEUE", NCT_CSR_ERR_QUEUE},     {"ERR_INDEX", NCT_CSR_ERR_INDEX},     {"ERR_ADDR_LO", NCT_CSR_ERR_ADDR_LO},
      {"ERR_ADDR_HI", NCT_CSR_ERR_ADDR_HI}, {"NQ_TAIL", NCT_CSR_NQ_TAIL},         {"PERF_DMA_RD", NCT_CSR_PERF_DMA_RD},
      {"PERF_DMA_WR", NCT_CSR_PERF_DMA_WR}, {"PERF_MACS_LO", NCT_CSR_PERF_MACS_LO}, {"PERF_MACS_HI", NCT_CSR_PERF_MACS_HI},
      {"CTRL", NCT_CSR_CTRL}};
  for (unsigned q = 0; q < 4; ++q) {
    regs.push_back({"Q" + std::to_string(q) + "_HEAD", NCT_CSR_Q_HEAD(q)});
    regs.push_back({"Q" + std::to_string(q) + "_STATUS", NCT_CSR_Q_STATUS(q)});
    regs.push_back({"Q" + std::to_string(q) + "_TAIL", NCT_CSR_Q_TAIL(q)});
  }
  for (unsigned s = 0; s < p_.NSEM; ++s) regs.push_back({"SEM_VAL[" + std::to_string(s) + "]", NCT_CSR_SEM_VAL(s)});
  for (const auto &[name, off] : regs) diff(name, model_.csr_read(off), rtl_csr_read(off));

  // Notification records: the same multiset (the order across queues depends on timing,
  // the cycle field is the RTL's clock).
  auto records = [&](DevMem &m, uint32_t tail) {
    std::vector<std::tuple<unsigned, unsigned, uint32_t, uint32_t>> r;
    for (uint32_t i = 0; nq_lg_ && i < tail; ++i) {
      const uint8_t *b = m.m.data() + nq_base_ + 16ull * i;
      uint32_t idx, tag;
      std::memcpy(&idx, b + 4, 4);
      std::memcpy(&tag, b + 8, 4);
      r.emplace_back(b[0], b[1], idx, tag);
    }
    std::sort(r.begin(), r.end());
    return r;
  };
  const uint32_t tail = model_.csr_read(NCT_CSR_NQ_TAIL);
  if (records(model_mem_, tail) != records(rtl_mem_, tail)) {
    ++mismatches_;
    log_.error("TILE.NQ", "notification records differ (type, queue, index, tag)");
  }

  const FailMask fm = dma_fail_mask();
  const unsigned mask_space = fm.space, mask_part = fm.part;
  const uint64_t mask_lo = fm.lo, mask_hi = fm.hi;
  const auto &mem_masks = fm.mem;
  auto masked = [&](uint64_t a) {
    for (const auto &[lo, hi] : mem_masks)
      if (a >= lo && a < hi) return true;
    return false;
  };

  const auto &bufs = model_.core().buffers();
  for (unsigned mem = 0; mem < 2 && mismatches_ - before < 8; ++mem) {
    const uint32_t part = mem ? p_.PSUM_PART_BYTES : p_.SBUF_PART_BYTES;
    for (unsigned p = 0; p < p_.P; ++p)
      for (uint32_t i = 0; i < part; ++i) {
        if (mask_space == mem && mask_part == p && i >= mask_lo && i < mask_hi) continue;
        const uint8_t exp = (mem ? bufs.psum : bufs.sbuf)[size_t(p) * part + i], act = rtl_buf(mem, p, i);
        if (exp != act) {
          ++mismatches_;
          log_.error("TILE.FINAL", std::string(mem ? "PSUM" : "SBUF") + " partition " + std::to_string(p) + " byte " +
                                       hex(i) + ": expected " + hex(exp, 2) + ", actual " + hex(act, 2));
          i = part, p = p_.P;
        }
      }
  }
  const uint64_t nq_lo = nq_base_, nq_hi = nq_base_ + (16ull << nq_lg_);
  for (uint64_t a = 0; a < rtl_mem_.m.size(); ++a) {
    if (a >= nq_lo && a < nq_hi) continue;
    if (masked(a)) continue;
    if (model_mem_.m[a] != rtl_mem_.m[a]) {
      ++mismatches_;
      log_.error("TILE.FINAL", "device memory " + hex(a) + ": expected " + hex(model_mem_.m[a], 2) + ", actual " +
                                   hex(rtl_mem_.m[a], 2));
      break;
    }
  }
  return mismatches_ - before;
}

// For DMA_ST the failing row and the later rows of the instruction are masked: their bursts
// may be on the bus before the error response returns.
TileTb::FailMask TileTb::dma_fail_mask() const {
  const golden::ErrorInfo &e = model_.core().error();
  FailMask m;
  if (e.code == golden::Err::kDmaBus || e.code == golden::Err::kDmaDecode) {
    isa::Word w;
    uint8_t b[16];
    std::memcpy(b, model_mem_.m.data() + ring_base_[e.queue] + 16ull * e.index, 16);
    std::memcpy(&w.lo, b, 8);
    std::memcpy(&w.hi, b + 8, 8);
    namespace F = isa::dma_ld;
    const uint64_t bytes = isa::get(w, F::k_bytes) ? isa::get(w, F::k_bytes) : 4096;
    const uint64_t sr = isa::get(w, F::k_stride_r);
    const uint64_t stride = sr ? model_.core().reg(0, unsigned(sr)) : bytes;
    const uint64_t a0 = isa::get(w, F::k_addr), rows = isa::get(w, F::k_pr_p_cnt) + 1;
    unsigned r = 0;
    while (r < rows && ((a0 + r * stride) & ((1ull << 40) - 1)) != e.addr) ++r;
    if (isa::get(w, isa::kOpcode) == isa::DMA_LD) {
      m.space = 0;
      m.part = unsigned(isa::get(w, F::k_pr_p_start)) + r;
      m.lo = isa::get(w, F::k_sb_off);
      m.hi = m.lo + bytes;
    } else {
      for (uint64_t i = r; i < rows; ++i) {
        const uint64_t lo = (a0 + i * stride) & ((1ull << 40) - 1);
        m.mem.push_back({lo, lo + bytes});
      }
    }
  }
  return m;
}

}  // namespace ncv::tbtile
