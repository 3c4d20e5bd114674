// Unit tests of the NHI model and the host driver model: one test per rule of host.md
// ("Rules the model enforces and tests check") and one bad case per checker. Commands
// other than queue management need the firmware; here a small in-test responder on the
// device-side registers plays that part (test stimulus: the sled runs the real firmware).
#define BOOST_TEST_MODULE nhi
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ncv/nhi/host_driver.h"
#include "ncv/nhi/host_memory.h"
#include "ncv/nhi/nhi.h"
#include "ncv/nhi/nhi_proto.h"
#include "ncv/sc/word_access.h"
#include "ncv/tb/sc_test_run.h"
#include "nhi_bar0_regs.h"
#include "nhi_dev_regs.h"

using namespace sc_core;
using namespace ncv::nhi;

namespace {

using ncv::tb::test_seed;

// Device memory behind the NHI's dev_dma socket (stands for the management bus).
struct DevMem : sc_module {
  tlm_utils::simple_target_socket<DevMem> tsock{"tsock"};
  std::vector<uint8_t> mem = std::vector<uint8_t>(1 << 16, 0);
  explicit DevMem(sc_module_name n) : sc_module(n) { tsock.register_b_transport(this, &DevMem::bt); }
  void bt(tlm::tlm_generic_payload &gp, sc_time &d) {
    d += sc_time(20, SC_NS);
    const uint64_t a = gp.get_address(), n = gp.get_data_length();
    if (a + n > mem.size()) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (gp.is_read())
      std::memcpy(gp.get_data_ptr(), mem.data() + a, n);
    else
      std::memcpy(mem.data() + a, gp.get_data_ptr(), n);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

// The firmware's part in these tests: takes commands from the device-side mailbox and
// completes them (out of order, seeded), or holds them, or completes them twice.
struct Responder : sc_module {
  tlm_utils::simple_initiator_socket<Responder> sock{"sock"};
  Nhi &nhi;
  bool ready = true, hold = false, twice = false, heartbeat = true;
  sc_time hb_period = sc_time(500, SC_NS);
  std::mt19937_64 rng;
  std::vector<uint32_t> held;
  unsigned resets_seen = 0, popped = 0;

  Responder(sc_module_name n, Nhi &nh, uint64_t s) : sc_module(n), nhi(nh), rng(s) {
    SC_HAS_PROCESS(Responder);
    SC_THREAD(main);
    SC_THREAD(beat);
  }
  uint32_t rd(uint32_t off) {
    uint32_t v = 0;
    BOOST_REQUIRE(ncv::sc::word_access(sock, tlm::TLM_READ_COMMAND, off, v) == tlm::TLM_OK_RESPONSE);
    return v;
  }
  void wr(uint32_t off, uint32_t v) {
    BOOST_REQUIRE(ncv::sc::word_access(sock, tlm::TLM_WRITE_COMMAND, off, v) == tlm::TLM_OK_RESPONSE);
  }
  void complete(uint32_t tag, uint16_t status, uint64_t result) {
    wr(NHI_DEV_CPL_RESULT_LO, static_cast<uint32_t>(result));
    wr(NHI_DEV_CPL_RESULT_HI, static_cast<uint32_t>(result >> 32));
    wr(NHI_DEV_CPL_STATUS, status);
    wr(NHI_DEV_CPL_TAG, tag);
  }
  uint16_t dma(uint64_t host, uint32_t dev, uint32_t len, bool to_host) {
    wr(NHI_DEV_DMA_HOST_LO, static_cast<uint32_t>(host));
    wr(NHI_DEV_DMA_HOST_HI, static_cast<uint32_t>(host >> 32));
    wr(NHI_DEV_DMA_DEV, dev);
    wr(NHI_DEV_DMA_LEN, len);
    wr(NHI_DEV_DMA_CTL, NHI_DEV_DMA_CTL_START_MASK | (to_host ? NHI_DEV_DMA_CTL_DIR_MASK : 0));
    uint32_t st;
    while (!((st = rd(NHI_DEV_DMA_STS)) & NHI_DEV_DMA_STS_DONE_MASK)) wait(sc_time(50, SC_NS));
    wr(NHI_DEV_IRQ_STS, NHI_DEV_IRQ_STS_DMA_DONE_MASK);
    return (st & (NHI_DEV_DMA_STS_ERR_HOST_MASK | NHI_DEV_DMA_STS_ERR_DEV_MASK)) ? NHI_STS_DMA_ERROR : NHI_STS_SUCCESS;
  }
  void main() {
    wr(NHI_DEV_TELEMETRY(0), 0x5E41A1);
    wr(NHI_DEV_DEV_STS, NHI_DEV_DEV_STS_FW_ALIVE_MASK | (ready ? NHI_DEV_DEV_STS_READY_MASK : 0));
    wr(NHI_DEV_IRQ_EN, NHI_DEV_IRQ_EN_CMD_MASK | NHI_DEV_IRQ_EN_RESET_MASK);
    for (;;) {
      if (!nhi.fw_irq().read()) wait(nhi.fw_irq().posedge_event());
      const uint32_t irq = rd(NHI_DEV_IRQ_STS);
      wr(NHI_DEV_IRQ_STS, irq);
      if (irq & NHI_DEV_IRQ_STS_RESET_MASK) ++resets_seen;
      struct C {
        uint32_t tag;
        uint8_t sqe[64];
      };
      std::vector<C> batch;
      for (uint32_t tag; (tag = rd(NHI_DEV_CMD_POP)) != NHI_DEV_NO_CMD;) {
        C c{tag, {}};
        for (unsigned i = 0; i < 16; ++i) {
          const uint32_t w = rd(NHI_DEV_CMD_DW(i));
          std::memcpy(c.sqe + 4 * i, &w, 4);
        }
        ++popped;
        batch.push_back(c);
      }
      std::shuffle(batch.begin(), batch.end(), rng);  // completions may be out of order
      for (const C &c : batch) {
        if (hold) {
          held.push_back(c.tag);
          continue;
        }
        uint16_t cid, st = NHI_STS_SUCCESS;
        uint32_t len, dev;
        uint64_t addr;
        std::memcpy(&cid, c.sqe + 2, 2);
        std::memcpy(&addr, c.sqe + 8, 8);
        std::memcpy(&len, c.sqe + 16, 4);
        std::memcpy(&dev, c.sqe + 20, 4);
        switch (c.sqe[0]) {
          case NHI_OP_WRITE_DEVICE: st = dma(addr, dev, len, false); break;
          case NHI_OP_READ_DEVICE: st = dma(addr, dev, len, true); break;
          case NHI_OP_IDENTIFY:
          case NHI_OP_LINK_STATUS:
          case NHI_OP_RUN_PROGRAM: break;
          default: st = NHI_STS_INVALID_OPCODE; break;
        }
        complete(c.tag, st, 3ull * cid + 1);
        if (twice) complete(c.tag, st, 3ull * cid + 1);
      }
    }
  }
  void beat() {
    uint32_t n = 0;
    for (;;) {
      wait(hb_period);
      if (heartbeat) wr(NHI_DEV_HEARTBEAT, ++n);
    }
  }
};

struct RawInit : sc_module {
  tlm_utils::simple_initiator_socket<RawInit> sock{"sock"};
  explicit RawInit(sc_module_name n) : sc_module(n) {}
  tlm::tlm_response_status write(uint64_t a, const void *d, unsigned n) {
    std::vector<uint8_t> b(static_cast<const uint8_t *>(d), static_cast<const uint8_t *>(d) + n);
    tlm::tlm_generic_payload gp;
    sc_time t = SC_ZERO_TIME;
    gp.set_command(tlm::TLM_WRITE_COMMAND);
    gp.set_address(a);
    gp.set_data_ptr(b.data());
    gp.set_data_length(n);
    gp.set_streaming_width(n);
    sock->b_transport(gp, t);
    return gp.get_response_status();
  }
};

// One independent NHI + host + responder per test (all built before the first sc_start).
struct Rig {
  Nhi nhi;
  HostMemory mem;
  HostDriver drv;
  DevMem devmem;
  Responder fw;
  explicit Rig(const std::string &n, uint64_t s)
      : nhi((n + "_nhi").c_str(), NhiParams()),
        mem((n + "_mem").c_str()),
        drv((n + "_drv").c_str(), mem),
        devmem((n + "_devmem").c_str()),
        fw((n + "_fw").c_str(), nhi, s) {
    drv.bar0.bind(nhi.bar0().tsock);
    drv.bar2.bind(nhi.bar2().tsock);
    nhi.host_dma.bind(mem.tsock);
    nhi.dev_dma.bind(devmem.tsock);
    fw.sock.bind(nhi.dev().tsock);
  }
};

struct Bench {
  std::map<std::string, std::unique_ptr<Rig>> rigs;
  HostMemory lone_mem{"lone_mem"};
  RawInit raw{"raw"};
  Bench() {
    for (const char *n :
         {"up", "wrap", "db", "rnd", "twice", "reset", "msix", "dma", "chk", "ka", "notready", "rst_chk", "qm", "sreset"})
      rigs[n] = std::make_unique<Rig>(n, test_seed());
    rigs["notready"]->fw.ready = false;
    raw.sock.bind(lone_mem.tsock);
  }
};

Bench &bench() {
  static Bench b;
  return b;
}
Rig &rig(const std::string &n) {
  return *bench().rigs.at(n);
}

// Runs `body` in a SystemC thread until it returns (bounded in simulated time).
void run(std::function<void()> body, sc_time limit = sc_time(50, SC_MS)) {
  bench();
  ncv::tb::run_sc_test(body, limit, sc_time(20, SC_US));
}

const sc_time T = sc_time(200, SC_US);

bool has_error(const std::vector<std::string> &errs, const std::string &what) {
  for (const auto &e : errs)
    if (e.find(what) != std::string::npos) return true;
  return false;
}

Command cmd(uint8_t op) {
  Command c;
  c.opcode = op;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(bring_up_identify_and_telemetry) {
  Rig &r = rig("up");
  run([&] {
    BOOST_TEST(r.drv.rd0(NHI_BAR0_ID) == 0x4E484931u);
    const uint32_t caps = r.drv.rd0(NHI_BAR0_CAPS);
    BOOST_TEST((caps & NHI_BAR0_CAPS_IOQ_PAIRS_MASK) == 8u);
    BOOST_TEST((caps & NHI_BAR0_CAPS_MSIX_VECTORS_MASK) >> NHI_BAR0_CAPS_MSIX_VECTORS_SHIFT == 9u);
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_TEST(r.drv.rd0(NHI_BAR0_TELEMETRY(0)) == 0x5E41A1u);
    Completion c;
    BOOST_TEST(r.drv.admin(cmd(NHI_OP_IDENTIFY), T, &c) == int(NHI_STS_SUCCESS));
    BOOST_TEST(c.result == 3ull * c.cid + 1);
    BOOST_TEST(r.drv.wait_msix(0, T));
    BOOST_TEST(r.drv.admin(cmd(0x7F), T) == int(NHI_STS_INVALID_OPCODE));
  });
  BOOST_TEST(r.drv.errors().empty());
  BOOST_TEST(r.mem.errors().empty());
}

BOOST_AUTO_TEST_CASE(queue_wrap_and_phase_inversion) {
  Rig &r = rig("wrap");
  const uint32_t depth = 4;
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, depth, T));
    // One at a time: three and a quarter passes over the rings.
    for (unsigned i = 0; i < 3 * depth + 1; ++i) {
      const int cid = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
      BOOST_REQUIRE(cid >= 0);
      Completion c;
      BOOST_REQUIRE(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T, &c));
      BOOST_TEST(c.phase == ((i / depth) % 2 == 0));
      BOOST_TEST(c.sq_head == (i + 1) % depth);
    }
    BOOST_TEST(r.drv.cq_phase(1) == false);  // after 3 wraps: inverted
    // Bursts that fill the SQ (depth - 1 entries) across the wrap.
    for (unsigned b = 0; b < 3; ++b) {
      for (unsigned i = 0; i + 1 < depth; ++i) BOOST_REQUIRE(r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM)) >= 0);
      BOOST_TEST(r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM)) == -1);  // full: the driver refuses
      r.drv.clear_errors();
      BOOST_REQUIRE(r.drv.wait_idle(1, T));
    }
  });
  BOOST_TEST(r.drv.completions(1).size() == 3 * depth + 1 + 3 * (depth - 1));
  BOOST_TEST(r.drv.errors().empty());
  BOOST_TEST(r.mem.errors().empty());  // every body was written before its phase
}

