// Host memory model (host.md "Pieces"): the memory the NHI DMA engine reaches through its
// `host_dma` socket. Only allocated buffers are backed: an access that is not wholly inside
// one buffer answers TLM_ADDRESS_ERROR_RESPONSE (no silent wrap), so DMA outside the host
// buffer fails. Writes into the MSI-X range are interrupt messages (data = vector as the
// driver programs it). Registered completion rings are checked for the "body before
// phase" rule.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <tlm_utils/simple_target_socket.h>
#include <systemc>

namespace ncv::nhi {

class HostMemory : public sc_core::sc_module {
 public:
  static constexpr uint64_t kMsiBase = 0xFEE00000ull;
  static constexpr uint64_t kMsiSize = 0x1000ull;

  tlm_utils::simple_target_socket<HostMemory> tsock;

  explicit HostMemory(sc_core::sc_module_name name, uint64_t base = 0x100000000ull);

  // Buffers: allocated upwards from `base` with a 4 KiB unbacked guard after each.
  uint64_t alloc(uint64_t bytes, uint64_t align, const std::string &what);
  // Backdoor (no time); false when the range is not inside one buffer.
  bool read(uint64_t addr, void *data, uint64_t len) const;
  bool write(uint64_t addr, const void *data, uint64_t len);

  // MSI-X messages received, by data value, and an event on each.
  uint64_t msi_count(uint32_t data) const;
  const sc_core::sc_event &msi_event() const { return msi_ev_; }
  // Completion/event rings whose 16-byte entries must get their body (bytes 0..13)
  // before their phase half-word (14..15). Violations go to errors().
  void watch_ring(uint64_t base, uint32_t entries, const std::string &what);
  const std::vector<std::string> &errors() const { return errors_; }
  void clear_errors() { errors_.clear(); }
  uint64_t access_errors() const { return access_errors_; }

 private:
  struct Buf {
    uint64_t base;
    std::vector<uint8_t> data;
    std::string what;
  };
  struct Ring {
    uint64_t base;
    uint32_t entries;
    std::string what;
    std::vector<bool> body;  // body written since the last phase write
  };
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  unsigned transport_dbg(tlm::tlm_generic_payload &gp);
  const Buf *find(uint64_t addr, uint64_t len) const;
  void check_ring(uint64_t addr, uint64_t len);

  uint64_t next_;
  std::map<uint64_t, Buf> bufs_;
  std::vector<Ring> rings_;
  std::map<uint32_t, uint64_t> msi_;
  sc_core::sc_event msi_ev_;
  std::vector<std::string> errors_;
  uint64_t access_errors_ = 0;
};

}  // namespace ncv::nhi
