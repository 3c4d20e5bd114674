// The vector/activation engine RTL (rtl/tile/nct_vec.sv, Verilated with an SBUF and a PSUM
// through tb/unit/vec/nct_vec_unit.sv) against the golden model's ncv::golden::exec_vector,
// bit for bit on both memories after every instruction. Every expected value comes from the
// golden model.
//
// - Random streams (two Verilated variants: P = 4 with the ci memory sizes, P = 8 with the
//   default ones): memories filled through the public nct_buf arrays with random bytes mixed
//   with special values (signed zeros, subnormals, infinities, NaNs, extreme normals, rounding
//   ties, INT32/INT8 extremes), refilled every few instructions; random legal ACT, TT, TS,
//   TRED, COPY, MEMSET and IOTA words from the builder encoders (dtype combinations, SBUF and
//   PSUM operands, partition ranges, lengths 1..4096, overlapping source and destination,
//   random scalar registers). An instruction the golden model refuses is skipped (counted).
//   Coverage bins (opcode x dtypes, compute type x ALU op, memories, overlap, ...) are counted
//   and every bin must be hit.
// - Protocol: busy_o rises the cycle after start_i and stays high for exactly len cycles,
//   done_o is a one-cycle pulse in the last of them; instruction and register inputs are
//   latched at start; start_i while busy is ignored.
// - Directed cases against the golden model (overlaps, IOTA on an offset partition range,
//   INT32 compute into BF16, sub-word MEMSET, ...); a non-vector opcode writes nothing.
// - The checker itself is shown to fail: a corrupted RTL byte, a corrupted golden byte and
//   an RTL run of a different instruction are reported.
//
// Seeds: NCV_VEC_SEED (default 1). Instructions per variant: NCV_VEC_INSTRS (default 4000).
// A mismatch report names the instruction (fields, registers, raw word), the memory, the
// partition, the byte offset and both values.
#define BOOST_TEST_MODULE vec_unit
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "Vnct_vec_unit_p4.h"
#include "Vnct_vec_unit_p4___024root.h"
#include "Vnct_vec_unit_p8.h"
#include "Vnct_vec_unit_p8___024root.h"
#include "nct_isa.h"
#include "ncv/golden/builder.h"
#include "ncv/golden/engines.h"
#include "ncv/tb/rng.h"
#include "verilated.h"

namespace isa = ncv::isa;
namespace build = ncv::golden::build;
using ncv::golden::Buffers;
using ncv::golden::Err;
using ncv::golden::ExecResult;
using ncv::golden::TileParams;
using ncv::tb::Rng;

namespace {

// ------------------------------------------------------------------------------------------
// Variants: must match the -G parameters in tb/unit/vec/CMakeLists.txt.

struct VariantP4 {
  using Model = Vnct_vec_unit_p4;
  static constexpr unsigned kP = 4, kSbufBytes = 4096, kPsumBytes = 1024;  // configs/ci.yaml
  static constexpr const char *kName = "P4";
};
struct VariantP8 {
  using Model = Vnct_vec_unit_p8;
  static constexpr unsigned kP = 8, kSbufBytes = 16384, kPsumBytes = 2048;  // configs/default.yaml
  static constexpr const char *kName = "P8";
};

template <class V>
TileParams params() {
  TileParams p;
  p.P = V::kP;
  p.SBUF_PART_BYTES = V::kSbufBytes;
  p.PSUM_PART_BYTES = V::kPsumBytes;
  p.NMAX = 64;
  p.NSEM = 32;
  p.AXI_DW = 128;
  return p;
}

uint64_t env_u64(const char *name, uint64_t dflt) {
  const char *s = std::getenv(name);
  return s && *s ? std::strtoull(s, nullptr, 0) : dflt;
}

// ------------------------------------------------------------------------------------------
// Instruction decode (for reports and coverage), from the word's fields.

const char *dt_name(unsigned d) {
  static const char *const kNames[] = {"BF16", "FP32", "INT8", "INT32"};
  return d < 4 ? kNames[d] : "DT?";
}
unsigned dt_size(unsigned d) {
  return d == isa::dtype::kInt8 ? 1 : d == isa::dtype::kBf16 ? 2 : 4;
}
bool dt_int(unsigned d) {
  return d == isa::dtype::kInt8 || d == isa::dtype::kInt32;
}
const char *alu_name(unsigned a) {
  static const char *const kNames[] = {"ADD", "SUB", "MUL", "MAX", "MIN", "AND", "OR", "XOR"};
  return a < 8 ? kNames[a] : a == isa::alu::kNone ? "NONE" : "ALU?";
}
const char *op_name(unsigned op) {
  switch (op) {
    case isa::ACT: return "ACT";
    case isa::TT: return "TT";
    case isa::TS: return "TS";
    case isa::TRED: return "TRED";
    case isa::COPY: return "COPY";
    case isa::MEMSET: return "MEMSET";
    case isa::IOTA: return "IOTA";
    default: return "OP?";
  }
}

struct Opnd {
  unsigned mem = 0, dtype = 0;
  uint32_t off = 0;
};

struct Decoded {
  unsigned opcode = 0, p0 = 0, pc = 0, len = 0;
  bool has_a = false, has_b = false;
  Opnd a, b, d;         // a = src for the one-source opcodes
  unsigned alu0 = 0;    // TT alu, TS op0, TRED op, ACT func
  unsigned alu1 = 0;    // TS op1, TRED neg
  unsigned r0 = 0, r1 = 0;  // TS r0/r1, ACT scale_r/bias_r, MEMSET r
  int base = 0, pmul = 0, fmul = 0;
  bool ic = false;      // INT32 compute
};

Opnd opnd(const isa::Word &w, isa::Field m, isa::Field d, isa::Field o) {
  return {unsigned(isa::get(w, m)), unsigned(isa::get(w, d)), uint32_t(isa::get(w, o))};
}

Decoded decode(const isa::Word &w) {
  Decoded x;
  x.opcode = unsigned(isa::get(w, isa::kOpcode));
  auto len = [](uint64_t v) { return v ? unsigned(v) : 4096u; };
  auto s16 = [](uint64_t v) { return int(int16_t(uint16_t(v))); };
  switch (x.opcode) {
    case isa::TT: {
      namespace F = isa::tt;
      x.p0 = unsigned(isa::get(w, F::k_pr_p_start));
      x.pc = unsigned(isa::get(w, F::k_pr_p_cnt)) + 1;
      x.has_a = x.has_b = true;
      x.a = opnd(w, F::k_a_mem, F::k_a_dtype, F::k_a_off);
      x.b = opnd(w, F::k_b_mem, F::k_b_dtype, F::k_b_off);
      x.d = opnd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off);
      x.len = len(isa::get(w, F::k_len));
      x.alu0 = unsigned(isa::get(w, F::k_alu));
      x.ic = dt_int(x.a.dtype) && dt_int(x.b.dtype) && dt_int(x.d.dtype);
      break;
    }
    case isa::TS: {
      namespace F = isa::ts;
      x.p0 = unsigned(isa::get(w, F::k_pr_p_start));
      x.pc = unsigned(isa::get(w, F::k_pr_p_cnt)) + 1;
      x.has_a = true;
      x.a = opnd(w, F::k_src_mem, F::k_src_dtype, F::k_src_off);
      x.d = opnd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off);
      x.len = len(isa::get(w, F::k_len));
      x.alu0 = unsigned(isa::get(w, F::k_op0));
      x.alu1 = unsigned(isa::get(w, F::k_op1));
      x.r0 = unsigned(isa::get(w, F::k_r0));
      x.r1 = unsigned(isa::get(w, F::k_r1));
      x.ic = dt_int(x.a.dtype) && dt_int(x.d.dtype);
      break;
    }
    case isa::ACT: {
      namespace F = isa::act;
      x.p0 = unsigned(isa::get(w, F::k_pr_p_start));
      x.pc = unsigned(isa::get(w, F::k_pr_p_cnt)) + 1;
      x.has_a = true;
      x.a = opnd(w, F::k_src_mem, F::k_src_dtype, F::k_src_off);
      x.d = opnd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off);
      x.len = len(isa::get(w, F::k_len));
      x.alu0 = unsigned(isa::get(w, F::k_func));
      x.r0 = unsigned(isa::get(w, F::k_scale_r));
      x.r1 = unsigned(isa::get(w, F::k_bias_r));
      break;
    }
    case isa::TRED: {
      namespace F = isa::tred;
      x.p0 = unsigned(isa::get(w, F::k_pr_p_start));
      x.pc = unsigned(isa::get(w, F::k_pr_p_cnt)) + 1;
      x.has_a = true;
      x.a = opnd(w, F::k_src_mem, F::k_src_dtype, F::k_src_off);
      x.d = opnd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off);
      x.len = len(isa::get(w, F::k_len));
      x.alu0 = unsigned(isa::get(w, F::k_op));
      x.alu1 = unsigned(isa::get(w, F::k_neg));
      x.ic = dt_int(x.a.dtype) && dt_int(x.d.dtype);
      break;
    }
    case isa::COPY: {
      namespace F = isa::copy;
      x.p0 = unsigned(isa::get(w, F::k_pr_p_start));
      x.pc = unsigned(isa::get(w, F::k_pr_p_cnt)) + 1;
      x.has_a = true;
      x.a = opnd(w, F::k_src_mem, F::k_src_dtype, F::k_src_off);
      x.d = opnd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off);
      x.len = len(isa::get(w, F::k_len));
      x.ic = dt_int(x.a.dtype) && dt_int(x.d.dtype);
      break;
    }
    case isa::MEMSET: {
      namespace F = isa::memset;
      x.p0 = unsigned(isa::get(w, F::k_pr_p_start));
      x.pc = unsigned(isa::get(w, F::k_pr_p_cnt)) + 1;
      x.d = opnd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off);
      x.len = len(isa::get(w, F::k_len));
      x.r0 = unsigned(isa::get(w, F::k_r));
      break;
    }
    case isa::IOTA: {
      namespace F = isa::iota;
      x.p0 = unsigned(isa::get(w, F::k_pr_p_start));
      x.pc = unsigned(isa::get(w, F::k_pr_p_cnt)) + 1;
      x.d = opnd(w, F::k_dst_mem, F::k_dst_dtype, F::k_dst_off);
      x.len = len(isa::get(w, F::k_len));
      x.base = s16(isa::get(w, F::k_base));
      x.pmul = s16(isa::get(w, F::k_pmul));
      x.fmul = s16(isa::get(w, F::k_fmul));
      x.ic = true;
      break;
    }
    default: break;
  }
  return x;
}

