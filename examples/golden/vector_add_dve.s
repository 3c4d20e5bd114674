TT pr=0:4 a=sbuf:fp32:0 b=sbuf:fp32:64 dst=sbuf:fp32:128 len=4 alu=add wait=1:2 post=2
HALT code=0 irq=1
