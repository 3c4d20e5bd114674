// System tests of the NSP fabric in the sled (docs/switch.md "The fabric in the sled"):
// chip 0's tile stores a buffer into chip 1's HBM with DMA_ST through its endpoint, the
// link models and the switch; chip 1's tile loads it from its own HBM and stores it
// locally, and also loads chip 0's source buffer remotely (DMA_LD through the fabric) and
// stores that locally. Every byte is compared with the golden model run on the same
// programs; chip 1's HBM is also checked through the management window (backdoor).
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn (fabric_link's monitor)
#include <cstring>
#include <map>
#include <sstream>
#include <vector>

#include "ncv/golden/builder.h"
#include "ncv/golden/cfg_params.h"
#include "ncv/golden/tile_model.h"
#include "ncv/link/sc_link.h"
#include "ncv/sled/fabric.h"
#include "ncv/tb/errors.h"
#include "nct_csr_regs.h"
#include "ncv_cfg.h"
#include "nsp_ep_csr_regs.h"
#include "nsp_switch_regs.h"
#include "sim_test.h"
#include "tile_job.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

namespace ncv::tbsys {
namespace {

using sled::Sled;
namespace gb = golden::build;

constexpr uint64_t kSrc = 0x10000;      // chip 0: the source buffer
constexpr uint64_t kDst = 0x20000;      // chip 1: where chip 0 stores it (remote write)
constexpr uint64_t kCopy = 0x30000;     // chip 1: its local copy of kDst
constexpr uint64_t kFetched = 0x40000;  // chip 1: chip 0's kSrc read remotely

uint64_t remote(unsigned chip, uint64_t off) {
  return (1ull << 39) | (uint64_t(chip) << 31) | off;
}

std::string hex(uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

// Copies: for each (from, to) pair, DMA_LD `from` into SBUF, then DMA_ST it to `to`
// (semaphores order the load, the store and the final HALT).
gb::Program copies(const std::vector<std::pair<uint64_t, uint64_t>> &moves, unsigned part_bytes,
                   const golden::TileParams &p) {
  gb::Program prog;
  gb::Sems s({"ld", "st"});
  uint32_t sb = 0;  // each move in its own SBUF bytes: no load overwrites what a store reads
  for (const auto &[from, to] : moves) {
    prog.queues[0].push_back(gb::dma(false, from, {0, p.P}, sb, part_bytes, 0, s.post("ld")));
    prog.queues[0].push_back(gb::dma(true, to, {0, p.P}, sb, part_bytes, 0,
                                     s.wait_post("ld", s.posts("ld"), "st")));
    sb += part_bytes;
  }
  prog.queues[0].push_back(gb::halt(0, true, s.wait("st", s.posts("st"))));
  return prog;
}

struct RunOut {
  bool finished = false;
  uint64_t cycles = 0;
};

// Launches `prog` on chip `chip` of the sled and waits until it is done as firmware sees it
// (not BUSY and the model's interrupts pending), or the tile stopped with an error.
RunOut run_chip(TestCtx &t, unsigned chip, const gb::Program &prog, uint32_t want_intr) {
  Sled &s = t.sled;
  const uint32_t csr = SLED_CHIP_CSR(chip) + CHIP_TILE_CSR;
  launch(prog, [&](uint32_t o, uint32_t v) { s.tb_write32(csr + o, v); },
         [&](uint64_t a, const std::vector<uint8_t> &v) { win_write(s, chip, a, v); });
  RunOut r;
  const uint64_t c0 = s.cycles(), limit = t.args.get_u64("max_cycles", 400000);
  for (;;) {
    sc_core::wait(sc_core::sc_time(50, sc_core::SC_NS));
    const uint32_t status = s.tb_read32(csr + NCT_CSR_STATUS), intr = s.tb_read32(csr + NCT_CSR_INTR_STATUS);
    const uint32_t err = s.tb_read32(csr + NCT_CSR_ERR_CODE);
    if (!(status & NCT_CSR_STATUS_BUSY_MASK) && ((intr & want_intr) == want_intr || err != 0)) break;
    if (s.cycles() - c0 > limit) {
      t.log.error("SYS.FABRIC.TIMEOUT", "chip" + std::to_string(chip) + ": no completion after " +
                                            std::to_string(limit) + " cycles: STATUS " + hex(status) +
                                            ", INTR_STATUS " + hex(intr));
      return r;
    }
  }
  r.finished = true;
  r.cycles = s.cycles() - c0;
  return r;
}

// The tile's end state against the model's: a DMA error the model does not expect is
// reported with its code and what the endpoint saw.
bool check_end(TestCtx &t, unsigned chip, golden::TileModel &model) {
  const uint32_t csr = SLED_CHIP_CSR(chip) + CHIP_TILE_CSR;
  const uint32_t ep = SLED_CHIP_CSR(chip) + CHIP_NSP_CSR;
  const uint32_t err = t.sled.tb_read32(csr + NCT_CSR_ERR_CODE), exp_err = model.csr_read(NCT_CSR_ERR_CODE);
  if (err != exp_err) {
    const uint32_t le = t.sled.tb_read32(ep + NSP_EP_CSR_LAST_ERR);
    t.log.error("SYS.FABRIC.DMA_ERROR",
                "chip" + std::to_string(chip) + ": the tile reports error " + hex(err) + " (the model: " +
                    hex(exp_err) + "); endpoint LAST_ERR status " +
                    std::to_string((le & NSP_EP_CSR_LAST_ERR_STATUS_MASK) >> NSP_EP_CSR_LAST_ERR_STATUS_SHIFT) +
                    " to node " +
                    std::to_string((le & NSP_EP_CSR_LAST_ERR_DST_MASK) >> NSP_EP_CSR_LAST_ERR_DST_SHIFT) +
                    ", ERR_STATUS " + hex(t.sled.tb_read32(ep + NSP_EP_CSR_ERR_STATUS)));
    return false;
  }
  for (uint32_t r : {NCT_CSR_STATUS, NCT_CSR_INTR_STATUS, NCT_CSR_NQ_TAIL}) {
    const uint32_t got = t.sled.tb_read32(csr + r), exp = model.csr_read(r);
    if (got != exp) {
      t.log.error("SYS.FABRIC.CSR", "chip" + std::to_string(chip) + " tile CSR " + hex(r) + ": expected " +
                                        hex(exp) + ", actual " + hex(got));
      return false;
    }
  }
  return true;
}

bool compare(TestCtx &t, const std::string &what, const std::vector<uint8_t> &exp, const std::vector<uint8_t> &got) {
  for (size_t i = 0; i < exp.size(); ++i)
    if (i >= got.size() || exp[i] != got[i]) {
      t.log.error("SYS.FABRIC.DATA", what + " byte " + std::to_string(i) + ": expected " + std::to_string(exp[i]) +
                                         ", actual " + std::to_string(i < got.size() ? got[i] : 0));
      return false;
    }
  t.log.info("SYS.FABRIC.DATA", what + ": " + std::to_string(exp.size()) + " bytes equal the golden model's");
  return true;
}

void fabric_dma(TestCtx &t) {
  Sled &s = t.sled;
  const golden::TileParams p = golden::cfg_tile_params();
  const std::string inject = t.args.get_or("inject", "");
  const unsigned part = unsigned(t.args.get_u64("part_bytes", 256));
  const size_t n = size_t(part) * p.P;
  if (s.chips() < 2) {
    t.log.error("SYS.FABRIC.CONFIG", "needs 2 chips, the sled has " + std::to_string(s.chips()));
    return;
  }
  // +link_ber: link errors on every link (both directions) instead of the configuration's
  // link.ber, drawn from the run seed.
  if (t.args.has("link_ber")) {
    const double ber = std::stod(t.args.get_or("link_ber", "0"));
    for (unsigned q = 0; q < s.chips(); ++q)
      for (bool up : {true, false}) s.fabric().link(q, up).model().knobs().ber = ber;
  }

  // Boot stage 5 (until the firmware does it): routes and links.
  const uint64_t b0 = s.cycles();
  std::vector<unsigned> skip;
  if (inject == "no_route") skip.push_back(1);  // chip 0's stores to node 1 find no route
  const std::string err = sled::fabric_bringup(s, sc_core::sc_time(20, sc_core::SC_US), skip);
  if (!err.empty()) {
    t.log.error("SYS.FABRIC.BRINGUP", err);
    return;
  }
  t.log.info("SYS.FABRIC.UP", "routes programmed and " + std::to_string(s.chips()) + " links UP after " +
                                  std::to_string(s.cycles() - b0) + " cycles");
  if (inject == "ttl0") {
    // Chip 0's requests leave with TTL 0: the switch drops them, no response comes back,
    // and the endpoint's response timeout must complete each access with an error.
    s.tb_write32(SLED_CHIP_CSR(0) + CHIP_NSP_CSR + NSP_EP_CSR_TTL, 0);
    s.tb_write32(SLED_CHIP_CSR(0) + CHIP_NSP_CSR + NSP_EP_CSR_RESP_TIMEOUT, 300);
  }

  tb::Rng rng(t.seed, "tb.system.fabric_dma");
  std::vector<uint8_t> src(n);
  for (auto &b : src) b = uint8_t(rng.range(0, 255));

  // Chip 0: kSrc -> chip 1's kDst. Golden first.
  gb::Program p0 = copies({{kSrc, remote(1, kDst)}}, part, p);
  p0.memory.push_back({kSrc, src});
  SparseMemory g0;
  golden::TileModel m0(p, &g0);
  for (const auto &seg : p0.memory) g0.write(seg.addr, seg.bytes.data(), seg.bytes.size());
  launch(p0, [&](uint32_t o, uint32_t v) { m0.csr_write(o, v); },
         [&](uint64_t a, const std::vector<uint8_t> &v) { g0.write(a, v.data(), v.size()); });
  m0.run(t.seed);
  for (const auto &seg : p0.memory) win_write(s, 0, seg.addr, seg.bytes);
  const RunOut r0 = run_chip(t, 0, p0, m0.csr_read(NCT_CSR_INTR_STATUS));
  if (!r0.finished || !check_end(t, 0, m0)) return;
  t.log.info("SYS.FABRIC.DONE", "chip0: " + std::to_string(n) + " bytes loaded and stored into chip1's HBM in " +
                                    std::to_string(r0.cycles) + " cycles");

  // Chip 1: its kDst -> kCopy (local), chip 0's kSrc -> kFetched (remote read).
  gb::Program p1 = copies({{kDst, kCopy}, {remote(0, kSrc), kFetched}}, part, p);
  SparseMemory g1;
  const std::vector<uint8_t> landed = g0.get(remote(1, kDst), n);
  g1.write(kDst, landed.data(), n);
  const std::vector<uint8_t> src0 = g0.get(kSrc, n);
  g1.write(remote(0, kSrc), src0.data(), n);
  golden::TileModel m1(p, &g1);
  launch(p1, [&](uint32_t o, uint32_t v) { m1.csr_write(o, v); },
         [&](uint64_t a, const std::vector<uint8_t> &v) { g1.write(a, v.data(), v.size()); });
  m1.run(t.seed);
  const RunOut r1 = run_chip(t, 1, p1, m1.csr_read(NCT_CSR_INTR_STATUS));
  if (!r1.finished || !check_end(t, 1, m1)) return;
  t.log.info("SYS.FABRIC.DONE", "chip1: " + std::to_string(n) + " bytes copied locally and " + std::to_string(n) +
                                    " bytes loaded from chip0's HBM in " + std::to_string(r1.cycles) + " cycles");

  // +inject=golden_data: one expected byte flipped; the comparison must report it.
  std::vector<uint8_t> exp_dst = landed;
  if (inject == "golden_data") exp_dst[5] ^= 0x10;
  if (!compare(t, "chip1 HBM " + hex(kDst) + " (backdoor)", exp_dst, win_read(s, 1, kDst, n))) return;
  if (!compare(t, "chip1 HBM " + hex(kCopy) + " (chip1's copy)", g1.get(kCopy, n), win_read(s, 1, kCopy, n))) return;
  if (!compare(t, "chip1 HBM " + hex(kFetched) + " (remote read of chip0)", g1.get(kFetched, n),
               win_read(s, 1, kFetched, n)))
    return;

  // Counters: endpoint bridges and links.
  for (unsigned c = 0; c < 2; ++c) {
    const uint32_t ep = SLED_CHIP_CSR(c) + CHIP_NSP_CSR;
    t.log.info("SYS.FABRIC.COUNTERS",
               "chip" + std::to_string(c) + " endpoint: req_tx " + std::to_string(s.tb_read32(ep + NSP_EP_CSR_REQ_TX)) +
                   ", rsp_rx " + std::to_string(s.tb_read32(ep + NSP_EP_CSR_RSP_RX)) + ", req_rx " +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_REQ_RX)) + ", rsp_tx " +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_RSP_TX)) + ", bytes_wr " +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_BYTES_WR)) + ", bytes_rd " +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_BYTES_RD)) + ", errors " +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_ERRORS)) + "; link pkt_in vc0/vc1 " +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_LINK_CNT(12))) + "/" +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_LINK_CNT(13))) + ", crc_err " +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_LINK_CNT(1))) + ", replay " +
                   std::to_string(s.tb_read32(ep + NSP_EP_CSR_LINK_CNT(5))) + "; switch port pkt_in vc0/vc1 " +
                   std::to_string(s.tb_read32(SLED_SWITCH_CSR_BASE + NSP_SWITCH_PORT_LINK_CNT(c, 12))) + "/" +
                   std::to_string(s.tb_read32(SLED_SWITCH_CSR_BASE + NSP_SWITCH_PORT_LINK_CNT(c, 13))) +
                   "; link model flits up/down " + std::to_string(s.fabric().link(c, true).counts().flits) + "/" +
                   std::to_string(s.fabric().link(c, false).counts().flits));
    if (s.tb_read32(ep + NSP_EP_CSR_ERRORS) != 0 || s.tb_read32(ep + NSP_EP_CSR_OUTSTANDING) != 0)
      t.log.error("SYS.FABRIC.COUNTERS", "chip" + std::to_string(c) + ": endpoint errors or outstanding requests left");
  }
  // The remote write: chip 0 sent it and chip 1 served it, n bytes in 256-byte packets at most.
  const uint32_t wr0 = s.tb_read32(SLED_CHIP_CSR(0) + CHIP_NSP_CSR + NSP_EP_CSR_BYTES_WR);
  const uint32_t rd1 = s.tb_read32(SLED_CHIP_CSR(1) + CHIP_NSP_CSR + NSP_EP_CSR_BYTES_RD);
  if (wr0 != n || rd1 != n)
    t.log.error("SYS.FABRIC.COUNTERS", "remote bytes: chip0 wrote " + std::to_string(wr0) + ", chip1 read " +
                                           std::to_string(rd1) + ", expected " + std::to_string(n) + " each");
}