BOOST_AUTO_TEST_CASE(bad_doorbells_raise_error_events_and_change_nothing) {
  Rig &r = rig("db");
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 8, T));
    const auto before = r.nhi.stats();
    r.drv.ring_sq(1, 8);    // == depth: beyond
    r.drv.ring_cq(1, 100);  // beyond
    r.drv.ring_sq(5, 1);    // queue 5 was never created
    r.drv.ring_cq(8, 0);    // queue 8 was never created
    r.drv.wr0(NHI_BAR0_EQ_HEAD_DB, 999);
    wait(sc_time(5, SC_US));
    const auto ev = r.drv.poll_events();
    BOOST_REQUIRE(ev.size() == 5u);
    for (const auto &e : ev) BOOST_TEST(e.type == NHI_EVT_DOORBELL_ERROR);
    BOOST_TEST(ev[0].info == 1);
    BOOST_TEST(ev[0].data == ((uint64_t{NHI_BAR0_DB_SQ_TAIL(1)} << 32) | 8));
    BOOST_TEST(ev[2].info == 5);
    BOOST_TEST(ev[4].info == 0xFFFF);
    BOOST_TEST(r.nhi.stats().fetched == before.fetched);
    BOOST_TEST(r.nhi.stats().completed == before.completed);
    BOOST_TEST(r.nhi.stats().doorbell_errors == before.doorbell_errors + 5);
    // The queues are intact: the next good command completes with sq_head 1.
    const int cid = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
    Completion c;
    BOOST_REQUIRE(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T, &c));
    BOOST_TEST(c.status == NHI_STS_SUCCESS);
    BOOST_TEST(c.sq_head == 1);
    BOOST_TEST(c.phase == true);
  });
  BOOST_TEST(r.drv.errors().empty());
}

