/* Boot of the sled firmware (firmware.md "Boot"): options, the boot report, and the pure
 * logic behind the stages (March memory test, option checks, stage verdicts). The logic
 * (firmware/src/march.c, boot_logic.c) uses no HAL, so firmware unit tests run it without
 * a platform; firmware/src/boot.c runs the stages on the hardware. */
#ifndef NCV_FW_BOOT_H
#define NCV_FW_BOOT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Options: every timeout, delay and region of boot; tests override them. ---- */
struct fw_boot_opts {
  uint32_t chips;                 /* chips to bring up, 1..SLED_MAX_CHIPS */
  uint32_t min_healthy_chips;     /* boot fails when fewer chips pass HBM and tile tests */
  uint32_t rail_mask;             /* rails to enable, bit r = rail r, sequenced low to high */
  uint64_t power_good_timeout_ns; /* per rail */
  uint32_t pll_mult, pll_div;     /* chip clock = 100 MHz x mult / div */
  uint64_t pll_lock_timeout_ns;
  uint64_t poll_ns;         /* every bounded wait samples its condition this often */
  uint32_t march_base;      /* HBM byte address of the March region (4-byte aligned) */
  uint32_t march_bytes;     /* bytes tested per chip; 0 skips the March test */
  uint32_t march_pattern;   /* data background "0" (its complement is "1") */
  uint32_t tile_selftest;   /* 1: run the self-test program on every healthy tile */
  uint32_t fabric_present;  /* 1: the sled has an NSP switch (stage 5 programs it) */
  uint64_t fabric_timeout_ns; /* links UP after enable */
  uint64_t tile_timeout_ns; /* self-test completion */
};

/* Defaults for a sled of `chips` chips. */
void fw_boot_default_opts(struct fw_boot_opts *o, uint32_t chips);

/* Checks options; the self-test image occupies [st_base, st_base + st_bytes) of each
 * chip's HBM. Returns 0 when good, else 1 with *field naming the option and *expected
 * saying what was expected. */
int fw_boot_opts_check(const struct fw_boot_opts *o, uint32_t st_base, uint32_t st_bytes, const char **field,
                       const char **expected);

/* Options the next fw_boot() uses (set by tests before the firmware runs); NULL restores
 * the defaults. The options are copied. */
void fw_boot_set_opts(const struct fw_boot_opts *o);

/* ---- The boot report (what boot found; TELEMETRY carries it to the host). ---- */
struct fw_boot_report {
  uint32_t result; /* 0: READY, else the FAIL POST code */
  uint32_t chips;
  uint32_t hbm_degraded;  /* bit c: chip c's HBM failed init or its March test */
  uint32_t tile_degraded; /* bit c: chip c's tile failed its CONFIG check or self-test */
  uint32_t untested;      /* bit c: tile self-test skipped (its HBM failed) */
  uint32_t march_fail_addr[16], march_fail_got[16], march_fail_want[16];
  uint32_t serial; /* from the boot flash, 0 when the image is bad */
  uint32_t clock_mhz;
  uint64_t ready_ns; /* simulated time at READY */
};
/* Links that did not come UP at boot: bit c = chip c (its route is removed). */
extern uint32_t fw_boot_link_down;
struct fw_line;
/* Routes node c to switch port c for every chip not in `down` (shadow bank, swap, active
 * bank checked). 0, or 1 with `l` holding the failure line. */
int fw_fabric_program_routes(uint32_t chips, uint32_t down, struct fw_line *l);
/* The report of the last fw_boot() (the service loop reads the degraded masks). */
const struct fw_boot_report *fw_boot_report(void);

/* Stage 5 (Fabric) hook: programs the switch when the sled has one; logs
 * "fabric: not present" and returns 0 when it does not. Non-zero: a FAIL POST code. */
int fw_boot_fabric(const struct fw_boot_opts *o, struct fw_boot_report *r);

/* ---- TELEMETRY layout (NHI TELEMETRY[64], host.md) ---- */
#define FW_TLM_MAGIC 0u  /* FW_TLM_MAGIC_VALUE */
#define FW_TLM_SERIAL 1u /* flash serial number */
#define FW_TLM_CHIPS 2u
#define FW_TLM_BOOT_RESULT 3u   /* 0 READY, else the FAIL POST code */
#define FW_TLM_HBM_DEGRADED 4u  /* bit c: chip c's HBM failed */
#define FW_TLM_TILE_DEGRADED 5u /* bit c: chip c's tile failed */
#define FW_TLM_DEGRADED 6u      /* bit c: chip c is not usable (HBM or tile) */
#define FW_TLM_POWER_MW 7u
#define FW_TLM_CLOCK_MHZ 8u
#define FW_TLM_READY_US 9u             /* simulated time at READY, microseconds */
#define FW_TLM_LINK_UP 10u       /* bit c: chip c's fabric link is UP (updated by the service) */
#define FW_TLM_LINK_RETRAINS 11u /* link retrains the firmware ordered since boot */
#define FW_TLM_LINK_ERRORS 12u   /* CRC errors seen on all links since boot */
#define FW_TLM_TEMP(c) (16u + (c))     /* milli-degrees C, chips 0..15 */
#define FW_TLM_HBM_CE(c) (32u + (c))   /* HBM corrected ECC errors at boot */
#define FW_TLM_HBM_UE(c) (48u + (c))   /* HBM uncorrectable ECC errors at boot */
#define FW_TLM_MAGIC_VALUE 0x544C4D31u /* "TLM1" */

/* ---- March memory test over 32-bit words ---- */
struct fw_mem_ops {
  uint32_t (*rd)(void *ctx, uint32_t addr);
  void (*wr)(void *ctx, uint32_t addr, uint32_t value);
  void *ctx;
};
struct fw_march_result {
  uint32_t element; /* failing March element (1..5 for March C-), 0 when none failed */
  uint32_t addr;    /* failing word address */
  uint32_t expected, got;
  uint32_t ops; /* reads and writes done */
};
/* March C- over `words` 32-bit words from `base` (addresses base + 4 i), with background
 * "0" = pattern and "1" = ~pattern:
 *   {any(w0); up(r0,w1); up(r1,w0); down(r0,w1); down(r1,w0); any(r0)}.
 * Stops at the first mismatch. Returns 0 when the region passes, 1 otherwise. */
int fw_march_cminus(const struct fw_mem_ops *m, uint32_t base, uint32_t words, uint32_t pattern,
                    struct fw_march_result *r);

/* ---- Stage verdicts ---- */
/* Number of usable chips among `chips` when `bad` marks failed ones. */
uint32_t fw_usable_chips(uint32_t chips, uint32_t bad);
/* After a per-chip stage: 0 to go on, or FW_POST_FAIL(stage_post) when fewer than
 * min_healthy chips are usable. */
uint32_t fw_stage_verdict(uint32_t stage_post, uint32_t chips, uint32_t bad, uint32_t min_healthy);
/* Is `seq` (n POST codes in write order) a well-formed boot: START first, stage codes
 * increasing, ending in READY (after HOST) or the FAIL code of the last stage begun?
 * Returns FW_POST_SEQ_OK when it is, else the index of the first code that breaks the rule
 * (n when it is cut short). */
#define FW_POST_SEQ_OK 0xFFFFFFFFu
uint32_t fw_post_sequence_check(const uint32_t *seq, uint32_t n);

#ifdef __cplusplus
}
#endif

#endif /* NCV_FW_BOOT_H */
