#include "ncv/hbm/address_map.h"

#include <sstream>

namespace ncv::hbm {
namespace {

unsigned log2u(uint64_t v) {
  unsigned n = 0;
  while (v > 1) {
    v >>= 1;
    ++n;
  }
  return n;
}

}  // namespace

AddressMap::AddressMap(const Preset &p, const std::string &mapping) : text_(mapping) {
  const char *names[NFIELDS] = {"CH", "PC", "BG", "BA", "RO", "CO"};
  const unsigned bits[NFIELDS] = {log2u(p.channels),    log2u(p.pseudo_channels),
                                  log2u(p.bank_groups), log2u(p.banks_per_group),
                                  log2u(p.rows),        log2u(p.columns)};
  unsigned used[NFIELDS] = {};
  offset_bits_ = log2u(p.bytes_per_burst());
  unsigned lsb = offset_bits_;
  std::istringstream in(mapping);
  std::string tok;
  auto fail = [&](const std::string &what) {
    throw ConfigError("hbm: field 'mapping': " + what + " in \"" + mapping +
                      "\" (expected fields CH PC BG BA RO CO, each NAME or NAME:bits, low bit first)");
  };
  while (in >> tok) {
    const auto colon = tok.find(':');
    const std::string name = tok.substr(0, colon);
    int f = -1;
    for (int i = 0; i < NFIELDS; ++i)
      if (name == names[i]) f = i;
    if (f < 0) fail("unknown field '" + name + "'");
    const unsigned left = bits[f] - used[f];
    unsigned w = left;
    if (colon != std::string::npos) {
      const std::string n = tok.substr(colon + 1);
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos) fail("bad width in '" + tok + "'");
      w = static_cast<unsigned>(std::stoul(n));
      if (w == 0 || w > left)
        fail("'" + tok + "' asks for " + std::to_string(w) + " bits, " + std::to_string(left) + " left");
    } else if (left == 0 && bits[f] != 0) {
      fail("field '" + name + "' has no bits left");
    }
    if (w) slices_.push_back({static_cast<Field>(f), lsb, w, used[f]});
    used[f] += w;
    lsb += w;
  }
  for (int i = 0; i < NFIELDS; ++i)
    if (used[i] != bits[i])
      fail("field '" + std::string(names[i]) + "' has " + std::to_string(used[i]) + " of its " +
           std::to_string(bits[i]) + " bits");
}

Coord AddressMap::decode(uint64_t addr) const {
  unsigned v[NFIELDS] = {};
  for (const auto &s : slices_)
    v[s.f] |= static_cast<unsigned>((addr >> s.addr_lsb) & ((uint64_t(1) << s.width) - 1)) << s.field_lsb;
  Coord c;
  c.ch = v[CH];
  c.pc = v[PC];
  c.bg = v[BG];
  c.ba = v[BA];
  c.row = v[RO];
  c.col = v[CO];
  return c;
}

uint64_t AddressMap::encode(const Coord &c) const {
  const unsigned v[NFIELDS] = {c.ch, c.pc, c.bg, c.ba, c.row, c.col};
  uint64_t a = 0;
  for (const auto &s : slices_) a |= uint64_t((v[s.f] >> s.field_lsb) & ((1u << s.width) - 1)) << s.addr_lsb;
  return a;
}

}  // namespace ncv::hbm
