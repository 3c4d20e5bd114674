#include "sw_tb.h"

#include <verilated.h>
#include <verilated_fst_c.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <deque>
#include <map>
#include <stdexcept>
#include <type_traits>

#include "Vnsp_tb.h"

namespace {
// Failed bound assertions (sva/switch) as Verilator printed them, for SwitchTb::cycle.
std::vector<std::string> &sva_failures() {
  static std::vector<std::string> v;
  return v;
}
}  // namespace

// Verilator's VL_PRINTF in this testbench's model (sw_vl_printf.h): print as before, and
// keep each "Assertion failed" line.
int ncv_sw_vl_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char buf[1024];
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::fputs(buf, stdout);
  const std::string line(buf);
  if (line.find("Assertion failed in ") != std::string::npos) sva_failures().push_back(line);
  return n;
}

namespace ncv::tbsw {

namespace {

// "[t] %Error: file.sv:12: Assertion failed in top.a.b.Name: message\n" -> ("Name", rest).
std::pair<std::string, std::string> parse_sva(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  const std::string key = "Assertion failed in ";
  const size_t at = line.find(key);
  const size_t file = line.find("%Error: ");
  const size_t colon = line.find(": ", at + key.size());
  if (at == std::string::npos || colon == std::string::npos) return {"UNKNOWN", line};
  const std::string hier = line.substr(at + key.size(), colon - at - key.size());
  const size_t dot = hier.rfind('.');
  const std::string name = dot == std::string::npos ? hier : hier.substr(dot + 1);
  const std::string where = file == std::string::npos ? "" : line.substr(file + 8, at - file - 8);
  return {name, where + hier + ": " + line.substr(colon + 2)};
}

// nsp_pkg constants the testbench needs.
enum : unsigned {
  CNT_STATE = 0, CNT_CRC_ERR = 1, CNT_SEQ_ERR = 2, CNT_NAK_TX = 3, CNT_NAK_RX = 4, CNT_REPLAY = 5,
  CNT_REPLAY_TO = 6, CNT_CREDIT_OVF = 7, CNT_DUP_DROP = 8, CNT_CTL_CRC_ERR = 9, CNT_POISON_RX = 10,
  CNT_POISON_TX = 11, CNT_PKT_IN = 12, CNT_PKT_OUT = 16, CNT_FLIT_IN = 20, CNT_FLIT_OUT = 24,
  CNT_HIWATER = 28, CNT_TX_CREDIT = 32, CNT_TX_LSN = 36, CNT_RX_EXP = 37, CNT_OUTSTANDING = 38,
  CNT_FRAMES_TX = 39, CNT_CTL_TX = 40, CNT_FRAMES_RX = 41, CNT_DEGRADED = 42, CNT_RX_OCC = 44,
  CNT_RB_USED = 48, CNT_RETRAIN = 49, CNT_LIMIT = 52, CNT_SENT = 56, CNT_FREED = 60
};
enum : unsigned { OP_NOP = 0, OP_RD = 1, OP_WR = 2, OP_RD_RSP = 3, OP_WR_RSP = 4, OP_MSG = 5 };
constexpr unsigned ST_DECODE_ERR = 1;
constexpr unsigned LS_UP = 2;
constexpr uint64_t REPLAY_SETTLE = 300;  // > the links' replay timeout
// Switch registers: nsp_switch_regs.h, generated from rtl/switch/data/nsp_switch.rdl.
constexpr uint32_t R_ERR_STATUS = NSP_SWITCH_ERR_STATUS, R_ERR_IRQ_EN = NSP_SWITCH_ERR_IRQ_EN,
                   R_LINK_IRQ = NSP_SWITCH_LINK_IRQ_STATUS, R_LINK_IRQ_EN = NSP_SWITCH_LINK_IRQ_EN,
                   R_RT_SWAP = NSP_SWITCH_RT_SWAP;
constexpr uint32_t RT_VALID = NSP_SWITCH_RT_SHADOW_VALID_MASK;
constexpr unsigned LS_DEGRADED = 3;

// Header fields: (lsb, width) of the 128-bit header, MSB first in nsp_pkg::hdr_t.
struct Field {
  unsigned lsb, width;
};
constexpr Field F_OPCODE{122, 6}, F_VC{120, 2}, F_DST{110, 10}, F_SRC{100, 10}, F_TAG{89, 11}, F_LEN{84, 5},
    F_FLOW{80, 4}, F_STATUS{76, 4}, F_POISON{75, 1}, F_TTL{71, 4}, F_ADDR{23, 48}, F_BE{0, 23};

uint64_t get(const Flit128 &f, Field fd) {
  uint64_t v = 0;
  for (unsigned i = 0; i < fd.width; ++i) {
    const unsigned b = fd.lsb + i;
    v |= uint64_t((f[b / 32] >> (b % 32)) & 1u) << i;
  }
  return v;
}
void put(Flit128 &f, Field fd, uint64_t v) {
  for (unsigned i = 0; i < fd.width; ++i) {
    const unsigned b = fd.lsb + i;
    f[b / 32] = (f[b / 32] & ~(1u << (b % 32))) | (uint32_t((v >> i) & 1u) << (b % 32));
  }
}

uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

Flit128 data_flit(uint64_t uid, unsigned i) {
  Flit128 f;
  for (unsigned j = 0; j < 4; ++j) f[j] = uint32_t(mix(uid * 64 + i * 4 + j));
  return f;
}

std::string hexf(const Flit128 &f) {
  char b[40];
  std::snprintf(b, sizeof b, "%08x%08x%08x%08x", f[3], f[2], f[1], f[0]);
  return b;
}

// Bit access to Verilated ports of any width.
template <class S>
uint32_t word_of(const S &s, unsigned w) {
  if constexpr (std::is_integral_v<S>) {
    return w >= (sizeof(S) + 3) / 4 ? 0u : uint32_t(uint64_t(s) >> (32 * w));
  } else {
    return s[w];
  }
}
template <class S>
uint64_t bits_of(const S &s, unsigned lsb, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    v |= uint64_t((word_of(s, b / 32) >> (b % 32)) & 1u) << i;
  }
  return v;
}
template <class S>
void set_bits(S &s, unsigned lsb, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    const uint64_t bit = (v >> i) & 1u;
    if constexpr (std::is_integral_v<S>) {
      using U = std::make_unsigned_t<S>;
      U m = U(U(1) << b);
      s = S(bit ? (U(s) | m) : (U(s) & U(~m)));
    } else {
      s[b / 32] = (s[b / 32] & ~(1u << (b % 32))) | (uint32_t(bit) << (b % 32));
    }
  }
}
template <class S>
Flit128 flit_of(const S &s, unsigned idx) {
  Flit128 f;
  for (unsigned j = 0; j < 4; ++j) f[j] = word_of(s, idx * 4 + j);
  return f;
}
template <class S>
void set_flit(S &s, unsigned idx, const Flit128 &f) {
  for (unsigned j = 0; j < 4; ++j) s[idx * 4 + j] = f[j];
}

// The covergroup declared by the simulation main (one instance per configuration).
tb::Covergroup &grp(tb::CoverageDb &db, const std::string &name) {
  for (const auto &g : db.groups())
    if (g->name() == name) return *g;
  throw std::logic_error("covergroup " + name + " was not declared");
}

const char *pattern_name(Pattern p) {
  switch (p) {
    case Pattern::kUniform: return "uniform";
    case Pattern::kIncast: return "incast";
    case Pattern::kTranspose: return "transpose";
    case Pattern::kHotspot: return "hotspot";
  }
  return "?";
}

}  // namespace

