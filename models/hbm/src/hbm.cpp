#include "ncv/hbm/hbm.h"

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <sstream>

#include "hbm_csr_regs.h"

namespace ncv::hbm {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

Preset make_preset(const HbmParams &p) {
  Preset pr = preset_by_name(p.preset);
  for (const auto &o : p.overrides) preset_override(pr, o.first, o.second);
  validate(pr);
  return pr;
}

uint64_t checked_size(const HbmParams &p, const Preset &pr) {
  const uint64_t cap = pr.capacity_bytes();
  const uint64_t s = p.size_bytes ? p.size_bytes : cap;
  if (s > cap)
    throw ConfigError("hbm: field 'size_bytes': expected at most the capacity of preset " + pr.name + " (" +
                      std::to_string(cap) + " bytes), got " + std::to_string(s));
  if (s % pr.bytes_per_burst() != 0)
    throw ConfigError("hbm: field 'size_bytes': expected a multiple of the burst size " +
                      std::to_string(pr.bytes_per_burst()) + ", got " + std::to_string(s));
  return s;
}

}  // namespace

// The controller CSRs (hbm_csr.rdl).
class Hbm::Csr : public ncv::sc::RegDevice {
 public:
  Csr(sc_core::sc_module_name name, Hbm &h) : RegDevice(name, sc_time(2, sc_core::SC_NS)), h_(h) {}

 protected:
  bool reg_read(uint32_t off, uint32_t &v) override {
    if (off >= HBM_CSR_STAT_RD_BURSTS) h_.sync();
    uint64_t rd = 0, wr = 0, hits = 0, miss = 0, refs = 0;
    for (const auto &c : h_.ctrls_) {
      const ControllerStats &s = c->stats();
      rd += s.reads;
      wr += s.writes;
      hits += s.row_hits;
      miss += s.row_misses + s.row_conflicts;
      refs += s.refreshes;
    }
    const Preset &p = h_.preset_;
    switch (off) {
      case HBM_CSR_ID: v = HBM_CSR_ID_RESET; break;
      case HBM_CSR_GEOMETRY:
        v = (p.name == "HBM2E" ? 1u : 0u) | (p.pcs_total() & 0xFFu) << HBM_CSR_GEOMETRY_PCS_SHIFT |
            (p.banks() & 0xFFu) << HBM_CSR_GEOMETRY_BANKS_SHIFT |
            (p.bytes_per_burst() & 0xFFu) << HBM_CSR_GEOMETRY_BURST_BYTES_SHIFT;
        break;
      case HBM_CSR_MEM_SIZE: v = uint32_t(h_.mem_.size() >> 20); break;
      case HBM_CSR_CLOCK: v = p.tck_ps & HBM_CSR_CLOCK_TCK_PS_MASK; break;
      case HBM_CSR_ECC_CTRL: v = h_.ecc_enable_ ? 1u : 0u; break;
      case HBM_CSR_ECC_STATUS: v = h_.ecc_status_; break;
      case HBM_CSR_ECC_INT_ENABLE: v = h_.ecc_int_enable_; break;
      case HBM_CSR_ECC_CE_COUNT: v = uint32_t(std::min<uint64_t>(h_.ce_count_, 0xFFFFFFFFu)); break;
      case HBM_CSR_ECC_UE_COUNT: v = uint32_t(std::min<uint64_t>(h_.ue_count_, 0xFFFFFFFFu)); break;
      case HBM_CSR_ECC_ERR_ADDR_LO: v = uint32_t(h_.err_addr_); break;
      case HBM_CSR_ECC_ERR_ADDR_HI: v = uint32_t(h_.err_addr_ >> 32); break;
      case HBM_CSR_ECC_ERR_INFO:
        v = (h_.err_ue_ ? HBM_CSR_ECC_ERR_INFO_UE_MASK : 0u) | (h_.err_valid_ ? HBM_CSR_ECC_ERR_INFO_VALID_MASK : 0u);
        break;
      case HBM_CSR_ECC_INJ_ADDR_LO: v = uint32_t(h_.inj_addr_); break;
      case HBM_CSR_ECC_INJ_ADDR_HI: v = uint32_t(h_.inj_addr_ >> 32); break;
      case HBM_CSR_ECC_INJ_CTRL: v = inj_ctrl_; break;
      case HBM_CSR_STAT_RD_BURSTS: v = uint32_t(rd); break;
      case HBM_CSR_STAT_WR_BURSTS: v = uint32_t(wr); break;
      case HBM_CSR_STAT_ROW_HITS: v = uint32_t(hits); break;
      case HBM_CSR_STAT_ROW_MISSES: v = uint32_t(miss); break;
      case HBM_CSR_STAT_REFRESHES: v = uint32_t(refs); break;
      default: return false;
    }
    return true;
  }