BOOST_AUTO_TEST_CASE(one_completion_per_submission_random) {
  Rig &r = rig("rnd");
  std::mt19937_64 rng(test_seed() ^ 0x5EED);
  std::map<std::pair<uint16_t, uint16_t>, int> submitted, completed;
  std::map<uint16_t, std::vector<uint16_t>> order;
  unsigned n = 0;
  const unsigned total = 600;
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 16, T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(2, 8, T));
    while (n < total) {
      const uint16_t q = static_cast<uint16_t>(1 + rng() % 2);
      const int want = static_cast<int>(rng() & 0xFFFF);
      const size_t errs = r.drv.errors().size();
      const int cid = r.drv.submit(q, cmd(NHI_OP_RUN_PROGRAM), want);
      if (cid < 0) {  // SQ full or the cid is outstanding: both refused by the driver
        r.drv.clear_errors();
        (void)errs;
        r.drv.poll(1);
        r.drv.poll(2);
        wait(sc_time(static_cast<double>(rng() % 500), SC_NS));
        continue;
      }
      ++submitted[{q, static_cast<uint16_t>(cid)}];
      order[q].push_back(static_cast<uint16_t>(cid));
      ++n;
      if (rng() % 4 == 0) wait(sc_time(static_cast<double>(rng() % 2000), SC_NS));
    }
    BOOST_REQUIRE(r.drv.wait_idle(1, T));
    BOOST_REQUIRE(r.drv.wait_idle(2, T));
  });
  for (uint16_t q : {1, 2})
    for (const auto &c : r.drv.completions(q)) {
      ++completed[{c.sq_id, c.cid}];
      BOOST_TEST(c.result == 3ull * c.cid + 1);
    }
  BOOST_TEST(completed == submitted);
  std::vector<uint16_t> got1;
  for (const auto &c : r.drv.completions(1)) got1.push_back(c.cid);
  BOOST_TEST(got1 != order[1]);  // the responder completed out of order
  BOOST_TEST(r.drv.completions(1).size() + r.drv.completions(2).size() == total);
  BOOST_TEST(r.drv.errors().empty());
  BOOST_TEST(r.mem.errors().empty());
}

