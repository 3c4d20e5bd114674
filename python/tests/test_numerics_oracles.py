"""The numerics library (through ncv._golden) against ml_dtypes and numpy, with DAZ and
NaN canonicalisation applied around the oracle (tile.md "Numerics")."""

import ml_dtypes
import numpy as np

from ncv import _golden as g

F32_MIN_NORMAL = np.float32(np.ldexp(1.0, -126))


def daz32(bits):
    bits = bits.copy()
    sub = (bits & 0x7F800000) == 0
    bits[sub] &= np.uint32(0x80000000)
    return bits


def is_nan32(bits):
    return ((bits & 0x7F800000) == 0x7F800000) & ((bits & 0x7FFFFF) != 0)


def special_f32():
    base = np.array([0x00000000, 0x00000001, 0x007FFFFF, 0x00800000, 0x00800001, 0x3F800000, 0x3F808000,
                     0x3F818000, 0x3F80FFFF, 0x3F817FFF, 0x7F7FFFFF, 0x7F7F8000, 0x7F7F7FFF, 0x7F800000,
                     0x7FC00000, 0x7F800001, 0x7FFFFFFF, 0x33800000, 0x0080FFFF], dtype=np.uint32)
    return np.concatenate([base, base | np.uint32(0x80000000)])


def random_f32(n, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32)


def oracle_f32_to_bf16(bits):
    x = daz32(bits).view(np.float32)
    with np.errstate(invalid="ignore"):  # NaN inputs are replaced below
        want = x.astype(ml_dtypes.bfloat16).view(np.uint16).copy()
    want[is_nan32(bits)] = g.BF16_QNAN
    return want


def test_f32_to_bf16_matches_ml_dtypes():
    bits = np.concatenate([special_f32(), random_f32(5_000_000, 1)])
    got = g.f32_to_bf16(bits)
    want = oracle_f32_to_bf16(bits)
    bad = np.nonzero(got != want)[0]
    assert bad.size == 0, f"first mismatch: {bits[bad[0]]:#010x} -> {got[bad[0]]:#06x}, ml_dtypes {want[bad[0]]:#06x}"


def test_bf16_to_f32_matches_ml_dtypes_on_every_value():
    b = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    got = g.bf16_to_f32(b)
    want = b.view(ml_dtypes.bfloat16).astype(np.float32).view(np.uint32).copy()
    nan = ((b & 0x7F80) == 0x7F80) & ((b & 0x7F) != 0)
    want[nan] = g.F32_QNAN
    want = daz32(want)
    assert np.array_equal(got, want)


def test_add_and_mul_match_numpy_float64_rounded_once():
    a = random_f32(2_000_000, 2)
    b = random_f32(2_000_000, 3)
    keep = ~(is_nan32(a) | is_nan32(b))
    a, b = a[keep], b[keep]
    x = daz32(a).view(np.float32).astype(np.float64)
    y = daz32(b).view(np.float32).astype(np.float64)
    with np.errstate(all="ignore"):
        for op, fn in (("add", g.f32_add), ("mul", g.f32_mul)):
            exact = x + y if op == "add" else x * y  # mul exact in float64, add rounded once (innocuous)
            want = exact.astype(np.float32)
            # FTZ on the value rounded with an unbounded exponent: below 2^-126 - 2^-151 -> signed 0.
            tiny = (np.abs(exact) < F32_MIN_NORMAL) & (exact != 0)
            up = tiny & (np.abs(exact) >= np.ldexp(1.0, -126) - np.ldexp(1.0, -151))
            want[tiny] = np.copysign(np.float32(0), exact[tiny])
            want[up] = np.copysign(F32_MIN_NORMAL, exact[up])
            wb = want.view(np.uint32).copy()
            wb[np.isnan(exact)] = g.F32_QNAN
            zero = exact == 0  # signed-zero rules: let numpy's float32 arithmetic decide
            fz = (daz32(a).view(np.float32) + daz32(b).view(np.float32)) if op == "add" else \
                (daz32(a).view(np.float32) * daz32(b).view(np.float32))
            wb[zero] = fz[zero].view(np.uint32)
            got = fn(a, b)
            bad = np.nonzero(got != wb)[0]
            assert bad.size == 0, f"{op}: {a[bad[0]]:#010x}, {b[bad[0]]:#010x} -> {got[bad[0]]:#010x}, want {wb[bad[0]]:#010x}"


def test_pe_product_matches_float64_of_bf16_operands():
    rng = np.random.default_rng(4)
    a = rng.integers(0, 1 << 16, size=2_000_000, dtype=np.uint32).astype(np.uint16)
    b = rng.integers(0, 1 << 16, size=2_000_000, dtype=np.uint32).astype(np.uint16)
    got = g.pe_mul_bf16(a, b)
    fa = g.bf16_to_f32(a).view(np.float32).astype(np.float64)
    fb = g.bf16_to_f32(b).view(np.float32).astype(np.float64)
    with np.errstate(all="ignore"):
        exact = fa * fb
        want = exact.astype(np.float32)
        tiny = (np.abs(exact) < F32_MIN_NORMAL) & (exact != 0)
        want[tiny] = np.copysign(np.float32(0), exact[tiny])  # 16-bit products: never near the tie
        wb = want.view(np.uint32).copy()
        wb[np.isnan(exact)] = g.F32_QNAN
        zero = exact == 0
        wb[zero] = (fa[zero].astype(np.float32) * fb[zero].astype(np.float32)).view(np.uint32)
    assert np.array_equal(got, wb)


def test_oracle_catches_a_wrong_rounding():
    # The oracle must be able to fail: truncation instead of RNE differs on 0x3F818000.
    bits = np.array([0x3F818000], dtype=np.uint32)
    truncated = (bits >> 16).astype(np.uint16)
    assert not np.array_equal(truncated, oracle_f32_to_bf16(bits))
