/* Runtime services of the sled firmware (firmware.md "Runtime services", host.md): a
 * cooperative main loop that serves the NHI mailbox (admin and IO commands), runs tile
 * jobs and completes them on the tile's interrupt, and keeps the heartbeat. Every wait is
 * bounded (HAL timeouts); a bad command completes with an error status, never hangs. */
#include <stdint.h>

#include "fw.h"
#include "fw_boot.h"
#include "fw_service.h"
#include "hal.h"
#include "hbm_csr_regs.h"
#include "nct_csr_regs.h"
#include "ncv/nhi/nhi_proto.h"
#include "ncv_cfg.h"
#include "nhi_dev_regs.h"
#include "nsp_cnt.h"
#include "nsp_ep_csr_regs.h"
#include "nsp_switch_regs.h"
#include "sled_dev_regs.h"
#include "sled_map.h"

#define NHI(off) (SLED_NHI_DEV_BASE + (off))
#define TILE(chip, off) (SLED_CHIP_CSR(chip) + CHIP_TILE_CSR + (off))
#define HBMC(chip, off) (SLED_CHIP_CSR(chip) + CHIP_HBM_CSR + (off))
#define SW(off) (SLED_SWITCH_CSR_BASE + (off))
#define EP(chip, off) (SLED_CHIP_CSR(chip) + CHIP_NSP_CSR + (off))
#define HBM_BYTES ((uint64_t)NCV_CFG_HBM_SIZE_MIB << 20)
#define DMA_CHUNK (64u * 1024u)
#define NO_JOB 0xFFFFFFFFu
#define WDT_KEY 0x4B49434Bu /* "KICK" */

/* A RUN_PROGRAM in flight on a chip's tile. */
struct job {
  uint32_t tag; /* NHI tag, NO_JOB when the tile is free */
  uint8_t sq;
  uint64_t deadline_ns;
};

struct service {
  struct fw_service_opts o;
  struct job jobs[NCV_CFG_CHIPS];
  struct fw_errlog errlog;
  uint32_t heartbeat;
  uint64_t next_heartbeat_ns;
  uint32_t keepalive_us;
  uint64_t next_keepalive_ns;
  uint32_t irq_coalesce;
  struct fw_ecc_state ecc[NCV_CFG_CHIPS];
  uint32_t unusable; /* bit c: chip c degraded at boot (HBM or tile); device commands refuse it */
  struct fw_link_state link[NCV_CFG_CHIPS];
  uint32_t links_down; /* bit c: chip c's link out of the routes (boot or health) */
};

static struct service g_svc; /* static storage: no heap */
static struct fw_service_opts g_opts;
static int g_opts_set;

void fw_service_default_opts(struct fw_service_opts *o) {
  o->heartbeat_ns = 10000u;       /* 10 us */
  o->dma_timeout_ns = 10000000u;  /* 10 ms */
  o->job_timeout_ns = 100000000u; /* 100 ms */
  o->tile_watchdog_cycles = 100000u;
  o->max_cmds_per_pass = 8u;
  o->run_for_ns = 0;
  o->ecc_ce_threshold = 16u;
  o->ecc_window_ns = 1000000u; /* 1 ms */
  o->wdt_timeout_us = 1000u;
  o->link_crc_threshold = 8u;
  o->link_window_ns = 100000u; /* 100 us */
  o->link_max_retrains = 3u;
  o->inject_hang_ns = 0;
  o->inject_bad_access = 0;
}

void fw_service_set_opts(const struct fw_service_opts *o) {
  g_opts_set = o != 0;
  if (o) g_opts = *o;
}

/* ---- NHI device side ---- */

static void complete(uint32_t tag, uint16_t status, uint64_t result) {
  hal_write32(NHI(NHI_DEV_CPL_RESULT_LO), (uint32_t)result);
  hal_write32(NHI(NHI_DEV_CPL_RESULT_HI), (uint32_t)(result >> 32));
  hal_write32(NHI(NHI_DEV_CPL_STATUS), status);
  hal_write32(NHI(NHI_DEV_CPL_TAG), tag);
}

