// Firmware scenarios of firmware.md as system tests, driven from the host:
//  S3 `fw_ecc`: a corrected-ECC storm raises ECC_CORRECTED_THRESHOLD; an injected
//     uncorrectable error raises ECC_UNCORRECTABLE and fails the job; the next job runs.
//  S4 `fw_link_health`: bit errors on chip 0's link while its tile stores into chip 1's
//     HBM through the switch: replays, CRC counters rise, the firmware retrains the link;
//     every byte arrives once and intact.
//  S5 `host_reset_tile`: the host resets one tile mid-job while another chip keeps running.
//  S7 `fw_hang`: an injected firmware hang -> the sled watchdog resets the management
//     controller -> the host sees FATAL (and its command ABORTED), resets the function, and
//     the firmware is READY again and runs the next job.
#include <string>
#include <vector>

#include "fw_boot.h"
#include "fw_service.h"
#include "host_tb.h"
#include "ncv/devices/sled_devices.h"
#include "ncv/fw/fw_cpu.h"
#include "ncv/golden/cfg_params.h"
#include "ncv/hbm/hbm.h"
#include "ncv/link/sc_link.h"
#include "ncv/sled/fabric.h"
#include "nhi_bar0_regs.h"
#include "nsp_cnt.h"
#include "nsp_switch_regs.h"
#include "sled_map.h"

