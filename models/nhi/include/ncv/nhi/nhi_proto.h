/* NHI queue protocol (host.md "Queues", docs/nhi.md): entry layouts, opcodes, status
 * codes, event types and the MSI-X (BAR2) layout. Plain C so the firmware can include it;
 * the register offsets themselves come from nhi_bar0.rdl / nhi_dev.rdl. */
#ifndef NCV_NHI_PROTO_H
#define NCV_NHI_PROTO_H

/* Submission entry: 64 bytes, little endian.
 * [0] opcode  [1] flags  [2..3] cid  [4..7] nsid  [8..15] addr  [16..19] len
 * [20..63] command dwords CDW0..CDW10. */
#define NHI_SQE_BYTES 64u
#define NHI_SQE_CDW_COUNT 11u
/* Completion entry: 16 bytes. [0..7] result [8..9] sq_head [10..11] sq_id [12..13] cid
 * [14..15] status(15) | phase << 15. The body ([0..13]) is written before [14..15]. */
#define NHI_CQE_BYTES 16u
/* Event entry: 16 bytes, same framing as a completion: [0..7] data [8..9] type
 * [10..11] info [12..13] sequence number [14..15] phase << 15. */
#define NHI_EQE_BYTES 16u

/* Admin opcodes (queue 0). CREATE/DELETE of IO queues are executed by the NHI model
 * itself; every other command is handed to the firmware through the device side. */
#define NHI_OP_IDENTIFY 0x01u
#define NHI_OP_CREATE_IO_CQ 0x02u /* addr = ring, CDW0 = qid, CDW1 = depth, CDW2 = MSI-X vector */
#define NHI_OP_CREATE_IO_SQ 0x03u /* addr = ring, CDW0 = qid, CDW1 = depth, CDW2 = cq id */
#define NHI_OP_DELETE_IO_SQ 0x04u /* CDW0 = qid */
#define NHI_OP_DELETE_IO_CQ 0x05u /* CDW0 = qid */
#define NHI_OP_GET_FEATURE 0x06u
#define NHI_OP_SET_FEATURE 0x07u
#define NHI_OP_GET_LOG 0x08u
#define NHI_OP_RESET_TILE 0x09u
#define NHI_OP_LINK_STATUS 0x0Au
/* IO opcodes. */
#define NHI_OP_WRITE_DEVICE 0x81u /* addr = host buffer, len, CDW0/1 = device address lo/hi */
#define NHI_OP_READ_DEVICE 0x82u
#define NHI_OP_RUN_PROGRAM 0x83u

/* Completion status (15 bits). */
#define NHI_STS_SUCCESS 0x0u
#define NHI_STS_INVALID_OPCODE 0x1u
#define NHI_STS_INVALID_FIELD 0x2u
#define NHI_STS_ABORTED 0x3u
#define NHI_STS_DMA_ERROR 0x4u
#define NHI_STS_QUEUE_ERROR 0x5u
#define NHI_STS_DEVICE_ERROR 0x6u
#define NHI_STS_TILE_ERROR 0x7u

/* Event types. DOORBELL_ERROR: info = queue id (0xFFFF for EQ_HEAD_DB), data = BAR0
 * offset << 32 | written value. FETCH_ERROR: a submission could not be fetched (DMA
 * error); info = sq id, data = entry address. */
#define NHI_EVT_LINK_CHANGE 0x01u
#define NHI_EVT_ECC_CORRECTED_THRESHOLD 0x02u
#define NHI_EVT_ECC_UNCORRECTABLE 0x03u
#define NHI_EVT_TILE_ERROR 0x04u
#define NHI_EVT_THERMAL 0x05u
#define NHI_EVT_FATAL 0x06u
#define NHI_EVT_RESET_DONE 0x07u
#define NHI_EVT_KEEPALIVE 0x08u
#define NHI_EVT_DOORBELL_ERROR 0x10u
#define NHI_EVT_FETCH_ERROR 0x11u

/* BAR2: MSI-X table (16 bytes per vector: ADDR_LO, ADDR_HI, DATA, CTL with MASK in bit 0;
 * every vector is masked after power-on) and the PBA (one bit per vector, read only). */
#define NHI_MSIX_ENTRY_BYTES 16u
#define NHI_MSIX_ADDR_LO 0x0u
#define NHI_MSIX_ADDR_HI 0x4u
#define NHI_MSIX_DATA 0x8u
#define NHI_MSIX_CTL 0xCu
#define NHI_MSIX_CTL_MASK 0x1u
#define NHI_MSIX_PBA 0x800u
#define NHI_BAR2_SIZE 0x1000u

/* The device side's "no command waiting" answer to CMD_POP. */
#define NHI_DEV_NO_CMD 0xFFFFFFFFu

#endif /* NCV_NHI_PROTO_H */