// One packet the testbench sent and what may become of it.
struct Expect {
  uint64_t uid = 0;
  unsigned src = 0, vc = 0, len = 0, flow = 0;
  uint16_t dst_id = 0;
  uint64_t seq = 0;
  uint64_t t0 = 0;        // generation cycle
  unsigned table0 = 0;    // routing table version at generation
  bool request = false, ttl0 = false;
  std::vector<Flit128> flits;  // as sent
};

struct SwitchTb::Impl {
  VerilatedContext ctx;
  std::unique_ptr<Vnsp_tb> top;
  std::unique_ptr<VerilatedFstC> fst;
  std::vector<std::unique_ptr<link::LinkModel>> up, down;  // ep -> sw, sw -> ep
  std::vector<link::Flit> up_out, down_out;
  // Stimulus queues per endpoint and VC: flits waiting for in_ready.
  std::vector<std::array<std::deque<Flit128>, kNvc>> txq;
  std::vector<unsigned> bp_left;  // backpressure cycles left per endpoint
  // Receive assembly per endpoint and VC.
  std::vector<std::array<std::vector<Flit128>, kNvc>> rxa;
  // Node ids: the primary id of each endpoint, aliases, and ids never valid.
  std::vector<uint16_t> primary;
  std::vector<uint16_t> aliases;
  std::vector<uint16_t> invalid_ids;
  std::vector<std::vector<int>> tables;  // versions of id -> endpoint (-1 invalid)
  std::vector<uint64_t> table_from;      // first cycle each version may be in use
  std::vector<int> shadow;               // what the testbench has written to the shadow bank
  std::vector<int> queued_active;        // the active table once every queued write is done
  std::deque<std::vector<int>> swap_tables;  // the table each queued swap activates
  // Scoreboard.
  std::map<uint64_t, Expect> pending;
  std::set<uint64_t> done;
  std::map<std::tuple<unsigned, unsigned, unsigned, unsigned>, uint64_t> last_seq;  // (src, dst id, vc, flow)
  std::map<std::tuple<unsigned, unsigned, unsigned, unsigned>, uint64_t> next_seq;
  uint64_t next_uid = 1;
  unsigned generated = 0, to_generate = 0;
  std::vector<unsigned> gen_count;
  // Counts since the last reset, for counter reconciliation.
  std::vector<std::array<uint64_t, kNvc>> sent_pkts, sent_flits, recv_pkts, recv_flits;
  std::vector<uint64_t> sent_poison, recv_poison;
  uint64_t delivered = 0, decode_err = 0, ttl_drops = 0, silent_miss = 0, lost_by_reset = 0;
  // Damaged NAKs per port and link direction (up, down) before the last fabric reset: the
  // link models count the whole run, the RTL's counters restart at a reset.
  std::map<unsigned, std::pair<uint64_t, uint64_t>> nak_damaged_before_reset;
  uint64_t ambiguous_resolved_drop = 0;
  uint64_t deliveries_seen = 0;
  // Negative test sw_sb_order: a delivery held back until the next one of its stream.
  bool reorder_held = false, reorder_done = false;
  unsigned held_ep = 0, held_vc = 0;
  std::vector<Flit128> held;
  // Directed test sw_degraded: what was seen of the DEGRADED episode.
  bool deg_seen = false, deg_irq = false, deg_err = false, deg_retrained = false, deg_up_again = false;
  uint64_t deg_cycle = 0;
  // Throughput and latency: flits delivered, first generation and last delivery cycles,
  // per-packet latency from generation to the delivery of its last flit.
  uint64_t flits_delivered = 0, first_gen = 0, last_delivery = 0;
  std::vector<uint64_t> latency;
  // CSR write queue.
  std::deque<std::pair<uint32_t, uint32_t>> csr_q;
  uint64_t last_progress = 0;
  Pattern pattern = Pattern::kUniform;
  unsigned hotspot = 0;
  bool stop_gen = false;
  std::map<std::string, uint64_t> events;
};

SwitchTb::SwitchTb(unsigned nports, const SwKnobs &k, tb::CoverageDb &cov)
    : n_(nports), k_(k), cov_(cov), log_(tb::Log::get()), rng_(k.seed, "tb.switch"), impl_(new Impl) {
  Impl &m = *impl_;
  m.ctx.randReset(0);
  m.ctx.fatalOnError(false);  // a failed assertion is reported by cycle(), not by exit()
  sva_failures().clear();
  m.ctx.traceEverOn(!k.waves.empty());
  m.top.reset(new Vnsp_tb(&m.ctx, "nsp_tb_top"));
  if (!k.waves.empty()) {
    m.fst.reset(new VerilatedFstC);
    m.top->trace(m.fst.get(), 99);
    m.fst->open(k.waves.c_str());
  }
  log_.set_time_source([this] { return cycle_ * 1000; });
  for (unsigned p = 0; p < n_; ++p) {
    link::LinkKnobs lk = k.link;
    m.up.emplace_back(new link::LinkModel(k.seed, "link.ep" + std::to_string(p) + ".up", lk));
    m.down.emplace_back(new link::LinkModel(k.seed, "link.ep" + std::to_string(p) + ".down", lk));
    if (k.forced_frames) {
      m.up.back()->corrupt_next_frames(k.forced_frames);
      m.down.back()->corrupt_next_frames(k.forced_frames);
    }
    if (k.degrade_frames && p == 0) m.down.back()->corrupt_next_frames(k.degrade_frames);
  }
  m.up_out.assign(n_, link::Flit{});
  m.down_out.assign(n_, link::Flit{});
  m.txq.resize(n_);
  m.rxa.resize(n_);
  m.bp_left.assign(n_, 0);
  m.gen_count.assign(n_, 0);
  m.sent_pkts.assign(n_, {});
  m.sent_flits.assign(n_, {});
  m.recv_pkts.assign(n_, {});
  m.recv_flits.assign(n_, {});
  m.sent_poison.assign(n_, 0);
  m.recv_poison.assign(n_, 0);
  // Node ids: distinct random ids for primaries, aliases and never-valid ids.
  std::vector<size_t> ids = rng_.subset(1024, n_ * 3 + 8);
  rng_.shuffle(ids);
  size_t i = 0;
  for (unsigned p = 0; p < n_; ++p) m.primary.push_back(uint16_t(ids[i++]));
  for (unsigned a = 0; a < n_ * 2; ++a) m.aliases.push_back(uint16_t(ids[i++]));
  while (i < ids.size()) m.invalid_ids.push_back(uint16_t(ids[i++]));
  m.pattern = k.pattern;
  m.hotspot = unsigned(rng_.range(0, n_ - 1));
  std::vector<int> t(1024, -1);
  for (unsigned p = 0; p < n_; ++p) t[m.primary[p]] = int(p);
  for (unsigned a = 0; a < m.aliases.size(); ++a) t[m.aliases[a]] = int(a % n_);
  m.tables.push_back(t);
  m.table_from.push_back(0);
  m.shadow = t;
  m.queued_active = t;
}

SwitchTb::~SwitchTb() {
  if (impl_->fst) impl_->fst->close();
  impl_->top->final();
}

uint32_t SwitchTb::csr_read(uint32_t addr) {
  Vnsp_tb &t = *impl_->top;
  t.csr_addr_i = uint16_t(addr);
  t.eval();
  return t.csr_rdata_o;
}

void SwitchTb::csr_write(uint32_t addr, uint32_t v) { impl_->csr_q.emplace_back(addr, v); }

uint32_t SwitchTb::ep_cnt(unsigned ep, unsigned idx) {
  Vnsp_tb &t = *impl_->top;
  t.ep_cnt_idx_i = uint8_t(idx);
  t.eval();
  return uint32_t(bits_of(t.ep_cnt_o, 32 * ep, 32));
}

