#include "ncv/nhi/host_memory.h"

#include <cstring>
#include <sstream>
#include <stdexcept>

namespace ncv::nhi {

HostMemory::HostMemory(sc_core::sc_module_name name, uint64_t base) : sc_module(name), tsock("tsock"), next_(base) {
  tsock.register_b_transport(this, &HostMemory::b_transport);
  tsock.register_transport_dbg(this, &HostMemory::transport_dbg);
}

uint64_t HostMemory::alloc(uint64_t bytes, uint64_t align, const std::string &what) {
  if (bytes == 0 || align == 0 || (align & (align - 1)))
    throw std::invalid_argument("HostMemory::alloc(" + what + "): size must be > 0 and align a power of two");
  const uint64_t at = (next_ + align - 1) & ~(align - 1);
  bufs_.emplace(at, Buf{at, std::vector<uint8_t>(bytes, 0), what});
  next_ = ((at + bytes + 0xFFF) & ~0xFFFull) + 0x1000;  // unbacked guard page
  return at;
}

const HostMemory::Buf *HostMemory::find(uint64_t addr, uint64_t len) const {
  auto it = bufs_.upper_bound(addr);
  if (it == bufs_.begin()) return nullptr;
  --it;
  const Buf &b = it->second;
  if (addr + len < addr || addr + len > b.base + b.data.size()) return nullptr;
  return &b;
}

bool HostMemory::read(uint64_t addr, void *data, uint64_t len) const {
  const Buf *b = find(addr, len);
  if (!b) return false;
  std::memcpy(data, b->data.data() + (addr - b->base), len);
  return true;
}

bool HostMemory::write(uint64_t addr, const void *data, uint64_t len) {
  const Buf *b = find(addr, len);
  if (!b) return false;
  std::memcpy(const_cast<uint8_t *>(b->data.data()) + (addr - b->base), data, len);
  return true;
}

uint64_t HostMemory::msi_count(uint32_t data) const {
  auto it = msi_.find(data);
  return it == msi_.end() ? 0 : it->second;
}

void HostMemory::watch_ring(uint64_t base, uint32_t entries, const std::string &what) {
  for (auto &r : rings_)
    if (r.base == base) {
      r = Ring{base, entries, what, std::vector<bool>(entries, false)};
      return;
    }
  rings_.push_back(Ring{base, entries, what, std::vector<bool>(entries, false)});
}

void HostMemory::check_ring(uint64_t addr, uint64_t len) {
  for (auto &r : rings_) {
    if (addr < r.base || addr >= r.base + 16ull * r.entries) continue;
    const uint64_t off = addr - r.base;
    const uint32_t i = static_cast<uint32_t>(off / 16);
    const uint64_t lo = off % 16, hi = lo + len;  // byte range within the entry
    if (lo == 0 && hi >= 14) r.body[i] = true;
    if (hi > 14) {
      if (!r.body[i]) {
        std::ostringstream m;
        m << r.what << " entry " << i << " @0x" << std::hex << addr << ": phase written before the entry body";
        errors_.push_back(m.str());
      }
      r.body[i] = false;
    }
  }
}

void HostMemory::b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
  const uint64_t addr = gp.get_address();
  const unsigned len = gp.get_data_length();
  delay += sc_core::sc_time(50, sc_core::SC_NS) + sc_core::sc_time(len / 32, sc_core::SC_NS);
  if (gp.get_byte_enable_ptr() || gp.get_streaming_width() < len) {
    gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  if (addr >= kMsiBase && addr < kMsiBase + kMsiSize) {
    if (!gp.is_write() || len != 4) {
      gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
      return;
    }
    uint32_t d;
    std::memcpy(&d, gp.get_data_ptr(), 4);
    ++msi_[d];
    msi_ev_.notify(sc_core::SC_ZERO_TIME);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  const bool ok = gp.is_read() ? read(addr, gp.get_data_ptr(), len) : write(addr, gp.get_data_ptr(), len);
  if (!ok) {
    ++access_errors_;
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (gp.is_write()) check_ring(addr, len);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned HostMemory::transport_dbg(tlm::tlm_generic_payload &gp) {
  const unsigned len = gp.get_data_length();
  const bool ok =
      gp.is_read() ? read(gp.get_address(), gp.get_data_ptr(), len) : write(gp.get_address(), gp.get_data_ptr(), len);
  return ok ? len : 0;
}

}  // namespace ncv::nhi
