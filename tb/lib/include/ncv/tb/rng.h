// Seeded random streams. Every component derives its own stream from (run seed,
// component path), so adding a component never changes another component's numbers.
#pragma once

#include <cstdint>
#include <string>

namespace ncv::tb {

// 64-bit FNV-1a of a string: stable across platforms and compilers.
uint64_t fnv1a64(const std::string &s);

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  Rng(uint64_t run_seed, const std::string &path);
  uint64_t next();
  // Uniform in [lo, hi] (inclusive), without modulo bias.
  uint64_t range(uint64_t lo, uint64_t hi);
  bool chance(double p);

 private:
  uint64_t s_[4];
};

}  // namespace ncv::tb
