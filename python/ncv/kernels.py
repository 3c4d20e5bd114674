"""Program builder: kernels as queue programs plus memory images for the NCT tile.

`matmul(...)` builds C[M, N] = A[M, K] @ B[K, N] in BF16 with FP32 accumulation, tiled
to the tile's size (K and M in tiles of at most P, N in tiles that fit NMAX and PSUM),
with double-buffered DMA over all four queues:

    Q0 (DMA)  loads the weight tile A^T[k, m] and the moving tile B[k, n] into one of
              two SBUF slots, and stores finished C tiles;
    Q1 (PE)   PE_LDW + PE_MM per K step, accumulating in PSUM;
    Q2 (ACT)  evicts each finished PSUM tile to SBUF (FP32);
    Q3 (DVE)  the MLP epilogue (bias add, RELU, BF16) when `bias` is given.

`reduce_rows(...)` reduces each row of a matrix with TRED (add, max, min), left to right.

Semaphores order every producer/consumer pair, so the program is race-free under any
interleaving (the golden model's race detector checks this in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Program:
    queues: dict[int, list[str]] = field(default_factory=lambda: {0: [], 1: [], 2: [], 3: []})
    memory: list[tuple[int, bytes]] = field(default_factory=list)
    outputs: dict[str, tuple[int, tuple, np.dtype]] = field(default_factory=dict)

    def text(self, q: int) -> str:
        return "\n".join(self.queues[q]) + ("\n" if self.queues[q] else "")


class _Sems:
    """Named semaphores with the running count each consumer must wait for."""

    def __init__(self, names):
        self.id = {n: i + 1 for i, n in enumerate(names)}
        self.posts = {n: 0 for n in names}

    def post(self, name):
        self.posts[name] += 1
        return f"post={self.id[name]}"

    def wait(self, name, value):
        if value > 4095:
            raise ValueError("program too long for 12-bit semaphore waits; split it")
        return f"wait={self.id[name]}:{value}"


def _bf16_bits(x: np.ndarray) -> np.ndarray:
    from . import _golden as g

    return g.f32_to_bf16(np.ascontiguousarray(x, dtype=np.float32).view(np.uint32))


def matmul(a: np.ndarray, b: np.ndarray, P: int, sbuf_part: int, psum_part: int, nmax: int,
           base: int = 0x10000, bias: np.ndarray | None = None) -> Program:
    """C = A @ B (FP32 out). A is [M, K], B is [K, N] (float arrays, rounded to BF16).
    With `bias` ([N]): the MLP layer Y = BF16(RELU(A @ B + bias)), the epilogue on Q3."""
    M, K = a.shape
    K2, N = b.shape
    assert K == K2
    nt_max = min(nmax, psum_part // 4)
    tiles_m = [(m0, min(P, M - m0)) for m0 in range(0, M, P)]
    tiles_k = [(k0, min(P, K - k0)) for k0 in range(0, K, P)]
    tiles_n = [(n0, min(nt_max, N - n0)) for n0 in range(0, N, nt_max)]
    w_bytes, x_bytes, out_bytes = 2 * P, 2 * nt_max, 4 * nt_max
    slot_w = [0, w_bytes]
    slot_x = [2 * w_bytes, 2 * w_bytes + x_bytes]
    out_off = 2 * w_bytes + 2 * x_bytes
    tmp2_off, y_off, bias_off = out_off + out_bytes, out_off + 2 * out_bytes, out_off + 3 * out_bytes
    if (bias_off + out_bytes if bias is not None else out_off + out_bytes) > sbuf_part:
        raise ValueError("SBUF too small for this tiling")
    at = _bf16_bits(a.T.copy())  # [K, M]: row k is what partition k of a weight tile holds
    bb = _bf16_bits(b)  # [K, N]
    addr_at, addr_b = base, base + at.nbytes
    addr_c = (addr_b + bb.nbytes + 0xFF) & ~0xFF
    prog = Program()
    prog.memory = [(addr_at, at.tobytes()), (addr_b, bb.tobytes())]
    mlp = bias is not None
    out_esize = 2 if mlp else 4
    prog.outputs["Y" if mlp else "C"] = (addr_c, (M, N), np.dtype(np.uint16 if mlp else np.float32))
    if mlp:
        addr_bias = (addr_c + M * N * 4 + 0xFF) & ~0xFF
        prog.memory.append((addr_bias, np.asarray(bias, dtype=np.float32).tobytes()))
    s = _Sems(["load0", "load1", "free0", "free1", "mm", "evict", "stored", "consumed", "bias", "epi"])
    q0, q1, q2, q3 = prog.queues[0], prog.queues[1], prog.queues[2], prog.queues[3]
    q0 += [f"SETR rd=1 imm={2 * M}", f"SETR rd=2 imm={2 * N}", f"SETR rd=3 imm={out_esize * N}", "SETR rd=4 imm=0"]
    step = 0
    uses = [0, 0]  # loads into each slot so far
    tile = 0
    for m0, mt in tiles_m:
        for n0, nt in tiles_n:
            for i, (k0, kt) in enumerate(tiles_k):
                j = step % 2
                free_wait = f" {s.wait(f'free{j}', uses[j])}" if uses[j] else ""
                uses[j] += 1
                q0.append(f"DMA_LD addr={addr_at + 2 * (k0 * M + m0):#x} pr=0:{kt} sb_off={slot_w[j]} "
                          f"bytes={2 * mt} stride_r=1{free_wait}")
                q0.append(f"DMA_LD addr={addr_b + 2 * (k0 * N + n0):#x} pr=0:{kt} sb_off={slot_x[j]} "
                          f"bytes={2 * nt} stride_r=2 {s.post(f'load{j}')}")
                q1.append(f"PE_LDW pr=0:{kt} src_off={slot_w[j]} m_cnt={mt} dtype=bf16 {s.wait(f'load{j}', uses[j])}")
                # The first K step overwrites PSUM: the previous tile must be evicted first.
                ev = f" {s.wait('evict', tile)}" if i == 0 and tile else ""
                last = i == len(tiles_k) - 1
                q1.append(f"PE_MM pr=0:{kt} src_off={slot_x[j]} n_cnt={nt} dtype=bf16 psum_off=0 "
                          f"acc={0 if i == 0 else 1}{ev} {s.post(f'free{j}')}")
                if last:
                    q1.append(f"SEM sem={s.id['mm']} op=add imm=1")
                    s.posts["mm"] += 1
                step += 1
            # Evict once the PE finished the tile and the evict buffer is free again
            # (stored: plain matmul; consumed by the epilogue: MLP).
            free = "consumed" if mlp else "stored"
            st = f" {s.wait(free, tile)}" if tile else ""
            # SEM ADD 0 is a no-op: it lets ACT wait on a second semaphore.
            q2.append(f"SEM sem={s.id['mm']} op=add imm=0 {s.wait('mm', tile + 1)}")
            q2.append(f"ACT pr=0:{mt} src=psum:fp32:0 dst=sbuf:fp32:{out_off} len={nt} func=ident scale_r=0 "
                      f"bias_r=0{st} {s.post('evict')}")
            if mlp:
                # Bias row broadcast to every partition (stride register 4 holds 0), once the
                # previous tile's epilogue has read the old one.
                bw = f" {s.wait('consumed', tile)}" if tile else ""
                q0.append(f"DMA_LD addr={addr_bias + 4 * n0:#x} pr=0:{mt} sb_off={bias_off} bytes={4 * nt} "
                          f"stride_r=4{bw} {s.post('bias')}")
                q3.append(f"SEM sem={s.id['bias']} op=add imm=0 {s.wait('bias', tile + 1)}")
                q3.append(f"TT pr=0:{mt} a=sbuf:fp32:{out_off} b=sbuf:fp32:{bias_off} dst=sbuf:fp32:{tmp2_off} "
                          f"len={nt} alu=add {s.wait('evict', tile + 1)} {s.post('consumed')}")
                yw = f" {s.wait('stored', tile)}" if tile else ""
                # RELU as MAX with R0 (+0.0), converted to BF16 on the way out.
                q3.append(f"TS pr=0:{mt} src=sbuf:fp32:{tmp2_off} dst=sbuf:bf16:{y_off} len={nt} op0=max r0=0 "
                          f"op1=none r1=0{yw} {s.post('epi')}")
                q0.append(f"DMA_ST addr={addr_c + 2 * (m0 * N + n0):#x} pr=0:{mt} sb_off={y_off} bytes={2 * nt} "
                          f"stride_r=3 {s.wait('epi', tile + 1)} {s.post('stored')}")
            else:
                q0.append(f"DMA_ST addr={addr_c + 4 * (m0 * N + n0):#x} pr=0:{mt} sb_off={out_off} "
                          f"bytes={4 * nt} stride_r=3 {s.wait('evict', tile + 1)} {s.post('stored')}")
            tile += 1
    for q in (0, 1, 2, 3):
        if prog.queues[q] or q != 3:
            prog.queues[q].append("HALT code=0 irq=1")
    return prog


def reference_mlp(a: np.ndarray, b: np.ndarray, bias: np.ndarray, P: int) -> np.ndarray:
    """BF16(RELU(A @ B + bias)) as bit patterns, in the tile's order of operations."""
    from . import _golden as g

    acc = reference_matmul(a, b, P)
    bb = np.broadcast_to(np.asarray(bias, dtype=np.float32).view(np.uint32), acc.shape)
    y = g.f32_max(g.f32_add(acc, np.ascontiguousarray(bb)), np.zeros_like(acc))
    return g.f32_to_bf16(y)


