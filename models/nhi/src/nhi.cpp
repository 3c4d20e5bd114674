#include "ncv/nhi/nhi.h"

#include "nhi_bar0_regs.h"
#include "nhi_dev_regs.h"

namespace ncv::nhi {

using sc_core::SC_NS;
using sc_core::sc_time;

Nhi::Nhi(sc_core::sc_module_name name, uint32_t version) : sc_module(name), version_(version) {
  bar0_ = new Bar0("bar0", *this);
  dev_ = new Dev("dev", *this);
}

Nhi::Bar0 &Nhi::bar0() {
  return *bar0_;
}
Nhi::Dev &Nhi::dev() {
  return *dev_;
}

// A PCIe read round trip is slow; a posted write is not.
Nhi::Bar0::Bar0(sc_core::sc_module_name name, Nhi &nhi) : RegDevice(name, sc_time(200, SC_NS)), n_(nhi) {}

bool Nhi::Bar0::reg_read(uint32_t offset, uint32_t &v) {
  switch (offset) {
    case NHI_BAR0_ID: v = NHI_BAR0_ID_RESET; return true;
    case NHI_BAR0_VERSION: v = n_.version_; return true;
    case NHI_BAR0_DEV_STS: v = n_.dev_sts_; return true;
    case NHI_BAR0_HEARTBEAT: v = n_.heartbeat_; return true;
    case NHI_BAR0_FW_POST: v = n_.fw_post_; return true;
    default: return false;
  }
}

bool Nhi::Bar0::reg_write(uint32_t, uint32_t) {
  return false;
}

Nhi::Dev::Dev(sc_core::sc_module_name name, Nhi &nhi) : RegDevice(name, sc_time(10, SC_NS)), n_(nhi) {}

bool Nhi::Dev::reg_read(uint32_t offset, uint32_t &v) {
  switch (offset) {
    case NHI_DEV_ID: v = NHI_DEV_ID_RESET; return true;
    case NHI_DEV_FW_POST: v = n_.fw_post_; return true;
    case NHI_DEV_DEV_STS: v = n_.dev_sts_; return true;
    case NHI_DEV_HEARTBEAT: v = n_.heartbeat_; return true;
    default: return false;
  }
}

bool Nhi::Dev::reg_write(uint32_t offset, uint32_t v) {
  switch (offset) {
    case NHI_DEV_FW_POST:
      n_.fw_post_ = v;
      n_.post_ev_.notify(sc_core::SC_ZERO_TIME);
      return true;
    case NHI_DEV_DEV_STS:
      n_.dev_sts_ = v & (NHI_DEV_DEV_STS_READY_MASK | NHI_DEV_DEV_STS_FATAL_MASK | NHI_DEV_DEV_STS_FW_ALIVE_MASK);
      return true;
    case NHI_DEV_HEARTBEAT: n_.heartbeat_ = v; return true;
    default: return false;
  }
}

}  // namespace ncv::nhi
