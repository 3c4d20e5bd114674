/* Boot of the sled firmware. This increment: identify every chip's tile, check its
 * build configuration against what this firmware was built for, check that each chip's
 * HBM answers through the management window, then report READY with a boot line. */
#include <stdint.h>

#include "fw.h"
#include "fw_post.h"
#include "hal.h"
#include "nct_csr_regs.h"
#include "ncv_cfg.h"
#include "nhi_dev_regs.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

static void post(uint32_t code) {
  hal_write32(SLED_NHI_DEV_BASE + NHI_DEV_FW_POST, code);
}

static uint32_t tile_rd(uint32_t chip, uint32_t off) {
  return hal_read32(SLED_CHIP_CSR(chip) + CHIP_TILE_CSR + off);
}

static uint32_t expected_config0(void) {
  return ((NCV_CFG_P << NCT_CSR_CONFIG0_P_SHIFT) & NCT_CSR_CONFIG0_P_MASK) |
         ((NCV_CFG_NSEM << NCT_CSR_CONFIG0_NSEM_SHIFT) & NCT_CSR_CONFIG0_NSEM_MASK) |
         (((NCV_CFG_NMAX / 16u) << NCT_CSR_CONFIG0_NMAX_DIV16_SHIFT) & NCT_CSR_CONFIG0_NMAX_DIV16_MASK) |
         (((NCV_CFG_AXI_DW / 8u) << NCT_CSR_CONFIG0_AXI_BYTES_SHIFT) & NCT_CSR_CONFIG0_AXI_BYTES_MASK);
}

static uint32_t expected_config1(void) {
  return (((NCV_CFG_SBUF_PART_BYTES / 1024u) << NCT_CSR_CONFIG1_SBUF_KB_SHIFT) & NCT_CSR_CONFIG1_SBUF_KB_MASK) |
         (((NCV_CFG_PSUM_PART_BYTES / 1024u) << NCT_CSR_CONFIG1_PSUM_KB_SHIFT) & NCT_CSR_CONFIG1_PSUM_KB_MASK) |
         ((NCV_CFG_FEATURES << NCT_CSR_CONFIG1_FEATURES_SHIFT) & NCT_CSR_CONFIG1_FEATURES_MASK);
}

static int fail(uint32_t stage, uint32_t chip, const char *what, uint32_t got, uint32_t want) {
  post(FW_POST_FAIL(stage));
  fw_puts("BOOT: FAIL chip ");
  fw_put_dec(chip);
  fw_puts(": ");
  fw_puts(what);
  fw_puts(" read ");
  fw_put_hex32(got);
  fw_puts(", expected ");
  fw_put_hex32(want);
  fw_puts("\n");
  return (int)FW_POST_FAIL(stage);
}

/* Writes a word pattern through the HBM window and reads it back. */
static int hbm_probe(uint32_t chip) {
  hal_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_CHIP, chip);
  hal_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_BASE, 0);
  const uint32_t pattern = 0xA5C30000u | chip;
  hal_write32(SLED_HBM_WIN_BASE + 0x100u, pattern);
  hal_write32(SLED_HBM_WIN_BASE + 0x104u, ~pattern);
  const uint32_t a = hal_read32(SLED_HBM_WIN_BASE + 0x100u);
  const uint32_t b = hal_read32(SLED_HBM_WIN_BASE + 0x104u);
  if (a != pattern) return fail(FW_POST_HBM, chip, "HBM probe word 0", a, pattern);
  if (b != ~pattern) return fail(FW_POST_HBM, chip, "HBM probe word 1", b, ~pattern);
  return 0;
}

int fw_boot(void) {
  post(FW_POST_START);
  hal_write32(SLED_NHI_DEV_BASE + NHI_DEV_DEV_STS, NHI_DEV_DEV_STS_FW_ALIVE_MASK);
  fw_puts("ncv-fw: boot, ");
  fw_put_dec(NCV_CFG_CHIPS);
  fw_puts(" chips, config " NCV_CFG_NAME "\n");

  post(FW_POST_HBM);
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c) {
    const int rc = hbm_probe(c);
    if (rc) return rc;
  }

  post(FW_POST_TILE);
  uint32_t id = 0;
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c) {
    id = tile_rd(c, NCT_CSR_ID);
    if (id != NCT_CSR_ID_RESET) return fail(FW_POST_TILE, c, "tile ID", id, NCT_CSR_ID_RESET);
    const uint32_t c0 = tile_rd(c, NCT_CSR_CONFIG0);
    if (c0 != expected_config0()) return fail(FW_POST_TILE, c, "tile CONFIG0", c0, expected_config0());
    const uint32_t c1 = tile_rd(c, NCT_CSR_CONFIG1);
    if (c1 != expected_config1()) return fail(FW_POST_TILE, c, "tile CONFIG1", c1, expected_config1());
  }
  uint32_t fault_addr = 0;
  if (hal_fault(&fault_addr)) return fail(FW_POST_TILE, 0, "HAL access at", fault_addr, 0);

  post(FW_POST_READY);
  hal_write32(SLED_NHI_DEV_BASE + NHI_DEV_DEV_STS, NHI_DEV_DEV_STS_FW_ALIVE_MASK | NHI_DEV_DEV_STS_READY_MASK);
  fw_puts("BOOT: READY tile_id=");
  fw_put_hex32(id);
  fw_puts(" P=");
  fw_put_dec(NCV_CFG_P);
  fw_puts(" NSEM=");
  fw_put_dec(NCV_CFG_NSEM);
  fw_puts(" NMAX=");
  fw_put_dec(NCV_CFG_NMAX);
  fw_puts(" t=");
  fw_put_dec((uint32_t)(hal_now_ns()));
  fw_puts("ns\n");
  return 0;
}
