#include "ncv/devices/sled_devices.h"

#include "sled_dev_regs.h"

namespace ncv::devices {

SledDevices::SledDevices(sc_core::sc_module_name name) : RegDevice(name, sc_core::sc_time(10, sc_core::SC_NS)) {}

bool SledDevices::reg_read(uint32_t offset, uint32_t &v) {
  switch (offset) {
    case SLED_DEV_TIMER_NOW_LO: {
      const uint64_t ns = sc_core::sc_time_stamp().value() / 1000u;  // resolution is 1 ps
      now_hi_latched_ = static_cast<uint32_t>(ns >> 32);
      v = static_cast<uint32_t>(ns);
      return true;
    }
    case SLED_DEV_TIMER_NOW_HI: v = now_hi_latched_; return true;
    case SLED_DEV_HBM_WIN_CHIP: v = win_chip_; return true;
    case SLED_DEV_HBM_WIN_BASE: v = win_base_; return true;
    case SLED_DEV_CONSOLE_TX: v = 0; return true;
    default: return false;
  }
}

bool SledDevices::reg_write(uint32_t offset, uint32_t v) {
  switch (offset) {
    case SLED_DEV_CONSOLE_TX: {
      const char c = static_cast<char>(v & SLED_DEV_CONSOLE_TX_DATA_MASK);
      if (c == '\n') {
        lines_.push_back(partial_);
        if (listener_) listener_(partial_);
        line_ev_.notify(sc_core::SC_ZERO_TIME);
        partial_.clear();
      } else if (c != '\r') {
        partial_ += c;
      }
      return true;
    }
    case SLED_DEV_HBM_WIN_CHIP: win_chip_ = v & SLED_DEV_HBM_WIN_CHIP_CHIP_MASK; return true;
    case SLED_DEV_HBM_WIN_BASE: win_base_ = v & SLED_DEV_HBM_WIN_BASE_BASE_256M_MASK; return true;
    case SLED_DEV_TIMER_NOW_LO:
    case SLED_DEV_TIMER_NOW_HI: return false;  // read-only
    default: return false;
  }
}

}  // namespace ncv::devices
