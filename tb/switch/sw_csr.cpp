// Test sw_csr: the switch RTL's registers against the map generated from
// rtl/switch/data/nsp_switch.rdl (nsp_switch_regs.h, NSP_SWITCH_REG_LIST). After a bare
// reset every register of the map reads its RDL reset value, read-only registers ignore
// writes, read-write bits read back what was written, unmapped addresses read 0; with the
// links UP, the W1C registers clear exactly the bits written 1. +csr_offset=N adds N to
// every address the check uses (the negative test: a wrong address must be reported).
#include <cstdio>
#include <string>

#include "nsp_switch_regs.h"
#include "sw_tb.h"

namespace ncv::tbsw {

namespace {

struct RegDesc {
  const char *name;
  uint32_t offset, count, stride, count1, stride1, reset, reset_mask, rw_mask, w1c_mask, ro_mask;
};

#define NSW_REG_DESC(n, o, c, s, c1, s1, r, rm, rw, w1c, ro) RegDesc{#n, o, c, s, c1, s1, r, rm, rw, w1c, ro},
constexpr RegDesc kRegs[] = {NSP_SWITCH_REG_LIST(NSW_REG_DESC)};
#undef NSW_REG_DESC

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08X", v);
  return b;
}

}  // namespace

unsigned SwitchTb::csr_check() {
  unsigned bad = 0;
  unsigned checked = 0;
  const uint32_t off = k_.csr_offset;
  const uint32_t all_ports = (1u << n_) - 1;
  unsigned pw = 1;  // bits of a port number in a routing entry: clog2(NPORTS), at least 1
  while ((1u << pw) < n_) ++pw;
  const uint32_t rt_port = (((1u << pw) - 1) << NSP_SWITCH_RT_SHADOW_PORT_SHIFT) & NSP_SWITCH_RT_SHADOW_PORT_MASK;

  auto rd = [&](uint32_t a) { return csr_read(a + off); };
  auto wr = [&](uint32_t a, uint32_t v) {
    csr_write(a + off, v);
    cycle();
  };
  auto expect = [&](const std::string &what, uint32_t addr, uint32_t got, uint32_t want, uint32_t mask) {
    ++checked;
    if ((got & mask) == (want & mask)) return;
    if (++bad <= 20)
      log_.error("SW.CSR", what + " at " + hex(addr + off) + ": read " + hex(got) + ", expected " + hex(want & mask) +
                               " in mask " + hex(mask));
  };
  // Bits this build stores (the RDL describes the maximum: 8 ports, 3-bit port numbers).
  auto stored = [&](const RegDesc &r, unsigned port) -> uint32_t {
    if (r.count == NSP_SWITCH_PORT_COUNT && r.stride == NSP_SWITCH_PORT(1) - NSP_SWITCH_PORT(0) && port >= n_) return 0;
    if (r.offset == NSP_SWITCH_LINK_IRQ_STATUS) return ~NSP_SWITCH_LINK_IRQ_STATUS_PORT_MASK | all_ports;
    if (r.offset == NSP_SWITCH_LINK_IRQ_EN) return ~NSP_SWITCH_LINK_IRQ_EN_PORT_MASK | all_ports;
    if (r.offset == NSP_SWITCH_RT_SHADOW(0)) return ~NSP_SWITCH_RT_SHADOW_PORT_MASK | rt_port;
    if (r.offset == NSP_SWITCH_RT_ACTIVE(0)) return ~NSP_SWITCH_RT_ACTIVE_PORT_MASK | rt_port;
    return 0xFFFFFFFFu;
  };
  // Visits every element of every register: f(register, outer index, inner index, address).
  auto each = [&](auto f) {
    for (const RegDesc &r : kRegs)
      for (uint32_t i = 0; i < r.count; ++i)
        for (uint32_t j = 0; j < r.count1; ++j) f(r, i, j, r.offset + i * r.stride + j * r.stride1);
  };
  auto name = [](const RegDesc &r, uint32_t i, uint32_t j) {
    std::string s = r.name;
    if (r.count > 1) s += "[" + std::to_string(i) + "]";
    if (r.count1 > 1) s += "[" + std::to_string(j) + "]";
    return s;
  };

  // 1. After reset: every register reads its RDL reset value (fields without one: ID's
  //    NPORTS, the number of ports of this build).
  bare_reset();
  each([&](const RegDesc &r, uint32_t i, uint32_t j, uint32_t a) {
    expect(name(r, i, j) + ": reset value", a, rd(a), r.reset & stored(r, i), r.reset_mask);
  });
  expect("ID.NPORTS", NSP_SWITCH_ID, rd(NSP_SWITCH_ID), n_ << NSP_SWITCH_ID_NPORTS_SHIFT, NSP_SWITCH_ID_NPORTS_MASK);

  log_.info("SW.CSR", "reset values checked at cycle " + std::to_string(cycle_));
  // 2. Read-only registers ignore writes; read-write bits read back all ones and zeros
  //    (RW1P and WO fields, which act when written, are exercised in 3).
  each([&](const RegDesc &r, uint32_t i, uint32_t j, uint32_t a) {
    const std::string n = name(r, i, j);
    if (r.rw_mask == 0 && r.w1c_mask == 0 && r.ro_mask != 0) {
      const uint32_t before = rd(a);
      wr(a, 0xFFFFFFFFu);
      expect(n + ": read-only after writing ones", a, rd(a), before, 0xFFFFFFFFu);
    } else if (r.rw_mask != 0) {
      wr(a, r.rw_mask);
      expect(n + ": read-write bits after writing ones", a, rd(a), r.rw_mask & stored(r, i), r.rw_mask);
      wr(a, 0);
      expect(n + ": read-write bits after writing zeros", a, rd(a), 0, r.rw_mask);
    }
  });

  log_.info("SW.CSR", "read-only and read-write registers checked at cycle " + std::to_string(cycle_));
  // 3. The routing banks: a shadow entry becomes active on RT_SWAP (which reads 0), and
  //    RT_BANK follows; unmapped addresses (beyond the arrays, between registers) read 0.
  const uint32_t entry = NSP_SWITCH_RT_SHADOW_VALID_MASK | ((1u << NSP_SWITCH_RT_SHADOW_PORT_SHIFT) & rt_port);
  wr(NSP_SWITCH_RT_SHADOW(0), entry);
  wr(NSP_SWITCH_RT_SHADOW(5), entry);
  expect("RT_ACTIVE[5] before the swap", NSP_SWITCH_RT_ACTIVE(5), rd(NSP_SWITCH_RT_ACTIVE(5)), 0, 0xFFFFFFFFu);
  wr(NSP_SWITCH_RT_SWAP, NSP_SWITCH_RT_SWAP_SWAP_MASK);
  expect("RT_BANK after a swap", NSP_SWITCH_RT_BANK, rd(NSP_SWITCH_RT_BANK), NSP_SWITCH_RT_BANK_BANK_MASK, 0xFFFFFFFFu);
  expect("RT_SWAP reads 0", NSP_SWITCH_RT_SWAP, rd(NSP_SWITCH_RT_SWAP), 0, 0xFFFFFFFFu);
  expect("RT_ACTIVE[5] after the swap", NSP_SWITCH_RT_ACTIVE(5), rd(NSP_SWITCH_RT_ACTIVE(5)), entry, 0xFFFFFFFFu);
  expect("RT_SHADOW[5] after the swap (the old active bank)", NSP_SWITCH_RT_SHADOW(5), rd(NSP_SWITCH_RT_SHADOW(5)), 0,
         0xFFFFFFFFu);
  wr(NSP_SWITCH_RT_SWAP, NSP_SWITCH_RT_SWAP_SWAP_MASK);
  expect("RT_BANK after two swaps", NSP_SWITCH_RT_BANK, rd(NSP_SWITCH_RT_BANK), 0, 0xFFFFFFFFu);
  wr(NSP_SWITCH_RT_SWAP, 0);
  expect("RT_BANK after writing RT_SWAP 0", NSP_SWITCH_RT_BANK, rd(NSP_SWITCH_RT_BANK), 0, 0xFFFFFFFFu);
  const uint32_t holes[] = {NSP_SWITCH_PORT_LINK_CTRL(0) + 0x1Cu,
                            NSP_SWITCH_PORT(1) - 4u,
                            NSP_SWITCH_RT_SWAP + 4u,
                            NSP_SWITCH_RT_SHADOW(NSP_SWITCH_RT_SHADOW_COUNT),
                            NSP_SWITCH_RT_ACTIVE(NSP_SWITCH_RT_ACTIVE_COUNT),
                            0xFFFCu};
  for (uint32_t a : holes) expect("unmapped", a, rd(a), 0, 0xFFFFFFFFu);

  // 4. W1C with the links UP: LINK_IRQ_STATUS has a bit per port (UP); ERR_STATUS gets
  //    ROUTE_MISS from one request to an id without a route.
  reset_fabric();
  if (!bring_up()) return problems_ + bad + 1;
  expect("LINK_IRQ_STATUS after link-up", NSP_SWITCH_LINK_IRQ_STATUS, rd(NSP_SWITCH_LINK_IRQ_STATUS), all_ports,
         0xFFFFFFFFu);
  wr(NSP_SWITCH_LINK_IRQ_STATUS, 0);
  expect("LINK_IRQ_STATUS after writing 0", NSP_SWITCH_LINK_IRQ_STATUS, rd(NSP_SWITCH_LINK_IRQ_STATUS), all_ports,
         0xFFFFFFFFu);
  wr(NSP_SWITCH_LINK_IRQ_STATUS, 1u << NSP_SWITCH_LINK_IRQ_STATUS_PORT_SHIFT);
  expect("LINK_IRQ_STATUS after writing 1 to port 0", NSP_SWITCH_LINK_IRQ_STATUS, rd(NSP_SWITCH_LINK_IRQ_STATUS),
         all_ports & ~1u, 0xFFFFFFFFu);
  wr(NSP_SWITCH_LINK_IRQ_STATUS, NSP_SWITCH_LINK_IRQ_STATUS_PORT_MASK);
  expect("LINK_IRQ_STATUS after writing ones", NSP_SWITCH_LINK_IRQ_STATUS, rd(NSP_SWITCH_LINK_IRQ_STATUS), 0,
         0xFFFFFFFFu);

  wr(NSP_SWITCH_ERR_STATUS, 0xFFFFFFFFu);
  expect("ERR_STATUS after clearing", NSP_SWITCH_ERR_STATUS, rd(NSP_SWITCH_ERR_STATUS), 0, 0xFFFFFFFFu);
  make_packet(0, 0, 0);  // a request (VC0) to an id without a route (knob invalid_dst)
  for (unsigned c = 0; c < 2000 && rd(NSP_SWITCH_ERR_STATUS) == 0; ++c) cycle();
  const uint32_t miss = NSP_SWITCH_ERR_STATUS_ROUTE_MISS_MASK;
  expect("ERR_STATUS after a route miss", NSP_SWITCH_ERR_STATUS, rd(NSP_SWITCH_ERR_STATUS), miss, 0xFFFFFFFFu);
  expect("PORT_ROUTE_MISS[0] after a route miss", NSP_SWITCH_PORT_ROUTE_MISS(0), rd(NSP_SWITCH_PORT_ROUTE_MISS(0)), 1,
         0xFFFFFFFFu);
  wr(NSP_SWITCH_ERR_STATUS, 0xFFFFFFFFu & ~miss);
  expect("ERR_STATUS after writing 1 to the other bits", NSP_SWITCH_ERR_STATUS, rd(NSP_SWITCH_ERR_STATUS), miss,
         0xFFFFFFFFu);
  wr(NSP_SWITCH_ERR_STATUS, miss);
  expect("ERR_STATUS after writing 1 to ROUTE_MISS", NSP_SWITCH_ERR_STATUS, rd(NSP_SWITCH_ERR_STATUS), 0, 0xFFFFFFFFu);

  log_.info("SW.CSR", std::to_string(checked) + " register checks, " + std::to_string(bad) + " failed" +
                          (off ? " (addresses offset by " + std::to_string(off) + ")" : ""));
  stats["csr_checks"] = std::to_string(checked);
  return problems_ + bad;
}

}  // namespace ncv::tbsw
