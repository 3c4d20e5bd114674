/* Boot of the sled firmware (firmware.md "Boot"): 1 Power, 2 Clocks, 3 HBM per chip,
 * 4 Tile per chip, 5 Fabric (hook), 6 Host ready. Every stage writes its POST code to NHI
 * FW_POST and log lines (console and HAL log ring); every wait is bounded with HAL delays;
 * every timeout and region comes from struct fw_boot_opts (fw_boot.h), which tests
 * override with fw_boot_set_opts(). A chip whose HBM or tile fails is marked degraded and
 * boot goes on while at least min_healthy_chips remain; power, clock and option failures
 * end boot with the stage's FAIL code. */
#include <stdint.h>

#include "fw.h"
#include "fw_boot.h"
#include "fw_post.h"
#include "fw_selftest.h"
#include "hal.h"
#include "hbm_csr_regs.h"
#include "nct_csr_regs.h"
#include "ncv_cfg.h"
#include "nhi_dev_regs.h"
#include "nsp_cnt.h"
#include "nsp_ep_csr_regs.h"
#include "nsp_switch_regs.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

#define DEV(off) (SLED_DEVICES_BASE + (off))
#define NHI(off) (SLED_NHI_DEV_BASE + (off))
#define TILE(c, off) (SLED_CHIP_CSR(c) + CHIP_TILE_CSR + (off))
#define HBMC(c, off) (SLED_CHIP_CSR(c) + CHIP_HBM_CSR + (off))
#define SW(off) (SLED_SWITCH_CSR_BASE + (off))
#define EP(c, off) (SLED_CHIP_CSR(c) + CHIP_NSP_CSR + (off))
#define FLASH_MAGIC 0x4656434Eu

static struct fw_boot_opts g_opts;
static int g_opts_set;
static struct fw_boot_report g_rep;

void fw_boot_set_opts(const struct fw_boot_opts *o) {
  if (o) g_opts = *o;
  g_opts_set = o != 0;
}

const struct fw_boot_report *fw_boot_report(void) {
  return &g_rep;
}

/* ---- POST and stage outcome ---- */
static void post(uint32_t code) {
  hal_write32(NHI(NHI_DEV_FW_POST), code);
}

static void stage(uint32_t code, const char *name) {
  post(code);
  struct fw_line l;
  fw_line_begin(&l, "BOOT: POST ");
  fw_line_hex(&l, code);
  fw_line_str(&l, " ");
  fw_line_str(&l, name);
  fw_line_emit(&l);
}

/* Ends boot with FAIL(stage): the POST code, then the line already built in `l`. */
static int fail(uint32_t stage_code, struct fw_line *l) {
  post(FW_POST_FAIL(stage_code));
  hal_write32(NHI(NHI_DEV_DEV_STS), NHI_DEV_DEV_STS_FW_ALIVE_MASK | NHI_DEV_DEV_STS_FATAL_MASK);
  fw_line_emit(l);
  g_rep.result = FW_POST_FAIL(stage_code);
  return (int)FW_POST_FAIL(stage_code);
}

/* Polls until (read(addr) & mask) == want or timeout_ns passed, sampling every poll_ns.
 * Returns 1 when the condition held (*elapsed: ns it took), 0 on a timeout; *last gets the
 * last value read. */
static int wait_bits(uint32_t addr, uint32_t mask, uint32_t want, uint64_t timeout_ns, uint64_t poll_ns,
                     uint64_t *elapsed, uint32_t *last) {
  const uint64_t t0 = hal_now_ns();
  for (;;) {
    const uint32_t v = hal_read32(addr);
    const uint64_t now = hal_now_ns();
    *last = v;
    *elapsed = now - t0;
    if ((v & mask) == want) return 1;
    if (now - t0 >= timeout_ns) return 0;
    hal_delay_ns(poll_ns);
  }
}

