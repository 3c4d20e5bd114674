// `fw_run`: the run behind `ncv fw run` for firmware developers (firmware.md, issue 7).
// Boots the sled firmware, streams its console (FW.CONSOLE lines), stops when FW_POST
// reaches +stop_post (default READY), or runs a host-driver script after boot: one step
// per line, written by `ncv fw run --script` from its YAML (python/ncv/fwrun.py):
//
//   identify FILE
//   write CHIP DEVADDR FILE
//   read CHIP DEVADDR LEN FILE
//   run CHIP NQBASE NQBYTES BASE0 LOG2_0 TAIL0 ... BASE3 LOG2_3 TAIL3
//   log PAGE LEN FILE
//   reset CHIP
//   wait_us N
//
// Any step may end with `expect=STATUS` (an nhi_proto.h status name, default SUCCESS).
// Numbers are decimal or 0x-hex. A firmware failure (a FAIL POST code, the firmware
// returning, a HAL access fault) prints the POST code, the last console lines and the
// failing access.
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "fw_post.h"
#include "fw_service.h"
#include "ncv/devices/sled_devices.h"
#include "ncv/fw/fw_cpu.h"
#include "ncv/nhi/host_driver.h"
#include "ncv/nhi/nhi.h"
#include "ncv/nhi/nhi_proto.h"
#include "ncv/tb/errors.h"
#include "sim_test.h"

