#include "ncv/golden/core.h"

#include <algorithm>
#include <cstring>

namespace ncv::golden {

namespace {

using isa::get;

uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
constexpr uint64_t kFnvBasis = 0xcbf29ce484222325ULL;

isa::Word from_bytes(const uint8_t b[16]) {
  isa::Word w;
  std::memcpy(&w.lo, b, 8);  // little-endian host (x86-64, as the build requires)
  std::memcpy(&w.hi, b + 8, 8);
  return w;
}

// Destination region of an instruction that writes SBUF/PSUM: (mem, first partition,
// partition count, byte offset, bytes per partition).
struct Region {
  bool valid = false;
  unsigned mem = 0, p0 = 0, pc = 0;
  uint32_t off = 0, bytes = 0;
};

unsigned dsize(unsigned dt) {
  return dt == 0 ? 2 : dt == 2 ? 1 : 4;
}

Region dest_region(const isa::Word &w, const PeState &pe) {
  namespace I = isa;
  const unsigned op = unsigned(get(w, I::kOpcode));
  auto len_of = [](uint64_t raw) { return raw ? uint32_t(raw) : 4096u; };
  Region r;
  auto vec = [&](I::Field ps, I::Field pcnt, I::Field mem, I::Field dt, I::Field off, uint32_t n) {
    r = {true,
         unsigned(get(w, mem)),
         unsigned(get(w, ps)),
         unsigned(get(w, pcnt)) + 1,
         uint32_t(get(w, off)),
         n * dsize(unsigned(get(w, dt)))};
  };
  switch (op) {
    case I::TT:
      vec(I::tt::k_pr_p_start, I::tt::k_pr_p_cnt, I::tt::k_dst_mem, I::tt::k_dst_dtype, I::tt::k_dst_off,
          len_of(get(w, I::tt::k_len)));
      break;
    case I::TS:
      vec(I::ts::k_pr_p_start, I::ts::k_pr_p_cnt, I::ts::k_dst_mem, I::ts::k_dst_dtype, I::ts::k_dst_off,
          len_of(get(w, I::ts::k_len)));
      break;
    case I::TRED:
      vec(I::tred::k_pr_p_start, I::tred::k_pr_p_cnt, I::tred::k_dst_mem, I::tred::k_dst_dtype, I::tred::k_dst_off, 1);
      break;
    case I::COPY:
      vec(I::copy::k_pr_p_start, I::copy::k_pr_p_cnt, I::copy::k_dst_mem, I::copy::k_dst_dtype, I::copy::k_dst_off,
          len_of(get(w, I::copy::k_len)));
      break;
    case I::MEMSET:
      vec(I::memset::k_pr_p_start, I::memset::k_pr_p_cnt, I::memset::k_dst_mem, I::memset::k_dst_dtype,
          I::memset::k_dst_off, len_of(get(w, I::memset::k_len)));
      break;
    case I::IOTA:
      vec(I::iota::k_pr_p_start, I::iota::k_pr_p_cnt, I::iota::k_dst_mem, I::iota::k_dst_dtype, I::iota::k_dst_off,
          len_of(get(w, I::iota::k_len)));
      break;
    case I::ACT:
      vec(I::act::k_pr_p_start, I::act::k_pr_p_cnt, I::act::k_dst_mem, I::act::k_dst_dtype, I::act::k_dst_off,
          len_of(get(w, I::act::k_len)));
      break;
    case I::PE_MM:
      r = {true, 1, 0, pe.M, uint32_t(get(w, I::pe_mm::k_psum_off)), 4 * (unsigned(get(w, I::pe_mm::k_n_cnt)) + 1)};
      break;
    case I::DMA_LD:
      r = {true,
           0,
           unsigned(get(w, I::dma_ld::k_pr_p_start)),
           unsigned(get(w, I::dma_ld::k_pr_p_cnt)) + 1,
           uint32_t(get(w, I::dma_ld::k_sb_off)),
           len_of(get(w, I::dma_ld::k_bytes))};
      break;
    default: break;
  }
  return r;
}

}  // namespace

Core::Core(const TileParams &p, DeviceMemory &mem) : p_(p), mem_(mem), buf_(p), sem_(p.NSEM, 0) {
  validate(p);
  for (auto &v : vc_) v.assign(kQueues, 0);
  sem_vc_.assign(p.NSEM, std::vector<uint32_t>(kQueues, 0));
  sem_t_.assign(p.NSEM, 0);
}

void Core::soft_reset() {
  for (auto &q : q_) {
    const uint64_t base = q.base;
    const unsigned sz = q.size_log2;
    const bool hold = q.hold;
    q = Queue();
    q.base = base;
    q.size_log2 = sz;
    q.hold = hold;  // Qq_CTRL is configuration, like the ring base and size
    q.t = perf_.cycles;
  }
  std::fill(sem_.begin(), sem_.end(), 0u);
  std::fill(sem_t_.begin(), sem_t_.end(), perf_.cycles);
  idle_ = 0;
  pe_.reset();
  err_ = ErrorInfo();
  intr_ = 0;
  nq_head_ = nq_tail_ = 0;
}

void Core::set_ring(unsigned q, uint64_t base, unsigned size_log2) {
  q_[q].base = base;
  q_[q].size_log2 = size_log2;
}

void Core::doorbell(unsigned q, uint32_t tail) {
  q_[q].tail = tail & ((1u << q_[q].size_log2) - 1);
  q_[q].t = std::max(q_[q].t, perf_.cycles);  // work arrives now
}

void Core::set_semaphore(unsigned s, uint32_t v) {
  sem_.at(s) = v & kSemMask;
  sem_t_.at(s) = perf_.cycles;
}

void Core::sem_add(unsigned s, uint32_t d) {
  sem_.at(s) = (sem_.at(s) + d) & kSemMask;
  sem_t_.at(s) = perf_.cycles;
}

void Core::advance(uint64_t cycles) {
  perf_.cycles += cycles;
  if (!watchdog_ || !busy()) return;
  idle_ += cycles;
  if (idle_ >= watchdog_) watchdog_expire();
}

void Core::watchdog_expire() {
  idle_ = 0;
  now_ = perf_.cycles;
  intr_ |= kIntrWatchdog;
  for (unsigned q = 0; q < kQueues; ++q)
    if (!q_[q].failed && !q_[q].halted && q_[q].head != q_[q].tail) fail(q, Err::kWatchdog, q_[q].base + 16ull * q_[q].head);
}

// Cycles an instruction keeps its engine busy in the cost model (decision 0005).
uint64_t Core::cost(unsigned q, const isa::Word &w) const {
  namespace I = isa;
  const unsigned op = unsigned(get(w, I::kOpcode));
  auto len_of = [](uint64_t raw) { return raw ? uint64_t(raw) : 4096u; };
  switch (op) {
    case I::DMA_LD:
    case I::DMA_ST: {
      const uint64_t beat = p_.AXI_DW / 8, bytes = len_of(get(w, I::dma_ld::k_bytes));
      return (get(w, I::dma_ld::k_pr_p_cnt) + 1) * ((bytes + beat - 1) / beat) + 1;
    }
    case I::PE_LDW: return get(w, I::pe_ldw::k_m_cnt) + 2;
    case I::PE_MM: return get(w, I::pe_mm::k_n_cnt) + 1 + get(w, I::pe_mm::k_pr_p_cnt) + 1 + pe_.M;
    case I::ACT: return len_of(get(w, I::act::k_len)) + 1;
    case I::TT: return len_of(get(w, I::tt::k_len)) + 1;
    case I::TS: return len_of(get(w, I::ts::k_len)) + 1;
    case I::TRED: return len_of(get(w, I::tred::k_len)) + 1;
    case I::COPY: return len_of(get(w, I::copy::k_len)) + 1;
    case I::MEMSET: return len_of(get(w, I::memset::k_len)) + 1;
    case I::IOTA: return len_of(get(w, I::iota::k_len)) + 1;
    default: (void)q; return 1;
  }
}

// Times the instruction at the head of q in the cost model: it starts when its queue is
// free and its semaphore was last updated, and keeps its engine busy for cost() cycles.
void Core::account(unsigned q, const isa::Word &w) {
  Queue &Q = q_[q];
  const unsigned ws = unsigned(get(w, isa::kWaitSem));
  const uint64_t ready = ws < p_.NSEM ? sem_t_[ws] : 0;
  const uint64_t start = std::max(Q.t, ready);
  const uint64_t c = cost(q, w);
  perf_.semwait[q] += start - Q.t;
  perf_.busy[q] += c;
  Q.t = now_ = start + c;
  perf_.cycles = std::max(perf_.cycles, now_);
}

void Core::set_notify_ring(uint64_t base, unsigned size_log2) {
  nq_base_ = base;
  nq_size_log2_ = size_log2;
}

QState Core::state(unsigned q) const {
  const Queue &Q = q_[q];
  if (Q.failed) return QState::kErr;
  if (Q.halted) return QState::kDone;
  if (Q.head == Q.tail) return QState::kIdle;
  return can_issue(q) ? QState::kRun : QState::kWait;
}

Core::Fetched Core::fetch(unsigned q) const {
  const Queue &Q = q_[q];
  uint8_t b[16];
  Fetched f;
  f.ok = mem_.read(Q.base + 16ull * Q.head, b, 16) == MemStatus::kOk;
  if (f.ok) f.word = from_bytes(b);
  return f;
}

bool Core::has_work(unsigned q) const {
  const Queue &Q = q_[q];
  return enabled_ && !halt_all_ && !Q.hold && !Q.failed && !Q.halted && Q.head != Q.tail;
}

bool Core::issuable(const Fetched &f) const {
  if (!f.ok) return true;  // step() reports the fetch error
  const unsigned ws = unsigned(get(f.word, isa::kWaitSem));
  if (ws == isa::kNoSem || ws >= p_.NSEM) return true;  // an invalid index errors in step()
  return sem_[ws] >= get(f.word, isa::kWaitVal);
}

bool Core::can_issue(unsigned q) const {
  return has_work(q) && issuable(fetch(q));
}

bool Core::busy() const {
  for (unsigned q = 0; q < kQueues; ++q)
    if (!q_[q].failed && !q_[q].halted && q_[q].head != q_[q].tail) return true;
  return false;
}

void Core::notify(NotifyType t, unsigned q, uint32_t index, uint32_t tag) {
  if (nq_size_log2_ == 0) return;  // notification ring disabled
  const uint32_t size = 1u << nq_size_log2_;
  if (((nq_tail_ + 1) & (size - 1)) == (nq_head_ & (size - 1))) {
    intr_ |= kIntrNqOverflow;
    if (err_.code == Err::kNone) err_ = {Err::kNqOverflow, q, index, nq_base_ + 16ull * nq_tail_};
    intr_ |= kIntrError;
    return;
  }
  uint8_t rec[16] = {};
  rec[0] = t;
  rec[1] = static_cast<uint8_t>(q);
  std::memcpy(rec + 4, &index, 4);
  std::memcpy(rec + 8, &tag, 4);
  const uint32_t cycle = static_cast<uint32_t>(now_);  // the cost model's clock
  std::memcpy(rec + 12, &cycle, 4);
  if (mem_.write(nq_base_ + 16ull * nq_tail_, rec, 16) == MemStatus::kOk) nq_tail_ = (nq_tail_ + 1) & (size - 1);
}

void Core::fail(unsigned q, Err code, uint64_t addr) {
  Queue &Q = q_[q];
  Q.failed = true;
  if (err_.code == Err::kNone) err_ = {code, q, Q.head, addr};
  intr_ |= kIntrError;
  notify(kNotifyError, q, Q.head, static_cast<uint32_t>(code));
}

void Core::step(unsigned q) {
  step(q, fetch(q));
}

void Core::step(unsigned q, const Fetched &f) {
  Queue &Q = q_[q];
  ++steps_;
  const uint64_t at = Q.base + 16ull * Q.head;
  if (!f.ok) return fail(q, Err::kFetch, at);
  const isa::Word &w = f.word;
  const unsigned opcode = unsigned(get(w, isa::kOpcode));
  const unsigned qm = isa::queue_mask(static_cast<uint8_t>(opcode));
  if (qm == 0) return fail(q, Err::kIllegalOpcode, at);
  if (!((qm >> q) & 1u)) return fail(q, Err::kWrongQueue, at);
  const unsigned lsb = isa::payload_lsb(static_cast<uint8_t>(opcode));
  if (lsb && get(w, isa::Field{0, static_cast<uint8_t>(lsb)}) != 0) return fail(q, Err::kReserved, at);
  const unsigned ws = unsigned(get(w, isa::kWaitSem)), ps = unsigned(get(w, isa::kPostSem));
  if (!sem_ok(ws) || !sem_ok(ps)) return fail(q, Err::kReserved, at);
  if (race_on_) {
    ++vc_[q][q];
    if (ws != isa::kNoSem)  // acquire: everything released on the semaphore so far
      for (unsigned i = 0; i < kQueues; ++i) vc_[q][i] = std::max(vc_[q][i], sem_vc_[ws][i]);
  }
  uint64_t addr = 0, digest = 0;
  const uint64_t t0 = Q.t, busy0 = perf_.busy[q], wait0 = perf_.semwait[q], cyc0 = perf_.cycles;
  account(q, w);
  const unsigned m_before = pe_.M;
  const Err e = exec(q, w, addr, digest);
  if (e != Err::kNone) {  // a faulting instruction does not retire: undo its accounting
    Q.t = t0, perf_.busy[q] = busy0, perf_.semwait[q] = wait0, perf_.cycles = cyc0;
    return fail(q, e, addr);
  }
  count(w, m_before);
  idle_ = 0;
  if (race_on_) {
    race_check_and_record(q, w);
    unsigned rel[2] = {ps, opcode == isa::SEM ? unsigned(get(w, isa::sem::k_sem)) : isa::kNoSem};
    for (unsigned s : rel)  // release
      if (s != isa::kNoSem && s < p_.NSEM)
        for (unsigned i = 0; i < kQueues; ++i) sem_vc_[s][i] = std::max(sem_vc_[s][i], vc_[q][i]);
  }
  if (ps != isa::kNoSem) {
    sem_[ps] = (sem_[ps] + 1) & kSemMask;
    sem_t_[ps] = std::max(sem_t_[ps], Q.t);
  }
  if (opcode == isa::SEM) {
    const unsigned s = unsigned(get(w, isa::sem::k_sem));
    sem_t_[s] = std::max(sem_t_[s], Q.t);
  }
  Q.log.push_back({Q.head, static_cast<uint8_t>(opcode), digest});
  Q.head = (Q.head + 1) & ((1u << Q.size_log2) - 1);
  ++Q.retired;
}

// Exact counters of a retired instruction: DMA payload bytes and PE MACs.
void Core::count(const isa::Word &w, unsigned m) {
  namespace I = isa;
  const unsigned op = unsigned(get(w, I::kOpcode));
  if (op == I::DMA_LD || op == I::DMA_ST) {
    const uint64_t bytes = get(w, I::dma_ld::k_bytes) ? get(w, I::dma_ld::k_bytes) : 4096u;
    (op == I::DMA_LD ? perf_.dma_rd : perf_.dma_wr) += (get(w, I::dma_ld::k_pr_p_cnt) + 1) * bytes;
  } else if (op == I::PE_MM) {
    perf_.macs += (get(w, I::pe_mm::k_pr_p_cnt) + 1) * uint64_t(m) * (get(w, I::pe_mm::k_n_cnt) + 1);
  }
}

Err Core::exec(unsigned q, const isa::Word &w, uint64_t &addr, uint64_t &digest) {
  namespace I = isa;
  Queue &Q = q_[q];
  const unsigned opcode = unsigned(get(w, I::kOpcode));
  switch (opcode) {
    case I::SEM: {
      const unsigned s = unsigned(get(w, I::sem::k_sem)), op = unsigned(get(w, I::sem::k_op));
      const uint32_t imm = uint32_t(get(w, I::sem::k_imm));
      if (s >= p_.NSEM) return addr = s, Err::kReserved;
      if (op == 0)
        sem_[s] = imm & kSemMask;
      else if (op == 1)
        sem_[s] = (sem_[s] + imm) & kSemMask;
      else if (op == 2)
        sem_[s] = (sem_[s] - imm) & kSemMask;
      else
        return addr = op, Err::kReserved;
      return Err::kNone;
    }
    case I::SETR: {
      const unsigned rd = unsigned(get(w, I::setr::k_rd));
      if (rd) Q.regs[rd] = uint32_t(get(w, I::setr::k_imm));
      return Err::kNone;
    }
    case I::HALT: {
      Q.halted = true;
      if (get(w, I::halt::k_irq)) intr_ |= kIntrQDone0 << q;
      notify(kNotifyHalt, q, Q.head, uint32_t(get(w, I::halt::k_code)));
      return Err::kNone;
    }
    case I::NOTIFY: {
      if (get(w, I::notify::k_irq)) intr_ |= kIntrNotify;
      notify(kNotifyTag, q, Q.head, uint32_t(get(w, I::notify::k_tag)));
      return Err::kNone;
    }
    case I::DMA_LD:
    case I::DMA_ST: {
      // Both opcodes share one layout (isa.yaml); read the fields through DMA_LD's.
      namespace F = I::dma_ld;
      const unsigned p0 = unsigned(get(w, F::k_pr_p_start)), pc = unsigned(get(w, F::k_pr_p_cnt)) + 1;
      const uint32_t sb = uint32_t(get(w, F::k_sb_off));
      const uint32_t bytes = get(w, F::k_bytes) ? uint32_t(get(w, F::k_bytes)) : 4096u;
      const unsigned sr = unsigned(get(w, F::k_stride_r));
      const uint64_t stride = sr ? Q.regs[sr] : bytes;
      const uint64_t base = get(w, F::k_addr);
      if (p0 + pc > p_.P) return addr = p0, Err::kPartRange;
      if (uint64_t(sb) + bytes > p_.SBUF_PART_BYTES) return addr = sb, Err::kSbufRange;
      std::vector<uint8_t> tmp(bytes);
      uint64_t h = kFnvBasis;
      for (unsigned p = p0; p < p0 + pc; ++p) {
        const uint64_t a = (base + uint64_t(p - p0) * stride) & ((uint64_t(1) << 40) - 1);
        uint8_t *s = buf_.sbuf.data() + size_t(p) * p_.SBUF_PART_BYTES + sb;
        const MemStatus st = opcode == I::DMA_LD ? mem_.read(a, tmp.data(), bytes) : mem_.write(a, s, bytes);
        if (st != MemStatus::kOk) return addr = a, st == MemStatus::kDecodeError ? Err::kDmaDecode : Err::kDmaBus;
        if (opcode == I::DMA_LD)
          std::memcpy(s, tmp.data(), bytes);
        else
          h = fnv1a(h, s, bytes);
      }
      if (opcode == I::DMA_ST) {
        digest = h;
        return Err::kNone;
      }
      break;
    }
    case I::PE_LDW:
    case I::PE_MM: {
      const ExecResult r = exec_pe(w, buf_, pe_, p_);
      if (r.err != Err::kNone) return addr = r.where, r.err;
      break;
    }
    default: {
      const ExecResult r = exec_vector(w, buf_, Q.regs, p_);
      if (r.err != Err::kNone) return addr = r.where, r.err;
      break;
    }
  }
  const Region rg = dest_region(w, pe_);
  if (rg.valid) {
    const auto &v = rg.mem ? buf_.psum : buf_.sbuf;
    const size_t part = rg.mem ? p_.PSUM_PART_BYTES : p_.SBUF_PART_BYTES;
    uint64_t h = kFnvBasis;
    for (unsigned p = rg.p0; p < rg.p0 + rg.pc; ++p) h = fnv1a(h, v.data() + p * part + rg.off, rg.bytes);
    digest = h;
  }
  return Err::kNone;
}

void Core::race_accesses(unsigned q, const isa::Word &w, std::vector<Access> &out) const {
  namespace I = isa;
  const unsigned opcode = unsigned(get(w, I::kOpcode));
  auto add = [&](bool write, unsigned space, unsigned part, uint64_t lo, uint64_t bytes) {
    if (bytes) out.push_back({q, q_[q].head, uint8_t(opcode), write, space, part, lo, lo + bytes, {}});
  };
  auto len_of = [](uint64_t raw) { return raw ? uint32_t(raw) : 4096u; };
  auto opd = [&](bool write, I::Field ps, I::Field pc, I::Field mem, I::Field dt, I::Field off, uint32_t n) {
    const unsigned p0 = unsigned(get(w, ps)), cnt = unsigned(get(w, pc)) + 1;
    for (unsigned p = p0; p < p0 + cnt; ++p)
      add(write, unsigned(get(w, mem)), p, get(w, off), uint64_t(n) * dsize(unsigned(get(w, dt))));
  };
  switch (opcode) {
    case I::DMA_LD:
    case I::DMA_ST: {
      namespace F = I::dma_ld;
      const unsigned p0 = unsigned(get(w, F::k_pr_p_start)), pc = unsigned(get(w, F::k_pr_p_cnt)) + 1;
      const uint32_t bytes = len_of(get(w, F::k_bytes));
      const unsigned sr = unsigned(get(w, F::k_stride_r));
      const uint64_t stride = sr ? q_[q].regs[sr] : bytes;
      const bool ld = opcode == I::DMA_LD;
      for (unsigned p = p0; p < p0 + pc; ++p) {
        add(!ld, 2, 0, get(w, F::k_addr) + uint64_t(p - p0) * stride, bytes);
        add(ld, 0, p, get(w, F::k_sb_off), bytes);
      }
      break;
    }
    case I::PE_LDW: {
      namespace F = I::pe_ldw;
      const unsigned p0 = unsigned(get(w, F::k_pr_p_start)), k = unsigned(get(w, F::k_pr_p_cnt)) + 1;
      const uint64_t bytes = uint64_t(get(w, F::k_m_cnt) + 1) * dsize(unsigned(get(w, F::k_dtype)));
      for (unsigned p = p0; p < p0 + k; ++p) add(false, 0, p, get(w, F::k_src_off), bytes);
      break;
    }
    case I::PE_MM: {
      namespace F = I::pe_mm;
      const unsigned p0 = unsigned(get(w, F::k_pr_p_start)), k = unsigned(get(w, F::k_pr_p_cnt)) + 1;
      const uint64_t n = get(w, F::k_n_cnt) + 1;
      for (unsigned p = p0; p < p0 + k; ++p)
        add(false, 0, p, get(w, F::k_src_off), n * dsize(unsigned(get(w, F::k_dtype))));
      for (unsigned m = 0; m < pe_.M; ++m) {
        if (get(w, F::k_acc)) add(false, 1, m, get(w, F::k_psum_off), 4 * n);
        add(true, 1, m, get(w, F::k_psum_off), 4 * n);
      }
      break;
    }
    case I::TT: {
      namespace F = I::tt;
      const uint32_t n = len_of(get(w, F::k_len));
      opd(false, F::k_pr_p_start, F::k_pr_p_cnt, F::k_a_mem, F::k_a_dtype, F::k_a_off, n);
      opd(false, F::k_pr_p_start, F::k_pr_p_cnt, F::k_b_mem, F::k_b_dtype, F::k_b_off, n);
      opd(true, F::k_pr_p_start, F::k_pr_p_cnt, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, n);
      break;
    }
    case I::TS:
    case I::COPY:
    case I::ACT:
    case I::TRED: {
      // These share the PR/src/dst/len layout (isa.yaml): read through TS's fields.
      namespace F = I::ts;
      const uint32_t n = len_of(get(w, F::k_len));
      opd(false, F::k_pr_p_start, F::k_pr_p_cnt, F::k_src_mem, F::k_src_dtype, F::k_src_off, n);
      opd(true, F::k_pr_p_start, F::k_pr_p_cnt, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, opcode == I::TRED ? 1 : n);
      break;
    }
    case I::MEMSET:
    case I::IOTA: {
      namespace F = I::memset;  // same PR/dst/len layout as IOTA
      opd(true, F::k_pr_p_start, F::k_pr_p_cnt, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, len_of(get(w, F::k_len)));
      break;
    }
    default: break;
  }
}

bool Core::head_word(unsigned q, isa::Word &w) const {
  const Fetched f = fetch(q);
  if (f.ok) w = f.word;
  return f.ok;
}

std::vector<Span> Core::writes_of(unsigned q, const isa::Word &w) const {
  std::vector<Access> acc;
  race_accesses(q, w, acc);
  std::vector<Span> out;
  for (const Access &a : acc)
    if (a.write) out.push_back({a.space, a.partition, a.lo, a.hi});
  return out;
}

void Core::race_check_and_record(unsigned q, const isa::Word &w) {
  std::vector<Access> now;
  race_accesses(q, w, now);
  for (Access &a : now) {
    a.vc = vc_[q];
    if (!race_found_) {
      for (const Access &b : accesses_) {
        if (b.queue == q || !(a.write || b.write) || b.space != a.space || b.partition != a.partition) continue;
        if (b.hi <= a.lo || a.hi <= b.lo) continue;
        if (b.vc[b.queue] <= a.vc[b.queue]) continue;  // b happens before a
        race_found_ = true;
        race_ = {b.queue,
                 q,
                 b.index,
                 a.index,
                 b.opcode,
                 a.opcode,
                 a.space,
                 a.partition,
                 std::max(a.lo, b.lo),
                 std::min(a.hi, b.hi)};
        break;
      }
    }
  }
  for (Access &a : now) accesses_.push_back(std::move(a));
}

uint64_t Core::run(const std::function<unsigned(unsigned)> &pick, uint64_t max_steps) {
  uint64_t n = 0;
  Fetched heads[kQueues];
  while (n < max_steps) {
    // Each queue's head is fetched once per round; the chosen one executes that very word
    // (nothing runs in between, so this equals fetching again at issue).
    unsigned mask = 0;
    for (unsigned q = 0; q < kQueues; ++q) {
      if (!has_work(q)) continue;
      heads[q] = fetch(q);
      mask |= (issuable(heads[q]) ? 1u : 0u) << q;
    }
    if (!mask) break;
    const unsigned q = pick(mask);
    step(q, heads[q]);
    ++n;
  }
  return n;
}

uint64_t Core::run_round_robin(uint64_t max_steps) {
  unsigned next = 0;
  return run(
      [&next](unsigned mask) {
        for (unsigned i = 0; i < kQueues; ++i) {
          const unsigned q = (next + i) % kQueues;
          if ((mask >> q) & 1u) {
            next = (q + 1) % kQueues;
            return q;
          }
        }
        return 0u;
      },
      max_steps);
}

uint64_t Core::run_random(uint64_t seed, uint64_t max_steps) {
  uint64_t x = seed ^ 0x5ced5c4ed0123ULL;
  return run(
      [&x](unsigned mask) {
        x += 0x9e3779b97f4a7c15ULL;  // splitmix64
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        const unsigned n = unsigned(__builtin_popcount(mask));
        unsigned k = unsigned(z % n);
        for (unsigned q = 0; q < kQueues; ++q)
          if ((mask >> q) & 1u && k-- == 0) return q;
        return 0u;
      },
      max_steps);
}

}  // namespace ncv::golden