def pe_fold(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """What one PE_MM computes, as FP32 bit patterns: for W [K, M] and X [K, N] (BF16 bit
    patterns), s[m, n] = +0; s = add(s, W[k][m] * X[k][n]) for k = 0..K-1, in that order."""
    from . import _golden as g

    K, M = w.shape
    N = x.shape[1]
    s = np.zeros((M, N), dtype=np.uint32)
    for k in range(K):
        s = g.f32_add(s, g.pe_mul_bf16(np.repeat(w[k][:, None], N, 1), np.repeat(x[k][None, :], M, 0)))
    return s


def reference_matmul(a: np.ndarray, b: np.ndarray, P: int) -> np.ndarray:
    """The exact result the tile computes (bit patterns), folded with the golden numerics:
    per K tile s = +0; s = add(s, w*x) over its rows; PSUM = PSUM + s from the second tile on."""
    from . import _golden as g

    at, bb = _bf16_bits(a.T.copy()), _bf16_bits(b)
    out = None
    for k0 in range(0, at.shape[0], P):
        s = pe_fold(at[k0:k0 + P], bb[k0:k0 + P])
        out = s if out is None else g.f32_add(out, s)
    return out


def reduce_rows(x: np.ndarray, op: str, P: int, sbuf_part: int, base: int = 0x10000) -> Program:
    """r[i] = op over row i of X ([R, L] FP32; op = add, max or min), left to right:
    rows in groups of P partitions, DMA (Q0) -> TRED (Q3) -> DMA, double-buffered."""
    R, L = x.shape
    if 4 * L * 2 + 8 > sbuf_part or L > 4096:
        raise ValueError("rows too long for this SBUF")
    xs = np.ascontiguousarray(x, dtype=np.float32)
    addr_x = base
    addr_r = (addr_x + xs.nbytes + 0xFF) & ~0xFF
    prog = Program()
    prog.memory = [(addr_x, xs.tobytes())]
    prog.outputs["r"] = (addr_r, (R,), np.dtype(np.float32))
    s = _Sems(["load0", "load1", "free0", "free1", "red", "stored"])
    q0, q3 = prog.queues[0], prog.queues[3]
    slot = [0, 4 * L]
    res = 8 * L  # one FP32 result per partition
    uses = [0, 0]
    groups = [(r0, min(P, R - r0)) for r0 in range(0, R, P)]
    q0.append("SETR rd=1 imm=4")  # results: one FP32 per partition, consecutive in memory
    for gi, (r0, rc) in enumerate(groups):
        j = gi % 2
        fw = f" {s.wait(f'free{j}', uses[j])}" if uses[j] else ""
        uses[j] += 1
        q0.append(f"DMA_LD addr={addr_x + 4 * r0 * L:#x} pr=0:{rc} sb_off={slot[j]} bytes={4 * L} stride_r=0"
                  f"{fw} {s.post(f'load{j}')}")
        sw = f" {s.wait('stored', gi)}" if gi else ""
        q3.append(f"SEM sem={s.id[f'load{j}']} op=add imm=0 {s.wait(f'load{j}', uses[j])}")
        q3.append(f"TRED pr=0:{rc} src=sbuf:fp32:{slot[j]} dst=sbuf:fp32:{res} len={L} op={op} neg=0{sw} "
                  f"{s.post(f'free{j}')}")
        q3.append(f"SEM sem={s.id['red']} op=add imm=1")
        s.posts["red"] += 1
        q0.append(f"DMA_ST addr={addr_r + 4 * r0:#x} pr=0:{rc} sb_off={res} bytes=4 stride_r=1 "
                  f"{s.wait('red', gi + 1)} {s.post('stored')}")
    q0.append("HALT code=0 irq=1")
    q3.append("HALT code=0 irq=1")
    return prog