std::string opnd_str(const Opnd &o) {
  std::ostringstream s;
  s << (o.mem ? "PSUM" : "SBUF") << "." << dt_name(o.dtype) << "@0x" << std::hex << o.off;
  return s.str();
}

std::string hex32(uint32_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << std::setw(8) << std::setfill('0') << v;
  return s.str();
}

// Disassembly with every field, the registers it reads and the raw word.
std::string describe(const isa::Word &w, const uint32_t regs[16]) {
  const Decoded x = decode(w);
  std::ostringstream s;
  s << op_name(x.opcode) << " pr=[" << x.p0 << ".." << (x.p0 + x.pc - 1) << "]";
  switch (x.opcode) {
    case isa::TT:
      s << " a=" << opnd_str(x.a) << " b=" << opnd_str(x.b) << " dst=" << opnd_str(x.d) << " len=" << x.len
        << " alu=" << alu_name(x.alu0);
      break;
    case isa::TS:
      s << " src=" << opnd_str(x.a) << " dst=" << opnd_str(x.d) << " len=" << x.len << " op0=" << alu_name(x.alu0)
        << " r0=R" << x.r0 << "(" << hex32(x.r0 ? regs[x.r0] : 0) << ") op1=" << alu_name(x.alu1) << " r1=R" << x.r1
        << "(" << hex32(x.r1 ? regs[x.r1] : 0) << ")";
      break;
    case isa::ACT:
      s << " src=" << opnd_str(x.a) << " dst=" << opnd_str(x.d) << " len=" << x.len
        << " func=" << (x.alu0 == 0 ? "IDENT" : x.alu0 == 1 ? "RELU" : "FUNC?") << " scale_r=R" << x.r0 << "("
        << hex32(x.r0 ? regs[x.r0] : 0) << ") bias_r=R" << x.r1 << "(" << hex32(x.r1 ? regs[x.r1] : 0) << ")";
      break;
    case isa::TRED:
      s << " src=" << opnd_str(x.a) << " dst=" << opnd_str(x.d) << " len=" << x.len << " op="
        << (x.alu0 == 0 ? "ADD" : x.alu0 == 1 ? "MAX" : x.alu0 == 2 ? "MIN" : "OP?") << " neg=" << x.alu1;
      break;
    case isa::COPY: s << " src=" << opnd_str(x.a) << " dst=" << opnd_str(x.d) << " len=" << x.len; break;
    case isa::MEMSET:
      s << " dst=" << opnd_str(x.d) << " len=" << x.len << " r=R" << x.r0 << "(" << hex32(x.r0 ? regs[x.r0] : 0)
        << ")";
      break;
    case isa::IOTA:
      s << " dst=" << opnd_str(x.d) << " len=" << x.len << " base=" << x.base << " pmul=" << x.pmul
        << " fmul=" << x.fmul;
      break;
    default: break;
  }
  if (x.opcode != isa::MEMSET && x.opcode != isa::ACT) s << " compute=" << (x.ic ? "INT32" : "FP32");
  s << " word=0x" << std::hex << std::setfill('0') << std::setw(16) << w.hi << std::setw(16) << w.lo;
  return s.str();
}

