// Semantics of the tile's vector (DVE, Q3) and activation (ACT, Q2) instructions on SBUF
// and PSUM (tile.md): ACT, TT, TS, TRED, COPY, MEMSET, IOTA. Plain C++17; the queue
// machinery of the golden model calls these per instruction.
#pragma once

#include <cstdint>
#include <vector>

#include "nct_isa.h"
#include "ncv/golden/tile_params.h"

namespace ncv::golden {

// exec_vector and the race detector read several opcodes through one opcode's fields
// (TS for TS/TRED/COPY/ACT, MEMSET for MEMSET/IOTA, DMA_LD for DMA_ST): the layouts must agree.
static_assert(isa::copy::k_src_off.lsb == isa::ts::k_src_off.lsb && isa::act::k_src_off.lsb == isa::ts::k_src_off.lsb &&
                  isa::tred::k_src_off.lsb == isa::ts::k_src_off.lsb &&
                  isa::copy::k_dst_off.lsb == isa::ts::k_dst_off.lsb &&
                  isa::act::k_dst_off.lsb == isa::ts::k_dst_off.lsb &&
                  isa::tred::k_dst_off.lsb == isa::ts::k_dst_off.lsb && isa::copy::k_len.lsb == isa::ts::k_len.lsb &&
                  isa::act::k_len.lsb == isa::ts::k_len.lsb && isa::tred::k_len.lsb == isa::ts::k_len.lsb &&
                  isa::iota::k_dst_off.lsb == isa::memset::k_dst_off.lsb &&
                  isa::iota::k_len.lsb == isa::memset::k_len.lsb &&
                  isa::dma_st::k_addr.lsb == isa::dma_ld::k_addr.lsb &&
                  isa::dma_st::k_bytes.lsb == isa::dma_ld::k_bytes.lsb &&
                  isa::dma_st::k_stride_r.lsb == isa::dma_ld::k_stride_r.lsb,
              "opcode layouts read through shared fields differ");

// Error codes of tile.md "Errors".
enum class Err : uint8_t {
  kNone = 0x00,
  kIllegalOpcode = 0x01,
  kWrongQueue = 0x02,
  kReserved = 0x03,  // reserved bits set, or a reserved enumeration value (ALU, func, op)
  kBadDtype = 0x04,  // reserved dtype, or a dtype/operand combination the opcode forbids
  kPartRange = 0x05,
  kSbufRange = 0x06,
  kPsumRange = 0x07,
  kMisaligned = 0x08,
  kNoWeights = 0x09,
  kPeDtype = 0x0A,
  kNTooBig = 0x0B,
  kDmaDecode = 0x10,
  kDmaBus = 0x11,
  kFetch = 0x12,
  kWatchdog = 0x20,
  kNqOverflow = 0x21,
};

// SBUF and PSUM of one tile: partition p's bytes start at p * *_PART_BYTES.
struct Buffers {
  explicit Buffers(const TileParams &p)
      : sbuf(size_t(p.P) * p.SBUF_PART_BYTES), psum(size_t(p.P) * p.PSUM_PART_BYTES) {}
  std::vector<uint8_t> sbuf, psum;
};

struct ExecResult {
  Err err = Err::kNone;
  // Where the error is: the operand's byte offset in its partition, or the partition.
  uint32_t where = 0;
};

// Executes one ACT/TT/TS/TRED/COPY/MEMSET/IOTA word with the issuing queue's scalar
// registers (regs[0] reads as 0). On an error nothing is written.
ExecResult exec_vector(const isa::Word &w, Buffers &buf, const uint32_t regs[16], const TileParams &p);

// Stationary weights of the PE array, loaded by PE_LDW (kept until the next PE_LDW or a
// soft reset).
struct PeState {
  bool loaded = false;
  unsigned K = 0, M = 0, dtype = 0;  // dtype: 0 BF16, 2 INT8
  std::vector<uint16_t> w;           // K x M raw elements (BF16 bits or INT8 in the low byte)
  void reset() { *this = PeState(); }
};

// Executes PE_LDW or PE_MM. PE_MM: for m < M, n < N, with the fixed accumulation order
// s = +0; for k = 0..K-1: s = add(s, W[k][m] * X[k][n]); then PSUM[m][psum_off + 4n] =
// acc ? old + s : s (BF16: products exact in FP32, FP32 sums; INT8: exact products,
// wrapping INT32 sums). On an error nothing is written and the weights are unchanged.
ExecResult exec_pe(const isa::Word &w, Buffers &buf, PeState &pe, const TileParams &p);

}  // namespace ncv::golden
