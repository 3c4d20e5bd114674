#include "ncv/golden/tile_model.h"

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

TileModel::TileModel(const TileParams &params) : params_(params) {
  validate(params_);
}

static uint32_t put(uint32_t value, uint32_t shift, uint32_t mask) {
  return (value << shift) & mask;
}

uint32_t TileModel::csr_read(uint32_t offset) const {
  const TileParams &p = params_;
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
    case NCT_CSR_CTRL: return ctrl_ & ~NCT_CSR_CTRL_SOFT_RESET_MASK;  // SOFT_RESET self-clears
    default: return 0;
  }
}

void TileModel::csr_write(uint32_t offset, uint32_t value) {
  if (offset == NCT_CSR_CTRL) {
    ctrl_ = value & (NCT_CSR_CTRL_ENABLE_MASK | NCT_CSR_CTRL_HALT_ALL_MASK);
  }
}

}  // namespace ncv::golden
