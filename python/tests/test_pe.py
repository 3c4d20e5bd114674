"""PE_LDW / PE_MM of the golden model: the fixed accumulation order bit for bit, INT8
exactness, accumulation into PSUM, a float64 sanity bound, and the PE error codes."""

import numpy as np
import pytest

from ncv import _golden as g
from ncv import isa
from ncv.kernels import pe_fold

P, SB, PS, NMAX = 8, 1024, 512, 64
RNG = np.random.default_rng(7)


def tile():
    return RNG.integers(0, 256, size=P * SB, dtype=np.uint8), np.zeros(P * PS, dtype=np.uint8)


def put(buf, part, off, arr):
    raw = np.ascontiguousarray(arr).view(np.uint8).reshape(P if arr.shape[0] == P else arr.shape[0], -1)
    buf.reshape(-1, part)[: raw.shape[0], off:off + raw.shape[1]] = raw


def pe(line, sbuf, psum, state):
    (w,) = isa.assemble(line)
    return g.exec_pe(w, sbuf, psum, state, P, SB, PS, NMAX)


def bf16(a):
    return g.f32_to_bf16(a.astype(np.float32).view(np.uint32))


def test_bf16_matmul_is_the_fixed_order_and_close_to_float64():
    K, M, N = 8, 6, 20
    sbuf, psum = tile()
    W = bf16(RNG.standard_normal((K, M)))
    X = bf16(RNG.standard_normal((K, N)))
    put(sbuf, SB, 0, W)
    put(sbuf, SB, 256, X)
    st = g.PeState()
    assert pe(f"PE_LDW pr=0:{K} src_off=0 m_cnt={M} dtype=bf16", sbuf, psum, st) == (0, 0)
    assert st.loaded and (st.K, st.M) == (K, M)
    assert pe(f"PE_MM pr=0:{K} src_off=256 n_cnt={N} dtype=bf16 psum_off=0x40 acc=0", sbuf, psum, st) == (0, 0)
    got = psum.reshape(P, PS)[:M, 0x40:0x40 + 4 * N].copy().view(np.uint32)
    # Reference in the order tile.md fixes: s = +0; s = add(s, W[k][m] * X[k][n]) for k = 0..K-1.
    want = pe_fold(W, X)
    assert np.array_equal(got, want)
    # Independent check of the semantics: within the FP32 accumulation bound of float64.
    w64 = g.bf16_to_f32(W).view(np.float32).astype(np.float64)
    x64 = g.bf16_to_f32(X).view(np.float32).astype(np.float64)
    ref = w64.T @ x64
    bound = K * 2.0**-23 * (np.abs(w64).T @ np.abs(x64))
    assert np.all(np.abs(got.view(np.float32) - ref) <= bound)
    # acc=1 adds into what PSUM holds.
    assert pe(f"PE_MM pr=0:{K} src_off=256 n_cnt={N} dtype=bf16 psum_off=0x40 acc=1", sbuf, psum, st) == (0, 0)
    again = psum.reshape(P, PS)[:M, 0x40:0x40 + 4 * N].copy().view(np.uint32)
    assert np.array_equal(again, g.f32_add(want, want))


def test_int8_matmul_is_exact_with_wrapping_accumulation():
    K, M, N = 8, 8, 16
    sbuf, psum = tile()
    W = RNG.integers(-128, 128, size=(K, M), dtype=np.int8)
    X = RNG.integers(-128, 128, size=(K, N), dtype=np.int8)
    put(sbuf, SB, 0, W)
    put(sbuf, SB, 128, X)
    st = g.PeState()
    assert pe(f"PE_LDW pr=0:{K} src_off=0 m_cnt={M} dtype=int8", sbuf, psum, st)[0] == 0
    assert pe(f"PE_MM pr=0:{K} src_off=128 n_cnt={N} dtype=int8 psum_off=0 acc=0", sbuf, psum, st)[0] == 0
    got = psum.reshape(P, PS)[:M, : 4 * N].copy().view(np.int32)
    assert np.array_equal(got, W.astype(np.int64).T @ X.astype(np.int64))
    big = np.full((M, N), 2**31 - 1, dtype=np.int32)
    psum.reshape(P, PS)[:M, : 4 * N] = big.view(np.uint8).reshape(M, -1)
    assert pe(f"PE_MM pr=0:{K} src_off=128 n_cnt={N} dtype=int8 psum_off=0 acc=1", sbuf, psum, st)[0] == 0
    got = psum.reshape(P, PS)[:M, : 4 * N].copy().view(np.int32)
    assert np.array_equal(got, ((big.astype(np.int64) + W.astype(np.int64).T @ X) + 2**31) % 2**32 - 2**31)


