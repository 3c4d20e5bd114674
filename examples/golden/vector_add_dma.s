.sem loaded 1
.sem added 2
DMA_LD addr=0x10000 pr=0:4 sb_off=0 bytes=16 stride_r=0 post=loaded     # 4 floats per partition
DMA_LD addr=0x20000 pr=0:4 sb_off=64 bytes=16 stride_r=0 post=loaded
DMA_ST addr=0x30000 pr=0:4 sb_off=128 bytes=16 stride_r=0 wait=added:1
HALT code=0 irq=1