static void post_event(uint16_t type, uint16_t info, uint64_t data) {
  hal_write32(NHI(NHI_DEV_EVT_INFO), info);
  hal_write32(NHI(NHI_DEV_EVT_DATA_LO), (uint32_t)data);
  hal_write32(NHI(NHI_DEV_EVT_DATA_HI), (uint32_t)(data >> 32));
  hal_write32(NHI(NHI_DEV_EVT_POST), type);
}

static void log_error(struct service *s, const struct fw_cmd *c, uint16_t status, uint32_t info) {
  struct fw_errlog_entry e;
  e.time_us = (uint32_t)(hal_now_ns() / 1000u);
  e.status = status;
  e.opcode = c ? c->opcode : 0;
  e.sq = c ? (uint8_t)c->sq : 0;
  e.info = info;
  e.seq = 0;
  fw_errlog_push(&s->errlog, &e);
}

/* One NHI DMA between a host address and a management-bus address; 0 or an NHI status. */
static uint16_t nhi_dma(struct service *s, uint64_t host, uint32_t mgmt, uint32_t len, int to_host) {
  hal_write32(NHI(NHI_DEV_IRQ_STS), NHI_DEV_IRQ_STS_DMA_DONE_MASK);
  hal_write32(NHI(NHI_DEV_DMA_HOST_LO), (uint32_t)host);
  hal_write32(NHI(NHI_DEV_DMA_HOST_HI), (uint32_t)(host >> 32));
  hal_write32(NHI(NHI_DEV_DMA_DEV), mgmt);
  hal_write32(NHI(NHI_DEV_DMA_LEN), len);
  hal_write32(NHI(NHI_DEV_DMA_CTL), NHI_DEV_DMA_CTL_START_MASK | (to_host ? NHI_DEV_DMA_CTL_DIR_MASK : 0u));
  const uint64_t deadline = hal_now_ns() + s->o.dma_timeout_ns;
  for (;;) {
    const uint32_t sts = hal_read32(NHI(NHI_DEV_DMA_STS));
    if (sts & NHI_DEV_DMA_STS_DONE_MASK) {
      hal_write32(NHI(NHI_DEV_IRQ_STS), NHI_DEV_IRQ_STS_DMA_DONE_MASK);
      if (sts & (NHI_DEV_DMA_STS_ERR_HOST_MASK | NHI_DEV_DMA_STS_ERR_DEV_MASK)) return NHI_STS_DMA_ERROR;
      return NHI_STS_SUCCESS;
    }
    const uint64_t now = hal_now_ns();
    if (now >= deadline) return NHI_STS_DEVICE_ERROR;
    /* The NHI line also carries CMD: sleep on it, bounded, and re-check DMA_STS. */
    hal_wait_irq(1u << SLED_IRQ_NHI, deadline - now < 1000u ? deadline - now : 1000u);
  }
}

/* Host <-> a chip's HBM through the management window, in window-sized pieces. */
static uint16_t xfer(struct service *s, const struct fw_xfer *x, int to_host) {
  hal_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_CHIP, x->chip);
  uint32_t done = 0;
  while (done < x->len) {
    struct fw_win_chunk ch;
    fw_win_next(x->dev + done, x->len - done, DMA_CHUNK, &ch);
    hal_write32(SLED_DEVICES_BASE + SLED_DEV_HBM_WIN_BASE, ch.base_256m);
    const uint16_t st = nhi_dma(s, x->host + done, SLED_HBM_WIN_BASE + ch.offset, ch.len, to_host);
    if (st != NHI_STS_SUCCESS) return st;
    done += ch.len;
  }
  return NHI_STS_SUCCESS;
}

/* Copies words into the firmware SRAM and DMAs them to the host; returns the status. */
static uint16_t send_words(struct service *s, uint64_t host, uint32_t host_len, const uint32_t *w, uint32_t n,
                           uint32_t *sent) {
  uint32_t bytes = n * 4u;
  if (bytes > host_len) bytes = host_len & ~3u;
  *sent = bytes;
  if (bytes == 0) return NHI_STS_INVALID_FIELD;
  for (uint32_t i = 0; i < bytes / 4u; ++i) hal_write32(SLED_FW_SRAM_BASE + 4u * i, w[i]);
  return nhi_dma(s, host, SLED_FW_SRAM_BASE, bytes, 1);
}

/* ---- Tile jobs ---- */