Register r_fabric("fabric_dma",
                  {"chip 0's RTL tile stores a buffer into chip 1's HBM through the NSP endpoint, link models and "
                   "switch; chip 1's tile loads it and chip 0's source remotely; every byte equals the golden model's",
                   false,
                   {"part_bytes", "max_cycles", "inject", "link_ber"},
                   fabric_dma,
                   [](const tb::Plusargs &a) {
                     const std::string i = a.get_or("inject", "");
                     if (!i.empty() && i != "golden_data" && i != "no_route" && i != "ttl0")
                       throw tb::UsageError("argument '+inject=" + i + "': expected golden_data, no_route or ttl0");
                     const uint64_t pb = a.get_u64("part_bytes", 256);
                     if (pb == 0 || pb > NCV_CFG_SBUF_PART_BYTES / 2 || pb % 16 != 0)
                       throw tb::UsageError("argument '+part_bytes=" + std::to_string(pb) +
                                            "': expected a multiple of 16 in 16.." +
                                            std::to_string(NCV_CFG_SBUF_PART_BYTES / 2));
                     const std::string b = a.get_or("link_ber", "0");
                     char *end = nullptr;
                     const double v = std::strtod(b.c_str(), &end);
                     if (end == b.c_str() || *end != '\0' || v < 0 || v > 0.01)
                       throw tb::UsageError("argument '+link_ber=" + b + "': expected a probability in 0..0.01");
                   }});