namespace ncv::tbsys {
namespace {

// Reads every output of `job` back from `chip` over NHI and compares it with the golden
// model's; false (after an error line) on the first difference.
bool check_outputs(Host &h, unsigned chip, MatmulJob &job, const std::string &what) {
  for (const auto &[name, o] : job.prog.outputs) {
    const uint32_t n = uint32_t(size_t(o.rows) * o.cols * o.elem_bytes);
    const uint64_t buf = h.mem.alloc(n, 64, what + " output");
    if (!h.expect(what + ": READ_DEVICE", Host::kQ, Host::xfer(NHI_OP_READ_DEVICE, chip, buf, o.addr, n),
                  NHI_STS_SUCCESS))
      return false;
    std::vector<uint8_t> got(n), exp(n);
    h.mem.read(buf, got.data(), n);
    job.gold->mem.read(o.addr, exp.data(), n);
    for (uint32_t i = 0; i < n; ++i)
      if (got[i] != exp[i]) {
        h.t.log.error("SYS.HOST.DATA", what + ": output " + name + " byte " + std::to_string(i) + ": expected " +
                                           std::to_string(exp[i]) + ", actual " + std::to_string(got[i]));
        return false;
      }
  }
  h.t.log.info("SYS.HOST.DATA", what + ": outputs equal the golden model's");
  return true;
}

// Runs `job` on `chip` and checks it completes SUCCESS with every output byte right.
void run_and_check(Host &h, unsigned chip, MatmulJob &job, const std::string &what) {
  Completion cpl;
  if (h.expect(what, Host::kQ, Host::run_program(chip, job.img), NHI_STS_SUCCESS, &cpl))
    check_outputs(h, chip, job, what);
}

// Events of `type` for `chip` among what the host has received so far (after a heartbeat).
std::vector<nhi::Event> events_of(Host &h, uint16_t type, unsigned chip) {
  sc_core::wait(sc_time(30, SC_US));  // the firmware looks at ECC once per heartbeat (10 us)
  h.drv.poll_events();
  std::vector<nhi::Event> r;
  for (const auto &e : h.drv.events())
    if (e.type == type && e.info == chip) r.push_back(e);
  return r;
}

void fw_ecc(TestCtx &t) {
  fw_service_opts o;
  fw_service_default_opts(&o);
  o.ecc_ce_threshold = uint32_t(t.args.get_u64("threshold", 8));
  o.ecc_window_ns = 1000000;
  fw_service_set_opts(&o);
  const std::string inject = inject_of(t);
  Host h(t);
  if (!h.up()) return;
  const golden::TileParams p = golden::cfg_tile_params();
  tb::Rng rng(t.seed, "tb.system.fw_ecc");
  hbm::Hbm &hbm = t.sled.hbm(0);

  // A corrected-error storm while a job runs: data stays right, the threshold event comes.
  MatmulJob storm(p, rng, 2 * p.P, 2 * p.P, 16);
  if (!h.place(0, storm.prog, storm.img)) return;
  hbm.ecc().set_rates(double(t.args.get_u64("ce_rate_pct", 50)) / 100.0, 0.0);
  run_and_check(h, 0, storm, "job under a corrected-ECC storm");
  hbm.ecc().set_rates(0.0, 0.0);
  auto ce_ev = events_of(h, NHI_EVT_ECC_CORRECTED_THRESHOLD, 0);
  // +inject=ecc_ce_event: the threshold event withheld from the check, which must report it.
  if (inject == "ecc_ce_event") ce_ev.clear();
  if (ce_ev.size() != 1 || ce_ev[0].data < o.ecc_ce_threshold)
    t.log.error("SYS.FW.ECC_CE", "expected one ECC_CORRECTED_THRESHOLD event for chip 0 with a count >= " +
                                     std::to_string(o.ecc_ce_threshold) + ", got " + std::to_string(ce_ev.size()) +
                                     (ce_ev.empty() ? "" : " (count " + std::to_string(ce_ev[0].data) + ")") +
                                     "; the HBM corrected " + std::to_string(hbm.ecc_corrected()));
  else
    t.log.info("SYS.FW.ECC_CE", "ECC_CORRECTED_THRESHOLD for chip 0 at " + std::to_string(ce_ev[0].data) +
                                    " corrected errors (HBM counted " + std::to_string(hbm.ecc_corrected()) + ")");

  // An uncorrectable error in the next job's input: the job fails, the event names the word.
  MatmulJob bad(p, rng, 2 * p.P, 2 * p.P, 16);
  if (!h.place(0, bad.prog, bad.img)) return;
  const uint64_t victim = bad.prog.memory.front().addr;
  hbm.inject_error(victim, 2, false);
  Completion cpl;
  const int st = h.run(Host::kQ, Host::run_program(0, bad.img), &cpl);
  if (st != NHI_STS_TILE_ERROR && st != NHI_STS_DEVICE_ERROR)
    t.log.error("SYS.FW.ECC_UE", std::string("the job that read an uncorrectable word completed ") +
                                     (st < 0 ? "not at all" : status_name(uint16_t(st))) +
                                     ", expected TILE_ERROR or DEVICE_ERROR");
  const auto ue_ev = events_of(h, NHI_EVT_ECC_UNCORRECTABLE, 0);
  // +inject=ecc_ue_addr: the expected address one 32-byte word off; the check must report it.
  const uint64_t word = (victim & ~uint64_t(31)) + (inject == "ecc_ue_addr" ? 32 : 0);
  if (ue_ev.size() != 1 || (ue_ev[0].data & ~uint64_t(31)) != word)
    t.log.error("SYS.FW.ECC_UE", "expected one ECC_UNCORRECTABLE event for chip 0 at " + hex(word) + ", got " +
                                     std::to_string(ue_ev.size()) +
                                     (ue_ev.empty() ? "" : " (at " + hex(ue_ev[0].data) + ")"));
  else
    t.log.info("SYS.FW.ECC_UE", "ECC_UNCORRECTABLE for chip 0 at " + hex(ue_ev[0].data) + "; the job completed " +
                                    status_name(uint16_t(st)));

  // The next job runs.
  MatmulJob next(p, rng, 2 * p.P, 2 * p.P, 16);
  if (!h.place(0, next.prog, next.img)) return;
  run_and_check(h, 0, next, "job after the uncorrectable error");
  // The counts reach the host through TELEMETRY.
  const uint32_t tce = t.sled.host_read_bar0(NHI_BAR0_TELEMETRY(FW_TLM_HBM_CE(0)));
  const uint32_t tue = t.sled.host_read_bar0(NHI_BAR0_TELEMETRY(FW_TLM_HBM_UE(0)));
  // +inject=telemetry: the expected CE count one more than the HBM's; the check must report it.
  const uint64_t want_ce = hbm.ecc_corrected() + (inject == "telemetry" ? 1 : 0), want_ue = hbm.ecc_uncorrectable();
  if (tce != want_ce || tue != want_ue)
    t.log.error("SYS.FW.TELEMETRY", "TELEMETRY HBM CE/UE of chip 0: " + std::to_string(tce) + "/" +
                                        std::to_string(tue) + ", expected the HBM's counts " + std::to_string(want_ce) +
                                        "/" + std::to_string(want_ue));
  else
    t.log.info("SYS.FW.TELEMETRY", "TELEMETRY HBM CE/UE of chip 0: " + std::to_string(tce) + "/" + std::to_string(tue) +
                                       ", equal to the HBM's counts");
  h.check_clean();
}

Register r_ecc("fw_ecc",
               {"S3: corrected-ECC storm -> threshold event; uncorrectable error -> event and failed job; the next "
                "job runs; TELEMETRY counts",
                true,
                {"threshold", "ce_rate_pct", "boot_timeout_us", "inject"},
                fw_ecc,
                [](const tb::Plusargs &a) {
                  check_inject(a, {"ecc_ce_event", "ecc_ue_addr", "telemetry"});
                }});

void fw_link_health(TestCtx &t) {
  fw_service_opts o;
  fw_service_default_opts(&o);
  o.link_crc_threshold = uint32_t(t.args.get_u64("crc_threshold", 4));
  // S4 is about retraining under errors; taking a link out of the routes (what the
  // firmware does after link_max_retrains in one window) is boot_link_down's and the unit
  // tests' part, so the budget is large here: a busy link at P >= 8 sees many errors.
  o.link_max_retrains = uint32_t(t.args.get_u64("max_retrains", 1000));
  fw_service_set_opts(&o);
  Host h(t);
  if (!h.up()) return;
  if (t.sled.chips() < 2) {
    t.log.error("TB.SETUP", "fw_link_health needs two chips");
    return;
  }
  const golden::TileParams p = golden::cfg_tile_params();
  tb::Rng rng(t.seed, "tb.system.fw_link_health");
  // Chip 0 loads `moves` blocks from its HBM and stores each into chip 1's HBM.
  const unsigned moves = unsigned(t.args.get_u64("moves", 16)), part = 256;
  const size_t block = size_t(part) * p.P;
  const uint64_t src = 0x100000, dst = 0x200000;
  std::vector<uint8_t> data(block * moves);
  for (auto &b : data) b = uint8_t(rng.range(0, 255));
  golden::build::Program prog;
  golden::build::Sems sems({"ld", "st"});
  for (unsigned i = 0; i < moves; ++i) {
    const uint32_t sb = (i % 2) * part;  // two SBUF slots; the semaphores keep them apart
    const uint64_t remote = (1ull << 39) | (1ull << 31) | (dst + i * block);
    prog.queues[0].push_back(golden::build::dma(false, src + i * block, {0, p.P}, sb, part, 0,
                                                i ? sems.wait_post("st", sems.posts("st"), "ld") : sems.post("ld")));
    prog.queues[0].push_back(
        golden::build::dma(true, remote, {0, p.P}, sb, part, 0, sems.wait_post("ld", sems.posts("ld"), "st")));
  }
  prog.queues[0].push_back(golden::build::halt(0, true, sems.wait("st", sems.posts("st"))));
  prog.memory.push_back({src, data});
  const JobImage img = job_image(prog);
  if (!h.place(0, prog, img)) return;

  const double ber = std::stod(t.args.get_or("link_ber", "0.01"));
  for (bool up : {true, false}) t.sled.fabric().link(0, up).model().knobs().ber = ber;
  const uint32_t sw = SLED_SWITCH_CSR_BASE;
  const uint32_t replay0 = t.sled.tb_read32(sw + NSP_SWITCH_PORT_LINK_CNT(0, NSP_CNT_REPLAY));
  Completion cpl;
  h.expect("RUN_PROGRAM: chip 0 stores into chip 1 over a noisy link", Host::kQ, Host::run_program(0, img),
           NHI_STS_SUCCESS, &cpl);
  // The noise ends: back to the configuration's link.ber.
  for (bool up : {true, false}) t.sled.fabric().link(0, up).model().knobs().ber = ncv::sled::Sled::config_link_ber();
  sc_core::wait(sc_time(30, SC_US));  // a few heartbeats: the firmware looks at the link

  // Every byte arrived once and intact.
  const uint64_t buf = h.mem.alloc(data.size(), 64, "chip 1 destination");
  h.expect("READ_DEVICE chip 1 destination", Host::kQ,
           Host::xfer(NHI_OP_READ_DEVICE, 1, buf, dst, uint32_t(data.size())), NHI_STS_SUCCESS);
  std::vector<uint8_t> got(data.size());
  h.mem.read(buf, got.data(), got.size());
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != data[i]) {
      t.log.error("SYS.FABRIC.DATA", "chip 1 byte " + std::to_string(i) + ": expected " + std::to_string(data[i]) +
                                         ", actual " + std::to_string(got[i]));
      break;
    }
  // The link saw errors and replays, and the firmware retrained it.
  const uint64_t page = h.mem.alloc(64, 64, "link status");
  Command ls;
  ls.opcode = NHI_OP_LINK_STATUS;
  ls.addr = page;
  ls.len = 64;
  Completion lc;
  h.expect("LINK_STATUS", 0, ls, NHI_STS_SUCCESS, &lc);
  uint32_t w[8] = {};
  h.mem.read(page, w, sizeof w);
  const uint32_t replays = t.sled.tb_read32(sw + NSP_SWITCH_PORT_LINK_CNT(0, NSP_CNT_REPLAY)) - replay0;
  unsigned retrain_events = 0;
  for (const auto &e : h.drv.poll_events())
    retrain_events += e.type == NHI_EVT_LINK_CHANGE && e.info == 0 && (e.data >> 32) == NSP_LINK_RETRAIN;
  t.log.info("SYS.FW.LINK", "chip 0 link: " + std::to_string(w[2]) + " CRC errors, " + std::to_string(replays) +
                                " switch-side replays, " + std::to_string(w[3]) + " firmware retrains (" +
                                std::to_string(retrain_events) + " LINK_CHANGE events); LINK_STATUS " + hex(lc.result));
  if (w[2] == 0 || replays == 0)
    t.log.error("SYS.FW.LINK", "no CRC errors or replays on a link with BER " + std::to_string(ber));
  // +inject=retrain_events: one LINK_CHANGE event more expected than retrains; the check
  // must report the difference.
  const uint32_t want_events = w[3] + (inject_of(t) == "retrain_events" ? 1 : 0);
  if (w[3] == 0 || retrain_events != want_events)
    t.log.error("SYS.FW.LINK", "chip 0's link: " + std::to_string(w[3]) + " firmware retrains, " +
                                   std::to_string(retrain_events) +
                                   " LINK_CHANGE retrain events; expected >= 1 retrain (threshold " +
                                   std::to_string(o.link_crc_threshold) + " CRC errors) and " +
                                   std::to_string(want_events) + " events");
  if ((lc.result & 0x3) != 0x3) t.log.error("SYS.FW.LINK", "links not UP after the errors stopped: " + hex(lc.result));
  h.check_clean();
}

Register r_link("fw_link_health",
                {"S4: link bit errors during remote DMA -> replays, counters rise, the firmware retrains; every byte "
                 "arrives once and intact",
                 true,
                 {"crc_threshold", "max_retrains", "moves", "link_ber", "boot_timeout_us", "inject"},
                 fw_link_health,
                 [](const tb::Plusargs &a) { check_inject(a, {"retrain_events"}); }});

// Boot stage 5 with a dead link: every flit on chip 1's link is lost, so it never trains;
// boot marks chip 1's link degraded, removes its route and still reaches READY.
void boot_link_down(TestCtx &t) {
  for (bool up : {true, false}) t.sled.fabric().link(1, up).model().knobs().drop = 1.0;
  Host h(t);
  if (!h.up()) return;
  bool line = false;
  for (const auto &l : t.sled.devices().console_lines()) line |= l.rfind("BOOT: DEGRADED chip 1 link: not UP", 0) == 0;
  if (!line) t.log.error("SYS.FW.FABRIC", "no 'BOOT: DEGRADED chip 1 link' line on the console");
  Command ls;
  ls.opcode = NHI_OP_LINK_STATUS;
  Completion c;
  if (h.expect("LINK_STATUS", 0, ls, NHI_STS_SUCCESS, &c) && c.result != (0x1u | 0x2u << 16))
    t.log.error("SYS.FW.FABRIC", "LINK_STATUS result " + hex(c.result) +
                                     ", expected 0x20001 (chip 0 UP, chip 1 "
                                     "out of the routes)");
  const uint32_t active = t.sled.tb_read32(SLED_SWITCH_CSR_BASE + NSP_SWITCH_RT_ACTIVE(1));
  if (active != 0) t.log.error("SYS.FW.FABRIC", "chip 1 still has a route: RT_ACTIVE(1) = " + hex(active));
  h.check_clean();
}

Register r_link_down("boot_link_down",
                     {"boot stage 5 with chip 1's link dead: the link is degraded, its route removed, boot READY",
                      true,
                      {"boot_timeout_us"},
                      boot_link_down});

void host_reset_tile(TestCtx &t) {
  if (t.sled.chips() < 2) {
    t.log.error("TB.SETUP",
                "host_reset_tile needs two chips, this configuration has " + std::to_string(t.sled.chips()));
    return;
  }
  Host h(t);
  if (!h.up()) return;
  const golden::TileParams p = golden::cfg_tile_params();
  tb::Rng rng(t.seed, "tb.system.host_reset_tile");
  // Long jobs on both chips.
  const unsigned n = unsigned(t.args.get_u64("n", 64));
  MatmulJob j0(p, rng, 4 * p.P, 4 * p.P, n), j1(p, rng, 4 * p.P, 4 * p.P, n);
  if (!h.place(0, j0.prog, j0.img) || !h.place(1, j1.prog, j1.img)) return;
  const int c0 = h.drv.submit(Host::kQ, Host::run_program(0, j0.img));
  const int c1 = h.drv.submit(Host::kQ, Host::run_program(1, j1.img));
  sc_core::wait(sc_time(double(t.args.get_u64("reset_after_ns", 2000)), sc_core::SC_NS));
  if (h.drv.outstanding(Host::kQ) != 2) {
    t.log.error("TB.SETUP", "the jobs ended before the reset; make them longer (+n)");
    return;
  }
  Command r;
  r.opcode = NHI_OP_RESET_TILE;
  r.cdw[0] = 0;
  h.expect("RESET_TILE chip 0 mid-job", 0, r, NHI_STS_SUCCESS);
  Completion a, b;
  if (c0 < 0 || !h.drv.wait_completion(Host::kQ, uint16_t(c0), h.timeout, &a) || a.status != NHI_STS_ABORTED)
    t.log.error("SYS.FW.RESET_TILE", std::string("chip 0's job: expected ABORTED, got ") + status_name(a.status));
  if (c1 < 0 || !h.drv.wait_completion(Host::kQ, uint16_t(c1), h.timeout, &b) || b.status != NHI_STS_SUCCESS ||
      b.result != j1.gold->retired())
    t.log.error("SYS.FW.RESET_TILE", std::string("chip 1's job: expected SUCCESS with ") +
                                         std::to_string(j1.gold->retired()) + " retired, got " + status_name(b.status) +
                                         " " + hex(b.result));
  // Chip 1's results are intact.
  check_outputs(h, 1, j1, "chip 1's job beside the reset");
  bool reset_done = false;
  sc_core::wait(sc_time(5, SC_US));
  for (const auto &e : h.drv.poll_events()) reset_done |= e.type == NHI_EVT_RESET_DONE && e.info == 0;
  if (!reset_done) t.log.error("SYS.FW.RESET_TILE", "no RESET_DONE event for chip 0");
  // Chip 0 runs the next job.
  MatmulJob again(p, rng, 2 * p.P, 2 * p.P, 16);
  if (!h.place(0, again.prog, again.img)) return;
  run_and_check(h, 0, again, "chip 0's job after its reset");
  h.check_clean();
}

Register r_reset("host_reset_tile",
                 {"S5: the host resets one tile mid-job (ABORTED, RESET_DONE) while another chip's job completes "
                  "correctly; the reset tile runs the next job",
                  true,
                  {"n", "reset_after_ns", "boot_timeout_us"},
                  host_reset_tile});

void fw_hang(TestCtx &t) {
  fw_service_opts o;
  fw_service_default_opts(&o);
  o.wdt_timeout_us = uint32_t(t.args.get_u64("wdt_us", 50));
  o.inject_hang_ns = t.args.get_u64("hang_after_us", 40) * 1000;
  fw_service_set_opts(&o);
  // +inject=fatal (DEV_STS read with FATAL masked off), aborted (SUCCESS expected for the
  // held command) or ready_again (3 boots expected): that check must report a failure.
  const std::string inject = inject_of(t);
  Host h(t);
  if (!h.up()) return;
  const golden::TileParams p = golden::cfg_tile_params();
  tb::Rng rng(t.seed, "tb.system.fw_hang");
  MatmulJob before(p, rng, 2 * p.P, 2 * p.P, 16);
  if (!h.place(0, before.prog, before.img)) return;
  run_and_check(h, 0, before, "job before the hang");

  // Wait for the hang, then give the hung firmware a command it will never serve.
  auto &devs = t.sled.devices();
  auto hung = [&] {
    for (const auto &l : devs.console_lines())
      if (l == "fw: injected hang") return true;
    return false;
  };
  const sc_time limit = sc_core::sc_time_stamp() + sc_time(double(o.inject_hang_ns) / 1000.0 + 1000, SC_US);
  while (!hung() && sc_core::sc_time_stamp() < limit)
    sc_core::wait(limit - sc_core::sc_time_stamp(), devs.line_event());
  if (!hung()) {
    t.log.error("TB.SETUP", "the injected hang did not happen");
    return;
  }
  const uint64_t buf = h.buffer(std::vector<uint8_t>(64, 1), "during the hang");
  const int cid = h.drv.submit(Host::kQ, Host::xfer(NHI_OP_WRITE_DEVICE, 0, buf, 0x1000, 64));
  const sc_time t_hang = sc_core::sc_time_stamp();
  // The watchdog expires: the host sees FATAL, the command completes ABORTED.
  uint32_t sts = 0;
  const sc_time fatal_limit = t_hang + sc_time(2.0 * o.wdt_timeout_us + 100, SC_US);
  const uint32_t sts_mask = inject == "fatal" ? ~NHI_BAR0_DEV_STS_FATAL_MASK : ~0u;
  while (!((sts = t.sled.host_read_bar0(NHI_BAR0_DEV_STS) & sts_mask) & NHI_BAR0_DEV_STS_FATAL_MASK) &&
         sc_core::sc_time_stamp() < fatal_limit)
    sc_core::wait(sc_time(5, SC_US));
  if (!(sts & NHI_BAR0_DEV_STS_FATAL_MASK)) {
    t.log.error("SYS.FW.WATCHDOG", "DEV_STS never showed FATAL after the hang (DEV_STS " + hex(sts) + ")");
    return;
  }
  t.log.info("SYS.FW.WATCHDOG", "FATAL " + std::to_string((sc_core::sc_time_stamp() - t_hang).to_seconds() * 1e6) +
                                    " us after the hang (watchdog " + std::to_string(o.wdt_timeout_us) + " us)");
  Completion cpl;
  const uint16_t want_sts = inject == "aborted" ? NHI_STS_SUCCESS : NHI_STS_ABORTED;
  if (cid < 0 || !h.drv.wait_completion(Host::kQ, uint16_t(cid), sc_time(100, SC_US), &cpl) || cpl.status != want_sts)
    t.log.error("SYS.FW.WATCHDOG", std::string("the command the hung firmware held: expected ") +
                                       status_name(want_sts) + ", got " +
                                       (cid < 0 ? "no submission" : status_name(cpl.status)));
  sc_core::wait(sc_time(5, SC_US));
  bool fatal_event = false;
  for (const auto &e : h.drv.poll_events()) fatal_event |= e.type == NHI_EVT_FATAL;
  if (!fatal_event) t.log.error("SYS.FW.WATCHDOG", "no FATAL event");

  // Recovery: the host resets the function and waits for READY from the rebooted firmware.
  if (!h.drv.bring_up(sc_time(2000, SC_US)) || !h.drv.create_io_queue_pair(Host::kQ, 16, sc_time(100, SC_US))) {
    t.log.error("SYS.FW.RECOVERY", "host bring-up after the reset failed: " + h.last_driver_error());
    return;
  }
  unsigned boots = 0;
  for (const auto &l : devs.console_lines()) boots += l.rfind("BOOT: READY", 0) == 0;
  const unsigned want_boots = inject == "ready_again" ? 3 : 2;
  if (boots != want_boots || devs.wdt_expiries() != 1 || t.sled.firmware()->restarts() != 1)
    t.log.error("SYS.FW.RECOVERY", "expected " + std::to_string(want_boots) +
                                       " boots, 1 watchdog expiry, 1 firmware restart; got " + std::to_string(boots) +
                                       ", " + std::to_string(devs.wdt_expiries()) + ", " +
                                       std::to_string(t.sled.firmware()->restarts()));
  t.log.info(
      "SYS.FW.RECOVERY",
      "READY again " + std::to_string((sc_core::sc_time_stamp() - t_hang).to_seconds() * 1e6) + " us after the hang");
  MatmulJob after(p, rng, 2 * p.P, 2 * p.P, 16);
  if (!h.place(0, after.prog, after.img)) return;
  run_and_check(h, 0, after, "job after the watchdog reset");
  h.check_clean();
}

Register r_hang("fw_hang",
                {"S7: injected firmware hang -> watchdog -> management controller reset -> host sees FATAL and "
                 "ABORTED, resets, firmware READY again, next job runs",
                 true,
                 {"wdt_us", "hang_after_us", "boot_timeout_us", "inject"},
                 fw_hang,
                 [](const tb::Plusargs &a) {
                   check_inject(a, {"fatal", "aborted", "ready_again"});
                 }});

}  // namespace
}  // namespace ncv::tbsys
