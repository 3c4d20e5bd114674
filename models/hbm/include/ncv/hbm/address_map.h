// Device address -> (channel, pseudo-channel, bank group, bank, row, column) by bit
// slicing (hbm.md "Address mapping"). The mapping is a list of fields from the lowest
// address bit up, above the byte-in-burst bits: "PC BG CH CO BA RO" (the default) gives
// each field all its bits; "CO:1 PC BG CH CO BA RO" takes one column bit first and the
// rest later. Field names: CH, PC, BG, BA (bank within its group), RO (row), CO (column,
// in bursts).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ncv/hbm/preset.h"

namespace ncv::hbm {

struct Coord {
  unsigned ch = 0, pc = 0, bg = 0, ba = 0, row = 0, col = 0;
  bool operator==(const Coord &o) const {
    return ch == o.ch && pc == o.pc && bg == o.bg && ba == o.ba && row == o.row && col == o.col;
  }
};

class AddressMap {
 public:
  static constexpr const char *kDefault = "PC BG CH CO BA RO";

  // Throws ConfigError naming the token at fault.
  AddressMap(const Preset &p, const std::string &mapping = kDefault);

  Coord decode(uint64_t addr) const;
  // The address of byte 0 of the burst at `c`.
  uint64_t encode(const Coord &c) const;
  unsigned offset_bits() const { return offset_bits_; }
  const std::string &text() const { return text_; }

 private:
  enum Field { CH, PC, BG, BA, RO, CO, NFIELDS };
  struct Slice {
    Field f;
    unsigned addr_lsb, width, field_lsb;
  };
  std::vector<Slice> slices_;
  unsigned offset_bits_ = 0;
  std::string text_;
};

}  // namespace ncv::hbm
