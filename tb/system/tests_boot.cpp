// Boot system tests (firmware.md "Boot"): the firmware's POST codes in order up to READY,
// scenario S2 (a chip's HBM fails its March test: boot degrades, reports the chip and
// still reaches READY), a rail that never comes good (boot fails in the power stage) and
// a PLL that never locks (boot fails in the clocks stage).
// A recorder module samples every FW_POST write from time 0 (Nhi::post_event()).
#include <cstdio>
#include <string>
#include <vector>

#include "fw_boot.h"
#include "fw_post.h"
#include "ncv/devices/sled_devices.h"
#include "ncv/fw/fw_cpu.h"
#include "ncv/hbm/hbm.h"
#include "ncv/nhi/nhi.h"
#include "nhi_bar0_regs.h"
#include "sim_test.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

namespace ncv::tbsys {
namespace {

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08X", v);
  return b;
}

// Every value written to NHI FW_POST, in order, with its time.
class PostRecorder : public sc_core::sc_module {
 public:
  std::vector<uint32_t> codes;
  std::vector<uint64_t> at_ns;
  PostRecorder(sc_core::sc_module_name n, ncv::nhi::Nhi &nhi) : sc_module(n), nhi_(nhi) {
    SC_HAS_PROCESS(PostRecorder);
    SC_METHOD(sample);
    sensitive << nhi_.post_event();
    dont_initialize();
  }

