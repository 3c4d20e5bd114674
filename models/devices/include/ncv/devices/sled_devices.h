// Sled devices on the management bus (system.md, sled_dev.rdl): timer, console and the
// HBM window control. The console collects bytes into lines and hands each finished line
// to a listener (the run log, a Python caller).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ncv/sc/reg_device.h"

namespace ncv::devices {

class SledDevices : public ncv::sc::RegDevice {
 public:
  explicit SledDevices(sc_core::sc_module_name name);

  void on_console_line(std::function<void(const std::string &)> f) { listener_ = std::move(f); }
  const std::vector<std::string> &console_lines() const { return lines_; }
  // Notified when a console line is complete.
  const sc_core::sc_event &line_event() const { return line_ev_; }
  uint32_t hbm_win_chip() const { return win_chip_; }
  uint64_t hbm_win_base() const { return static_cast<uint64_t>(win_base_) << 28; }

 protected:
  bool reg_read(uint32_t offset, uint32_t &value) override;
  bool reg_write(uint32_t offset, uint32_t value) override;

 private:
  std::function<void(const std::string &)> listener_;
  std::string partial_;
  std::vector<std::string> lines_;
  sc_core::sc_event line_ev_;
  uint32_t now_hi_latched_ = 0;
  uint32_t win_chip_ = 0, win_base_ = 0;
};

}  // namespace ncv::devices