/* A signature of the tile's progress: retirements and DMA bytes moved. */
static uint32_t tile_progress(uint32_t chip) {
  uint32_t v = hal_read32(TILE(chip, NCT_CSR_PERF_DMA_RD)) * 3u + hal_read32(TILE(chip, NCT_CSR_PERF_DMA_WR));
  for (uint32_t q = 0; q < 4u; ++q) v = v * 31u + hal_read32(TILE(chip, NCT_CSR_Q_STATUS(q)));
  return v;
}

/* Stops a tile: HALT_ALL, then wait (bounded) until nothing moves (an instruction in flight,
 * a DMA still moving bytes: SOFT_RESET does not abort the DMA engine), then SOFT_RESET. */
static void tile_stop(uint32_t chip) {
  hal_write32(TILE(chip, NCT_CSR_CTRL), NCT_CSR_CTRL_HALT_ALL_MASK);
  uint32_t prev = tile_progress(chip);
  for (uint32_t i = 0; i < 200u; ++i) { /* at most 100 us */
    hal_delay_ns(500u);
    const uint32_t now = tile_progress(chip);
    if (now == prev) break;
    prev = now;
  }
  hal_write32(TILE(chip, NCT_CSR_CTRL), NCT_CSR_CTRL_SOFT_RESET_MASK);
  hal_write32(TILE(chip, NCT_CSR_INTR_ENABLE), 0);
  hal_write32(TILE(chip, NCT_CSR_INTR_STATUS), 0xFFu);
}

static void launch(struct service *s, const struct fw_launch *l) {
  const uint32_t c = l->chip;
  hal_write32(TILE(c, NCT_CSR_CTRL), NCT_CSR_CTRL_SOFT_RESET_MASK);
  hal_write32(TILE(c, NCT_CSR_INTR_STATUS), 0xFFu);
  for (uint32_t q = 0; q < 4u; ++q) {
    hal_write32(TILE(c, NCT_CSR_Q_BASE_LO(q)), (uint32_t)l->ring[q]);
    hal_write32(TILE(c, NCT_CSR_Q_BASE_HI(q)), (uint32_t)(l->ring[q] >> 32));
    hal_write32(TILE(c, NCT_CSR_Q_SIZE(q)), l->ring_log2[q]);
  }
  hal_write32(TILE(c, NCT_CSR_NQ_BASE_LO), (uint32_t)l->nq_base);
  hal_write32(TILE(c, NCT_CSR_NQ_BASE_HI), (uint32_t)(l->nq_base >> 32));
  hal_write32(TILE(c, NCT_CSR_NQ_SIZE), l->nq_log2);
  hal_write32(TILE(c, NCT_CSR_WATCHDOG), s->o.tile_watchdog_cycles);
  hal_write32(TILE(c, NCT_CSR_INTR_ENABLE), 0xFFu);
  hal_write32(TILE(c, NCT_CSR_CTRL), NCT_CSR_CTRL_ENABLE_MASK);
  for (uint32_t q = 0; q < 4u; ++q)
    if (l->tail[q]) hal_write32(TILE(c, NCT_CSR_Q_TAIL(q)), l->tail[q]);
}

/* Completes the chip's job when the tile is no longer busy. */
static void job_check(struct service *s, uint32_t chip, uint64_t now) {
  struct job *j = &s->jobs[chip];
  if (j->tag == NO_JOB) return;
  const uint32_t intr = hal_read32(TILE(chip, NCT_CSR_INTR_STATUS));
  if (intr) hal_write32(TILE(chip, NCT_CSR_INTR_STATUS), intr); /* the line drops */
  const uint32_t status = hal_read32(TILE(chip, NCT_CSR_STATUS));
  if (status & NCT_CSR_STATUS_BUSY_MASK) {
    if (now < j->deadline_ns) return;
    tile_stop(chip);
    log_error(s, 0, NHI_STS_DEVICE_ERROR, chip);
    struct fw_line l;
    fw_line_begin(&l, "fw: chip ");
    fw_line_dec(&l, chip);
    fw_line_str(&l, " job timed out, tile stopped");
    fw_line_emit(&l);
    complete(j->tag, NHI_STS_DEVICE_ERROR, 0);
    j->tag = NO_JOB;
    return;
  }
  const uint32_t err = hal_read32(TILE(chip, NCT_CSR_ERR_CODE)) & NCT_CSR_ERR_CODE_CODE_MASK;
  hal_write32(TILE(chip, NCT_CSR_INTR_ENABLE), 0);
  hal_write32(TILE(chip, NCT_CSR_INTR_STATUS), 0xFFu);
  if (err) {
    const uint32_t q = hal_read32(TILE(chip, NCT_CSR_ERR_QUEUE));
    const uint32_t idx = hal_read32(TILE(chip, NCT_CSR_ERR_INDEX));
    log_error(s, 0, NHI_STS_TILE_ERROR, chip << 8 | err);
    post_event(NHI_EVT_TILE_ERROR, (uint16_t)chip, fw_job_error_result(err, q, idx));
    complete(j->tag, NHI_STS_TILE_ERROR, fw_job_error_result(err, q, idx));
  } else {
    uint64_t retired = 0;
    for (uint32_t q = 0; q < 4u; ++q)
      retired += hal_read32(TILE(chip, NCT_CSR_Q_STATUS(q))) >> NCT_CSR_Q_STATUS_RETIRED_SHIFT;
    complete(j->tag, NHI_STS_SUCCESS, retired);
  }
  j->tag = NO_JOB;
}

