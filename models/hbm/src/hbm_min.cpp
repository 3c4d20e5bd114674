#include "ncv/hbm/hbm_min.h"

#include <algorithm>
#include <cstring>

namespace ncv::hbm {

void SparseMemory::read(uint64_t addr, uint8_t *dst, uint64_t len) const {
  while (len) {
    const uint64_t page = addr / kPage, off = addr % kPage;
    const uint64_t n = std::min(len, kPage - off);
    auto it = pages_.find(page);
    if (it == pages_.end()) {
      std::memset(dst, 0, n);
    } else {
      std::memcpy(dst, it->second.get() + off, n);
    }
    dst += n;
    addr += n;
    len -= n;
  }
}

void SparseMemory::write(uint64_t addr, const uint8_t *src, uint64_t len, const uint8_t *be, unsigned be_len) {
  uint64_t i = 0;
  while (i < len) {
    const uint64_t a = addr + i;
    const uint64_t page = a / kPage, off = a % kPage;
    const uint64_t n = std::min(len - i, kPage - off);
    auto &p = pages_[page];
    if (!p) {
      p.reset(new uint8_t[kPage]);
      std::memset(p.get(), 0, kPage);
    }
    if (!be) {
      std::memcpy(p.get() + off, src + i, n);
    } else {
      for (uint64_t k = 0; k < n; ++k) {
        if (be[(i + k) % be_len] == TLM_BYTE_ENABLED) p[off + k] = src[i + k];
      }
    }
    i += n;
  }
}

HbmMin::HbmMin(sc_core::sc_module_name name, const Params &p)
    : sc_module(name), tsock("tsock"), p_(p), mem_(p.size_bytes) {
  tsock.register_b_transport(this, &HbmMin::b_transport);
  tsock.register_transport_dbg(this, &HbmMin::transport_dbg);
}

void HbmMin::b_transport(int, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
  const uint64_t addr = gp.get_address();
  const unsigned len = gp.get_data_length();
  if (!mem_.in_range(addr, len)) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (gp.get_streaming_width() < len) {
    gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  if (gp.is_read()) {
    mem_.read(addr, gp.get_data_ptr(), len);
    ++reads_;
  } else if (gp.is_write()) {
    mem_.write(addr, gp.get_data_ptr(), len, gp.get_byte_enable_ptr(), gp.get_byte_enable_length());
    ++writes_;
  }
  delay += p_.latency + sc_core::sc_time(static_cast<double>(len) / p_.bytes_per_ns, sc_core::SC_NS);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned HbmMin::transport_dbg(int, tlm::tlm_generic_payload &gp) {
  const uint64_t addr = gp.get_address();
  const unsigned len = gp.get_data_length();
  if (!mem_.in_range(addr, len)) return 0;
  if (gp.is_read())
    mem_.read(addr, gp.get_data_ptr(), len);
  else if (gp.is_write())
    mem_.write(addr, gp.get_data_ptr(), len);
  return len;
}

}  // namespace ncv::hbm