// Model checker: a second completion of the same command is refused at the device side.
BOOST_AUTO_TEST_CASE(second_completion_of_a_command_is_refused) {
  Rig &r = rig("twice");
  r.fw.twice = true;
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 8, T));
    for (int i = 0; i < 3; ++i) BOOST_REQUIRE(r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM)) >= 0);
    BOOST_REQUIRE(r.drv.wait_idle(1, T));
    wait(sc_time(5, SC_US));
    r.drv.poll(1);
    BOOST_TEST(r.fw.rd(NHI_DEV_BAD_TAG_COUNT) == 3u);
    BOOST_TEST((r.fw.rd(NHI_DEV_ERR_STS) & NHI_DEV_ERR_STS_BAD_TAG_MASK) != 0u);
  });
  BOOST_TEST(r.drv.completions(1).size() == 3u);
  BOOST_TEST(r.drv.errors().empty());
}

BOOST_AUTO_TEST_CASE(reset_with_commands_in_flight_aborts_them) {
  Rig &r = rig("reset");
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 16, T));
    r.fw.hold = true;
    for (int i = 0; i < 5; ++i) BOOST_REQUIRE(r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM)) >= 0);
    BOOST_REQUIRE(r.drv.submit(0, cmd(NHI_OP_IDENTIFY)) >= 0);
    while (r.fw.held.size() < 6) wait(sc_time(100, SC_NS));
    r.drv.wr0(NHI_BAR0_DEV_CTL, 0);  // stop fetching: the next two stay in the SQ
    for (int i = 0; i < 2; ++i) BOOST_REQUIRE(r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM)) >= 0);
    BOOST_REQUIRE(r.drv.reset(T));
    BOOST_TEST(r.fw.resets_seen == 2u);  // bring_up's reset and this one
    // The firmware's late completion of a voided command is refused.
    r.fw.complete(r.fw.held.front(), NHI_STS_SUCCESS, 0);
    BOOST_TEST(r.fw.rd(NHI_DEV_BAD_TAG_COUNT) == 1u);
    r.fw.hold = false;
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 16, T));
    const int cid = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
    Completion c;
    BOOST_REQUIRE(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T, &c));
    BOOST_TEST(c.status == NHI_STS_SUCCESS);
  });
  unsigned aborted = 0;
  for (const auto &c : r.drv.completions(1)) aborted += c.status == NHI_STS_ABORTED;
  for (const auto &c : r.drv.completions(0)) aborted += c.status == NHI_STS_ABORTED;
  BOOST_TEST(aborted == 8u);  // 6 in the firmware's hands + 2 not fetched
  BOOST_TEST(r.nhi.stats().aborted == 8u);
  for (const auto &e : r.drv.errors()) BOOST_TEST_MESSAGE(e);
  BOOST_TEST(r.drv.errors().empty());
}