void SwitchTb::cycle() {
  Impl &m = *impl_;
  Vnsp_tb &t = *m.top;
  // Drive: link wires, core stimulus, backpressure, one register write.
  for (unsigned p = 0; p < n_; ++p) {
    set_bits(t.sw_rx_valid_i, p, 1, m.up_out[p].valid);
    set_bits(t.sw_rx_kind_i, 2 * p, 2, m.up_out[p].kind);
    set_flit(t.sw_rx_data_i, p, m.up_out[p].w);
    set_bits(t.ep_rx_valid_i, p, 1, m.down_out[p].valid);
    set_bits(t.ep_rx_kind_i, 2 * p, 2, m.down_out[p].kind);
    set_flit(t.ep_rx_data_i, p, m.down_out[p].w);
    if (m.bp_left[p] > 0) {
      --m.bp_left[p];
    } else if (k_.backpressure > 0 && rng_.chance(k_.backpressure)) {
      m.bp_left[p] = unsigned(rng_.range(1, 40));
    }
    for (unsigned v = 0; v < kNvc; ++v) {
      const unsigned i = p * kNvc + v;
      const bool have = !m.txq[p][v].empty();
      set_bits(t.in_valid_i, i, 1, have);
      if (have) set_flit(t.in_data_i, i, m.txq[p][v].front());
      set_bits(t.out_ready_i, i, 1, m.bp_left[p] == 0 && !(k_.credit_ignore_test && p == 1 % n_));
    }
  }
  t.csr_valid_i = 0;
  t.csr_write_i = 0;
  if (!m.csr_q.empty()) {
    t.csr_valid_i = 1;
    t.csr_write_i = 1;
    t.csr_addr_i = uint16_t(m.csr_q.front().first);
    t.csr_wdata_i = m.csr_q.front().second;
    if (m.csr_q.front().first == R_RT_SWAP && !m.swap_tables.empty()) {
      m.tables.push_back(m.swap_tables.front());
      m.swap_tables.pop_front();
      m.table_from.push_back(cycle_);
    }
    m.csr_q.pop_front();
  }
  t.clk_i = 0;
  t.eval();
  // Handshakes of this cycle.
  for (unsigned p = 0; p < n_; ++p) {
    for (unsigned v = 0; v < kNvc; ++v) {
      const unsigned i = p * kNvc + v;
      if (bits_of(t.in_valid_i, i, 1) && bits_of(t.in_ready_o, i, 1)) {
        m.txq[p][v].pop_front();
        m.last_progress = cycle_;
      }
      if (bits_of(t.out_valid_o, i, 1) && bits_of(t.out_ready_i, i, 1)) {
        auto &a = m.rxa[p][v];
        a.push_back(flit_of(t.out_data_o, i));
        m.last_progress = cycle_;
        if (a.size() == get(a.front(), F_LEN) + 1) {
          deliver(p, v, a);
          a.clear();
        }
      }
    }
  }
  if (m.fst) m.fst->dump(cycle_ * 2);
  t.clk_i = 1;
  t.eval();
  ++cycle_;
  if (m.fst) m.fst->dump(cycle_ * 2 - 1);
  if (!sva_failures().empty()) {
    // Bound assertions (sva/switch) checked at this edge: each failure is a test failure.
    for (const std::string &f : sva_failures()) {
      const auto [name, text] = parse_sva(f);
      log_.error("SVA." + name, text);
      ++problems_;
    }
    sva_failures().clear();
    throw SvaStop();
  }
  // The flits registered at this edge enter the wires.
  for (unsigned p = 0; p < n_; ++p) {
    link::Flit e, s;
    e.valid = bits_of(t.ep_tx_valid_o, p, 1);
    e.kind = uint8_t(bits_of(t.ep_tx_kind_o, 2 * p, 2));
    e.w = flit_of(t.ep_tx_data_o, p);
    s.valid = bits_of(t.sw_tx_valid_o, p, 1);
    s.kind = uint8_t(bits_of(t.sw_tx_kind_o, 2 * p, 2));
    s.w = flit_of(t.sw_tx_data_o, p);
    m.up_out[p] = m.up[p]->step(e);
    m.down_out[p] = m.down[p]->step(s);
  }
}

void SwitchTb::reset_fabric() {
  Impl &m = *impl_;
  Vnsp_tb &t = *m.top;
  t.rst_ni = 0;
  t.ep_enable_i = 0;
  for (unsigned p = 0; p < n_; ++p) {
    m.up[p]->flush();
    m.down[p]->flush();
    m.nak_damaged_before_reset[p] = {m.up[p]->counts().damaged_nak, m.down[p]->counts().damaged_nak};
    m.up_out[p] = link::Flit{};
    m.down_out[p] = link::Flit{};
    for (unsigned v = 0; v < kNvc; ++v) {
      m.txq[p][v].clear();
      m.rxa[p][v].clear();
    }
    m.sent_pkts[p] = {};
    m.sent_flits[p] = {};
    m.recv_pkts[p] = {};
    m.recv_flits[p] = {};
    m.sent_poison[p] = m.recv_poison[p] = 0;
  }
  m.csr_q.clear();
  m.swap_tables.clear();
  for (int i = 0; i < 5; ++i) cycle();
  t.rst_ni = 1;
  // Packets in flight are lost with the fabric; what was delivered stays checked.
  m.lost_by_reset += m.pending.size();
  m.pending.clear();
  m.delivered = m.decode_err = m.ttl_drops = m.silent_miss = 0;
  // The routing table is empty after reset: program both banks with the current table.
  const std::vector<int> cur = m.queued_active;
  m.tables.push_back(std::vector<int>(1024, -1));
  m.table_from.push_back(cycle_);
  for (int bank = 0; bank < 2; ++bank) {
    for (unsigned id = 0; id < 1024; ++id)
      if (cur[id] >= 0) csr_write(NSP_SWITCH_RT_SHADOW(id), RT_VALID | unsigned(cur[id]));
    m.shadow = cur;
    m.swap_tables.push_back(cur);
    csr_write(R_RT_SWAP, 1);
  }
  cycle();
}

bool SwitchTb::bring_up() {
  Impl &m = *impl_;
  Vnsp_tb &t = *m.top;
  for (unsigned p = 0; p < n_; ++p) csr_write(NSP_SWITCH_PORT_LINK_CTRL(p), NSP_SWITCH_PORT_LINK_CTRL_ENABLE_MASK);
  csr_write(R_ERR_IRQ_EN, 0xFFFFFFFFu);
  t.ep_enable_i = uint8_t((1u << n_) - 1);
  const uint64_t limit = cycle_ + 3000;
  while (cycle_ < limit) {
    cycle();
    bool all = m.csr_q.empty();
    for (unsigned p = 0; p < n_ && all; ++p) {
      const unsigned se = unsigned(bits_of(t.ep_state_o, 3 * p, 3));
      all = se == LS_UP && sw_cnt(p, CNT_STATE) == LS_UP;
    }
    if (all) {
      // Fresh links: full credit, lsn 0, nothing outstanding.
      for (unsigned p = 0; p < n_; ++p) {
        for (unsigned v = 0; v < kNvc; ++v) {
          if (ep_cnt(p, CNT_TX_CREDIT + v) != kSwBuf || sw_cnt(p, CNT_TX_CREDIT + v) != kBuf) {
            log_.error("SW.INIT", "port " + std::to_string(p) + " vc " + std::to_string(v) +
                                      ": credit after INIT is not " + std::to_string(kSwBuf) + " (endpoint) and " +
                                      std::to_string(kBuf) + " (switch)");
            ++problems_;
          }
        }
        if (ep_cnt(p, CNT_TX_LSN) || sw_cnt(p, CNT_TX_LSN) || ep_cnt(p, CNT_RX_EXP) || sw_cnt(p, CNT_RX_EXP)) {
          log_.error("SW.INIT", "port " + std::to_string(p) + ": a sequence number survived INIT");
          ++problems_;
        }
      }
      log_.info("SW.UP", "all " + std::to_string(2 * n_) + " link sides are UP");
      return true;
    }
  }
  log_.error("SW.LINKUP", "links did not come UP within 3000 cycles");
  ++problems_;
  return false;
}

