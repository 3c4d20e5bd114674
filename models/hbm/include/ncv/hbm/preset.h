// HBM device presets: organisation and timing of one stack (hbm.md "Organisation").
// The values and their sources are in models/hbm/src/preset.cpp; docs/hbm.md lists them.
// Timings are in controller clock cycles (nCK, tCK = tck_ps); derived figures (burst
// duration, bytes per burst, peak bandwidth, capacity) are computed, never typed in.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ncv::hbm {

// A bad preset, override, mapping or model option: one line naming the field and what
// was expected.
class ConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct Preset {
  std::string name;
  std::string source;  // where the numbers come from

  // Organisation. Stack IDs (SIDs) are folded into bank groups, as DRAMSys' HBM2 memspec
  // does (8 bank groups = 2 SIDs x 4).
  unsigned channels = 0;         // per stack
  unsigned pseudo_channels = 0;  // per channel
  unsigned bank_groups = 0;      // per pseudo-channel
  unsigned banks_per_group = 0;
  unsigned rows = 0;          // per bank
  unsigned columns = 0;       // per row, in units of one burst (page = columns x bytes_per_burst)
  unsigned width_bits = 0;    // data bus of one pseudo-channel
  unsigned burst_length = 0;  // beats per column access
  unsigned beats_per_ck = 0;  // data beats per controller clock (HBM2E 2, HBM3 4)
  unsigned tck_ps = 0;        // controller clock period
  unsigned data_rate_mbps = 0;

  // Timing, nCK.
  unsigned RL = 0, WL = 0;
  unsigned tRCDRD = 0, tRCDWR = 0, tRP = 0, tRAS = 0, tRC = 0;
  unsigned tWR = 0, tRTP = 0;
  unsigned tRRD_S = 0, tRRD_L = 0, tFAW = 0;
  unsigned tCCD_S = 0, tCCD_L = 0;
  unsigned tWTR_S = 0, tWTR_L = 0, tRTW = 0;
  unsigned tRFC = 0, tRFCpb = 0, tREFI = 0, tRREFD = 0;

  unsigned banks() const { return bank_groups * banks_per_group; }
  unsigned pcs_total() const { return channels * pseudo_channels; }
  unsigned burst_cycles() const { return burst_length / beats_per_ck; }
  unsigned bytes_per_burst() const { return width_bits * burst_length / 8; }
  uint64_t capacity_bytes() const { return uint64_t(pcs_total()) * banks() * rows * columns * bytes_per_burst(); }
  // Peak data bandwidth of the stack in bytes per second: pins x rate.
  double peak_bytes_per_s() const { return double(pcs_total()) * width_bits * data_rate_mbps * 1e6 / 8.0; }
  double pc_peak_bytes_per_s() const { return peak_bytes_per_s() / pcs_total(); }
  // Per-bank refresh interval: every bank once per tREFI.
  unsigned tREFIpb() const { return tREFI / banks(); }
};

// Built-in presets: "HBM3" and "HBM2E".
std::vector<std::string> preset_names();
// Throws ConfigError naming the known presets for an unknown name.
Preset preset_by_name(const std::string &name);
// Sets one field from text ("tRCDRD", "31"); throws ConfigError for an unknown field or a
// value that is not a non-negative integer.
void preset_override(Preset &p, const std::string &field, const std::string &value);
// Throws ConfigError for the first inconsistent field.
void validate(const Preset &p);

}  // namespace ncv::hbm
