// AXI4 slave pins -> TLM-2.0 initiator: how a Verilated AXI4 master (the tile's instruction
// fetch and DMA) reaches TLM targets (the chip interconnect, HBM). INCR bursts of any
// length and size, narrow and unaligned transfers, write strobes, several outstanding
// reads and writes in order per direction. Each beat is one b_transport of the beat's
// bytes (byte enables from WSTRB); the annotated delay holds the beat's response back
// until that much simulated time has passed. TLM_ADDRESS_ERROR_RESPONSE answers DECERR,
// any other error SLVERR. The b_transports are made by one SC_THREAD per direction, so a
// target may wait (a remote chip through the NSP fabric); a target that returns at once
// (HBM) sees them at the same simulated time as the handshake.
//
// Clocking (system.md "Time and clocks"): handshakes are sampled at the rising edge (a
// process triggered by the edge sees the values from before it) and the slave's outputs
// change at the falling edge, so they never race the RTL's clock.
//
// Signals are named m_<channel><signal> (the master's view). Their types follow Verilator's
// SystemC port mapping (ncv::sled::pin_t): 1 bit bool,
// 2..32 bits uint32_t, 33..64 uint64_t, wider sc_bv<W>.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <type_traits>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace ncv::bridges {

template <int W>
using axi_pin_t =
    std::conditional_t<W == 1, bool,
                       std::conditional_t<W <= 32, uint32_t, std::conditional_t<W <= 64, uint64_t, sc_dt::sc_bv<W>>>>;

template <int DW, int IDW>
struct Axi4Pins {
  template <int W>
  using sig = sc_core::sc_signal<axi_pin_t<W>>;
  sc_core::sc_signal<bool> awvalid{"m_awvalid"}, awready{"m_awready"};
  sig<IDW> awid{"m_awid"};
  sig<40> awaddr{"m_awaddr"};
  sig<8> awlen{"m_awlen"};
  sig<3> awsize{"m_awsize"};
  sig<2> awburst{"m_awburst"};
  sc_core::sc_signal<bool> wvalid{"m_wvalid"}, wready{"m_wready"}, wlast{"m_wlast"};
  sig<DW> wdata{"m_wdata"};
  sig<DW / 8> wstrb{"m_wstrb"};
  sc_core::sc_signal<bool> bvalid{"m_bvalid"}, bready{"m_bready"};
  sig<IDW> bid{"m_bid"};
  sig<2> bresp{"m_bresp"};
  sc_core::sc_signal<bool> arvalid{"m_arvalid"}, arready{"m_arready"};
  sig<IDW> arid{"m_arid"};
  sig<40> araddr{"m_araddr"};
  sig<8> arlen{"m_arlen"};
  sig<3> arsize{"m_arsize"};
  sig<2> arburst{"m_arburst"};
  sc_core::sc_signal<bool> rvalid{"m_rvalid"}, rready{"m_rready"}, rlast{"m_rlast"};
  sig<IDW> rid{"m_rid"};
  sig<DW> rdata{"m_rdata"};
  sig<2> rresp{"m_rresp"};
};

template <int DW, int IDW>
class Axi4SlaveBridge : public sc_core::sc_module {
  static constexpr unsigned kBytes = DW / 8;
  static constexpr unsigned kWorkers = 16;        // b_transports in flight per direction
  static constexpr unsigned kReadSlots = 2 * 256;  // read beats held (fetched or in flight)

 public:
  tlm_utils::simple_initiator_socket<Axi4SlaveBridge> isock{"isock"};
  sc_core::sc_in<bool> clk{"clk"};
  sc_core::sc_in<bool> rst_n{"rst_n"};

