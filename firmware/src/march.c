/* March C- memory test over 32-bit words through an accessor (fw_boot.h). */
#include "fw_boot.h"

/* One March element: in order (up) or reverse (down), read `want` (unless no_read), then
 * write `next` (unless no_write). Returns 0, or 1 at the first mismatch. */
static int element(const struct fw_mem_ops *m, uint32_t base, uint32_t words, int down, int do_read, uint32_t want,
                   int do_write, uint32_t next, uint32_t id, struct fw_march_result *r) {
  for (uint32_t i = 0; i < words; ++i) {
    const uint32_t a = base + 4u * (down ? words - 1u - i : i);
    if (do_read) {
      const uint32_t got = m->rd(m->ctx, a);
      ++r->ops;
      if (got != want) {
        r->element = id;
        r->addr = a;
        r->expected = want;
        r->got = got;
        return 1;
      }
    }
    if (do_write) {
      m->wr(m->ctx, a, next);
      ++r->ops;
    }
  }
  return 0;
}

int fw_march_cminus(const struct fw_mem_ops *m, uint32_t base, uint32_t words, uint32_t pattern,
                    struct fw_march_result *r) {
  const uint32_t z = pattern, o = ~pattern;
  r->element = 0;
  r->addr = r->expected = r->got = 0;
  r->ops = 0;
  if (element(m, base, words, 0, 0, 0, 1, z, 0, r)) return 1; /* any(w0) */
  if (element(m, base, words, 0, 1, z, 1, o, 1, r)) return 1; /* up(r0,w1) */
  if (element(m, base, words, 0, 1, o, 1, z, 2, r)) return 1; /* up(r1,w0) */
  if (element(m, base, words, 1, 1, z, 1, o, 3, r)) return 1; /* down(r0,w1) */
  if (element(m, base, words, 1, 1, o, 1, z, 4, r)) return 1; /* down(r1,w0) */
  if (element(m, base, words, 0, 1, z, 0, 0, 5, r)) return 1; /* any(r0) */
  return 0;
}