/* ---- Stage 1: power ---- */
static int stage_power(const struct fw_boot_opts *o) {
  stage(FW_POST_POWER, "power");
  struct fw_line l;
  const uint32_t rails = hal_read32(DEV(SLED_DEV_PWR_INFO)) & SLED_DEV_PWR_INFO_COUNT_MASK;
  if (rails > 8u || (o->rail_mask >> rails) != 0u) {
    fw_line_begin(&l, "BOOT: FAIL power: rail_mask ");
    fw_line_hex(&l, o->rail_mask);
    fw_line_str(&l, " names rails the sequencer does not have (it has ");
    fw_line_dec(&l, rails);
    fw_line_str(&l, ")");
    return fail(FW_POST_POWER, &l);
  }
  uint32_t en = 0;
  for (uint32_t r = 0; r < rails; ++r) {
    if (!((o->rail_mask >> r) & 1u)) continue;
    en |= 1u << r;
    hal_write32(DEV(SLED_DEV_PWR_ENABLE), en);
    uint64_t took = 0;
    uint32_t good = 0;
    if (!wait_bits(DEV(SLED_DEV_PWR_GOOD), 1u << r, 1u << r, o->power_good_timeout_ns, o->poll_ns, &took, &good)) {
      hal_write32(DEV(SLED_DEV_PWR_ENABLE), 0); /* power down what was brought up */
      fw_line_begin(&l, "BOOT: FAIL power: rail ");
      fw_line_dec(&l, r);
      fw_line_str(&l, " not power-good after ");
      fw_line_dec(&l, o->power_good_timeout_ns);
      fw_line_str(&l, " ns (PWR_GOOD ");
      fw_line_hex(&l, good);
      fw_line_str(&l, ")");
      return fail(FW_POST_POWER, &l);
    }
    fw_line_begin(&l, "power: rail ");
    fw_line_dec(&l, r);
    fw_line_str(&l, " good after ");
    fw_line_dec(&l, took);
    fw_line_str(&l, " ns");
    fw_line_emit(&l);
  }
  return 0;
}

/* ---- Stage 2: clocks ---- */
static int stage_clocks(const struct fw_boot_opts *o) {
  stage(FW_POST_CLOCKS, "clocks");
  struct fw_line l;
  hal_write32(DEV(SLED_DEV_CLK_PLL_CTRL), 0);
  hal_write32(DEV(SLED_DEV_CLK_PLL_CFG),
              ((o->pll_mult << SLED_DEV_CLK_PLL_CFG_MULT_SHIFT) & SLED_DEV_CLK_PLL_CFG_MULT_MASK) |
                  ((o->pll_div << SLED_DEV_CLK_PLL_CFG_DIV_SHIFT) & SLED_DEV_CLK_PLL_CFG_DIV_MASK));
  hal_write32(DEV(SLED_DEV_CLK_PLL_CTRL), SLED_DEV_CLK_PLL_CTRL_ENABLE_MASK);
  uint64_t took = 0;
  uint32_t st = 0;
  if (!wait_bits(DEV(SLED_DEV_CLK_PLL_STATUS), SLED_DEV_CLK_PLL_STATUS_LOCKED_MASK, SLED_DEV_CLK_PLL_STATUS_LOCKED_MASK,
                 o->pll_lock_timeout_ns, o->poll_ns, &took, &st)) {
    fw_line_begin(&l, "BOOT: FAIL clocks: PLL not locked after ");
    fw_line_dec(&l, o->pll_lock_timeout_ns);
    fw_line_str(&l, " ns (CLK_PLL_STATUS ");
    fw_line_hex(&l, st);
    fw_line_str(&l, (st & SLED_DEV_CLK_PLL_STATUS_BAD_CFG_MASK) ? ", bad configuration)" : ")");
    return fail(FW_POST_CLOCKS, &l);
  }
  g_rep.clock_mhz = hal_read32(DEV(SLED_DEV_CLK_FREQ));
  fw_line_begin(&l, "clocks: PLL locked after ");
  fw_line_dec(&l, took);
  fw_line_str(&l, " ns, ");
  fw_line_dec(&l, g_rep.clock_mhz);
  fw_line_str(&l, " MHz");
  fw_line_emit(&l);
  return 0;
}

/* ---- Stage 3: HBM per chip ---- */
static uint32_t win_rd(void *ctx, uint32_t a) {
  (void)ctx;
  return hal_read32(SLED_HBM_WIN_BASE + a);
}
static void win_wr(void *ctx, uint32_t a, uint32_t v) {
  (void)ctx;
  hal_write32(SLED_HBM_WIN_BASE + a, v);
}

