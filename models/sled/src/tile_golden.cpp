#include "ncv/sled/tile_golden.h"

#include "nct_csr_regs.h"

namespace ncv::sled {

using sc_core::sc_time;

// The model's device memory over TLM. Accesses of an executing instruction (fetch, DMA,
// notification records) are timed b_transport calls whose delays add up; any other access
// (the CSR front looking at the head instruction for STATUS, the scheduler's issue check)
// is an untimed debug transport, so observing the tile does not disturb the memory system.
struct TileGolden::TlmMem : golden::DeviceMemory {
  explicit TlmMem(TileGolden &t) : t_(t) {}
  golden::MemStatus read(uint64_t a, uint8_t *d, size_t n) override {
    return t_.mem_access(tlm::TLM_READ_COMMAND, a, d, n);
  }
  golden::MemStatus write(uint64_t a, const uint8_t *s, size_t n) override {
    return t_.mem_access(tlm::TLM_WRITE_COMMAND, a, const_cast<uint8_t *>(s), n);
  }
  TileGolden &t_;
};

TileGolden::TileGolden(sc_core::sc_module_name name, const golden::TileParams &params)
    : TileIf(name),
      tsock_("csr_tsock"),
      isock_("mem_isock"),
      mem_(std::make_unique<TlmMem>(*this)),
      model_(std::make_unique<golden::TileModel>(params, mem_.get())),
      period_(1, sc_core::SC_NS),
      bus_bytes_(params.AXI_DW / 8) {
  tsock_.register_b_transport(this, &TileGolden::csr_transport);
  SC_HAS_PROCESS(TileGolden);
  SC_THREAD(run_thread);
}

TileGolden::~TileGolden() = default;

void TileGolden::end_of_elaboration() {
  if (auto *c = dynamic_cast<sc_core::sc_clock *>(clk.get_interface())) period_ = c->period();
}

golden::MemStatus TileGolden::mem_access(tlm::tlm_command cmd, uint64_t addr, uint8_t *data, size_t len) {
  tlm::tlm_generic_payload gp;
  gp.set_command(cmd);
  gp.set_address(addr);
  gp.set_data_ptr(data);
  gp.set_data_length(static_cast<unsigned>(len));
  gp.set_streaming_width(static_cast<unsigned>(len));
  gp.set_byte_enable_ptr(nullptr);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  // Timed only for the run thread's own accesses (another process may observe the tile
  // while a transaction of the run thread waits somewhere in the interconnect).
  if (!timed_ || sc_core::sc_get_current_process_handle() != run_proc_) {
    if (isock_->transport_dbg(gp) >= len) return golden::MemStatus::kOk;
    return golden::MemStatus::kDecodeError;
  }
  isock_->b_transport(gp, mem_delay_);
  beats_ += (len + bus_bytes_ - 1) / bus_bytes_;
  switch (gp.get_response_status()) {
    case tlm::TLM_OK_RESPONSE: return golden::MemStatus::kOk;
    case tlm::TLM_ADDRESS_ERROR_RESPONSE: return golden::MemStatus::kDecodeError;
    default: return golden::MemStatus::kBusError;
  }
}

// CSR page: 32-bit accesses at 4-byte aligned offsets, like the AXI-Lite port of the RTL.
void TileGolden::csr_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
  const uint32_t off = static_cast<uint32_t>(gp.get_address()) & 0xFFFu;
  if (gp.get_data_length() != 4 || (off & 3u)) {
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  uint8_t *d = gp.get_data_ptr();
  if (gp.is_write()) {
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) v |= uint32_t(d[i]) << (8 * i);
    model_->csr_write(off, v);
    kick_.notify(sc_core::SC_ZERO_TIME);
  } else {
    const uint32_t v = model_->csr_read(off);
    for (unsigned i = 0; i < 4; ++i) d[i] = uint8_t(v >> (8 * i));
  }
  delay += 4 * period_;  // an AXI-Lite handshake of the RTL's port takes about as long
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

// Executes the model one instruction at a time. A run of work starts at simulated time t0
// with the model's cost-model clock at c0; an instruction that ends at cost-model cycle c
// retires at t0 + (c - c0) tile cycles (decision 0005's cost model: DMA one bus beat per
// cycle). The memory transactions' annotated delays are not added: the cost model already
// times the transfers, and queues overlap their memory traffic as the RTL's do.
void TileGolden::run_thread() {
  run_proc_ = sc_core::sc_get_current_process_handle();
  while (!rst_n.read()) wait(rst_n.posedge_event());
  golden::Core &core = model_->core();
  bool active = false;
  sc_time t0;
  uint64_t c0 = 0;
  for (;;) {
    int q = -1;
    for (unsigned i = 0; i < golden::Core::kQueues && q < 0; ++i) {
      const unsigned c = (rr_ + i) % golden::Core::kQueues;
      if (core.can_issue(c)) q = int(c);
    }
    if (q >= 0) {
      if (!active) active = true, t0 = sc_core::sc_time_stamp(), c0 = core.perf().cycles;
      rr_ = unsigned(q) + 1;
      mem_delay_ = sc_core::SC_ZERO_TIME;
      timed_ = true;
      core.step(unsigned(q));
      timed_ = false;
      const sc_time due = t0 + period_ * double(core.perf().cycles - c0);
      const sc_time now = sc_core::sc_time_stamp();
      if (due > now) wait(due - now);
      continue;
    }
    active = false;
    // Nothing can issue: idle, or blocked. A blocked tile with the watchdog on expires
    // after the watchdog period unless a CSR write (a semaphore, a doorbell) comes first.
    const uint32_t wd = model_->csr_read(NCT_CSR_WATCHDOG);
    if (wd && core.busy()) {
      const sc_time t = sc_core::sc_time_stamp();
      wait(period_ * double(wd), kick_);
      const uint64_t passed = uint64_t((sc_core::sc_time_stamp() - t) / period_);
      timed_ = true;
      model_->advance(passed);  // may expire: error records go to memory
      timed_ = false;
    } else {
      wait(kick_);
    }
  }
}

}  // namespace ncv::sled