// The scalar operands a queue resolves for the engine: R[field], R0 reading 0. Opcodes
// without scalar fields get arbitrary values (the engine must ignore them).
std::pair<uint32_t, uint32_t> scalar_operands(const isa::Word &w, const uint32_t regs[16], Rng &rng) {
  const Decoded x = decode(w);
  auto r = [&](unsigned i) { return i ? regs[i] : 0u; };
  switch (x.opcode) {
    case isa::TS:
    case isa::ACT: return {r(x.r0), r(x.r1)};
    case isa::MEMSET: return {r(x.r0), uint32_t(rng.next())};
    default: return {uint32_t(rng.next()), uint32_t(rng.next())};
  }
}

// ------------------------------------------------------------------------------------------
// Memory comparison

struct Diff {
  bool psum = false;
  unsigned part = 0;
  uint32_t byte = 0;  // byte offset in the partition
  uint8_t expected = 0, actual = 0;
};

std::optional<Diff> first_diff(const Buffers &expected, const Buffers &actual, const TileParams &tp) {
  for (int m = 0; m < 2; ++m) {
    const auto &e = m ? expected.psum : expected.sbuf;
    const auto &a = m ? actual.psum : actual.sbuf;
    if (e.size() == a.size() && std::memcmp(e.data(), a.data(), e.size()) == 0) continue;
    const size_t part = m ? tp.PSUM_PART_BYTES : tp.SBUF_PART_BYTES;
    for (size_t i = 0; i < std::min(e.size(), a.size()); ++i) {
      if (e[i] != a[i]) return Diff{m == 1, unsigned(i / part), uint32_t(i % part), e[i], a[i]};
    }
  }
  return std::nullopt;
}

std::string diff_str(const Diff &d) {
  std::ostringstream s;
  s << (d.psum ? "PSUM" : "SBUF") << " partition " << d.part << " byte 0x" << std::hex << d.byte << " (word 0x"
    << (d.byte / 4) << " byte " << (d.byte % 4) << "): golden 0x" << std::setw(2) << std::setfill('0')
    << unsigned(d.expected) << ", RTL 0x" << std::setw(2) << unsigned(d.actual);
  return s.str();
}

// ------------------------------------------------------------------------------------------
// The Verilated engine with its memories

template <class V>
class Rtl {
 public:
  using Model = typename V::Model;
  using Root = std::remove_pointer_t<decltype(std::declval<Model &>().rootp)>;
  static_assert(sizeof(Root::nct_vec_unit__DOT__u_sbuf__DOT__mem_q) == size_t(V::kP) * V::kSbufBytes,
                "SBUF size of the Verilated variant differs from the test's");
  static_assert(sizeof(Root::nct_vec_unit__DOT__u_psum__DOT__mem_q) == size_t(V::kP) * V::kPsumBytes,
                "PSUM size of the Verilated variant differs from the test's");

  Rtl() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);
    m_ = std::make_unique<Model>(ctx_.get(), "top");
    reset();
  }
  ~Rtl() { m_->final(); }

  Model &model() { return *m_; }

  void reset() {
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->start_i = 0;
    m_->eval();
    tick();
    tick();
    m_->rst_ni = 1;
    m_->eval();
  }

  // One clock cycle: rising edge, then the clock low again (inputs change while low).
  void tick() {
    m_->clk_i = 1;
    m_->eval();
    m_->clk_i = 0;
    m_->eval();
  }

  void set_instr(const isa::Word &w) {
    m_->instr_i[0] = uint32_t(w.lo);
    m_->instr_i[1] = uint32_t(w.lo >> 32);
    m_->instr_i[2] = uint32_t(w.hi);
    m_->instr_i[3] = uint32_t(w.hi >> 32);
  }

  void load(const Buffers &b) {
    auto &sb = m_->rootp->nct_vec_unit__DOT__u_sbuf__DOT__mem_q;
    auto &ps = m_->rootp->nct_vec_unit__DOT__u_psum__DOT__mem_q;
    for (unsigned p = 0; p < V::kP; ++p) {
      for (unsigned i = 0; i < V::kSbufBytes / 4; ++i) sb[p][i] = le32(&b.sbuf[size_t(p) * V::kSbufBytes + 4 * i]);
      for (unsigned i = 0; i < V::kPsumBytes / 4; ++i) ps[p][i] = le32(&b.psum[size_t(p) * V::kPsumBytes + 4 * i]);
    }
    m_->eval();
  }

  void dump(Buffers &b) const {
    const auto &sb = m_->rootp->nct_vec_unit__DOT__u_sbuf__DOT__mem_q;
    const auto &ps = m_->rootp->nct_vec_unit__DOT__u_psum__DOT__mem_q;
    for (unsigned p = 0; p < V::kP; ++p) {
      for (unsigned i = 0; i < V::kSbufBytes / 4; ++i) put32(&b.sbuf[size_t(p) * V::kSbufBytes + 4 * i], sb[p][i]);
      for (unsigned i = 0; i < V::kPsumBytes / 4; ++i) put32(&b.psum[size_t(p) * V::kPsumBytes + 4 * i], ps[p][i]);
    }
  }

  // Flips bits of one byte of the RTL memory (backdoor), for the checker's own test.
  void corrupt(bool psum, unsigned part, uint32_t byte, uint8_t xor_mask) {
    const uint32_t flip = uint32_t(xor_mask) << (8 * (byte % 4));
    if (psum)
      m_->rootp->nct_vec_unit__DOT__u_psum__DOT__mem_q[part][byte / 4] ^= flip;
    else
      m_->rootp->nct_vec_unit__DOT__u_sbuf__DOT__mem_q[part][byte / 4] ^= flip;
    m_->eval();
  }

  struct Run {
    unsigned cycles = 0;  // cycles from the start edge to the done edge
    std::string error;    // protocol violation, empty if none
  };

  // Issues one instruction (a one-cycle start_i) and clocks until done_o, checking the
  // handshake: busy_o low before start, high from the cycle after start through the done
  // cycle, done_o a single pulse, both low afterwards. The instruction and register inputs
  // are scrambled after the start edge (the engine must have latched them).
  Run run(const isa::Word &w, uint32_t rs0, uint32_t rs1, unsigned max_cycles) {
    Run r;
    if (m_->busy_o || m_->done_o) {
      r.error = "busy_o or done_o high before start";
      return r;
    }
    set_instr(w);
    m_->rs0_i = rs0;
    m_->rs1_i = rs1;
    m_->start_i = 1;
    tick();
    m_->start_i = 0;
    set_instr(isa::Word{~w.lo, ~w.hi});
    m_->rs0_i = ~rs0;
    m_->rs1_i = ~rs1;
    m_->eval();
    for (;;) {
      if (!m_->busy_o) {
        r.error = "busy_o low before done_o (cycle " + std::to_string(r.cycles) + ")";
        return r;
      }
      const bool done = m_->done_o;
      tick();
      ++r.cycles;
      if (done) break;
      if (r.cycles > max_cycles) {
        r.error = "no done_o within " + std::to_string(max_cycles) + " cycles";
        return r;
      }
    }
    if (m_->busy_o || m_->done_o) r.error = "busy_o or done_o high after the done cycle";
    return r;
  }

 private:
  static uint32_t le32(const uint8_t *p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  }
  static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> m_;
};

