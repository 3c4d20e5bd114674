#define BOOST_TEST_MODULE golden
#include <boost/test/unit_test.hpp>

#include "nct_csr_regs.h"
#include "ncv/golden/tile_model.h"

using ncv::golden::TileModel;
using ncv::golden::TileParams;

static TileParams params(uint32_t P) {
  TileParams p;
  p.P = P;
  p.SBUF_PART_BYTES = 16384;
  p.PSUM_PART_BYTES = 2048;
  p.NMAX = 128;
  p.NSEM = 32;
  p.AXI_DW = 128;
  p.FEATURES = 3;
  p.VERSION_MAJOR = 1;
  p.VERSION_MINOR = 2;
  p.VERSION_PATCH = 3;
  return p;
}

BOOST_AUTO_TEST_CASE(config_registers_follow_parameters) {
  TileModel m(params(8));
  BOOST_TEST(m.csr_read(NCT_CSR_ID) == 0x4E435431u);
  BOOST_TEST(m.csr_read(NCT_CSR_VERSION) == 0x00010203u);
  // P=8, NSEM=32, NMAX/16=8, AXI bytes=16
  BOOST_TEST(m.csr_read(NCT_CSR_CONFIG0) == ((16u << 24) | (8u << 16) | (32u << 8) | 8u));
  // SBUF 16 KiB, PSUM 2 KiB, features 3
  BOOST_TEST(m.csr_read(NCT_CSR_CONFIG1) == ((3u << 24) | (2u << 12) | 16u));
  BOOST_TEST(m.csr_read(0xFFC) == 0u);
}

BOOST_AUTO_TEST_CASE(ctrl_soft_reset_self_clears) {
  TileModel m(params(4));
  m.csr_write(NCT_CSR_CTRL, 0xFFFFFFFFu);
  BOOST_TEST(m.csr_read(NCT_CSR_CTRL) == (NCT_CSR_CTRL_ENABLE_MASK | NCT_CSR_CTRL_HALT_ALL_MASK));
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_refused_with_the_field) {
  try {
    TileModel m(params(6));
    BOOST_FAIL("P=6 accepted");
  } catch (const std::invalid_argument &e) {
    BOOST_TEST(std::string(e.what()).find("P = 6") != std::string::npos);
  }
  TileParams p = params(8);
  p.NMAX = 100;
  BOOST_CHECK_THROW(TileModel{p}, std::invalid_argument);
}