unsigned SwitchTb::pick_dst(unsigned src) {
  Impl &m = *impl_;
  switch (m.pattern) {
    case Pattern::kUniform: return unsigned(rng_.range(0, n_ - 1));
    case Pattern::kIncast: return m.hotspot;
    case Pattern::kTranspose: return n_ - 1 - src;
    case Pattern::kHotspot: return rng_.chance(0.5) ? m.hotspot : unsigned(rng_.range(0, n_ - 1));
  }
  return 0;
}

void SwitchTb::make_packet(unsigned src, unsigned dst_ep, int forced_vc) {
  Impl &m = *impl_;
  Expect e;
  e.uid = m.next_uid++;
  e.src = src;
  e.vc = forced_vc >= 0 ? unsigned(forced_vc) : unsigned(rng_.dist(tb::Dist().value(0, 4).value(1, 3).value(2, 2).value(3, 1)));
  e.len = unsigned(rng_.dist(tb::Dist().value(0, 3).range(1, 15, 1).value(16, 3)));
  e.flow = unsigned(rng_.range(0, 3));
  // Destination id: the primary id, an alias that currently maps to dst_ep, or an invalid id.
  e.dst_id = m.primary[dst_ep];
  if (k_.invalid_dst > 0 && rng_.chance(k_.invalid_dst)) {
    e.dst_id = rng_.pick(m.invalid_ids);
  } else if (k_.route_changes && rng_.chance(0.5)) {
    e.dst_id = rng_.pick(m.aliases);
  }
  unsigned op;
  switch (e.vc) {
    case 0: op = rng_.chance(0.5) ? OP_RD : OP_WR; break;
    case 1: op = rng_.chance(0.5) ? OP_RD_RSP : OP_WR_RSP; break;
    case 2: op = OP_MSG; break;
    default: op = OP_NOP; break;
  }
  e.request = op == OP_RD || op == OP_WR;
  e.ttl0 = k_.ttl0 > 0 && rng_.chance(k_.ttl0);
  const auto key = std::make_tuple(src, unsigned(e.dst_id), e.vc, e.flow);
  e.seq = m.next_seq[key]++;
  e.t0 = cycle_;
  e.table0 = unsigned(m.tables.size() - 1);
  Flit128 h{};
  put(h, F_OPCODE, op);
  put(h, F_VC, e.vc);
  put(h, F_DST, e.dst_id);
  put(h, F_SRC, m.primary[src]);
  put(h, F_TAG, rng_.range(0, 2047));
  put(h, F_LEN, e.len);
  put(h, F_FLOW, e.flow);
  put(h, F_STATUS, 0);
  put(h, F_POISON, rng_.chance(k_.poison) ? 1 : 0);
  put(h, F_TTL, e.ttl0 ? 0 : rng_.range(1, 15));
  // addr: uid in bits 31:0, the per-stream sequence number in bits 47:32.
  put(h, F_ADDR, (e.uid & 0xFFFFFFFFull) | ((e.seq & 0xFFFF) << 32));
  put(h, F_BE, rng_.range(0, (1u << 23) - 1));
  e.flits.push_back(h);
  for (unsigned i = 0; i < e.len; ++i) e.flits.push_back(data_flit(e.uid, i));
  for (const auto &f : e.flits) m.txq[src][e.vc].push_back(f);
  m.sent_pkts[src][e.vc]++;
  m.sent_flits[src][e.vc] += e.len + 1;
  if (get(h, F_POISON)) m.sent_poison[src]++;
  if (m.generated == 0) m.first_gen = cycle_;
  m.pending.emplace(e.uid, std::move(e));
  ++m.generated;
  ++m.gen_count[src];
}

void SwitchTb::generate() {
  Impl &m = *impl_;
  if (m.stop_gen) return;
  for (unsigned p = 0; p < n_; ++p) {
    if (m.gen_count[p] >= k_.packets) continue;
    size_t queued = 0;
    for (unsigned v = 0; v < kNvc; ++v) queued += m.txq[p][v].size();
    if (queued > 80 || !rng_.chance(k_.load)) continue;
    if (rng_.chance(k_.burst_traffic)) {
      const unsigned n = unsigned(rng_.range(2, 8));
      const unsigned dst = pick_dst(p);
      const int vc = int(rng_.range(0, 3));
      for (unsigned i = 0; i < n && m.gen_count[p] < k_.packets; ++i) make_packet(p, dst, vc);
    } else {
      make_packet(p, pick_dst(p), -1);
    }
  }
}

void SwitchTb::route_change() {
  Impl &m = *impl_;
  // Rewrite some aliases in the shadow bank (move, invalidate, revalidate), then swap.
  const std::vector<int> prev = m.queued_active;
  std::vector<int> t = prev;
  for (size_t a = 0; a < m.aliases.size(); ++a) {
    if (!rng_.chance(0.5)) continue;
    const int to = rng_.chance(0.3) ? -1 : int(rng_.range(0, n_ - 1));
    t[m.aliases[a]] = to;
  }
  for (unsigned id = 0; id < 1024; ++id) {
    if (t[id] != m.shadow[id] || (t[id] >= 0) != (m.shadow[id] >= 0)) {
      csr_write(NSP_SWITCH_RT_SHADOW(id), t[id] >= 0 ? (RT_VALID | unsigned(t[id])) : 0u);
    }
  }
  m.swap_tables.push_back(t);
  csr_write(R_RT_SWAP, 1);
  m.queued_active = t;
  // After the swap the shadow bank holds the previous table: rewrite it to the new one.
  for (unsigned id = 0; id < 1024; ++id)
    if (t[id] != prev[id]) csr_write(NSP_SWITCH_RT_SHADOW(id), t[id] >= 0 ? (RT_VALID | unsigned(t[id])) : 0u);
  m.shadow = t;
  m.events["route_change"]++;
}

// Stream of a delivered packet as the scoreboard keys it, or nullptr for an unknown uid.
static const Expect *expect_of(const std::map<uint64_t, Expect> &pending, const Flit128 &h) {
  auto it = pending.find(get(h, F_ADDR) & 0xFFFFFFFFull);
  return it == pending.end() ? nullptr : &it->second;
}

