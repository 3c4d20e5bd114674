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

/* Console output (the sled console device), one character at a time. */
void hal_console_putc(char c);

#ifdef __cplusplus
}
#endif

#endif /* NCV_HAL_H */