BOOST_AUTO_TEST_CASE(sled_reset_reports_fatal_aborts_in_flight_and_the_host_recovers) {
  Rig &r = rig("sreset");
  std::vector<int> cids;
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 16, T));
    r.fw.hold = true;
    for (int i = 0; i < 3; ++i) cids.push_back(r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM)));
    while (r.fw.held.size() < 3) wait(sc_time(100, SC_NS));
    r.nhi.sled_reset();  // what the platform does when the sled watchdog fires
    const uint32_t sts = r.drv.rd0(NHI_BAR0_DEV_STS);
    BOOST_TEST((sts & NHI_BAR0_DEV_STS_FATAL_MASK) != 0u);
    BOOST_TEST((sts & NHI_BAR0_DEV_STS_READY_MASK) == 0u);
    BOOST_TEST(r.nhi.fw_post() == 0u);
    for (int cid : cids) {
      Completion c;
      BOOST_REQUIRE(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T, &c));
      BOOST_TEST(c.status == NHI_STS_ABORTED);
    }
    wait(sc_time(2, SC_US));
    unsigned fatal = 0;
    for (const auto &e : r.drv.poll_events()) fatal += e.type == NHI_EVT_FATAL;
    BOOST_TEST(fatal == 1u);
    // The rebooted firmware publishes READY again; FATAL stays until the host resets.
    r.fw.hold = false;
    r.fw.wr(NHI_DEV_DEV_STS, NHI_DEV_DEV_STS_FW_ALIVE_MASK | NHI_DEV_DEV_STS_READY_MASK);
    r.fw.wr(NHI_DEV_IRQ_EN, NHI_DEV_IRQ_EN_CMD_MASK | NHI_DEV_IRQ_EN_RESET_MASK);
    BOOST_TEST((r.drv.rd0(NHI_BAR0_DEV_STS) & NHI_BAR0_DEV_STS_FATAL_MASK) != 0u);
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_TEST((r.drv.rd0(NHI_BAR0_DEV_STS) & NHI_BAR0_DEV_STS_FATAL_MASK) == 0u);
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 16, T));
    const int cid = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
    Completion c;
    BOOST_REQUIRE(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T, &c));
    BOOST_TEST(c.status == NHI_STS_SUCCESS);
  });
  BOOST_TEST(r.nhi.stats().aborted == 3u);
  for (const auto &e : r.drv.errors()) BOOST_TEST_MESSAGE(e);
  BOOST_TEST(r.drv.errors().empty());
}

