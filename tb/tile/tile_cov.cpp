#include "tile_cov.h"

#include <map>

namespace ncv::tbtile {

namespace I = isa;

namespace {

struct Op {
  const char *name;
  uint8_t code;
  bool has_dtype;
};
const Op kOps[] = {{"SEM", I::SEM, false},       {"SETR", I::SETR, false},   {"HALT", I::HALT, false},
                   {"NOTIFY", I::NOTIFY, false}, {"DMA_LD", I::DMA_LD, false}, {"DMA_ST", I::DMA_ST, false},
                   {"PE_LDW", I::PE_LDW, true},  {"PE_MM", I::PE_MM, true},  {"ACT", I::ACT, true},
                   {"TT", I::TT, true},          {"TS", I::TS, true},        {"TRED", I::TRED, true},
                   {"COPY", I::COPY, true},      {"MEMSET", I::MEMSET, true}, {"IOTA", I::IOTA, true}};
constexpr uint64_t kNoDtype = 7;

const Op *find(const std::string &n) {
  for (const Op &o : kOps)
    if (n == o.name) return &o;
  return nullptr;
}

// The destination dtype (PE: the operand dtype); kNoDtype for opcodes without one.
uint64_t dtype_of(const I::Word &w) {
  switch (unsigned(I::get(w, I::kOpcode))) {
    case I::PE_LDW: return I::get(w, I::pe_ldw::k_dtype);
    case I::PE_MM: return I::get(w, I::pe_mm::k_dtype);
    case I::ACT: return I::get(w, I::act::k_dst_dtype);
    case I::TT: return I::get(w, I::tt::k_dst_dtype);
    case I::TS: return I::get(w, I::ts::k_dst_dtype);
    case I::TRED: return I::get(w, I::tred::k_dst_dtype);
    case I::COPY: return I::get(w, I::copy::k_dst_dtype);
    case I::MEMSET: return I::get(w, I::memset::k_dst_dtype);
    case I::IOTA: return I::get(w, I::iota::k_dst_dtype);
    default: return kNoDtype;
  }
}

bool is_int(uint64_t dt) {
  return dt == I::dtype::kInt8 || dt == I::dtype::kInt32;
}

}  // namespace

TileCoverage::TileCoverage(const golden::TileParams &p, const std::string &config)
    : p_(p),
      ops_(db_.group("tile.ops", config, tb::CovergroupOptions(3.0, true, "every opcode x dtype x queue"))),
      err_(db_.group("tile.errors", config, tb::CovergroupOptions(2.0, true, "every error code of tile.md"))),
      alu_(db_.group("tile.alu", config, tb::CovergroupOptions(1.0, true, "ALU ops of TT/TS in both compute types"))),
      semw_(db_.group("tile.semaphores", config, tb::CovergroupOptions(1.0, true, "semaphore waits per queue"))),
      pe_(db_.group("tile.pe", config, tb::CovergroupOptions(1.0, true, "PE_MM K, M, N extremes per dtype"))),
      dma_(db_.group("tile.dma", config, tb::CovergroupOptions(1.0, true, "DMA shapes: partial bursts, 4 KiB"))),
      ring_(db_.group("tile.ring", config, tb::CovergroupOptions(0.5, true, "instruction ring wrap per queue"))),
      conc_(db_.group("tile.concurrency", config, tb::CovergroupOptions(0.5, true, "engines busy in one cycle"))) {
  // Opcode x dtype x queue.
  tb::Coverpoint &op = ops_.coverpoint("opcode");
  for (const Op &o : kOps) op.bin(o.name, o.code);
  tb::Coverpoint &dt = ops_.coverpoint("dtype");
  dt.bin("bf16", I::dtype::kBf16).bin("fp32", I::dtype::kFp32).bin("int8", I::dtype::kInt8);
  dt.bin("int32", I::dtype::kInt32).bin("none", kNoDtype);
  tb::Coverpoint &qp = ops_.coverpoint("queue");
  for (unsigned q = 0; q < 4; ++q) qp.bin("q" + std::to_string(q), q);
  ops_.cross("opcode_x_dtype_x_queue", {&op, &dt, &qp}).ignore_if([](const tb::CrossCombo &c) {
    const Op *o = find(c[0]);
    const std::string &d = c[1];
    const unsigned q = unsigned(c.index[2]);
    if (!((I::queue_mask(o->code) >> q) & 1u)) return true;  // not legal on this queue
    if (!o->has_dtype) return d != "none";
    if (d == "none") return true;
    if (o->code == I::PE_LDW || o->code == I::PE_MM) return d != "bf16" && d != "int8";
    return false;
  });
  // Errors.
  tb::Coverpoint &ec = err_.coverpoint("code");
  for (unsigned c : {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x10, 0x11, 0x12, 0x20, 0x21}) {
    char n[8];
    std::snprintf(n, sizeof n, "0x%02X", c);
    ec.bin(n, c);
  }
  // ALU op x compute type (AND/OR/XOR exist only in INT32).
  tb::Coverpoint &a = alu_.coverpoint("alu");
  a.bin("ADD", 0).bin("SUB", 1).bin("MUL", 2).bin("MAX", 3).bin("MIN", 4).bin("AND", 5).bin("OR", 6).bin("XOR", 7);
  tb::Coverpoint &ct = alu_.coverpoint("compute");
  ct.bin("fp32", 0).bin("int32", 1);
  alu_.cross("alu_x_compute", {&a, &ct}).ignore_if([](const tb::CrossCombo &c) {
    return c[1] == "fp32" && (c[0] == "AND" || c[0] == "OR" || c[0] == "XOR");
  });
  // Semaphores.
  tb::Coverpoint &sq = semw_.coverpoint("queue");
  for (unsigned q = 0; q < 4; ++q) sq.bin("q" + std::to_string(q), q);
  tb::Coverpoint &blk = semw_.coverpoint("blocked");
  blk.bin("never", 0).bin("waited", 1);
  semw_.cross("queue_x_blocked", {&sq, &blk});
  // PE extremes.
  const uint64_t P = p.P, N = p.NMAX;
  tb::Coverpoint &pk = pe_.coverpoint("K");
  pk.bin("1", 1).bin("mid", 2, P - 1).bin("P", P);
  tb::Coverpoint &pm = pe_.coverpoint("M");
  pm.bin("1", 1).bin("mid", 2, P - 1).bin("P", P);
  tb::Coverpoint &pn = pe_.coverpoint("N");
  pn.bin("1", 1).bin("mid", 2, N - 1).bin("NMAX", N);
  tb::Coverpoint &pd = pe_.coverpoint("dtype");
  pd.bin("bf16", I::dtype::kBf16).bin("int8", I::dtype::kInt8);
  pe_.cross("K_x_dtype", {&pk, &pd});
  // DMA.
  tb::Coverpoint &dd = dma_.coverpoint("dir");
  dd.bin("load", 0).bin("store", 1);
  tb::Coverpoint &shape = dma_.coverpoint("shape");
  shape.bin("aligned_one_burst", 0).bin("unaligned_start", 1).bin("unaligned_end", 2).bin("several_bursts", 3);
  shape.bin("crosses_4k", 4).bin("shorter_than_a_beat", 5);
  tb::Coverpoint &stride = dma_.coverpoint("stride");
  stride.bin("packed", 0).bin("register", 1);
  dma_.cross("dir_x_shape", {&dd, &shape});
  dma_.cross("dir_x_stride", {&dd, &stride});
  // Ring wrap and concurrency.
  tb::Coverpoint &rq = ring_.coverpoint("wrapped");
  for (unsigned q = 0; q < 4; ++q) rq.bin("q" + std::to_string(q), q);
  tb::Coverpoint &cc = conc_.coverpoint("busy_engines");
  cc.bin("0", 0).bin("1", 1).bin("2", 2).bin("3", 3).bin("4", 4);
}

void TileCoverage::retire(unsigned q, uint32_t index, const I::Word &w, unsigned pe_m) {
  const unsigned op = unsigned(I::get(w, I::kOpcode));
  ops_.sample({op, dtype_of(w), q});
  if (seen_[q] && index < last_index_[q]) ring_.sample({q});
  seen_[q] = true;
  last_index_[q] = index;
  if (op == I::TT || op == I::TS) {
    bool ic;
    if (op == I::TT)
      ic = is_int(I::get(w, I::tt::k_a_dtype)) && is_int(I::get(w, I::tt::k_b_dtype)) &&
           is_int(I::get(w, I::tt::k_dst_dtype));
    else
      ic = is_int(I::get(w, I::ts::k_src_dtype)) && is_int(I::get(w, I::ts::k_dst_dtype));
    const uint64_t a0 = op == I::TT ? I::get(w, I::tt::k_alu) : I::get(w, I::ts::k_op0);
    alu_.sample({a0, ic ? 1u : 0u});
    if (op == I::TS && I::get(w, I::ts::k_op1) != I::alu::kNone) alu_.sample({I::get(w, I::ts::k_op1), ic ? 1u : 0u});
  } else if (op == I::PE_MM) {
    pe_.sample({I::get(w, I::pe_mm::k_pr_p_cnt) + 1, pe_m, I::get(w, I::pe_mm::k_n_cnt) + 1, I::get(w, I::pe_mm::k_dtype)});
  } else if (op == I::DMA_LD || op == I::DMA_ST) {
    namespace F = I::dma_ld;
    const uint64_t beat = p_.AXI_DW / 8, bytes = I::get(w, F::k_bytes) ? I::get(w, F::k_bytes) : 4096;
    const uint64_t a = I::get(w, F::k_addr), end = a + bytes;
    const uint64_t dir = op == I::DMA_ST ? 1 : 0;
    const uint64_t sr = I::get(w, F::k_stride_r);
    auto shape = [&](uint64_t s) { dma_.sample({dir, s, sr ? 1u : 0u}); };
    if (a % beat == 0 && end % beat == 0 && bytes <= 256 && (a >> 12) == ((end - 1) >> 12)) shape(0);
    if (a % beat) shape(1);
    if (end % beat) shape(2);
    if ((end - (a & ~(beat - 1))) > 256) shape(3);
    if ((a >> 12) != ((end - 1) >> 12)) shape(4);
    if (bytes < beat) shape(5);
  }
}

void TileCoverage::write(const std::string &path, const std::string &test, uint64_t seed, const std::string &config) {
  tb::CoverageRunInfo info(test, seed);
  info.extra["config"] = config;
  db_.write(path, info);
}

}  // namespace ncv::tbtile
