"""Program-builder kernels on the golden model: tiled matmul with double-buffered DMA over
the four queues, checked bit for bit against the tile's accumulation order, against
numpy float64 within the derived error bound, race-free under random schedules."""

import numpy as np
import pytest

from ncv import _golden as g
from ncv import config, isa, kernels

RINGS = [0x800000, 0x900000, 0xA00000, 0xB00000]


def run(prog, tile, seed=None, race=False):
    c = g.Core(tile["P"], tile["SBUF_PART_BYTES"], tile["PSUM_PART_BYTES"], tile["NMAX"], tile["NSEM"],
               mem_size=16 << 20)
    for a, data in prog.memory:
        c.mem_write(a, data)
    c.enable_race_detection(race)
    for q in range(4):
        words = isa.assemble(prog.text(q), f"q{q}", queue=q)
        c.set_ring(q, RINGS[q], 12)
        c.mem_write(RINGS[q], isa.to_bytes(words))
    c.enable(True)
    for q in range(4):
        c.doorbell(q, len(isa.assemble(prog.text(q))))
    if seed is None:
        c.run_round_robin()
    else:
        c.run_random(seed)
    return c


@pytest.mark.parametrize("shape", [(4, 4, 8), (10, 9, 70), (5, 12, 64)])
def test_tiled_matmul_is_exact_and_close_to_float64(shape):
    tile = config.load("ci").tile
    M, K, N = shape
    rng = np.random.default_rng(M * 1000 + K * 10 + N)
    a, b = rng.standard_normal((M, K)), rng.standard_normal((K, N))
    prog = kernels.matmul(a, b, tile["P"], tile["SBUF_PART_BYTES"], tile["PSUM_PART_BYTES"], tile["NMAX"])
    c = run(prog, tile)
    assert c.error()[0] == 0 and not c.busy()
    addr, (m, n), dt = prog.outputs["C"]
    got = np.frombuffer(c.mem_read(addr, m * n * 4), dtype=np.uint32).reshape(m, n)
    assert np.array_equal(got, kernels.reference_matmul(a, b, tile["P"]))
    # Semantics, independently: BF16 inputs, FP32 sums of K terms: |err| <= K * 2^-23 * sum|a||b|.
    a16 = g.bf16_to_f32(kernels._bf16_bits(a)).view(np.float32).astype(np.float64)
    b16 = g.bf16_to_f32(kernels._bf16_bits(b)).view(np.float32).astype(np.float64)
    bound = K * 2.0**-23 * (np.abs(a16) @ np.abs(b16)) + 1e-30
    assert np.all(np.abs(got.view(np.float32) - a16 @ b16) <= bound)


def test_tiled_matmul_is_race_free_and_schedule_independent():
    tile = config.load("ci").tile
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((9, 10)), rng.standard_normal((10, 70))
    prog = kernels.matmul(a, b, tile["P"], tile["SBUF_PART_BYTES"], tile["PSUM_PART_BYTES"], tile["NMAX"])
    addr, (m, n), _ = prog.outputs["C"]
    outs = set()
    for seed in range(8):
        c = run(prog, tile, seed=seed, race=True)
        assert c.race() is None, c.race()
        assert c.error()[0] == 0
        outs.add(c.mem_read(addr, m * n * 4))
    assert len(outs) == 1


def test_dropping_a_semaphore_wait_makes_the_matmul_racy():
    # The race detector guards the builder: remove the PE's wait for its loads.
    tile = config.load("ci").tile
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((4, 8)), rng.standard_normal((8, 16))
    prog = kernels.matmul(a, b, tile["P"], tile["SBUF_PART_BYTES"], tile["PSUM_PART_BYTES"], tile["NMAX"])
    prog.queues[1] = [" ".join(t for t in line.split() if not t.startswith("wait=")) if "PE_LDW" in line else line
                      for line in prog.queues[1]]
    races = [run(prog, tile, seed=s, race=True).race() for s in range(8)]
    assert any(r is not None for r in races)


@pytest.mark.parametrize("shape", [(4, 8, 16), (7, 9, 70)])
def test_mlp_layer_bias_relu_bf16(shape):
    tile = config.load("ci").tile
    M, K, N = shape
    rng = np.random.default_rng(sum(shape))
    a, b, bias = rng.standard_normal((M, K)), rng.standard_normal((K, N)), rng.standard_normal(N)
    prog = kernels.matmul(a, b, tile["P"], tile["SBUF_PART_BYTES"], tile["PSUM_PART_BYTES"], tile["NMAX"], bias=bias)
    for seed in (None, 1, 2, 3):
        c = run(prog, tile, seed=seed, race=seed is not None)
        assert c.error()[0] == 0 and not c.busy()
        assert seed is None or c.race() is None, c.race()
        addr, (m, n), _ = prog.outputs["Y"]
        got = np.frombuffer(c.mem_read(addr, m * n * 2), dtype=np.uint16).reshape(m, n)
        assert np.array_equal(got, kernels.reference_mlp(a, b, bias, tile["P"]))
    # Independent semantics: float64 relu(a@b + bias), within the accumulation bound plus BF16 rounding.
    a16 = g.bf16_to_f32(kernels._bf16_bits(a)).view(np.float32).astype(np.float64)
    b16 = g.bf16_to_f32(kernels._bf16_bits(b)).view(np.float32).astype(np.float64)
    ref = np.maximum(a16 @ b16 + bias.astype(np.float32), 0)
    y = g.bf16_to_f32(got).view(np.float32).astype(np.float64)
    bound = (K + 1) * 2.0**-23 * (np.abs(a16) @ np.abs(b16) + np.abs(bias)) + 2.0**-8 * np.abs(ref) + 1e-30
    assert np.all(np.abs(y - ref) <= bound)