// ------------------------------------------------------------------------------------------
// Random values and memory images

constexpr uint32_t kF32Special[] = {
    0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x00400000, 0x00800000, 0x80800000, 0x00800001, 0x7F7FFFFF,
    0xFF7FFFFF, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FBFFFFF, 0xFFFFFFFF, 0x3F800000,
    0xBF800000, 0x3F000000, 0xBF000000, 0x3FC00000, 0x40200000, 0xC0200000, 0x4F000000, 0xCF000000, 0x4EFFFFFF,
    0xCF000001, 0x4AFFFFFF, 0x3F808000, 0x3F818000, 0x3F80FFFF, 0x7F7F8000, 0x7F7F7FFF, 0x00FFFFFF, 0x33800000,
    0x34000000, 0x4B800000, 0x4B800001, 0x42FF0000, 0x42FE0000, 0xC3010000, 0xC3008000, 0x43000000, 0x3EFFFFFF,
    0x1F800000, 0x20000000, 0x5F800000, 0x60000000, 0x3F7FFFFF, 0x3F800001, 0xBF800001, 0x40000000};
constexpr uint16_t kBf16Special[] = {0x0000, 0x8000, 0x0001, 0x807F, 0x0040, 0x0080, 0x8080, 0x7F7F, 0xFF7F, 0x7F80,
                                     0xFF80, 0x7FC0, 0xFFC0, 0x7F81, 0xFFFF, 0x3F80, 0xBF80, 0x3F00, 0x3FC0, 0x4020,
                                     0x4B00, 0x4B01, 0x42FF, 0xC301, 0x4300, 0x4F00, 0xCF00, 0x3F81, 0x4000, 0x0100};
constexpr uint32_t kI32Special[] = {0x00000000, 0x00000001, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x80000001,
                                    0x0000007F, 0x00000080, 0xFFFFFF80, 0xFFFFFF7F, 0x000000FF, 0x01000001,
                                    0x01000003, 0x00FFFFFF, 0x7FFFFFC0, 0x7FFFFF80, 0x7FFFFFBF, 0xFF000001,
                                    0xFEFFFFFF, 0x00010000, 0xFFFF0000, 0x40000000};
constexpr uint8_t kI8Special[] = {0x00, 0x01, 0x7F, 0x80, 0x81, 0xFF, 0x7E, 0x40, 0xC0};

// An FP32 value that arithmetic does something interesting with: an exponent near 1.0
// (sums align and cancel, products stay normal), a few random or very few significant
// bits (exact ties, exact cancellation), or a low half that is a BF16 rounding tie.
uint32_t nice_f32(Rng &r) {
  const uint32_t sign = uint32_t(r.range(0, 1)) << 31;
  const uint32_t exp = uint32_t(r.chance(0.8) ? r.range(118, 136) : r.range(1, 254));
  uint32_t frac = uint32_t(r.range(0, 0x7FFFFF));
  switch (r.range(0, 4)) {
    case 0: frac &= 0x7F0000; break;            // BF16-exact
    case 1: frac = (frac & 0x7F0000) | 0x8000; break;  // BF16 tie
    case 2: frac &= 0x7FFFC0; break;
    default: break;
  }
  return sign | exp << 23 | frac;
}

uint16_t nice_bf16(Rng &r) {
  return uint16_t(nice_f32(r) >> 16);
}

uint32_t value32(Rng &r) {
  switch (r.range(0, 9)) {
    case 0:
    case 1: return uint32_t(r.next());
    case 2:
    case 3:
    case 4: return nice_f32(r);
    case 5:
    case 6: return r.pick(kF32Special);
    case 7: return r.pick(kI32Special);
    case 8: return uint32_t(int32_t(r.range(0, 600)) - 300);
    default: return uint32_t(nice_bf16(r)) << 16;
  }
}

uint32_t word32(Rng &r) {
  switch (r.range(0, 9)) {
    case 0:
    case 1: return uint32_t(r.next());
    case 2:
    case 3: return nice_f32(r);
    case 4: return r.pick(kF32Special);
    case 5:
    case 6: {  // two BF16
      auto h = [&r]() { return r.chance(0.4) ? r.pick(kBf16Special) : nice_bf16(r); };
      return uint32_t(h()) | uint32_t(h()) << 16;
    }
    case 7: return r.chance(0.5) ? r.pick(kI32Special) : uint32_t(int32_t(r.range(0, 600)) - 300);
    default: {  // four INT8
      uint32_t v = 0;
      for (int i = 0; i < 4; ++i) v |= uint32_t(r.chance(0.5) ? r.pick(kI8Special) : uint8_t(r.next())) << (8 * i);
      return v;
    }
  }
}

void fill(Buffers &b, Rng &r) {
  for (auto *v : {&b.sbuf, &b.psum}) {
    for (size_t i = 0; i + 4 <= v->size(); i += 4) {
      const uint32_t w = word32(r);
      std::memcpy(v->data() + i, &w, 4);
    }
  }
}

// ------------------------------------------------------------------------------------------
// Random legal instructions

// The values 0..n-1 in a shuffled cyclic order.
class RoundRobin {
 public:
  RoundRobin(Rng &r, unsigned n) : order_(n) {
    for (unsigned i = 0; i < n; ++i) order_[i] = i;
    r.shuffle(order_);
  }
  unsigned next() {
    const unsigned v = order_[i_];
    i_ = (i_ + 1) % order_.size();
    return v;
  }

 private:
  std::vector<unsigned> order_;
  size_t i_ = 0;
};

class Gen {
 public:
  Gen(Rng &r, const TileParams &tp) : r_(r), tp_(tp), tt_(r, 64), two_(r, 16), one_(r, 4) {}