static void win_select(uint32_t chip) {
  hal_write32(DEV(SLED_DEV_HBM_WIN_CHIP), chip);
  hal_write32(DEV(SLED_DEV_HBM_WIN_BASE), 0);
}

static void hbm_degraded(uint32_t c, const char *why, struct fw_line *l) {
  g_rep.hbm_degraded |= 1u << c;
  struct fw_line h;
  fw_line_begin(&h, "BOOT: DEGRADED chip ");
  fw_line_dec(&h, c);
  fw_line_str(&h, " HBM: ");
  fw_line_str(&h, why);
  if (l) fw_line_str(&h, l->b);
  fw_line_emit(&h);
}

static void hbm_chip(const struct fw_boot_opts *o, uint32_t c) {
  struct fw_line l;
  /* Controller init: identity, size, ECC off for the raw-cell March test, status and
   * counters cleared, interrupts off. */
  const uint32_t id = hal_read32(HBMC(c, HBM_CSR_ID));
  if (id != HBM_CSR_ID_RESET) {
    fw_line_begin(&l, "");
    fw_line_str(&l, " read ");
    fw_line_hex(&l, id);
    hbm_degraded(c, "controller ID", &l);
    return;
  }
  const uint32_t mib = hal_read32(HBMC(c, HBM_CSR_MEM_SIZE));
  if ((uint64_t)o->march_base + o->march_bytes > ((uint64_t)mib << 20) ||
      (o->tile_selftest && (uint64_t)FW_ST_BASE + FW_ST_BYTES > ((uint64_t)mib << 20))) {
    fw_line_begin(&l, "");
    fw_line_dec(&l, mib);
    fw_line_str(&l, " MiB");
    hbm_degraded(c, "smaller than the test regions: ", &l);
    return;
  }
  hal_write32(HBMC(c, HBM_CSR_ECC_INT_ENABLE), 0);
  hal_write32(HBMC(c, HBM_CSR_ECC_CTRL), 0);
  win_select(c);
  hal_fault_clear();
  struct fw_march_result mr = {0, 0, 0, 0, 0};
  const struct fw_mem_ops ops = {win_rd, win_wr, 0};
  const uint64_t t0 = hal_now_ns();
  const int bad = o->march_bytes ? fw_march_cminus(&ops, o->march_base, o->march_bytes / 4u, o->march_pattern, &mr) : 0;
  const uint64_t took = hal_now_ns() - t0;
  uint32_t fault_addr = 0;
  const int fault = hal_fault(&fault_addr);
  /* ECC on for everything after boot; the March test's history cleared. */
  hal_write32(HBMC(c, HBM_CSR_ECC_CTRL), HBM_CSR_ECC_CTRL_ENABLE_MASK);
  hal_write32(HBMC(c, HBM_CSR_ECC_STATUS), HBM_CSR_ECC_STATUS_CE_MASK | HBM_CSR_ECC_STATUS_UE_MASK);
  hal_write32(HBMC(c, HBM_CSR_ECC_CE_COUNT), 0);
  hal_write32(HBMC(c, HBM_CSR_ECC_UE_COUNT), 0);
  if (bad) {
    g_rep.march_fail_addr[c] = mr.addr;
    g_rep.march_fail_got[c] = mr.got;
    g_rep.march_fail_want[c] = mr.expected;
    fw_line_begin(&l, " element ");
    fw_line_dec(&l, mr.element);
    fw_line_str(&l, " at ");
    fw_line_hex(&l, mr.addr);
    fw_line_str(&l, " read ");
    fw_line_hex(&l, mr.got);
    fw_line_str(&l, ", expected ");
    fw_line_hex(&l, mr.expected);
    hbm_degraded(c, "March C-", &l);
    return;
  }
  if (fault) {
    fw_line_begin(&l, "");
    fw_line_hex(&l, fault_addr);
    hbm_degraded(c, "bus error during the March test at ", &l);
    return;
  }
  fw_line_begin(&l, "hbm: chip ");
  fw_line_dec(&l, c);
  if (!o->march_bytes) {
    fw_line_str(&l, " ok: controller initialised, March test skipped (march_bytes 0)");
    fw_line_emit(&l);
    return;
  }
  fw_line_str(&l, " ok: March C- over ");
  fw_line_dec(&l, o->march_bytes);
  fw_line_str(&l, " bytes at ");
  fw_line_hex(&l, o->march_base);
  fw_line_str(&l, ", ");
  fw_line_dec(&l, mr.ops);
  fw_line_str(&l, " accesses, ");
  fw_line_dec(&l, took);
  fw_line_str(&l, " ns");
  fw_line_emit(&l);
}