namespace ncv::tbsys {
namespace {

using sc_core::sc_time;
using sc_core::SC_US;

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llX", static_cast<unsigned long long>(v));
  return b;
}

const std::map<std::string, uint16_t> &status_names() {
  static const std::map<std::string, uint16_t> m = {{"SUCCESS", NHI_STS_SUCCESS},
                                                    {"INVALID_OPCODE", NHI_STS_INVALID_OPCODE},
                                                    {"INVALID_FIELD", NHI_STS_INVALID_FIELD},
                                                    {"ABORTED", NHI_STS_ABORTED},
                                                    {"DMA_ERROR", NHI_STS_DMA_ERROR},
                                                    {"QUEUE_ERROR", NHI_STS_QUEUE_ERROR},
                                                    {"DEVICE_ERROR", NHI_STS_DEVICE_ERROR},
                                                    {"TILE_ERROR", NHI_STS_TILE_ERROR}};
  return m;
}

std::string status_name(uint16_t s) {
  for (const auto &[n, v] : status_names())
    if (v == s) return n;
  return hex(s);
}

struct Step {
  unsigned line = 0;
  std::string op;
  std::vector<uint64_t> num;
  std::string file;
  uint16_t expect = NHI_STS_SUCCESS;
};

// Parses the script; a malformed line is a usage error naming the file, line and field.
std::vector<Step> parse_script(const std::string &path) {
  std::ifstream f(path);
  if (!f) throw tb::UsageError("argument '+script=" + path + "': cannot read the file");
  // op -> (numbers before the file, has a file, numbers after nothing)
  const std::map<std::string, std::pair<unsigned, bool>> shape = {
      {"identify", {0, true}}, {"write", {2, true}},  {"read", {3, true}},    {"run", {15, false}},
      {"log", {2, true}},      {"reset", {1, false}}, {"wait_us", {1, false}}};
  std::vector<Step> steps;
  std::string text;
  for (unsigned ln = 1; std::getline(f, text); ++ln) {
    std::istringstream is(text);
    std::vector<std::string> w;
    for (std::string x; is >> x;) w.push_back(x);
    if (w.empty() || w[0][0] == '#') continue;
    const std::string where = path + ":" + std::to_string(ln);
    Step s;
    s.line = ln;
    s.op = w[0];
    auto it = shape.find(s.op);
    if (it == shape.end())
      throw tb::UsageError(where + ": unknown step '" + s.op +
                           "' (expected identify, write, read, run, log, reset or wait_us)");
    if (w.size() > 1 && w.back().rfind("expect=", 0) == 0) {
      const auto st = status_names().find(w.back().substr(7));
      if (st == status_names().end()) throw tb::UsageError(where + ": '" + w.back() + "': unknown status name");
      s.expect = st->second;
      w.pop_back();
    }
    const unsigned want = 1 + it->second.first + (it->second.second ? 1 : 0);
    if (w.size() != want)
      throw tb::UsageError(where + ": '" + s.op + "' takes " + std::to_string(want - 1) + " fields, got " +
                           std::to_string(w.size() - 1));
    for (unsigned i = 0; i < it->second.first; ++i) {
      try {
        size_t used = 0;
        s.num.push_back(std::stoull(w[1 + i], &used, 0));
        if (used != w[1 + i].size()) throw std::invalid_argument("trailing");
      } catch (const std::exception &) {
        throw tb::UsageError(where + ": field " + std::to_string(i + 1) + " '" + w[1 + i] + "': expected a number");
      }
    }
    if (it->second.second) s.file = w.back();
    steps.push_back(s);
  }
  return steps;
}

std::vector<uint8_t> read_file(const std::string &p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw tb::UsageError("host script: cannot read data file '" + p + "'");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

// Prints what a firmware developer needs to see a firmware fault.
void report_fault(TestCtx &t, const std::string &why) {
  nhi::Nhi &n = t.sled.nhi();
  fw::FwCpu *fw = t.sled.firmware();
  std::string msg = why + ": FW_POST " + hex(n.fw_post());
  uint32_t fa = 0;
  if (fw && fw->fault(&fa)) msg += ", first failing HAL access at " + hex(fa);
  if (fw && fw->finished()) msg += ", firmware returned " + std::to_string(fw->exit_code());
  t.log.error("FW.RUN.FAULT", msg);
  // The last lines of the firmware's log ring (hal_log_*), oldest first.
  if (!fw) return;
  const uint32_t lines = fw->log_count(), from = lines > 10 ? lines - 10 : 0;
  for (uint32_t seq = from; seq < lines; ++seq) {
    std::string line;
    if (fw->log_line(seq, line)) t.log.info("FW.RUN.LAST_LOG", line);
  }
}

void fw_run(TestCtx &t) {
  if (t.args.get_or("inject", "") == "bad_access") {
    // A firmware bug on purpose: its diagnosis must show the POST code, the last log lines
    // and the failing HAL access (CTest sys_fw_run_fault_is_diagnosed_ci).
    fw_service_opts o;
    fw_service_default_opts(&o);
    o.inject_bad_access = 0x0BAD0000u;
    fw_service_set_opts(&o);
  }
  nhi::Nhi &n = t.sled.nhi();
  fw::FwCpu *fw = t.sled.firmware();
  const uint32_t stop = uint32_t(t.args.get_u64("stop_post", FW_POST_READY));
  const sc_time limit(double(t.args.get_u64("boot_timeout_us", 5000)), SC_US);
  const std::string script = t.args.get_or("script", "");
  const std::vector<Step> steps = script.empty() ? std::vector<Step>{} : parse_script(script);
  const sc_time deadline = sc_core::sc_time_stamp() + limit;
  // Wait for the POST code (or a failure).
  while (n.fw_post() != stop && !(n.fw_post() & 0x80u) && !fw->finished() && sc_core::sc_time_stamp() < deadline)
    wait(deadline - sc_core::sc_time_stamp(), n.post_event() | fw->finished_event());
  if (n.fw_post() == stop && t.args.get_or("inject", "") == "bad_access") {
    // Serve a little: a firmware that fails right after READY shows here.
    const sc_time until = sc_core::sc_time_stamp() + sc_time(20, SC_US);
    while (!fw->finished() && sc_core::sc_time_stamp() < until) wait(until - sc_core::sc_time_stamp(), fw->finished_event());
  }
  if (n.fw_post() != stop || fw->finished()) {
    report_fault(t, (n.fw_post() & 0x80u) ? "boot failed"
                    : n.fw_post() == stop ? "firmware stopped after POST " + hex(stop)
                    : fw->finished()      ? "firmware returned before POST " + hex(stop)
                                          : "POST " + hex(stop) + " not reached in " + limit.to_string());
    return;
  }
  t.log.info("FW.RUN.POST", "reached POST " + hex(stop) + " after " + std::to_string(t.sled.cycles()) + " cycles");
  if (steps.empty()) return;
  if (stop != FW_POST_READY) {
    t.log.error("FW.RUN.SCRIPT", "a host script needs the firmware READY (+stop_post=" + hex(FW_POST_READY) + ")");
    return;
  }
  // READY is published before the boot line; the host waits for both like the driver.
  t.sled.wait_boot(sc_time(100, SC_US));
  nhi::HostDriver &h = t.sled.host();
  nhi::HostMemory &mem = t.sled.host_memory();
  const sc_time cmd_timeout(double(t.args.get_u64("cmd_timeout_us", 100000)), SC_US);
  if (!h.bring_up(sc_time(100, SC_US)) || !h.create_io_queue_pair(1, 64, sc_time(100, SC_US))) {
    report_fault(t, "host bring-up failed: " + (h.errors().empty() ? std::string("?") : h.errors().back()));
    return;
  }
  for (const Step &s : steps) {
    const std::string where = script + ":" + std::to_string(s.line) + " " + s.op;
    if (s.op == "wait_us") {
      wait(sc_time(double(s.num[0]), SC_US));
      t.log.info("HOST.STEP", where + ": waited " + std::to_string(s.num[0]) + " us");
      continue;
    }
    nhi::Command c;
    uint16_t q = 1;
    uint64_t buf = 0;
    uint32_t len = 0;
    if (s.op == "identify") {
      q = 0;
      c.opcode = NHI_OP_IDENTIFY;
      len = 64;
    } else if (s.op == "write" || s.op == "read") {
      c.opcode = s.op == "write" ? NHI_OP_WRITE_DEVICE : NHI_OP_READ_DEVICE;
      c.nsid = uint32_t(s.num[0]);
      c.cdw[0] = uint32_t(s.num[1]);
      c.cdw[1] = uint32_t(s.num[1] >> 32);
      if (s.op == "write") {
        const std::vector<uint8_t> d = read_file(s.file);
        len = uint32_t(d.size());
        buf = mem.alloc(len ? len : 1, 64, where);
        mem.write(buf, d.data(), d.size());
      } else {
        len = uint32_t(s.num[2]);
      }
    } else if (s.op == "run") {
      c.opcode = NHI_OP_RUN_PROGRAM;
      c.nsid = uint32_t(s.num[0]);
      c.addr = s.num[1];
      c.len = uint32_t(s.num[2]);
      for (unsigned k = 0; k < 4; ++k) {
        const uint64_t base = s.num[3 + 3 * k], lg = s.num[4 + 3 * k], tail = s.num[5 + 3 * k];
        c.cdw[2 * k] = uint32_t(base);
        c.cdw[2 * k + 1] = uint32_t(base >> 32);
        c.cdw[8 + k / 2] |= uint32_t(tail) << (16 * (k % 2));
        c.cdw[10] |= uint32_t(lg) << (8 * k);
      }
    } else if (s.op == "log") {
      q = 0;
      c.opcode = NHI_OP_GET_LOG;
      c.cdw[0] = uint32_t(s.num[0]);
      len = uint32_t(s.num[1]);
    } else if (s.op == "reset") {
      q = 0;
      c.opcode = NHI_OP_RESET_TILE;
      c.cdw[0] = uint32_t(s.num[0]);
    }
    if (len && !buf) buf = mem.alloc(len, 64, where);
    if (c.opcode != NHI_OP_RUN_PROGRAM) {
      c.addr = buf;
      c.len = len;
    }
    const uint64_t c0 = t.sled.cycles();
    const int cid = h.submit(q, c);
    nhi::Completion cpl;
    if (cid < 0 || !h.wait_completion(q, uint16_t(cid), cmd_timeout, &cpl)) {
      report_fault(t, where + ": no completion in " + cmd_timeout.to_string());
      return;
    }
    t.log.info("HOST.STEP", where + ": " + status_name(cpl.status) + " result " + hex(cpl.result) + " after " +
                                std::to_string(t.sled.cycles() - c0) + " cycles");
    if (cpl.status != s.expect)
      t.log.error("HOST.EXPECT", where + ": status " + status_name(cpl.status) + ", expected " + status_name(s.expect));
    if (!s.file.empty() && s.op != "write" && cpl.status == NHI_STS_SUCCESS) {
      std::vector<uint8_t> d(len);
      mem.read(buf, d.data(), len);
      std::ofstream o(s.file, std::ios::binary);
      o.write(reinterpret_cast<const char *>(d.data()), std::streamsize(d.size()));
      if (!o) t.log.error("HOST.FILE", where + ": cannot write '" + s.file + "'");
    }
  }
  for (const auto &e : h.errors()) t.log.error("HOST.DRIVER", e);
  uint32_t fa = 0;
  if (fw->fault(&fa)) report_fault(t, "a HAL access failed");
}

Register r_fw_run("fw_run",
                  {"ncv fw run: boot the firmware, stream the console, stop at a POST code or run a host script",
                   true,
                   {"stop_post", "script", "boot_timeout_us", "cmd_timeout_us", "inject"},
                   fw_run,
                   [](const tb::Plusargs &a) {
                     const std::string i = a.get_or("inject", "");
                     if (!i.empty() && i != "bad_access")
                       throw tb::UsageError("argument '+inject=" + i + "': expected bad_access");
                     const std::string s = a.get_or("script", "");
                     if (!s.empty()) parse_script(s);
                   }});

}  // namespace
}  // namespace ncv::tbsys
