// NspBridge (models/bridges/include/ncv/bridges/nsp_bridge.h) on its own: two bridges whose
// endpoint pins are joined by a loopback wire (no RTL), so each packet can be passed,
// dropped, altered or bounced back as the switch would. Checks the header layout against
// nsp_pkg::hdr_t, remote writes and reads byte-exact (sparse byte enables, > 256 bytes),
// and every error path: DECODE_ERR (route miss bounced by the "switch"), poisoned request,
// target memory error, unmapped target offset, lost request (timeout), late response
// (orphan), CSR page behaviour.
#define BOOST_TEST_MODULE nsp_bridge_tests
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstring>
#include <deque>
#include <functional>
#include <vector>

#include <tlm_utils/simple_target_socket.h>
#include <systemc>

#include "ncv/bridges/nsp_bridge.h"
#include "nsp_ep_csr_regs.h"

using ncv::bridges::NspBridge;
using ncv::bridges::NspEpPins;
using ncv::bridges::NspHeader;

int sc_main(int, char **) { return 0; }

namespace {

using Flit = sc_dt::sc_bv<128>;

// A chip's memory: 64 KiB; beyond it an address error; offsets 0xF000.. a generic error.
struct Mem : sc_core::sc_module {
  tlm_utils::simple_target_socket<Mem> tsock{"tsock"};
  std::vector<uint8_t> m = std::vector<uint8_t>(0x10000, 0);
  explicit Mem(sc_core::sc_module_name n) : sc_module(n) {
    tsock.register_b_transport(this, &Mem::bt);
    tsock.register_transport_dbg(this, &Mem::dbg);
  }
  void bt(tlm::tlm_generic_payload &gp, sc_core::sc_time &d) {
    const uint64_t a = gp.get_address();
    const unsigned n = gp.get_data_length();
    if (a + n > m.size()) return gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    if (a >= 0xF000) return gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    if (gp.is_write())
      std::memcpy(m.data() + a, gp.get_data_ptr(), n);
    else
      std::memcpy(gp.get_data_ptr(), m.data() + a, n);
    d += sc_core::sc_time(10, sc_core::SC_NS);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned dbg(tlm::tlm_generic_payload &gp) {
    sc_core::sc_time d;
    bt(gp, d);
    return gp.is_response_ok() ? gp.get_data_length() : 0;
  }
};

enum class Act { kPass, kDrop, kBounce, kHold };

// The two endpoints' core sides joined through per-VC queues with a packet hook.
struct Bench : sc_core::sc_module {
  sc_core::sc_clock clk{"clk", 1, sc_core::SC_NS};
  sc_core::sc_signal<bool> rst_n{"rst_n", true};
  struct Pins : sc_core::sc_module {  // a scope per endpoint's pins (unique signal names)
    NspEpPins p;
    explicit Pins(sc_core::sc_module_name n) : sc_module(n) {}
  };
  Pins pins_a{"pins_a"}, pins_b{"pins_b"};
  NspEpPins &pa = pins_a.p, &pb = pins_b.p;
  NspBridge a{"a", pa, 0}, b{"b", pb, 1};
  Mem ma{"ma"}, mb{"mb"};
  tlm_utils::simple_initiator_socket<Bench> ia{"ia"}, ca{"ca"}, ib{"ib"}, cb{"cb"};
  // Packet hook: may change the packet (header + data) and decide what happens to it.
  std::function<Act(std::vector<Flit> &)> hook = [](std::vector<Flit> &) { return Act::kPass; };
  std::vector<Flit> held;  // a packet kept back (kHold) for a late delivery
  std::function<void()> body;
  // Per direction (0: a -> b, 1: b -> a): packet being assembled per VC, queues to deliver.
  std::array<std::array<std::vector<Flit>, 4>, 2> asm_;
  std::array<std::array<std::deque<Flit>, 4>, 2> q_;

