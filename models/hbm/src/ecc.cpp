#include "ncv/hbm/ecc.h"

#include <string>

#include "ncv/hbm/preset.h"

namespace ncv::hbm {

void Ecc::inject(uint64_t addr, unsigned bits, bool persistent) {
  if (bits != 1 && bits != 2)
    throw ConfigError("hbm: field 'ecc inject bits': expected 1 or 2, got " + std::to_string(bits));
  faults_[word_of(addr)] = {bits, persistent};
}

void Ecc::set_rates(double ce, double ue) {
  if (!(ce >= 0.0 && ce <= 1.0))
    throw ConfigError("hbm: field 'ce_rate': expected a probability in [0, 1], got " + std::to_string(ce));
  if (!(ue >= 0.0 && ue <= 1.0))
    throw ConfigError("hbm: field 'ue_rate': expected a probability in [0, 1], got " + std::to_string(ue));
  if (ce + ue > 1.0)
    throw ConfigError("hbm: fields 'ce_rate' + 'ue_rate': expected a sum <= 1, got " + std::to_string(ce + ue));
  ce_rate_ = ce;
  ue_rate_ = ue;
}

unsigned Ecc::read_word(uint64_t word) {
  unsigned bits = 0;
  auto it = faults_.find(word);
  if (it != faults_.end()) {
    bits = it->second.bits;
    if (!it->second.persistent) faults_.erase(it);
  }
  if (ce_rate_ > 0 || ue_rate_ > 0) {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    if (u < ue_rate_)
      bits = 2;
    else if (u < ue_rate_ + ce_rate_ && bits == 0)
      bits = 1;
  }
  return bits;
}

void Ecc::write_word(uint64_t word) {
  auto it = faults_.find(word);
  if (it != faults_.end() && !it->second.persistent) faults_.erase(it);
}

}  // namespace ncv::hbm
