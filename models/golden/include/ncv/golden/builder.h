// Program builder (C++): typed encoders for every opcode (fields from the generated
// nct_isa.h, so they follow isa.yaml), named semaphores, and kernels as queue programs
// plus memory images. ncv.kernels (Python) calls these same kernels through ncv._golden,
// so the C++ testbenches and Python run identical programs.
//
// Every encoder checks that each value fits its field and throws std::invalid_argument
// naming the opcode, the field and the allowed range.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nct_isa.h"
#include "ncv/golden/tile_params.h"

namespace ncv::golden::build {

struct Sync {
  unsigned wait_sem = isa::kNoSem, wait_val = 0, post_sem = isa::kNoSem;
};
struct Pr {  // partitions [start, start + count)
  unsigned start = 0, count = 1;
};
struct Opd {  // operand: SBUF or PSUM, dtype, byte offset in the partition
  unsigned mem = isa::mem::kSbuf, dtype = isa::dtype::kFp32;
  uint32_t off = 0;
};
inline Opd sbuf(unsigned dtype, uint32_t off) {
  return {isa::mem::kSbuf, dtype, off};
}
inline Opd psum(unsigned dtype, uint32_t off) {
  return {isa::mem::kPsum, dtype, off};
}

isa::Word sem(unsigned s, unsigned op, uint32_t imm, Sync y = {});
isa::Word setr(unsigned rd, uint32_t imm, Sync y = {});
isa::Word halt(unsigned code, bool irq, Sync y = {});
isa::Word notify(unsigned tag, bool irq, Sync y = {});
isa::Word dma(bool store, uint64_t addr, Pr pr, uint32_t sb_off, uint32_t bytes, unsigned stride_r, Sync y = {});
isa::Word pe_ldw(Pr k, uint32_t src_off, unsigned m, unsigned dtype, Sync y = {});
isa::Word pe_mm(Pr k, uint32_t src_off, unsigned n, unsigned dtype, uint32_t psum_off, bool acc, Sync y = {});
isa::Word act(Pr pr, Opd src, Opd dst, unsigned len, unsigned func, unsigned scale_r, unsigned bias_r, Sync y = {});
isa::Word tt(Pr pr, Opd a, Opd b, Opd dst, unsigned len, unsigned alu, Sync y = {});
isa::Word ts(Pr pr, Opd src, Opd dst, unsigned len, unsigned op0, unsigned r0, unsigned op1, unsigned r1, Sync y = {});
isa::Word tred(Pr pr, Opd src, Opd dst, unsigned len, unsigned op, bool neg, Sync y = {});
isa::Word copy(Pr pr, Opd src, Opd dst, unsigned len, Sync y = {});
isa::Word memset(Pr pr, Opd dst, unsigned len, unsigned r, Sync y = {});
isa::Word iota(Pr pr, Opd dst, unsigned len, int base, int pmul, int fmul, Sync y = {});

// Named semaphores (numbered from 1; 0 is left to the user) with the running count of
// posts, so a consumer waits for "the n-th post of X".
class Sems {
 public:
  explicit Sems(const std::vector<std::string> &names);
  unsigned id(const std::string &name) const;
  Sync post(const std::string &name);  // counts one post
  void count(const std::string &name) { ++posts_.at(name); }
  unsigned posts(const std::string &name) const { return posts_.at(name); }
  Sync wait(const std::string &name, unsigned value) const;
  Sync wait_post(const std::string &wait_name, unsigned value, const std::string &post_name);

 private:
  std::map<std::string, unsigned> id_, posts_;
};

struct Segment {
  uint64_t addr;
  std::vector<uint8_t> bytes;
};
struct Output {
  uint64_t addr;
  unsigned rows, cols, elem_bytes;  // row-major, elem_bytes 2 (BF16 bits) or 4 (FP32)
};

struct Program {
  std::array<std::vector<isa::Word>, 4> queues;
  std::vector<Segment> memory;            // inputs to place in device memory
  std::map<std::string, Output> outputs;  // where the results go
  uint64_t end = 0;                       // first byte past everything the kernel uses
};

// C = A @ B with A [M, K] and B [K, N] given as BF16 bit patterns (row-major), FP32
// accumulation in PSUM, tiled to the tile (K, M by at most P; N by what NMAX and PSUM
// allow), double-buffered DMA over the four queues (see kernels.cpp for the schedule).
// Options turn it into the other kernels:
struct MatmulOptions {
  uint64_t base = 0x10000;       // where inputs and outputs go in device memory
  const float *bias = nullptr;   // [N]: MLP layer Y = BF16(RELU(A @ B + bias)) ("Y", BF16)
  float scale = 1.0f;            // ACT scale on eviction: C = scale * (A @ B)
  bool row_max = false;          // also m[i] = max over the row of C ("rowmax"; needs N <= tile)
};
Program matmul(const uint16_t *a_bf16, const uint16_t *b_bf16, unsigned M, unsigned K, unsigned N,
               const TileParams &p, const MatmulOptions &o = {});

// Softmax-free attention score block: S = scale * (Q @ K^T) and the row maxima of S
// (the statistics a softmax needs), for Q [S, D] and Kmat [T, D] as BF16 bit patterns.
Program attention_scores(const uint16_t *q_bf16, const uint16_t *k_bf16, unsigned S, unsigned T, unsigned D,
                         float scale, const TileParams &p, uint64_t base = 0x10000);

// r[i] = op over row i of X ([R, L] FP32), left to right (op: isa::redop), rows in groups
// of P partitions, DMA -> TRED -> DMA, double-buffered.
Program reduce_rows(const float *x, unsigned R, unsigned L, unsigned op, const TileParams &p,
                    uint64_t base = 0x10000);

}  // namespace ncv::golden::build