  // `max_outstanding` bursts per direction are accepted before AR/AW READY drop.
  Axi4SlaveBridge(sc_core::sc_module_name name, Axi4Pins<DW, IDW> &pins, unsigned max_outstanding = 8)
      : sc_module(name), p_(pins), max_(max_outstanding) {
    SC_HAS_PROCESS(Axi4SlaveBridge);
    SC_METHOD(sample);
    sensitive << clk.pos();
    dont_initialize();
    SC_METHOD(drive);
    sensitive << clk.neg();
    dont_initialize();
    for (unsigned i = 0; i < kWorkers; ++i) {  // SC_THREAD with a name per worker
      declare_thread_process(rw_handle, sc_core::sc_gen_unique_name("read_worker"), SC_CURRENT_USER_MODULE,
                             read_worker);
      declare_thread_process(ww_handle, sc_core::sc_gen_unique_name("write_worker"), SC_CURRENT_USER_MODULE,
                             write_worker);
    }
  }

  uint64_t read_beats() const { return rbeats_; }
  uint64_t write_beats() const { return wbeats_; }
  uint64_t errors() const { return errors_; }

 private:
  struct Burst {
    uint32_t id = 0;
    uint64_t addr = 0;
    unsigned beats = 1, size = 0, done = 0;
    uint32_t resp = 0;  // worst response so far (writes)
  };
  struct Beat {  // a read beat's slot: it goes out once read (ready) and `at` has passed
    uint32_t id = 0, resp = 0;
    bool last = false, ready = false;
    sc_core::sc_time at;
    std::vector<uint8_t> lanes;
  };
  struct RJob {  // a read beat to fetch from the target into slot `slot` (absolute index)
    uint64_t slot = 0, addr = 0;
    unsigned lo = 0, hi = 0;
  };
  struct WBurst {  // a write burst whose beats are being written
    uint32_t id = 0;
    unsigned beats = 0, done = 0;
    bool closed = false;  // all its beats are in
    uint32_t resp = 0;    // worst response so far
    sc_core::sc_time at;  // its response time: the latest beat's
  };
  struct Bresp {
    uint32_t id = 0, resp = 0;
    sc_core::sc_time at;
  };
  struct WBeat {  // a write beat received, to be written by a write worker
    uint64_t burst = 0;  // absolute index of its WBurst
    uint64_t addr = 0;
    unsigned lo = 0, hi = 0;
    bool all = true;
    uint8_t lanes[kBytes], be[kBytes];
  };

  static uint64_t to_u64(const axi_pin_t<40> &v) { return uint64_t(v); }
  template <typename T>
  static uint32_t to_u32(const T &v) {
    if constexpr (std::is_same_v<T, bool>)
      return v ? 1u : 0u;
    else if constexpr (std::is_integral_v<T>)
      return uint32_t(v);
    else
      return uint32_t(v.to_uint());
  }
  static void to_lanes(const axi_pin_t<DW> &v, uint8_t *out) {
    if constexpr (DW <= 64) {
      const uint64_t x = uint64_t(v);
      for (unsigned i = 0; i < kBytes; ++i) out[i] = uint8_t(x >> (8 * i));
    } else {
      for (unsigned i = 0; i < kBytes; ++i) out[i] = uint8_t(v.range(8 * i + 7, 8 * i).to_uint());
    }
  }
  static axi_pin_t<DW> from_lanes(const uint8_t *in) {
    if constexpr (DW <= 64) {
      uint64_t x = 0;
      for (unsigned i = 0; i < kBytes; ++i) x |= uint64_t(in[i]) << (8 * i);
      return axi_pin_t<DW>(x);
    } else {
      axi_pin_t<DW> v;
      for (unsigned i = 0; i < kBytes; ++i) v.range(8 * i + 7, 8 * i) = in[i];
      return v;
    }
  }
  static uint64_t strobes(const axi_pin_t<DW / 8> &v) {
    if constexpr (DW / 8 <= 64)
      return uint64_t(v);
    else
      return v.to_uint64();
  }
  // Address of beat i of an INCR burst: the first beat at the burst's address, later ones
  // at the next size-aligned addresses.
  static uint64_t beat_addr(const Burst &b, unsigned i) {
    const uint64_t n = 1ull << b.size;
    return i == 0 ? b.addr : (b.addr & ~(n - 1)) + uint64_t(i) * n;
  }

