#include "ncv/bridges/nsp_bridge.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "nsp_ep_csr_regs.h"

namespace ncv::bridges {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

using Words = std::array<uint32_t, 4>;  // word 0 = bits 31:0

void put(Words &w, unsigned lsb, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    const uint32_t m = 1u << (b % 32);
    if ((v >> i) & 1u)
      w[b / 32] |= m;
    else
      w[b / 32] &= ~m;
  }
}

uint64_t get(const Words &w, unsigned lsb, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) v |= uint64_t((w[(lsb + i) / 32] >> ((lsb + i) % 32)) & 1u) << i;
  return v;
}

sc_dt::sc_bv<128> to_bits(const Words &w) {
  sc_dt::sc_bv<128> b;
  for (unsigned i = 0; i < 4; ++i) b.range(32 * i + 31, 32 * i) = w[i];
  return b;
}

Words to_words(const sc_dt::sc_bv<128> &b) {
  Words w{};
  for (unsigned i = 0; i < 4; ++i) w[i] = uint32_t(b.range(32 * i + 31, 32 * i).to_uint());
  return w;
}

// Data flits of n bytes: byte i at bits 8*(i%16)+7..8*(i%16) of flit i/16.
std::vector<sc_dt::sc_bv<128>> to_flits(const uint8_t *d, unsigned n) {
  std::vector<sc_dt::sc_bv<128>> f;
  for (unsigned o = 0; o < n; o += 16) {
    Words w{};
    for (unsigned i = 0; i < 16 && o + i < n; ++i) w[i / 4] |= uint32_t(d[o + i]) << (8 * (i % 4));
    f.push_back(to_bits(w));
  }
  return f;
}

void from_flits(const std::vector<sc_dt::sc_bv<128>> &f, uint8_t *d, unsigned n) {
  for (unsigned i = 0; i < n; ++i) {
    const Words w = to_words(f.at(i / 16));
    d[i] = uint8_t(w[(i % 16) / 4] >> (8 * (i % 4)));
  }
}

constexpr unsigned kMaxBytes = 256;
constexpr unsigned kReqQueue = 4;  // requests waiting to be served before VC0 backpressure

}  // namespace

sc_dt::sc_bv<128> NspHeader::pack() const {
  Words w{};
  put(w, 122, 6, opcode);
  put(w, 120, 2, vc);
  put(w, 110, 10, dst);
  put(w, 100, 10, src);
  put(w, 89, 11, tag);
  put(w, 84, 5, len);
  put(w, 80, 4, flow);
  put(w, 76, 4, status);
  put(w, 75, 1, poison);
  put(w, 71, 4, ttl);
  put(w, 23, 48, addr);
  put(w, 0, 23, byte_en);
  return to_bits(w);
}

NspHeader NspHeader::unpack(const sc_dt::sc_bv<128> &f) {
  const Words w = to_words(f);
  NspHeader h;
  h.opcode = unsigned(get(w, 122, 6));
  h.vc = unsigned(get(w, 120, 2));
  h.dst = unsigned(get(w, 110, 10));
  h.src = unsigned(get(w, 100, 10));
  h.tag = unsigned(get(w, 89, 11));
  h.len = unsigned(get(w, 84, 5));
  h.flow = unsigned(get(w, 80, 4));
  h.status = unsigned(get(w, 76, 4));
  h.poison = get(w, 75, 1) != 0;
  h.ttl = unsigned(get(w, 71, 4));
  h.addr = get(w, 23, 48);
  h.byte_en = uint32_t(get(w, 0, 23));
  return h;
}

NspBridge::NspBridge(sc_core::sc_module_name name, NspEpPins &pins, unsigned node_id, sc_time cycle)
    : sc_module(name), p_(pins), node_id_(node_id), reset_node_id_(node_id), cycle_(cycle) {
  remote.register_b_transport(this, &NspBridge::b_transport_remote);
  remote.register_transport_dbg(this, &NspBridge::transport_dbg_remote);
  csr.register_b_transport(this, &NspBridge::b_transport_csr);
  SC_HAS_PROCESS(NspBridge);
  SC_METHOD(sample);
  sensitive << clk.pos();
  dont_initialize();
  SC_METHOD(drive);
  sensitive << clk.neg();
  dont_initialize();
  SC_THREAD(serve);
}

