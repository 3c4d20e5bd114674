// The run modes of the tile (system.md "Run modes"): the factory, and the lockstep tile
// (the Verilated RTL with the golden model beside it, every retired instruction compared).
#include <systemc.h>  // Verilator's SystemC mode expects it before its headers

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "nct_csr_regs.h"
#include "ncv/golden/cfg_params.h"
#include "ncv/sled/tile_golden.h"
#include "ncv/sled/tile_if.h"
#include "ncv/sled/tile_rtl.h"
#include "ncv/tb/log.h"
#include "ncv/tb/retire_check.h"

namespace ncv::sled {

bool parse_run_mode(const std::string &s, RunMode &mode) {
  if (s == "rtl") return mode = RunMode::kRtl, true;
  if (s == "golden") return mode = RunMode::kGolden, true;
  if (s == "lockstep") return mode = RunMode::kLockstep, true;
  return false;
}

const char *run_mode_name(RunMode mode) {
  switch (mode) {
    case RunMode::kGolden: return "golden";
    case RunMode::kLockstep: return "lockstep";
    default: return "rtl";
  }
}

namespace {

// Lockstep: the RTL tile serves the chip (CSR reads, memory traffic, irq); the golden
// model gets every CSR write first and is stepped by the RTL's retire trace port through
// the tile testbench's checker (ncv::tb::RetireChecker), which compares order, index,
// opcode and every written byte. The model works on a shadow of the chip's memory: it
// reads the chip's memory (debug transport) and keeps its own writes aside until the
// checker has compared them with what the RTL wrote. CSR reads of configuration registers
// are compared too. The first difference on a chip is one ERROR line; that chip's
// checking stops there.
class TileLockstep : public TileIf {
 public:
  TileLockstep(sc_core::sc_module_name name, const TileOptions &opt)
      : TileIf(name),
        rtl_("rtl", opt.clock_gate, opt.clock_gate_uncorrected),
        csr_t_("csr_tsock"),
        csr_i_("csr_isock"),
        mem_t_("mem_tsock"),
        mem_i_("mem_isock"),
        shadow_(mem_i_),
        model_(golden::cfg_tile_params(), &shadow_),
        checker_(
            model_, tb::Log::get(),
            [this](unsigned space, unsigned part, uint64_t lo, uint8_t *d, size_t n) {
              if (space == 2) return shadow_.chip_read(lo, d, n);
              for (size_t i = 0; i < n; ++i) d[i] = rtl_.buf_byte(space, part, uint32_t(lo + i));
            },
            [this](unsigned, unsigned, uint64_t lo, uint8_t *d, size_t n) { shadow_.read(lo, d, n); }, "LOCKSTEP",
            "chip" + std::to_string(opt.chip) + " "),
        chip_(opt.chip),
        inject_(opt.lockstep_inject) {
    rtl_.clk(clk);
    rtl_.rst_n(rst_n);
    csr_i_.bind(rtl_.csr_socket());
    rtl_.mem_socket().bind(mem_t_);
    csr_t_.register_b_transport(this, &TileLockstep::csr_transport);
    mem_t_.register_b_transport(this, &TileLockstep::mem_transport);
    mem_t_.register_transport_dbg(this, &TileLockstep::mem_dbg);
    // +lockstep_inject=N: the model's first written byte of the N-th writing retirement
    // is flipped before the comparison (the checker's negative test).
    checker_.before_compare = [this](const std::vector<golden::Span> &spans) {
      if (!inject_ || ++writing_ != inject_) return;
      const golden::Span &s = spans.front();
      const golden::TileParams &p = model_.params();
      if (s.space == 2) {
        shadow_.flip(s.lo);
      } else {
        auto &b = model_.core().buffers();
        (s.space ? b.psum : b.sbuf)[size_t(s.partition) * (s.space ? p.PSUM_PART_BYTES : p.SBUF_PART_BYTES) + s.lo] ^=
            0x01;
      }
    };
    SC_HAS_PROCESS(TileLockstep);
    SC_METHOD(sample);
    sensitive << clk.pos();
    dont_initialize();
  }

  tlm::tlm_target_socket<> &csr_socket() override { return csr_t_; }
  tlm::tlm_initiator_socket<> &mem_socket() override { return mem_i_; }
  bool irq() const override { return rtl_.irq(); }
  uint64_t mem_beats() const override { return rtl_.mem_beats(); }
  void trace(VerilatedFstSc *tfp, int levels) override { rtl_.trace(tfp, levels); }
  RunMode mode() const override { return RunMode::kLockstep; }
  uint64_t lockstep_checked() const override { return checker_.checked(); }
  uint64_t gated_edges() const override { return rtl_.gated_edges(); }

