// The host side of system tests (tests_host.cpp, tests_scenarios.cpp): the host driver
// model with one IO queue pair, commands with status checks, and tile jobs built with the
// golden program builder whose expected results come from the golden model.
#pragma once

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "fw_post.h"
#include "ncv/golden/builder.h"
#include "ncv/nhi/host_driver.h"
#include "ncv/nhi/host_memory.h"
#include "ncv/nhi/nhi.h"
#include "ncv/nhi/nhi_proto.h"
#include "ncv/tb/errors.h"
#include "sim_test.h"
#include "tile_job.h"

namespace ncv::tbsys {

using nhi::Command;
using nhi::Completion;
using sc_core::sc_time;
using sc_core::SC_US;

inline std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llX", static_cast<unsigned long long>(v));
  return b;
}

inline const char *status_name(uint16_t s) {
  switch (s) {
    case NHI_STS_SUCCESS: return "SUCCESS";
    case NHI_STS_INVALID_OPCODE: return "INVALID_OPCODE";
    case NHI_STS_INVALID_FIELD: return "INVALID_FIELD";
    case NHI_STS_ABORTED: return "ABORTED";
    case NHI_STS_DMA_ERROR: return "DMA_ERROR";
    case NHI_STS_QUEUE_ERROR: return "QUEUE_ERROR";
    case NHI_STS_DEVICE_ERROR: return "DEVICE_ERROR";
    case NHI_STS_TILE_ERROR: return "TILE_ERROR";
    default: return "?";
  }
}

// The value of `+inject=` (empty when not given).
inline std::string inject_of(const TestCtx &t) {
  return t.args.get_or("inject", "");
}

// A test's `+inject=` check: empty or one of `names`, else a usage error naming them all.
inline void check_inject(const tb::Plusargs &a, const std::vector<std::string> &names) {
  const std::string i = a.get_or("inject", "");
  if (i.empty() || std::find(names.begin(), names.end(), i) != names.end()) return;
  std::string list;
  for (size_t k = 0; k < names.size(); ++k) list += (k == 0 ? "" : k + 1 == names.size() ? " or " : ", ") + names[k];
  throw tb::UsageError("argument '+inject=" + i + "': expected " + list);
}

// The host side of a test: the driver, its memory, one IO queue pair, and checks.
struct Host {
  TestCtx &t;
  nhi::HostDriver &drv;
  nhi::HostMemory &mem;
  sc_time timeout = sc_time(2000, SC_US);
  static constexpr uint16_t kQ = 1;

  explicit Host(TestCtx &tc) : t(tc), drv(tc.sled.host()), mem(tc.sled.host_memory()) {}

  bool up() {
    const std::string line = t.sled.wait_boot(sc_time(double(t.args.get_u64("boot_timeout_us", 200)), SC_US));
    if (line.empty()) {
      t.log.error("SYS.HOST.BOOT", "firmware did not reach READY: FW_POST " + hex(t.sled.nhi().fw_post()));
      return false;
    }
    // The boot's POST sequence (firmware.md "Boot"): every stage in order, then READY.
    std::vector<uint32_t> want = {FW_POST_START, FW_POST_POWER,  FW_POST_CLOCKS, FW_POST_HBM,
                                  FW_POST_TILE,  FW_POST_FABRIC, FW_POST_HOST,   FW_POST_READY};
    // +inject=post_seq: the expected order of two stages swapped; the check must report it.
    if (inject_of(t) == "post_seq") std::swap(want[1], want[2]);
    const auto &seen = t.sled.nhi().post_history();
    if (seen.size() < want.size() || !std::equal(want.begin(), want.end(), seen.begin())) {
      std::string got, exp;
      for (uint32_t v : seen) got += " " + hex(v);
      for (uint32_t v : want) exp += " " + hex(v);
      t.log.error("SYS.HOST.POST", "POST sequence" + got + "; expected" + exp);
      return false;
    }
    if (!drv.bring_up(sc_time(100, SC_US))) {
      t.log.error("SYS.HOST.BRING_UP", "driver bring-up failed: " + last_driver_error());
      return false;
    }
    if (!drv.create_io_queue_pair(kQ, 16, sc_time(100, SC_US))) {
      t.log.error("SYS.HOST.QUEUE", "CREATE_IO queue pair 1 failed: " + last_driver_error());
      return false;
    }
    return true;
  }

  std::string last_driver_error() const { return drv.errors().empty() ? "(no driver error)" : drv.errors().back(); }