void NspBridge::set_node_id(unsigned id) {
  node_id_ = reset_node_id_ = id & 0x3FFu;
}

void NspBridge::send(const Packet &p) {
  std::deque<sc_dt::sc_bv<128>> &q = txq_[p.h.vc & 3u];
  q.push_back(p.h.pack());
  for (const auto &f : p.data) q.push_back(f);
}

std::shared_ptr<NspBridge::Pending> NspBridge::issue(unsigned opcode, unsigned dst, uint64_t off, const uint8_t *data,
                                                     unsigned n, unsigned &tag) {
  // The next free tag (at most 2048 requests of this endpoint are outstanding).
  while (pend_.count(next_tag_)) next_tag_ = (next_tag_ + 1) & 0x7FFu;
  tag = next_tag_;
  next_tag_ = (next_tag_ + 1) & 0x7FFu;
  auto pd = std::make_shared<Pending>();
  pend_[tag] = pd;
  Packet p;
  p.h.opcode = opcode;
  p.h.vc = 0;
  p.h.dst = dst;
  p.h.src = node_id_;
  p.h.tag = tag;
  p.h.ttl = ttl_;
  p.h.addr = off;
  p.h.byte_en = n;
  if (opcode == kNspWr) {
    p.data = to_flits(data, n);
    p.h.len = unsigned(p.data.size());
    st_.bytes_wr += n;
  } else {
    st_.bytes_rd += n;
  }
  ++st_.req_tx;
  send(p);
  return pd;
}

void NspBridge::note_error(unsigned status, unsigned dst) {
  ++st_.errors;
  err_status_ |= 1u << std::min(status, 4u);
  last_err_ = (status & 0xFu) | ((dst & 0x3FFu) << 16) | (1u << 31);
}

