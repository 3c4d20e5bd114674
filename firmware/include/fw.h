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

#ifdef __cplusplus
}
#endif

#endif /* NCV_FW_H */