static int stage_hbm(const struct fw_boot_opts *o) {
  stage(FW_POST_HBM, "hbm");
  for (uint32_t c = 0; c < o->chips; ++c) hbm_chip(o, c);
  const uint32_t v = fw_stage_verdict(FW_POST_HBM, o->chips, g_rep.hbm_degraded, o->min_healthy_chips);
  if (v) {
    struct fw_line l;
    fw_line_begin(&l, "BOOT: FAIL hbm: ");
    fw_line_dec(&l, fw_usable_chips(o->chips, g_rep.hbm_degraded));
    fw_line_str(&l, " chips with good HBM, at least ");
    fw_line_dec(&l, o->min_healthy_chips);
    fw_line_str(&l, " needed");
    return fail(FW_POST_HBM, &l);
  }
  return 0;
}

/* ---- Stage 4: tile per chip ---- */
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

static void tile_degraded(uint32_t c, const char *what, uint32_t got, uint32_t want) {
  g_rep.tile_degraded |= 1u << c;
  struct fw_line l;
  fw_line_begin(&l, "BOOT: DEGRADED chip ");
  fw_line_dec(&l, c);
  fw_line_str(&l, " tile: ");
  fw_line_str(&l, what);
  fw_line_str(&l, " read ");
  fw_line_hex(&l, got);
  fw_line_str(&l, ", expected ");
  fw_line_hex(&l, want);
  fw_line_emit(&l);
}

/* The self-test image (fw_selftest.h, built from the golden model's MLP kernel) through
 * the HBM window, the launch of tile.md "Launch", completion by polling, the output
 * compared with what the golden model computed. Returns 0 when it passed. */