  explicit Bench(sc_core::sc_module_name n) : sc_module(n) {
    for (NspBridge *x : {&a, &b}) {
      x->clk(clk);
      x->rst_n(rst_n);
    }
    a.local.bind(ma.tsock);
    b.local.bind(mb.tsock);
    ia.bind(a.remote);
    ca.bind(a.csr);
    ib.bind(b.remote);
    cb.bind(b.csr);
    SC_HAS_PROCESS(Bench);
    SC_METHOD(pos);
    sensitive << clk.posedge_event();
    dont_initialize();
    SC_METHOD(neg);
    sensitive << clk.negedge_event();
    dont_initialize();
    SC_THREAD(run);
  }
  NspEpPins &tx(unsigned d) { return d == 0 ? pa : pb; }
  NspEpPins &rx(unsigned d) { return d == 0 ? pb : pa; }
  void deliver(unsigned d, unsigned vc, const std::vector<Flit> &p) {
    for (const auto &f : p) q_[d][vc].push_back(f);
  }
  void pos() {
    for (unsigned d = 0; d < 2; ++d) {
      const uint32_t ov = rx(d).out_valid.read() & rx(d).out_ready.read();
      for (unsigned v = 0; v < 4; ++v)
        if ((ov >> v) & 1u) q_[d][v].pop_front();
      const uint32_t iv = tx(d).in_valid.read() & tx(d).in_ready.read();
      const sc_dt::sc_bv<512> id = tx(d).in_data.read();
      for (unsigned v = 0; v < 4; ++v) {
        if (!((iv >> v) & 1u)) continue;
        auto &pk = asm_[d][v];
        pk.push_back(id.range(128 * v + 127, 128 * v));
        if (pk.size() < NspHeader::unpack(pk[0]).len + 1) continue;
        std::vector<Flit> p;
        p.swap(pk);
        switch (hook(p)) {
          case Act::kPass: deliver(d, NspHeader::unpack(p[0]).vc, p); break;
          case Act::kBounce: deliver(1 - d, NspHeader::unpack(p[0]).vc, p); break;
          case Act::kHold: held = p; break;
          case Act::kDrop: break;
        }
      }
    }
  }
  void neg() {
    for (unsigned d = 0; d < 2; ++d) {
      tx(d).in_ready.write(0xF);
      uint32_t ov = 0;
      sc_dt::sc_bv<512> od;
      for (unsigned v = 0; v < 4; ++v)
        if (!q_[d][v].empty()) {
          ov |= 1u << v;
          od.range(128 * v + 127, 128 * v) = q_[d][v].front();
        }
      rx(d).out_valid.write(ov);
      rx(d).out_data.write(od);
      rx(d).state.write(2);
    }
  }
  tlm::tlm_response_status access(tlm_utils::simple_initiator_socket<Bench> &s, bool wr, uint64_t addr, uint8_t *d,
                                  unsigned n, const uint8_t *be = nullptr, unsigned bel = 0) {
    tlm::tlm_generic_payload gp;
    gp.set_command(wr ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(addr);
    gp.set_data_ptr(d);
    gp.set_data_length(n);
    gp.set_streaming_width(n);
    gp.set_byte_enable_ptr(const_cast<uint8_t *>(be));
    gp.set_byte_enable_length(bel);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time t = sc_core::SC_ZERO_TIME;
    s->b_transport(gp, t);
    wait(t);
    return gp.get_response_status();
  }
  uint32_t csr(uint32_t off, bool wr = false, uint32_t v = 0) {
    access(ca, wr, off, reinterpret_cast<uint8_t *>(&v), 4);
    return v;
  }
  void run() {
    wait(sc_core::sc_time(3, sc_core::SC_NS));
    body();
    sc_core::sc_stop();
  }
};

constexpr uint64_t kB = (1ull << 31);  // chip 1's window (rebased [38:0])

}  // namespace

BOOST_AUTO_TEST_CASE(header_layout_matches_nsp_pkg) {
  NspHeader h;
  h.opcode = 0x2A;
  h.vc = 1;
  h.dst = 0x155;
  h.src = 0x2AA;
  h.tag = 0x5A5;
  h.len = 0x11;
  h.flow = 0x9;
  h.status = 0x3;
  h.poison = true;
  h.ttl = 0xC;
  h.addr = 0xABCDEF012345ull;
  h.byte_en = 0x7ABCDE;
  const Flit f = h.pack();
  // nsp_pkg::hdr_t, MSB first: opcode 127:122, vc 121:120, dst 119:110, src 109:100,
  // tag 99:89, len 88:84, flow 83:80, status 79:76, poison 75, ttl 74:71, addr 70:23,
  // byte_en 22:0.
  BOOST_TEST(f.range(127, 122).to_uint() == 0x2Au);
  BOOST_TEST(f.range(121, 120).to_uint() == 1u);
  BOOST_TEST(f.range(119, 110).to_uint() == 0x155u);
  BOOST_TEST(f.range(109, 100).to_uint() == 0x2AAu);
  BOOST_TEST(f.range(99, 89).to_uint() == 0x5A5u);
  BOOST_TEST(f.range(88, 84).to_uint() == 0x11u);
  BOOST_TEST(f.range(83, 80).to_uint() == 0x9u);
  BOOST_TEST(f.range(79, 76).to_uint() == 0x3u);
  BOOST_TEST(f[75].to_bool());
  BOOST_TEST(f.range(74, 71).to_uint() == 0xCu);
  BOOST_TEST(f.range(70, 23).to_uint64() == 0xABCDEF012345ull);
  BOOST_TEST(f.range(22, 0).to_uint() == 0x7ABCDEu);
  const NspHeader u = NspHeader::unpack(f);
  BOOST_TEST((u.opcode == h.opcode && u.vc == h.vc && u.dst == h.dst && u.src == h.src && u.tag == h.tag &&
              u.len == h.len && u.flow == h.flow && u.status == h.status && u.poison == h.poison &&
              u.ttl == h.ttl && u.addr == h.addr && u.byte_en == h.byte_en));
}

BOOST_AUTO_TEST_CASE(remote_accesses_and_every_error_path) {
  Bench t("bench");
  struct R {
    tlm::tlm_response_status st;
    std::vector<uint8_t> got;
  };
  std::vector<uint8_t> data(600), sparse(64);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 7 + 3);
  for (size_t i = 0; i < sparse.size(); ++i) sparse[i] = uint8_t(0xA0 + i);
  std::array<uint8_t, 8> be = {0xFF, 0xFF, 0, 0, 0xFF, 0, 0xFF, 0xFF};
  std::vector<R> r;
  std::vector<uint32_t> csrs;
  unsigned packets = 0;
  t.body = [&] {
    auto rd = [&](uint64_t a, unsigned n) {
      R x;
      x.got.assign(n, 0);
      x.st = t.access(t.ia, false, a, x.got.data(), n);
      r.push_back(x);
    };
    auto wr = [&](uint64_t a, std::vector<uint8_t> d, const uint8_t *e = nullptr, unsigned el = 0) {
      R x;
      x.st = t.access(t.ia, true, a, d.data(), unsigned(d.size()), e, el);
      r.push_back(x);
    };
    t.hook = [&](std::vector<Flit> &) { ++packets; return Act::kPass; };
    wr(kB + 0x100, data);                           // r0: 600 bytes: 3 packets
    rd(kB + 0x100, 600);                            // r1
    wr(kB + 0x1000, sparse, be.data(), be.size());  // r2: runs of enabled bytes
    rd(kB + 0x1000, 64);                            // r3
    // The "switch" has no route: requests come back as DECODE_ERR responses.
    t.hook = [&](std::vector<Flit> &p) {
      NspHeader h = NspHeader::unpack(p[0]);
      if (h.vc != 0) return Act::kPass;
      h.opcode = h.opcode == ncv::bridges::kNspRd ? ncv::bridges::kNspRdRsp : ncv::bridges::kNspWrRsp;
      h.vc = 1;
      std::swap(h.src, h.dst);
      h.status = ncv::bridges::kNspDecodeErr;
      h.len = 0;
      p.assign(1, h.pack());
      return Act::kBounce;
    };
    wr(kB + 0x200, {1, 2, 3, 4});  // r4
    // A poisoned request is answered POISON and never written.
    t.hook = [&](std::vector<Flit> &p) {
      NspHeader h = NspHeader::unpack(p[0]);
      if (h.vc == 0) h.poison = true;
      p[0] = h.pack();
      return Act::kPass;
    };
    wr(kB + 0x2000, {9, 9, 9, 9});  // r5
    t.hook = [&](std::vector<Flit> &) { return Act::kPass; };
    wr(kB + 0xF000, {1, 2, 3, 4});   // r6: the target's memory fails (TARGET_ABORT)
    rd(kB + 0x20000, 16);            // r7: beyond the target's memory (DECODE_ERR)
    csrs.push_back(t.csr(NSP_EP_CSR_ERR_STATUS));
    csrs.push_back(t.csr(NSP_EP_CSR_LAST_ERR));
    t.csr(NSP_EP_CSR_ERR_STATUS, true, 0xFFFFFFFF);
    // A lost request: the access completes with an error after RESP_TIMEOUT cycles; the
    // response held back and delivered later is an orphan.
    t.csr(NSP_EP_CSR_RESP_TIMEOUT, true, 50);
    t.hook = [&](std::vector<Flit> &p) { return NspHeader::unpack(p[0]).vc == 1 ? Act::kHold : Act::kPass; };
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    rd(kB + 0x100, 16);  // r8
    csrs.push_back(uint32_t((sc_core::sc_time_stamp() - t0) / sc_core::sc_time(1, sc_core::SC_NS)));
    t.hook = [&](std::vector<Flit> &) { return Act::kPass; };
    t.deliver(1, 1, t.held);
    wait(sc_core::sc_time(20, sc_core::SC_NS));
    csrs.push_back(t.csr(NSP_EP_CSR_ERR_STATUS));
    csrs.push_back(t.csr(NSP_EP_CSR_TIMEOUTS));
    csrs.push_back(t.csr(NSP_EP_CSR_OUTSTANDING));
    csrs.push_back(t.csr(NSP_EP_CSR_ID));
    csrs.push_back(t.csr(NSP_EP_CSR_NODE_ID));
    // Unmapped CSR offset: address error.
    uint32_t v = 0;
    csrs.push_back(uint32_t(t.access(t.ca, false, 0x80, reinterpret_cast<uint8_t *>(&v), 4)));
  };
  sc_core::sc_start();
  BOOST_TEST_REQUIRE(r.size() == 9u);
  BOOST_TEST(r[0].st == tlm::TLM_OK_RESPONSE);
  BOOST_TEST(packets >= 6u);  // 3 write packets + 3 responses at least
  BOOST_TEST(r[1].st == tlm::TLM_OK_RESPONSE);
  BOOST_TEST(r[1].got == data);
  BOOST_TEST(std::equal(data.begin(), data.end(), t.mb.m.begin() + 0x100));
  BOOST_TEST(r[2].st == tlm::TLM_OK_RESPONSE);
  for (size_t i = 0; i < sparse.size(); ++i)
    BOOST_TEST(r[3].got[i] == (be[i % be.size()] ? sparse[i] : 0), "byte " << i);
  BOOST_TEST(r[4].st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  BOOST_TEST(r[5].st == tlm::TLM_GENERIC_ERROR_RESPONSE);
  BOOST_TEST(t.mb.m[0x2000] == 0);  // poisoned data never written
  BOOST_TEST(r[6].st == tlm::TLM_GENERIC_ERROR_RESPONSE);
  BOOST_TEST(r[7].st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  BOOST_TEST(csrs[0] == (NSP_EP_CSR_ERR_STATUS_DECODE_ERR_MASK | NSP_EP_CSR_ERR_STATUS_TARGET_ABORT_MASK |
                         NSP_EP_CSR_ERR_STATUS_POISON_MASK));
  BOOST_TEST(csrs[1] == (NSP_EP_CSR_LAST_ERR_VALID_MASK | (1u << NSP_EP_CSR_LAST_ERR_DST_SHIFT) | 1u));
  BOOST_TEST(r[8].st == tlm::TLM_GENERIC_ERROR_RESPONSE);
  BOOST_TEST(csrs[2] >= 50u);
  BOOST_TEST(csrs[2] <= 60u);
  BOOST_TEST(csrs[3] == (NSP_EP_CSR_ERR_STATUS_TIMEOUT_MASK | NSP_EP_CSR_ERR_STATUS_ORPHAN_MASK));
  BOOST_TEST(csrs[4] == 1u);
  BOOST_TEST(csrs[5] == 0u);
  BOOST_TEST(csrs[6] == 0x4E535045u);
  BOOST_TEST(csrs[7] == 0u);
  BOOST_TEST(csrs[8] == uint32_t(tlm::TLM_ADDRESS_ERROR_RESPONSE));
  BOOST_TEST(t.a.stats().orphans == 1u);
  BOOST_TEST(t.b.stats().req_rx >= 6u);
}