@pytest.mark.parametrize(
    "load, mm, code",
    [
        (None, "PE_MM pr=0:4 src_off=0 n_cnt=4 dtype=bf16 psum_off=0 acc=0", 0x09),                     # no weights
        ("PE_LDW pr=0:4 src_off=0 m_cnt=4 dtype=bf16", "PE_MM pr=0:4 src_off=0 n_cnt=4 dtype=int8 psum_off=0 acc=0", 0x0A),
        ("PE_LDW pr=0:4 src_off=0 m_cnt=4 dtype=bf16", "PE_MM pr=0:4 src_off=0 n_cnt=65 dtype=bf16 psum_off=0 acc=0", 0x0B),
        ("PE_LDW pr=0:4 src_off=0 m_cnt=4 dtype=bf16", "PE_MM pr=0:2 src_off=0 n_cnt=4 dtype=bf16 psum_off=0 acc=0", 0x09),  # K differs
        ("PE_LDW pr=0:4 src_off=0 m_cnt=4 dtype=bf16", "PE_MM pr=0:4 src_off=0 n_cnt=4 dtype=bf16 psum_off=500 acc=0", 0x07),
        ("PE_LDW pr=0:4 src_off=0 m_cnt=4 dtype=bf16", "PE_MM pr=0:4 src_off=1 n_cnt=4 dtype=bf16 psum_off=0 acc=0", 0x08),
        (None, "PE_LDW pr=0:4 src_off=0 m_cnt=9 dtype=bf16", 0x05),                                       # M > P
        (None, "PE_LDW pr=0:4 src_off=0 m_cnt=4 dtype=fp32", 0x04),
        (None, "PE_LDW pr=6:4 src_off=0 m_cnt=4 dtype=int8", 0x05),
    ],
)
def test_pe_errors_write_nothing(load, mm, code):
    sbuf, psum = tile()
    st = g.PeState()
    if load:
        assert pe(load, sbuf, psum, st)[0] == 0
    p0 = psum.copy()
    assert pe(mm, sbuf, psum, st)[0] == code
    assert np.array_equal(psum, p0)


def test_bf16_fast_path_equals_the_integer_reference_on_special_values():
    # NaN, Inf, subnormal inputs, products that overflow or fall below 2^-126, cancellation.
    specials = np.array([0x0000, 0x8000, 0x0001, 0x807F, 0x0080, 0x0081, 0x3F80, 0xBF80, 0x7F7F, 0xFF7F,
                         0x7F80, 0xFF80, 0x7FC0, 0x7F81, 0x2000, 0x1F80, 0x5F80, 0xE000, 0x3F81, 0xBF81],
                        dtype=np.uint16)
    K, M, N = 8, 8, 40
    rng = np.random.default_rng(9)
    for trial in range(30):
        W = rng.choice(specials, size=(K, M))
        X = rng.choice(specials, size=(K, N))
        sbuf, psum = tile()
        put(sbuf, SB, 0, W)
        put(sbuf, SB, 256, X)
        st = g.PeState()
        assert pe(f"PE_LDW pr=0:{K} src_off=0 m_cnt={M} dtype=bf16", sbuf, psum, st)[0] == 0
        assert pe(f"PE_MM pr=0:{K} src_off=256 n_cnt={N} dtype=bf16 psum_off=0 acc=0", sbuf, psum, st)[0] == 0
        got = psum.reshape(P, PS)[:M, : 4 * N].copy().view(np.uint32)
        assert np.array_equal(got, pe_fold(W, X)), f"trial {trial}"