  isa::Word next() {
    const unsigned op = r_.pick({isa::ACT, isa::TT, isa::TS, isa::TRED, isa::COPY, isa::MEMSET, isa::IOTA});
    const build::Pr pr = pick_pr();
    switch (op) {
      case isa::TT: {
        // Half of the dtype combinations come from a round robin over all 64, so every
        // combination appears within the first couple of hundred TT words.
        const bool all_int = r_.chance(0.35);
        unsigned da = dtype(all_int), db = dtype(all_int), dd = dtype(all_int);
        if (r_.chance(0.5)) {
          const unsigned c = tt_.next();
          da = c & 3;
          db = (c >> 2) & 3;
          dd = c >> 4;
        }
        const unsigned ma = mem(da), mb = ma ? 0u : mem(db), md = mem(dd);
        const unsigned len = pick_len({{ma, da}, {mb, db}, {md, dd}});
        const build::Opd a{ma, da, offset(ma, da, len)};
        const build::Opd b = near_or_random(a, mb, db, len);
        const build::Opd d = near_or_random(r_.chance(0.5) ? a : b, md, dd, len);
        const bool ic = dt_int(da) && dt_int(db) && dt_int(dd);
        return build::tt(pr, a, b, d, len, unsigned(r_.range(0, ic ? 7 : 4)));
      }
      case isa::TS: {
        const auto [ds, dd] = src_dst(0.4);
        const bool ic = dt_int(ds) && dt_int(dd);
        const unsigned ms = mem(ds), md = mem(dd);
        const unsigned len = pick_len({{ms, ds}, {md, dd}});
        const build::Opd s{ms, ds, offset(ms, ds, len)};
        const build::Opd d = near_or_random(s, md, dd, len);
        const unsigned op0 = unsigned(r_.range(0, ic ? 7 : 4));
        const unsigned op1 = r_.chance(0.2) ? isa::alu::kNone : unsigned(r_.range(0, ic ? 7 : 4));
        return build::ts(pr, s, d, len, op0, reg(), op1, reg());
      }
      case isa::ACT: {
        const auto [ds, dd] = src_dst(0.0);
        const unsigned ms = mem(ds), md = mem(dd);
        const unsigned len = pick_len({{ms, ds}, {md, dd}});
        const build::Opd s{ms, ds, offset(ms, ds, len)};
        const build::Opd d = near_or_random(s, md, dd, len);
        return build::act(pr, s, d, len, unsigned(r_.range(0, 1)), reg(), reg());
      }
      case isa::TRED: {
        const auto [ds, dd] = src_dst(0.4);
        const unsigned ms = mem(ds), md = mem(dd);
        const unsigned len = pick_len({{ms, ds}});
        const build::Opd s{ms, ds, offset(ms, ds, len)};
        // dst element 0 anywhere, sometimes inside the source range.
        build::Opd d{md, dd, offset(md, dd, 1)};
        if (md == ms && r_.chance(0.3)) {
          const uint32_t o = align(s.off + uint32_t(r_.range(0, uint64_t(len) * dt_size(ds) - 1)), dd);
          if (o + dt_size(dd) <= part(md)) d.off = o;
        }
        return build::tred(pr, s, d, len, unsigned(r_.range(0, 2)), r_.chance(0.5));
      }
      case isa::COPY: {
        auto [ds, dd] = src_dst(0.3);
        if (r_.chance(0.3)) dd = ds;  // raw copy
        const unsigned ms = mem(ds), md = mem(dd);
        const unsigned len = pick_len({{ms, ds}, {md, dd}});
        const build::Opd s{ms, ds, offset(ms, ds, len)};
        const build::Opd d = near_or_random(s, md, dd, len);
        return build::copy(pr, s, d, len);
      }
      case isa::MEMSET: {
        const unsigned dd = r_.chance(0.5) ? one_.next() : dtype(false), md = mem(dd);
        const unsigned len = pick_len({{md, dd}});
        return build::memset(pr, build::Opd{md, dd, offset(md, dd, len)}, len, reg());
      }
      default: {
        const unsigned dd = r_.chance(0.5) ? one_.next() : dtype(false), md = mem(dd);
        const unsigned len = pick_len({{md, dd}});
        return build::iota(pr, build::Opd{md, dd, offset(md, dd, len)}, len, imm16(), imm16(), imm16());
      }
    }
  }

  uint32_t part(unsigned m) const { return m ? tp_.PSUM_PART_BYTES : tp_.SBUF_PART_BYTES; }

 private:
  unsigned dtype(bool integer) {
    return integer ? (r_.chance(0.5) ? isa::dtype::kInt8 : isa::dtype::kInt32) : unsigned(r_.range(0, 3));
  }
  // Source and destination dtypes: half from a round robin over the 16 combinations, else
  // random, integer-only with probability p_int.
  std::pair<unsigned, unsigned> src_dst(double p_int) {
    if (r_.chance(0.5)) {
      const unsigned c = two_.next();
      return {c & 3, c >> 2};
    }
    const bool integer = r_.chance(p_int);
    const unsigned s = dtype(integer);
    return {s, dtype(integer)};
  }
  // PSUM holds FP32/INT32 entries only.
  unsigned mem(unsigned dt) {
    const bool psum_ok = dt == isa::dtype::kFp32 || dt == isa::dtype::kInt32;
    return psum_ok && r_.chance(0.4) ? isa::mem::kPsum : isa::mem::kSbuf;
  }
  unsigned reg() { return r_.chance(0.15) ? 0u : unsigned(r_.range(1, 15)); }
  int imm16() {
    switch (r_.range(0, 5)) {
      case 0: return r_.pick({-32768, 32767, -1, 0, 1});
      case 1:
      case 2: return int(r_.range(0, 65535)) - 32768;
      default: return int(r_.range(0, 40)) - 20;
    }
  }
  build::Pr pick_pr() {
    const unsigned P = tp_.P;
    if (r_.chance(0.3)) return {0, P};
    const unsigned start = unsigned(r_.range(0, P - 1));
    return {start, unsigned(r_.range(1, P - start))};
  }
  // A length that fits every operand (elements per partition, 1..4096).
  unsigned pick_len(std::initializer_list<std::pair<unsigned, unsigned>> opnds) {
    uint32_t max = 4096;
    for (const auto &[m, dt] : opnds) max = std::min(max, part(m) / dt_size(dt));
    uint32_t n;
    switch (r_.weighted<int>({{0, 45}, {1, 35}, {2, 15}, {3, 5}})) {
      case 0: n = uint32_t(r_.range(1, 8)); break;
      case 1: n = uint32_t(r_.range(9, 64)); break;
      case 2: n = uint32_t(r_.range(65, 256)); break;
      default: n = max - uint32_t(r_.range(0, std::min<uint32_t>(3, max - 1))); break;
    }
    return std::min(n, max);
  }
  static uint32_t align(uint32_t off, unsigned dt) { return off / dt_size(dt) * dt_size(dt); }
  uint32_t offset(unsigned m, unsigned dt, unsigned len) {
    const uint32_t slots = (part(m) - len * dt_size(dt)) / dt_size(dt);
    return uint32_t(r_.range(0, slots)) * dt_size(dt);
  }
  // An operand in memory m, often overlapping `ref` (a few bytes before or after it) when
  // both are in the same memory, else anywhere.
  build::Opd near_or_random(const build::Opd &ref, unsigned m, unsigned dt, unsigned len) {
    if (m == ref.mem && r_.chance(0.4)) {
      const int64_t o = int64_t(ref.off) + int64_t(r_.range(0, 16)) - 8;
      if (o >= 0) {
        const uint32_t off = align(uint32_t(o), dt);
        if (off + len * dt_size(dt) <= part(m)) return {m, dt, off};
      }
    }
    return {m, dt, offset(m, dt, len)};
  }

