// TLM-2.0 <-> NSP endpoint core-side pins (rtl/switch/nsp_endpoint.sv): how a chip's
// interconnect reaches other chips' HBM through the NSP fabric (system.md "Address maps",
// docs/switch.md "Remote access").
//
//  - `remote` (target): accesses of the chip interconnect's window [39] = 1, rebased to
//    [38:0]: chip = [38:31], offset = [30:0]. Each access becomes request packets on VC0
//    (WR with the data, RD without), at most 256 bytes each (a write with sparse byte
//    enables becomes one packet per run of enabled bytes); the caller's thread waits for
//    the responses on VC1 (this socket must be called from an SC_THREAD). A response with
//    status DECODE_ERR (no route, unmapped offset) answers TLM_ADDRESS_ERROR_RESPONSE;
//    TARGET_ABORT, POISON, a poisoned response and no response within RESP_TIMEOUT cycles
//    (a packet dropped for its TTL) answer TLM_GENERIC_ERROR_RESPONSE.
//  - `local` (initiator): requests arriving from the fabric are served in arrival order as
//    b_transport into the chip's own HBM, then answered on VC1.
//  - `csr` (target): the endpoint's CSR page (models/bridges/data/nsp_ep_csr.rdl, chip CSR
//    offset 0x01_0000); also called from SC_THREADs only (link counters are read through
//    the endpoint's counter port at a clock edge).
//
// Packet use of the NSP header (docs/switch.md "Wire format"): opcode RD/WR/RD_RSP/WR_RSP,
// vc 0 for requests and 1 for responses, dst/src node ids (a chip's node id is its NODE_ID
// register, by default the chip index), tag = the originator's transaction number, len =
// data flits, addr = the byte offset in the target's HBM, byte_en[8:0] = the byte count
// (1..256); data byte i of the packet is bits 8*(i%16)+7..8*(i%16) of data flit i/16.
//
// Clocking (system.md "Time and clocks"): the endpoint's outputs are sampled at the rising
// edge (a process triggered by the edge sees the values from before it); every input of
// the endpoint changes at the falling edge.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

namespace ncv::bridges {

// The core-side and control pins of one nsp_endpoint, in Verilator's SystemC types (NVC = 4
// VCs of 128-bit flits: in/out data are 4 x 128 = 512 bits, VC v in bits 128v+127..128v).
struct NspEpPins {
  sc_core::sc_signal<bool> enable{"enable"}, retrain{"retrain"}, credit_ignore{"credit_ignore"};
  sc_core::sc_signal<uint32_t> in_valid{"in_valid"}, in_ready{"in_ready"};
  sc_core::sc_signal<sc_dt::sc_bv<512>> in_data{"in_data"};
  sc_core::sc_signal<uint32_t> out_valid{"out_valid"}, out_ready{"out_ready"}, out_count{"out_count"};
  sc_core::sc_signal<sc_dt::sc_bv<512>> out_data{"out_data"};
  sc_core::sc_signal<uint32_t> state{"state"}, cnt_idx{"cnt_idx"}, cnt{"cnt"};
};

// The 128-bit NSP header (nsp_pkg::hdr_t), MSB first.
struct NspHeader {
  unsigned opcode = 0, vc = 0, dst = 0, src = 0, tag = 0, len = 0, flow = 0, status = 0;
  bool poison = false;
  unsigned ttl = 0;
  uint64_t addr = 0;
  uint32_t byte_en = 0;
  sc_dt::sc_bv<128> pack() const;
  static NspHeader unpack(const sc_dt::sc_bv<128> &f);
};

enum NspOp : unsigned { kNspNop = 0, kNspRd = 1, kNspWr = 2, kNspRdRsp = 3, kNspWrRsp = 4, kNspMsg = 5 };
enum NspStatus : unsigned { kNspOk = 0, kNspDecodeErr = 1, kNspTargetAbort = 2, kNspPoison = 3, kNspTimeout = 4 };

class NspBridge : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<NspBridge> remote{"remote"};
  tlm_utils::simple_initiator_socket<NspBridge> local{"local"};
  tlm_utils::simple_target_socket<NspBridge> csr{"csr"};
  sc_core::sc_in<bool> clk{"clk"};
  sc_core::sc_in<bool> rst_n{"rst_n"};

  // `cycle`: the clock period (RESP_TIMEOUT counts it).
  NspBridge(sc_core::sc_module_name name, NspEpPins &pins, unsigned node_id,
            sc_core::sc_time cycle = sc_core::sc_time(1, sc_core::SC_NS));
  // The node id after reset (NODE_ID's reset value; the sled sets the chip index).
  void set_node_id(unsigned id);
  // Debug transport (untimed backdoor, no packets): `remote`'s transport_dbg calls
  // `peer(chip, gp)` with gp rebased to the offset; the sled points it at that chip's
  // local_debug(). Without it debug accesses of the window answer 0 bytes.
  void set_peer_debug(std::function<unsigned(unsigned chip, tlm::tlm_generic_payload &gp)> peer) {
    peer_dbg_ = std::move(peer);
  }
  // A debug access of this chip's own memory (through `local`).
  unsigned local_debug(tlm::tlm_generic_payload &gp) { return local->transport_dbg(gp); }

  struct Stats {
    uint64_t req_tx = 0, rsp_rx = 0, req_rx = 0, rsp_tx = 0, bytes_wr = 0, bytes_rd = 0, errors = 0, timeouts = 0,
             orphans = 0;
  };
  const Stats &stats() const { return st_; }
  unsigned node_id() const { return node_id_; }

 private:
  struct Packet {
    NspHeader h;
    std::vector<sc_dt::sc_bv<128>> data;
  };
  struct Pending {
    sc_core::sc_event done;
    bool completed = false;
    unsigned status = kNspOk;
    bool poison = false;
    std::vector<uint8_t> data;
  };
  struct Rx {
    bool in_pkt = false;
    Packet pkt;
  };

  void b_transport_remote(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  void b_transport_csr(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  unsigned transport_dbg_remote(tlm::tlm_generic_payload &gp);
  std::shared_ptr<Pending> issue(unsigned opcode, unsigned dst, uint64_t off, const uint8_t *data, unsigned n,
                                 unsigned &tag);
  void send(const Packet &p);
  void sample();
  void drive();
  void serve();
  void rx_done(unsigned vc, Packet &p);
  void note_error(unsigned status, unsigned dst);
  bool csr_read(uint32_t off, uint32_t &v);
  bool csr_write(uint32_t off, uint32_t v);

  NspEpPins &p_;
  unsigned node_id_, reset_node_id_;
  sc_core::sc_time cycle_;
  // CSR state (nsp_ep_csr.rdl).
  bool link_enable_ = false, retrain_req_ = false;
  unsigned ttl_ = 15;
  uint32_t resp_timeout_ = 16384;  // cycles
  uint32_t err_status_ = 0, last_err_ = 0;
  unsigned cnt_idx_ = 0;
  sc_core::sc_mutex cnt_mutex_;

  std::deque<sc_dt::sc_bv<128>> txq_[4];
  Rx rx_[4];
  std::deque<Packet> reqq_;
  sc_core::sc_event req_ev_;
  std::map<unsigned, std::shared_ptr<Pending>> pend_;
  unsigned next_tag_ = 0;
  uint64_t gen_ = 0;  // bumped at reset: responses to older requests are dropped
  std::function<unsigned(unsigned, tlm::tlm_generic_payload &)> peer_dbg_;
  Stats st_;
};

}  // namespace ncv::bridges