/* ---- Health: HBM ECC (firmware.md "Health") ---- */

static void health_check(struct service *s, uint64_t now) {
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c) {
    if (s->unusable >> c & 1u) continue;
    const uint32_t ce = hal_read32(HBMC(c, HBM_CSR_ECC_CE_COUNT));
    const uint32_t ue = hal_read32(HBMC(c, HBM_CSR_ECC_UE_COUNT));
    struct fw_ecc_state *e = &s->ecc[c];
    const uint32_t ev = fw_ecc_update(e, ce, ue, now, s->o.ecc_ce_threshold, s->o.ecc_window_ns);
    hal_write32(NHI(NHI_DEV_TELEMETRY(FW_TLM_HBM_CE(c))), e->total_ce);
    hal_write32(NHI(NHI_DEV_TELEMETRY(FW_TLM_HBM_UE(c))), e->total_ue);
    if (ev & FW_ECC_EVT_CE_THRESHOLD) {
      post_event(NHI_EVT_ECC_CORRECTED_THRESHOLD, (uint16_t)c, e->window_ce);
      struct fw_line l;
      fw_line_begin(&l, "fw: chip ");
      fw_line_dec(&l, c);
      fw_line_str(&l, " HBM corrected errors reached ");
      fw_line_dec(&l, e->window_ce);
      fw_line_str(&l, " in the window");
      fw_line_emit(&l);
    }
    if (ev & FW_ECC_EVT_UE) {
      const uint64_t addr = (uint64_t)hal_read32(HBMC(c, HBM_CSR_ECC_ERR_ADDR_LO)) |
                            (uint64_t)hal_read32(HBMC(c, HBM_CSR_ECC_ERR_ADDR_HI)) << 32;
      log_error(s, 0, 0, c);
      post_event(NHI_EVT_ECC_UNCORRECTABLE, (uint16_t)c, addr);
      struct fw_line l;
      fw_line_begin(&l, "fw: chip ");
      fw_line_dec(&l, c);
      fw_line_str(&l, " HBM uncorrectable error at ");
      fw_line_hex(&l, (uint32_t)addr);
      fw_line_emit(&l);
      /* The job on that chip may have consumed poisoned data: it fails. */
      if (s->jobs[c].tag != NO_JOB) {
        tile_stop(c);
        complete(s->jobs[c].tag, NHI_STS_DEVICE_ERROR, addr);
        s->jobs[c].tag = NO_JOB;
      }
    }
  }
}

/* ---- Health: fabric links (firmware.md "Health") ---- */

static uint32_t link_crc(uint32_t c) {
  return hal_read32(SW(NSP_SWITCH_PORT_LINK_CNT(c, NSP_CNT_CRC_ERR))) +
         hal_read32(EP(c, NSP_EP_CSR_LINK_CNT(NSP_CNT_CRC_ERR)));
}

static uint32_t links_up(const struct service *s) {
  uint32_t up = 0;
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c)
    if (!(s->links_down >> c & 1u) && hal_read32(SW(NSP_SWITCH_PORT_LINK_CNT(c, NSP_CNT_STATE))) == NSP_LINK_UP &&
        hal_read32(EP(c, NSP_EP_CSR_LINK_STATE)) == NSP_LINK_UP)
      up |= 1u << c;
  return up;
}