  bool reg_write(uint32_t off, uint32_t v) override {
    const bool irq_before = h_.irq();
    switch (off) {
      case HBM_CSR_ID:
      case HBM_CSR_GEOMETRY:
      case HBM_CSR_MEM_SIZE:
      case HBM_CSR_CLOCK:
      case HBM_CSR_ECC_ERR_ADDR_LO:
      case HBM_CSR_ECC_ERR_ADDR_HI:
      case HBM_CSR_ECC_ERR_INFO:
      case HBM_CSR_STAT_RD_BURSTS:
      case HBM_CSR_STAT_WR_BURSTS:
      case HBM_CSR_STAT_ROW_HITS:
      case HBM_CSR_STAT_ROW_MISSES:
      case HBM_CSR_STAT_REFRESHES: break;  // read-only
      case HBM_CSR_ECC_CTRL: h_.ecc_enable_ = (v & HBM_CSR_ECC_CTRL_ENABLE_MASK) != 0; break;
      case HBM_CSR_ECC_STATUS: h_.ecc_status_ &= ~(v & 3u); break;
      case HBM_CSR_ECC_INT_ENABLE: h_.ecc_int_enable_ = v & 3u; break;
      case HBM_CSR_ECC_CE_COUNT: h_.ce_count_ = 0; break;
      case HBM_CSR_ECC_UE_COUNT: h_.ue_count_ = 0; break;
      case HBM_CSR_ECC_INJ_ADDR_LO: h_.inj_addr_ = (h_.inj_addr_ & ~uint64_t(0xFFFFFFFFu)) | v; break;
      case HBM_CSR_ECC_INJ_ADDR_HI: h_.inj_addr_ = (h_.inj_addr_ & 0xFFFFFFFFu) | uint64_t(v) << 32; break;
      case HBM_CSR_ECC_INJ_CTRL:
        inj_ctrl_ = v & (HBM_CSR_ECC_INJ_CTRL_UE_MASK | HBM_CSR_ECC_INJ_CTRL_PERSIST_MASK);
        if (v & HBM_CSR_ECC_INJ_CTRL_GO_MASK)
          h_.inject_error(h_.inj_addr_, (v & HBM_CSR_ECC_INJ_CTRL_UE_MASK) ? 2 : 1,
                          (v & HBM_CSR_ECC_INJ_CTRL_PERSIST_MASK) != 0);
        break;
      default: return false;
    }
    if (h_.irq() != irq_before && sc_core::sc_is_running()) h_.irq_ev_.notify(SC_ZERO_TIME);
    return true;
  }

 private:
  Hbm &h_;
  uint32_t inj_ctrl_ = 0;
};