 private:
  void sample() {
    codes.push_back(nhi_.fw_post());
    at_ns.push_back(sc_core::sc_time_stamp().value() / 1000u);
  }
  ncv::nhi::Nhi &nhi_;
};

PostRecorder *g_rec = nullptr;
const std::vector<uint32_t> kReadySeq = {FW_POST_START, FW_POST_POWER,  FW_POST_CLOCKS, FW_POST_HBM,
                                         FW_POST_TILE,  FW_POST_FABRIC, FW_POST_HOST,   FW_POST_READY};

// Builds the recorder, and sets the firmware's boot options (defaults unless a test
// changes them before the firmware starts).
sc_core::sc_module *with_recorder(ncv::sled::Sled &s) {
  fw_boot_set_opts(nullptr);
  g_rec = new PostRecorder("post_recorder", s.nhi());
  return g_rec;
}

std::string seq_text(const std::vector<uint32_t> &v) {
  std::string s;
  for (uint32_t c : v) s += (s.empty() ? "" : " ") + hex(c).substr(8);  // two hex digits
  return s;
}

void check_seq(TestCtx &t, const std::vector<uint32_t> &want) {
  const auto &got = g_rec->codes;
  const uint32_t bad = fw_post_sequence_check(got.data(), uint32_t(got.size()));
  if (bad != FW_POST_SEQ_OK)
    t.log.error("SYS.BOOT.POST_ORDER", "POST codes " + seq_text(got) + " are not a well-formed boot (code " +
                                           std::to_string(bad) + " breaks the order)");
  if (got != want)
    t.log.error("SYS.BOOT.POST_SEQ", "POST codes " + seq_text(got) + ", expected " + seq_text(want));
  else
    t.log.info("SYS.BOOT.POST_SEQ", "POST codes in order: " + seq_text(got));
}

bool has_line(TestCtx &t, const std::string &prefix) {
  for (const auto &l : t.sled.devices().console_lines())
    if (l.rfind(prefix, 0) == 0) return true;
  return false;
}

void expect(TestCtx &t, const std::string &id, const std::string &what, uint32_t got, uint32_t want) {
  if (got != want) t.log.error(id, what + ": expected " + hex(want) + ", got " + hex(got));
}

// Waits for READY and reports the simulated time (wall time is in result.json only, so
// the log stays the same for a seed); false (with an error) if not READY.
bool boot_to_ready(TestCtx &t) {
  const std::string line =
      t.sled.wait_boot(sc_core::sc_time(double(t.args.get_u64("boot_timeout_us", 1000)), sc_core::SC_US));
  if (t.sled.nhi().fw_post() != FW_POST_READY || line.empty()) {
    t.log.error("SYS.BOOT.NOT_READY", "firmware did not reach READY: FW_POST " + hex(t.sled.nhi().fw_post()));
    return false;
  }
  char b[160];
  std::snprintf(b, sizeof b, "READY at %.3f us simulated: %s", double(sc_core::sc_time_stamp().value()) / 1e6,
                line.c_str());
  t.log.info("SYS.BOOT.TIME", b);
  return true;
}

uint32_t tlm(TestCtx &t, uint32_t i) {
  return t.sled.host_read_bar0(NHI_BAR0_TELEMETRY(i));
}

// Boot to READY: every stage's POST code in order, a log line per stage on the console and
// in the HAL log ring, TELEMETRY, DEV_STS.READY and HEARTBEAT as the host sees them.
void boot_post_order(TestCtx &t) {
  if (!boot_to_ready(t)) return;
  check_seq(t, kReadySeq);
  for (uint32_t c : kReadySeq)
    if (c != FW_POST_START && c != FW_POST_READY && !has_line(t, "BOOT: POST " + hex(c)))
      t.log.error("SYS.BOOT.CONSOLE", "no console line 'BOOT: POST " + hex(c) + " ...'");
  for (unsigned c = 0; c < t.sled.chips(); ++c) {
    const std::string ch = std::to_string(c);
    if (!has_line(t, "hbm: chip " + ch + " ok")) t.log.error("SYS.BOOT.CONSOLE", "no 'hbm: chip " + ch + " ok' line");
    if (!has_line(t, "tile: chip " + ch + " self-test passed"))
      t.log.error("SYS.BOOT.CONSOLE", "no 'tile: chip " + ch + " self-test passed' line");
  }
  const std::string up = "fabric: " + std::to_string(t.sled.chips()) + "/" + std::to_string(t.sled.chips()) +
                         " links UP";
  if (!has_line(t, up)) t.log.error("SYS.BOOT.CONSOLE", "no '" + up + " ...' line");
  // The HAL log ring holds the same lines.
  ncv::fw::FwCpu &fw = *t.sled.firmware();
  std::string last;
  if (fw.log_count() < 8 || !fw.log_line(fw.log_count() - 1, last) || last.rfind("BOOT: READY", 0) != 0)
    t.log.error("SYS.BOOT.LOG_RING", "log ring: " + std::to_string(fw.log_count()) + " lines, last '" + last + "'");
  // What the host sees.
  expect(t, "SYS.BOOT.HOST", "BAR0 DEV_STS.READY",
         t.sled.host_read_bar0(NHI_BAR0_DEV_STS) & NHI_BAR0_DEV_STS_READY_MASK, NHI_BAR0_DEV_STS_READY_MASK);
  if (t.sled.host_read_bar0(NHI_BAR0_HEARTBEAT) == 0) t.log.error("SYS.BOOT.HOST", "HEARTBEAT not started");
  expect(t, "SYS.BOOT.TELEMETRY", "TELEMETRY magic", tlm(t, FW_TLM_MAGIC), FW_TLM_MAGIC_VALUE);
  expect(t, "SYS.BOOT.TELEMETRY", "TELEMETRY chips", tlm(t, FW_TLM_CHIPS), t.sled.chips());
  expect(t, "SYS.BOOT.TELEMETRY", "TELEMETRY degraded", tlm(t, FW_TLM_DEGRADED), 0);
  expect(t, "SYS.BOOT.TELEMETRY", "TELEMETRY clock MHz", tlm(t, FW_TLM_CLOCK_MHZ), 1000);
  expect(t, "SYS.BOOT.TELEMETRY", "TELEMETRY serial", tlm(t, FW_TLM_SERIAL),
         t.sled.tb_read32(SLED_DEVICES_BASE + SLED_DEV_FLASH_DATA(2)));
  for (unsigned c = 0; c < t.sled.chips(); ++c)
    expect(t, "SYS.BOOT.TELEMETRY", "TELEMETRY temperature chip " + std::to_string(c), tlm(t, FW_TLM_TEMP(c)), 40000);
}

Register r_post("boot_post_order",
                {"boot to READY: every POST code in order, stage log lines, TELEMETRY, READY, HEARTBEAT",
                 true,
                 {"boot_timeout_us"},
                 boot_post_order,
                 nullptr,
                 with_recorder});

// S2: chip 1's HBM has a persistent flipped bit in the March region (a persistent ECC
// fault: bit 0 of the 32-byte ECC word at kBadAddr reads flipped; the firmware tests raw
// cells with ECC off). Boot must mark chip 1 degraded, say so on the console, skip its
// tile, and still reach READY with the chip marked in TELEMETRY.
constexpr unsigned kBadChip = 1;
constexpr uint64_t kBadAddr = 0x80;

void boot_hbm_degraded(TestCtx &t) {
  if (!boot_to_ready(t)) return;
  check_seq(t, kReadySeq);
  const std::string ch = std::to_string(kBadChip);
  // Element 1 (up: r0, w1) reads background 0 with bit 0 flipped.
  const std::string want = "BOOT: DEGRADED chip " + ch + " HBM: March C- element 1 at " + hex(uint32_t(kBadAddr)) +
                           " read 0x00000001, expected 0x00000000";
  if (!has_line(t, want)) t.log.error("SYS.BOOT.S2", "no console line '" + want + "'");
  if (!has_line(t, "tile: chip " + ch + " not tested"))
    t.log.error("SYS.BOOT.S2", "chip " + ch + "'s tile was not skipped");
  if (!has_line(t, "tile: chip 0 self-test passed"))
    t.log.error("SYS.BOOT.S2", "chip 0's tile did not pass its self-test");
  const struct fw_boot_report *r = fw_boot_report();
  expect(t, "SYS.BOOT.S2", "report HBM degraded", r->hbm_degraded, 1u << kBadChip);
  expect(t, "SYS.BOOT.S2", "report March failing address", r->march_fail_addr[kBadChip], uint32_t(kBadAddr));
  expect(t, "SYS.BOOT.S2", "TELEMETRY HBM degraded", tlm(t, FW_TLM_HBM_DEGRADED), 1u << kBadChip);
  expect(t, "SYS.BOOT.S2", "TELEMETRY degraded", tlm(t, FW_TLM_DEGRADED), 1u << kBadChip);
  expect(t, "SYS.BOOT.S2", "TELEMETRY tile degraded", tlm(t, FW_TLM_TILE_DEGRADED), 0);
  expect(t, "SYS.BOOT.S2", "BAR0 DEV_STS.READY", t.sled.host_read_bar0(NHI_BAR0_DEV_STS) & NHI_BAR0_DEV_STS_READY_MASK,
         NHI_BAR0_DEV_STS_READY_MASK);
}

Register r_s2("boot_hbm_degraded", {"S2: a chip's HBM fails its March test; boot degrades, reports it, reaches READY",
                                    true,
                                    {"boot_timeout_us"},
                                    boot_hbm_degraded,
                                    nullptr,
                                    [](ncv::sled::Sled &s) {
                                      s.hbm(kBadChip).inject_error(kBadAddr, 1, true);  // stuck flipped bit
                                      return with_recorder(s);
                                    }});

// A rail that never comes good: boot stops in stage 1 with FAIL(POWER) and one clear line.
constexpr unsigned kBadRail = 2;

void boot_power_timeout(TestCtx &t) {
  ncv::fw::FwCpu &fw = *t.sled.firmware();
  t.sled.wait_boot(sc_core::sc_time(double(t.args.get_u64("boot_timeout_us", 1000)), sc_core::SC_US));
  if (!fw.finished()) {
    t.log.error("SYS.BOOT.POWER", "firmware still running; FW_POST " + hex(t.sled.nhi().fw_post()));
    return;
  }
  expect(t, "SYS.BOOT.POWER", "firmware exit code", uint32_t(fw.exit_code()), FW_POST_FAIL(FW_POST_POWER));
  expect(t, "SYS.BOOT.POWER", "FW_POST", t.sled.nhi().fw_post(), FW_POST_FAIL(FW_POST_POWER));
  check_seq(t, {FW_POST_START, FW_POST_POWER, FW_POST_FAIL(FW_POST_POWER)});
  const std::string want = "BOOT: FAIL power: rail " + std::to_string(kBadRail) + " not power-good after 20000 ns";
  if (!has_line(t, want)) t.log.error("SYS.BOOT.POWER", "no console line '" + want + " ...'");
  const uint32_t sts = t.sled.host_read_bar0(NHI_BAR0_DEV_STS);
  expect(t, "SYS.BOOT.POWER", "BAR0 DEV_STS READY|FATAL",
         sts & (NHI_BAR0_DEV_STS_READY_MASK | NHI_BAR0_DEV_STS_FATAL_MASK), NHI_BAR0_DEV_STS_FATAL_MASK);
  expect(t, "SYS.BOOT.POWER", "rails left enabled", t.sled.tb_read32(SLED_DEVICES_BASE + SLED_DEV_PWR_ENABLE), 0);
}

Register r_pwr("boot_power_timeout",
               {"a power rail never comes good: boot fails in stage 1 with FAIL(POWER) and a clear line",
                true,
                {"boot_timeout_us"},
                boot_power_timeout,
                nullptr,
                [](ncv::sled::Sled &s) {
                  s.devices().inject_rail_stuck(kBadRail);
                  return with_recorder(s);
                }});

// A PLL that never locks: boot stops in stage 2 with FAIL(CLOCKS) and one clear line.
void boot_clock_timeout(TestCtx &t) {
  ncv::fw::FwCpu &fw = *t.sled.firmware();
  t.sled.wait_boot(sc_core::sc_time(double(t.args.get_u64("boot_timeout_us", 1000)), sc_core::SC_US));
  if (!fw.finished()) {
    t.log.error("SYS.BOOT.CLOCKS", "firmware still running; FW_POST " + hex(t.sled.nhi().fw_post()));
    return;
  }
  expect(t, "SYS.BOOT.CLOCKS", "firmware exit code", uint32_t(fw.exit_code()), FW_POST_FAIL(FW_POST_CLOCKS));
  check_seq(t, {FW_POST_START, FW_POST_POWER, FW_POST_CLOCKS, FW_POST_FAIL(FW_POST_CLOCKS)});
  const std::string want = "BOOT: FAIL clocks: PLL not locked after 20000 ns (CLK_PLL_STATUS 0x00000000)";
  if (!has_line(t, want)) t.log.error("SYS.BOOT.CLOCKS", "no console line '" + want + "'");
}

Register r_clk("boot_clock_timeout", {"the PLL never locks: boot fails in stage 2 with FAIL(CLOCKS) and a clear line",
                                      true,
                                      {"boot_timeout_us"},
                                      boot_clock_timeout,
                                      nullptr,
                                      [](ncv::sled::Sled &s) {
                                        s.devices().inject_pll_no_lock();
                                        return with_recorder(s);
                                      }});

}  // namespace
}  // namespace ncv::tbsys
