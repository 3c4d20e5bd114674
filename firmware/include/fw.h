/* Entry points of the sled firmware. */
#ifndef NCV_FW_H
#define NCV_FW_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outcome of boot: 0 READY, non-zero the POST code of the failing stage. */
int fw_boot(void);

/* Console helpers over hal_console_putc. */
void fw_puts(const char *s);
void fw_put_hex32(uint32_t v);
void fw_put_dec(uint32_t v);

/* Log lines: built piece by piece, then emitted to the HAL log ring and the console. */
struct fw_line {
  char b[160]; /* the console gets it whole; the log ring keeps HAL_LOG_LINE_MAX - 1 characters */
  uint32_t n;
};
void fw_line_begin(struct fw_line *l, const char *s);
void fw_line_str(struct fw_line *l, const char *s);
void fw_line_dec(struct fw_line *l, uint64_t v);
void fw_line_hex(struct fw_line *l, uint32_t v);
void fw_line_emit(struct fw_line *l);
/* A whole line at once. */
void fw_log(const char *s);

#ifdef __cplusplus
}
#endif

#endif /* NCV_FW_H */