static int tile_selftest(const struct fw_boot_opts *o, uint32_t c) {
  win_select(c);
  for (uint32_t b = 0; b < FW_ST_NBLOCKS; ++b)
    for (uint32_t i = 0; i < fw_st_blocks[b].words; ++i)
      hal_write32(SLED_HBM_WIN_BASE + fw_st_blocks[b].addr + 4u * i, fw_st_data[fw_st_blocks[b].first + i]);
  hal_write32(TILE(c, NCT_CSR_CTRL), NCT_CSR_CTRL_SOFT_RESET_MASK);
  for (uint32_t q = 0; q < 4u; ++q) {
    hal_write32(TILE(c, NCT_CSR_Q_BASE_LO(q)), fw_st_ring_base[q]);
    hal_write32(TILE(c, NCT_CSR_Q_BASE_HI(q)), 0);
    hal_write32(TILE(c, NCT_CSR_Q_SIZE(q)), fw_st_ring_log2[q]);
  }
  hal_write32(TILE(c, NCT_CSR_NQ_BASE_LO), FW_ST_NQ_BASE);
  hal_write32(TILE(c, NCT_CSR_NQ_BASE_HI), 0);
  hal_write32(TILE(c, NCT_CSR_NQ_SIZE), FW_ST_NQ_LOG2);
  hal_write32(TILE(c, NCT_CSR_INTR_ENABLE), 0xFFu);
  hal_write32(TILE(c, NCT_CSR_CTRL), NCT_CSR_CTRL_ENABLE_MASK);
  for (uint32_t q = 0; q < 4u; ++q)
    if (fw_st_tail[q]) hal_write32(TILE(c, NCT_CSR_Q_TAIL(q)), fw_st_tail[q]);
  /* Done: not BUSY and every interrupt the program raises pending (the tile drops BUSY
   * before its last notification records are written). */
  const uint64_t t0 = hal_now_ns();
  uint32_t status = 0, intr = 0;
  for (;;) {
    status = hal_read32(TILE(c, NCT_CSR_STATUS));
    intr = hal_read32(TILE(c, NCT_CSR_INTR_STATUS));
    if (!(status & NCT_CSR_STATUS_BUSY_MASK) && (intr & FW_ST_INTR_WANT) == FW_ST_INTR_WANT) break;
    if (hal_now_ns() - t0 >= o->tile_timeout_ns) {
      tile_degraded(c, "self-test not done in time: INTR_STATUS", intr, FW_ST_INTR_WANT);
      hal_write32(TILE(c, NCT_CSR_CTRL), NCT_CSR_CTRL_SOFT_RESET_MASK);
      return 1;
    }
    hal_delay_ns(o->poll_ns);
  }
  const uint32_t err = hal_read32(TILE(c, NCT_CSR_ERR_CODE));
  int rc = 0;
  if (err != 0u) {
    tile_degraded(c, "self-test ERR_CODE", err, 0);
    rc = 1;
  }
  for (uint32_t i = 0; !rc && i < FW_ST_OUT_WORDS; ++i) {
    const uint32_t got = hal_read32(SLED_HBM_WIN_BASE + FW_ST_OUT_ADDR + 4u * i);
    if (got != fw_st_expect[i]) {
      tile_degraded(c, "self-test output word", got, fw_st_expect[i]);
      rc = 1;
    }
  }
  hal_write32(TILE(c, NCT_CSR_CTRL), NCT_CSR_CTRL_SOFT_RESET_MASK); /* left idle for the service */
  hal_write32(TILE(c, NCT_CSR_INTR_STATUS), 0xFFFFFFFFu);
  if (!rc) {
    struct fw_line l;
    fw_line_begin(&l, "tile: chip ");
    fw_line_dec(&l, c);
    fw_line_str(&l, " self-test passed (matmul + ReLU, ");
    fw_line_dec(&l, FW_ST_OUT_WORDS * 4u);
    fw_line_str(&l, " output bytes) in ");
    fw_line_dec(&l, hal_now_ns() - t0);
    fw_line_str(&l, " ns");
    fw_line_emit(&l);
  }
  return rc;
}

static uint32_t g_tile_id;

static int stage_tile(const struct fw_boot_opts *o) {
  stage(FW_POST_TILE, "tile");
  for (uint32_t c = 0; c < o->chips; ++c) {
    if ((g_rep.hbm_degraded >> c) & 1u) {
      g_rep.untested |= 1u << c;
      struct fw_line l;
      fw_line_begin(&l, "tile: chip ");
      fw_line_dec(&l, c);
      fw_line_str(&l, " not tested (its HBM is degraded)");
      fw_line_emit(&l);
      continue;
    }
    hal_fault_clear();
    hal_write32(TILE(c, NCT_CSR_CTRL), NCT_CSR_CTRL_SOFT_RESET_MASK);
    const uint32_t id = hal_read32(TILE(c, NCT_CSR_ID));
    if (id != NCT_CSR_ID_RESET) {
      tile_degraded(c, "ID", id, NCT_CSR_ID_RESET);
      continue;
    }
    g_tile_id = id;
    const uint32_t c0 = hal_read32(TILE(c, NCT_CSR_CONFIG0));
    if (c0 != expected_config0()) {
      tile_degraded(c, "CONFIG0", c0, expected_config0());
      continue;
    }
    const uint32_t c1 = hal_read32(TILE(c, NCT_CSR_CONFIG1));
    if (c1 != expected_config1()) {
      tile_degraded(c, "CONFIG1", c1, expected_config1());
      continue;
    }
    if (o->tile_selftest && tile_selftest(o, c)) continue;
    uint32_t fault_addr = 0;
    if (hal_fault(&fault_addr)) tile_degraded(c, "bus error at", fault_addr, 0);
  }
  const uint32_t bad = g_rep.hbm_degraded | g_rep.tile_degraded;
  if (fw_stage_verdict(FW_POST_TILE, o->chips, bad, o->min_healthy_chips)) {
    struct fw_line l;
    fw_line_begin(&l, "BOOT: FAIL tile: ");
    fw_line_dec(&l, fw_usable_chips(o->chips, bad));
    fw_line_str(&l, " usable chips, at least ");
    fw_line_dec(&l, o->min_healthy_chips);
    fw_line_str(&l, " needed");
    return fail(FW_POST_TILE, &l);
  }
  return 0;
}