void SwitchTb::deliver(unsigned ep, unsigned vc, const std::vector<Flit128> &in) {
  Impl &m = *impl_;
  if (k_.sb_reorder_at && !m.reorder_done) {
    // Negative test: hold back a delivery whose stream has more packets on the way, and
    // hand it to the scoreboard after the next delivery of that stream (SB.ORDER).
    const Expect *e = expect_of(m.pending, in.front());
    if (!m.reorder_held && e && m.deliveries_seen + 1 >= k_.sb_reorder_at && get(in.front(), F_STATUS) == 0) {
      bool more = false;
      for (const auto &kv : m.pending)
        more |= kv.second.uid != e->uid && kv.second.src == e->src && kv.second.dst_id == e->dst_id &&
                kv.second.vc == e->vc && kv.second.flow == e->flow && kv.second.seq > e->seq;
      if (more) {
        m.reorder_held = true;
        m.held = in;
        m.held_ep = ep;
        m.held_vc = vc;
        ++m.deliveries_seen;
        log_.info("SW.INJECT", "holding back delivery uid " + std::to_string(e->uid) + " (sequence " +
                                   std::to_string(e->seq) + ") until the next packet of its stream");
        return;
      }
    } else if (m.reorder_held && e && ep == m.held_ep && vc == m.held_vc) {
      const Expect *h = expect_of(m.pending, m.held.front());
      if (h && h->src == e->src && h->dst_id == e->dst_id && h->flow == e->flow) {
        m.reorder_done = true;
        deliver_checked(ep, vc, in);
        deliver_checked(m.held_ep, m.held_vc, m.held);
        return;
      }
    }
  }
  deliver_checked(ep, vc, in);
}

void SwitchTb::deliver_checked(unsigned ep, unsigned vc, const std::vector<Flit128> &in) {
  Impl &m = *impl_;
  std::vector<Flit128> flits = in;
  ++m.deliveries_seen;
  if (k_.sb_inject_at && m.deliveries_seen == k_.sb_inject_at) {
    flits.back()[0] ^= 0x10u;  // negative test: the scoreboard must see this
    log_.info("SW.INJECT", "corrupting delivery #" + std::to_string(m.deliveries_seen) + " before the scoreboard");
  }
  const Flit128 &h = flits.front();
  const uint64_t addr = get(h, F_ADDR);
  const uint64_t uid = addr & 0xFFFFFFFFull;
  const unsigned op = unsigned(get(h, F_OPCODE));
  const unsigned len = unsigned(get(h, F_LEN));
  m.recv_pkts[ep][vc]++;
  m.recv_flits[ep][vc] += len + 1;
  if (get(h, F_POISON)) m.recv_poison[ep]++;
  auto it = m.pending.find(uid);
  const std::string where = "endpoint " + std::to_string(ep) + " vc " + std::to_string(vc) + " uid " + std::to_string(uid);
  if (it == m.pending.end()) {
    ++problems_;
    if (m.done.count(uid))
      log_.error("SB.DUPLICATE", where + ": delivered twice");
    else
      log_.error("SB.UNEXPECTED", where + ": no such packet was sent (header " + hexf(h) + ")");
    return;
  }
  const Expect &e = it->second;
  m.flits_delivered += flits.size();
  m.last_delivery = cycle_;
  m.latency.push_back(cycle_ - e.t0);
  // Routing tables the packet may have seen.
  std::set<int> eps;
  for (size_t t = e.table0 ? e.table0 - 1 : 0; t < m.tables.size(); ++t) eps.insert(m.tables[t][e.dst_id]);
  const bool decode_resp = get(h, F_STATUS) == ST_DECODE_ERR && (op == OP_RD_RSP || op == OP_WR_RSP);
  std::string why;
  if (decode_resp) {
    const Flit128 &oh = e.flits.front();
    if (!e.request || !eps.count(-1))
      why = "DECODE_ERR response for a packet whose route was valid or which is no request";
    else if (ep != e.src || vc != 1 || get(h, F_VC) != 1)
      why = "DECODE_ERR response on the wrong endpoint or VC";
    else if (get(h, F_DST) != get(oh, F_SRC) || get(h, F_SRC) != get(oh, F_DST) || get(h, F_TAG) != get(oh, F_TAG) ||
             get(h, F_FLOW) != get(oh, F_FLOW) || len != 0 || get(h, F_ADDR) != get(oh, F_ADDR) ||
             get(h, F_OPCODE) != (get(oh, F_OPCODE) == OP_RD ? OP_RD_RSP : OP_WR_RSP) || get(h, F_TTL) != 15 ||
             get(h, F_POISON) != 0)
      why = "DECODE_ERR response fields differ from the request (" + hexf(h) + " for " + hexf(oh) + ")";
    ++m.decode_err;
  } else {
    Flit128 xh = e.flits.front();
    put(xh, F_TTL, get(xh, F_TTL) - 1);
    if (e.ttl0) why = "a packet with ttl 0 was delivered";
    else if (!eps.count(int(ep))) why = "delivered to the wrong endpoint";
    else if (vc != e.vc) why = "delivered on VC " + std::to_string(vc) + ", sent on " + std::to_string(e.vc);
    else if (flits.size() != e.flits.size()) why = "length differs";
    else if (h != xh) why = "header: expected " + hexf(xh) + ", actual " + hexf(h);
    else {
      for (size_t i = 1; i < flits.size() && why.empty(); ++i)
        if (flits[i] != e.flits[i])
          why = "data flit " + std::to_string(i - 1) + ": expected " + hexf(e.flits[i]) + ", actual " + hexf(flits[i]);
    }
    // Order per (src, dst id, vc, flow) on one path: an alias moved to another endpoint
    // under traffic legitimately splits a stream over two outputs.
    const auto key = std::make_tuple(e.src, unsigned(e.dst_id) | (ep << 16), e.vc, e.flow);
    auto ls = m.last_seq.find(key);
    if (why.empty() && ls != m.last_seq.end() && ls->second >= e.seq)
      why = "out of order: sequence " + std::to_string(e.seq) + " after " + std::to_string(ls->second);
    m.last_seq[key] = e.seq;
    ++m.delivered;
    // Coverage of delivered packets.
    grp(cov_, "sw.packets").sample({e.vc, e.len, e.src, ep, op, get(h, F_POISON)});
  }
  if (!why.empty()) {
    ++problems_;
    log_.error(why.rfind("out of order", 0) == 0 ? "SB.ORDER" : "SB.MISMATCH", where + ": " + why);
  }
  m.done.insert(uid);
  m.pending.erase(it);
}

bool SwitchTb::quiescent() const {
  const Impl &m = *impl_;
  for (unsigned p = 0; p < n_; ++p) {
    for (unsigned v = 0; v < kNvc; ++v)
      if (!m.txq[p][v].empty() || !m.rxa[p][v].empty()) return false;
  }
  return true;
}

unsigned SwitchTb::run() {
  try {
    return run_checked();
  } catch (const SvaStop &) {
    log_.info("SW.SVA", "stopped at cycle " + std::to_string(cycle_) + " after a failed bound assertion");
    return problems_;
  }
}

void SwitchTb::bare_reset() {
  Impl &m = *impl_;
  m.top->rst_ni = 0;
  m.top->ep_enable_i = 0;
  m.csr_q.clear();
  for (int i = 0; i < 5; ++i) cycle();
  m.top->rst_ni = 1;
  cycle();
}

