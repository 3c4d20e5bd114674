// VPI under SystemC: the Verilated tile is built with --vpi; a SystemC process pumps
// Verilator's VPI callbacks, as a cocotb host inside the sled must. The test resolves a
// port by name, watches it with a value-change callback, and checks what it sees against
// a CSR read through the TLM -> AXI-Lite bridge.
#include <verilated_vpi.h>

#include <cstdio>
#include <string>
#include <vector>

#include "nct_csr_regs.h"
#include "sim_test.h"
#include "sled_map.h"

namespace ncv::tbsys {
namespace {

struct Watch {
  vpiHandle rvalid = nullptr, rdata = nullptr;
  std::vector<uint32_t> seen;  // rdata at each rising rvalid
};

PLI_INT32 on_change(p_cb_data cb) {
  auto *w = reinterpret_cast<Watch *>(cb->user_data);
  if (cb->value->value.integer != 1) return 0;
  s_vpi_value v{};
  v.format = vpiIntVal;
  vpi_get_value(w->rdata, &v);
  w->seen.push_back(static_cast<uint32_t>(v.value.integer));
  return 0;
}

// Runs VPI value-change callbacks after every evaluation of the RTL: on both clock edges,
// one delta after the models have settled.
class VpiPump : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  explicit VpiPump(sc_core::sc_module_name n) : sc_module(n), clk("clk") {
    SC_HAS_PROCESS(VpiPump);
    SC_THREAD(run);
  }

 private:
  void run() {
    for (;;) {
      sc_core::wait(clk.value_changed_event());
      sc_core::wait(sc_core::SC_ZERO_TIME);
      VerilatedVpi::callValueCbs();
    }
  }
};

std::string scope_names() {
  std::string out;
  vpiHandle it = vpi_iterate(vpiModule, nullptr);
  while (vpiHandle m = it ? vpi_scan(it) : nullptr) {
    out += std::string(out.empty() ? "" : ", ") + vpi_get_str(vpiFullName, m);
  }
  return out;
}

void vpi_probe(TestCtx &t) {
  const std::string base = "sled.chip0.tile.rtl.nct_top.";
  Watch w;
  w.rvalid = vpi_handle_by_name(const_cast<PLI_BYTE8 *>((base + "s_axil_rvalid_o").c_str()), nullptr);
  w.rdata = vpi_handle_by_name(const_cast<PLI_BYTE8 *>((base + "s_axil_rdata_o").c_str()), nullptr);
  if (!w.rvalid || !w.rdata) {
    t.log.error("TB.VPI.HANDLE", "cannot resolve " + base + "s_axil_r{valid,data}_o; top scopes: " + scope_names());
    return;
  }
  s_vpi_time tm{vpiSuppressTime, 0, 0, 0};
  s_vpi_value val{};
  val.format = vpiIntVal;
  s_cb_data cb{};
  cb.reason = cbValueChange;
  cb.cb_rtn = on_change;
  cb.obj = w.rvalid;
  cb.time = &tm;
  cb.value = &val;
  cb.user_data = reinterpret_cast<PLI_BYTE8 *>(&w);
  vpiHandle cbh = vpi_register_cb(&cb);
  if (!cbh) {
    t.log.error("TB.VPI.CB", "cannot register a value-change callback");
    return;
  }
  const uint32_t id = t.sled.tb_read32(SLED_CHIP_CSR(0) + CHIP_TILE_CSR + NCT_CSR_ID);
  const uint32_t cfg0 = t.sled.tb_read32(SLED_CHIP_CSR(0) + CHIP_TILE_CSR + NCT_CSR_CONFIG0);
  sc_core::wait(sc_core::sc_time(5, sc_core::SC_NS));
  vpi_remove_cb(cbh);
  if (w.seen.size() != 2) {
    t.log.error("TB.VPI.CB", "expected 2 read responses seen through VPI, saw " + std::to_string(w.seen.size()));
    return;
  }
  char b[128];
  std::snprintf(b, sizeof b, "VPI saw rdata 0x%08X, 0x%08X; TLM read 0x%08X, 0x%08X", w.seen[0], w.seen[1], id, cfg0);
  if (w.seen[0] != id || w.seen[1] != cfg0) {
    t.log.error("TB.VPI.MISMATCH", b);
  } else {
    t.log.info("TB.VPI", b);
  }
}

Register r_vpi("vpi_probe", {"VPI under SystemC: value-change callbacks on the tile's ports agree with TLM reads",
                             false,
                             {},
                             vpi_probe,
                             nullptr,
                             [](ncv::sled::Sled &s) -> sc_core::sc_module * {
                               auto *p = new VpiPump("vpi_pump");
                               p->clk(s.clock());
                               return p;
                             }});

}  // namespace
}  // namespace ncv::tbsys
