// Walking-skeleton system tests: firmware boot to READY through every part, and the
// tile's build configuration checked against the golden model.
#include <cinttypes>
#include <cstdio>

#include "fw_post.h"
#include "nct_csr_regs.h"
#include "ncv/devices/sled_devices.h"
#include "ncv/fw/fw_cpu.h"
#include "ncv/golden/cfg_params.h"
#include "ncv/golden/tile_model.h"
#include "ncv/nhi/nhi.h"
#include "ncv/tb/errors.h"
#include "nhi_bar0_regs.h"
#include "sim_test.h"
#include "sled_map.h"

namespace ncv::tbsys {
namespace {

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08X", v);
  return b;
}

void expect_eq(TestCtx &t, const std::string &id, const std::string &what, uint32_t got, uint32_t want) {
  if (got != want) {
    t.log.error(id, what + ": expected " + hex(want) + ", got " + hex(got));
  } else {
    t.log.debug(id, what + " = " + hex(got));
  }
}

// Boots the firmware to READY and checks what the host and the testbench see.
void skeleton_boot(TestCtx &t) {
  ncv::nhi::Nhi &nhi = t.sled.nhi();
  ncv::fw::FwCpu *fw = t.sled.firmware();
  const sc_core::sc_time limit =
      sc_core::sc_time(static_cast<double>(t.args.get_u64("boot_timeout_us", 100)), sc_core::SC_US);
  const std::string line = t.sled.wait_boot(limit);
  if (nhi.fw_post() != FW_POST_READY) {
    t.log.error("SYS.BOOT.NOT_READY",
                "firmware did not reach READY: FW_POST " + hex(nhi.fw_post()) +
                    (fw->finished() ? ", firmware returned " + std::to_string(fw->exit_code()) : ", boot timeout"));
    return;
  }
  t.log.info("SYS.BOOT.READY", "firmware READY after " + std::to_string(t.sled.cycles()) + " cycles");
  if (line.empty()) t.log.error("SYS.BOOT.CONSOLE", "no 'BOOT: READY' line on the console");

  // What the host sees through NHI BAR0.
  expect_eq(t, "SYS.HOST.BAR0", "BAR0 ID", t.sled.host_read_bar0(NHI_BAR0_ID), NHI_BAR0_ID_RESET);
  expect_eq(t, "SYS.HOST.BAR0", "BAR0 FW_POST", t.sled.host_read_bar0(NHI_BAR0_FW_POST), FW_POST_READY);
  const uint32_t sts = t.sled.host_read_bar0(NHI_BAR0_DEV_STS);
  expect_eq(t, "SYS.HOST.BAR0", "BAR0 DEV_STS.READY", sts & NHI_BAR0_DEV_STS_READY_MASK, NHI_BAR0_DEV_STS_READY_MASK);

  // Every tile answers with its ID through the management bus.
  for (unsigned c = 0; c < t.sled.chips(); ++c) {
    expect_eq(t, "SYS.TILE.ID", "chip" + std::to_string(c) + " tile ID",
              t.sled.tb_read32(SLED_CHIP_CSR(c) + CHIP_TILE_CSR + NCT_CSR_ID), NCT_CSR_ID_RESET);
  }
}

Register r_boot("skeleton_boot", {"firmware boots every chip to READY; host and testbench check NHI and tiles",
                                  true,
                                  {"boot_timeout_us"},
                                  skeleton_boot});

// Compares the RTL's identification and configuration registers with the golden model.
void tile_config(TestCtx &t) {
  ncv::golden::TileParams p = ncv::golden::cfg_tile_params();
  if (t.args.get_or("inject", "") == "golden_config") {
    p.P *= 2;  // a golden model built for another P: the comparison must catch it
    t.log.warning("TB.INJECT", "golden model built with P=" + std::to_string(p.P) + " on purpose");
  }
  for (unsigned c = 0; c < t.sled.chips(); ++c) {
    ncv::golden::TileModel model(p);
    const uint32_t base = SLED_CHIP_CSR(c) + CHIP_TILE_CSR;
    const std::string chip = "chip" + std::to_string(c) + " ";
    for (auto [name, off] : {std::pair<const char *, uint32_t>{"ID", NCT_CSR_ID},
                             {"VERSION", NCT_CSR_VERSION},
                             {"CONFIG0", NCT_CSR_CONFIG0},
                             {"CONFIG1", NCT_CSR_CONFIG1},
                             {"CTRL", NCT_CSR_CTRL}}) {
      tlm::tlm_response_status st;
      const uint32_t got = t.sled.tb_read32(base + off, &st);
      if (st != tlm::TLM_OK_RESPONSE) t.log.error("TB.CSR.RESP", chip + name + ": bus error");
      expect_eq(t, "TB.CSR.MISMATCH", chip + name, got, model.csr_read(off));
    }
    // A write through AXI-Lite lands in the RTL exactly as in the model.
    ncv::tb::Rng rng(t.seed, "tile_config.chip" + std::to_string(c));
    const uint32_t v = static_cast<uint32_t>(rng.next());
    t.sled.tb_write32(base + NCT_CSR_CTRL, v);
    model.csr_write(NCT_CSR_CTRL, v);
    expect_eq(t, "TB.CSR.MISMATCH", chip + "CTRL after write " + hex(v), t.sled.tb_read32(base + NCT_CSR_CTRL),
              model.csr_read(NCT_CSR_CTRL));
    // Unmapped offsets read as zero in both.
    expect_eq(t, "TB.CSR.MISMATCH", chip + "unmapped 0xFFC", t.sled.tb_read32(base + 0xFFC), model.csr_read(0xFFC));
  }
}

Register r_cfg("tile_config", {"tile ID/VERSION/CONFIG/CTRL registers (RTL over AXI-Lite) equal the golden model's",
                               false,
                               {"inject"},
                               tile_config,
                               [](const ncv::tb::Plusargs &a) {
                                 const std::string v = a.get_or("inject", "");
                                 if (!v.empty() && v != "golden_config")
                                   throw ncv::tb::UsageError("argument '+inject=" + v + "': expected golden_config");
                               }});

}  // namespace
}  // namespace ncv::tbsys