Hbm::Hbm(sc_core::sc_module_name name, const HbmParams &p)
    : sc_module(name),
      tsock("tsock"),
      p_(p),
      preset_(make_preset(p)),
      map_(preset_, p.mapping),
      tck_(double(preset_.tck_ps), sc_core::SC_PS),
      mem_(checked_size(p, preset_)),
      ecc_(preset_.bytes_per_burst(), p.seed) {
  if (tck_.value() == 0) throw ConfigError("hbm: field 'tck_ps': expected a multiple of the SystemC time resolution");
  if (!(p.window_ns > 0)) throw ConfigError("hbm: field 'window_ns': expected a value > 0");
  ecc_.set_rates(p.ce_rate, p.ue_rate);
  for (unsigned i = 0; i < preset_.pcs_total(); ++i)
    ctrls_.push_back(std::make_unique<Controller>(preset_, p.ctrl,
                                                  [this](uint64_t tag, int64_t done) { on_burst_done(tag, done); }));
  next_.assign(ctrls_.size(), Controller::kIdle);
  tsock.register_b_transport(this, &Hbm::b_transport);
  tsock.register_nb_transport_fw(this, &Hbm::nb_transport_fw);
  tsock.register_transport_dbg(this, &Hbm::transport_dbg);
  csr_ = std::make_unique<Csr>("csr", *this);
  SC_HAS_PROCESS(Hbm);
  SC_METHOD(wake);
  sensitive << wake_ev_;
  dont_initialize();
  SC_METHOD(send_responses);
  sensitive << resp_ev_;
  dont_initialize();
}

Hbm::~Hbm() = default;

ncv::sc::RegDevice &Hbm::csr() {
  return *csr_;
}

void Hbm::backdoor_read(uint64_t addr, uint8_t *dst, uint64_t len) const {
  if (!mem_.in_range(addr, len)) throw std::out_of_range("hbm backdoor read outside the modelled size");
  mem_.read(addr, dst, len);
}

void Hbm::backdoor_write(uint64_t addr, const uint8_t *src, uint64_t len) {
  if (!mem_.in_range(addr, len)) throw std::out_of_range("hbm backdoor write outside the modelled size");
  mem_.write(addr, src, len);
}

void Hbm::inject_error(uint64_t addr, unsigned bits, bool persistent) {
  ecc_.inject(addr, bits, persistent);
}

void Hbm::set_status(uint32_t bits) {
  const bool before = irq();
  ecc_status_ |= bits;
  if (irq() != before && sc_core::sc_is_running()) irq_ev_.notify(SC_ZERO_TIME);
}

void Hbm::ecc_event(uint64_t word, bool ue) {
  err_addr_ = word;
  err_ue_ = ue;
  err_valid_ = true;
  if (ue) {
    ++ue_count_;
    set_status(HBM_CSR_ECC_STATUS_UE_MASK);
    std::ostringstream m;
    m << "uncorrectable ECC error at 0x" << std::hex << word;
    SC_REPORT_INFO_VERB(name(), m.str().c_str(), sc_core::SC_MEDIUM);
  } else {
    ++ce_count_;
    set_status(HBM_CSR_ECC_STATUS_CE_MASK);
  }
}

