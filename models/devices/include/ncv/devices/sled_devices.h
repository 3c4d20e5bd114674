// Sled devices on the management bus (system.md, sled_dev.rdl): timer, watchdog, console,
// sensors, power sequencer, PLL/clock control, HBM window control and the boot flash.
// The console collects bytes into lines and hands each finished line to a listener (the
// run log, a Python caller). Time-dependent state (power-good, PLL lock) is computed from
// simulated time when read; the watchdog runs its own timed process.
//
// Fault knobs for tests: a rail that never comes good, a PLL that never locks; sensors are
// set by the test bench. Every delay is an option; the rail ramp delays are drawn from the
// run seed (stream "devices.power.rail<r>").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ncv/sc/reg_device.h"

namespace ncv::devices {

struct SledDevicesOptions {
  uint64_t seed = 1;                  // run seed
  unsigned rails = 4;                 // power rails (1..8)
  uint64_t rail_delay_min_ns = 200;   // power-good ramp delay, drawn per rail in [min, max]
  uint64_t rail_delay_max_ns = 1000;  //
  uint64_t pll_lock_ns = 500;         // PLL lock time after enable
  uint32_t temp_milli_c = 40000;      // initial temperature of every chip
  uint32_t power_mw = 0;              // initial sled power
  std::vector<uint8_t> flash;         // boot flash image (<= kFlashBytes); empty: default_flash(seed)
};

class SledDevices : public ncv::sc::RegDevice {
 public:
  static constexpr uint32_t kWdtKey = 0x4B49434Bu;  // "KICK"
  static constexpr uint32_t kFlashBytes = 1024;
  static constexpr uint32_t kFlashMagic = 0x4656434Eu;  // "NCVF"

  // Throws std::invalid_argument (one line: option and what was expected) for bad options.
  explicit SledDevices(sc_core::sc_module_name name, const SledDevicesOptions &opt = {});

  void on_console_line(std::function<void(const std::string &)> f) { listener_ = std::move(f); }
  const std::vector<std::string> &console_lines() const { return lines_; }
  // Notified when a console line is complete.
  const sc_core::sc_event &line_event() const { return line_ev_; }
  uint32_t hbm_win_chip() const { return win_chip_; }
  uint64_t hbm_win_base() const { return static_cast<uint64_t>(win_base_) << 28; }

  // Watchdog: on expiry WDT_STATUS gets EXPIRED and RESET_REQ, the count rises, the
  // listener is called and the event notified; the platform decides what a reset does.
  void on_reset_request(std::function<void()> f) { reset_listener_ = std::move(f); }
  const sc_core::sc_event &reset_request_event() const { return reset_ev_; }
  uint32_t wdt_expiries() const { return wdt_expiries_; }
  uint32_t wdt_kicks() const { return wdt_kicks_; }
  bool reset_requested() const { return (wdt_status_ & 2u) != 0; }

  // Power sequencer.
  unsigned rails() const { return static_cast<unsigned>(rail_delay_.size()); }
  uint64_t rail_delay_ns(unsigned rail) const { return rail_delay_.at(rail); }
  uint32_t power_good() const;
  // Fault knob: the rail never reports power-good (stuck = true) or behaves again.
  void inject_rail_stuck(unsigned rail, bool stuck = true);

  // PLL / clocks.
  bool pll_locked() const;
  uint32_t clock_mhz() const { return pll_locked() ? pll_mhz() : 0; }
  // Fault knob: the PLL never locks.
  void inject_pll_no_lock(bool on = true) { pll_no_lock_ = on; }

  // Sensors, set by the test bench.
  void set_temp_milli_c(unsigned chip, uint32_t milli_c) { temp_.at(chip) = milli_c; }
  void set_power_mw(uint32_t mw) { power_mw_ = mw; }

  // Boot flash (read-only from the bus). Throws std::invalid_argument if too large.
  void load_flash(const std::vector<uint8_t> &image);
  // The default image: word 0 kFlashMagic, 1 format version (1), 2 serial number (from
  // the seed), 3 image bytes; the rest zero.
  static std::vector<uint8_t> default_flash(uint64_t seed);

 protected:
  bool reg_read(uint32_t offset, uint32_t &value) override;
  bool reg_write(uint32_t offset, uint32_t value) override;

 private:
  void wdt_restart();
  void wdt_method();
  uint32_t pll_mhz() const;
  bool pll_cfg_valid() const;
  uint64_t now_ns() const { return sc_core::sc_time_stamp().value() / 1000u; }  // resolution is 1 ps

  std::function<void(const std::string &)> listener_;
  std::string partial_;
  std::vector<std::string> lines_;
  sc_core::sc_event line_ev_;
  uint32_t now_hi_latched_ = 0;
  uint32_t win_chip_ = 0, win_base_ = 0;

  // Watchdog.
  uint32_t wdt_ctrl_ = 0, wdt_timeout_us_ = 1000, wdt_status_ = 0, wdt_expiries_ = 0, wdt_kicks_ = 0;
  sc_core::sc_time wdt_deadline_;
  sc_core::sc_event wdt_ev_, reset_ev_;
  std::function<void()> reset_listener_;

  // Power.
  std::vector<uint64_t> rail_delay_, rail_on_at_;
  uint32_t pwr_enable_ = 0, rail_stuck_ = 0;

  // PLL.
  uint32_t pll_cfg_ = 0, pll_ctrl_ = 0;
  uint64_t pll_on_at_ = 0, pll_lock_ns_ = 0;
  bool pll_no_lock_ = false;

  // Sensors and flash.
  std::vector<uint32_t> temp_;
  uint32_t power_mw_ = 0;
  std::vector<uint8_t> flash_;
};

}  // namespace ncv::devices
