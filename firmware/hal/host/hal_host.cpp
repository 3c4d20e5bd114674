// HAL backend for host-compiled firmware: C HAL calls -> TLM transactions of FwCpu.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "hal.h"
#include "ncv/fw/fw_cpu.h"
#include "ncv/sc/word_access.h"
#include "ncv/tb/log.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

namespace ncv::fw {

namespace {
FwCpu *g_current = nullptr;
}

FwCpu::FwCpu(sc_core::sc_module_name name, std::function<int()> entry, sc_core::sc_time start_delay)
    : sc_module(name), isock("isock"), entry_(std::move(entry)), start_delay_(start_delay) {
  SC_HAS_PROCESS(FwCpu);
  SC_THREAD(run);
}

FwCpu &FwCpu::current() {
  if (!g_current) throw std::logic_error("HAL called outside a firmware thread");
  return *g_current;
}

namespace {
// Thrown through the firmware's frames (C code compiled with -fexceptions) to restart it.
struct FwRestart {};
}  // namespace

void FwCpu::run() {
  sc_core::wait(start_delay_);
  for (;;) {
    g_current = this;
    try {
      exit_code_ = entry_();
      g_current = nullptr;
      finished_ = true;
      done_ev_.notify(sc_core::SC_ZERO_TIME);
      while (!restart_pending_) sc_core::wait(restart_ev_);
    } catch (const FwRestart &) {
    }
    g_current = nullptr;
    restart_pending_ = false;
    finished_ = false;
    fault_ = false;
    ++restarts_;
    sc_core::wait(restart_hold_);
  }
}

void FwCpu::restart(sc_core::sc_time hold) {
  restart_pending_ = true;
  restart_hold_ = hold;
  restart_ev_.notify(sc_core::SC_ZERO_TIME);
}

void FwCpu::check_restart() {
  if (restart_pending_ && g_current == this) throw FwRestart{};
}

static const char *status_text(tlm::tlm_response_status s) {
  switch (s) {
    case tlm::TLM_ADDRESS_ERROR_RESPONSE: return "address error (nothing decodes it)";
    case tlm::TLM_BURST_ERROR_RESPONSE: return "burst error (size or alignment)";
    case tlm::TLM_GENERIC_ERROR_RESPONSE: return "slave error";
    default: return "error";
  }
}

void FwCpu::access(tlm::tlm_command cmd, uint32_t addr, uint32_t &data) {
  check_restart();
  const tlm::tlm_response_status st = ncv::sc::word_access(isock, cmd, addr, data);
  ++accesses_;
  if (st != tlm::TLM_OK_RESPONSE) {
    if (!fault_) {
      fault_ = true;
      fault_addr_ = addr;
    }
    char buf[128];
    std::snprintf(buf, sizeof buf, "HAL %s 0x%08X failed: %s", cmd == tlm::TLM_READ_COMMAND ? "read" : "write", addr,
                  status_text(st));
    ncv::tb::Log::get().error("FW.HAL.FAULT", buf);
    if (cmd == tlm::TLM_READ_COMMAND) data = 0xFFFFFFFFu;
  }
}

uint32_t FwCpu::read32(uint32_t addr) {
  uint32_t d = 0;
  access(tlm::TLM_READ_COMMAND, addr, d);
  return d;
}

void FwCpu::write32(uint32_t addr, uint32_t value) {
  access(tlm::TLM_WRITE_COMMAND, addr, value);
}

void FwCpu::delay_ns(uint64_t ns) {
  check_restart();
  sc_core::wait(sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS), restart_ev_);
  check_restart();
}

void FwCpu::set_irq_line(unsigned line, std::function<bool()> level, const sc_core::sc_event *change) {
  if (line >= 32) throw std::invalid_argument("FwCpu::set_irq_line: line " + std::to_string(line) + " (0..31)");
  if (irq_.size() <= line) irq_.resize(line + 1);
  irq_[line] = IrqLine{std::move(level), change};
}

