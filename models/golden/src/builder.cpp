#include "ncv/golden/builder.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace ncv::golden::build {

namespace I = isa;

namespace {

// Puts `v` into field `f` of `w`, or throws naming the opcode and field.
void put(I::Word &w, I::Field f, uint64_t v, const char *op, const char *field) {
  if (f.bits < 64 && v >> f.bits)
    throw std::invalid_argument(std::string(op) + "." + field + " = " + std::to_string(v) + ": expected 0.." +
                                std::to_string((uint64_t(1) << f.bits) - 1));
  I::put(w, f, v);
}

I::Word head(unsigned opcode, const Sync &y, const char *op) {
  I::Word w;
  I::put(w, I::kOpcode, opcode);
  put(w, I::kWaitSem, y.wait_sem, op, "wait_sem");
  put(w, I::kWaitVal, y.wait_val, op, "wait_val");
  put(w, I::kPostSem, y.post_sem, op, "post_sem");
  return w;
}

// count - 1 encodings (PR counts, m_cnt, n_cnt) and 0-means-4096 lengths.
uint64_t minus1(unsigned n, const char *op, const char *field) {
  if (n == 0) throw std::invalid_argument(std::string(op) + "." + field + " = 0: expected at least 1");
  return n - 1;
}
uint64_t z4096(unsigned n, const char *op, const char *field) {
  if (n == 0 || n > 4096) throw std::invalid_argument(std::string(op) + "." + field + " = " + std::to_string(n) +
                                                      ": expected 1..4096");
  return n & 4095u;
}

void pr(I::Word &w, I::Field s, I::Field c, Pr p, const char *op) {
  put(w, s, p.start, op, "pr.p_start");
  put(w, c, minus1(p.count, op, "pr.p_cnt"), op, "pr.p_cnt");
}

void opd(I::Word &w, I::Field m, I::Field d, I::Field o, Opd x, const char *op, const char *name) {
  const std::string n(name);
  put(w, m, x.mem, op, (n + ".mem").c_str());
  put(w, d, x.dtype, op, (n + ".dtype").c_str());
  put(w, o, x.off, op, (n + ".off").c_str());
}

uint64_t s16(int v, const char *op, const char *field) {
  if (v < -32768 || v > 32767)
    throw std::invalid_argument(std::string(op) + "." + field + " = " + std::to_string(v) + ": expected -32768..32767");
  return uint16_t(int16_t(v));
}

}  // namespace

I::Word sem(unsigned s, unsigned op, uint32_t imm, Sync y) {
  I::Word w = head(I::SEM, y, "SEM");
  put(w, I::sem::k_sem, s, "SEM", "sem");
  put(w, I::sem::k_op, op, "SEM", "op");
  put(w, I::sem::k_imm, imm, "SEM", "imm");
  return w;
}

I::Word setr(unsigned rd, uint32_t imm, Sync y) {
  I::Word w = head(I::SETR, y, "SETR");
  put(w, I::setr::k_rd, rd, "SETR", "rd");
  put(w, I::setr::k_imm, imm, "SETR", "imm");
  return w;
}

I::Word halt(unsigned code, bool irq, Sync y) {
  I::Word w = head(I::HALT, y, "HALT");
  put(w, I::halt::k_code, code, "HALT", "code");
  put(w, I::halt::k_irq, irq, "HALT", "irq");
  return w;
}

I::Word notify(unsigned tag, bool irq, Sync y) {
  I::Word w = head(I::NOTIFY, y, "NOTIFY");
  put(w, I::notify::k_tag, tag, "NOTIFY", "tag");
  put(w, I::notify::k_irq, irq, "NOTIFY", "irq");
  return w;
}