BOOST_AUTO_TEST_CASE(msix_mask_sets_pba_and_fires_on_unmask) {
  Rig &r = rig("msix");
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 8, T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(2, 8, T));
    // Unmasked: a completion sends the message.
    int cid = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
    BOOST_TEST(r.drv.wait_msix(1, T));
    BOOST_TEST(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T));
    // Masked: no message, the PBA bit is set; vector 2 is not affected.
    r.drv.mask_vector(1, true);
    const uint64_t n1 = r.mem.msi_count(1);
    cid = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
    BOOST_TEST(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T));
    wait(sc_time(2, SC_US));
    BOOST_TEST(r.mem.msi_count(1) == n1);
    BOOST_TEST(r.drv.pba(1) == 1u);
    BOOST_TEST(r.drv.pba(2) == 0u);
    cid = r.drv.submit(2, cmd(NHI_OP_RUN_PROGRAM));
    BOOST_TEST(r.drv.wait_msix(2, T));
    BOOST_TEST(r.drv.wait_completion(2, static_cast<uint16_t>(cid), T));
    // Unmask: the pending message goes out once and the PBA bit clears.
    r.drv.mask_vector(1, false);
    BOOST_TEST(r.drv.wait_msix(1, T));
    BOOST_TEST(r.mem.msi_count(1) == n1 + 1);
    BOOST_TEST(r.drv.pba(1) == 0u);
    wait(sc_time(2, SC_US));
    BOOST_TEST(r.mem.msi_count(1) == n1 + 1);
  });
  BOOST_TEST(r.drv.errors().empty());
}

BOOST_AUTO_TEST_CASE(dma_outside_the_host_buffer_fails_with_an_error_status) {
  Rig &r = rig("dma");
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 8, T));
    const uint64_t buf = r.mem.alloc(256, 64, "data");
    std::vector<uint8_t> pat(256);
    for (unsigned i = 0; i < pat.size(); ++i) pat[i] = static_cast<uint8_t>(i * 7 + 3);
    r.mem.write(buf, pat.data(), pat.size());
    auto io = [&](uint8_t op, uint64_t addr, uint32_t len, uint32_t dev) {
      Command c = cmd(op);
      c.addr = addr;
      c.len = len;
      c.cdw[0] = dev;
      const int cid = r.drv.submit(1, c);
      Completion cpl;
      BOOST_REQUIRE(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T, &cpl));
      return cpl.status;
    };
    BOOST_TEST(io(NHI_OP_WRITE_DEVICE, buf, 256, 0x100) == NHI_STS_SUCCESS);
    BOOST_TEST(std::equal(pat.begin(), pat.end(), r.devmem.mem.begin() + 0x100));
    BOOST_TEST(io(NHI_OP_WRITE_DEVICE, buf + 200, 64, 0x400) == NHI_STS_DMA_ERROR);     // runs past the end
    BOOST_TEST(io(NHI_OP_WRITE_DEVICE, buf + 0x1000, 16, 0x400) == NHI_STS_DMA_ERROR);  // guard gap
    BOOST_TEST(io(NHI_OP_READ_DEVICE, buf - 8, 16, 0x100) == NHI_STS_DMA_ERROR);        // before the start
    BOOST_TEST(io(NHI_OP_READ_DEVICE, 1ull << 50, 16, 0x100) == NHI_STS_DMA_ERROR);     // beyond DMA bits
    BOOST_TEST(io(NHI_OP_WRITE_DEVICE, buf, 16, 0xFFFFFF00u) == NHI_STS_DMA_ERROR);     // device range
    // The next good command succeeds.
    const uint64_t back = r.mem.alloc(256, 64, "readback");
    BOOST_TEST(io(NHI_OP_READ_DEVICE, back, 256, 0x100) == NHI_STS_SUCCESS);
    std::vector<uint8_t> got(256);
    r.mem.read(back, got.data(), got.size());
    BOOST_TEST(got == pat);
  });
  BOOST_TEST(r.mem.access_errors() >= 3u);
  BOOST_TEST(r.drv.errors().empty());
}

