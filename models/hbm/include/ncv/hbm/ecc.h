// ECC of the HBM model (hbm.md "ECC"): SECDED behaviour per ECC word (one burst, 32 B).
// Stored data is never corrupted; a fault map says which words read back with flipped
// bits. One flipped bit is corrected (data returned correct, counted); two are detected
// as uncorrectable (the transaction gets an error response; the returned word carries the
// two flipped bits, i.e. poisoned data). Faults come from injection by address (one-shot
// or persistent) and from per-word-read rates drawn from a generator seeded by the run.
#pragma once

#include <cstdint>
#include <random>
#include <unordered_map>

namespace ncv::hbm {

enum class EccResult { Ok, Corrected, Uncorrectable };

class Ecc {
 public:
  explicit Ecc(unsigned word_bytes, uint64_t seed) : word_(word_bytes), rng_(seed) {}

  unsigned word_bytes() const { return word_; }
  uint64_t word_of(uint64_t addr) const { return addr & ~uint64_t(word_ - 1); }
  // Plant a fault in the word holding `addr`: `bits` = 1 (correctable) or 2 (uncorrectable).
  void inject(uint64_t addr, unsigned bits, bool persistent);
  // Probability per ECC word read of a corrected / uncorrectable error; throws ConfigError
  // for a value outside [0, 1].
  void set_rates(double ce, double ue);
  double ce_rate() const { return ce_rate_; }
  double ue_rate() const { return ue_rate_; }
  void clear_faults() { faults_.clear(); }
  size_t faults() const { return faults_.size(); }
  // A read of word `word` (aligned): consumes one-shot faults and draws the rates.
  // Returns the number of flipped bits (0, 1 or 2).
  unsigned read_word(uint64_t word);
  // A write of the whole word replaces its data: one-shot faults are gone.
  void write_word(uint64_t word);

 private:
  struct Fault {
    unsigned bits;
    bool persistent;
  };
  unsigned word_;
  std::mt19937_64 rng_;
  std::unordered_map<uint64_t, Fault> faults_;
  double ce_rate_ = 0, ue_rate_ = 0;
};

}  // namespace ncv::hbm