I::Word dma(bool store, uint64_t addr, Pr p, uint32_t sb_off, uint32_t bytes, unsigned stride_r, Sync y) {
  const char *op = store ? "DMA_ST" : "DMA_LD";
  I::Word w = head(store ? I::DMA_ST : I::DMA_LD, y, op);
  namespace F = I::dma_ld;  // DMA_ST has the same layout
  put(w, F::k_addr, addr, op, "addr");
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, p, op);
  put(w, F::k_sb_off, sb_off, op, "sb_off");
  put(w, F::k_bytes, z4096(bytes, op, "bytes"), op, "bytes");
  put(w, F::k_stride_r, stride_r, op, "stride_r");
  return w;
}

I::Word pe_ldw(Pr k, uint32_t src_off, unsigned m, unsigned dtype, Sync y) {
  I::Word w = head(I::PE_LDW, y, "PE_LDW");
  namespace F = I::pe_ldw;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, k, "PE_LDW");
  put(w, F::k_src_off, src_off, "PE_LDW", "src_off");
  put(w, F::k_m_cnt, minus1(m, "PE_LDW", "m_cnt"), "PE_LDW", "m_cnt");
  put(w, F::k_dtype, dtype, "PE_LDW", "dtype");
  return w;
}

I::Word pe_mm(Pr k, uint32_t src_off, unsigned n, unsigned dtype, uint32_t psum_off, bool acc, Sync y) {
  I::Word w = head(I::PE_MM, y, "PE_MM");
  namespace F = I::pe_mm;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, k, "PE_MM");
  put(w, F::k_src_off, src_off, "PE_MM", "src_off");
  put(w, F::k_n_cnt, minus1(n, "PE_MM", "n_cnt"), "PE_MM", "n_cnt");
  put(w, F::k_dtype, dtype, "PE_MM", "dtype");
  put(w, F::k_psum_off, psum_off, "PE_MM", "psum_off");
  put(w, F::k_acc, acc, "PE_MM", "acc");
  return w;
}

I::Word act(Pr p, Opd src, Opd dst, unsigned len, unsigned func, unsigned scale_r, unsigned bias_r, Sync y) {
  I::Word w = head(I::ACT, y, "ACT");
  namespace F = I::act;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, p, "ACT");
  opd(w, F::k_src_mem, F::k_src_dtype, F::k_src_off, src, "ACT", "src");
  opd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, dst, "ACT", "dst");
  put(w, F::k_len, z4096(len, "ACT", "len"), "ACT", "len");
  put(w, F::k_func, func, "ACT", "func");
  put(w, F::k_scale_r, scale_r, "ACT", "scale_r");
  put(w, F::k_bias_r, bias_r, "ACT", "bias_r");
  return w;
}

I::Word tt(Pr p, Opd a, Opd b, Opd dst, unsigned len, unsigned alu, Sync y) {
  I::Word w = head(I::TT, y, "TT");
  namespace F = I::tt;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, p, "TT");
  opd(w, F::k_a_mem, F::k_a_dtype, F::k_a_off, a, "TT", "a");
  opd(w, F::k_b_mem, F::k_b_dtype, F::k_b_off, b, "TT", "b");
  opd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, dst, "TT", "dst");
  put(w, F::k_len, z4096(len, "TT", "len"), "TT", "len");
  put(w, F::k_alu, alu, "TT", "alu");
  return w;
}

I::Word ts(Pr p, Opd src, Opd dst, unsigned len, unsigned op0, unsigned r0, unsigned op1, unsigned r1, Sync y) {
  I::Word w = head(I::TS, y, "TS");
  namespace F = I::ts;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, p, "TS");
  opd(w, F::k_src_mem, F::k_src_dtype, F::k_src_off, src, "TS", "src");
  opd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, dst, "TS", "dst");
  put(w, F::k_len, z4096(len, "TS", "len"), "TS", "len");
  put(w, F::k_op0, op0, "TS", "op0");
  put(w, F::k_r0, r0, "TS", "r0");
  put(w, F::k_op1, op1, "TS", "op1");
  put(w, F::k_r1, r1, "TS", "r1");
  return w;
}