  Rng &r_;
  const TileParams &tp_;
  RoundRobin tt_, two_, one_;
};

// ------------------------------------------------------------------------------------------
// Coverage: bins that must all be hit.

class Coverage {
 public:
  explicit Coverage(unsigned P) : P_(P) {
    const char *two_opnd[] = {"ACT", "TS", "TRED", "COPY"};
    for (unsigned s = 0; s < 4; ++s)
      for (unsigned d = 0; d < 4; ++d) {
        for (const char *op : two_opnd) expect(std::string(op) + " " + dt_name(s) + "->" + dt_name(d));
        for (unsigned b = 0; b < 4; ++b) expect(std::string("TT ") + dt_name(s) + "," + dt_name(b) + "->" + dt_name(d));
      }
    for (unsigned d = 0; d < 4; ++d) {
      expect(std::string("MEMSET ->") + dt_name(d));
      expect(std::string("IOTA ->") + dt_name(d));
    }
    for (const char *ct : {"INT32", "FP32"}) {
      const unsigned n_alu = std::string(ct) == "INT32" ? 8 : 5;
      for (unsigned a = 0; a < n_alu; ++a) {
        expect(std::string("TT ") + ct + " alu=" + alu_name(a));
        expect(std::string("TS ") + ct + " op0=" + alu_name(a));
        expect(std::string("TS ") + ct + " op1=" + alu_name(a));
      }
      expect(std::string("TS ") + ct + " op1=NONE");
      for (unsigned op = 0; op < 3; ++op)
        for (unsigned neg = 0; neg < 2; ++neg)
          expect(std::string("TRED ") + ct + " op=" + std::to_string(op) + " neg=" + std::to_string(neg));
      expect(std::string("COPY convert ") + ct);
    }
    expect("COPY raw");
    for (const char *f : {"IDENT", "RELU"}) expect(std::string("ACT func=") + f);
    expect("ACT scale_r=0");
    expect("ACT bias_r=0");
    for (const char *op : {"ACT", "TT", "TS", "TRED", "COPY", "MEMSET", "IOTA"}) {
      expect(std::string(op) + " dst=PSUM");
      expect(std::string(op) + " pr=all");
      expect(std::string(op) + " pr=one");
      expect(std::string(op) + " len>=256");
      if (std::string(op) != "MEMSET" && std::string(op) != "IOTA") {
        expect(std::string(op) + " src=PSUM");
        expect(std::string(op) + " overlap");
      }
    }
    expect("TT b=PSUM");
    expect("len=4096");
  }

  void sample(const isa::Word &w) {
    const Decoded x = decode(w);
    const std::string op = op_name(x.opcode);
    const std::string ct = x.ic ? "INT32" : "FP32";
    switch (x.opcode) {
      case isa::TT:
        hit("TT " + std::string(dt_name(x.a.dtype)) + "," + dt_name(x.b.dtype) + "->" + dt_name(x.d.dtype));
        hit("TT " + ct + " alu=" + alu_name(x.alu0));
        if (x.b.mem) hit("TT b=PSUM");
        break;
      case isa::TS:
        hit("TS " + ct + " op0=" + alu_name(x.alu0));
        hit("TS " + ct + " op1=" + alu_name(x.alu1));
        break;
      case isa::ACT:
        hit(std::string("ACT func=") + (x.alu0 ? "RELU" : "IDENT"));
        if (!x.r0) hit("ACT scale_r=0");
        if (!x.r1) hit("ACT bias_r=0");
        break;
      case isa::TRED:
        hit("TRED " + ct + " op=" + std::to_string(x.alu0) + " neg=" + std::to_string(x.alu1));
        break;
      case isa::COPY: hit(x.a.dtype == x.d.dtype ? "COPY raw" : "COPY convert " + ct); break;
      default: break;
    }
    if (x.has_a && x.opcode != isa::TT) hit(op + " " + dt_name(x.a.dtype) + "->" + dt_name(x.d.dtype));
    if (!x.has_a) hit(op + " ->" + dt_name(x.d.dtype));
    if (x.d.mem) hit(op + " dst=PSUM");
    if (x.has_a && x.a.mem) hit(op + " src=PSUM");
    if (x.pc == P_) hit(op + " pr=all");
    if (x.pc == 1) hit(op + " pr=one");
    if (x.len >= 256) hit(op + " len>=256");
    if (x.len == 4096) hit("len=4096");
    // Overlap: a source range and the destination range share a byte.
    const uint32_t dlen = x.opcode == isa::TRED ? 1 : x.len;
    auto overlaps = [&](const Opnd &s) {
      return s.mem == x.d.mem && s.off < x.d.off + dlen * dt_size(x.d.dtype) &&
             x.d.off < s.off + x.len * dt_size(s.dtype);
    };
    if ((x.has_a && overlaps(x.a)) || (x.has_b && overlaps(x.b))) hit(op + " overlap");
  }

  // Every expected bin that was never hit.
  std::vector<std::string> missing() const {
    std::vector<std::string> m;
    for (const auto &[bin, n] : bins_)
      if (n == 0) m.push_back(bin);
    return m;
  }
  size_t size() const { return bins_.size(); }

 private:
  void expect(const std::string &bin) { bins_.emplace(bin, 0); }
  void hit(const std::string &bin) { ++bins_[bin]; }

  unsigned P_;
  std::map<std::string, unsigned> bins_;
};

// ------------------------------------------------------------------------------------------
// The random stream against the golden model

struct Stats {
  std::map<std::string, unsigned> checked, skipped;
  unsigned mismatches = 0;
  uint64_t cycles = 0;
};