  uint32_t transport(tlm::tlm_command cmd, uint64_t addr, uint8_t *data, unsigned len, uint8_t *be,
                     sc_core::sc_time &delay) {
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(addr);
    gp.set_data_ptr(data);
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    gp.set_byte_enable_ptr(be);
    gp.set_byte_enable_length(be ? len : 0);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    isock->b_transport(gp, delay);
    if (gp.get_response_status() == tlm::TLM_OK_RESPONSE) return 0;
    ++errors_;
    return gp.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE ? 3u : 2u;
  }

  // The bytes of beat i that carry data: [lo, hi) within the bus word.
  static void beat_span(const Burst &b, unsigned i, unsigned &lo, unsigned &hi) {
    const uint64_t a = beat_addr(b, i), n = 1ull << b.size;
    lo = unsigned(a % kBytes);
    hi = unsigned(((a & ~(n - 1)) + n - 1) % kBytes) + 1;
  }

  void sample() {  // rising edge: what happened at this edge
    if (!rst_n.read()) {
      reads_.clear();
      writes_.clear();
      wq_.clear();
      wbursts_.clear();
      rjobs_.clear();
      rbeats_q_.clear();
      bq_.clear();
      wb_pending_ = 0;
      wbase_ = rbase_ = 0;
      ++gen_;  // the workers drop what they were doing
      return;
    }
    if (p_.arvalid.read() && p_.arready.read()) {
      Burst b;
      b.id = to_u32(p_.arid.read());
      b.addr = to_u64(p_.araddr.read());
      b.beats = to_u32(p_.arlen.read()) + 1;
      b.size = to_u32(p_.arsize.read());
      reads_.push_back(b);
    }
    if (p_.awvalid.read() && p_.awready.read()) {
      Burst b;
      b.id = to_u32(p_.awid.read());
      b.addr = to_u64(p_.awaddr.read());
      b.beats = to_u32(p_.awlen.read()) + 1;
      b.size = to_u32(p_.awsize.read());
      writes_.push_back(b);
    }
    if (p_.wvalid.read() && p_.wready.read() && !writes_.empty()) {
      Burst &b = writes_.front();
      if (b.done == 0) {
        WBurst wb;
        wb.id = b.id;
        wbursts_.push_back(wb);
      }
      WBeat w;
      w.burst = wbase_ + wbursts_.size() - 1;
      w.addr = beat_addr(b, b.done);
      to_lanes(p_.wdata.read(), w.lanes);
      const uint64_t st = strobes(p_.wstrb.read());
      beat_span(b, b.done, w.lo, w.hi);
      for (unsigned i = w.lo; i < w.hi; ++i) w.be[i] = ((st >> i) & 1u) ? 0xFF : 0x00;
      for (unsigned i = w.lo; i < w.hi; ++i) w.all = w.all && w.be[i];
      ++wbeats_;
      ++wbursts_.back().beats;
      if (++b.done == b.beats || p_.wlast.read()) {
        wbursts_.back().closed = true;
        ++wb_pending_;
        writes_.pop_front();
      }
      wq_.push_back(w);
      wev_.notify();
    }
    if (p_.rvalid.read() && p_.rready.read() && !rbeats_q_.empty()) {
      rbeats_q_.pop_front();
      ++rbase_;
    }
    if (p_.bvalid.read() && p_.bready.read() && !bq_.empty()) bq_.pop_front();
    // Read bursts become beat slots (in order) and jobs for the read workers.
    while (!reads_.empty() && rbeats_q_.size() + reads_.front().beats <= kReadSlots) {
      const Burst b = reads_.front();
      reads_.pop_front();
      for (unsigned i = 0; i < b.beats; ++i) {
        Beat x;
        x.id = b.id;
        x.last = i + 1 == b.beats;
        rbeats_q_.push_back(x);
        RJob j;
        j.slot = rbase_ + rbeats_q_.size() - 1;
        j.addr = beat_addr(b, i);
        beat_span(b, i, j.lo, j.hi);
        rjobs_.push_back(j);
      }
      rev_.notify();
    }
  }