I::Word tred(Pr p, Opd src, Opd dst, unsigned len, unsigned op, bool neg, Sync y) {
  I::Word w = head(I::TRED, y, "TRED");
  namespace F = I::tred;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, p, "TRED");
  opd(w, F::k_src_mem, F::k_src_dtype, F::k_src_off, src, "TRED", "src");
  opd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, dst, "TRED", "dst");
  put(w, F::k_len, z4096(len, "TRED", "len"), "TRED", "len");
  put(w, F::k_op, op, "TRED", "op");
  put(w, F::k_neg, neg, "TRED", "neg");
  return w;
}

I::Word copy(Pr p, Opd src, Opd dst, unsigned len, Sync y) {
  I::Word w = head(I::COPY, y, "COPY");
  namespace F = I::copy;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, p, "COPY");
  opd(w, F::k_src_mem, F::k_src_dtype, F::k_src_off, src, "COPY", "src");
  opd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, dst, "COPY", "dst");
  put(w, F::k_len, z4096(len, "COPY", "len"), "COPY", "len");
  return w;
}

I::Word memset(Pr p, Opd dst, unsigned len, unsigned r, Sync y) {
  I::Word w = head(I::MEMSET, y, "MEMSET");
  namespace F = I::memset;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, p, "MEMSET");
  opd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, dst, "MEMSET", "dst");
  put(w, F::k_len, z4096(len, "MEMSET", "len"), "MEMSET", "len");
  put(w, F::k_r, r, "MEMSET", "r");
  return w;
}

I::Word iota(Pr p, Opd dst, unsigned len, int base, int pmul, int fmul, Sync y) {
  I::Word w = head(I::IOTA, y, "IOTA");
  namespace F = I::iota;
  pr(w, F::k_pr_p_start, F::k_pr_p_cnt, p, "IOTA");
  opd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off, dst, "IOTA", "dst");
  put(w, F::k_len, z4096(len, "IOTA", "len"), "IOTA", "len");
  put(w, F::k_base, s16(base, "IOTA", "base"), "IOTA", "base");
  put(w, F::k_pmul, s16(pmul, "IOTA", "pmul"), "IOTA", "pmul");
  put(w, F::k_fmul, s16(fmul, "IOTA", "fmul"), "IOTA", "fmul");
  return w;
}

Sems::Sems(const std::vector<std::string> &names) {
  unsigned i = 1;
  for (const auto &n : names) id_[n] = i++, posts_[n] = 0;
}

unsigned Sems::id(const std::string &name) const {
  const auto it = id_.find(name);
  if (it == id_.end()) throw std::invalid_argument("no semaphore named " + name);
  return it->second;
}

Sync Sems::post(const std::string &name) {
  Sync y;
  y.post_sem = id(name);
  ++posts_[name];
  return y;
}

Sync Sems::wait(const std::string &name, unsigned value) const {
  if (value > 4095) throw std::invalid_argument("wait for " + name + " #" + std::to_string(value) +
                                                ": past the 12-bit wait value; split the program");
  Sync y;
  y.wait_sem = id(name);
  y.wait_val = value;
  return y;
}

Sync Sems::wait_post(const std::string &wait_name, unsigned value, const std::string &post_name) {
  Sync y = wait(wait_name, value);
  y.post_sem = post(post_name).post_sem;
  return y;
}

namespace {

uint64_t align256(uint64_t a) {
  return (a + 0xFF) & ~uint64_t(0xFF);
}

template <class T>
Segment segment(uint64_t addr, const T *p, size_t n) {
  Segment s{addr, std::vector<uint8_t>(n * sizeof(T))};
  std::memcpy(s.bytes.data(), p, s.bytes.size());
  return s;
}

uint32_t f32_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

}  // namespace