uint32_t FwCpu::irq_pending(uint32_t mask) const {
  uint32_t p = 0;
  for (size_t i = 0; i < irq_.size(); ++i)
    if ((mask >> i & 1u) && irq_[i].level && irq_[i].level()) p |= 1u << i;
  return p;
}

uint32_t FwCpu::wait_irq(uint32_t mask, uint64_t timeout_ns) {
  const sc_core::sc_time deadline =
      sc_core::sc_time_stamp() + sc_core::sc_time(static_cast<double>(timeout_ns), sc_core::SC_NS);
  sc_core::sc_event_or_list changes;
  bool polled = false;
  for (size_t i = 0; i < irq_.size(); ++i) {
    if (!(mask >> i & 1u) || !irq_[i].level) continue;
    if (irq_[i].change) {
      changes |= *irq_[i].change;
    } else {
      polled = true;
    }
  }
  changes |= restart_ev_;
  for (;;) {
    const uint32_t p = irq_pending(mask);
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (p || now >= deadline) return p;
    sc_core::sc_time step = deadline - now;
    if (polled && irq_poll_ < step) step = irq_poll_;
    check_restart();
    sc_core::wait(step, changes);
    check_restart();
  }
}

void FwCpu::log_append(const std::string &line) {
  const std::string l = line.substr(0, HAL_LOG_LINE_MAX - 1);
  if (log_ring_.size() < HAL_LOG_LINES) log_ring_.resize(HAL_LOG_LINES);
  log_ring_[log_count_ % HAL_LOG_LINES] = l;
  ++log_count_;
  ncv::tb::Log::get().debug("FW.LOG", l);
}

bool FwCpu::log_line(uint32_t seq, std::string &out) const {
  if (seq >= log_count_ || log_count_ - seq > HAL_LOG_LINES) return false;
  out = log_ring_[seq % HAL_LOG_LINES];
  return true;
}

bool FwCpu::fault(uint32_t *addr) const {
  if (fault_ && addr) *addr = fault_addr_;
  return fault_;
}

}  // namespace ncv::fw

using ncv::fw::FwCpu;

extern "C" {

uint32_t hal_read32(uint32_t addr) {
  return FwCpu::current().read32(addr);
}
void hal_write32(uint32_t addr, uint32_t value) {
  FwCpu::current().write32(addr, value);
}
int hal_fault(uint32_t *addr) {
  return FwCpu::current().fault(addr) ? 1 : 0;
}
void hal_fault_clear(void) {
  FwCpu::current().fault_clear();
}
void hal_delay_ns(uint64_t ns) {
  FwCpu::current().delay_ns(ns);
}

uint64_t hal_now_ns(void) {
  // Through the timer device, as on silicon: reading LO latches HI.
  const uint32_t lo = hal_read32(SLED_DEVICES_BASE + SLED_DEV_TIMER_NOW_LO);
  const uint32_t hi = hal_read32(SLED_DEVICES_BASE + SLED_DEV_TIMER_NOW_HI);
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

uint32_t hal_wait_irq(uint32_t mask, uint64_t timeout_ns) {
  return FwCpu::current().wait_irq(mask, timeout_ns);
}

uint32_t hal_irq_pending(uint32_t mask) {
  return FwCpu::current().irq_pending(mask);
}

void hal_log_append(const char *line) {
  FwCpu::current().log_append(line);
}

uint32_t hal_log_count(void) {
  return FwCpu::current().log_count();
}

int hal_log_read(uint32_t seq, char *buf, uint32_t len) {
  std::string l;
  if (!FwCpu::current().log_line(seq, l) || len == 0) return -1;
  const size_t n = std::min<size_t>(l.size(), len - 1);
  l.copy(buf, n);
  buf[n] = '\0';
  return static_cast<int>(n);
}

void hal_console_putc(char c) {
  hal_write32(SLED_DEVICES_BASE + SLED_DEV_CONSOLE_TX, static_cast<uint32_t>(static_cast<unsigned char>(c)));
}

}  // extern "C"