template <class V>
void random_stream(uint64_t seed, unsigned n_instr) {
  const TileParams tp = params<V>();
  Rtl<V> rtl;
  Rng rng(seed, std::string("vec_unit/") + V::kName);
  Gen gen(rng, tp);
  Coverage cov(tp.P);
  Stats st;
  Buffers cur(tp), rtl_mem(tp);
  constexpr unsigned kStopAfter = 5;
  const auto t0 = std::chrono::steady_clock::now();

  unsigned until_refill = 0;
  for (unsigned i = 0; i < n_instr && st.mismatches < kStopAfter; ++i) {
    if (until_refill == 0) {
      fill(cur, rng);
      rtl.load(cur);
      until_refill = unsigned(rng.range(4, 24));
    }
    --until_refill;
    uint32_t regs[16];
    regs[0] = 0;
    for (unsigned k = 1; k < 16; ++k) regs[k] = value32(rng);
    const isa::Word w = gen.next();
    const std::string op = op_name(unsigned(isa::get(w, isa::kOpcode)));

    Buffers expect = cur;
    const ExecResult e = ncv::golden::exec_vector(w, expect, regs, tp);
    if (e.err != Err::kNone) {
      ++st.skipped[op];
      continue;
    }
    const auto [rs0, rs1] = scalar_operands(w, regs, rng);
    const unsigned len = decode(w).len;
    const auto run = rtl.run(w, rs0, rs1, 4096 + 16);
    st.cycles += run.cycles;
    rtl.dump(rtl_mem);
    const auto diff = first_diff(expect, rtl_mem, tp);
    std::string what;
    if (!run.error.empty()) what = "protocol: " + run.error;
    else if (run.cycles != len) what = "took " + std::to_string(run.cycles) + " cycles for len " + std::to_string(len);
    else if (diff) what = "memory differs at " + diff_str(*diff);
    if (!what.empty()) {
      ++st.mismatches;
      BOOST_ERROR(V::kName << " instruction " << i << " (seed " << seed << "): " << what << "\n  " << describe(w, regs));
      if (!run.error.empty()) rtl.reset();
      rtl.load(expect);  // resynchronise
    }
    cur = std::move(expect);
    ++st.checked[op];
    cov.sample(w);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::ostringstream rep;
  unsigned total = 0;
  for (const auto &[op, n] : st.checked) {
    rep << " " << op << "=" << n;
    total += n;
  }
  unsigned skipped = 0;
  for (const auto &[op, n] : st.skipped) skipped += n;
  BOOST_TEST_MESSAGE(V::kName << ": " << total << " instructions checked (" << rep.str() << "), " << skipped
                              << " refused by the golden model, " << st.cycles << " engine cycles, " << std::fixed
                              << std::setprecision(2) << secs << " s, " << cov.size() << " coverage bins");
  BOOST_TEST(st.mismatches == 0u);
  if (st.mismatches == 0) {
    BOOST_TEST(total == n_instr - skipped);
    // Legal by construction: the golden model refusing more than a few means the
    // generator is broken.
    BOOST_TEST(skipped <= n_instr / 100);
    std::ostringstream miss;
    for (const auto &b : cov.missing()) miss << "\n  " << b;
    BOOST_TEST(cov.missing().empty(), V::kName << ": coverage bins never hit:" << miss.str());
  }
}

uint64_t seed() {
  return env_u64("NCV_VEC_SEED", 1);
}
unsigned n_instr() {
  return unsigned(env_u64("NCV_VEC_INSTRS", 4000));
}

// Runs one instruction on both sides from the same memory image; returns the first
// difference (the comparison the random stream uses).
template <class V>
std::optional<Diff> run_both(Rtl<V> &rtl, const Buffers &image, const isa::Word &golden_w, const isa::Word &rtl_w,
                             const uint32_t regs[16], Buffers *golden_out = nullptr) {
  const TileParams tp = params<V>();
  Rng rng(7, "vec_unit/run_both");
  Buffers g = image, r(tp);
  const ExecResult e = ncv::golden::exec_vector(golden_w, g, regs, tp);
  BOOST_REQUIRE_MESSAGE(e.err == Err::kNone, "golden model refuses " << describe(golden_w, regs) << ": error 0x"
                                                                     << std::hex << unsigned(e.err));
  rtl.load(image);
  const auto [rs0, rs1] = scalar_operands(rtl_w, regs, rng);
  const auto run = rtl.run(rtl_w, rs0, rs1, 4096 + 16);
  BOOST_REQUIRE_MESSAGE(run.error.empty(), run.error);
  rtl.dump(r);
  if (golden_out) *golden_out = g;
  return first_diff(g, r, tp);
}

}  // namespace

// ------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(reset_idle) {
  Rtl<VariantP4> a;
  BOOST_TEST(!a.model().busy_o);
  BOOST_TEST(!a.model().done_o);
  Rtl<VariantP8> b;
  BOOST_TEST(!b.model().busy_o);
  BOOST_TEST(!b.model().done_o);
}

BOOST_AUTO_TEST_CASE(random_p4) {
  random_stream<VariantP4>(seed(), n_instr());
}

BOOST_AUTO_TEST_CASE(random_p8) {
  random_stream<VariantP8>(seed(), n_instr());
}

// start_i while the engine is busy is ignored: the second instruction never runs.
BOOST_AUTO_TEST_CASE(start_while_busy_ignored) {
  using V = VariantP4;
  const TileParams tp = params<V>();
  Rtl<V> rtl;
  Rng rng(seed(), "vec_unit/start_while_busy");
  Buffers image(tp), g(tp), r(tp);
  fill(image, rng);
  g = image;
  uint32_t regs[16] = {0, 0x11223344, 0x55667788};
  const isa::Word first = build::memset({0, 4}, build::sbuf(isa::dtype::kInt32, 0x100), 8, 1);
  const isa::Word second = build::memset({0, 4}, build::sbuf(isa::dtype::kInt32, 0x200), 8, 2);
  BOOST_REQUIRE(ncv::golden::exec_vector(first, g, regs, tp).err == Err::kNone);
  rtl.load(image);
  auto &m = rtl.model();
  rtl.set_instr(first);
  m.rs0_i = regs[1];
  m.start_i = 1;
  rtl.tick();
  unsigned cycles = 0;
  rtl.set_instr(second);
  m.rs0_i = regs[2];
  while (m.busy_o && cycles < 100) {  // start_i stays high through the whole run
    rtl.tick();
    ++cycles;
  }
  m.start_i = 0;
  BOOST_TEST(cycles == 8u);
  // The cycle after done the engine is idle and would accept start_i: it was dropped
  // above, so nothing more happens.
  rtl.tick();
  BOOST_TEST(!m.busy_o);
  rtl.dump(r);
  const auto d = first_diff(g, r, tp);
  BOOST_TEST(!d.has_value(), (d ? diff_str(*d) : std::string()));
}