// The schedule (every producer/consumer pair ordered by a semaphore, so the program is
// race-free under any interleaving):
//   Q0 (DMA)  loads the weight tile A^T[k, m] and the moving tile B[k, n] into one of two
//             SBUF slots, and stores finished C tiles (and row maxima);
//   Q1 (PE)   PE_LDW + PE_MM per K step, accumulating in PSUM;
//   Q2 (ACT)  evicts each finished PSUM tile to SBUF (FP32, times `scale`);
//   Q3 (DVE)  the MLP epilogue (bias add, RELU as MAX with R0, BF16) or the row maxima.
Program matmul(const uint16_t *a, const uint16_t *b, unsigned M, unsigned K, unsigned N, const TileParams &p,
               const MatmulOptions &o) {
  if (!M || !K || !N) throw std::invalid_argument("matmul: M, K and N must be at least 1");
  const bool mlp = o.bias != nullptr;
  if (mlp && o.row_max) throw std::invalid_argument("matmul: bias and row_max do not combine");
  const unsigned P = p.P, nt_max = std::min(p.NMAX, p.PSUM_PART_BYTES / 4);
  if (o.row_max && N > nt_max)
    throw std::invalid_argument("matmul: row_max needs N <= " + std::to_string(nt_max) + " (one PSUM tile)");
  const uint32_t w_bytes = 2 * P, x_bytes = 2 * nt_max, out_bytes = 4 * nt_max;
  const uint32_t slot_w[2] = {0, w_bytes}, slot_x[2] = {2 * w_bytes, 2 * w_bytes + x_bytes};
  const uint32_t out_off = 2 * w_bytes + 2 * x_bytes, tmp2_off = out_off + out_bytes, y_off = tmp2_off + out_bytes;
  const uint32_t bias_off = y_off + out_bytes, rm_off = out_off + out_bytes;
  if ((mlp ? bias_off + out_bytes : rm_off + 4) > p.SBUF_PART_BYTES)
    throw std::invalid_argument("matmul: SBUF too small for this tiling");

  Program prog;
  std::vector<uint16_t> at(size_t(K) * M);  // A^T: row k is what partition k of a weight tile holds
  for (unsigned m = 0; m < M; ++m)
    for (unsigned k = 0; k < K; ++k) at[size_t(k) * M + m] = a[size_t(m) * K + k];
  const uint64_t addr_at = o.base, addr_b = addr_at + 2ull * K * M, addr_c = align256(addr_b + 2ull * K * N);
  prog.memory.push_back(segment(addr_at, at.data(), at.size()));
  prog.memory.push_back(segment(addr_b, b, size_t(K) * N));
  const unsigned out_esize = mlp ? 2 : 4;
  prog.outputs[mlp ? "Y" : "C"] = {addr_c, M, N, out_esize};
  uint64_t end = addr_c + uint64_t(out_esize) * M * N;
  uint64_t addr_bias = 0, addr_rm = 0;
  if (mlp) {
    addr_bias = align256(end);
    prog.memory.push_back(segment(addr_bias, o.bias, N));
    end = addr_bias + 4ull * N;
  }
  if (o.row_max) {
    addr_rm = align256(end);
    prog.outputs["rowmax"] = {addr_rm, M, 1, 4};
    end = addr_rm + 4ull * M;
  }
  prog.end = end;

  Sems s({"load0", "load1", "free0", "free1", "mm", "evict", "stored", "consumed", "bias", "epi", "rmax", "rstored"});
  auto &q0 = prog.queues[0], &q1 = prog.queues[1], &q2 = prog.queues[2], &q3 = prog.queues[3];
  q0.push_back(setr(1, 2 * M));
  q0.push_back(setr(2, 2 * N));
  q0.push_back(setr(3, out_esize * N));
  q0.push_back(setr(4, 0));
  q0.push_back(setr(5, 4));
  if (o.scale != 1.0f) q2.push_back(setr(1, f32_bits(o.scale)));
  const unsigned scale_r = o.scale != 1.0f ? 1 : 0;
  unsigned step = 0, tile = 0, uses[2] = {0, 0};
  const std::string load[2] = {"load0", "load1"}, freed[2] = {"free0", "free1"};
  for (unsigned m0 = 0; m0 < M; m0 += P) {
    const unsigned mt = std::min(P, M - m0);
    for (unsigned n0 = 0; n0 < N; n0 += nt_max) {
      const unsigned nt = std::min(nt_max, N - n0);
      for (unsigned k0 = 0; k0 < K; k0 += P) {
        const unsigned kt = std::min(P, K - k0), j = step % 2;
        const bool first = k0 == 0, last = k0 + P >= K;
        q0.push_back(dma(false, addr_at + 2ull * (uint64_t(k0) * M + m0), {0, kt}, slot_w[j], 2 * mt, 1,
                         uses[j] ? s.wait(freed[j], uses[j]) : Sync{}));
        ++uses[j];
        q0.push_back(dma(false, addr_b + 2ull * (uint64_t(k0) * N + n0), {0, kt}, slot_x[j], 2 * nt, 2, s.post(load[j])));
        q1.push_back(pe_ldw({0, kt}, slot_w[j], mt, isa::dtype::kBf16, s.wait(load[j], uses[j])));
        // The first K step overwrites PSUM: the previous tile must be evicted first.
        Sync mm = first && tile ? s.wait("evict", tile) : Sync{};
        mm.post_sem = s.post(freed[j]).post_sem;
        q1.push_back(pe_mm({0, kt}, slot_x[j], nt, isa::dtype::kBf16, 0, !first, mm));
        if (last) {
          q1.push_back(sem(s.id("mm"), isa::semop::kAdd, 1));
          s.count("mm");
        }
        ++step;
      }
      // Evict once the PE finished the tile and the evict buffer is free again.
      const std::string freebuf = mlp ? "consumed" : "stored";
      q2.push_back(sem(s.id("mm"), isa::semop::kAdd, 0, s.wait("mm", tile + 1)));  // ADD 0: a second wait
      if (o.row_max && tile) q2.push_back(sem(s.id("rmax"), isa::semop::kAdd, 0, s.wait("rmax", tile)));
      Sync ev = tile ? s.wait(freebuf, tile) : Sync{};
      ev.post_sem = s.post("evict").post_sem;
      q2.push_back(act({0, mt}, psum(isa::dtype::kFp32, 0), sbuf(isa::dtype::kFp32, out_off), nt, isa::func::kIdent,
                       scale_r, 0, ev));
      if (mlp) {
        // Bias row broadcast to every partition (stride register 4 holds 0), once the
        // previous tile's epilogue has read the old one.
        Sync bw = tile ? s.wait("consumed", tile) : Sync{};
        bw.post_sem = s.post("bias").post_sem;
        q0.push_back(dma(false, addr_bias + 4ull * n0, {0, mt}, bias_off, 4 * nt, 4, bw));
        q3.push_back(sem(s.id("bias"), isa::semop::kAdd, 0, s.wait("bias", tile + 1)));
        q3.push_back(tt({0, mt}, sbuf(isa::dtype::kFp32, out_off), sbuf(isa::dtype::kFp32, bias_off),
                        sbuf(isa::dtype::kFp32, tmp2_off), nt, isa::alu::kAdd, s.wait_post("evict", tile + 1, "consumed")));
        // RELU as MAX with R0 (+0.0), converted to BF16 on the way out.
        Sync yw = tile ? s.wait("stored", tile) : Sync{};
        yw.post_sem = s.post("epi").post_sem;
        q3.push_back(ts({0, mt}, sbuf(isa::dtype::kFp32, tmp2_off), sbuf(isa::dtype::kBf16, y_off), nt, isa::alu::kMax,
                        0, isa::alu::kNone, 0, yw));
        Sync st = s.wait("epi", tile + 1);
        st.post_sem = s.post("stored").post_sem;
        q0.push_back(dma(true, addr_c + 2ull * (uint64_t(m0) * N + n0), {0, mt}, y_off, 2 * nt, 3, st));
      } else {
        Sync st = s.wait("evict", tile + 1);
        st.post_sem = s.post("stored").post_sem;
        q0.push_back(dma(true, addr_c + 4ull * (uint64_t(m0) * N + n0), {0, mt}, out_off, 4 * nt, 3, st));
        if (o.row_max) {
          if (tile) q3.push_back(sem(s.id("rstored"), isa::semop::kAdd, 0, s.wait("rstored", tile)));
          q3.push_back(tred({0, mt}, sbuf(isa::dtype::kFp32, out_off), sbuf(isa::dtype::kFp32, rm_off), nt,
                            isa::redop::kMax, false, s.wait_post("evict", tile + 1, "rmax")));
          Sync rs = s.wait("rmax", tile + 1);
          rs.post_sem = s.post("rstored").post_sem;
          q0.push_back(dma(true, addr_rm + 4ull * m0, {0, mt}, rm_off, 4, 5, rs));
        }
      }
      ++tile;
    }
  }
  for (unsigned q = 0; q < 4; ++q)
    if (!prog.queues[q].empty() || q != 3) prog.queues[q].push_back(halt(0, true));
  return prog;
}