static void link_health(struct service *s, uint64_t now) {
  uint32_t retrains = 0, errors = 0;
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c) {
    struct fw_link_state *k = &s->link[c];
    if (s->links_down >> c & 1u) continue;
    const uint32_t sw = hal_read32(SW(NSP_SWITCH_PORT_LINK_CNT(c, NSP_CNT_STATE)));
    const uint32_t ep = hal_read32(EP(c, NSP_EP_CSR_LINK_STATE));
    const uint32_t act = fw_link_update(k, link_crc(c), sw == NSP_LINK_DEGRADED || ep == NSP_LINK_DEGRADED, now,
                                        s->o.link_crc_threshold, s->o.link_window_ns, s->o.link_max_retrains);
    struct fw_line l;
    if (act & FW_LINK_RETRAIN) {
      hal_write32(SW(NSP_SWITCH_PORT_LINK_CTRL(c)),
                  NSP_SWITCH_PORT_LINK_CTRL_ENABLE_MASK | NSP_SWITCH_PORT_LINK_CTRL_RETRAIN_MASK);
      hal_write32(EP(c, NSP_EP_CSR_LINK_CTRL), NSP_EP_CSR_LINK_CTRL_ENABLE_MASK | NSP_EP_CSR_LINK_CTRL_RETRAIN_MASK);
      post_event(NHI_EVT_LINK_CHANGE, (uint16_t)c, (uint64_t)NSP_LINK_RETRAIN << 32 | k->total_crc);
      fw_line_begin(&l, "fw: chip ");
      fw_line_dec(&l, c);
      fw_line_str(&l, " link retrain (states ");
      fw_line_dec(&l, ep);
      fw_line_str(&l, "/");
      fw_line_dec(&l, sw);
      fw_line_str(&l, ", ");
      fw_line_dec(&l, k->total_crc);
      fw_line_str(&l, " CRC errors so far)");
      fw_line_emit(&l);
    }
    if (act & FW_LINK_REMOVE) {
      s->links_down |= 1u << c;
      hal_write32(SW(NSP_SWITCH_PORT_LINK_CTRL(c)), 0);
      hal_write32(EP(c, NSP_EP_CSR_LINK_CTRL), 0);
      if (fw_fabric_program_routes(NCV_CFG_CHIPS, s->links_down, &l)) fw_line_emit(&l);
      post_event(NHI_EVT_LINK_CHANGE, (uint16_t)c, (uint64_t)NSP_LINK_DOWN << 32 | k->total_crc);
      log_error(s, 0, 0, c);
      fw_line_begin(&l, "fw: chip ");
      fw_line_dec(&l, c);
      fw_line_str(&l, " link keeps failing: taken out of the routes");
      fw_line_emit(&l);
    }
    retrains += k->retrains;
    errors += k->total_crc;
  }
  hal_write32(NHI(NHI_DEV_TELEMETRY(FW_TLM_LINK_UP)), links_up(s));
  hal_write32(NHI(NHI_DEV_TELEMETRY(FW_TLM_LINK_RETRAINS)), retrains);
  hal_write32(NHI(NHI_DEV_TELEMETRY(FW_TLM_LINK_ERRORS)), errors);
}

/* ---- Commands ---- */

static uint16_t cmd_identify(struct service *s, const struct fw_cmd *c, uint64_t *result) {
  /* IDENTIFY page: "NCVS", version, chips, tile P/NSEM/NMAX, HBM MiB, config name. */
  uint32_t w[16] = {0};
  w[0] = 0x5356434Eu; /* "NCVS" */
  w[1] = (NCV_CFG_VERSION_MAJOR << 16) | (NCV_CFG_VERSION_MINOR << 8) | NCV_CFG_VERSION_PATCH;
  w[2] = NCV_CFG_CHIPS;
  w[3] = NCV_CFG_P;
  w[4] = NCV_CFG_NSEM;
  w[5] = NCV_CFG_NMAX;
  w[6] = NCV_CFG_HBM_SIZE_MIB;
  const char *name = NCV_CFG_NAME;
  for (uint32_t i = 0; i < 32u && name[i]; ++i) w[8 + i / 4u] |= (uint32_t)(uint8_t)name[i] << (8u * (i % 4u));
  uint32_t sent = 0;
  const uint16_t st = send_words(s, c->addr, c->len, w, 16u, &sent);
  *result = NCV_CFG_CHIPS;
  return st;
}