/* ---- Stage 5: fabric (hook; programmed by the fabric work) ---- */
uint32_t fw_boot_link_down;

/* Routes chip c's node id to switch port c for every chip not in `down`, in the shadow
 * bank, then swaps banks and checks the active bank. 0, or 1 with `l` saying what failed. */
int fw_fabric_program_routes(uint32_t chips, uint32_t down, struct fw_line *l) {
  for (uint32_t c = 0; c < chips; ++c)
    hal_write32(SW(NSP_SWITCH_RT_SHADOW(c)), (down >> c & 1u) ? 0u : (NSP_SWITCH_RT_SHADOW_VALID_MASK | c));
  const uint32_t bank = hal_read32(SW(NSP_SWITCH_RT_BANK));
  hal_write32(SW(NSP_SWITCH_RT_SWAP), 1u);
  if (hal_read32(SW(NSP_SWITCH_RT_BANK)) == bank) {
    fw_line_begin(l, "BOOT: FAIL fabric: RT_BANK did not change after RT_SWAP");
    return 1;
  }
  for (uint32_t c = 0; c < chips; ++c) {
    const uint32_t want = (down >> c & 1u) ? 0u : (NSP_SWITCH_RT_SHADOW_VALID_MASK | c);
    const uint32_t got = hal_read32(SW(NSP_SWITCH_RT_ACTIVE(c)));
    if (got != want) {
      fw_line_begin(l, "BOOT: FAIL fabric: route of node ");
      fw_line_dec(l, c);
      fw_line_str(l, " reads ");
      fw_line_hex(l, got);
      fw_line_str(l, ", expected ");
      fw_line_hex(l, want);
      return 1;
    }
  }
  return 0;
}

/* Stage 5: node ids, routes (shadow bank + swap), links enabled, wait for UP. A link that
 * does not come up is disabled and its chip loses its route (degraded); boot goes on. The
 * topology check compares the switch's port count and every endpoint's node id with the
 * sled's. */
