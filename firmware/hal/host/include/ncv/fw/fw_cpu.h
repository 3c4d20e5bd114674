// Host-compiled execution context of the sled firmware: an SC_THREAD that runs the C
// firmware; every HAL access is a blocking TLM transaction on the management bus whose
// annotated delay is waited out, so firmware time is simulated time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

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

  uint32_t read32(uint32_t addr);
  void write32(uint32_t addr, uint32_t value);
  void delay_ns(uint64_t ns);

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
};

}  // namespace ncv::fw