Program attention_scores(const uint16_t *qm, const uint16_t *km, unsigned S, unsigned T, unsigned D, float scale,
                         const TileParams &p, uint64_t base) {
  std::vector<uint16_t> kt(size_t(D) * T);  // K^T [D, T]
  for (unsigned t = 0; t < T; ++t)
    for (unsigned d = 0; d < D; ++d) kt[size_t(d) * T + t] = km[size_t(t) * D + d];
  MatmulOptions o;
  o.base = base;
  o.scale = scale;
  o.row_max = true;
  Program prog = matmul(qm, kt.data(), S, D, T, p, o);
  prog.outputs["S"] = prog.outputs.at("C");
  prog.outputs.erase("C");
  return prog;
}

Program reduce_rows(const float *x, unsigned R, unsigned L, unsigned op, const TileParams &p, uint64_t base) {
  if (!R || !L || L > 4096 || 8ull * L + 4 > p.SBUF_PART_BYTES)
    throw std::invalid_argument("reduce_rows: rows of " + std::to_string(L) + " FP32 do not fit this SBUF twice");
  const uint64_t addr_x = base, addr_r = align256(addr_x + 4ull * R * L);
  Program prog;
  prog.memory.push_back(segment(addr_x, x, size_t(R) * L));
  prog.outputs["r"] = {addr_r, R, 1, 4};
  prog.end = addr_r + 4ull * R;
  Sems s({"load0", "load1", "free0", "free1", "red", "stored"});
  auto &q0 = prog.queues[0], &q3 = prog.queues[3];
  const uint32_t slot[2] = {0, 4 * L}, res = 8 * L;  // one FP32 result per partition
  const std::string load[2] = {"load0", "load1"}, freed[2] = {"free0", "free1"};
  unsigned uses[2] = {0, 0}, gi = 0;
  q0.push_back(setr(1, 4));  // results: one FP32 per partition, consecutive in memory
  for (unsigned r0 = 0; r0 < R; r0 += p.P, ++gi) {
    const unsigned rc = std::min(p.P, R - r0), j = gi % 2;
    Sync ld = uses[j] ? s.wait(freed[j], uses[j]) : Sync{};
    ++uses[j];
    ld.post_sem = s.post(load[j]).post_sem;
    q0.push_back(dma(false, addr_x + 4ull * r0 * L, {0, rc}, slot[j], 4 * L, 0, ld));
    q3.push_back(sem(s.id(load[j]), isa::semop::kAdd, 0, s.wait(load[j], uses[j])));
    Sync rd = gi ? s.wait("stored", gi) : Sync{};
    rd.post_sem = s.post(freed[j]).post_sem;
    q3.push_back(tred({0, rc}, sbuf(isa::dtype::kFp32, slot[j]), sbuf(isa::dtype::kFp32, res), L, op, false, rd));
    q3.push_back(sem(s.id("red"), isa::semop::kAdd, 1));
    s.count("red");
    Sync st = s.wait("red", gi + 1);
    st.post_sem = s.post("stored").post_sem;
    q0.push_back(dma(true, addr_r + 4ull * r0, {0, rc}, res, 4, 1, st));
  }
  q0.push_back(halt(0, true));
  q3.push_back(halt(0, true));
  return prog;
}

}  // namespace ncv::golden::build