// The checker reports a corrupted byte with its memory, partition and offset, whichever
// side is wrong, and an RTL that ran a different instruction.
BOOST_AUTO_TEST_CASE(checker_detects_mismatches) {
  using V = VariantP8;
  const TileParams tp = params<V>();
  Rtl<V> rtl;
  Rng rng(seed(), "vec_unit/checker");
  Buffers image(tp), g(tp), r(tp);
  fill(image, rng);
  uint32_t regs[16] = {};
  regs[3] = 0x3F800000;
  const isa::Word w = build::ts({1, 6}, build::sbuf(isa::dtype::kBf16, 0x40), build::psum(isa::dtype::kFp32, 0x80), 32,
                                isa::alu::kMul, 3, isa::alu::kNone, 0);
  BOOST_REQUIRE(!run_both(rtl, image, w, w, regs, &g).has_value());

  // A flipped RTL byte in PSUM.
  rtl.corrupt(true, 5, 0x93, 0x10);
  rtl.dump(r);
  auto d = first_diff(g, r, tp);
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(d->psum);
  BOOST_TEST(d->part == 5u);
  BOOST_TEST(d->byte == 0x93u);
  BOOST_TEST((d->expected ^ d->actual) == 0x10);
  BOOST_TEST_MESSAGE("reported: " << diff_str(*d));

  // A flipped golden byte in SBUF (the RTL side is right now only in PSUM's byte).
  rtl.corrupt(true, 5, 0x93, 0x10);
  rtl.dump(r);
  BOOST_REQUIRE(!first_diff(g, r, tp).has_value());
  g.sbuf[size_t(2) * tp.SBUF_PART_BYTES + 0x7FF] ^= 0x01;
  d = first_diff(g, r, tp);
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(!d->psum);
  BOOST_TEST(d->part == 2u);
  BOOST_TEST(d->byte == 0x7FFu);

  // The RTL runs the instruction with a different scale register: caught.
  const isa::Word w2 = build::ts({1, 6}, build::sbuf(isa::dtype::kBf16, 0x40), build::psum(isa::dtype::kFp32, 0x80),
                                 32, isa::alu::kMul, 4, isa::alu::kNone, 0);
  regs[4] = 0x40000000;
  d = run_both(rtl, image, w, w2, regs);
  BOOST_TEST(d.has_value());
  if (d) BOOST_TEST_MESSAGE("reported: " << diff_str(*d));
}

// Cases the random stream reaches only by chance, each against the golden model:
// overlapping source and destination in both directions, one operand read through both
// ports, TRED writing inside its source, IOTA with an offset partition range, INT32 compute
// into BF16, sub-word MEMSET, ACT from PSUM integers.
BOOST_AUTO_TEST_CASE(directed_cases) {
  using V = VariantP4;
  namespace D = isa::dtype;
  namespace A = isa::alu;
  const TileParams tp = params<V>();
  Rtl<V> rtl;
  Rng rng(seed(), "vec_unit/directed");
  Buffers image(tp);
  fill(image, rng);
  uint32_t regs[16] = {0, 0x00010203, 0xBFC00000, 0x00000007, 0xFFFFFFF9, 0x40400000};
  const std::vector<isa::Word> cases = {
      build::copy({0, 4}, build::sbuf(D::kFp32, 0x100), build::sbuf(D::kFp32, 0x104), 64),
      build::copy({0, 4}, build::sbuf(D::kInt8, 0x201), build::sbuf(D::kInt8, 0x200), 300),
      build::copy({1, 2}, build::sbuf(D::kBf16, 0x300), build::sbuf(D::kFp32, 0x304), 40),
      build::tt({0, 4}, build::sbuf(D::kFp32, 0x40), build::sbuf(D::kFp32, 0x40), build::sbuf(D::kFp32, 0x40), 33,
                A::kMul),
      build::tt({0, 3}, build::psum(D::kInt32, 0x10), build::sbuf(D::kInt8, 0x11), build::psum(D::kInt32, 0x14), 50,
                A::kSub),
      build::tred({0, 4}, build::sbuf(D::kFp32, 0x400), build::sbuf(D::kFp32, 0x408), 20, isa::redop::kAdd, true),
      build::tred({2, 2}, build::psum(D::kInt32, 0x80), build::sbuf(D::kInt8, 0x7), 100, isa::redop::kMin, true),
      build::iota({1, 3}, build::sbuf(D::kInt8, 0x500), 100, -100, 50, 3),
      build::iota({0, 4}, build::sbuf(D::kBf16, 0), 2048, 32767, -32768, 32767),
      build::iota({0, 4}, build::psum(D::kFp32, 0), 256, -32768, 32767, -32768),
      build::memset({0, 4}, build::sbuf(D::kBf16, 0x102), 3, 1),
      build::memset({3, 1}, build::sbuf(D::kInt8, 0x3FF), 1, 1),
      build::act({0, 4}, build::psum(D::kInt32, 0x20), build::sbuf(D::kInt8, 0x21), 64, isa::func::kRelu, 0, 2),
      build::act({0, 4}, build::sbuf(D::kBf16, 0x600), build::sbuf(D::kBf16, 0x600), 128, isa::func::kIdent, 5, 2),
      build::ts({0, 4}, build::sbuf(D::kInt8, 0x700), build::psum(D::kInt32, 0x100), 64, A::kMul, 4, A::kXor, 1),
      build::ts({0, 4}, build::sbuf(D::kFp32, 0x800), build::sbuf(D::kInt32, 0x800), 64, A::kMax, 2, A::kNone, 0),
  };
  for (const auto &w : cases) {
    const auto d = run_both(rtl, image, w, w, regs);
    BOOST_TEST(!d.has_value(), describe(w, regs) << ": " << (d ? diff_str(*d) : std::string()));
  }
}

// A non-vector opcode (never issued to this engine) retires after one cycle, writing nothing.
BOOST_AUTO_TEST_CASE(non_vector_opcode_no_effect) {
  using V = VariantP4;
  const TileParams tp = params<V>();
  Rtl<V> rtl;
  Rng rng(seed(), "vec_unit/non_vector");
  Buffers image(tp), r(tp);
  fill(image, rng);
  rtl.load(image);
  const auto run = rtl.run(build::sem(1, isa::semop::kAdd, 1), 0x12345678, 0x9ABCDEF0, 16);
  BOOST_TEST(run.error.empty(), run.error);
  BOOST_TEST(run.cycles == 1u);
  rtl.dump(r);
  const auto d = first_diff(image, r, tp);
  BOOST_TEST(!d.has_value(), (d ? diff_str(*d) : std::string()));
}
