// System tests of the host path (host.md, firmware.md "Runtime services"): the host
// driver model brings NHI up, moves data into a chip's HBM with WRITE_DEVICE, runs tile
// programs with RUN_PROGRAM (the firmware launches the tile and completes the command on
// the tile's interrupt), reads results back with READ_DEVICE and compares them with the
// golden model; bad host input gets its error status and the next command still works.
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "fw_post.h"
#include "fw_service.h"
#include "host_tb.h"
#include "ncv/golden/builder.h"
#include "ncv/golden/cfg_params.h"
#include "ncv/nhi/host_driver.h"
#include "ncv/nhi/nhi.h"
#include "ncv/nhi/nhi_proto.h"
#include "ncv/tb/errors.h"
#include "ncv_cfg.h"
#include "sim_test.h"
#include "tile_job.h"

namespace ncv::tbsys {
namespace {

// S1 (firmware.md) through the host: a matmul on every chip at once, MSI-X completions,
// results read back over NHI and compared byte for byte with the golden model.
void host_matmul(TestCtx &t) {
  Host h(t);
  if (!h.up()) return;
  const golden::TileParams p = golden::cfg_tile_params();
  tb::Rng rng(t.seed, "tb.system.host_matmul");
  const unsigned M = unsigned(t.args.get_u64("m", 2 * p.P)), K = unsigned(t.args.get_u64("k", 2 * p.P)),
                 N = unsigned(t.args.get_u64("n", 16));

  // IDENTIFY: the firmware's page names this build.
  {
    const uint64_t buf = h.mem.alloc(64, 64, "identify page");
    Command c;
    c.opcode = NHI_OP_IDENTIFY;
    c.addr = buf;
    c.len = 64;
    Completion cpl;
    if (!h.expect("IDENTIFY", 0, c, NHI_STS_SUCCESS, &cpl)) return;
    uint32_t w[16];
    h.mem.read(buf, w, sizeof w);
    if (w[0] != 0x5356434Eu || w[2] != t.sled.chips() || w[3] != p.P || cpl.result != t.sled.chips())
      t.log.error("SYS.HOST.IDENTIFY", "identify page magic " + hex(w[0]) + " chips " + std::to_string(w[2]) + " P " +
                                           std::to_string(w[3]) + " result " + hex(cpl.result) + "; expected NCVS, " +
                                           std::to_string(t.sled.chips()) + " chips, P " + std::to_string(p.P));
  }

  std::vector<std::unique_ptr<MatmulJob>> jobs;
  for (unsigned c = 0; c < t.sled.chips(); ++c) {
    jobs.push_back(std::make_unique<MatmulJob>(p, rng, M, K, N));
    if (!h.place(c, jobs.back()->prog, jobs.back()->img)) return;
  }
  // Every chip's job in flight at once; completions may come in any order.
  const uint64_t c0 = t.sled.cycles();
  const uint64_t msix0 = h.mem.msi_count(Host::kQ);
  std::vector<int> cids;
  for (unsigned c = 0; c < t.sled.chips(); ++c)
    cids.push_back(h.drv.submit(Host::kQ, Host::run_program(c, jobs[c]->img)));
  for (unsigned c = 0; c < t.sled.chips(); ++c) {
    Completion cpl;
    if (cids[c] < 0 || !h.drv.wait_completion(Host::kQ, uint16_t(cids[c]), h.timeout, &cpl)) {
      t.log.error("SYS.HOST.HANG", "RUN_PROGRAM on chip " + std::to_string(c) + ": no completion");
      return;
    }
    const uint64_t want = jobs[c]->gold->retired();
    if (cpl.status != NHI_STS_SUCCESS || cpl.result != want)
      t.log.error("SYS.HOST.RUN", "RUN_PROGRAM on chip " + std::to_string(c) + ": status " + status_name(cpl.status) +
                                      " result " + hex(cpl.result) + "; expected SUCCESS with " + std::to_string(want) +
                                      " instructions retired (golden model)");
  }
  t.log.info("SYS.HOST.RUN", std::to_string(t.sled.chips()) + " matmuls " + std::to_string(M) + "x" +
                                 std::to_string(K) + "x" + std::to_string(N) + " completed after " +
                                 std::to_string(t.sled.cycles() - c0) + " cycles");
  if (h.mem.msi_count(Host::kQ) == msix0) t.log.error("SYS.HOST.MSIX", "no MSI-X message on vector 1");

  // +inject=golden_data: one expected byte flipped; the comparison must report it.
  const bool inject = inject_of(t) == "golden_data";
  for (unsigned c = 0; c < t.sled.chips(); ++c) {
    for (const auto &[name, o] : jobs[c]->prog.outputs) {
      const uint32_t n = uint32_t(size_t(o.rows) * o.cols * o.elem_bytes);
      const uint64_t buf = h.mem.alloc(n, 64, "output " + name);
      if (!h.expect("READ_DEVICE output " + name, Host::kQ, Host::xfer(NHI_OP_READ_DEVICE, c, buf, o.addr, n),
                    NHI_STS_SUCCESS))
        return;
      std::vector<uint8_t> got(n), exp(n);
      h.mem.read(buf, got.data(), n);
      jobs[c]->gold->mem.read(o.addr, exp.data(), n);
      if (inject && c == 0) exp[5] ^= 0x10;
      for (uint32_t i = 0; i < n; ++i)
        if (got[i] != exp[i]) {
          t.log.error("SYS.HOST.DATA", "chip " + std::to_string(c) + " output " + name + " byte " + std::to_string(i) +
                                           ": expected " + std::to_string(exp[i]) + ", actual " +
                                           std::to_string(got[i]));
          return;
        }
      t.log.info("SYS.HOST.DATA", "chip " + std::to_string(c) + " output " + name + ": " + std::to_string(n) +
                                      " bytes read over NHI equal the golden model's");
    }
  }
  h.check_clean();
}

Register r_host_matmul("host_matmul",
                       {"S1 through the host: the driver writes inputs over NHI, RUN_PROGRAM on every chip's tile, "
                        "MSI-X completions, results read back and compared with the golden model",
                        true,
                        {"m", "k", "n", "boot_timeout_us", "inject"},
                        host_matmul,
                        // post_seq: Host::up's POST-sequence check (host_tb.h).
                        [](const tb::Plusargs &a) {
                          check_inject(a, {"golden_data", "post_seq"});
                        }});

// S6 (firmware.md): bad host input gets its error status, nothing hangs, and the next good
// command succeeds.
void host_bad_input(TestCtx &t) {
  Host h(t);
  if (!h.up()) return;
  const golden::TileParams p = golden::cfg_tile_params();
  const uint64_t hbm = uint64_t(NCV_CFG_HBM_SIZE_MIB) << 20;
  const std::vector<uint8_t> data(256, 0xA5);
  const uint64_t good = h.buffer(data, "good buffer");
  auto good_command = [&](const std::string &after) {
    h.expect("WRITE_DEVICE after " + after, Host::kQ, Host::xfer(NHI_OP_WRITE_DEVICE, 0, good, 0x1000, 256),
             NHI_STS_SUCCESS);
  };

  // +inject=status: the first command's expected status wrong; its check must report it.
  Command unknown;
  unknown.opcode = 0x7E;
  h.expect("unknown IO opcode 0x7E", Host::kQ, unknown,
           inject_of(t) == "status" ? NHI_STS_INVALID_FIELD : NHI_STS_INVALID_OPCODE);
  good_command("an unknown opcode");
  Command admin_on_io;
  admin_on_io.opcode = NHI_OP_GET_LOG;
  h.expect("admin opcode GET_LOG on an IO queue", Host::kQ, admin_on_io, NHI_STS_INVALID_OPCODE);
  Command io_on_admin = Host::xfer(NHI_OP_READ_DEVICE, 0, good, 0, 64);
  h.expect("IO opcode READ_DEVICE on the admin queue", 0, io_on_admin, NHI_STS_INVALID_OPCODE);

  // A doorbell past the queue depth: an error event, no completion, no state change.
  const size_t events0 = h.drv.poll_events().size();
  h.drv.ring_sq(Host::kQ, 16);  // depth 16: valid tails are 0..15
  sc_core::wait(sc_time(20, SC_US));
  const auto evs = h.drv.poll_events();
  bool db_event = false;
  for (const auto &e : evs) db_event |= e.type == NHI_EVT_DOORBELL_ERROR && e.info == Host::kQ;
  if (!db_event)
    t.log.error("SYS.HOST.DOORBELL", "SQ tail doorbell 16 on a depth-16 queue raised no DOORBELL_ERROR event (" +
                                         std::to_string(evs.size() + events0) + " events)");
  good_command("a doorbell past the queue depth");

  // DMA outside any host buffer, and outside the chip's HBM.
  h.expect("WRITE_DEVICE from an unallocated host address", Host::kQ,
           Host::xfer(NHI_OP_WRITE_DEVICE, 0, 0x7000000000ull, 0x1000, 256), NHI_STS_DMA_ERROR);
  h.expect("WRITE_DEVICE overrunning its host buffer", Host::kQ,
           Host::xfer(NHI_OP_WRITE_DEVICE, 0, good, 0x1000, 256 + 4096 + 64), NHI_STS_DMA_ERROR);
  h.expect("READ_DEVICE past the end of HBM", Host::kQ, Host::xfer(NHI_OP_READ_DEVICE, 0, good, hbm - 128, 256),
           NHI_STS_DMA_ERROR);
  h.expect("WRITE_DEVICE to a chip that does not exist", Host::kQ,
           Host::xfer(NHI_OP_WRITE_DEVICE, t.sled.chips(), good, 0x1000, 256), NHI_STS_INVALID_FIELD);
  good_command("DMA errors");

  // A program with an illegal instruction: TILE_ERROR carrying the code the golden model
  // reports, a TILE_ERROR event, and the next job on the same tile runs.
  golden::build::Program bad;
  ncv::isa::Word w{};
  w.lo = ~0ull;
  w.hi = ~0ull;
  bad.queues[0].push_back(w);
  const JobImage bad_img = job_image(bad);
  GoldenJob bad_gold(p, bad, bad_img);
  const uint32_t want_code = bad_gold.model.csr_read(NCT_CSR_ERR_CODE) & NCT_CSR_ERR_CODE_CODE_MASK;
  if (want_code == 0) t.log.error("TB.SETUP", "the golden model accepts the 'illegal' instruction");
  if (!h.place(0, bad, bad_img)) return;
  Completion cpl;
  if (h.expect("RUN_PROGRAM with an illegal instruction", Host::kQ, Host::run_program(0, bad_img), NHI_STS_TILE_ERROR,
               &cpl) &&
      (cpl.result & 0xFF) != want_code)
    t.log.error("SYS.HOST.TILE_ERROR", "completion result " + hex(cpl.result) + ": tile error code " +
                                           hex(cpl.result & 0xFF) + ", the golden model reports " + hex(want_code));
  sc_core::wait(sc_time(5, SC_US));
  bool tile_event = false;
  for (const auto &e : h.drv.poll_events()) tile_event |= e.type == NHI_EVT_TILE_ERROR && e.info == 0;
  if (!tile_event) t.log.error("SYS.HOST.EVENT", "no TILE_ERROR event for chip 0");
  h.expect("RUN_PROGRAM with no work", Host::kQ, Host::run_program(0, job_image(golden::build::Program{})),
           NHI_STS_INVALID_FIELD);

  tb::Rng rng(t.seed, "tb.system.host_bad_input");
  MatmulJob next(p, rng, p.P, p.P, 16);
  if (!h.place(0, next.prog, next.img)) return;
  h.expect("RUN_PROGRAM after a tile error", Host::kQ, Host::run_program(0, next.img), NHI_STS_SUCCESS);

  // The firmware's error log holds the failures, oldest first.
  const uint64_t logbuf = h.mem.alloc(4096, 64, "error log");
  Command gl;
  gl.opcode = NHI_OP_GET_LOG;
  gl.addr = logbuf;
  gl.len = 4096;
  gl.cdw[0] = FW_LOG_ERRORS;
  if (h.expect("GET_LOG errors", 0, gl, NHI_STS_SUCCESS)) {
    uint32_t hdr[2];
    h.mem.read(logbuf, hdr, sizeof hdr);
    if (hdr[0] < 8)
      t.log.error("SYS.HOST.ERRLOG",
                  "the error log counts " + std::to_string(hdr[0]) + " failures; this test caused at least 8");
  }
  // The bad doorbell is an expected protocol error of the NHI, not of the driver.
  h.check_clean();
}

Register r_host_bad("host_bad_input",
                    {"S6: unknown opcodes, a doorbell past the queue depth, DMA outside any buffer or HBM, an "
                     "illegal instruction: each gets its error status, nothing hangs, the next command succeeds",
                     true,
                     {"boot_timeout_us", "inject"},
                     host_bad_input,
                     [](const tb::Plusargs &a) { check_inject(a, {"status"}); }});

}  // namespace
}  // namespace ncv::tbsys
