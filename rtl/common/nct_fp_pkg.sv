// Bit-exact arithmetic of the NCT tile (tile.md "Numerics") as synthesizable, purely
// combinational functions: FP32 add/sub/mul/max/min/relu, the BF16 x BF16 PE product and
// the BF16/FP32/INT32/INT8 conversions. The reference is the C++ library ncv::num
// (models/golden/include/ncv/golden/numerics.h); tb/unit/fp checks every function against
// it bit for bit.
//
// Rules: a subnormal input reads as zero of its sign (DAZ); a result whose magnitude,
// rounded to the destination precision with an unbounded exponent, is below 2^-126 becomes
// zero of its sign (FTZ); any NaN input, Inf - Inf and 0 * Inf give the canonical quiet NaN;
// rounding is to nearest, ties to even; overflow gives a signed infinity.
//
// Structure: each operation produces an exact or sticky-compressed significand, normalises
// it (one leading-zero count where cancellation can occur) and hands it to f32_round_pack,
// the single FP32 rounding point (RNE with an unbounded exponent, then FTZ and overflow).
// The BF16 product is exact (8 x 8 bits) and needs no rounding; FP32 -> BF16 and
// FP32 -> INT32 round in place.
package nct_fp_pkg;

  localparam logic [31:0] F32_QNAN    = 32'h7FC0_0000;
  localparam logic [15:0] BF16_QNAN   = 16'h7FC0;
  localparam logic [30:0] F32_INF_MAG = 31'h7F80_0000;
  localparam logic [31:0] I32_MAX     = 32'h7FFF_FFFF;
  localparam logic [31:0] I32_MIN     = 32'h8000_0000;

  // Biased exponents before range checks: wide enough for products and cancellations.
  typedef logic signed [9:0] fp_exp_t;

  // ---------------------------------------------------------------------------------------
  // Classification

  // The classifiers take only the bits they look at: the magnitude (exponent and fraction)
  // or the biased exponent.
  function automatic logic f32_is_nan(logic [30:0] mag);
    return (mag[30:23] == 8'hFF) && (mag[22:0] != 23'h0);
  endfunction

  function automatic logic f32_is_inf(logic [30:0] mag);
    return (mag[30:23] == 8'hFF) && (mag[22:0] == 23'h0);
  endfunction

  // Zero after DAZ (a zero or a subnormal), from the biased exponent.
  function automatic logic f32_is_zero_daz(logic [7:0] exp);
    return exp == 8'h00;
  endfunction

  function automatic logic bf16_is_nan(logic [14:0] mag);
    return (mag[14:7] == 8'hFF) && (mag[6:0] != 7'h0);
  endfunction

  // DAZ: a subnormal reads as zero of its sign.
  function automatic logic [31:0] f32_daz(logic [31:0] x);
    return f32_is_zero_daz(x[30:23]) ? {x[31], 31'h0} : x;
  endfunction

  // Leading zeros of a 32-bit value (32 for zero).
  function automatic logic [5:0] lzc32(logic [31:0] v);
    logic [5:0] n;
    n = 6'd32;
    // The highest set bit is the last one assigned.
    for (int unsigned i = 0; i < 32; i++) begin
      if (v[i]) n = 6'(31 - i);
    end
    return n;
  endfunction

  // ---------------------------------------------------------------------------------------
  // The FP32 rounding point. `sig` is a significand with its MSB set, `exp` the biased
  // exponent of that MSB (any value: the range checks come after rounding), `guard` the
  // next lower bit and `sticky` the OR of everything below it. Rounds to nearest even with
  // an unbounded exponent, then flushes below 2^-126 and overflows above the largest finite.
  function automatic logic [31:0] f32_round_pack(logic sign, fp_exp_t exp, logic [23:0] sig,
                                                 logic guard, logic sticky);
    logic [24:0] rounded;
    logic [22:0] frac;
    fp_exp_t     e;
    logic [31:0] res;
    rounded = {1'b0, sig} + {24'h0, guard & (sticky | sig[0])};
    // A carry out of the significand (1.11...1 rounded up) renormalises by one bit.
    e = rounded[24] ? exp + fp_exp_t'(1) : exp;
    frac = rounded[24] ? rounded[23:1] : rounded[22:0];
    if (e < fp_exp_t'(1)) begin
      res = {sign, 31'h0};
    end else if (e > fp_exp_t'(254)) begin
      res = {sign, F32_INF_MAG};
    end else begin
      res = {sign, e[7:0], frac};
    end
    return res;
  endfunction

  // ---------------------------------------------------------------------------------------
  // FP32 arithmetic

  // Addition. Operands are ordered by magnitude; the smaller one is aligned to the larger
  // with a guard and a round bit and the rest folded into a sticky bit (the sticky position
  // is never a real bit, so a sum or difference is never mistaken for an exact tie).
  // Cancellation is exact (alignment of at most one bit) and renormalised by a leading-zero
  // count.
  function automatic logic [31:0] f32_add(logic [31:0] a_in, logic [31:0] b_in);
    logic [31:0] a, b, x, y, res;
    logic [7:0]  d;
    logic [4:0]  sh;
    logic [49:0] y_shifted;
    logic [27:0] xs, ys, r, n;
    logic [5:0]  lz;
    fp_exp_t     e;
    a = f32_daz(a_in);
    b = f32_daz(b_in);
    // |x| >= |y|; on equal magnitudes x is a.
    if (a[30:0] >= b[30:0]) begin
      x = a;
      y = b;
    end else begin
      x = b;
      y = a;
    end
    d  = x[30:23] - y[30:23];
    // Beyond 26 bits of distance only the sticky bit remains.
    sh = (d > 8'd31) ? 5'd31 : d[4:0];
    y_shifted = {1'b1, y[22:0], 26'h0} >> sh;
    // [27] carry, [26:3] significand, [2] guard, [1] round, [0] sticky.
    xs = {1'b0, 1'b1, x[22:0], 3'b000};
    ys = {1'b0, y_shifted[49:24], |y_shifted[23:0]};
    r  = (x[31] == y[31]) ? xs + ys : xs - ys;
    lz = lzc32({r, 4'hF});
    n  = r << lz;
    e  = fp_exp_t'({2'b00, x[30:23]}) + fp_exp_t'(1) - fp_exp_t'({4'h0, lz});
    if (f32_is_nan(a_in[30:0]) || f32_is_nan(b_in[30:0])) begin
      res = F32_QNAN;
    end else if (f32_is_inf(a[30:0]) && f32_is_inf(b[30:0]) && (a[31] != b[31])) begin
      res = F32_QNAN;  // Inf - Inf
    end else if (f32_is_inf(a[30:0])) begin
      res = a;
    end else if (f32_is_inf(b[30:0])) begin
      res = b;
    end else if (f32_is_zero_daz(a[30:23]) && f32_is_zero_daz(b[30:23])) begin
      res = {a[31] & b[31], 31'h0};  // -0 only if both are -0
    end else if (f32_is_zero_daz(a[30:23])) begin
      res = b;
    end else if (f32_is_zero_daz(b[30:23])) begin
      res = a;
    end else if (r == 28'h0) begin
      res = 32'h0;  // exact cancellation gives +0 when rounding to nearest
    end else begin
      res = f32_round_pack(x[31], e, n[27:4], n[3], |n[2:0]);
    end
    return res;
  endfunction

  function automatic logic [31:0] f32_sub(logic [31:0] a, logic [31:0] b);
    // A NaN b stays a NaN whatever its sign, so the sign flip needs no NaN check.
    return f32_add(a, {~b[31], b[30:0]});
  endfunction

  // Multiplication: the 48-bit significand product is exact; one normalisation step, then
  // the rounding point.
  function automatic logic [31:0] f32_mul(logic [31:0] a_in, logic [31:0] b_in);
    logic [31:0] a, b, res;
    logic        s;
    logic [47:0] p;
    fp_exp_t     e;
    a = f32_daz(a_in);
    b = f32_daz(b_in);
    s = a[31] ^ b[31];
    p = 48'({1'b1, a[22:0]}) * 48'({1'b1, b[22:0]});
    e = fp_exp_t'({2'b00, a[30:23]}) + fp_exp_t'({2'b00, b[30:23]}) - fp_exp_t'(127)
        + fp_exp_t'({9'h0, p[47]});
    if (f32_is_nan(a_in[30:0]) || f32_is_nan(b_in[30:0])) begin
      res = F32_QNAN;
    end else if ((f32_is_inf(a[30:0]) && f32_is_zero_daz(b[30:23])) ||
                 (f32_is_inf(b[30:0]) && f32_is_zero_daz(a[30:23]))) begin
      res = F32_QNAN;  // 0 * Inf
    end else if (f32_is_inf(a[30:0]) || f32_is_inf(b[30:0])) begin
      res = {s, F32_INF_MAG};
    end else if (f32_is_zero_daz(a[30:23]) || f32_is_zero_daz(b[30:23])) begin
      res = {s, 31'h0};
    end else if (p[47]) begin
      res = f32_round_pack(s, e, p[47:24], p[23], |p[22:0]);
    end else begin
      res = f32_round_pack(s, e, p[46:23], p[22], |p[21:0]);
    end
    return res;
  endfunction

  // a < b on non-NaN values after DAZ, with -0 < +0.
  function automatic logic f32_less(logic [31:0] a, logic [31:0] b);
    logic lt;
    if (a[31] != b[31]) begin
      lt = a[31];
    end else if (a[31]) begin
      lt = a[30:0] > b[30:0];
    end else begin
      lt = a[30:0] < b[30:0];
    end
    return lt;
  endfunction

  // NaN if either input is NaN; on equal values the result is a (after DAZ).
  function automatic logic [31:0] f32_max(logic [31:0] a_in, logic [31:0] b_in);
    logic [31:0] a, b;
    a = f32_daz(a_in);
    b = f32_daz(b_in);
    return (f32_is_nan(a_in[30:0]) || f32_is_nan(b_in[30:0])) ? F32_QNAN : (f32_less(a, b) ? b : a);
  endfunction

  function automatic logic [31:0] f32_min(logic [31:0] a_in, logic [31:0] b_in);
    logic [31:0] a, b;
    a = f32_daz(a_in);
    b = f32_daz(b_in);
    return (f32_is_nan(a_in[30:0]) || f32_is_nan(b_in[30:0])) ? F32_QNAN : (f32_less(b, a) ? b : a);
  endfunction

  // x > 0 ? x : +0; RELU(-0) = +0, RELU(NaN) = NaN (canonical).
  function automatic logic [31:0] f32_relu(logic [31:0] x);
    logic [31:0] res;
    if (f32_is_nan(x[30:0])) begin
      res = F32_QNAN;
    end else if (x[31] || f32_is_zero_daz(x[30:23])) begin
      res = 32'h0;
    end else begin
      res = x;
    end
    return res;
  endfunction

  // ---------------------------------------------------------------------------------------
  // PE product: BF16 x BF16 in FP32. The 8 x 8-bit significand product fits in FP32's 24
  // bits, so it is exact: no rounding, only FTZ and overflow. Equals
  // f32_mul(bf16_to_f32(a), bf16_to_f32(b)).
  function automatic logic [31:0] pe_mul_bf16(logic [15:0] a, logic [15:0] b);
    logic        s, a_zero, b_zero, a_inf, b_inf;
    logic [15:0] p;
    logic [22:0] frac;
    fp_exp_t     e;
    logic [31:0] res;
    s      = a[15] ^ b[15];
    a_zero = a[14:7] == 8'h00;
    b_zero = b[14:7] == 8'h00;
    a_inf  = (a[14:7] == 8'hFF) && (a[6:0] == 7'h0);
    b_inf  = (b[14:7] == 8'hFF) && (b[6:0] == 7'h0);
    p = 16'({1'b1, a[6:0]}) * 16'({1'b1, b[6:0]});
    e = fp_exp_t'({2'b00, a[14:7]}) + fp_exp_t'({2'b00, b[14:7]}) - fp_exp_t'(127)
        + fp_exp_t'({9'h0, p[15]});
    frac = p[15] ? {p[14:0], 8'h0} : {p[13:0], 9'h0};
    if (bf16_is_nan(a[14:0]) || bf16_is_nan(b[14:0])) begin
      res = F32_QNAN;
    end else if ((a_inf && b_zero) || (b_inf && a_zero)) begin
      res = F32_QNAN;  // 0 * Inf
    end else if (a_inf || b_inf) begin
      res = {s, F32_INF_MAG};
    end else if (a_zero || b_zero || (e < fp_exp_t'(1))) begin
      res = {s, 31'h0};  // zero, DAZ or FTZ
    end else if (e > fp_exp_t'(254)) begin
      res = {s, F32_INF_MAG};
    end else begin
      res = {s, e[7:0], frac};
    end
    return res;
  endfunction

  // ---------------------------------------------------------------------------------------
  // Conversions

  // BF16 -> FP32: exact (DAZ, NaN canonical).
  function automatic logic [31:0] bf16_to_f32(logic [15:0] x);
    logic [31:0] res;
    if (bf16_is_nan(x[14:0])) begin
      res = F32_QNAN;
    end else if (x[14:7] == 8'h00) begin
      res = {x[15], 31'h0};
    end else begin
      res = {x, 16'h0};
    end
    return res;
  endfunction

  // FP32 -> BF16: round the low 16 bits away to nearest even. A normal input cannot fall
  // below the smallest normal; a carry from the largest finite values reaches the Inf
  // encoding exactly.
  function automatic logic [15:0] f32_to_bf16(logic [31:0] x);
    logic [14:0] mag;
    logic [15:0] res;
    mag = x[30:16] + 15'({x[15] & ((x[14:0] != 15'h0) | x[16])});
    if (f32_is_nan(x[30:0])) begin
      res = BF16_QNAN;
    end else if (f32_is_zero_daz(x[30:23])) begin
      res = {x[31], 15'h0};
    end else if (f32_is_inf(x[30:0])) begin
      res = x[31:16];
    end else begin
      res = {x[31], mag};
    end
    return res;
  endfunction

  // INT32 -> FP32: normalise the magnitude with a leading-zero count, then the rounding
  // point (the magnitude is at most 2^31, so no range check triggers).
  function automatic logic [31:0] i32_to_f32(logic [31:0] x);
    logic [31:0] mag, n;
    logic [5:0]  lz;
    logic [31:0] res;
    mag = x[31] ? (~x + 32'h1) : x;  // |INT32_MIN| = 2^31 fits unsigned
    lz  = lzc32(mag);
    n   = mag << lz;
    if (mag == 32'h0) begin
      res = 32'h0;
    end else begin
      res = f32_round_pack(x[31], fp_exp_t'(158) - fp_exp_t'({4'h0, lz}), n[31:8], n[7], |n[6:0]);
    end
    return res;
  endfunction

  // FP32 -> INT32: round to the nearest integer (ties to even), saturate; NaN gives 0.
  // For biased exponents 126..157 the significand is placed as a fixed-point number with
  // 25 fraction bits: integer part, guard bit and sticky bits.
  function automatic logic [31:0] f32_to_i32(logic [31:0] x);
    logic [4:0]  rs;
    logic [55:0] z;
    logic [30:0] ip, mag;
    logic [31:0] res;
    rs  = 5'(8'd157 - x[30:23]);
    z   = {1'b1, x[22:0], 32'h0} >> rs;
    ip  = z[55:25];
    mag = ip + 31'({z[24] & ((z[23:0] != 24'h0) | ip[0])});
    if (f32_is_nan(x[30:0])) begin
      res = 32'h0;
    end else if (x[30:23] >= 8'd158) begin
      res = x[31] ? I32_MIN : I32_MAX;  // |x| >= 2^31 or Inf
    end else if (x[30:23] < 8'd126) begin
      res = 32'h0;  // |x| < 0.5, zeros and subnormals
    end else begin
      res = x[31] ? (~{1'b0, mag} + 32'h1) : {1'b0, mag};
    end
    return res;
  endfunction

  // INT32 -> INT8: saturate.
  function automatic logic [7:0] i32_to_i8(logic [31:0] x);
    logic [7:0] res;
    if ($signed(x) > 32'sd127) begin
      res = 8'h7F;
    end else if ($signed(x) < -32'sd128) begin
      res = 8'h80;
    end else begin
      res = x[7:0];
    end
    return res;
  endfunction

endpackage
