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
