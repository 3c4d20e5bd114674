/* Runtime services of the sled firmware (firmware.md "Runtime services"): the NHI command
 * service (host.md admin and IO commands), tile jobs with completion on the tile's
 * interrupt, the heartbeat. The command decoding and checks below are pure functions
 * (firmware/src/cmd.c, no HAL) so the firmware unit tests run them without a platform. */
#ifndef NCV_FW_SERVICE_H
#define NCV_FW_SERVICE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Service options (tests shorten them). ---- */
struct fw_service_opts {
  uint64_t heartbeat_ns;         /* HEARTBEAT increments this often */
  uint64_t dma_timeout_ns;       /* one NHI DMA transfer; past it the command fails DEVICE_ERROR */
  uint64_t job_timeout_ns;       /* RUN_PROGRAM: past it the tile is stopped, DEVICE_ERROR */
  uint32_t tile_watchdog_cycles; /* tile WATCHDOG: cycles without a retirement -> error 0x20 */
  uint32_t max_cmds_per_pass;    /* commands taken per pass of the main loop (bounded service) */
  uint64_t run_for_ns;           /* 0: serve forever; else return after this long (tests) */
  uint32_t ecc_ce_threshold;     /* corrected HBM errors per window that raise ECC_CORRECTED_THRESHOLD */
  uint64_t ecc_window_ns;        /* the window of that count */
  uint32_t wdt_timeout_us;       /* sled watchdog period; the loop kicks it every heartbeat */
  uint32_t link_crc_threshold;   /* CRC errors on a link per window that make the firmware retrain it */
  uint64_t link_window_ns;       /* the window of that count and of the retrain budget */
  uint32_t link_max_retrains;    /* retrains per window; one more takes the link out of the routes */
  uint64_t inject_hang_ns;       /* test knob: hang (stop serving and kicking) this long after
                                    the service starts; 0 = never. Consumed when it fires. */
  uint32_t inject_bad_access;    /* test knob: a firmware bug: the service reads this unmapped
                                    management-bus address once at start (0 = off) */
};

/* Options the next fw_main()/fw_service_run() use (tests set them before the firmware
 * runs); NULL restores the defaults. */
void fw_service_set_opts(const struct fw_service_opts *o);

/* ---- HBM ECC health (pure): counts a chip's corrected and uncorrectable errors from
 * its free-running counters and decides which events to post. ---- */
struct fw_ecc_state {
  uint32_t last_ce, last_ue; /* counter values seen last time */
  uint32_t total_ce, total_ue;
  uint32_t window_ce; /* corrected errors in the current window */
  uint64_t window_start_ns;
  uint32_t fired; /* threshold event already posted in this window */
};
#define FW_ECC_EVT_CE_THRESHOLD 1u
#define FW_ECC_EVT_UE 2u
/* Takes the counters read at `now`; returns FW_ECC_EVT_* bits to act on. */
uint32_t fw_ecc_update(struct fw_ecc_state *st, uint32_t ce, uint32_t ue, uint64_t now_ns, uint32_t threshold,
                       uint64_t window_ns);
void fw_service_default_opts(struct fw_service_opts *o);

/* Boot, then serve until run_for_ns (forever by default). Returns boot's code on failure. */
int fw_main(void);
/* The service loop alone (after a successful boot). */
int fw_service_run(const struct fw_service_opts *o);

/* ---- A submission entry as the firmware sees it (NHI CMD_DW[0..15]). ---- */
struct fw_cmd {
  uint16_t sq;    /* 0 admin, 1..N IO */
  uint8_t opcode; /* nhi_proto.h NHI_OP_* */
  uint8_t flags;
  uint16_t cid;
  uint32_t nsid;
  uint64_t addr;
  uint32_t len;
  uint32_t cdw[11];
};
/* Decodes the 16 dwords of a submission entry. */
void fw_cmd_decode(uint16_t sq, const uint32_t dw[16], struct fw_cmd *out);

/* Does the opcode belong on this queue (admin opcodes on queue 0, IO opcodes on 1..N)?
 * Returns NHI_STS_SUCCESS or NHI_STS_INVALID_OPCODE. */
uint16_t fw_cmd_check_queue(const struct fw_cmd *c);

/* WRITE_DEVICE / READ_DEVICE: nsid = chip, addr = host buffer, len = bytes,
 * CDW0/CDW1 = device address (chip address space, local HBM only). */
