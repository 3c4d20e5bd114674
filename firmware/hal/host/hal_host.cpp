// HAL backend for host-compiled firmware: C HAL calls -> TLM transactions of FwCpu.
#include <stdexcept>

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

void FwCpu::run() {
  sc_core::wait(start_delay_);
  g_current = this;
  exit_code_ = entry_();
  g_current = nullptr;
  finished_ = true;
  done_ev_.notify(sc_core::SC_ZERO_TIME);
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
  sc_core::wait(sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS));
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

void hal_console_putc(char c) {
  hal_write32(SLED_DEVICES_BASE + SLED_DEV_CONSOLE_TX, static_cast<uint32_t>(static_cast<unsigned char>(c)));
}

}  // extern "C"