void NspBridge::b_transport_remote(tlm::tlm_generic_payload &gp, sc_time &delay) {
  sc_core::wait(delay);
  delay = SC_ZERO_TIME;
  const uint64_t a = gp.get_address();
  const unsigned len = gp.get_data_length();
  const unsigned dst = unsigned((a >> 31) & 0xFFu);
  const uint64_t off = a & 0x7FFFFFFFull;
  if ((a >> 39) != 0 || off + len > (1ull << 31) || gp.get_streaming_width() < len) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (!gp.is_read() && !gp.is_write()) {
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  // The pieces: reads in 256-byte chunks; writes per run of enabled bytes, then 256 bytes.
  struct Piece {
    unsigned pos = 0, n = 0, tag = 0;
    std::shared_ptr<Pending> pd;
  };
  std::vector<Piece> pieces;
  const uint8_t *be = gp.get_byte_enable_ptr();
  const unsigned bel = gp.get_byte_enable_length();
  auto enabled = [&](unsigned i) { return !gp.is_write() || !be || bel == 0 || be[i % bel] != 0; };
  for (unsigned i = 0; i < len;) {
    if (!enabled(i)) {
      ++i;
      continue;
    }
    unsigned j = i;
    while (j < len && enabled(j) && j - i < kMaxBytes) ++j;
    Piece pc;
    pc.pos = i;
    pc.n = j - i;
    pieces.push_back(pc);
    i = j;
  }
  uint8_t *d = gp.get_data_ptr();
  for (auto &pc : pieces)
    pc.pd = issue(gp.is_write() ? kNspWr : kNspRd, dst, off + pc.pos, d + pc.pos, pc.n, pc.tag);
  // Wait for every response (or the timeout); the worst status answers.
  const sc_time deadline = sc_core::sc_time_stamp() + cycle_ * double(resp_timeout_);
  tlm::tlm_response_status rs = tlm::TLM_OK_RESPONSE;
  for (auto &pc : pieces) {
    Pending &pd = *pc.pd;
    if (!pd.completed && sc_core::sc_time_stamp() < deadline)
      sc_core::wait(deadline - sc_core::sc_time_stamp(), pd.done);
    if (!pd.completed) {
      // No response: dropped in the fabric (TTL) or lost; a late response is an orphan.
      auto it = pend_.find(pc.tag);
      if (it != pend_.end() && it->second == pc.pd) pend_.erase(it);
      ++st_.timeouts;
      pd.status = kNspTimeout;
    }
    if (pd.status == kNspOk && pd.poison) pd.status = kNspPoison;
    if (pd.status != kNspOk) {
      note_error(pd.status, dst);
      if (pd.status == kNspDecodeErr) {
        rs = tlm::TLM_ADDRESS_ERROR_RESPONSE;
      } else if (rs == tlm::TLM_OK_RESPONSE) {
        rs = tlm::TLM_GENERIC_ERROR_RESPONSE;
      }
      continue;
    }
    if (gp.is_read()) std::memcpy(d + pc.pos, pd.data.data(), std::min<size_t>(pc.n, pd.data.size()));
  }
  gp.set_response_status(rs);
}

unsigned NspBridge::transport_dbg_remote(tlm::tlm_generic_payload &gp) {
  const uint64_t a = gp.get_address();
  const uint64_t off = a & 0x7FFFFFFFull;
  if (!peer_dbg_ || (a >> 39) != 0 || off + gp.get_data_length() > (1ull << 31)) return 0;
  gp.set_address(off);
  const unsigned n = peer_dbg_(unsigned((a >> 31) & 0xFFu), gp);
  gp.set_address(a);
  return n;
}

void NspBridge::rx_done(unsigned vc, Packet &p) {
  const unsigned op = p.h.opcode;
  if ((op == kNspRd || op == kNspWr) && vc == 0) {
    reqq_.push_back(std::move(p));
    req_ev_.notify();
    return;
  }
  if (op == kNspRdRsp || op == kNspWrRsp) {
    ++st_.rsp_rx;
    auto it = pend_.find(p.h.tag);
    if (it == pend_.end()) {
      ++st_.orphans;
      err_status_ |= NSP_EP_CSR_ERR_STATUS_ORPHAN_MASK;
      return;
    }
    Pending &pd = *it->second;
    pd.status = p.h.status;
    pd.poison = p.h.poison;
    if (op == kNspRdRsp && pd.status == kNspOk) {
      const unsigned n = std::min<unsigned>(p.h.byte_en & 0x1FFu, unsigned(p.data.size()) * 16);
      pd.data.assign(n, 0);
      from_flits(p.data, pd.data.data(), n);
    }
    pd.completed = true;
    pd.done.notify();
    pend_.erase(it);
    return;
  }
  ++st_.orphans;  // anything else (MSG, NOP, a request on another VC) is dropped
  err_status_ |= NSP_EP_CSR_ERR_STATUS_ORPHAN_MASK;
}

void NspBridge::sample() {
  if (!rst_n.read()) {
    for (auto &q : txq_) q.clear();
    for (auto &r : rx_) r = Rx{};
    reqq_.clear();
    for (auto &[tag, pd] : pend_) {  // fail what is outstanding
      pd->status = kNspTimeout;
      pd->completed = true;
      pd->done.notify();
    }
    pend_.clear();
    ++gen_;
    return;
  }
  const uint32_t iv = p_.in_valid.read(), ir = p_.in_ready.read();
  for (unsigned v = 0; v < 4; ++v)
    if (((iv & ir) >> v) & 1u && !txq_[v].empty()) txq_[v].pop_front();
  const uint32_t ov = p_.out_valid.read(), ordy = p_.out_ready.read();
  if (ov & ordy) {
    const sc_dt::sc_bv<512> od = p_.out_data.read();
    for (unsigned v = 0; v < 4; ++v) {
      if (!(((ov & ordy) >> v) & 1u)) continue;
      const sc_dt::sc_bv<128> f = od.range(128 * v + 127, 128 * v);
      Rx &r = rx_[v];
      if (!r.in_pkt) {
        r.pkt = Packet{};
        r.pkt.h = NspHeader::unpack(f);
        r.in_pkt = r.pkt.h.len != 0;
      } else {
        r.pkt.data.push_back(f);
        r.in_pkt = r.pkt.data.size() < r.pkt.h.len;
      }
      if (!r.in_pkt) rx_done(v, r.pkt);
    }
  }
}

void NspBridge::drive() {
  const bool run = rst_n.read();
  uint32_t iv = 0;
  for (unsigned v = 0; v < 4; ++v)
    if (run && !txq_[v].empty()) iv |= 1u << v;
  p_.in_valid.write(iv);
  if (iv) {  // in_data is only touched with a flit (copying it every cycle is costly)
    sc_dt::sc_bv<512> id = p_.in_data.read();
    for (unsigned v = 0; v < 4; ++v)
      if ((iv >> v) & 1u) id.range(128 * v + 127, 128 * v) = txq_[v].front();
    p_.in_data.write(id);
  }
  // VC1..3 always drain (responses never block); requests wait while the server is busy.
  p_.out_ready.write(run ? (0xEu | (reqq_.size() < kReqQueue ? 1u : 0u)) : 0u);
  p_.enable.write(link_enable_);
  p_.retrain.write(retrain_req_);
  retrain_req_ = false;  // a one-cycle pulse
  p_.credit_ignore.write(false);
  p_.cnt_idx.write(cnt_idx_);
}

void NspBridge::serve() {
  for (;;) {
    while (reqq_.empty()) sc_core::wait(req_ev_);
    Packet rq = std::move(reqq_.front());
    reqq_.pop_front();
    const uint64_t gen = gen_;
    ++st_.req_rx;
    Packet rs;
    rs.h.opcode = rq.h.opcode == kNspRd ? kNspRdRsp : kNspWrRsp;
    rs.h.vc = 1;
    rs.h.dst = rq.h.src;
    rs.h.src = node_id_;
    rs.h.tag = rq.h.tag;
    rs.h.flow = rq.h.flow;
    rs.h.ttl = ttl_;
    rs.h.addr = rq.h.addr;
    const unsigned n = rq.h.byte_en & 0x1FFu;
    rs.h.byte_en = n;
    const bool wr = rq.h.opcode == kNspWr;
    if (n == 0 || n > kMaxBytes || (wr && rq.data.size() * 16 < n)) {
      rs.h.status = kNspTargetAbort;  // malformed request
    } else if (rq.h.poison) {
      rs.h.status = kNspPoison;  // poisoned data is never written
    } else {
      std::vector<uint8_t> buf(n, 0);
      if (wr) from_flits(rq.data, buf.data(), n);
      tlm::tlm_generic_payload gp;
      gp.set_command(wr ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
      gp.set_address(rq.h.addr);
      gp.set_data_ptr(buf.data());
      gp.set_data_length(n);
      gp.set_streaming_width(n);
      gp.set_byte_enable_ptr(nullptr);
      gp.set_byte_enable_length(0);
      gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      sc_time d = SC_ZERO_TIME;
      local->b_transport(gp, d);
      sc_core::wait(d);
      if (gp.get_response_status() == tlm::TLM_OK_RESPONSE) {
        rs.h.status = kNspOk;
        if (!wr) {
          rs.data = to_flits(buf.data(), n);
          rs.h.len = unsigned(rs.data.size());
        }
      } else {
        rs.h.status = gp.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE ? kNspDecodeErr : kNspTargetAbort;
      }
    }
    if (gen != gen_) continue;  // a reset came in between
    ++st_.rsp_tx;
    send(rs);
  }
}

// ------------------------------------------------------------------------------------------
// CSR page (nsp_ep_csr.rdl).

static uint32_t sat32(uint64_t v) {
  return v > 0xFFFFFFFFull ? 0xFFFFFFFFu : uint32_t(v);
}

bool NspBridge::csr_read(uint32_t off, uint32_t &v) {
  switch (off) {
    case NSP_EP_CSR_ID: v = 0x4E535045u; return true;
    case NSP_EP_CSR_NODE_ID: v = node_id_; return true;
    case NSP_EP_CSR_LINK_CTRL: v = link_enable_ ? 1u : 0u; return true;
    case NSP_EP_CSR_LINK_STATE: v = p_.state.read() & 7u; return true;
    case NSP_EP_CSR_TTL: v = ttl_; return true;
    case NSP_EP_CSR_RESP_TIMEOUT: v = resp_timeout_; return true;
    case NSP_EP_CSR_ERR_STATUS: v = err_status_; return true;
    case NSP_EP_CSR_LAST_ERR: v = last_err_; return true;
    case NSP_EP_CSR_REQ_TX: v = sat32(st_.req_tx); return true;
    case NSP_EP_CSR_RSP_RX: v = sat32(st_.rsp_rx); return true;
    case NSP_EP_CSR_REQ_RX: v = sat32(st_.req_rx); return true;
    case NSP_EP_CSR_RSP_TX: v = sat32(st_.rsp_tx); return true;
    case NSP_EP_CSR_BYTES_WR: v = sat32(st_.bytes_wr); return true;
    case NSP_EP_CSR_BYTES_RD: v = sat32(st_.bytes_rd); return true;
    case NSP_EP_CSR_ERRORS: v = sat32(st_.errors); return true;
    case NSP_EP_CSR_TIMEOUTS: v = sat32(st_.timeouts); return true;
    case NSP_EP_CSR_OUTSTANDING: v = uint32_t(pend_.size()); return true;
    default: return false;
  }
}

bool NspBridge::csr_write(uint32_t off, uint32_t v) {
  switch (off) {
    case NSP_EP_CSR_NODE_ID: node_id_ = v & 0x3FFu; return true;
    case NSP_EP_CSR_LINK_CTRL:
      link_enable_ = (v & NSP_EP_CSR_LINK_CTRL_ENABLE_MASK) != 0;
      if (v & NSP_EP_CSR_LINK_CTRL_RETRAIN_MASK) retrain_req_ = true;
      return true;
    case NSP_EP_CSR_TTL: ttl_ = v & 0xFu; return true;
    case NSP_EP_CSR_RESP_TIMEOUT: resp_timeout_ = std::max<uint32_t>(v, 1u); return true;
    case NSP_EP_CSR_ERR_STATUS: err_status_ &= ~v; return true;
    case NSP_EP_CSR_ID:
    case NSP_EP_CSR_LINK_STATE:
    case NSP_EP_CSR_LAST_ERR:
    case NSP_EP_CSR_REQ_TX:
    case NSP_EP_CSR_RSP_RX:
    case NSP_EP_CSR_REQ_RX:
    case NSP_EP_CSR_RSP_TX:
    case NSP_EP_CSR_BYTES_WR:
    case NSP_EP_CSR_BYTES_RD:
    case NSP_EP_CSR_ERRORS:
    case NSP_EP_CSR_TIMEOUTS:
    case NSP_EP_CSR_OUTSTANDING: return true;  // read-only: writes ignored
    default: return false;
  }
}

void NspBridge::b_transport_csr(tlm::tlm_generic_payload &gp, sc_time &delay) {
  const uint64_t addr = gp.get_address();
  if (gp.get_data_length() != 4 || (addr & 3) != 0 || gp.get_byte_enable_ptr() != nullptr ||
      gp.get_streaming_width() < 4) {
    gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  const uint32_t off = uint32_t(addr);
  uint32_t v = 0;
  if (off >= NSP_EP_CSR_LINK_CNT(0) && off <= NSP_EP_CSR_LINK_CNT(63)) {
    // A link counter: select it on the endpoint's counter port at a falling edge and read
    // it before the next rising edge.
    sc_core::wait(delay);
    delay = SC_ZERO_TIME;
    if (gp.is_read()) {
      cnt_mutex_.lock();
      cnt_idx_ = (off - NSP_EP_CSR_LINK_CNT(0)) / 4;
      sc_core::wait(clk.negedge_event());
      sc_core::wait(clk.posedge_event());
      v = p_.cnt.read();
      cnt_mutex_.unlock();
      std::memcpy(gp.get_data_ptr(), &v, 4);
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  bool ok;
  if (gp.is_read()) {
    ok = csr_read(off, v);
    if (ok) std::memcpy(gp.get_data_ptr(), &v, 4);
  } else {
    std::memcpy(&v, gp.get_data_ptr(), 4);
    ok = !gp.is_write() || csr_write(off, v);
  }
  gp.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
  delay += sc_time(2, sc_core::SC_NS);
}

}  // namespace ncv::bridges