static uint16_t cmd_get_log(struct service *s, const struct fw_cmd *c, uint64_t *result) {
  uint32_t w[FW_ERRLOG_ENTRIES * 4u + 2u];
  uint32_t n = 0;
  if (c->cdw[0] == FW_LOG_TELEMETRY) {
    for (; n < NHI_DEV_TELEMETRY_COUNT; ++n) w[n] = hal_read32(NHI(NHI_DEV_TELEMETRY(n)));
  } else if (c->cdw[0] == FW_LOG_ERRORS) {
    const uint32_t held = fw_errlog_held(&s->errlog);
    w[n++] = s->errlog.count;
    w[n++] = held;
    for (uint32_t i = 0; i < held; ++i) {
      struct fw_errlog_entry e;
      fw_errlog_get(&s->errlog, i, &e);
      w[n++] = e.seq;
      w[n++] = e.time_us;
      w[n++] = (uint32_t)e.status | (uint32_t)e.opcode << 16 | (uint32_t)e.sq << 24;
      w[n++] = e.info;
    }
  } else {
    return NHI_STS_INVALID_FIELD;
  }
  uint32_t sent = 0;
  const uint16_t st = send_words(s, c->addr, c->len, w, n, &sent);
  *result = sent;
  return st;
}

static uint16_t cmd_feature(struct service *s, const struct fw_cmd *c, uint64_t *result) {
  const int set = c->opcode == NHI_OP_SET_FEATURE;
  if (c->cdw[0] == FW_FEAT_KEEPALIVE_US) {
    if (set) {
      s->keepalive_us = c->cdw[1];
      s->next_keepalive_ns = hal_now_ns() + (uint64_t)s->keepalive_us * 1000u;
    }
    *result = s->keepalive_us;
  } else if (c->cdw[0] == FW_FEAT_IRQ_COALESCE) {
    if (set) s->irq_coalesce = c->cdw[1];
    *result = s->irq_coalesce;
  } else {
    return NHI_STS_INVALID_FIELD;
  }
  return NHI_STS_SUCCESS;
}

static uint16_t cmd_reset_tile(struct service *s, const struct fw_cmd *c) {
  const uint32_t chip = c->cdw[0];
  if (chip >= NCV_CFG_CHIPS) return NHI_STS_INVALID_FIELD;
  tile_stop(chip);
  if (s->jobs[chip].tag != NO_JOB) {
    complete(s->jobs[chip].tag, NHI_STS_ABORTED, 0);
    s->jobs[chip].tag = NO_JOB;
  }
  post_event(NHI_EVT_RESET_DONE, (uint16_t)chip, 0);
  return NHI_STS_SUCCESS;
}