// fabric_link: the link models as the RTL sees them. From before bring-up a monitor counts
// the link clock's rising edges and notes, for every link direction, the first edge at which
// a valid flit enters (the TX side's register, sampled by the model at that edge) and the
// first at which a valid flit leaves (read at an edge: the model's output since the edge
// before). The difference is the delay the flit took, which must be the sled's link delay
// (the configuration's link.delay_ns, or +link_delay_ns) in link-clock cycles; error
// injection is off on the wire during the measurement, so the first flit out is the first
// in. Every link's bit-error rate must be the configuration's link.ber. Negative runs:
// +inject=delay (one cycle more expected), +inject=ber (another rate expected).
void fabric_link(TestCtx &t) {
  Sled &s = t.sled;
  const std::string inject = t.args.get_or("inject", "");
  const unsigned n = 2 * s.chips();
  auto link = [&](unsigned i) -> link::ScLink & { return s.fabric().link(i / 2, i % 2 == 0); };
  auto name = [](unsigned i) { return "link" + std::to_string(i / 2) + (i % 2 == 0 ? "_up" : "_down"); };
  const unsigned want_delay = s.link_delay_cycles() + (inject == "delay" ? 1u : 0u);
  const double want_ber = Sled::config_link_ber() + (inject == "ber" ? 0.5 : 0.0);
  for (unsigned i = 0; i < n; ++i)
    if (link(i).model().knobs().ber != want_ber) {
      std::ostringstream m;
      m << name(i) << ": bit-error rate " << link(i).model().knobs().ber << ", expected " << want_ber
        << " (the configuration's link.ber)";
      t.log.error("SYS.FABRIC.LINK_BER", m.str());
    }
  for (unsigned i = 0; i < n; ++i) link(i).model().set_enabled(false);

  constexpr int64_t kEdges = 20000;  // measurement window in link-clock cycles
  std::vector<int64_t> first_in(n, -1), first_out(n, -1);
  sc_core::sc_event measured;
  bool monitor_done = false;
  sc_core::sc_spawn([&] {
    auto &clk = link(0).clk;
    for (int64_t edge = 0; edge < kEdges; ++edge) {
      sc_core::wait(clk.posedge_event());
      unsigned left = 0;
      for (unsigned i = 0; i < n; ++i) {
        if (first_in[i] < 0 && link(i).in_valid.read()) first_in[i] = edge;
        if (first_out[i] < 0 && link(i).out_valid.read()) first_out[i] = edge;
        left += first_out[i] < 0 ? 1u : 0u;
      }
      if (left == 0) break;
    }
    monitor_done = true;
    measured.notify();
  });

  const uint64_t b0 = s.cycles();
  const std::string err = sled::fabric_bringup(s, sc_core::sc_time(50, sc_core::SC_US));
  const uint64_t up_cycles = s.cycles() - b0;
  if (!monitor_done) sc_core::wait(measured);  // the monitor uses this frame's vectors
  for (unsigned i = 0; i < n; ++i) link(i).model().set_enabled(true);
  if (!err.empty()) {
    t.log.error("SYS.FABRIC.BRINGUP", err);
    return;
  }
  t.log.info("SYS.FABRIC.UP", std::to_string(s.chips()) + " links UP after " + std::to_string(up_cycles) +
                                  " cycles with a link delay of " + std::to_string(s.link_delay_cycles()) + " cycles");
  std::string delays;
  bool all = true;
  for (unsigned i = 0; i < n; ++i) {
    if (first_in[i] < 0 || first_out[i] < 0) {
      t.log.error("SYS.FABRIC.LINK_DELAY",
                  name(i) + ": no flit crossed it within " + std::to_string(kEdges) + " link-clock cycles of bring-up");
      all = false;
      continue;
    }
    const int64_t d = first_out[i] - first_in[i];
    delays += (delays.empty() ? "" : ", ") + name(i) + " " + std::to_string(d);
    if (d != int64_t(want_delay)) {
      t.log.error("SYS.FABRIC.LINK_DELAY", name(i) + ": the first flit took " + std::to_string(d) +
                                               " link-clock cycles, expected " + std::to_string(want_delay));
      all = false;
    }
  }
  if (all) {
    std::ostringstream m;
    m << "every link: " << want_delay << " link-clock cycles (" << delays << "); configuration link.delay_ns "
      << Sled::config_link_delay_ns() << ", link.ber " << Sled::config_link_ber();
    t.log.info("SYS.FABRIC.LINK_DELAY", m.str());
  }
}

Register r_fabric_link("fabric_link",
                       {"brings the NSP fabric up and measures every link model's delay (first flit in to first flit "
                        "out) against the configured link delay; checks every link's bit-error rate",
                        false,
                        {"inject"},
                        fabric_link,
                        [](const tb::Plusargs &a) {
                          const std::string i = a.get_or("inject", "");
                          if (!i.empty() && i != "delay" && i != "ber")
                            throw tb::UsageError("argument '+inject=" + i + "': expected delay or ber");
                        }});

}  // namespace
}  // namespace ncv::tbsys