BOOST_AUTO_TEST_CASE(queue_management_commands_check_their_fields) {
  Rig &r = rig("qm");
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    const uint64_t ring = r.mem.alloc(64 * 8, 4096, "spare ring");
    auto create = [&](uint8_t op, uint32_t qid, uint32_t depth, uint32_t arg, uint64_t addr) {
      Command c = cmd(op);
      c.addr = addr;
      c.cdw[0] = qid;
      c.cdw[1] = depth;
      c.cdw[2] = arg;
      return r.drv.admin(c, T);
    };
    const int QE = NHI_STS_QUEUE_ERROR;
    BOOST_TEST(create(NHI_OP_CREATE_IO_CQ, 0, 8, 0, ring) == QE);      // admin queue id
    BOOST_TEST(create(NHI_OP_CREATE_IO_CQ, 9, 8, 0, ring) == QE);      // beyond CAPS
    BOOST_TEST(create(NHI_OP_CREATE_IO_CQ, 1, 1, 0, ring) == QE);      // depth < 2
    BOOST_TEST(create(NHI_OP_CREATE_IO_CQ, 1, 8192, 0, ring) == QE);   // depth > max
    BOOST_TEST(create(NHI_OP_CREATE_IO_CQ, 1, 8, 9, ring) == QE);      // no such vector
    BOOST_TEST(create(NHI_OP_CREATE_IO_CQ, 1, 8, 1, ring + 8) == QE);  // misaligned
    BOOST_TEST(create(NHI_OP_CREATE_IO_SQ, 1, 8, 1, ring) == QE);      // its CQ does not exist
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 8, T));
    Command del = cmd(NHI_OP_DELETE_IO_CQ);
    del.cdw[0] = 1;
    BOOST_TEST(r.drv.admin(del, T) == QE);  // an SQ is still bound to it
    // Deleting an SQ with commands in flight completes them ABORTED.
    r.fw.hold = true;
    for (int i = 0; i < 3; ++i) BOOST_REQUIRE(r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM)) >= 0);
    while (r.fw.held.size() < 3) wait(sc_time(100, SC_NS));
    BOOST_TEST(r.drv.delete_io_queue_pair(1, T));
    BOOST_TEST(r.drv.outstanding(1) == 0u);
    for (const auto &c : r.drv.completions(1)) BOOST_TEST(c.status == NHI_STS_ABORTED);
    r.fw.hold = false;
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 4, T));
    const int cid = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
    BOOST_TEST(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T));
  });
  BOOST_TEST(r.drv.completions(1).size() == 4u);
  BOOST_TEST(r.drv.errors().empty());
}

BOOST_AUTO_TEST_CASE(enable_with_bad_queue_registers_is_fatal_until_reset) {
  Rig &r = rig("up");  // continues after bring_up_identify_and_telemetry
  run([&] {
    BOOST_REQUIRE(r.drv.reset(T));
    r.drv.wr0(NHI_BAR0_AQ_ATTR, 1 | (16u << 16));  // admin SQ depth 1: invalid
    r.drv.wr0(NHI_BAR0_EQ_ATTR, 16);
    r.drv.wr0(NHI_BAR0_DEV_CTL, NHI_BAR0_DEV_CTL_ENABLE_MASK);
    const uint32_t sts = r.drv.rd0(NHI_BAR0_DEV_STS);
    BOOST_TEST((sts & NHI_BAR0_DEV_STS_FATAL_MASK) != 0u);
    BOOST_TEST((sts & NHI_BAR0_DEV_STS_READY_MASK) == 0u);
    BOOST_REQUIRE(r.drv.reset(T));
    BOOST_TEST((r.drv.rd0(NHI_BAR0_DEV_STS) & NHI_BAR0_DEV_STS_FATAL_MASK) == 0u);
    BOOST_TEST(r.drv.bring_up(T));
  });
  BOOST_TEST(r.drv.errors().empty());
}

// ---- Driver checkers fed bad cases ------------------------------------------------------

BOOST_AUTO_TEST_CASE(checker_completion_with_unknown_cid_wrong_sq_or_head) {
  Rig &r = rig("chk");
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 8, T));
    BOOST_REQUIRE(r.drv.errors().empty());
    auto inject = [&](uint16_t sq_id, uint16_t cid, uint16_t sq_head) {
      uint8_t e[16] = {};
      std::memcpy(e + 8, &sq_head, 2);
      std::memcpy(e + 10, &sq_id, 2);
      std::memcpy(e + 12, &cid, 2);
      e[15] = r.drv.cq_phase(1) ? 0x80 : 0;
      r.mem.write(r.drv.cq_ring(1) + 16ull * r.drv.cq_head(1), e, sizeof e);
      r.drv.poll(1);
    };
    const int cid = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
    BOOST_REQUIRE(r.drv.wait_completion(1, static_cast<uint16_t>(cid), T));
    // From here on the CQ is out of step with the device: only injected entries.
    inject(1, static_cast<uint16_t>(cid), 1);  // the same completion again
    BOOST_TEST(has_error(r.drv.errors(), "not outstanding (duplicate or unknown)"));
    r.drv.clear_errors();
    inject(1, 0x1234, 0);  // never submitted
    BOOST_TEST(has_error(r.drv.errors(), "cid 4660 which is not outstanding"));
    r.drv.clear_errors();
    inject(2, 7, 0);
    BOOST_TEST(has_error(r.drv.errors(), "sq_id 2, expected 1"));
    r.drv.clear_errors();
    inject(1, 9, 8);
    BOOST_TEST(has_error(r.drv.errors(), "sq_head 8 beyond SQ depth 8"));
    r.drv.clear_errors();
    // Event sequence gap.
    uint8_t e[16] = {};
    const uint16_t seq = 42;
    std::memcpy(e + 12, &seq, 2);
    e[15] = 0x80;
    r.mem.write(r.drv.eq_ring() + 16ull * r.drv.eq_head(), e, sizeof e);
    r.drv.poll_events();
    BOOST_TEST(has_error(r.drv.errors(), "sequence 42, expected 0"));
    r.drv.clear_errors();
    // Deadline: the firmware holds the command.
    r.fw.hold = true;
    const int held = r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM));
    BOOST_TEST(!r.drv.wait_completion(1, static_cast<uint16_t>(held), sc_time(5, SC_US)));
    BOOST_TEST(has_error(r.drv.errors(), "no completion for cid"));
    BOOST_TEST(!r.drv.wait_msix(5, sc_time(1, SC_US)));
    BOOST_TEST(has_error(r.drv.errors(), "no MSI-X message on vector 5"));
  });
}

