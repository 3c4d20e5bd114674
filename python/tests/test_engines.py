"""Vector and activation instructions of the golden model (models/golden/src/engines.cpp)
against numpy references: addressing, partitions, compute types, conversions, errors.
FP32 arithmetic itself is checked in test_numerics_oracles.py; here it is applied with
ncv._golden's element functions and compared bit for bit."""

import numpy as np
import pytest

from ncv import _golden as g
from ncv import isa

P, SB, PS = 8, 1024, 512  # a small tile: 8 partitions, 1 KiB SBUF and 512 B PSUM per partition
RNG = np.random.default_rng(2026)


def tile():
    sbuf = RNG.integers(0, 256, size=P * SB, dtype=np.uint8)
    psum = RNG.integers(0, 256, size=P * PS, dtype=np.uint8)
    return sbuf, psum


def run(line, sbuf, psum, regs=None):
    (w,) = isa.assemble(line)
    return g.exec_vector(w, sbuf, psum, list(regs or [0] * 16), P, SB, PS)


def view(buf, part, off, n, dt):
    size = np.dtype(dt).itemsize
    return buf.reshape(P, part)[:, off:off + n * size].copy().view(dt)


def rand_f32(n):
    """Ordinary FP32 values (no NaN/Inf/subnormal) as bit patterns."""
    return RNG.standard_normal(n).astype(np.float32).view(np.uint32)


def put(buf, part, off, arr):
    b = buf.reshape(P, part)
    raw = arr.view(np.uint8).reshape(P, -1)
    b[:, off:off + raw.shape[1]] = raw


def test_tt_fp32_add_over_partitions_and_offsets():
    sbuf, psum = tile()
    a, b = rand_f32(P * 16).reshape(P, 16), rand_f32(P * 16).reshape(P, 16)
    put(sbuf, SB, 0x40, a)
    put(sbuf, SB, 0x100, b)
    before = sbuf.copy()
    assert run("TT pr=2:4 a=sbuf:fp32:0x40 b=sbuf:fp32:0x100 dst=psum:fp32:0x20 len=16 alu=add", sbuf, psum) == (0, 0)
    got = view(psum, PS, 0x20, 16, np.uint32)
    want = g.f32_add(a, b)
    assert np.array_equal(got[2:6], want[2:6])
    assert np.array_equal(sbuf, before)  # sources untouched


def test_tt_int32_wraps_and_int8_destination_saturates():
    sbuf, psum = tile()
    a = np.full((P, 4), 2**31 - 1, dtype=np.int32)
    b = np.array([[1, -5, 100, 7]] * P, dtype=np.int32)
    put(sbuf, SB, 0, a)
    put(sbuf, SB, 16, b)
    assert run("TT pr=0:8 a=sbuf:int32:0 b=sbuf:int32:16 dst=sbuf:int32:32 len=4 alu=add", sbuf, psum)[0] == 0
    assert np.array_equal(view(sbuf, SB, 32, 4, np.int32), (a.astype(np.int64) + b).astype(np.int32))  # wraps
    assert run("TT pr=0:8 a=sbuf:int32:0 b=sbuf:int32:16 dst=sbuf:int8:64 len=4 alu=xor", sbuf, psum)[0] == 0
    assert np.array_equal(view(sbuf, SB, 64, 4, np.int8), np.clip(a ^ b, -128, 127).astype(np.int8))


def test_tt_bf16_inputs_compute_in_fp32():
    sbuf, psum = tile()
    a = g.f32_to_bf16(rand_f32(P * 8)).reshape(P, 8)
    b = g.f32_to_bf16(rand_f32(P * 8)).reshape(P, 8)
    put(sbuf, SB, 0, a)
    put(sbuf, SB, 16, b)
    assert run("TT pr=0:8 a=sbuf:bf16:0 b=sbuf:bf16:16 dst=sbuf:bf16:32 len=8 alu=mul", sbuf, psum)[0] == 0
    want = g.f32_to_bf16(g.f32_mul(g.bf16_to_f32(a), g.bf16_to_f32(b)))
    assert np.array_equal(view(sbuf, SB, 32, 8, np.uint16), want)


def test_ts_scalar_registers_and_none():
    sbuf, psum = tile()
    x = rand_f32(P * 8).reshape(P, 8)
    put(sbuf, SB, 0, x)
    regs = [0] * 16
    regs[3] = int(np.float32(2.5).view(np.uint32))
    regs[4] = int(np.float32(-1.0).view(np.uint32))
    assert run("TS pr=0:8 src=sbuf:fp32:0 dst=sbuf:fp32:64 len=8 op0=mul r0=3 op1=max r1=4", sbuf, psum, regs)[0] == 0
    want = g.f32_max(g.f32_mul(x, np.full_like(x, regs[3])), np.full_like(x, regs[4]))
    assert np.array_equal(view(sbuf, SB, 64, 8, np.uint32), want)
    assert run("TS pr=0:8 src=sbuf:fp32:0 dst=sbuf:fp32:64 len=8 op0=add r0=0 op1=none r1=0", sbuf, psum)[0] == 0
    assert np.array_equal(view(sbuf, SB, 64, 8, np.uint32), g.f32_add(x, np.zeros_like(x)))