int fw_boot_fabric(const struct fw_boot_opts *o, struct fw_boot_report *r) {
  (void)r;
  fw_boot_link_down = 0;
  if (!o->fabric_present) {
    fw_log("fabric: not present");
    return 0;
  }
  struct fw_line l;
  const uint32_t id = hal_read32(SW(NSP_SWITCH_ID));
  if ((id >> 16) != 0x4E53u || (id & 0xFFFFu) != o->chips) {
    fw_line_begin(&l, "BOOT: FAIL fabric: switch ID reads ");
    fw_line_hex(&l, id);
    fw_line_str(&l, ", expected 0x4E53 << 16 | ");
    fw_line_dec(&l, o->chips);
    fw_line_emit(&l);
    return (int)FW_POST_FAIL(FW_POST_FABRIC);
  }
  for (uint32_t c = 0; c < o->chips; ++c) hal_write32(EP(c, NSP_EP_CSR_NODE_ID), c);
  if (fw_fabric_program_routes(o->chips, 0, &l)) {
    fw_line_emit(&l);
    return (int)FW_POST_FAIL(FW_POST_FABRIC);
  }
  for (uint32_t c = 0; c < o->chips; ++c) {
    hal_write32(SW(NSP_SWITCH_PORT_LINK_CTRL(c)), NSP_SWITCH_PORT_LINK_CTRL_ENABLE_MASK);
    hal_write32(EP(c, NSP_EP_CSR_LINK_CTRL), NSP_EP_CSR_LINK_CTRL_ENABLE_MASK);
  }
  const uint64_t t0 = hal_now_ns();
  const uint32_t all = (1u << o->chips) - 1u; /* chips <= 16 */
  uint32_t up = 0;
  for (;;) {
    up = 0;
    for (uint32_t c = 0; c < o->chips; ++c)
      if (hal_read32(SW(NSP_SWITCH_PORT_LINK_CNT(c, NSP_CNT_STATE))) == NSP_LINK_UP &&
          hal_read32(EP(c, NSP_EP_CSR_LINK_STATE)) == NSP_LINK_UP)
        up |= 1u << c;
    if (up == all || hal_now_ns() - t0 >= o->fabric_timeout_ns) break;
    hal_delay_ns(o->poll_ns);
  }
  for (uint32_t c = 0; c < o->chips; ++c) {
    const uint32_t node = hal_read32(EP(c, NSP_EP_CSR_NODE_ID));
    if (node != c) {
      fw_line_begin(&l, "BOOT: FAIL fabric: chip ");
      fw_line_dec(&l, c);
      fw_line_str(&l, " endpoint node id reads ");
      fw_line_dec(&l, node);
      fw_line_emit(&l);
      return (int)FW_POST_FAIL(FW_POST_FABRIC);
    }
  }
  if (up != all) {
    fw_boot_link_down = all & ~up;
    for (uint32_t c = 0; c < o->chips; ++c) {
      if (up >> c & 1u) continue;
      fw_line_begin(&l, "BOOT: DEGRADED chip ");
      fw_line_dec(&l, c);
      fw_line_str(&l, " link: not UP after ");
      fw_line_dec(&l, o->fabric_timeout_ns);
      fw_line_str(&l, " ns (endpoint/switch state ");
      fw_line_dec(&l, hal_read32(EP(c, NSP_EP_CSR_LINK_STATE)));
      fw_line_str(&l, "/");
      fw_line_dec(&l, hal_read32(SW(NSP_SWITCH_PORT_LINK_CNT(c, NSP_CNT_STATE))));
      fw_line_str(&l, "), route removed");
      fw_line_emit(&l);
      hal_write32(SW(NSP_SWITCH_PORT_LINK_CTRL(c)), 0);
      hal_write32(EP(c, NSP_EP_CSR_LINK_CTRL), 0);
    }
    if (fw_fabric_program_routes(o->chips, fw_boot_link_down, &l)) {
      fw_line_emit(&l);
      return (int)FW_POST_FAIL(FW_POST_FABRIC);
    }
  }
  fw_line_begin(&l, "fabric: ");
  fw_line_dec(&l, fw_usable_chips(o->chips, fw_boot_link_down));
  fw_line_str(&l, "/");
  fw_line_dec(&l, o->chips);
  fw_line_str(&l, " links UP after ");
  fw_line_dec(&l, hal_now_ns() - t0);
  fw_line_str(&l, " ns, node c routed to port c");
  fw_line_emit(&l);
  return 0;
}

/* ---- Stage 6: host ready ---- */
static void telemetry(uint32_t i, uint32_t v) {
  hal_write32(NHI(NHI_DEV_TELEMETRY(i)), v);
}

static void stage_host(const struct fw_boot_opts *o) {
  stage(FW_POST_HOST, "host");
  const uint32_t bad = g_rep.hbm_degraded | g_rep.tile_degraded;
  g_rep.ready_ns = hal_now_ns();
  telemetry(FW_TLM_MAGIC, FW_TLM_MAGIC_VALUE);
  telemetry(FW_TLM_SERIAL, g_rep.serial);
  telemetry(FW_TLM_CHIPS, o->chips);
  telemetry(FW_TLM_BOOT_RESULT, 0);
  telemetry(FW_TLM_HBM_DEGRADED, g_rep.hbm_degraded);
  telemetry(FW_TLM_TILE_DEGRADED, g_rep.tile_degraded);
  telemetry(FW_TLM_DEGRADED, bad);
  telemetry(FW_TLM_POWER_MW, hal_read32(DEV(SLED_DEV_SENS_POWER)));
  telemetry(FW_TLM_CLOCK_MHZ, g_rep.clock_mhz);
  telemetry(FW_TLM_READY_US, (uint32_t)(g_rep.ready_ns / 1000u));
  for (uint32_t c = 0; c < o->chips; ++c) {
    telemetry(FW_TLM_TEMP(c), hal_read32(DEV(SLED_DEV_SENS_TEMP(c))));
    telemetry(FW_TLM_HBM_CE(c), hal_read32(HBMC(c, HBM_CSR_ECC_CE_COUNT)));
    telemetry(FW_TLM_HBM_UE(c), hal_read32(HBMC(c, HBM_CSR_ECC_UE_COUNT)));
  }
  hal_write32(NHI(NHI_DEV_HEARTBEAT), 1);
}