  // Write workers: each takes the next received beat and writes it to the target; a burst's
  // response is queued once all its beats are written, bursts in order. With a target that
  // returns at once one worker writes every beat in order in the same delta; a target that
  // waits (a remote chip) gets up to kWorkers beats in flight, issued in order.
  void write_worker() {
    for (;;) {
      while (wq_.empty()) wait(wev_);
      WBeat w = wq_.front();
      wq_.pop_front();
      const uint64_t gen = gen_;
      sc_core::sc_time d = sc_core::SC_ZERO_TIME;
      const uint32_t r = transport(tlm::TLM_WRITE_COMMAND, w.addr, w.lanes + w.lo, w.hi - w.lo,
                                   w.all ? nullptr : w.be + w.lo, d);
      if (gen != gen_) continue;
      WBurst &b = wbursts_[w.burst - wbase_];
      ++b.done;
      b.resp = std::max(b.resp, r);
      b.at = std::max(b.at, sc_core::sc_time_stamp() + d);
      while (!wbursts_.empty() && wbursts_.front().closed && wbursts_.front().done == wbursts_.front().beats) {
        bq_.push_back({wbursts_.front().id, wbursts_.front().resp, wbursts_.front().at});
        wbursts_.pop_front();
        ++wbase_;
        --wb_pending_;
      }
    }
  }

  // Read workers: each takes the next beat job and fills its slot; beats leave in order.
  void read_worker() {
    for (;;) {
      while (rjobs_.empty()) wait(rev_);
      const RJob j = rjobs_.front();
      rjobs_.pop_front();
      const uint64_t gen = gen_;
      uint8_t lanes[kBytes] = {};
      sc_core::sc_time d = sc_core::SC_ZERO_TIME;
      const uint32_t r = transport(tlm::TLM_READ_COMMAND, j.addr, lanes + j.lo, j.hi - j.lo, nullptr, d);
      if (gen != gen_) continue;
      Beat &x = rbeats_q_[j.slot - rbase_];
      x.lanes.assign(lanes, lanes + kBytes);
      x.resp = r;
      x.at = sc_core::sc_time_stamp() + d;
      x.ready = true;
      ++rbeats_;
    }
  }

  void drive() {  // falling edge: the slave's outputs for the next rising edge
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    const bool run = rst_n.read();
    p_.arready.write(run && reads_.size() < max_);
    p_.awready.write(run && writes_.size() + wb_pending_ < max_);
    p_.wready.write(run && !writes_.empty());
    const bool rv = run && !rbeats_q_.empty() && rbeats_q_.front().ready && rbeats_q_.front().at <= now;
    p_.rvalid.write(rv);
    if (rv) {
      const Beat &x = rbeats_q_.front();
      p_.rid.write(axi_pin_t<IDW>(x.id));
      p_.rresp.write(x.resp);
      p_.rlast.write(x.last);
      p_.rdata.write(from_lanes(x.lanes.data()));
    } else {
      p_.rlast.write(false);
    }
    const bool bv = run && !bq_.empty() && bq_.front().at <= now;
    p_.bvalid.write(bv);
    if (bv) {
      p_.bid.write(axi_pin_t<IDW>(bq_.front().id));
      p_.bresp.write(bq_.front().resp);
    }
  }

  Axi4Pins<DW, IDW> &p_;
  unsigned max_;
  std::deque<Burst> reads_, writes_;
  std::deque<Beat> rbeats_q_;
  std::deque<Bresp> bq_;
  std::deque<WBeat> wq_;
  std::deque<WBurst> wbursts_;
  std::deque<RJob> rjobs_;
  uint64_t wbase_ = 0, rbase_ = 0;  // absolute indices of wbursts_.front(), rbeats_q_.front()
  unsigned wb_pending_ = 0;         // bursts whose beats are all in, not yet answered
  uint64_t gen_ = 0;                // bumped at reset
  sc_core::sc_event rev_, wev_;
  uint64_t rbeats_ = 0, wbeats_ = 0, errors_ = 0;
};

}  // namespace ncv::bridges