namespace ncv::tbsys {
namespace {

// Load for benchmarks: the clocked RTL of every chip runs for +cycles, with a CSR read of
// each tile every +read_every cycles (0 = none); every read is checked.
void clocked_load(TestCtx &t) {
  const uint64_t cycles = t.args.get_u64("cycles", 100000);
  const uint64_t every = t.args.get_u64("read_every", 100);
  const sc_core::sc_time period = t.sled.clock_period();
  const uint64_t start = t.sled.cycles();
  uint64_t reads = 0;
  while (t.sled.cycles() - start < cycles) {
    if (every == 0) {
      sc_core::wait(period * static_cast<double>(cycles));
      break;
    }
    for (unsigned c = 0; c < t.sled.chips(); ++c) {
      const uint32_t id = t.sled.tb_read32(SLED_CHIP_CSR(c) + CHIP_TILE_CSR + NCT_CSR_ID);
      ++reads;
      if (id != NCT_CSR_ID_RESET) expect_eq(t, "TB.CSR.MISMATCH", "tile ID", id, NCT_CSR_ID_RESET);
    }
    sc_core::wait(period * static_cast<double>(every));
  }
  t.log.info("TB.LOAD", std::to_string(t.sled.cycles() - start) + " cycles, " + std::to_string(reads) + " CSR reads");
}

Register r_load("clocked_load", {"benchmark load: clocked RTL of every chip with periodic CSR reads",
                                 false,
                                 {"cycles", "read_every"},
                                 clocked_load});

}  // namespace
}  // namespace ncv::tbsys
