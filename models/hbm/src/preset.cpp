// Built-in HBM presets. Every number below carries its source; hbm.md asks for published
// parameters and ../shared/research/hbm.md (section 3) collects them. JEDEC's tables
// (JESD235D, JESD238A) are not public, so the timings are the values that open simulators
// publish and attribute to JEDEC, re-quantised to this preset's clock where stated.
#include "ncv/hbm/preset.h"

#include <cmath>
#include <cstdlib>

namespace ncv::hbm {
namespace {

// HBM3 at 6.4 Gb/s per pin, 8-high stack of 8 Gb dies (8 GiB).
//  - Organisation: JESD238 as summarised by JEDEC's release and Synopsys (16 channels of
//    2 x 32-bit pseudo-channels, BL8), Ramulator2 python/ramulator/dram/hbm3.py org presets
//    (4 bank groups x 4 banks per SID, 1 KB page; an 8-high stack has 2 SIDs, folded here
//    into 8 bank groups). 8 GiB / 32 PCs / 32 banks / 1 KB = 8192 rows.
//  - Timing: Ramulator2 (CMU-SAFARI/ramulator2 c5b1c3a) speed preset HBM3_6400Mbps,
//    tCK = 0.625 ns, CK = data rate / 4. tRFCab = 260 ns for <= 4 Gb per channel
//    ("Table 84 in JESD238" in that file), 416 nCK; tRFCpb 200 ns; tREFI 3.9 us.
Preset hbm3() {
  Preset p;
  p.name = "HBM3";
  p.source =
      "JESD238 organisation (JEDEC release 2022, Synopsys HBM3 glossary); timing: Ramulator2 "
      "HBM3_6400Mbps (CMU-SAFARI/ramulator2 c5b1c3a, python/ramulator/dram/hbm3.py)";
  p.channels = 16;
  p.pseudo_channels = 2;
  p.bank_groups = 8;
  p.banks_per_group = 4;
  p.rows = 8192;
  p.columns = 32;
  p.width_bits = 32;
  p.burst_length = 8;
  p.beats_per_ck = 4;
  p.tck_ps = 625;
  p.data_rate_mbps = 6400;
  p.RL = 20;
  p.WL = 10;
  p.tRCDRD = 31;
  p.tRCDWR = 15;
  p.tRP = 26;
  p.tRAS = 45;
  p.tRC = 72;
  p.tWR = 33;
  p.tRTP = 9;
  p.tRRD_S = 4;
  p.tRRD_L = 5;
  p.tFAW = 24;
  p.tCCD_S = 2;
  p.tCCD_L = 4;
  p.tWTR_S = 7;
  p.tWTR_L = 10;
  p.tRTW = 20;
  p.tRFC = 416;
  p.tRFCpb = 320;
  p.tREFI = 6240;
  p.tRREFD = 8;
  return p;
}

// HBM2E at 3.2 Gb/s per pin (JEDEC/Samsung rate), 8-high stack of 8 Gb dies (8 GiB).
//  - Organisation: JESD235 pseudo-channel mode as AMD PG313 describes it (8 channels of
//    128 bit, 2 x 64-bit pseudo-channels, BL4); DRAMSys configs/memspec/HBM2.json (8 bank
//    groups = 2 SIDs x 4, 32 banks, 1 KB page). 8 GiB / 16 PCs / 32 banks / 1 KB = 16384 rows.
//  - Timing: the HBM2 values of DRAMSys HBM2.json (tCK 1 ns), Ramulator2 HBM2_2400Mbps and
//    DRAMsim3 HBM2_8Gb_x128, kept in ns and re-quantised (rounded up) to tCK = 0.625 ns
//    (CK = data rate / 2), as research/hbm.md section 3.2 recommends:
//    RL 14.2 ns -> 23, WL 5 ns -> 8, tRCDRD 14 ns -> 23, tRCDWR 11.7 ns -> 19, tRP 14 ns
//    -> 23, tRAS 33.3 ns -> 54, tRC = tRAS + tRP = 77, tWR 15.8 ns -> 26, tRTP 5 ns -> 8,
//    tRRD_S/L 4/6 ns -> 7/10, tFAW 16 ns -> 26, tCCD_S/L 2/4 nCK (Ramulator2 HBM2),
//    tWTR_S/L 4/9 ns -> 7/15, tRTW = RL + BL/2 - WL + 2 = 19, tRFC 260 ns (8 Gb dies,
//    DRAMsim3 HBM2_8Gb_x128) -> 416, tRFCpb 160 ns (Ramulator2 HBM2) -> 256, tREFI 3.9 us
//    -> 6240, tRREFD 8 ns -> 13.
Preset hbm2e() {
  Preset p;
  p.name = "HBM2E";
  p.source =
      "JESD235 pseudo-channel organisation (AMD PG313), DRAMSys HBM2.json, Ramulator2 "
      "HBM2_2400Mbps and DRAMsim3 HBM2_8Gb_x128 timings in ns re-quantised to 3.2 Gb/s";
  p.channels = 8;
  p.pseudo_channels = 2;
  p.bank_groups = 8;
  p.banks_per_group = 4;
  p.rows = 16384;
  p.columns = 32;
  p.width_bits = 64;
  p.burst_length = 4;
  p.beats_per_ck = 2;
  p.tck_ps = 625;
  p.data_rate_mbps = 3200;
  p.RL = 23;
  p.WL = 8;
  p.tRCDRD = 23;
  p.tRCDWR = 19;
  p.tRP = 23;
  p.tRAS = 54;
  p.tRC = 77;
  p.tWR = 26;
  p.tRTP = 8;
  p.tRRD_S = 7;
  p.tRRD_L = 10;
  p.tFAW = 26;
  p.tCCD_S = 2;
  p.tCCD_L = 4;
  p.tWTR_S = 7;
  p.tWTR_L = 15;
  p.tRTW = 19;
  p.tRFC = 416;
  p.tRFCpb = 256;
  p.tREFI = 6240;
  p.tRREFD = 13;
  return p;
}

struct FieldRef {
  const char *name;
  unsigned Preset::*member;
};

const FieldRef kFields[] = {
    {"channels", &Preset::channels},
    {"pseudo_channels", &Preset::pseudo_channels},
    {"bank_groups", &Preset::bank_groups},
    {"banks_per_group", &Preset::banks_per_group},
    {"rows", &Preset::rows},
    {"columns", &Preset::columns},
    {"width_bits", &Preset::width_bits},
    {"burst_length", &Preset::burst_length},
    {"beats_per_ck", &Preset::beats_per_ck},
    {"tck_ps", &Preset::tck_ps},
    {"data_rate_mbps", &Preset::data_rate_mbps},
    {"RL", &Preset::RL},
    {"WL", &Preset::WL},
    {"tRCDRD", &Preset::tRCDRD},
    {"tRCDWR", &Preset::tRCDWR},
    {"tRP", &Preset::tRP},
    {"tRAS", &Preset::tRAS},
    {"tRC", &Preset::tRC},
    {"tWR", &Preset::tWR},
    {"tRTP", &Preset::tRTP},
    {"tRRD_S", &Preset::tRRD_S},
    {"tRRD_L", &Preset::tRRD_L},
    {"tFAW", &Preset::tFAW},
    {"tCCD_S", &Preset::tCCD_S},
    {"tCCD_L", &Preset::tCCD_L},
    {"tWTR_S", &Preset::tWTR_S},
    {"tWTR_L", &Preset::tWTR_L},
    {"tRTW", &Preset::tRTW},
    {"tRFC", &Preset::tRFC},
    {"tRFCpb", &Preset::tRFCpb},
    {"tREFI", &Preset::tREFI},
    {"tRREFD", &Preset::tRREFD},
};

bool pow2(unsigned v) {
  return v != 0 && (v & (v - 1)) == 0;
}

[[noreturn]] void bad(const Preset &p, const std::string &field, const std::string &what, unsigned got) {
  throw ConfigError("hbm preset " + p.name + ": field '" + field + "': expected " + what + ", got " +
                    std::to_string(got));
}

}  // namespace

std::vector<std::string> preset_names() {
  return {"HBM3", "HBM2E"};
}

Preset preset_by_name(const std::string &name) {
  if (name == "HBM3") return hbm3();
  if (name == "HBM2E") return hbm2e();
  throw ConfigError("hbm: field 'preset': expected one of HBM3, HBM2E, got '" + name + "'");
}

void preset_override(Preset &p, const std::string &field, const std::string &value) {
  for (const auto &f : kFields) {
    if (field != f.name) continue;
    char *end = nullptr;
    const unsigned long v = value.empty() || value[0] == '-' ? 0 : std::strtoul(value.c_str(), &end, 0);
    if (value.empty() || value[0] == '-' || *end != '\0' || v > 0xFFFFFFFFul)
      throw ConfigError("hbm preset " + p.name + ": field '" + field + "': expected a non-negative integer, got '" +
                        value + "'");
    p.*(f.member) = static_cast<unsigned>(v);
    return;
  }
  std::string known;
  for (const auto &f : kFields) known += std::string(known.empty() ? "" : ", ") + f.name;
  throw ConfigError("hbm preset " + p.name + ": unknown field '" + field + "' (expected one of " + known + ")");
}

void validate(const Preset &p) {
  for (const auto &r : kFields)
    if (p.*(r.member) == 0) bad(p, r.name, "a value > 0", 0);
  for (const char *f : {"channels", "pseudo_channels", "bank_groups", "banks_per_group", "rows", "columns"}) {
    for (const auto &r : kFields)
      if (std::string(f) == r.name && !pow2(p.*(r.member))) bad(p, f, "a power of two", p.*(r.member));
  }
  if (p.width_bits % 8 != 0) bad(p, "width_bits", "a multiple of 8", p.width_bits);
  if (p.burst_length % p.beats_per_ck != 0)
    bad(p, "burst_length", "a multiple of beats_per_ck (" + std::to_string(p.beats_per_ck) + ")", p.burst_length);
  if (!pow2(p.bytes_per_burst())) bad(p, "width_bits", "width_bits x burst_length / 8 a power of two", p.width_bits);
  const double beats = double(p.data_rate_mbps) * p.tck_ps / 1e6;
  if (std::fabs(beats - p.beats_per_ck) > 0.01 * p.beats_per_ck)
    bad(p, "data_rate_mbps", "beats_per_ck x 1e6 / tck_ps = " + std::to_string(p.beats_per_ck * 1000000u / p.tck_ps),
        p.data_rate_mbps);
  if (p.tCCD_S < p.burst_cycles())
    bad(p, "tCCD_S", ">= the burst duration " + std::to_string(p.burst_cycles()) + " nCK", p.tCCD_S);
  if (p.tCCD_L < p.tCCD_S) bad(p, "tCCD_L", ">= tCCD_S (" + std::to_string(p.tCCD_S) + ")", p.tCCD_L);
  if (p.tRRD_L < p.tRRD_S) bad(p, "tRRD_L", ">= tRRD_S (" + std::to_string(p.tRRD_S) + ")", p.tRRD_L);
  if (p.tWTR_L < p.tWTR_S) bad(p, "tWTR_L", ">= tWTR_S (" + std::to_string(p.tWTR_S) + ")", p.tWTR_L);
  if (p.tRC < p.tRAS + p.tRP) bad(p, "tRC", ">= tRAS + tRP (" + std::to_string(p.tRAS + p.tRP) + ")", p.tRC);
  if (p.tRAS < p.tRCDRD) bad(p, "tRAS", ">= tRCDRD (" + std::to_string(p.tRCDRD) + ")", p.tRAS);
  if (p.tRFCpb > p.tRFC) bad(p, "tRFCpb", "<= tRFC (" + std::to_string(p.tRFC) + ")", p.tRFCpb);
  if (p.tREFI <= p.tRFC + p.tRP) bad(p, "tREFI", "> tRFC + tRP (" + std::to_string(p.tRFC + p.tRP) + ")", p.tREFI);
  if (p.tREFIpb() <= p.tRFCpb / p.banks()) bad(p, "tREFI", "long enough for a per-bank refresh of every bank", p.tREFI);
}

}  // namespace ncv::hbm
