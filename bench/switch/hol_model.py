#!/usr/bin/env python3
"""Rough cycle model of the bench/switch saturation point: NOT the RTL, a what-if for the input
buffering of rtl/switch (see bench/results/switch.md, "Head-of-line blocking").

NPORTS = 4, uniform destinations (self included), VC 0..3 with weights 4:3:2:1, 0..16 data
flits. Each source keeps per-VC queues with an 80-flit joint cap (as tb/switch generate())
and starts the first packet, in the order VC1, VC2, VC0, VC3, that has credit for the whole
packet in the switch's per-VC FIFO of BUF flits; the packet is in that FIFO L + 2 cycles
later. A switch output is busy L + 2 (+ gap) cycles per packet (header, data, trailer; gap 1
is the idle cycle before the trailer-cycle fix); an input streams at most `streams` packets
at once, one per VC FIFO; with `voq` any packet of a VC FIFO whose output is free may go
(order per output kept). A free output picks one of its candidates at random (seeded).
Prints accepted header + data flits per cycle and port. Usage: hol_model.py [cycles]
"""
import random
import sys


def run(n=4, streams=1, gap=0, voq=False, buf=34, cycles=100000, seed=1):
    rnd = random.Random(seed)
    fifo = [[[] for _ in range(4)] for _ in range(n)]   # (dst, len) of packets in the FIFO
    occ = [[0] * 4 for _ in range(n)]                   # flits the source's credit counts
    txq = [[[] for _ in range(4)] for _ in range(n)]    # source queues
    src_busy, src_pkt = [0] * n, [None] * n
    in_streams = [0] * n
    vc_busy = [[0] * 4 for _ in range(n)]
    out_busy = [0] * n
    delivered = 0
    for _ in range(cycles):
        for p in range(n):
            if sum(ln + 1 for q in txq[p] for (_, ln) in q) <= 80:
                vc = rnd.choices(range(4), [4, 3, 2, 1])[0]
                txq[p][vc].append((rnd.randrange(n), rnd.randrange(17)))
            if src_busy[p] > 0:
                src_busy[p] -= 1
                if src_busy[p] == 0:
                    d, ln, vc = src_pkt[p]
                    fifo[p][vc].append((d, ln))
            if src_busy[p] == 0:
                for vc in (1, 2, 0, 3):
                    if txq[p][vc] and buf - occ[p][vc] >= txq[p][vc][0][1] + 1:
                        d, ln = txq[p][vc].pop(0)
                        occ[p][vc] += ln + 1
                        src_pkt[p], src_busy[p] = (d, ln, vc), ln + 2
                        break
        for p in range(n):
            for v in range(4):
                if vc_busy[p][v] > 0:
                    vc_busy[p][v] -= 1
                    if vc_busy[p][v] == 0:
                        in_streams[p] -= 1
        for o in range(n):
            if out_busy[o] > 0:
                out_busy[o] -= 1
        order = list(range(n))
        rnd.shuffle(order)
        for o in order:
            if out_busy[o]:
                continue
            cands = [(p, v) for p in range(n) for v in range(4)
                     if vc_busy[p][v] == 0 and in_streams[p] < streams and fifo[p][v] and
                     (any(x[0] == o for x in fifo[p][v]) if voq else fifo[p][v][0][0] == o)]
            if not cands:
                continue
            p, v = rnd.choice(cands)
            i = next(k for k, x in enumerate(fifo[p][v]) if x[0] == o)
            _, ln = fifo[p][v].pop(i)
            out_busy[o] = ln + 2 + gap
            vc_busy[p][v] = ln + 2
            in_streams[p] += 1
            occ[p][v] -= ln + 1  # credit back at once (the RTL returns it as flits leave)
            delivered += ln + 1
    return delivered / cycles / n


if __name__ == "__main__":
    cyc = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    for name, kw in [("as built before the fix (gap 1)", dict(gap=1)),
                     ("trailer-cycle fix", {}),
                     ("fix + 2 streams per input", dict(streams=2)),
                     ("fix + VOQ", dict(voq=True)),
                     ("fix + VOQ, BUF 68", dict(voq=True, buf=68)),
                     ("fix + VOQ + 2 streams", dict(voq=True, streams=2))]:
        print(f"{name:34s} {run(cycles=cyc, **kw):.3f}")
