#include "ncv/devices/sled_devices.h"

#include <cstring>
#include <stdexcept>

#include "ncv/tb/rng.h"
#include "sled_dev_regs.h"

namespace ncv::devices {

namespace {
constexpr uint32_t kFlashWords = SledDevices::kFlashBytes / 4;
static_assert(SLED_DEV_FLASH_DATA_COUNT == kFlashWords, "flash size differs from sled_dev.rdl");
}  // namespace

SledDevices::SledDevices(sc_core::sc_module_name name, const SledDevicesOptions &opt)
    : RegDevice(name, sc_core::sc_time(10, sc_core::SC_NS)),
      pll_cfg_(SLED_DEV_CLK_PLL_CFG_RESET),
      pll_lock_ns_(opt.pll_lock_ns),
      temp_(SLED_DEV_SENS_TEMP_COUNT, opt.temp_milli_c),
      power_mw_(opt.power_mw) {
  if (opt.rails < 1 || opt.rails > 8)
    throw std::invalid_argument("sled devices: option rails = " + std::to_string(opt.rails) + ": expected 1..8");
  if (opt.rail_delay_min_ns > opt.rail_delay_max_ns)
    throw std::invalid_argument("sled devices: option rail_delay_min_ns = " + std::to_string(opt.rail_delay_min_ns) +
                                ": expected <= rail_delay_max_ns (" + std::to_string(opt.rail_delay_max_ns) + ")");
  for (unsigned r = 0; r < opt.rails; ++r) {
    ncv::tb::Rng rng(opt.seed, "devices.power.rail" + std::to_string(r));
    rail_delay_.push_back(rng.range(opt.rail_delay_min_ns, opt.rail_delay_max_ns));
  }
  rail_on_at_.assign(opt.rails, 0);
  load_flash(opt.flash.empty() ? default_flash(opt.seed) : opt.flash);
  SC_HAS_PROCESS(SledDevices);
  SC_METHOD(wdt_method);
  sensitive << wdt_ev_;
  dont_initialize();
}

std::vector<uint8_t> SledDevices::default_flash(uint64_t seed) {
  ncv::tb::Rng rng(seed, "devices.flash.serial");
  const uint32_t words[4] = {kFlashMagic, 1u, 0x5E000000u | static_cast<uint32_t>(rng.range(0, 0xFFFFFF)), kFlashBytes};
  std::vector<uint8_t> img(kFlashBytes, 0);
  std::memcpy(img.data(), words, sizeof words);
  return img;
}

void SledDevices::load_flash(const std::vector<uint8_t> &image) {
  if (image.size() > kFlashBytes)
    throw std::invalid_argument("sled devices: flash image of " + std::to_string(image.size()) +
                                " bytes: expected at most " + std::to_string(kFlashBytes));
  flash_.assign(kFlashBytes, 0);
  std::memcpy(flash_.data(), image.data(), image.size());
}

uint32_t SledDevices::power_good() const {
  const uint64_t now = now_ns();
  uint32_t good = 0;
  for (unsigned r = 0; r < rails(); ++r) {
    const bool on = (pwr_enable_ >> r) & 1u, stuck = (rail_stuck_ >> r) & 1u;
    if (on && !stuck && now >= rail_on_at_[r] + rail_delay_[r]) good |= 1u << r;
  }
  return good;
}

void SledDevices::inject_rail_stuck(unsigned rail, bool stuck) {
  if (rail >= rails())
    throw std::invalid_argument("sled devices: inject_rail_stuck rail " + std::to_string(rail) + ": expected 0.." +
                                std::to_string(rails() - 1));
  rail_stuck_ = stuck ? (rail_stuck_ | (1u << rail)) : (rail_stuck_ & ~(1u << rail));
}

bool SledDevices::pll_cfg_valid() const {
  const uint32_t mult = (pll_cfg_ & SLED_DEV_CLK_PLL_CFG_MULT_MASK) >> SLED_DEV_CLK_PLL_CFG_MULT_SHIFT;
  const uint32_t div = (pll_cfg_ & SLED_DEV_CLK_PLL_CFG_DIV_MASK) >> SLED_DEV_CLK_PLL_CFG_DIV_SHIFT;
  if (mult == 0 || div == 0) return false;
  const uint32_t mhz = 100u * mult / div;
  return mhz >= 100u && mhz <= 2000u;
}

uint32_t SledDevices::pll_mhz() const {
  const uint32_t mult = (pll_cfg_ & SLED_DEV_CLK_PLL_CFG_MULT_MASK) >> SLED_DEV_CLK_PLL_CFG_MULT_SHIFT;
  const uint32_t div = (pll_cfg_ & SLED_DEV_CLK_PLL_CFG_DIV_MASK) >> SLED_DEV_CLK_PLL_CFG_DIV_SHIFT;
  return div ? 100u * mult / div : 0u;
}

bool SledDevices::pll_locked() const {
  return (pll_ctrl_ & SLED_DEV_CLK_PLL_CTRL_ENABLE_MASK) && pll_cfg_valid() && !pll_no_lock_ &&
         now_ns() >= pll_on_at_ + pll_lock_ns_;
}

void SledDevices::wdt_restart() {
  wdt_ev_.cancel();
  if (!(wdt_ctrl_ & SLED_DEV_WDT_CTRL_ENABLE_MASK)) return;
  const sc_core::sc_time t(static_cast<double>(wdt_timeout_us_ ? wdt_timeout_us_ : 1u), sc_core::SC_US);
  wdt_deadline_ = sc_core::sc_time_stamp() + t;
  wdt_ev_.notify(t);
}

void SledDevices::wdt_method() {
  if (!(wdt_ctrl_ & SLED_DEV_WDT_CTRL_ENABLE_MASK) || sc_core::sc_time_stamp() < wdt_deadline_) return;
  wdt_status_ |= SLED_DEV_WDT_STATUS_EXPIRED_MASK | SLED_DEV_WDT_STATUS_RESET_REQ_MASK;
  ++wdt_expiries_;
  reset_ev_.notify(sc_core::SC_ZERO_TIME);
  if (reset_listener_) reset_listener_();
}

bool SledDevices::reg_read(uint32_t offset, uint32_t &v) {
  if (offset >= SLED_DEV_SENS_TEMP(0) && offset < SLED_DEV_SENS_TEMP(SLED_DEV_SENS_TEMP_COUNT)) {
    v = temp_[(offset - SLED_DEV_SENS_TEMP(0)) / 4];
    return true;
  }
  if (offset >= SLED_DEV_FLASH_DATA(0) && offset < SLED_DEV_FLASH_DATA(SLED_DEV_FLASH_DATA_COUNT)) {
    std::memcpy(&v, flash_.data() + (offset - SLED_DEV_FLASH_DATA(0)), 4);
    return true;
  }
  switch (offset) {
    case SLED_DEV_TIMER_NOW_LO: {
      const uint64_t ns = now_ns();
      now_hi_latched_ = static_cast<uint32_t>(ns >> 32);
      v = static_cast<uint32_t>(ns);
      return true;
    }
    case SLED_DEV_TIMER_NOW_HI: v = now_hi_latched_; return true;
    case SLED_DEV_WDT_CTRL: v = wdt_ctrl_; return true;
    case SLED_DEV_WDT_TIMEOUT: v = wdt_timeout_us_; return true;
    case SLED_DEV_WDT_KICK: v = 0; return true;
    case SLED_DEV_WDT_STATUS: v = wdt_status_; return true;
    case SLED_DEV_WDT_EXPIRE_COUNT: v = wdt_expiries_; return true;
    case SLED_DEV_WDT_KICK_COUNT: v = wdt_kicks_; return true;
    case SLED_DEV_SENS_POWER: v = power_mw_; return true;
    case SLED_DEV_PWR_INFO: v = rails(); return true;
    case SLED_DEV_PWR_ENABLE: v = pwr_enable_; return true;
    case SLED_DEV_PWR_GOOD: v = power_good(); return true;
    case SLED_DEV_CLK_PLL_CFG: v = pll_cfg_; return true;
    case SLED_DEV_CLK_PLL_CTRL: v = pll_ctrl_; return true;
    case SLED_DEV_CLK_PLL_STATUS:
      v = (pll_locked() ? SLED_DEV_CLK_PLL_STATUS_LOCKED_MASK : 0u) |
          ((pll_ctrl_ & SLED_DEV_CLK_PLL_CTRL_ENABLE_MASK) && !pll_cfg_valid() ? SLED_DEV_CLK_PLL_STATUS_BAD_CFG_MASK
                                                                               : 0u);
      return true;
    case SLED_DEV_CLK_FREQ: v = clock_mhz(); return true;
    case SLED_DEV_FLASH_SIZE: v = kFlashBytes; return true;
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
    case SLED_DEV_WDT_CTRL: {
      const bool was = wdt_ctrl_ & SLED_DEV_WDT_CTRL_ENABLE_MASK;
      wdt_ctrl_ = v & SLED_DEV_WDT_CTRL_ENABLE_MASK;
      if (!was || !wdt_ctrl_) wdt_restart();  // enabling starts, disabling stops; 1 -> 1 changes nothing
      return true;
    }
    case SLED_DEV_WDT_TIMEOUT: wdt_timeout_us_ = v; return true;
    case SLED_DEV_WDT_KICK:
      if (v != kWdtKey) {
        wdt_status_ |= SLED_DEV_WDT_STATUS_BAD_KICK_MASK;
      } else {
        ++wdt_kicks_;
        wdt_restart();
      }
      return true;
    case SLED_DEV_WDT_STATUS: wdt_status_ &= ~v; return true;
    case SLED_DEV_PWR_ENABLE: {
      const uint32_t mask = (1u << rails()) - 1u, nv = v & mask;
      for (unsigned r = 0; r < rails(); ++r)
        if (((nv & ~pwr_enable_) >> r) & 1u) rail_on_at_[r] = now_ns();
      pwr_enable_ = nv;
      return true;
    }
    case SLED_DEV_CLK_PLL_CFG:
      pll_cfg_ = v & (SLED_DEV_CLK_PLL_CFG_MULT_MASK | SLED_DEV_CLK_PLL_CFG_DIV_MASK);
      if (pll_ctrl_) pll_on_at_ = now_ns();  // reprogrammed while running: it relocks
      return true;
    case SLED_DEV_CLK_PLL_CTRL: {
      const uint32_t nv = v & SLED_DEV_CLK_PLL_CTRL_ENABLE_MASK;
      if (nv && !pll_ctrl_) pll_on_at_ = now_ns();
      pll_ctrl_ = nv;
      return true;
    }
    case SLED_DEV_HBM_WIN_CHIP: win_chip_ = v & SLED_DEV_HBM_WIN_CHIP_CHIP_MASK; return true;
    case SLED_DEV_HBM_WIN_BASE: win_base_ = v & SLED_DEV_HBM_WIN_BASE_BASE_256M_MASK; return true;
    default: return false;  // read-only registers (timer, status, sensors, flash) and holes
  }
}

}  // namespace ncv::devices
