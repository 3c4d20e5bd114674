/* Pure command logic of the NHI service (no HAL): decoding, checks, window chunking and
 * the error log. Unit-tested by firmware/tests/service_logic_tests.cpp. */
#include <stdint.h>

#include "fw_service.h"
#include "ncv/nhi/nhi_proto.h"

void fw_cmd_decode(uint16_t sq, const uint32_t dw[16], struct fw_cmd *out) {
  out->sq = sq;
  out->opcode = (uint8_t)(dw[0] & 0xFFu);
  out->flags = (uint8_t)((dw[0] >> 8) & 0xFFu);
  out->cid = (uint16_t)(dw[0] >> 16);
  out->nsid = dw[1];
  out->addr = (uint64_t)dw[2] | ((uint64_t)dw[3] << 32);
  out->len = dw[4];
  for (unsigned i = 0; i < 11u; ++i) out->cdw[i] = dw[5 + i];
}

static int is_io_opcode(uint8_t op) {
  return op == NHI_OP_WRITE_DEVICE || op == NHI_OP_READ_DEVICE || op == NHI_OP_RUN_PROGRAM;
}

static int is_admin_opcode(uint8_t op) {
  return op >= NHI_OP_IDENTIFY && op <= NHI_OP_LINK_STATUS;
}

uint16_t fw_cmd_check_queue(const struct fw_cmd *c) {
  if (c->sq == 0) return is_admin_opcode(c->opcode) ? NHI_STS_SUCCESS : NHI_STS_INVALID_OPCODE;
  return is_io_opcode(c->opcode) ? NHI_STS_SUCCESS : NHI_STS_INVALID_OPCODE;
}

/* [addr, addr + len) inside local HBM ([39:38] = 00 and below its size)? */
static int in_hbm(uint64_t addr, uint64_t len, uint64_t hbm_bytes) {
  if (addr >> 38) return 0;
  return addr < hbm_bytes && len <= hbm_bytes - addr;
}

uint16_t fw_cmd_xfer(const struct fw_cmd *c, uint32_t chips, uint64_t hbm_bytes, struct fw_xfer *out) {
  if (c->nsid >= chips || c->len == 0) return NHI_STS_INVALID_FIELD;
  out->chip = c->nsid;
  out->host = c->addr;
  out->dev = (uint64_t)c->cdw[0] | ((uint64_t)c->cdw[1] << 32);
  out->len = c->len;
  if (!in_hbm(out->dev, out->len, hbm_bytes)) return NHI_STS_DMA_ERROR;
  return NHI_STS_SUCCESS;
}

void fw_win_next(uint64_t dev, uint32_t len, uint32_t max_len, struct fw_win_chunk *out) {
  const uint64_t win = 1ull << 28;
  const uint64_t room = win - (dev & (win - 1u));
  uint32_t n = len < max_len ? len : max_len;
  if (n > room) n = (uint32_t)room;
  out->base_256m = (uint32_t)(dev >> 28);
  out->offset = (uint32_t)(dev & (win - 1u));
  out->len = n;
}

static int log2_exact(uint32_t v, uint32_t *lg) {
  if (v == 0 || (v & (v - 1u))) return 0;
  uint32_t n = 0;
  while ((1u << n) != v) ++n;
  *lg = n;
  return 1;
}

