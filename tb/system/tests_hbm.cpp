// HBM system test: the controller CSRs of every chip through the management bus, and ECC
// error injection, correction and reporting end to end through the HBM window.
#include <cstdio>

#include "hbm_csr_regs.h"
#include "ncv/tb/errors.h"
#include "sim_test.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

namespace ncv::tbsys {
namespace {

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08X", v);
  return b;
}

void check(TestCtx &t, const std::string &id, const std::string &what, uint32_t got, uint32_t want) {
  if (got != want) t.log.error(id, what + ": expected " + hex(want) + ", got " + hex(got));
}

// +inject=ecc_off turns ECC off before the corrected-error read: the data check must fail.
void hbm_ecc(TestCtx &t) {
  const bool ecc_off = t.args.get_or("inject", "") == "ecc_off";
  for (unsigned c = 0; c < t.sled.chips(); ++c) {
    const std::string chip = "chip" + std::to_string(c) + " ";
    const uint32_t csr = SLED_CHIP_CSR(c) + CHIP_HBM_CSR;
    check(t, "SYS.HBM.CSR", chip + "HBM ID", t.sled.tb_read32(csr + HBM_CSR_ID), HBM_CSR_ID_RESET);
    t.sled.tb_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_CHIP, c);
    t.sled.tb_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_BASE, 0);
    const uint32_t off = 0x1000u + 0x40u * c, pattern = 0x5A5A0000u + c;
    t.sled.tb_write32(SLED_HBM_WIN_BASE + off, pattern);

    // A corrected error: right data, OK response, counted, address logged.
    if (ecc_off) {
      t.log.warning("TB.INJECT", chip + "ECC turned off on purpose");
      t.sled.tb_write32(csr + HBM_CSR_ECC_CTRL, 0);
    }
    t.sled.tb_write32(csr + HBM_CSR_ECC_INJ_ADDR_LO, off);
    t.sled.tb_write32(csr + HBM_CSR_ECC_INJ_ADDR_HI, 0);
    t.sled.tb_write32(csr + HBM_CSR_ECC_INJ_CTRL, HBM_CSR_ECC_INJ_CTRL_GO_MASK);
    tlm::tlm_response_status st;
    check(t, "SYS.HBM.ECC_DATA", chip + "read with a corrected error", t.sled.tb_read32(SLED_HBM_WIN_BASE + off, &st),
          pattern);
    if (st != tlm::TLM_OK_RESPONSE) t.log.error("SYS.HBM.ECC_RESP", chip + "corrected read did not answer OK");
    check(t, "SYS.HBM.ECC_CE", chip + "ECC_CE_COUNT", t.sled.tb_read32(csr + HBM_CSR_ECC_CE_COUNT), 1);
    check(t, "SYS.HBM.ECC_ADDR", chip + "ECC_ERR_ADDR_LO", t.sled.tb_read32(csr + HBM_CSR_ECC_ERR_ADDR_LO), off);

    // An uncorrectable error: error response, counted, interrupt status.
    t.sled.tb_write32(csr + HBM_CSR_ECC_INJ_CTRL, HBM_CSR_ECC_INJ_CTRL_GO_MASK | HBM_CSR_ECC_INJ_CTRL_UE_MASK);
    t.sled.tb_read32(SLED_HBM_WIN_BASE + off, &st);
    if (st != tlm::TLM_GENERIC_ERROR_RESPONSE)
      t.log.error("SYS.HBM.ECC_RESP", chip + "uncorrectable read did not answer TLM_GENERIC_ERROR_RESPONSE");
    check(t, "SYS.HBM.ECC_UE", chip + "ECC_UE_COUNT", t.sled.tb_read32(csr + HBM_CSR_ECC_UE_COUNT), 1);
    check(t, "SYS.HBM.ECC_STATUS", chip + "ECC_STATUS", t.sled.tb_read32(csr + HBM_CSR_ECC_STATUS),
          HBM_CSR_ECC_STATUS_CE_MASK | HBM_CSR_ECC_STATUS_UE_MASK);
  }
}

Register r_hbm_ecc("hbm_ecc", {"HBM controller CSRs and ECC injection, correction and reporting on every chip",
                               false,
                               {"inject"},
                               hbm_ecc,
                               [](const ncv::tb::Plusargs &a) {
                                 const std::string v = a.get_or("inject", "");
                                 if (!v.empty() && v != "ecc_off")
                                   throw ncv::tb::UsageError("argument '+inject=" + v + "': expected ecc_off");
                               }});

}  // namespace
}  // namespace ncv::tbsys