unsigned SwitchTb::run_checked() {
  Impl &m = *impl_;
  if (k_.csr_test) return csr_check();
  reset_fabric();
  if (!bring_up()) return problems_;
  // Event schedule (cycles are drawn from the seed).
  const uint64_t span = uint64_t(k_.packets / std::max(k_.load, 0.01)) + 200;
  std::vector<std::pair<uint64_t, int>> sched;  // (cycle, event: 0 route change, 1 retrain, 2 reset, 3 pattern)
  for (unsigned i = 0; i < k_.route_changes; ++i) sched.emplace_back(cycle_ + rng_.range(10, span), 0);
  for (unsigned i = 0; i < k_.retrains; ++i) sched.emplace_back(cycle_ + rng_.range(10, span), 1);
  for (unsigned i = 0; i < k_.resets; ++i) sched.emplace_back(cycle_ + rng_.range(span / 4, span / 2), 2);
  if (k_.mixed_patterns)
    for (unsigned i = 1; i < 4; ++i) sched.emplace_back(cycle_ + span * i / 4, 3);
  std::sort(sched.begin(), sched.end());
  size_t si = 0;
  if (k_.credit_ignore_test) {
    Vnsp_tb &t = *m.top;
    t.ep_credit_ignore_i = 1;
    t.sva_strict_i = k_.sva_strict;
    m.pattern = Pattern::kIncast;
    m.hotspot = 1 % n_;
  }
  if (k_.degrade_frames) {
    // Directed: only DEGRADED may raise port 0's link interrupt from here on.
    csr_write(R_LINK_IRQ, 0xFFFFFFFFu);
    csr_write(R_LINK_IRQ_EN, 0xFFFFFFFFu);
  }
  m.last_progress = cycle_;
  const uint64_t end = cycle_ + k_.max_cycles;
  bool wd = false;
  uint64_t quiet_since = 0;
  bool ovf_seen = false;
  while (cycle_ < end) {
    while (si < sched.size() && sched[si].first <= cycle_) {
      const int ev = sched[si++].second;
      if (ev == 0) {
        route_change();
      } else if (ev == 1) {
        const unsigned p = unsigned(rng_.range(0, n_ - 1));
        if (rng_.chance(0.5)) {
          csr_write(NSP_SWITCH_PORT_LINK_CTRL(p),
                    NSP_SWITCH_PORT_LINK_CTRL_ENABLE_MASK | NSP_SWITCH_PORT_LINK_CTRL_RETRAIN_MASK);
          log_.info("SW.RETRAIN", "switch port " + std::to_string(p) + " retrains");
        } else {
          set_bits(m.top->ep_retrain_i, p, 1, 1);
          cycle();
          set_bits(m.top->ep_retrain_i, p, 1, 0);
          log_.info("SW.RETRAIN", "endpoint " + std::to_string(p) + " retrains");
        }
        m.events["retrain"]++;
      } else if (ev == 2) {
        log_.info("SW.RESET", "fabric reset with " + std::to_string(m.pending.size()) + " packets in flight");
        m.events["reset"]++;
        reset_fabric();
        if (!bring_up()) return problems_;
        m.last_progress = cycle_;
      } else {
        m.pattern = Pattern((unsigned(m.pattern) + 1) % 4);
        m.hotspot = unsigned(rng_.range(0, n_ - 1));
        grp(cov_, "sw.patterns").sample({uint64_t(m.pattern)});
        log_.info("SW.PATTERN", std::string("traffic pattern now ") + pattern_name(m.pattern));
      }
    }
    generate();
    cycle();
    if (k_.degrade_frames) watch_degraded();
    if (k_.credit_ignore_test && (cycle_ % 16) == 0) {
      for (unsigned p = 0; p < n_; ++p)
        if (sw_cnt(p, CNT_CREDIT_OVF)) ovf_seen = true;
      if (ovf_seen) break;
    }
    bool all_gen = true;
    for (unsigned p = 0; p < n_; ++p) all_gen &= m.gen_count[p] >= k_.packets;
    if (all_gen && si == sched.size() && quiescent() && m.csr_q.empty()) {
      bool must_wait = false;
      for (const auto &kv : m.pending) {
        const Expect &e = kv.second;
        if (e.ttl0) continue;
        bool may_vanish = false;
        for (size_t t = e.table0 ? e.table0 - 1 : 0; t < m.tables.size(); ++t)
          may_vanish |= m.tables[t][e.dst_id] < 0 && !e.request;
        if (!may_vanish) {
          must_wait = true;
          break;
        }
      }
      if (!must_wait) {
        if (!quiet_since) quiet_since = cycle_;
        if (cycle_ - quiet_since > 2 * (REPLAY_SETTLE)) break;
      } else {
        quiet_since = 0;
      }
    }
    if (!m.pending.empty() && cycle_ - m.last_progress > k_.watchdog && !k_.credit_ignore_test) {
      wd = true;
      break;
    }
  }
  if (k_.credit_ignore_test) {
    // Negative test: a flit beyond the advertised credit must set the sticky credit_overflow.
    const uint32_t es = csr_read(R_ERR_STATUS);
    if (!ovf_seen || !(es & (1u << 4)) || !m.top->irq_err_o) {
      log_.error("SW.CREDIT_OVF", "credit_overflow was not flagged (sticky, err_status bit 4, irq_err)");
      ++problems_;
    } else {
      log_.info("SW.CREDIT_OVF", "credit_overflow flagged: sticky set, err_status bit 4, irq_err high");
      grp(cov_, "sw.events").sample({7});
    }
    return problems_;
  }
  if (wd) {
    log_.error("SW.WATCHDOG", "no progress for " + std::to_string(k_.watchdog) + " cycles with " +
                                  std::to_string(m.pending.size()) + " packets pending");
    ++problems_;
  } else if (cycle_ >= end) {
    log_.error("SW.TIMEOUT", "the test did not finish within " + std::to_string(k_.max_cycles) + " cycles");
    ++problems_;
  }
  const unsigned deg = k_.degrade_frames ? check_degraded() : 0;
  return problems_ + deg + drain_and_check();
}

// sw_degraded: switch port 0 must reach DEGRADED (its replays of one lsn keep failing),
// flag it (err_status bit 6, link_irq_status bit 0, irq_link, the degraded counter), and
// come back UP after a RETRAIN written to its link_ctrl.
void SwitchTb::watch_degraded() {
  Impl &m = *impl_;
  const uint32_t st = sw_cnt(0, CNT_STATE);
  if (!m.deg_seen && st == LS_DEGRADED) {
    m.deg_seen = true;
    m.deg_cycle = cycle_;
    m.deg_err = (csr_read(R_ERR_STATUS) & NSP_SWITCH_ERR_STATUS_DEGRADED_MASK) != 0;
    m.deg_irq = (csr_read(R_LINK_IRQ) & 1u) && m.top->irq_link_o;
    log_.info("SW.DEGRADED", "switch port 0 is DEGRADED after " + std::to_string(sw_cnt(0, CNT_REPLAY)) +
                                 " replays; retraining it");
    csr_write(NSP_SWITCH_PORT_LINK_CTRL(0), NSP_SWITCH_PORT_LINK_CTRL_ENABLE_MASK | NSP_SWITCH_PORT_LINK_CTRL_RETRAIN_MASK);
    m.deg_retrained = true;
  } else if (m.deg_retrained && !m.deg_up_again && st == LS_UP) {
    m.deg_up_again = true;
    log_.info("SW.DEGRADED", "switch port 0 UP again " + std::to_string(cycle_ - m.deg_cycle) + " cycles later");
  }
}

unsigned SwitchTb::check_degraded() {
  Impl &m = *impl_;
  std::string why;
  if (!m.deg_seen) why = "switch port 0 never became DEGRADED";
  else if (!m.deg_err) why = "DEGRADED did not set err_status bit 6";
  else if (!m.deg_irq) why = "DEGRADED did not set link_irq_status bit 0 and irq_link";
  else if (sw_cnt(0, CNT_DEGRADED) == 0) why = "the degraded counter of switch port 0 is 0";
  else if (!m.deg_up_again) why = "switch port 0 did not come back UP after RETRAIN";
  if (why.empty()) {
    grp(cov_, "sw.events").sample({6});
    return 0;
  }
  log_.error("SW.DEGRADED", why);
  return 1;
}

