/* Sled firmware HAL (firmware.md): every hardware access of the firmware goes through
 * these functions. Backends: host-compiled over SystemC TLM (hal/host), RV32 later.
 * C11, freestanding in style: no heap, no OS calls. */
#ifndef NCV_HAL_H
#define NCV_HAL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register access on the 32-bit management bus (sled_map.h). A failed access (decode
 * or slave error) returns 0xFFFFFFFF for reads, is recorded, and hal_fault() says so. */
uint32_t hal_read32(uint32_t addr);
void hal_write32(uint32_t addr, uint32_t value);

/* Non-zero when an access failed since the last hal_fault_clear(); *addr gets the first
 * failing address. */
int hal_fault(uint32_t *addr);
void hal_fault_clear(void);

/* Time: a delay advances simulated time (never a host sleep); now is in ns. */
void hal_delay_ns(uint64_t ns);
uint64_t hal_now_ns(void);

/* Interrupts (sled_map.h SLED_IRQ_*: bit n of a mask is line n). hal_wait_irq waits until
 * a line of `mask` is high or `timeout_ns` passed and returns the high lines of `mask`
 * (0: timeout); hal_irq_pending samples them without waiting. Lines are levels: the
 * firmware clears the cause at its device. */
uint32_t hal_wait_irq(uint32_t mask, uint64_t timeout_ns);
uint32_t hal_irq_pending(uint32_t mask);

/* Console output (the sled console device), one character at a time. */
void hal_console_putc(char c);

/* Log ring: the firmware's log lines, kept in controller memory (the last HAL_LOG_LINES,
 * each cut to HAL_LOG_LINE_MAX - 1 characters). hal_log_count is the number of lines
 * appended since power-on; line `seq` (0-based) is readable while it is among the last
 * HAL_LOG_LINES: hal_log_read copies it NUL-terminated into buf (at most len bytes) and
 * returns its length, or -1 when it has left the ring or was never written. */
#define HAL_LOG_LINES 64u
#define HAL_LOG_LINE_MAX 128u
void hal_log_append(const char *line);
uint32_t hal_log_count(void);
int hal_log_read(uint32_t seq, char *buf, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* NCV_HAL_H */