/* Serves one popped command; returns 1 when its completion is deferred (a tile job). */
static int serve(struct service *s, uint32_t tag, const struct fw_cmd *c) {
  uint64_t result = 0;
  uint16_t st = fw_cmd_check_queue(c);
  if (st == NHI_STS_SUCCESS) {
    switch (c->opcode) {
      case NHI_OP_IDENTIFY: st = cmd_identify(s, c, &result); break;
      case NHI_OP_GET_FEATURE:
      case NHI_OP_SET_FEATURE: st = cmd_feature(s, c, &result); break;
      case NHI_OP_GET_LOG: st = cmd_get_log(s, c, &result); break;
      case NHI_OP_RESET_TILE: st = cmd_reset_tile(s, c); break;
      case NHI_OP_LINK_STATUS: {
        /* Result: UP links | links out of the routes << 16. With a buffer: per chip the
         * endpoint and switch states, CRC errors and retrains the firmware ordered. */
        result = links_up(s) | (uint64_t)s->links_down << 16;
        if (c->len) {
          uint32_t w[4u * NCV_CFG_CHIPS];
          for (uint32_t k = 0; k < NCV_CFG_CHIPS; ++k) {
            w[4 * k] = hal_read32(EP(k, NSP_EP_CSR_LINK_STATE));
            w[4 * k + 1] = hal_read32(SW(NSP_SWITCH_PORT_LINK_CNT(k, NSP_CNT_STATE)));
            w[4 * k + 2] = link_crc(k);
            w[4 * k + 3] = s->link[k].retrains;
          }
          uint32_t sent = 0;
          st = send_words(s, c->addr, c->len, w, 4u * NCV_CFG_CHIPS, &sent);
        }
        break;
      }
      case NHI_OP_WRITE_DEVICE:
      case NHI_OP_READ_DEVICE: {
        struct fw_xfer x;
        st = fw_cmd_xfer(c, NCV_CFG_CHIPS, HBM_BYTES, &x);
        if (st == NHI_STS_SUCCESS && (s->unusable >> x.chip & 1u)) st = NHI_STS_DEVICE_ERROR;
        if (st == NHI_STS_SUCCESS) st = xfer(s, &x, c->opcode == NHI_OP_READ_DEVICE);
        result = st == NHI_STS_SUCCESS ? x.len : 0;
        break;
      }
      case NHI_OP_RUN_PROGRAM: {
        struct fw_launch l;
        st = fw_cmd_launch(c, NCV_CFG_CHIPS, HBM_BYTES, &l);
        if (st == NHI_STS_SUCCESS && s->jobs[l.chip].tag != NO_JOB) st = NHI_STS_DEVICE_ERROR; /* tile busy */
        if (st == NHI_STS_SUCCESS && (s->unusable >> l.chip & 1u)) st = NHI_STS_DEVICE_ERROR;  /* degraded */
        if (st == NHI_STS_SUCCESS) {
          launch(s, &l);
          s->jobs[l.chip].tag = tag;
          s->jobs[l.chip].sq = (uint8_t)c->sq;
          s->jobs[l.chip].deadline_ns = hal_now_ns() + s->o.job_timeout_ns;
          return 1;
        }
        break;
      }
      default: st = NHI_STS_INVALID_OPCODE; break;
    }
  }
  if (st != NHI_STS_SUCCESS) log_error(s, c, st, c->nsid);
  complete(tag, st, result);
  return 0;
}

static void take_commands(struct service *s) {
  hal_write32(NHI(NHI_DEV_IRQ_STS), NHI_DEV_IRQ_STS_CMD_MASK);
  for (uint32_t n = 0; n < s->o.max_cmds_per_pass; ++n) {
    const uint32_t tag = hal_read32(NHI(NHI_DEV_CMD_POP));
    if (tag == NHI_DEV_NO_CMD) return;
    uint32_t dw[16];
    const uint16_t sq = (uint16_t)hal_read32(NHI(NHI_DEV_CMD_SQ));
    for (uint32_t i = 0; i < 16u; ++i) dw[i] = hal_read32(NHI(NHI_DEV_CMD_DW(i)));
    struct fw_cmd c;
    fw_cmd_decode(sq, dw, &c);
    serve(s, tag, &c);
  }
}

/* The host reset the device: every popped tag is void; running jobs are stopped. */
static void host_reset(struct service *s) {
  hal_write32(NHI(NHI_DEV_IRQ_STS), NHI_DEV_IRQ_STS_RESET_MASK);
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c) {
    if (s->jobs[c].tag == NO_JOB) continue;
    tile_stop(c);
    s->jobs[c].tag = NO_JOB;
  }
  s->keepalive_us = 0;
}

