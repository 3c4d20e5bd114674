// The TileParams of the configuration this translation unit is built for: read from the
// generated ncv_cfg.h (configs/<name>.yaml), the one source of build parameters.
#pragma once

#include "ncv/golden/tile_params.h"
#include "ncv_cfg.h"

namespace ncv::golden {

inline TileParams cfg_tile_params() {
  TileParams p;
  p.P = NCV_CFG_P;
  p.SBUF_PART_BYTES = NCV_CFG_SBUF_PART_BYTES;
  p.PSUM_PART_BYTES = NCV_CFG_PSUM_PART_BYTES;
  p.NMAX = NCV_CFG_NMAX;
  p.NSEM = NCV_CFG_NSEM;
  p.AXI_DW = NCV_CFG_AXI_DW;
  p.FEATURES = NCV_CFG_FEATURES;
  p.VERSION_MAJOR = NCV_CFG_VERSION_MAJOR;
  p.VERSION_MINOR = NCV_CFG_VERSION_MINOR;
  p.VERSION_PATCH = NCV_CFG_VERSION_PATCH;
  return p;
}

inline const char *cfg_name() {
  return NCV_CFG_NAME;
}

}  // namespace ncv::golden
