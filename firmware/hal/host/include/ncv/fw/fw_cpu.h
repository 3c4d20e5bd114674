// Host-compiled execution context of the sled firmware: an SC_THREAD that runs the C
// firmware; every HAL access is a blocking TLM transaction on the management bus whose
// annotated delay is waited out, so firmware time is simulated time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace ncv::fw {

class FwCpu : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<FwCpu> isock;

  // `entry` is the firmware's main; it runs once in the module's thread, after `start_delay`.
  FwCpu(sc_core::sc_module_name name, std::function<int()> entry,
        sc_core::sc_time start_delay = sc_core::sc_time(10, sc_core::SC_NS));

  // The CPU whose thread is running (HAL calls from firmware code land here).
  static FwCpu &current();

  // Interrupt line `line` (0..31; sled_map.h SLED_IRQ_*) of the firmware's interrupt
  // controller: its level, and an event notified when it may have changed (nullptr: the
  // level is sampled every `irq_poll`).
  void set_irq_line(unsigned line, std::function<bool()> level, const sc_core::sc_event *change);
  // Levels of the lines in `mask` (bit n = line n) that are high.
  uint32_t irq_pending(uint32_t mask) const;
  // Waits until a line in `mask` is high or `timeout_ns` of simulated time passed;
  // returns the high lines of `mask` (0 on a timeout).
  uint32_t wait_irq(uint32_t mask, uint64_t timeout_ns);

  uint32_t read32(uint32_t addr);
  void write32(uint32_t addr, uint32_t value);
  void delay_ns(uint64_t ns);

  // The HAL log ring (hal.h): the last HAL_LOG_LINES lines; count() since power-on.
  void log_append(const std::string &line);
  uint32_t log_count() const { return log_count_; }
  // Line `seq` if still in the ring (false otherwise).
  bool log_line(uint32_t seq, std::string &out) const;

  // Sled reset: the firmware's next HAL call (or the wait it is in) unwinds its stack, and
  // after `hold` the entry runs again from the start, as after power-on. Works while the
  // firmware runs or after it returned.
  void restart(sc_core::sc_time hold);
  unsigned restarts() const { return restarts_; }

  bool finished() const { return finished_; }
  int exit_code() const { return exit_code_; }
  const sc_core::sc_event &finished_event() const { return done_ev_; }
  uint64_t accesses() const { return accesses_; }

  // First failed access since the last clear.
  bool fault(uint32_t *addr) const;
  void fault_clear() { fault_ = false; }

 private:
  void run();
  void access(tlm::tlm_command cmd, uint32_t addr, uint32_t &data);

  std::function<int()> entry_;
  sc_core::sc_time start_delay_;
  bool finished_ = false;
  int exit_code_ = 0;
  sc_core::sc_event done_ev_;
  bool fault_ = false;
  uint32_t fault_addr_ = 0;
  uint64_t accesses_ = 0;
  bool restart_pending_ = false;
  sc_core::sc_time restart_hold_;
  sc_core::sc_event restart_ev_;
  unsigned restarts_ = 0;
  void check_restart();
  std::vector<std::string> log_ring_;
  uint32_t log_count_ = 0;
  struct IrqLine {
    std::function<bool()> level;
    const sc_core::sc_event *change = nullptr;
  };
  std::vector<IrqLine> irq_;
  sc_core::sc_time irq_poll_ = sc_core::sc_time(100, sc_core::SC_NS);
};

}  // namespace ncv::fw