@pytest.mark.parametrize("op", ["add", "max", "min"])
def test_row_reductions(op):
    tile = config.load("ci").tile
    rng = np.random.default_rng(3)
    x = rng.standard_normal((11, 37)).astype(np.float32)
    prog = kernels.reduce_rows(x, op, tile["P"], tile["SBUF_PART_BYTES"])
    for seed in (None, 4, 5):
        c = run(prog, tile, seed=seed, race=seed is not None)
        assert c.error()[0] == 0 and (seed is None or c.race() is None)
        addr, (r,), _ = prog.outputs["r"]
        got = np.frombuffer(c.mem_read(addr, 4 * r), dtype=np.float32)
        # Exact: the left-to-right fold of tile.md with the golden numerics.
        fn = {"add": g.f32_add, "max": g.f32_max, "min": g.f32_min}[op]
        acc = x[:, 0].view(np.uint32).copy()
        for f in range(1, x.shape[1]):
            acc = fn(acc, np.ascontiguousarray(x[:, f]).view(np.uint32))
        assert np.array_equal(got.view(np.uint32), acc)
    # Independent semantics against float64.
    ref = {"add": np.sum, "max": np.max, "min": np.min}[op](x.astype(np.float64), axis=1)
    bound = x.shape[1] * 2.0**-23 * np.sum(np.abs(x.astype(np.float64)), axis=1) if op == "add" else 0
    assert np.all(np.abs(got - ref) <= bound)


@pytest.mark.parametrize("shape", [(4, 16, 8), (10, 12, 40)])
def test_attention_scores_exact_close_and_race_free(shape):
    tile = config.load("ci").tile
    S, T, D = shape
    rng = np.random.default_rng(S * 100 + T)
    q, k = rng.standard_normal((S, D)), rng.standard_normal((T, D))
    scale = 1 / np.sqrt(D)
    prog = kernels.attention_scores(q, k, scale, tile["P"], tile["SBUF_PART_BYTES"], tile["PSUM_PART_BYTES"],
                                    tile["NMAX"])
    want_s, want_m = kernels.reference_attention(q, k, scale, tile["P"])
    (sa, (s_, t_), _), (ma, (m_,), _) = prog.outputs["S"], prog.outputs["rowmax"]
    for seed in (None, 3, 11):
        c = run(prog, tile, seed=seed, race=True)
        assert c.error()[0] == 0 and not c.busy() and c.race() is None
        got_s = np.frombuffer(c.mem_read(sa, s_ * t_ * 4), dtype=np.uint32).reshape(s_, t_)
        got_m = np.frombuffer(c.mem_read(ma, m_ * 4), dtype=np.uint32)
        assert np.array_equal(got_s, want_s) and np.array_equal(got_m, want_m)
    # Semantics against float64: the matmul bound, plus one rounding of the scale multiply.
    q16 = g.bf16_to_f32(kernels._bf16_bits(q)).view(np.float32).astype(np.float64)
    k16 = g.bf16_to_f32(kernels._bf16_bits(k)).view(np.float32).astype(np.float64)
    s32 = np.float64(np.float32(scale))
    exact = s32 * (q16 @ k16.T)
    bound = s32 * (D * 2.0**-23 * (np.abs(q16) @ np.abs(k16.T))) + np.abs(exact) * 2.0**-24 + 1e-30
    assert np.all(np.abs(got_s.view(np.float32) - exact) <= bound)
    assert np.array_equal(got_m.view(np.float32), got_s.view(np.float32).max(axis=1))


def test_builder_rejects_values_that_do_not_fit_their_field():
    tile = config.load("ci").tile
    a = np.ones((4, 4))
    with pytest.raises(ValueError, match=r"row_max needs N <= 64"):
        kernels.attention_scores(a, np.ones((65, 4)), 1.0, tile["P"], tile["SBUF_PART_BYTES"],
                                 tile["PSUM_PART_BYTES"], tile["NMAX"])
    with pytest.raises(ValueError, match=r"DMA_LD.addr = \d+: expected 0..1099511627775"):
        kernels.matmul(a, a, tile["P"], tile["SBUF_PART_BYTES"], tile["PSUM_PART_BYTES"], tile["NMAX"],
                       base=1 << 41)
