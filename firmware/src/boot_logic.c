/* Boot options, their checks and the stage verdicts (fw_boot.h); no HAL. */
#include "fw_boot.h"
#include "fw_post.h"
#include "sled_map.h"

void fw_boot_default_opts(struct fw_boot_opts *o, uint32_t chips) {
  o->chips = chips;
  o->min_healthy_chips = 1;
  o->rail_mask = 0xFu;
  o->power_good_timeout_ns = 20000;
  o->pll_mult = 10;
  o->pll_div = 1;
  o->pll_lock_timeout_ns = 20000;
  o->poll_ns = 100;
  o->march_base = 0;
  o->march_bytes = 256;
  o->march_pattern = 0x00000000u;
  o->tile_selftest = 1;
  o->fabric_present = 1;
  o->fabric_timeout_ns = 20000;
  o->tile_timeout_ns = 200000;
}

static int bad(const char **field, const char **expected, const char *f, const char *e) {
  *field = f;
  *expected = e;
  return 1;
}

int fw_boot_opts_check(const struct fw_boot_opts *o, uint32_t st_base, uint32_t st_bytes, const char **field,
                       const char **expected) {
  if (o->chips < 1u || o->chips > SLED_MAX_CHIPS) return bad(field, expected, "chips", "1..16");
  if (o->min_healthy_chips > o->chips) return bad(field, expected, "min_healthy_chips", "at most chips");
  if (o->rail_mask == 0u || o->rail_mask > 0xFFu) return bad(field, expected, "rail_mask", "rails 0..7, at least one");
  if (o->poll_ns == 0u) return bad(field, expected, "poll_ns", "> 0");
  if (o->power_good_timeout_ns < o->poll_ns) return bad(field, expected, "power_good_timeout_ns", "at least poll_ns");
  if (o->pll_lock_timeout_ns < o->poll_ns) return bad(field, expected, "pll_lock_timeout_ns", "at least poll_ns");
  if (o->tile_timeout_ns < o->poll_ns) return bad(field, expected, "tile_timeout_ns", "at least poll_ns");
  if (o->fabric_present && o->fabric_timeout_ns < o->poll_ns)
    return bad(field, expected, "fabric_timeout_ns", "at least poll_ns");
  if (o->pll_mult < 1u || o->pll_mult > 63u || o->pll_div < 1u || o->pll_div > 15u ||
      100u * o->pll_mult / o->pll_div < 100u || 100u * o->pll_mult / o->pll_div > 2000u)
    return bad(field, expected, "pll_mult/pll_div", "mult 1..63, div 1..15, 100..2000 MHz");
  if ((o->march_base & 3u) != 0u) return bad(field, expected, "march_base", "a multiple of 4");
  if ((o->march_bytes & 3u) != 0u) return bad(field, expected, "march_bytes", "a multiple of 4");
  if (o->march_bytes > SLED_HBM_WIN_SIZE || o->march_base > SLED_HBM_WIN_SIZE - o->march_bytes)
    return bad(field, expected, "march_base + march_bytes", "inside the 256 MiB HBM window");
  if (o->tile_selftest > 1u) return bad(field, expected, "tile_selftest", "0 or 1");
  if (o->fabric_present > 1u) return bad(field, expected, "fabric_present", "0 or 1");
  if (o->tile_selftest && o->march_bytes && o->march_base < st_base + st_bytes &&
      st_base < o->march_base + o->march_bytes)
    return bad(field, expected, "march_base + march_bytes", "a region apart from the tile self-test image");
  return 0;
}

uint32_t fw_usable_chips(uint32_t chips, uint32_t bad_mask) {
  uint32_t n = 0;
  for (uint32_t c = 0; c < chips && c < 32u; ++c)
    if (!((bad_mask >> c) & 1u)) ++n;
  return n;
}

uint32_t fw_stage_verdict(uint32_t stage_post, uint32_t chips, uint32_t bad_mask, uint32_t min_healthy) {
  return fw_usable_chips(chips, bad_mask) < min_healthy ? FW_POST_FAIL(stage_post) : 0u;
}

static int is_stage(uint32_t c) {
  return c == FW_POST_POWER || c == FW_POST_CLOCKS || c == FW_POST_HBM || c == FW_POST_TILE || c == FW_POST_FABRIC ||
         c == FW_POST_HOST;
}

uint32_t fw_post_sequence_check(const uint32_t *seq, uint32_t n) {
  if (n == 0u) return 0;
  if (seq[0] != FW_POST_START) return 0;
  uint32_t last = FW_POST_START;
  for (uint32_t i = 1; i < n; ++i) {
    const uint32_t c = seq[i];
    if (c == FW_POST_FAIL(last) || (c == FW_POST_READY && last == FW_POST_HOST))
      return i + 1u == n ? FW_POST_SEQ_OK : i + 1u; /* a final code must be the last one */
    if (!is_stage(c) || c <= last) return i;
    last = c;
  }
  return n; /* cut short: no READY or FAIL */
}