 private:
  // The golden model's device memory: the chip's memory, with the model's own writes kept
  // aside (per byte) until the checker compared them.
  struct Shadow : golden::DeviceMemory {
    explicit Shadow(tlm_utils::simple_initiator_socket<TileLockstep> &s) : sock(s) {}
    bool dbg(tlm::tlm_command cmd, uint64_t a, uint8_t *d, size_t n) {
      tlm::tlm_generic_payload gp;
      gp.set_command(cmd);
      gp.set_address(a);
      gp.set_data_ptr(d);
      gp.set_data_length(static_cast<unsigned>(n));
      gp.set_streaming_width(static_cast<unsigned>(n));
      gp.set_byte_enable_ptr(nullptr);
      return sock->transport_dbg(gp) >= n;
    }
    void chip_read(uint64_t a, uint8_t *d, size_t n) {
      if (!dbg(tlm::TLM_READ_COMMAND, a, d, n)) std::fill(d, d + n, uint8_t(0));
    }
    golden::MemStatus read(uint64_t a, uint8_t *d, size_t n) override {
      if (!dbg(tlm::TLM_READ_COMMAND, a, d, n)) return golden::MemStatus::kDecodeError;
      for (auto it = over.lower_bound(a); it != over.end() && it->first < a + n; ++it) d[it->first - a] = it->second;
      return golden::MemStatus::kOk;
    }
    golden::MemStatus write(uint64_t a, const uint8_t *s, size_t n) override {
      std::vector<uint8_t> probe(n);
      if (!dbg(tlm::TLM_READ_COMMAND, a, probe.data(), n)) return golden::MemStatus::kDecodeError;
      for (size_t i = 0; i < n; ++i) over[a + i] = s[i];
      return golden::MemStatus::kOk;
    }
    void forget(uint64_t lo, uint64_t hi) { over.erase(over.lower_bound(lo), over.lower_bound(hi)); }
    void flip(uint64_t a) {
      uint8_t b = 0;
      read(a, &b, 1);
      over[a] = uint8_t(b ^ 0x01);
    }
    tlm_utils::simple_initiator_socket<TileLockstep> &sock;
    std::map<uint64_t, uint8_t> over;
  };

  // Configuration registers read the same on both sides at any time; the others depend on
  // the RTL's timing (the model follows the retire trace a cycle late).
  static bool comparable(uint32_t off) {
    switch (off) {
      case NCT_CSR_ID:
      case NCT_CSR_VERSION:
      case NCT_CSR_CONFIG0:
      case NCT_CSR_CONFIG1:
      case NCT_CSR_CTRL:
      case NCT_CSR_INTR_ENABLE:
      case NCT_CSR_WATCHDOG:
      case NCT_CSR_NQ_SIZE: return true;
      default: break;
    }
    for (unsigned q = 0; q < golden::Core::kQueues; ++q)
      if (off == NCT_CSR_Q_SIZE(q) || off == NCT_CSR_Q_TAIL(q) || off == NCT_CSR_Q_CTRL(q)) return true;
    return false;
  }

  void csr_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
    const uint32_t off = static_cast<uint32_t>(gp.get_address()) & 0xFFFu;
    const bool word = gp.get_data_length() == 4 && !(off & 3u);
    uint32_t v = 0;
    if (gp.is_write() && word) {
      for (unsigned i = 0; i < 4; ++i) v |= uint32_t(gp.get_data_ptr()[i]) << (8 * i);
      model_.csr_write(off, v);  // the model first: it never runs ahead of the RTL's trace
      if (off == NCT_CSR_CTRL && (v & NCT_CSR_CTRL_SOFT_RESET_MASK)) shadow_.over.clear();
    }
    csr_i_->b_transport(gp, delay);
    if (!gp.is_read() || !word || gp.get_response_status() != tlm::TLM_OK_RESPONSE || failed_ || !comparable(off))
      return;
    for (unsigned i = 0; i < 4; ++i) v |= uint32_t(gp.get_data_ptr()[i]) << (8 * i);
    const uint32_t exp = model_.csr_read(off);
    if (v != exp) {
      failed_ = true;
      tb::Log::get().error("LOCKSTEP.CSR", "chip" + std::to_string(chip_) + " CSR " + tb::RetireChecker::hex(off, 3) +
                                               ": RTL reads " + tb::RetireChecker::hex(v, 8) + ", golden model " +
                                               tb::RetireChecker::hex(exp, 8));
    }
  }

  void mem_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) { mem_i_->b_transport(gp, delay); }
  unsigned mem_dbg(tlm::tlm_generic_payload &gp) { return mem_i_->transport_dbg(gp); }

  // The retire trace port, sampled at every rising edge (each retirement is on it for one cycle).
  void sample() {
    if (failed_ || !rst_n.read()) return;
    unsigned valid = 0;
    uint64_t index = 0;
    uint32_t ops = 0;
    rtl_.retire_trace(valid, index, ops);
    if (!valid) return;
    const uint64_t cycle = sc_core::sc_time_stamp().value() / period_.value();
    for (unsigned q = 0; q < golden::Core::kQueues; ++q) {
      if (!((valid >> q) & 1u)) continue;
      const bool stepped = checker_.retire(q, uint32_t(index >> (16 * q)) & 0xFFFFu, uint8_t(ops >> (8 * q)), cycle);
      if (checker_.mismatches()) {
        failed_ = true;
        return;
      }
      if (stepped)
        for (const golden::Span &s : checker_.last_spans())
          if (s.space == 2) shadow_.forget(s.lo, s.hi);
    }
  }

  void end_of_elaboration() override {
    if (auto *c = dynamic_cast<sc_core::sc_clock *>(clk.get_interface())) period_ = c->period();
  }

  TileRtl rtl_;
  tlm_utils::simple_target_socket<TileLockstep> csr_t_;
  tlm_utils::simple_initiator_socket<TileLockstep> csr_i_;
  tlm_utils::simple_target_socket<TileLockstep> mem_t_;
  tlm_utils::simple_initiator_socket<TileLockstep> mem_i_;
  Shadow shadow_;
  golden::TileModel model_;
  tb::RetireChecker checker_;
  unsigned chip_;
  uint64_t inject_, writing_ = 0;
  bool failed_ = false;
  sc_core::sc_time period_{1, sc_core::SC_NS};
};

}  // namespace

std::unique_ptr<TileIf> make_tile(sc_core::sc_module_name name, const TileOptions &opt) {
  switch (opt.mode) {
    case RunMode::kGolden: return std::make_unique<TileGolden>(name, golden::cfg_tile_params());
    case RunMode::kLockstep: return std::make_unique<TileLockstep>(name, opt);
    default: return std::make_unique<TileRtl>(name, opt.clock_gate, opt.clock_gate_uncorrected);
  }
}

}  // namespace ncv::sled