int fw_service_run(const struct fw_service_opts *o) {
  struct service *s = &g_svc;
  s->o = *o;
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c) s->jobs[c].tag = NO_JOB;
  s->errlog.count = 0;
  s->keepalive_us = 0;
  s->irq_coalesce = 0;
  s->heartbeat = hal_read32(NHI(NHI_DEV_HEARTBEAT));
  const struct fw_boot_report *br = fw_boot_report();
  s->unusable = br ? (br->hbm_degraded | br->tile_degraded) : 0u;
  s->links_down = fw_boot_link_down;
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c) {
    s->link[c] = (struct fw_link_state){0};
    s->link[c].last_crc = (s->links_down >> c & 1u) ? 0u : link_crc(c);
    s->link[c].window_start_ns = hal_now_ns();
  }
  for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c) {
    struct fw_ecc_state *e = &s->ecc[c];
    e->last_ce = e->total_ce = hal_read32(HBMC(c, HBM_CSR_ECC_CE_COUNT));
    e->last_ue = e->total_ue = hal_read32(HBMC(c, HBM_CSR_ECC_UE_COUNT));
    e->window_ce = 0;
    e->window_start_ns = hal_now_ns();
    e->fired = 0;
  }
  const uint64_t start = hal_now_ns();
  s->next_heartbeat_ns = start + s->o.heartbeat_ns;
  hal_write32(NHI(NHI_DEV_IRQ_EN), NHI_DEV_IRQ_EN_CMD_MASK | NHI_DEV_IRQ_EN_RESET_MASK);
  if (s->o.inject_bad_access) {
    /* Injected firmware bug: an access nothing decodes. The invariant "every HAL access
     * succeeds" is checked right after; a broken one stops the firmware with the access. */
    (void)hal_read32(s->o.inject_bad_access);
  }
  uint32_t bad_addr = 0;
  if (hal_fault(&bad_addr)) {
    struct fw_line l;
    fw_line_begin(&l, "fw: FATAL: HAL access at ");
    fw_line_hex(&l, bad_addr);
    fw_line_str(&l, " failed; stopping");
    fw_line_emit(&l);
    hal_write32(NHI(NHI_DEV_DEV_STS), NHI_DEV_DEV_STS_FW_ALIVE_MASK | NHI_DEV_DEV_STS_FATAL_MASK);
    return 1;
  }
  /* The sled watchdog: a firmware that stops looping is reset by the platform. */
  hal_write32(SLED_DEVICES_BASE + SLED_DEV_WDT_TIMEOUT, s->o.wdt_timeout_us);
  hal_write32(SLED_DEVICES_BASE + SLED_DEV_WDT_CTRL, SLED_DEV_WDT_CTRL_ENABLE_MASK);
  hal_write32(SLED_DEVICES_BASE + SLED_DEV_WDT_KICK, WDT_KEY);
  for (;;) {
    uint32_t mask = 1u << SLED_IRQ_NHI;
    for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c)
      if (s->jobs[c].tag != NO_JOB) mask |= 1u << SLED_IRQ_TILE(c);
    uint64_t now = hal_now_ns();
    uint64_t until = s->next_heartbeat_ns;
    if (s->keepalive_us && s->next_keepalive_ns < until) until = s->next_keepalive_ns;
    const uint32_t pending = hal_wait_irq(mask, until > now ? until - now : 0);
    now = hal_now_ns();
    if (o->run_for_ns && now - start >= o->run_for_ns) return 0;
    if (s->o.inject_hang_ns && now - start >= s->o.inject_hang_ns) {
      /* Injected firmware hang (S7): consumed, so the firmware after the reset runs. */
      g_opts.inject_hang_ns = 0;
      fw_log("fw: injected hang");
      for (;;) hal_delay_ns(1000u);
    }
    if (now >= s->next_heartbeat_ns) {
      hal_write32(SLED_DEVICES_BASE + SLED_DEV_WDT_KICK, WDT_KEY);
      hal_write32(NHI(NHI_DEV_HEARTBEAT), ++s->heartbeat);
      s->next_heartbeat_ns = now + s->o.heartbeat_ns;
      health_check(s, now);
      link_health(s, now);
    }
    if (s->keepalive_us && now >= s->next_keepalive_ns) {
      post_event(NHI_EVT_KEEPALIVE, 0, s->heartbeat);
      s->next_keepalive_ns = now + (uint64_t)s->keepalive_us * 1000u;
    }
    if (pending & (1u << SLED_IRQ_NHI)) {
      const uint32_t irq = hal_read32(NHI(NHI_DEV_IRQ_STS));
      if (irq & NHI_DEV_IRQ_STS_RESET_MASK) host_reset(s);
      if (irq & NHI_DEV_IRQ_STS_CMD_MASK) take_commands(s);
    }
    /* Every pass looks at the running jobs: a program that ends without an interrupt is
     * still seen done within a heartbeat period. */
    for (uint32_t c = 0; c < NCV_CFG_CHIPS; ++c)
      if (s->jobs[c].tag != NO_JOB) job_check(s, c, now);
  }
}

int fw_main(void) {
  const int rc = fw_boot();
  if (rc) return rc;
  struct fw_service_opts o;
  if (g_opts_set)
    o = g_opts;
  else
    fw_service_default_opts(&o);
  return fw_service_run(&o);
}