unsigned SwitchTb::drain_and_check() {
  Impl &m = *impl_;
  unsigned bad = 0;
  // Let the links exchange their last ACKs and credit updates: at least 600 cycles, then
  // until every link side has nothing unacknowledged and full credit. A final ACK lost to
  // an injected error is only recovered by the replay timer (256 cycles), possibly more
  // than once, so a fixed window is not enough; after 20000 more cycles whatever is still
  // open is reported by the counter checks below.
  for (int i = 0; i < 600; ++i) cycle();
  auto settled = [&] {
    for (unsigned p = 0; p < n_; ++p) {
      if (sw_cnt(p, CNT_OUTSTANDING) || ep_cnt(p, CNT_OUTSTANDING)) return false;
      for (unsigned v = 0; v < kNvc; ++v)
        if (sw_cnt(p, CNT_TX_CREDIT + v) != kBuf || ep_cnt(p, CNT_TX_CREDIT + v) != kSwBuf) return false;
    }
    return true;
  };
  for (int i = 0; i < 20000 && !settled(); i += 100)
    for (int j = 0; j < 100; ++j) cycle();
  // Packets never delivered: allowed only for TTL expiry and silent route misses.
  for (const auto &kv : m.pending) {
    const Expect &e = kv.second;
    bool may_vanish = e.ttl0;
    for (size_t t = e.table0 ? e.table0 - 1 : 0; t < m.tables.size(); ++t)
      may_vanish |= m.tables[t][e.dst_id] < 0 && !e.request;
    if (e.ttl0) {
      ++m.ttl_drops;
    } else if (may_vanish) {
      ++m.silent_miss;
    } else {
      ++bad;
      if (bad <= 20)
        log_.error("SB.MISSING", "uid " + std::to_string(e.uid) + " from endpoint " + std::to_string(e.src) + " to id " +
                                     std::to_string(e.dst_id) + " vc " + std::to_string(e.vc) + " len " +
                                     std::to_string(e.len) + " never arrived");
    }
  }
  log_.info("SW.SCOREBOARD", std::to_string(m.delivered) + " delivered, " + std::to_string(m.decode_err) +
                                 " DECODE_ERR responses, " + std::to_string(m.ttl_drops) + " TTL drops, " +
                                 std::to_string(m.silent_miss) + " route-miss drops, " + std::to_string(m.lost_by_reset) +
                                 " lost in resets, " + std::to_string(bad) + " missing");
  stats["delivered"] = std::to_string(m.delivered);
  stats["decode_err"] = std::to_string(m.decode_err);
  if (!m.latency.empty() && m.last_delivery > m.first_gen) {
    // Accepted throughput over the run (first generation to last delivery) and latency
    // from generation (source queueing included) to the last flit at the destination.
    std::vector<uint64_t> l = m.latency;
    std::sort(l.begin(), l.end());
    double sum = 0;
    for (uint64_t x : l) sum += double(x);
    const double span = double(m.last_delivery - m.first_gen);
    char b[160];
    std::snprintf(b, sizeof b, "%.4f", double(m.flits_delivered) / span / n_);
    stats["flits_per_cycle_port"] = b;
    std::snprintf(b, sizeof b, "%.1f", sum / double(l.size()));
    stats["latency_mean"] = b;
    stats["latency_p99"] = std::to_string(l[std::min(l.size() - 1, size_t(double(l.size()) * 0.99))]);
    std::snprintf(b, sizeof b, "%.4f flits/cycle/port accepted (%llu flits in %.0f cycles), latency mean %s p99 %s cycles",
                  double(m.flits_delivered) / span / n_, (unsigned long long)m.flits_delivered, span,
                  stats["latency_mean"].c_str(), stats["latency_p99"].c_str());
    log_.info("SW.PERF", b);
  }
  bad += check_counters();
  sample_coverage_end();
  return bad;
}