uint16_t fw_cmd_launch(const struct fw_cmd *c, uint32_t chips, uint64_t hbm_bytes, struct fw_launch *out) {
  if (c->nsid >= chips) return NHI_STS_INVALID_FIELD;
  out->chip = c->nsid;
  uint32_t work = 0;
  for (unsigned q = 0; q < 4u; ++q) {
    out->ring[q] = (uint64_t)c->cdw[2 * q] | ((uint64_t)c->cdw[2 * q + 1] << 32);
    out->ring_log2[q] = (c->cdw[10] >> (8 * q)) & 0x1Fu;
    out->tail[q] = (c->cdw[8 + q / 2] >> (16 * (q % 2))) & 0xFFFFu;
    if (out->tail[q] == 0) continue;
    work += out->tail[q];
    /* A ring of 2^lg entries holds at most 2^lg - 1 instructions ahead of the head. */
    if (out->ring_log2[q] == 0 || out->ring_log2[q] > 16u) return NHI_STS_INVALID_FIELD;
    if (out->tail[q] >= (1u << out->ring_log2[q])) return NHI_STS_INVALID_FIELD;
    if (out->ring[q] & 0xFu) return NHI_STS_INVALID_FIELD;
    if (!in_hbm(out->ring[q], 16ull << out->ring_log2[q], hbm_bytes)) return NHI_STS_INVALID_FIELD;
  }
  if (work == 0) return NHI_STS_INVALID_FIELD;
  out->nq_base = c->addr;
  out->nq_log2 = 0;
  if (c->len) {
    uint32_t lg = 0;
    if (!log2_exact(c->len, &lg) || lg < 4u || lg > 24u) return NHI_STS_INVALID_FIELD;
    out->nq_log2 = lg - 4u;
    if (out->nq_log2 == 0) return NHI_STS_INVALID_FIELD; /* NQ_SIZE 0 means "off" */
    if ((c->addr & 0xFu) || !in_hbm(c->addr, c->len, hbm_bytes)) return NHI_STS_INVALID_FIELD;
  }
  return NHI_STS_SUCCESS;
}

uint64_t fw_job_error_result(uint32_t code, uint32_t queue, uint32_t index) {
  return (uint64_t)(code & 0xFFu) | ((uint64_t)(queue & 0xFFu) << 8) | ((uint64_t)index << 32);
}

void fw_errlog_push(struct fw_errlog *l, const struct fw_errlog_entry *e) {
  struct fw_errlog_entry *d = &l->e[l->count % FW_ERRLOG_ENTRIES];
  *d = *e;
  d->seq = l->count;
  ++l->count;
}

uint32_t fw_errlog_held(const struct fw_errlog *l) {
  return l->count < FW_ERRLOG_ENTRIES ? l->count : FW_ERRLOG_ENTRIES;
}

int fw_errlog_get(const struct fw_errlog *l, uint32_t i, struct fw_errlog_entry *out) {
  const uint32_t held = fw_errlog_held(l);
  if (i >= held) return 0;
  *out = l->e[(l->count - held + i) % FW_ERRLOG_ENTRIES];
  return 1;
}

uint32_t fw_ecc_update(struct fw_ecc_state *st, uint32_t ce, uint32_t ue, uint64_t now_ns, uint32_t threshold,
                       uint64_t window_ns) {
  uint32_t ev = 0;
  const uint32_t dce = ce - st->last_ce; /* free-running counters: modular differences */
  const uint32_t due = ue - st->last_ue;
  st->last_ce = ce;
  st->last_ue = ue;
  st->total_ce += dce;
  st->total_ue += due;
  if (now_ns - st->window_start_ns >= window_ns) {
    st->window_start_ns = now_ns;
    st->window_ce = 0;
    st->fired = 0;
  }
  st->window_ce += dce;
  if (!st->fired && threshold && st->window_ce >= threshold) {
    st->fired = 1;
    ev |= FW_ECC_EVT_CE_THRESHOLD;
  }
  if (due) ev |= FW_ECC_EVT_UE;
  return ev;
}

uint32_t fw_link_update(struct fw_link_state *st, uint32_t crc, uint32_t degraded, uint64_t now_ns, uint32_t threshold,
                        uint64_t window_ns, uint32_t max_retrains) {
  if (st->removed) return 0;
  const uint32_t d = crc - st->last_crc;
  st->last_crc = crc;
  st->total_crc += d;
  if (now_ns - st->window_start_ns >= window_ns) {
    st->window_start_ns = now_ns;
    st->window_crc = 0;
    st->window_retrains = 0;
  }
  st->window_crc += d;
  if (!degraded && (threshold == 0 || st->window_crc < threshold)) return 0;
  st->window_crc = 0;
  if (st->window_retrains >= max_retrains) {
    st->removed = 1;
    return FW_LINK_REMOVE;
  }
  ++st->window_retrains;
  ++st->retrains;
  return FW_LINK_RETRAIN;
}