  // Submits on `q` and waits for the completion; the status, or -1 after an error line.
  int run(uint16_t q, const Command &c, Completion *out = nullptr) {
    const int cid = drv.submit(q, c);
    if (cid < 0) {
      t.log.error("SYS.HOST.SUBMIT", "submission of opcode " + hex(c.opcode) + " refused by the driver");
      return -1;
    }
    Completion cpl;
    if (!drv.wait_completion(q, uint16_t(cid), timeout, &cpl)) {
      t.log.error("SYS.HOST.HANG", "opcode " + hex(c.opcode) + " (cid " + std::to_string(cid) +
                                       ") got no completion in " + timeout.to_string());
      return -1;
    }
    if (out) *out = cpl;
    return cpl.status;
  }

  // `what` must complete with `want`; returns whether it did.
  bool expect(const std::string &what, uint16_t q, const Command &c, uint16_t want, Completion *out = nullptr) {
    Completion cpl;
    const int st = run(q, c, &cpl);
    if (out) *out = cpl;
    if (st < 0) return false;
    if (st != want) {
      t.log.error("SYS.HOST.STATUS", what + ": status " + status_name(uint16_t(st)) + " (" + hex(st) + "), expected " +
                                         status_name(want) + "; result " + hex(cpl.result));
      return false;
    }
    t.log.debug("SYS.HOST.STATUS", what + ": " + status_name(want));
    return true;
  }

  uint64_t buffer(const std::vector<uint8_t> &bytes, const std::string &what) {
    const uint64_t a = mem.alloc(bytes.size(), 64, what);
    mem.write(a, bytes.data(), bytes.size());
    return a;
  }

  static Command xfer(uint8_t op, unsigned chip, uint64_t host, uint64_t dev, uint32_t len) {
    Command c;
    c.opcode = op;
    c.nsid = chip;
    c.addr = host;
    c.len = len;
    c.cdw[0] = uint32_t(dev);
    c.cdw[1] = uint32_t(dev >> 32);
    return c;
  }

  bool write_device(unsigned chip, uint64_t dev, const std::vector<uint8_t> &bytes, const std::string &what) {
    const uint64_t h = buffer(bytes, what);
    return expect("WRITE_DEVICE " + what, kQ, xfer(NHI_OP_WRITE_DEVICE, chip, h, dev, uint32_t(bytes.size())),
                  NHI_STS_SUCCESS);
  }

  static Command run_program(unsigned chip, const JobImage &img) {
    Command c;
    c.opcode = NHI_OP_RUN_PROGRAM;
    c.nsid = chip;
    c.addr = img.nq_base;
    c.len = 16u << img.nq_log2;
    for (unsigned q = 0; q < 4; ++q) {
      c.cdw[2 * q] = uint32_t(img.rings[q].addr);
      c.cdw[2 * q + 1] = uint32_t(img.rings[q].addr >> 32);
      c.cdw[8 + q / 2] |= img.rings[q].tail << (16 * (q % 2));
      c.cdw[10] |= img.rings[q].log2 << (8 * q);
    }
    return c;
  }

  // Places a program's inputs and rings in the chip's HBM.
  bool place(unsigned chip, const golden::build::Program &prog, const JobImage &img) {
    for (const auto &s : prog.memory)
      if (!write_device(chip, s.addr, s.bytes, "chip" + std::to_string(chip) + " input")) return false;
    for (unsigned q = 0; q < 4; ++q)
      if (img.rings[q].tail &&
          !write_device(chip, img.rings[q].addr, img.rings[q].bytes, "chip" + std::to_string(chip) + " ring"))
        return false;
    return true;
  }

  void check_clean() {
    for (const auto &e : drv.errors()) t.log.error("SYS.HOST.DRIVER", e);
    for (const auto &e : mem.errors()) t.log.error("SYS.HOST.MEMORY", e);
  }
};

// A random BF16 matmul for chip `chip`, its image and the golden model's run of it.
struct MatmulJob {
  golden::build::Program prog;
  JobImage img;
  std::unique_ptr<GoldenJob> gold;
  MatmulJob(const golden::TileParams &p, tb::Rng &rng, unsigned M, unsigned K, unsigned N) {
    std::vector<uint16_t> a(size_t(M) * K), b(size_t(K) * N);
    for (auto &x : a) x = uint16_t(0x3E00u + rng.range(0, 0x1FF));
    for (auto &x : b) x = uint16_t((rng.chance(0.5) ? 0xBE00u : 0x3E00u) + rng.range(0, 0x1FF));
    prog = golden::build::matmul(a.data(), b.data(), M, K, N, p);
    img = job_image(prog);
    gold = std::make_unique<GoldenJob>(p, prog, img);
  }
};

}  // namespace ncv::tbsys
