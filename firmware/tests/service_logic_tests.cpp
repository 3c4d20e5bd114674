// Unit tests of the firmware's NHI command logic that needs no platform (fw_service.h):
// decoding, queue legality, transfer and launch checks, window chunking, the error log.
// Each check is fed bad commands as well as good ones.
#define BOOST_TEST_MODULE fw_service_logic
#include <boost/test/unit_test.hpp>

#include <cstring>

#include "fw_service.h"
#include "ncv/nhi/nhi_proto.h"

namespace {

constexpr uint64_t kHbm = 64ull << 20;  // 64 MiB
constexpr uint32_t kChips = 2;

fw_cmd make(uint16_t sq, uint8_t op, uint32_t nsid = 0, uint64_t addr = 0, uint32_t len = 0) {
  uint32_t dw[16] = {};
  dw[0] = op | 0x5Au << 8 | 0x1234u << 16;
  dw[1] = nsid;
  dw[2] = uint32_t(addr);
  dw[3] = uint32_t(addr >> 32);
  dw[4] = len;
  fw_cmd c;
  fw_cmd_decode(sq, dw, &c);
  return c;
}

uint16_t queue_status(uint16_t sq, uint8_t op) {
  const fw_cmd c = make(sq, op);
  return fw_cmd_check_queue(&c);
}

// A valid RUN_PROGRAM: queue 0 with 5 instructions in a 16-entry ring, queue 2 with 1.
fw_cmd good_launch() {
  fw_cmd c = make(1, NHI_OP_RUN_PROGRAM, 1, 0x10000, 1024);
  c.cdw[0] = 0x800000;
  c.cdw[4] = 0x800100;
  c.cdw[8] = 5;
  c.cdw[9] = 1;
  c.cdw[10] = 4u | 4u << 16;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(decode_takes_every_field_from_its_dword) {
  uint32_t dw[16];
  for (uint32_t i = 0; i < 16; ++i) dw[i] = 0x11111111u * (i + 1);
  dw[0] = 0xBEEF0783u;
  fw_cmd c;
  fw_cmd_decode(3, dw, &c);
  BOOST_TEST(c.sq == 3);
  BOOST_TEST(c.opcode == 0x83);
  BOOST_TEST(c.flags == 0x07);
  BOOST_TEST(c.cid == 0xBEEF);
  BOOST_TEST(c.nsid == dw[1]);
  BOOST_TEST(c.addr == (uint64_t(dw[3]) << 32 | dw[2]));
  BOOST_TEST(c.len == dw[4]);
  for (unsigned i = 0; i < 11; ++i) BOOST_TEST(c.cdw[i] == dw[5 + i]);
}

BOOST_AUTO_TEST_CASE(admin_opcodes_only_on_queue_0_io_opcodes_only_on_io_queues) {
  BOOST_TEST(queue_status(0, NHI_OP_IDENTIFY) == NHI_STS_SUCCESS);
  BOOST_TEST(queue_status(0, NHI_OP_LINK_STATUS) == NHI_STS_SUCCESS);
  BOOST_TEST(queue_status(1, NHI_OP_RUN_PROGRAM) == NHI_STS_SUCCESS);
  // Bad cases: IO opcode on the admin queue, admin opcode on an IO queue, unknown opcodes.
  BOOST_TEST(queue_status(0, NHI_OP_WRITE_DEVICE) == NHI_STS_INVALID_OPCODE);
  BOOST_TEST(queue_status(2, NHI_OP_GET_LOG) == NHI_STS_INVALID_OPCODE);
  BOOST_TEST(queue_status(0, 0x00) == NHI_STS_INVALID_OPCODE);
  BOOST_TEST(queue_status(0, 0x0B) == NHI_STS_INVALID_OPCODE);
  BOOST_TEST(queue_status(1, 0x84) == NHI_STS_INVALID_OPCODE);
}

BOOST_AUTO_TEST_CASE(transfers_inside_hbm_pass_and_every_bad_field_is_named_by_its_status) {
  fw_cmd c = make(1, NHI_OP_WRITE_DEVICE, 1, 0x100000000ull, 4096);
  c.cdw[0] = 0x1000;
  fw_xfer x;
  BOOST_TEST(fw_cmd_xfer(&c, kChips, kHbm, &x) == NHI_STS_SUCCESS);
  BOOST_TEST(x.chip == 1);
  BOOST_TEST(x.host == 0x100000000ull);
  BOOST_TEST(x.dev == 0x1000);
  BOOST_TEST(x.len == 4096);
  // The last byte of HBM is fine, one more is not.
  c.cdw[0] = uint32_t(kHbm - 4096);
  BOOST_TEST(fw_cmd_xfer(&c, kChips, kHbm, &x) == NHI_STS_SUCCESS);
  c.cdw[0] = uint32_t(kHbm - 4095);
  BOOST_TEST(fw_cmd_xfer(&c, kChips, kHbm, &x) == NHI_STS_DMA_ERROR);
  // Host memory or a remote chip is not a device address of this command.
  c.cdw[0] = 0;
  c.cdw[1] = 0x40;  // [38] = 1
  BOOST_TEST(fw_cmd_xfer(&c, kChips, kHbm, &x) == NHI_STS_DMA_ERROR);
  c.cdw[1] = 0;
  // Length wrapping the 64-bit range.
  c.cdw[0] = 0xFFFFF000u;
  c.cdw[1] = 0xFFFFFFFFu;
  BOOST_TEST(fw_cmd_xfer(&c, kChips, kHbm, &x) == NHI_STS_DMA_ERROR);
  c.cdw[0] = c.cdw[1] = 0;
  c.nsid = kChips;
  BOOST_TEST(fw_cmd_xfer(&c, kChips, kHbm, &x) == NHI_STS_INVALID_FIELD);
  c.nsid = 0;
  c.len = 0;
  BOOST_TEST(fw_cmd_xfer(&c, kChips, kHbm, &x) == NHI_STS_INVALID_FIELD);
}

BOOST_AUTO_TEST_CASE(window_chunks_never_cross_a_256_mib_boundary_and_cover_the_transfer) {
  const uint64_t win = 1ull << 28;
  for (uint64_t start : {uint64_t(0), win - 100, 3 * win - 1, 5 * win + 12345}) {
    for (uint32_t len : {1u, 100u, 65536u, 300000u}) {
      uint64_t at = start;
      uint32_t left = len;
      unsigned pieces = 0;
      while (left) {
        fw_win_chunk ch;
        fw_win_next(at, left, 65536, &ch);
        BOOST_TEST_REQUIRE(ch.len > 0u);
        BOOST_TEST(ch.len <= 65536u);
        BOOST_TEST(uint64_t(ch.base_256m) * win + ch.offset == at);
        BOOST_TEST(uint64_t(ch.offset) + ch.len <= win);
        at += ch.len;
        left -= ch.len;
        ++pieces;
      }
      BOOST_TEST(at == start + len);
      BOOST_TEST(pieces >= (len + 65535) / 65536);
    }
  }
}

BOOST_AUTO_TEST_CASE(run_program_decodes_rings_tails_sizes_and_the_notification_ring) {
  fw_cmd c = good_launch();
  fw_launch l;
  BOOST_TEST(fw_cmd_launch(&c, kChips, kHbm, &l) == NHI_STS_SUCCESS);
  BOOST_TEST(l.chip == 1);
  BOOST_TEST(l.ring[0] == 0x800000u);
  BOOST_TEST(l.ring[2] == 0x800100u);
  BOOST_TEST(l.tail[0] == 5u);
  BOOST_TEST(l.tail[1] == 0u);
  BOOST_TEST(l.tail[2] == 1u);
  BOOST_TEST(l.ring_log2[0] == 4u);
  BOOST_TEST(l.ring_log2[2] == 4u);
  BOOST_TEST(l.nq_base == 0x10000u);
  BOOST_TEST(l.nq_log2 == 6u);  // 1024 bytes = 64 records
  c.len = 0;
  BOOST_TEST(fw_cmd_launch(&c, kChips, kHbm, &l) == NHI_STS_SUCCESS);
  BOOST_TEST(l.nq_log2 == 0u);
}

BOOST_AUTO_TEST_CASE(run_program_refuses_every_bad_field) {
  fw_launch l;
  auto bad = [&](auto edit) {
    fw_cmd c = good_launch();
    edit(c);
    return fw_cmd_launch(&c, kChips, kHbm, &l);
  };
  BOOST_TEST(bad([](fw_cmd &c) { c.nsid = kChips; }) == NHI_STS_INVALID_FIELD);
  BOOST_TEST(bad([](fw_cmd &c) { c.cdw[8] = 16; }) == NHI_STS_INVALID_FIELD);  // tail = ring size
  BOOST_TEST(bad([](fw_cmd &c) { c.cdw[10] = 0; }) == NHI_STS_INVALID_FIELD);  // ring of size 0 with work
  BOOST_TEST(bad([](fw_cmd &c) { c.cdw[10] = 17; }) == NHI_STS_INVALID_FIELD);
  BOOST_TEST(bad([](fw_cmd &c) { c.cdw[0] = 0x800008; }) == NHI_STS_INVALID_FIELD);             // misaligned ring
  BOOST_TEST(bad([](fw_cmd &c) { c.cdw[0] = uint32_t(kHbm - 16); }) == NHI_STS_INVALID_FIELD);  // past HBM
  BOOST_TEST(bad([](fw_cmd &c) { c.cdw[8] = c.cdw[9] = 0; }) == NHI_STS_INVALID_FIELD);         // no work
  BOOST_TEST(bad([](fw_cmd &c) { c.len = 1000; }) == NHI_STS_INVALID_FIELD);                    // not a power of 2
  BOOST_TEST(bad([](fw_cmd &c) { c.len = 16; }) == NHI_STS_INVALID_FIELD);                      // 1 record = "off"
  BOOST_TEST(bad([](fw_cmd &c) { c.addr = 0x10008; }) == NHI_STS_INVALID_FIELD);                // misaligned NQ
  BOOST_TEST(bad([](fw_cmd &c) { c.addr = kHbm - 512; }) == NHI_STS_INVALID_FIELD);             // NQ past HBM
  // A queue without work may carry any ring fields.
  BOOST_TEST(bad([](fw_cmd &c) { c.cdw[2] = 0x3; }) == NHI_STS_SUCCESS);
}

BOOST_AUTO_TEST_CASE(job_error_result_packs_code_queue_and_index) {
  const uint64_t r = fw_job_error_result(0x12, 3, 0xABCDEF);
  BOOST_TEST((r & 0xFF) == 0x12u);
  BOOST_TEST(((r >> 8) & 0xFF) == 3u);
  BOOST_TEST((r >> 32) == 0xABCDEFu);
}

BOOST_AUTO_TEST_CASE(error_log_keeps_the_last_entries_in_order) {
  fw_errlog log;
  std::memset(&log, 0, sizeof log);
  fw_errlog_entry e{};
  BOOST_TEST(fw_errlog_held(&log) == 0u);
  BOOST_TEST(fw_errlog_get(&log, 0, &e) == 0);
  for (uint32_t i = 0; i < FW_ERRLOG_ENTRIES + 5; ++i) {
    fw_errlog_entry in{};
    in.info = 100 + i;
    fw_errlog_push(&log, &in);
  }
  BOOST_TEST(log.count == FW_ERRLOG_ENTRIES + 5);
  BOOST_TEST(fw_errlog_held(&log) == FW_ERRLOG_ENTRIES);
  for (uint32_t i = 0; i < FW_ERRLOG_ENTRIES; ++i) {
    BOOST_TEST_REQUIRE(fw_errlog_get(&log, i, &e) == 1);
    BOOST_TEST(e.seq == i + 5);
    BOOST_TEST(e.info == 105 + i);
  }
  BOOST_TEST(fw_errlog_get(&log, FW_ERRLOG_ENTRIES, &e) == 0);
}

BOOST_AUTO_TEST_CASE(ecc_threshold_fires_once_per_window_and_every_uncorrectable_error_is_reported) {
  fw_ecc_state st{};
  st.last_ce = 100;  // the counters did not start at 0
  st.last_ue = 7;
  const uint64_t w = 1000;
  // Below the threshold: nothing.
  BOOST_TEST(fw_ecc_update(&st, 103, 7, 10, 4, w) == 0u);
  BOOST_TEST(st.total_ce == 3u);
  // The fourth corrected error in the window fires once ...
  BOOST_TEST(fw_ecc_update(&st, 104, 7, 20, 4, w) == FW_ECC_EVT_CE_THRESHOLD);
  // ... and not again in the same window, however many follow.
  BOOST_TEST(fw_ecc_update(&st, 150, 7, 30, 4, w) == 0u);
  // A new window starts counting from 0.
  BOOST_TEST(fw_ecc_update(&st, 152, 7, 1030, 4, w) == 0u);
  BOOST_TEST(st.window_ce == 2u);
  BOOST_TEST(fw_ecc_update(&st, 154, 7, 1040, 4, w) == FW_ECC_EVT_CE_THRESHOLD);
  // An uncorrectable error is always reported, together with a threshold if both happen.
  BOOST_TEST(fw_ecc_update(&st, 154, 8, 1050, 4, w) == FW_ECC_EVT_UE);
  BOOST_TEST(st.total_ue == 1u);
  BOOST_TEST(fw_ecc_update(&st, 160, 9, 3000, 4, w) == (FW_ECC_EVT_UE | FW_ECC_EVT_CE_THRESHOLD));
  // Threshold 0 means "off".
  fw_ecc_state off{};
  BOOST_TEST(fw_ecc_update(&off, 1000, 0, 1, 0, w) == 0u);
}

BOOST_AUTO_TEST_CASE(link_health_retrains_on_errors_or_degraded_and_removes_a_link_that_keeps_failing) {
  fw_link_state st{};
  st.last_crc = 10;
  const uint64_t w = 1000;
  // Errors below the threshold: nothing.
  BOOST_TEST(fw_link_update(&st, 13, 0, 100, 4, w, 2) == 0u);
  // The threshold within the window: retrain, and the count starts again.
  BOOST_TEST(fw_link_update(&st, 14, 0, 200, 4, w, 2) == FW_LINK_RETRAIN);
  BOOST_TEST(st.window_crc == 0u);
  // DEGRADED retrains without errors.
  BOOST_TEST(fw_link_update(&st, 14, 1, 300, 4, w, 2) == FW_LINK_RETRAIN);
  BOOST_TEST(st.retrains == 2u);
  // A third need in the same window: out of the routes, then never again.
  BOOST_TEST(fw_link_update(&st, 20, 0, 400, 4, w, 2) == FW_LINK_REMOVE);
  BOOST_TEST(st.removed == 1u);
  BOOST_TEST(fw_link_update(&st, 90, 1, 500, 4, w, 2) == 0u);
  // A new window restores the retrain budget of a link still in the routes.
  fw_link_state b{};
  BOOST_TEST(fw_link_update(&b, 0, 1, 0, 4, w, 1) == FW_LINK_RETRAIN);
  BOOST_TEST(fw_link_update(&b, 0, 1, 1500, 4, w, 1) == FW_LINK_RETRAIN);
  BOOST_TEST(b.total_crc == 0u);
  BOOST_TEST(b.removed == 0u);
}