def test_tred_is_left_to_right_and_neg():
    sbuf, psum = tile()
    x = rand_f32(P * 32).reshape(P, 32)
    put(sbuf, SB, 0, x)
    assert run("TRED pr=0:8 src=sbuf:fp32:0 dst=psum:fp32:8 len=32 op=add neg=1", sbuf, psum)[0] == 0
    acc = x[:, 0].copy()
    for k in range(1, 32):
        acc = g.f32_add(acc, x[:, k])
    want = g.f32_mul(acc, np.full_like(acc, 0xBF800000))
    assert np.array_equal(view(psum, PS, 8, 1, np.uint32)[:, 0], want)


def test_copy_raw_and_converting():
    sbuf, psum = tile()
    x = (RNG.standard_normal(P * 8) * 300).astype(np.float32).reshape(P, 8)
    put(sbuf, SB, 0, x.view(np.uint32))
    assert run("COPY pr=0:8 src=sbuf:fp32:0 dst=psum:fp32:0 len=8", sbuf, psum)[0] == 0
    assert np.array_equal(view(psum, PS, 0, 8, np.float32), x)
    assert run("COPY pr=0:8 src=sbuf:fp32:0 dst=sbuf:bf16:64 len=8", sbuf, psum)[0] == 0
    assert np.array_equal(view(sbuf, SB, 64, 8, np.uint16), g.f32_to_bf16(x.view(np.uint32)))
    assert run("COPY pr=0:8 src=sbuf:fp32:0 dst=sbuf:int8:96 len=8", sbuf, psum)[0] == 0
    assert np.array_equal(view(sbuf, SB, 96, 8, np.int8), np.clip(np.rint(x), -128, 127).astype(np.int8))


def test_memset_and_iota():
    sbuf, psum = tile()
    regs = [0] * 16
    regs[7] = 0xDEADBEEF
    assert run("MEMSET pr=1:3 dst=sbuf:bf16:0 len=5 r=7", sbuf, psum, regs)[0] == 0
    assert np.all(view(sbuf, SB, 0, 5, np.uint16)[1:4] == 0xBEEF)
    assert run("IOTA pr=0:8 dst=sbuf:fp32:128 len=6 base=-3 pmul=100 fmul=-2", sbuf, psum)[0] == 0
    p, f = np.meshgrid(np.arange(P), np.arange(6), indexing="ij")
    assert np.array_equal(view(sbuf, SB, 128, 6, np.float32), (-3 + 100 * p - 2 * f).astype(np.float32))


def test_act_scale_bias_relu_rounds_after_each_step():
    sbuf, psum = tile()
    x = rand_f32(P * 8).reshape(P, 8)
    put(psum, PS, 0, x)
    regs = [0] * 16
    regs[1] = int(np.float32(0.1).view(np.uint32))
    regs[2] = int(np.float32(-0.25).view(np.uint32))
    assert run("ACT pr=0:8 src=psum:fp32:0 dst=sbuf:bf16:0 len=8 func=relu scale_r=1 bias_r=2", sbuf, psum, regs)[0] == 0
    y = g.f32_add(g.f32_mul(x, np.full_like(x, regs[1])), np.full_like(x, regs[2]))
    y = np.where((y >> 31) == 1, 0, y).astype(np.uint32)  # relu on ordinary values
    assert np.array_equal(view(sbuf, SB, 0, 8, np.uint16), g.f32_to_bf16(y))


@pytest.mark.parametrize(
    "line, code",
    [
        ("COPY pr=5:4 src=sbuf:fp32:0 dst=sbuf:fp32:64 len=4", 0x05),          # partitions 5..8 of 0..7
        ("COPY pr=0:1 src=sbuf:fp32:1012 dst=sbuf:fp32:64 len=4", 0x06),       # one element past SBUF
        ("COPY pr=0:1 src=sbuf:fp32:0 dst=psum:fp32:500 len=4", 0x07),         # one element past PSUM
        ("COPY pr=0:1 src=sbuf:fp32:2 dst=sbuf:fp32:64 len=1", 0x08),          # misaligned
        ("COPY pr=0:1 src=sbuf:5:0 dst=sbuf:fp32:64 len=1", 0x04),             # reserved dtype
        ("COPY pr=0:1 src=sbuf:fp32:0 dst=psum:bf16:0 len=1", 0x04),           # PSUM holds FP32/INT32 only
        ("TT pr=0:1 a=psum:fp32:0 b=psum:fp32:0 dst=sbuf:fp32:0 len=1 alu=add", 0x04),  # a and b both PSUM
        ("TT pr=0:1 a=sbuf:fp32:0 b=sbuf:fp32:0 dst=sbuf:fp32:0 len=1 alu=and", 0x04),  # AND in FP32
        ("TT pr=0:1 a=sbuf:fp32:0 b=sbuf:fp32:0 dst=sbuf:fp32:0 len=1 alu=9", 0x03),    # reserved ALU code
        ("ACT pr=0:1 src=sbuf:fp32:0 dst=sbuf:fp32:0 len=1 func=7 scale_r=0 bias_r=0", 0x03),
        ("SEM sem=1 op=add imm=1", 0x01),                                      # not a vector instruction
    ],
)
def test_errors_are_reported_and_nothing_is_written(line, code):
    sbuf, psum = tile()
    s0, p0 = sbuf.copy(), psum.copy()
    err, _where = run(line, sbuf, psum)
    assert err == code
    assert np.array_equal(sbuf, s0) and np.array_equal(psum, p0)


def test_operands_may_end_exactly_at_the_partition_end():
    sbuf, psum = tile()
    assert run("COPY pr=4:4 src=sbuf:fp32:1008 dst=psum:fp32:496 len=4", sbuf, psum) == (0, 0)
