// Build parameters of a tile (tile.md "Parameters"), as runtime values.
#pragma once

#include <cstdint>
#include <string>

namespace ncv::golden {

struct TileParams {
  uint32_t P = 0;
  uint32_t SBUF_PART_BYTES = 0;
  uint32_t PSUM_PART_BYTES = 0;
  uint32_t NMAX = 0;
  uint32_t NSEM = 0;
  uint32_t AXI_DW = 0;
  uint32_t FEATURES = 0;
  uint32_t VERSION_MAJOR = 0, VERSION_MINOR = 0, VERSION_PATCH = 0;
};

// Throws std::invalid_argument naming the field when a parameter is out of tile.md's range.
void validate(const TileParams &p);

}  // namespace ncv::golden
