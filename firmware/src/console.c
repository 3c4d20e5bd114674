/* Console and log output of the firmware: characters to the console device, whole lines to
 * the HAL log ring and the console. */
#include "fw.h"
#include "hal.h"

void fw_puts(const char *s) {
  while (*s) hal_console_putc(*s++);
}

void fw_put_hex32(uint32_t v) {
  static const char digits[] = "0123456789ABCDEF";
  fw_puts("0x");
  for (int i = 7; i >= 0; --i) hal_console_putc(digits[(v >> (4 * i)) & 0xFu]);
}

void fw_put_dec(uint32_t v) {
  char buf[11];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v && n < 10);
  while (n) hal_console_putc(buf[--n]);
}

/* ---- Log lines: console and the HAL log ring ---- */

void fw_line_str(struct fw_line *l, const char *s) {
  while (*s && l->n + 1u < sizeof l->b) l->b[l->n++] = *s++;
  l->b[l->n] = '\0';
}

void fw_line_dec(struct fw_line *l, uint64_t v) {
  char t[21];
  int n = 0;
  do {
    t[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v && n < 20);
  char s[21];
  for (int i = 0; i < n; ++i) s[i] = t[n - 1 - i];
  s[n] = '\0';
  fw_line_str(l, s);
}

void fw_line_hex(struct fw_line *l, uint32_t v) {
  static const char digits[] = "0123456789ABCDEF";
  char s[11];
  s[0] = '0';
  s[1] = 'x';
  for (int i = 0; i < 8; ++i) s[2 + i] = digits[(v >> (28 - 4 * i)) & 0xFu];
  s[10] = '\0';
  fw_line_str(l, s);
}

void fw_line_begin(struct fw_line *l, const char *s) {
  l->n = 0;
  l->b[0] = '\0';
  fw_line_str(l, s);
}

/* The log ring first: a line on the console is already in the ring. */
void fw_line_emit(struct fw_line *l) {
  hal_log_append(l->b);
  fw_puts(l->b);
  fw_puts("\n");
}

void fw_log(const char *s) {
  struct fw_line l;
  fw_line_begin(&l, s);
  fw_line_emit(&l);
}
