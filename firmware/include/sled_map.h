/* Management-bus address map of the sled (system.md "Address maps"). Shared by the
 * firmware and the SystemC platform that decodes it. */
#ifndef NCV_SLED_MAP_H
#define NCV_SLED_MAP_H

#define SLED_CHIP_CSR_BASE 0x10000000u
#define SLED_CHIP_CSR_STRIDE 0x01000000u
#define SLED_CHIP_CSR(c) (SLED_CHIP_CSR_BASE + (uint32_t)(c)*SLED_CHIP_CSR_STRIDE)
#define SLED_MAX_CHIPS 16u

/* Offsets inside a chip's CSR space (24 bits). */
#define CHIP_TILE_CSR 0x000000u
#define CHIP_TILE_CSR_SIZE 0x1000u
#define CHIP_NSP_CSR 0x010000u
#define CHIP_HBM_CSR 0x020000u
#define CHIP_CTRL_CSR 0x030000u

#define SLED_NHI_DEV_BASE 0x20000000u
#define SLED_NHI_DEV_SIZE 0x01000000u
#define SLED_SWITCH_CSR_BASE 0x21000000u
#define SLED_DEVICES_BASE 0x30000000u
#define SLED_DEVICES_SIZE 0x00010000u
#define SLED_HBM_WIN_BASE 0x40000000u
#define SLED_HBM_WIN_SIZE 0x10000000u
/* The management controller's data SRAM (what the NHI DMA engine reads when the firmware
 * sends IDENTIFY or log pages to the host). */
#define SLED_FW_SRAM_BASE 0x50000000u
#define SLED_FW_SRAM_SIZE 0x00010000u

/* Interrupt lines of the management controller (hal_wait_irq masks). */
#define SLED_IRQ_NHI 0u
#define SLED_IRQ_TILE(c) (1u + (uint32_t)(c)) /* lines 1..16 */
#define SLED_IRQ_TILES_MASK (((1u << SLED_MAX_CHIPS) - 1u) << 1)

#endif /* NCV_SLED_MAP_H */
