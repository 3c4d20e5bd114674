"""Program builder: kernels as queue programs plus memory images for the NCT tile.

`matmul(...)` builds C[M, N] = A[M, K] @ B[K, N] in BF16 with FP32 accumulation, tiled
to the tile's size (K and M in tiles of at most P, N in tiles that fit NMAX and PSUM),
with double-buffered DMA over all four queues:

    Q0 (DMA)  loads the weight tile A^T[k, m] and the moving tile B[k, n] into one of
              two SBUF slots, and stores finished C tiles;
    Q1 (PE)   PE_LDW + PE_MM per K step, accumulating in PSUM;
    Q2 (ACT)  evicts each finished PSUM tile to SBUF (FP32);
    Q3 (DVE)  the MLP epilogue (bias add, RELU, BF16) when `bias` is given.

`attention_scores(...)` is the softmax-free attention score block (scaled Q K^T and its
row maxima). `reduce_rows(...)` reduces each row of a matrix with TRED (add, max, min),
left to right.

The programs come from the C++ builder (models/golden/src/builder.cpp) through
ncv._golden, so C++ testbenches and Python run the very same programs; the references
here (reference_*) are independent folds with the golden numerics.

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


def _bf16_bits(x: np.ndarray) -> np.ndarray:
    from . import _golden as g

    return g.f32_to_bf16(np.ascontiguousarray(x, dtype=np.float32).view(np.uint32))


def _program(built) -> Program:
    """A program from the C++ builder (ncv._golden.build_*) as assembly text per queue."""
    from . import isa

    queues, memory, outputs, _end = built
    prog = Program()
    for q, words in enumerate(queues):
        prog.queues[q] = [isa.disassemble_word(w) for w in words]
    prog.memory = list(memory)
    for name, (addr, rows, cols, esize) in outputs.items():
        shape = (rows,) if cols == 1 else (rows, cols)
        prog.outputs[name] = (addr, shape, np.dtype(np.uint16 if esize == 2 else np.float32))
    return prog


def matmul(a: np.ndarray, b: np.ndarray, P: int, sbuf_part: int, psum_part: int, nmax: int,
           base: int = 0x10000, bias: np.ndarray | None = None) -> Program:
    """C = A @ B (FP32 out). A is [M, K], B is [K, N] (float arrays, rounded to BF16).
    With `bias` ([N]): the MLP layer Y = BF16(RELU(A @ B + bias)), the epilogue on Q3.
    Built by the C++ builder (models/golden/src/builder.cpp), which the testbenches share."""
    from . import _golden as g

    return _program(g.build_matmul(_bf16_bits(a), _bf16_bits(b), P, sbuf_part, psum_part, nmax, base=base,
                                   bias=None if bias is None else np.asarray(bias, dtype=np.float32)))


def attention_scores(q: np.ndarray, k: np.ndarray, scale: float, P: int, sbuf_part: int, psum_part: int,
                     nmax: int, base: int = 0x10000) -> Program:
    """Softmax-free attention score block: S = scale * (Q @ K^T) ("S", FP32 [S, T]) and the
    row maxima of S ("rowmax", FP32 [S]); Q is [S, D], K is [T, D] (rounded to BF16)."""
    from . import _golden as g

    return _program(g.build_attention_scores(_bf16_bits(q), _bf16_bits(k), scale, P, sbuf_part, psum_part, nmax,
                                             base=base))


def reference_attention(q: np.ndarray, k: np.ndarray, scale: float, P: int) -> tuple[np.ndarray, np.ndarray]:
    """The exact S and row maxima (bit patterns): the matmul fold, then ACT's multiply by
    the scale (rounded), then TRED max left to right."""
    from . import _golden as g

    acc = reference_matmul(q, np.ascontiguousarray(k.T), P)
    sc = np.full(acc.shape, np.float32(scale)).view(np.uint32)
    s = g.f32_mul(acc, sc)
    m = s[:, 0].copy()
    for j in range(1, s.shape[1]):
        m = g.f32_max(m, s[:, j].copy())
    return s, m


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
    from . import _golden as g

    ops = {"add": 0, "max": 1, "min": 2}
    return _program(g.build_reduce_rows(np.ascontiguousarray(x, dtype=np.float32), ops[op], P, sbuf_part, base=base))