unsigned SwitchTb::check_counters() {
  Impl &m = *impl_;
  unsigned bad = 0;
  auto expect_eq = [&](const std::string &what, uint64_t exp, uint64_t act) {
    if (exp == act) return;
    ++bad;
    log_.error("SW.COUNTER", what + ": expected " + std::to_string(exp) + ", actual " + std::to_string(act));
  };
  uint64_t miss = 0, ttl = 0, rgen = 0, rdrop = 0;
  uint64_t crc_total = 0, replay_total = 0, nak_total = 0, to_total = 0, dup_total = 0, deg_total = 0, rt_total = 0;
  for (unsigned p = 0; p < n_; ++p) {
    const std::string ps = "port " + std::to_string(p);
    for (unsigned v = 0; v < kNvc; ++v) {
      const std::string vs = ps + " vc " + std::to_string(v);
      // Quiescence: full credit both ways, empty FIFOs, nothing to replay.
      expect_eq(vs + " endpoint credit at quiescence", kSwBuf, ep_cnt(p, CNT_TX_CREDIT + v));
      expect_eq(vs + " switch credit at quiescence", kBuf, sw_cnt(p, CNT_TX_CREDIT + v));
      if (sw_cnt(p, CNT_TX_CREDIT + v) != kBuf) {
        const uint32_t c0 = ep_cnt(p, CNT_CTL_TX);
        for (int i = 0; i < 300; ++i) cycle();
        log_.info("SW.DEBUG", "300 cycles later: endpoint ctl_tx " + std::to_string(c0) + " -> " +
                                  std::to_string(ep_cnt(p, CNT_CTL_TX)) + ", switch credit " +
                                  std::to_string(sw_cnt(p, CNT_TX_CREDIT + v)) + " ep rb_used " +
                                  std::to_string(ep_cnt(p, CNT_RB_USED)));
      }
      if (sw_cnt(p, CNT_TX_CREDIT + v) != kBuf)
        log_.info("SW.DEBUG", vs + ": endpoint rx occupancy " + std::to_string(ep_cnt(p, CNT_RX_OCC + v)) +
                                   " ep state " + std::to_string(ep_cnt(p, CNT_STATE)) + " sw state " +
                                   std::to_string(sw_cnt(p, CNT_STATE)) + " ep ctl_tx " + std::to_string(ep_cnt(p, CNT_CTL_TX)) +
                                   " ep frames_tx " + std::to_string(ep_cnt(p, CNT_FRAMES_TX)) + " sw outstanding " +
                                   std::to_string(sw_cnt(p, CNT_OUTSTANDING)) + " ep hiwater " +
                                   std::to_string(ep_cnt(p, CNT_HIWATER + v)) + " sw limit " + std::to_string(sw_cnt(p, CNT_LIMIT + v)) +
                                   " sw sent " + std::to_string(sw_cnt(p, CNT_SENT + v)) + " ep freed " +
                                   std::to_string(ep_cnt(p, CNT_FREED + v)));
      expect_eq(vs + " switch ingress occupancy", 0, sw_cnt(p, CNT_RX_OCC + v));
      // Conservation: what each link delivered equals what was sent into it, exactly once.
      expect_eq(vs + " endpoint pkt_out = packets the testbench sent", m.sent_pkts[p][v], ep_cnt(p, CNT_PKT_OUT + v));
      expect_eq(vs + " endpoint flit_out = flits the testbench sent", m.sent_flits[p][v], ep_cnt(p, CNT_FLIT_OUT + v));
      expect_eq(vs + " switch pkt_in = endpoint pkt_out", ep_cnt(p, CNT_PKT_OUT + v), sw_cnt(p, CNT_PKT_IN + v));
      expect_eq(vs + " switch flit_in = endpoint flit_out", ep_cnt(p, CNT_FLIT_OUT + v), sw_cnt(p, CNT_FLIT_IN + v));
      expect_eq(vs + " endpoint pkt_in = switch pkt_out", sw_cnt(p, CNT_PKT_OUT + v), ep_cnt(p, CNT_PKT_IN + v));
      expect_eq(vs + " endpoint flit_in = switch flit_out", sw_cnt(p, CNT_FLIT_OUT + v), ep_cnt(p, CNT_FLIT_IN + v));
      expect_eq(vs + " endpoint pkt_in = packets the testbench received", m.recv_pkts[p][v], ep_cnt(p, CNT_PKT_IN + v));
      expect_eq(vs + " endpoint flit_in = flits the testbench received", m.recv_flits[p][v], ep_cnt(p, CNT_FLIT_IN + v));
      if (sw_cnt(p, CNT_HIWATER + v) > kSwBuf || ep_cnt(p, CNT_HIWATER + v) > kBuf) {
        ++bad;
        log_.error("SW.COUNTER", vs + ": FIFO high-water mark above the buffer size");
      }
      if (csr_read(NSP_SWITCH_PORT_CREDIT_STALL(p, v))) grp(cov_, "sw.events").sample({20 + v});
    }
    expect_eq(ps + " switch outstanding", 0, sw_cnt(p, CNT_OUTSTANDING));
    expect_eq(ps + " endpoint outstanding", 0, ep_cnt(p, CNT_OUTSTANDING));
    expect_eq(ps + " switch credit_overflow", 0, sw_cnt(p, CNT_CREDIT_OVF));
    expect_eq(ps + " endpoint credit_overflow", 0, ep_cnt(p, CNT_CREDIT_OVF));
    expect_eq(ps + " poison_tx at the endpoint", m.sent_poison[p], ep_cnt(p, CNT_POISON_TX));
    expect_eq(ps + " poison_rx at the endpoint", m.recv_poison[p], ep_cnt(p, CNT_POISON_RX));
    // Link errors against the link models' injections. NAKs: every NAK sent arrives unless
    // the model damaged it.
    const link::LinkCounts &u = m.up[p]->counts(), &d = m.down[p]->counts();
    const auto &nak0 = m.nak_damaged_before_reset[p];  // since the last reset, as the RTL counts
    expect_eq(ps + " NAKs received by the endpoint", sw_cnt(p, CNT_NAK_TX) - (d.damaged_nak - nak0.second),
              ep_cnt(p, CNT_NAK_RX));
    expect_eq(ps + " NAKs received by the switch", ep_cnt(p, CNT_NAK_TX) - (u.damaged_nak - nak0.first),
              sw_cnt(p, CNT_NAK_RX));
    const uint64_t sw_crc = sw_cnt(p, CNT_CRC_ERR), ep_crc = ep_cnt(p, CNT_CRC_ERR);
    if (k_.link.drop == 0 && k_.resets == 0) {
      // Bit errors alone keep the framing: every damaged frame and control flit counts once.
      expect_eq(ps + " switch crc_err = damaged frames + control flits (up link)", u.damaged_frames + u.corrupted_ctl, sw_crc);
      expect_eq(ps + " endpoint crc_err = damaged frames + control flits (down link)",
                d.damaged_frames + d.corrupted_ctl, ep_crc);
      expect_eq(ps + " switch control-flit crc_err (up link)", u.corrupted_ctl, sw_cnt(p, CNT_CTL_CRC_ERR));
      expect_eq(ps + " endpoint control-flit crc_err (down link)", d.corrupted_ctl, ep_cnt(p, CNT_CTL_CRC_ERR));
    } else if (k_.resets == 0) {
      if (sw_crc > u.damaged_frames + u.corrupted_ctl + u.dropped_pkt) {
        ++bad;
        log_.error("SW.COUNTER", ps + " switch crc_err " + std::to_string(sw_crc) + " exceeds the damage injected");
      }
      if (u.damaged_frames > 0 && sw_crc + sw_cnt(p, CNT_SEQ_ERR) == 0) {
        ++bad;
        log_.error("SW.COUNTER", ps + ": damaged frames on the up link and no error counted");
      }
    }
    miss += csr_read(NSP_SWITCH_PORT_ROUTE_MISS(p));
    ttl += csr_read(NSP_SWITCH_PORT_TTL_EXPIRED(p));
    rgen += csr_read(NSP_SWITCH_PORT_RESP_GEN(p));
    rdrop += csr_read(NSP_SWITCH_PORT_RESP_DROP(p));
    crc_total += sw_crc + ep_crc;
    replay_total += sw_cnt(p, CNT_REPLAY) + ep_cnt(p, CNT_REPLAY);
    nak_total += sw_cnt(p, CNT_NAK_TX) + ep_cnt(p, CNT_NAK_TX);
    to_total += sw_cnt(p, CNT_REPLAY_TO) + ep_cnt(p, CNT_REPLAY_TO);
    dup_total += sw_cnt(p, CNT_DUP_DROP) + ep_cnt(p, CNT_DUP_DROP);
    deg_total += sw_cnt(p, CNT_DEGRADED) + ep_cnt(p, CNT_DEGRADED);
    rt_total += sw_cnt(p, CNT_RETRAIN) + ep_cnt(p, CNT_RETRAIN);
    if (k_.forced_frames && k_.link.ber == 0 && k_.link.drop == 0 && k_.link.burst == 0) {
      expect_eq(ps + " forced corruptions counted by the switch", u.forced, sw_crc);
      expect_eq(ps + " forced corruptions counted by the endpoint", d.forced, ep_crc);
    }
    if (sw_cnt(p, CNT_FRAMES_TX) >= 1024 || ep_cnt(p, CNT_FRAMES_TX) >= 1024) grp(cov_, "sw.events").sample({12});
  }
  expect_eq("route_miss = DECODE_ERR responses + silent route-miss drops", m.decode_err + m.silent_miss, miss);
  expect_eq("DECODE_ERR responses generated", m.decode_err, rgen);
  expect_eq("responses dropped", 0, rdrop);
  expect_eq("ttl_expired = packets sent with ttl 0", m.ttl_drops, ttl);
  const uint64_t ev[] = {crc_total, 0, nak_total, replay_total, to_total, dup_total, deg_total, 0, miss, ttl, rgen, rt_total};
  for (unsigned i = 0; i < 12; ++i)
    if (ev[i]) grp(cov_, "sw.events").sample({i});
  stats["crc_err"] = std::to_string(crc_total);
  stats["replay"] = std::to_string(replay_total);
  stats["nak"] = std::to_string(nak_total);
  stats["replay_timeout"] = std::to_string(to_total);
  stats["dup_drop"] = std::to_string(dup_total);
  stats["route_miss"] = std::to_string(miss);
  stats["ttl_expired"] = std::to_string(ttl);
  log_.info("SW.COUNTERS", "crc_err " + std::to_string(crc_total) + ", nak " + std::to_string(nak_total) + ", replay " +
                               std::to_string(replay_total) + " (" + std::to_string(to_total) + " by timeout), dup_drop " +
                               std::to_string(dup_total) + ", degraded " + std::to_string(deg_total) + ", retrain " +
                               std::to_string(rt_total) + ", route_miss " + std::to_string(miss) + ", ttl_expired " +
                               std::to_string(ttl));
  uint64_t inj = 0;
  for (unsigned p = 0; p < n_; ++p) {
    const auto &u = m.up[p]->counts(), &d = m.down[p]->counts();
    inj += u.damaged_ctl() + u.corrupted_pkt + u.dropped_pkt + d.damaged_ctl() + d.corrupted_pkt + d.dropped_pkt;
  }
  stats["injected"] = std::to_string(inj);
  return bad;
}

void SwitchTb::sample_coverage_end() {
  grp(cov_, "sw.patterns").sample({uint64_t(impl_->pattern)});
}

}  // namespace ncv::tbsw
