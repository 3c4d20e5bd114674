#define BOOST_TEST_MODULE isa
#include <boost/test/unit_test.hpp>

#include <map>

#include "nct_isa.h"

using namespace ncv::isa;

BOOST_AUTO_TEST_CASE(fields_fit_the_payload_without_overlap) {
  std::map<unsigned, unsigned __int128> used;
  for (const auto &fi : kFields) {
    BOOST_TEST_CONTEXT(fi.name) {
      BOOST_TEST(queue_mask(fi.opcode) != 0u);
      BOOST_TEST(fi.field.lsb >= payload_lsb(fi.opcode));
      BOOST_TEST(fi.field.lsb + fi.field.bits <= 96u);
      const unsigned __int128 m = ((static_cast<unsigned __int128>(1) << fi.field.bits) - 1) << fi.field.lsb;
      BOOST_TEST(((used[fi.opcode] & m) == 0u));
      used[fi.opcode] |= m;
    }
  }
  // Every opcode's fields are contiguous from bit 95 down to its payload_lsb.
  for (const auto &[op, m] : used) {
    const unsigned __int128 want = ((static_cast<unsigned __int128>(1) << (96 - payload_lsb(op))) - 1)
                                   << payload_lsb(op);
    BOOST_TEST((m == want), "opcode " << op);
  }
}

BOOST_AUTO_TEST_CASE(put_get_round_trip_across_the_64_bit_boundary) {
  Word w;
  put(w, kOpcode, DMA_LD);
  put(w, dma_ld::k_addr, 0xAB'CDEF'0123ull);  // bits 95:56, straddles bit 64
  put(w, kWaitSem, kNoSem);
  BOOST_TEST(get(w, kOpcode) == DMA_LD);
  BOOST_TEST(get(w, dma_ld::k_addr) == 0xAB'CDEF'0123ull);
  BOOST_TEST(get(w, kWaitSem) == kNoSem);
  put(w, dma_ld::k_addr, 0);
  BOOST_TEST(get(w, dma_ld::k_addr) == 0u);
  BOOST_TEST(get(w, kOpcode) == DMA_LD);  // neighbours untouched
  BOOST_TEST(queue_mask(DMA_LD) == 1u);
  BOOST_TEST(queue_mask(COPY) == 0xCu);
  BOOST_TEST(queue_mask(0x7F) == 0u);
}