struct fw_xfer {
  uint32_t chip;
  uint64_t host;
  uint64_t dev;
  uint32_t len;
};
/* NHI_STS_SUCCESS, INVALID_FIELD (chip, zero length) or DMA_ERROR (device range outside
 * the chip's HBM, or not local HBM). */
uint16_t fw_cmd_xfer(const struct fw_cmd *c, uint32_t chips, uint64_t hbm_bytes, struct fw_xfer *out);

/* The next piece of a device transfer that the 256 MiB HBM window can show: window base
 * (256 MiB units) and offset, and how many bytes (never across a window boundary). */
struct fw_win_chunk {
  uint32_t base_256m;
  uint32_t offset;
  uint32_t len;
};
void fw_win_next(uint64_t dev, uint32_t len, uint32_t max_len, struct fw_win_chunk *out);

/* RUN_PROGRAM: nsid = chip; addr = notification ring (device address, 16-byte records),
 * len = its size in bytes (0: no ring, else a power of two >= 16); CDW0..7 = ring base of
 * queue q (lo, hi) at CDW 2q, 2q+1; CDW8 = tail q0 | tail q1 << 16; CDW9 = tail q2 |
 * tail q3 << 16; CDW10 = log2(entries) of queue q in bits 8q+4..8q. */
struct fw_launch {
  uint32_t chip;
  uint64_t ring[4];
  uint32_t ring_log2[4];
  uint32_t tail[4];
  uint64_t nq_base;
  uint32_t nq_log2; /* 0: no ring */
};
/* NHI_STS_SUCCESS or INVALID_FIELD (chip, alignment, a tail beyond its ring, sizes, no
 * work at all, a ring outside HBM). */
uint16_t fw_cmd_launch(const struct fw_cmd *c, uint32_t chips, uint64_t hbm_bytes, struct fw_launch *out);

/* Completion result of a finished tile job: SUCCESS with the instructions retired, or
 * TILE_ERROR with code | queue << 8 | index << 32. */
uint64_t fw_job_error_result(uint32_t code, uint32_t queue, uint32_t index);

/* ---- The firmware's error log (GET_LOG page 2): the last FW_ERRLOG_ENTRIES failed
 * commands and device errors, oldest first. ---- */
#define FW_ERRLOG_ENTRIES 16u
struct fw_errlog_entry {
  uint32_t time_us;
  uint16_t status; /* NHI status given, or 0 for a device error */
  uint8_t opcode;
  uint8_t sq;
  uint32_t info; /* chip, tile error code, ... */
  uint32_t seq;  /* running count of entries ever logged */
};
struct fw_errlog {
  struct fw_errlog_entry e[FW_ERRLOG_ENTRIES];
  uint32_t count; /* entries ever logged */
};
void fw_errlog_push(struct fw_errlog *l, const struct fw_errlog_entry *e);
/* Entry i (0 = oldest still held); 0 when i is beyond what is held. */
int fw_errlog_get(const struct fw_errlog *l, uint32_t i, struct fw_errlog_entry *out);
uint32_t fw_errlog_held(const struct fw_errlog *l);

/* ---- Link health (pure): decides from a link's CRC error counter and states whether
 * the firmware retrains it or takes it out of the routes. ---- */
struct fw_link_state {
  uint32_t last_crc;   /* counter value seen last time */
  uint32_t total_crc;  /* errors since the service started */
  uint32_t window_crc; /* errors in the current window */
  uint32_t window_retrains;
  uint32_t retrains; /* ordered since the service started */
  uint64_t window_start_ns;
  uint32_t removed; /* 1: out of the routes, no longer watched */
};
#define FW_LINK_RETRAIN 1u
#define FW_LINK_REMOVE 2u
/* `crc` is the link's CRC error count (switch side + endpoint side), `degraded` non-zero
 * when either side is DEGRADED. Returns FW_LINK_* to act on. */
uint32_t fw_link_update(struct fw_link_state *st, uint32_t crc, uint32_t degraded, uint64_t now_ns, uint32_t threshold,
                        uint64_t window_ns, uint32_t max_retrains);

/* Log pages of GET_LOG (CDW0). */
#define FW_LOG_TELEMETRY 1u
#define FW_LOG_ERRORS 2u
/* Features of GET_FEATURE / SET_FEATURE (CDW0; value in CDW1). */
#define FW_FEAT_KEEPALIVE_US 1u /* KEEPALIVE event period, 0 = off */
#define FW_FEAT_IRQ_COALESCE 2u /* stored and reported; coalescing is not modelled */

#ifdef __cplusplus
}
#endif

#endif /* NCV_FW_SERVICE_H */
