/* POST codes the firmware writes to NHI FW_POST (firmware.md "Boot"). A stage writes its
 * code when it starts; READY means boot finished; FAIL codes carry the failing stage. */
#ifndef NCV_FW_POST_H
#define NCV_FW_POST_H

#define FW_POST_START 0x01u
#define FW_POST_POWER 0x10u
#define FW_POST_CLOCKS 0x20u
#define FW_POST_HBM 0x30u
#define FW_POST_TILE 0x40u
#define FW_POST_FABRIC 0x50u
#define FW_POST_HOST 0x60u
#define FW_POST_READY 0x7Fu
#define FW_POST_FAIL(stage) (0x80u | (stage))

#endif /* NCV_FW_POST_H */
