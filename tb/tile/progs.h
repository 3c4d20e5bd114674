// Stimulus of the tile testbench: the constrained-random program generator, the error
// programs (one per error code) and the kernels of the program builder.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ncv/golden/builder.h"
#include "ncv/golden/tile_params.h"
#include "ncv/tb/rng.h"

namespace ncv::tbtile {

// A program with its memory image and launch settings.
struct Stimulus {
  golden::build::Program prog;
  std::vector<std::pair<uint64_t, std::vector<uint8_t>>> image;  // extra device-memory bytes
  std::vector<std::pair<uint64_t, uint64_t>> bus_errors, decode_errors;
  std::vector<std::pair<unsigned, uint32_t>> semaphores;
  uint32_t watchdog = 0;
  unsigned nq_log2 = 8;
  bool random_buffers = true;  // SBUF/PSUM start with random bytes and corner values
  std::array<uint32_t, 4> start_index = {0, 0, 0, 0};
  std::array<unsigned, 4> ring_log2 = {0, 0, 0, 0};
  std::string expect_error;    // "" or the error code this program must end with, e.g. "0x05"
};

// Knobs of the random generator: a generator with some knobs turned is a test.
struct GenKnobs {
  unsigned epochs = 4;
  unsigned min_ops = 2, max_ops = 8;  // engine instructions per queue per epoch
  double corner = 0.35;               // share of corner values in memory and registers
  bool dma = true, pe = true, act = true, dve = true;
  unsigned max_dma_bytes = 512;
  bool barriers = true;  // false only to show that the generator's guard refuses racy programs
};

// Random legal programs over all four queues, race-free by construction: in epoch e
// queue q owns SBUF zone (q + e) % 4 and PSUM zone (q + e) % 4 (quarters of each
// partition) and only touches those (the DMA queue also owns device memory); every epoch
// ends with a barrier on one semaphore. Data written by one engine is consumed by the
// others in later epochs. Returns the program; the caller checks it on the golden model
// (no error, no race under several schedules) before using it.
Stimulus random_program(const golden::TileParams &p, tb::Rng &rng, const GenKnobs &k);

// Bytes for device memory and buffers mixing random values with corner values of every
// dtype (NaN, Inf, -0, subnormals, ties, max/min normals, INT extremes).
std::vector<uint8_t> corner_bytes(tb::Rng &rng, size_t n, double corner);

// Error tests: a program that provokes `code` on one queue while another queue runs a
// clean program to completion. Codes: every code of tile.md.
Stimulus error_program(const golden::TileParams &p, unsigned code, tb::Rng &rng);
std::vector<unsigned> error_codes();

// Directed kernels of the program builder with random inputs.
Stimulus kernel_program(const golden::TileParams &p, const std::string &name, tb::Rng &rng);
std::vector<std::string> kernel_names();

}  // namespace ncv::tbtile