BOOST_AUTO_TEST_CASE(checker_phase_written_before_body) {
  run([&] {
    HostMemory &m = bench().lone_mem;
    const uint64_t ring = m.alloc(4 * 16, 4096, "ring");
    m.watch_ring(ring, 4, "test CQ");
    uint8_t body[14] = {}, ph[2] = {0, 0x80};
    BOOST_TEST(bench().raw.write(ring, body, 14) == tlm::TLM_OK_RESPONSE);
    BOOST_TEST(bench().raw.write(ring + 14, ph, 2) == tlm::TLM_OK_RESPONSE);
    BOOST_TEST(m.errors().empty());
    BOOST_TEST(bench().raw.write(ring + 16 + 14, ph, 2) == tlm::TLM_OK_RESPONSE);
    BOOST_TEST(has_error(m.errors(), "test CQ entry 1 @0x"));
    BOOST_TEST(has_error(m.errors(), "phase written before the entry body"));
    BOOST_TEST(bench().raw.write(ring + 4 * 16, body, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  });
}

BOOST_AUTO_TEST_CASE(checker_bring_up_deadline) {
  Rig &r = rig("notready");
  run([&] {
    BOOST_TEST(!r.drv.bring_up(sc_time(20, SC_US)));
    BOOST_TEST(has_error(r.drv.errors(), "DEV_STS.READY not set within"));
    BOOST_TEST(r.drv.rd0(NHI_BAR0_TELEMETRY(0)) == 0xDEADBEEFu);  // not READY
  });
}

BOOST_AUTO_TEST_CASE(checker_reset_missing_completion) {
  Rig &r = rig("rst_chk");
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    BOOST_REQUIRE(r.drv.create_io_queue_pair(1, 8, T));
    r.drv.wr0(NHI_BAR0_DEV_CTL, 0);  // stop fetching
    BOOST_REQUIRE(r.drv.submit(1, cmd(NHI_OP_RUN_PROGRAM)) >= 0);
    r.drv.ring_sq(1, 0);  // take the doorbell back: the device never sees the command
    BOOST_REQUIRE(r.drv.reset(T));
    BOOST_TEST(has_error(r.drv.errors(), "reset: 1 command(s) of queue 1 got no completion"));
  });
}

BOOST_AUTO_TEST_CASE(keepalive_loss_declares_the_device_dead_and_resets_it) {
  Rig &r = rig("ka");
  run([&] {
    BOOST_REQUIRE(r.drv.bring_up(T));
    r.drv.start_keepalive(sc_time(2, SC_US), 3);
    wait(sc_time(20, SC_US));
    BOOST_TEST(!r.drv.device_dead());
    BOOST_TEST(r.drv.errors().empty());
    r.fw.heartbeat = false;  // the firmware hangs
    wait(sc_time(20, SC_US));
    BOOST_TEST(r.drv.device_dead());
    BOOST_TEST(has_error(r.drv.errors(), "keep-alive: HEARTBEAT stuck"));
    BOOST_TEST(r.fw.resets_seen == 2u);             // bring_up's reset and the keep-alive one
    BOOST_TEST(r.drv.rd0(NHI_BAR0_DEV_CTL) == 0u);  // reset: no longer enabled
  });
}
