// Golden functional model of the NCT tile (tile.md). Plain C++17, no SystemC.
//
// This first increment models the identification and build-configuration registers; the
// queues, engines and numerics come with the golden-model issue. Register offsets and
// field positions come from the header generated from rtl/tile/data/nct_csr.rdl.
#pragma once

#include <cstdint>

#include "ncv/golden/tile_params.h"

namespace ncv::golden {

class TileModel {
 public:
  explicit TileModel(const TileParams &params);

  const TileParams &params() const { return params_; }

  // CSR read/write at a byte offset in the tile's 4 KiB page. Unmapped offsets read 0
  // and ignore writes, like the RTL register block.
  uint32_t csr_read(uint32_t offset) const;
  void csr_write(uint32_t offset, uint32_t value);

 private:
  TileParams params_;
  uint32_t ctrl_ = 0;
};

}  // namespace ncv::golden