bool Hbm::accept(tlm::tlm_generic_payload &gp) {
  const uint64_t addr = gp.get_address();
  const unsigned len = gp.get_data_length();
  if (len == 0 || !mem_.in_range(addr, len)) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  if (gp.get_streaming_width() < len) {
    gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return false;
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  if (gp.is_write()) {
    mem_.write(addr, gp.get_data_ptr(), len, gp.get_byte_enable_ptr(), gp.get_byte_enable_length());
    const uint64_t w0 = ecc_.word_of(addr), word = ecc_.word_bytes();
    for (uint64_t w = w0; w < addr + len; w += word)
      if (w >= addr && w + word <= addr + len && !gp.get_byte_enable_ptr()) ecc_.write_word(w);
    return true;
  }
  if (!gp.is_read()) return false;  // TLM_IGNORE_COMMAND: nothing to do, no time
  uint8_t *data = gp.get_data_ptr();
  mem_.read(addr, data, len);
  const uint64_t word = ecc_.word_bytes();
  for (uint64_t w = ecc_.word_of(addr); w < addr + len; w += word) {
    const unsigned bits = ecc_.read_word(w);
    if (!bits) continue;
    const bool poison = !ecc_enable_ || bits == 2;
    if (poison) {
      // The flipped bits reach the data: bits 0 (and 1) of the word's first byte in range.
      const uint64_t at = std::max(w, addr) - addr;
      data[at] ^= uint8_t(bits == 2 ? 3u : 1u);
    }
    if (!ecc_enable_) continue;
    ecc_event(w, bits == 2);
    if (bits == 2) gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
  }
  return true;
}

uint64_t Hbm::enqueue(tlm::tlm_generic_payload &gp, int64_t arrival, int socket, bool at) {
  const uint64_t tag = next_tag_++;
  Txn &t = txns_[tag];
  t.gp = &gp;
  t.socket = socket;
  t.at = at;
  t.arrival = arrival;
  const uint64_t bpb = preset_.bytes_per_burst();
  const uint64_t addr = gp.get_address(), end = addr + gp.get_data_length();
  if (!any_txn_ || double(arrival) * preset_.tck_ps / 1000.0 < stats_.first_ns) {
    stats_.first_ns = double(arrival) * preset_.tck_ps / 1000.0;
    any_txn_ = true;
  }
  for (uint64_t a = addr & ~(bpb - 1); a < end; a += bpb) {
    const Coord c = map_.decode(a);
    const unsigned i = c.ch * preset_.pseudo_channels + c.pc;
    Controller &ctl = *ctrls_[i];
    Burst b;
    b.tag = tag;
    b.write = gp.is_write();
    b.bg = c.bg;
    b.ba = c.ba;
    b.row = c.row;
    b.col = c.col;
    b.arrival = arrival;
    ctl.enqueue(b);
    next_[i] = std::min(next_[i], std::max(arrival, ctl.now()));
    ++t.remaining;
  }
  return tag;
}

void Hbm::on_burst_done(uint64_t tag, int64_t done) {
  auto it = txns_.find(tag);
  if (it == txns_.end()) return;
  Txn &t = it->second;
  t.done = std::max(t.done, done);
  if (--t.remaining == 0) finish(tag, t);
}

void Hbm::finish(uint64_t tag, Txn &t) {
  const double ns_per_cycle = preset_.tck_ps / 1000.0;
  const int64_t resp = t.done + p_.phy_delay_cycles;
  const double lat = double(resp - t.arrival) * ns_per_cycle;
  const unsigned len = t.gp->get_data_length();
  if (t.gp->is_write()) {
    ++stats_.write_txns;
    stats_.bytes_written += len;
  } else {
    ++stats_.read_txns;
    stats_.bytes_read += len;
  }
  stats_.lat_min_ns = lat_n_ ? std::min(stats_.lat_min_ns, lat) : lat;
  stats_.lat_max_ns = std::max(stats_.lat_max_ns, lat);
  lat_sum_ns_ += lat;
  ++lat_n_;
  ++hist_[std::min<size_t>(size_t(lat / kHistBinNs), kHistBins)];
  const double end_ns = double(t.done) * ns_per_cycle;
  stats_.last_ns = std::max(stats_.last_ns, end_ns);
  windows_[uint64_t(end_ns / p_.window_ns)] += len;
  if (t.at) {
    resp_due_.emplace(resp, tag);
    const sc_time due = tck_ * double(resp), now = sc_core::sc_time_stamp();
    resp_ev_.notify(due > now ? due - now : SC_ZERO_TIME);
  }
}

void Hbm::b_transport(int id, tlm::tlm_generic_payload &gp, sc_time &delay) {
  if (!accept(gp)) return;
  const sc_time now = sc_core::sc_time_stamp();
  const int64_t arrival = cycle_ceil(now + delay);
  const uint64_t tag = enqueue(gp, arrival, id, false);
  const uint64_t bpb = preset_.bytes_per_burst();
  const uint64_t addr = gp.get_address(), end = addr + gp.get_data_length();
  for (uint64_t a = addr & ~(bpb - 1); a < end && txns_.at(tag).remaining; a += bpb) {
    const Coord c = map_.decode(a);
    const unsigned i = c.ch * preset_.pseudo_channels + c.pc;
    ctrls_[i]->run_until_done(tag);
    next_[i] = ctrls_[i]->next_event();
  }
  const Txn &t = txns_.at(tag);
  const sc_time resp = tck_ * double(t.done + p_.phy_delay_cycles);
  delay = resp > now ? resp - now : SC_ZERO_TIME;
  txns_.erase(tag);
  reschedule();
}

tlm::tlm_sync_enum Hbm::nb_transport_fw(int id, tlm::tlm_generic_payload &gp, tlm::tlm_phase &phase, sc_time &delay) {
  if (phase == tlm::BEGIN_REQ) {
    if (!accept(gp)) {
      phase = tlm::BEGIN_RESP;
      return tlm::TLM_COMPLETED;
    }
    if (gp.has_mm()) gp.acquire();
    enqueue(gp, cycle_ceil(sc_core::sc_time_stamp() + delay), id, true);
    reschedule();
    phase = tlm::END_REQ;
    return tlm::TLM_UPDATED;
  }
  if (phase == tlm::END_RESP) {
    resp_busy_[id] = false;
    send_next(id);
    return tlm::TLM_COMPLETED;
  }
  SC_REPORT_ERROR(name(), "nb_transport_fw: unexpected phase (expected BEGIN_REQ or END_RESP)");
  return tlm::TLM_COMPLETED;
}

unsigned Hbm::transport_dbg(int, tlm::tlm_generic_payload &gp) {
  const uint64_t addr = gp.get_address();
  const unsigned len = gp.get_data_length();
  if (!mem_.in_range(addr, len)) return 0;
  if (gp.is_read())
    mem_.read(addr, gp.get_data_ptr(), len);
  else if (gp.is_write())
    mem_.write(addr, gp.get_data_ptr(), len);
  return len;
}

void Hbm::wake() {
  const int64_t t = cycle_floor(sc_core::sc_time_stamp());
  for (size_t i = 0; i < ctrls_.size(); ++i) {
    if (next_[i] > t) continue;
    ctrls_[i]->advance_through(t);
    next_[i] = ctrls_[i]->next_event();
  }
  reschedule();
}

void Hbm::sync() {
  const int64_t t = cycle_floor(sc_core::sc_time_stamp()) - 1;  // decisions strictly before now
  for (size_t i = 0; i < ctrls_.size(); ++i) {
    if (ctrls_[i]->now() > t) continue;
    ctrls_[i]->advance_through(t);
    next_[i] = ctrls_[i]->next_event();
  }
  reschedule();
}

void Hbm::reschedule() {
  const int64_t m = *std::min_element(next_.begin(), next_.end());
  if (m == Controller::kIdle) return;
  const sc_time at = tck_ * double(m), now = sc_core::sc_time_stamp();
  wake_ev_.notify(at > now ? at - now : SC_ZERO_TIME);
}

void Hbm::send_responses() {
  const int64_t now = cycle_floor(sc_core::sc_time_stamp());
  std::vector<int> sockets;
  while (!resp_due_.empty() && resp_due_.begin()->first <= now) {
    const uint64_t tag = resp_due_.begin()->second;
    resp_due_.erase(resp_due_.begin());
    const int s = txns_.at(tag).socket;
    backlog_[s].push_back(tag);
    sockets.push_back(s);
  }
  for (int s : sockets) send_next(s);
  if (!resp_due_.empty()) {
    const sc_time due = tck_ * double(resp_due_.begin()->first), t = sc_core::sc_time_stamp();
    resp_ev_.notify(due > t ? due - t : SC_ZERO_TIME);
  }
}

void Hbm::send_next(int socket) {
  auto &q = backlog_[socket];
  while (!resp_busy_[socket] && !q.empty()) {
    const uint64_t tag = q.front();
    q.erase(q.begin());
    tlm::tlm_generic_payload *gp = txns_.at(tag).gp;
    txns_.erase(tag);
    tlm::tlm_phase ph = tlm::BEGIN_RESP;
    sc_time d = SC_ZERO_TIME;
    const tlm::tlm_sync_enum r = tsock[socket]->nb_transport_bw(*gp, ph, d);
    if (r == tlm::TLM_ACCEPTED || (r == tlm::TLM_UPDATED && ph != tlm::END_RESP)) resp_busy_[socket] = true;
    if (gp->has_mm()) gp->release();
  }
}

HbmStats Hbm::stats() const {
  HbmStats s = stats_;
  for (const auto &c : ctrls_) {
    const ControllerStats &x = c->stats();
    s.read_bursts += x.reads;
    s.write_bursts += x.writes;
    s.row_hits += x.row_hits;
    s.row_misses += x.row_misses;
    s.row_conflicts += x.row_conflicts;
    s.acts += x.acts;
    s.refreshes += x.refreshes;
    s.turnarounds += x.turnarounds;
  }
  s.ecc_corrected = ce_count_;
  s.ecc_uncorrectable = ue_count_;
  s.lat_mean_ns = lat_n_ ? lat_sum_ns_ / double(lat_n_) : 0.0;
  return s;
}

std::string Hbm::stats_json() const {
  const HbmStats s = stats();
  std::ostringstream o;
  o << std::setprecision(6);
  o << "{\"name\": \"" << name() << "\", \"preset\": \"" << preset_.name << "\", \"peak_gbps\": " << peak_gbps()
    << ", \"read_txns\": " << s.read_txns << ", \"write_txns\": " << s.write_txns
    << ", \"bytes_read\": " << s.bytes_read << ", \"bytes_written\": " << s.bytes_written
    << ", \"bandwidth_gbps\": " << s.bandwidth_gbps() << ", \"read_bursts\": " << s.read_bursts
    << ", \"write_bursts\": " << s.write_bursts << ", \"row_hits\": " << s.row_hits
    << ", \"row_misses\": " << s.row_misses << ", \"row_conflicts\": " << s.row_conflicts
    << ", \"row_hit_rate\": " << s.row_hit_rate() << ", \"activates\": " << s.acts << ", \"refreshes\": " << s.refreshes
    << ", \"turnarounds\": " << s.turnarounds << ", \"ecc_corrected\": " << s.ecc_corrected
    << ", \"ecc_uncorrectable\": " << s.ecc_uncorrectable << ", \"latency_ns\": {\"min\": " << s.lat_min_ns
    << ", \"mean\": " << s.lat_mean_ns << ", \"max\": " << s.lat_max_ns << ", \"bin_ns\": " << kHistBinNs
    << ", \"histogram\": {";
  bool first = true;
  for (unsigned i = 0; i <= kHistBins; ++i) {
    if (!hist_[i]) continue;
    o << (first ? "" : ", ") << "\"" << (i * kHistBinNs) << "\": " << hist_[i];
    first = false;
  }
  o << "}}, \"window_ns\": " << p_.window_ns << ", \"window_gbps\": {";
  first = true;
  for (const auto &w : windows_) {
    o << (first ? "" : ", ") << "\"" << w.first << "\": " << double(w.second) / p_.window_ns;
    first = false;
  }
  o << "}, \"pc_utilisation\": [";
  const double span = s.last_ns - s.first_ns;
  for (size_t i = 0; i < ctrls_.size(); ++i) {
    const double busy = double(ctrls_[i]->stats().data_cycles) * preset_.tck_ps / 1000.0;
    o << (i ? ", " : "") << (span > 0 ? busy / span : 0.0);
  }
  o << "]}";
  return o.str();
}

void Hbm::print_stats(std::ostream &os) const {
  const HbmStats s = stats();
  os << name() << " (" << preset_.name << ", peak " << peak_gbps() << " GB/s): " << s.read_txns << " reads, "
     << s.write_txns << " writes, " << (s.bytes_read + s.bytes_written) << " bytes, " << s.bandwidth_gbps()
     << " GB/s, row-hit rate " << s.row_hit_rate() << ", refreshes " << s.refreshes << ", latency min/mean/max "
     << s.lat_min_ns << "/" << s.lat_mean_ns << "/" << s.lat_max_ns << " ns, ECC corrected " << s.ecc_corrected
     << " uncorrectable " << s.ecc_uncorrectable << "\n";
}

}  // namespace ncv::hbm
