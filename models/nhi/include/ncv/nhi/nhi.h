// NHI: the Nitro-like host interface (host.md). Two faces: BAR0 for the host (target
// socket `bar0`) and device-side registers for the firmware on the management bus
// (target socket `dev`). This increment models identification, status, heartbeat and
// the POST code; queues, DMA and MSI-X come with the platform issue.
#pragma once

#include <cstdint>

#include <systemc>

#include "ncv/sc/reg_device.h"

namespace ncv::nhi {

class Nhi : public sc_core::sc_module {
 public:
  Nhi(sc_core::sc_module_name name, uint32_t version);

  // Host side (BAR0) and firmware side; bind initiators to bar0.tsock and dev.tsock.
  class Bar0;
  class Dev;
  Bar0 &bar0();
  Dev &dev();

  uint32_t fw_post() const { return fw_post_; }
  uint32_t dev_sts() const { return dev_sts_; }
  uint32_t heartbeat() const { return heartbeat_; }
  // Notified on every FW_POST write by the firmware.
  const sc_core::sc_event &post_event() const { return post_ev_; }

 private:
  friend class Bar0;
  friend class Dev;
  uint32_t version_;
  uint32_t fw_post_ = 0, dev_sts_ = 0, heartbeat_ = 0;
  sc_core::sc_event post_ev_;
  Bar0 *bar0_;
  Dev *dev_;
};

class Nhi::Bar0 : public ncv::sc::RegDevice {
 public:
  Bar0(sc_core::sc_module_name name, Nhi &nhi);

 protected:
  bool reg_read(uint32_t offset, uint32_t &value) override;
  bool reg_write(uint32_t offset, uint32_t value) override;

 private:
  Nhi &n_;
};

class Nhi::Dev : public ncv::sc::RegDevice {
 public:
  Dev(sc_core::sc_module_name name, Nhi &nhi);

 protected:
  bool reg_read(uint32_t offset, uint32_t &value) override;
  bool reg_write(uint32_t offset, uint32_t value) override;

 private:
  Nhi &n_;
};

}  // namespace ncv::nhi