int fw_boot(void) {
  struct fw_boot_opts o;
  if (g_opts_set) {
    o = g_opts;
  } else {
    fw_boot_default_opts(&o, NCV_CFG_CHIPS);
    o.march_bytes = NCV_CFG_FW_MARCH_BYTES; /* configs/<name>.yaml firmware.march_bytes */
  }
  g_rep = (struct fw_boot_report){0};
  g_rep.chips = o.chips;
  g_tile_id = 0;

  post(FW_POST_START);
  hal_write32(NHI(NHI_DEV_DEV_STS), NHI_DEV_DEV_STS_FW_ALIVE_MASK);
  struct fw_line l;
  fw_line_begin(&l, "ncv-fw: boot, ");
  fw_line_dec(&l, o.chips);
  fw_line_str(&l, " chips, config " NCV_CFG_NAME);
  fw_line_emit(&l);
  const char *field = 0, *expected = 0;
  if (o.chips > NCV_CFG_CHIPS) {
    fw_line_begin(&l, "BOOT: FAIL options: chips: expected at most ");
    fw_line_dec(&l, NCV_CFG_CHIPS);
    fw_line_str(&l, " (this sled)");
    return fail(FW_POST_START, &l);
  }
  if (fw_boot_opts_check(&o, FW_ST_BASE, FW_ST_BYTES, &field, &expected)) {
    fw_line_begin(&l, "BOOT: FAIL options: ");
    fw_line_str(&l, field);
    fw_line_str(&l, ": expected ");
    fw_line_str(&l, expected);
    return fail(FW_POST_START, &l);
  }
  if (hal_read32(DEV(SLED_DEV_FLASH_DATA(0))) == FLASH_MAGIC) {
    g_rep.serial = hal_read32(DEV(SLED_DEV_FLASH_DATA(2)));
    fw_line_begin(&l, "flash: serial ");
    fw_line_hex(&l, g_rep.serial);
  } else {
    fw_line_begin(&l, "flash: no valid image (serial unknown)");
  }
  fw_line_emit(&l);

  int rc;
  if ((rc = stage_power(&o)) != 0) return rc;
  if ((rc = stage_clocks(&o)) != 0) return rc;
  if ((rc = stage_hbm(&o)) != 0) return rc;
  if ((rc = stage_tile(&o)) != 0) return rc;
  stage(FW_POST_FABRIC, "fabric");
  if ((rc = fw_boot_fabric(&o, &g_rep)) != 0) {
    fw_line_begin(&l, "BOOT: FAIL fabric");
    return fail(FW_POST_FABRIC, &l);
  }
  stage_host(&o);

  post(FW_POST_READY);
  hal_write32(NHI(NHI_DEV_DEV_STS), NHI_DEV_DEV_STS_FW_ALIVE_MASK | NHI_DEV_DEV_STS_READY_MASK);
  const uint32_t bad = g_rep.hbm_degraded | g_rep.tile_degraded;
  fw_line_begin(&l, "BOOT: READY tile_id=");
  fw_line_hex(&l, g_tile_id);
  fw_line_str(&l, " P=");
  fw_line_dec(&l, NCV_CFG_P);
  fw_line_str(&l, " NSEM=");
  fw_line_dec(&l, NCV_CFG_NSEM);
  fw_line_str(&l, " NMAX=");
  fw_line_dec(&l, NCV_CFG_NMAX);
  fw_line_str(&l, " chips=");
  fw_line_dec(&l, fw_usable_chips(o.chips, bad));
  fw_line_str(&l, "/");
  fw_line_dec(&l, o.chips);
  if (bad) {
    fw_line_str(&l, " degraded=");
    fw_line_hex(&l, bad);
  }
  fw_line_str(&l, " t=");
  fw_line_dec(&l, hal_now_ns());
  fw_line_str(&l, "ns");
  fw_line_emit(&l);
  return 0;
}
