// Vector and activation engine of the NCT tile: one module with every vector opcode, used
// for ACT (queue 2: ACT, COPY) and DVE (queue 3: TT, TS, TRED, COPY, MEMSET, IOTA).
//
// The queue hands over one checked, legal instruction with a one-cycle start_i (only while
// busy_o is low) and the scalar registers it resolved: rs0_i/rs1_i = ACT R[scale_r]/R[bias_r],
// TS R[r0]/R[r1], MEMSET R[r] (rs1_i unused). Range, alignment and dtype errors are found
// before issue, so the engine has no error output.
//
// Timing (docs/tile-rtl.md "nct_vec"): the instruction is latched at the start edge; then
// element f of every active lane (partition) is processed in cycle f + 1 after start, so an
// instruction of len elements keeps busy_o high for exactly len cycles. done_o is high in the
// cycle of the last write (the bytes are in memory after that clock edge). TRED accumulates
// per lane and writes dst element 0 in its last cycle. A register field of 0 reads as 0 here
// too (ACT: scale 1.0). A non-vector opcode (never issued) retires after one cycle, writing
// nothing.
//
// Datapath (one copy per lane, combinational): read element f from the memories'
// combinational read ports, convert to the compute type (INT32 when every operand and the
// destination are integer dtypes, else FP32; ACT always FP32), up to two ALU operations
// (TT: a op b; TS: (x op0 R[r0]) op1 R[r1]; ACT: x * scale + bias, then RELU), convert to
// the destination dtype and write element f at the clock edge of the same cycle. Reading
// and writing element f in one cycle gives the golden model's sequential element order
// when source and destination overlap. COPY between equal dtypes and MEMSET write raw bits.
// Every floating-point operation comes from nct_fp_pkg.

module nct_vec
  import nct_isa_pkg::*;
#(
  parameter int unsigned P          = 4,
  parameter int unsigned SBUF_WORDS = 1024,  // 32-bit words per SBUF partition
  parameter int unsigned PSUM_WORDS = 256,   // 32-bit words per PSUM partition
  localparam int unsigned SAW       = $clog2(SBUF_WORDS),
  localparam int unsigned PAW       = $clog2(PSUM_WORDS)
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  input  logic                 start_i,
  input  logic [127:0]         instr_i,
  input  logic [31:0]          rs0_i,
  input  logic [31:0]          rs1_i,
  output logic                 busy_o,
  output logic                 done_o,

  // SBUF read port A (operand a / src) and B (operand b)
  output logic [SAW-1:0]       sb_ra_addr_o,
  input  logic [P-1:0][31:0]   sb_ra_data_i,
  output logic [SAW-1:0]       sb_rb_addr_o,
  input  logic [P-1:0][31:0]   sb_rb_data_i,
  // PSUM read port A (operand a / src) and B (operand b)
  output logic [PAW-1:0]       ps_ra_addr_o,
  input  logic [P-1:0][31:0]   ps_ra_data_i,
  output logic [PAW-1:0]       ps_rb_addr_o,
  input  logic [P-1:0][31:0]   ps_rb_data_i,

  // SBUF write port
  output logic [P-1:0]         sb_we_o,
  output logic [SAW-1:0]       sb_waddr_o,
  output logic [3:0]           sb_wbe_o,
  output logic [P-1:0][31:0]   sb_wdata_o,
  // PSUM write port
  output logic [P-1:0]         ps_we_o,
  output logic [PAW-1:0]       ps_waddr_o,
  output logic [3:0]           ps_wbe_o,
  output logic [P-1:0][31:0]   ps_wdata_o
);

  // Field widths (every operand, PR and len field has the same width in every opcode).
  localparam int unsigned OFF_W = TT_A_OFF_W;
  localparam int unsigned DT_W  = TT_A_DTYPE_W;
  localparam int unsigned LEN_W = TT_LEN_W;
  localparam int unsigned PS_W  = TT_PR_P_START_W;
  localparam int unsigned PC_W  = TT_PR_P_CNT_W;
  localparam int unsigned ALU_W = TT_ALU_W;
  localparam int unsigned IMM_W = IOTA_BASE_W;
  // Byte address inside a partition (wide enough for SBUF and PSUM) and element counter.
  localparam int unsigned BAW   = ((SAW > PAW) ? SAW : PAW) + 2;
  localparam int unsigned CNT_W = LEN_W + 1;
  // Lane index width for the partition range compare (p_start + p_cnt + 1 <= 2^PS_W).
  localparam int unsigned LIW   = PS_W + 1;

  localparam logic [31:0] F32_ONE     = 32'h3F80_0000;
  localparam logic [31:0] F32_NEG_ONE = 32'hBF80_0000;

  localparam logic [DT_W-1:0]  DT_BF16  = DT_W'(DTYPE_BF16);
  localparam logic [DT_W-1:0]  DT_INT8  = DT_W'(DTYPE_INT8);
  localparam logic [DT_W-1:0]  DT_INT32 = DT_W'(DTYPE_INT32);
  localparam logic [ALU_W-1:0] A_ADD    = ALU_W'(ALU_ADD);
  localparam logic [ALU_W-1:0] A_SUB    = ALU_W'(ALU_SUB);
  localparam logic [ALU_W-1:0] A_MUL    = ALU_W'(ALU_MUL);
  localparam logic [ALU_W-1:0] A_MAX    = ALU_W'(ALU_MAX);
  localparam logic [ALU_W-1:0] A_MIN    = ALU_W'(ALU_MIN);
  localparam logic [ALU_W-1:0] A_AND    = ALU_W'(ALU_AND);
  localparam logic [ALU_W-1:0] A_OR     = ALU_W'(ALU_OR);
  localparam logic [ALU_W-1:0] A_XOR    = ALU_W'(ALU_XOR);
  localparam logic [ALU_W-1:0] A_NONE   = ALU_W'(ALU_NONE);

  // What a lane writes.
  typedef enum logic [2:0] {
    KIND_ALU    = 3'd0,  // TT, TS, ACT, converting COPY: converted ALU result per element
    KIND_TRED   = 3'd1,  // reduction: accumulate, write dst element 0 in the last cycle
    KIND_RAW    = 3'd2,  // COPY between equal dtypes: the source bits
    KIND_MEMSET = 3'd3,  // the low bytes of R[r]
    KIND_IOTA   = 3'd4   // base + p * pmul + f * fmul, converted from INT32
  } kind_e;

  // Everything the engine latches at start.
  typedef struct packed {
    kind_e             kind;
    logic              b_opnd;   // TT: the second operand is b (else the scalar s0)
    logic              ic;       // INT32 compute (else FP32)
    logic [ALU_W-1:0]  op0;      // first operation: x op0 (b or s0); TRED: acc op0 x
    logic [ALU_W-1:0]  op1;      // second operation: _ op1 s1 (NONE: pass)
    logic              relu;     // ACT RELU
    logic              a_mem;    // 0 SBUF, 1 PSUM
    logic [DT_W-1:0]   a_dt;
    logic              b_mem;
    logic [DT_W-1:0]   b_dt;
    logic              d_mem;
    logic [DT_W-1:0]   d_dt;
    logic [31:0]       s0;       // TS R[r0], ACT scale, MEMSET R[r]
    logic [31:0]       s1;       // TS R[r1], ACT bias
    logic [31:0]       pmul;     // IOTA pmul, sign-extended
    logic [31:0]       fmul;     // IOTA fmul, sign-extended
    logic [P-1:0]      lane_en;  // partitions p_start .. p_start + p_cnt
  } cfg_t;

  // ---------------------------------------------------------------------------------------
  // Element helpers

  function automatic logic is_int(logic [DT_W-1:0] dt);
    return (dt == DT_INT8) || (dt == DT_INT32);
  endfunction

  // Element size in bytes (legal dtypes only).
  function automatic logic [2:0] dt_bytes(logic [DT_W-1:0] dt);
    logic [2:0] n;
    if (dt == DT_INT8) begin
      n = 3'd1;
    end else if (dt == DT_BF16) begin
      n = 3'd2;
    end else begin
      n = 3'd4;
    end
    return n;
  endfunction

  // Byte enables of an element at byte address bits [1:0] (aligned to its size).
  function automatic logic [3:0] dt_be(logic [DT_W-1:0] dt, logic [1:0] boff);
    logic [3:0] be;
    if (dt == DT_INT8) begin
      be = 4'b0001 << boff;
    end else if (dt == DT_BF16) begin
      be = boff[1] ? 4'b1100 : 4'b0011;
    end else begin
      be = 4'b1111;
    end
    return be;
  endfunction

  // Element bits (right-aligned) repeated over a word; the byte enables pick the lane.
  function automatic logic [31:0] dt_replicate(logic [31:0] e, logic [DT_W-1:0] dt);
    logic [31:0] w;
    if (dt == DT_INT8) begin
      w = {4{e[7:0]}};
    end else if (dt == DT_BF16) begin
      w = {2{e[15:0]}};
    end else begin
      w = e;
    end
    return w;
  endfunction

  // Element bits (right-aligned) to a value of the compute type.
  function automatic logic [31:0] load_cvt(logic [31:0] raw, logic [DT_W-1:0] dt, logic ic);
    logic [31:0] v;
    if (dt == DT_BF16) begin
      v = nct_fp_pkg::bf16_to_f32(raw[15:0]);
    end else if (dt == DT_INT8) begin
      v = {{24{raw[7]}}, raw[7:0]};
      if (!ic) v = nct_fp_pkg::i32_to_f32(v);
    end else if (dt == DT_INT32) begin
      v = ic ? raw : nct_fp_pkg::i32_to_f32(raw);
    end else begin
      v = raw;  // FP32
    end
    return v;
  endfunction

  // A value of the compute type to element bits (right-aligned). INT32 compute to BF16
  // converts INT32 -> FP32 -> BF16 (two roundings, decision 0004).
  function automatic logic [31:0] store_cvt(logic [31:0] v, logic [DT_W-1:0] dt, logic ic);
    logic [31:0] e, f;
    f = ic ? nct_fp_pkg::i32_to_f32(v) : v;
    if (dt == DT_BF16) begin
      e = {16'h0, nct_fp_pkg::f32_to_bf16(f)};
    end else if (dt == DT_INT8) begin
      e = {24'h0, nct_fp_pkg::i32_to_i8(ic ? v : nct_fp_pkg::f32_to_i32(v))};
    end else if (dt == DT_INT32) begin
      e = ic ? v : nct_fp_pkg::f32_to_i32(v);
    end else begin
      e = f;  // FP32
    end
    return e;
  endfunction

  // One ALU operation in the compute type; NONE (and any code the compute type does not
  // have, never issued) passes a.
  function automatic logic [31:0] alu(logic [ALU_W-1:0] op, logic [31:0] a, logic [31:0] b, logic ic);
    logic [31:0] r;
    if (ic) begin
      unique case (op)
        A_ADD:   r = a + b;
        A_SUB:   r = a - b;
        A_MUL:   r = a * b;  // low 32 bits
        A_MAX:   r = ($signed(a) > $signed(b)) ? a : b;
        A_MIN:   r = ($signed(a) < $signed(b)) ? a : b;
        A_AND:   r = a & b;
        A_OR:    r = a | b;
        A_XOR:   r = a ^ b;
        default: r = a;
      endcase
    end else begin
      unique case (op)
        // One adder for ADD and SUB: f32_sub(a, b) is f32_add(a, -b).
        A_ADD, A_SUB: r = nct_fp_pkg::f32_add(a, {b[31] ^ (op == A_SUB), b[30:0]});
        A_MUL:   r = nct_fp_pkg::f32_mul(a, b);
        A_MAX:   r = nct_fp_pkg::f32_max(a, b);
        A_MIN:   r = nct_fp_pkg::f32_min(a, b);
        default: r = a;
      endcase
    end
    return r;
  endfunction

  // ---------------------------------------------------------------------------------------
  // Decode (from instr_i, latched at start)

  logic [OPCODE_W-1:0] opcode;
  assign opcode = instr_i[OPCODE_LSB +: OPCODE_W];

  cfg_t             dec;
  logic [PS_W-1:0]  dec_p_start;
  logic [PC_W-1:0]  dec_p_cnt;
  logic [OFF_W-1:0] dec_a_off, dec_b_off, dec_d_off;
  logic [LEN_W-1:0] dec_len;
  logic [IMM_W-1:0] dec_base;
  logic             dec_vec;  // a vector opcode

  always_comb begin
    dec_vec     = 1'b1;
    dec         = '0;
    dec.kind    = KIND_ALU;
    dec.op0     = A_NONE;
    dec.op1     = A_NONE;
    dec_p_start = '0;
    dec_p_cnt   = '0;
    dec_a_off   = '0;
    dec_b_off   = '0;
    dec_d_off   = '0;
    dec_len     = '0;
    dec_base    = '0;
    unique case (opcode)
      OP_TT: begin
        dec_p_start = instr_i[TT_PR_P_START_LSB +: TT_PR_P_START_W];
        dec_p_cnt   = instr_i[TT_PR_P_CNT_LSB +: TT_PR_P_CNT_W];
        dec.a_mem   = instr_i[TT_A_MEM_LSB];
        dec.a_dt    = instr_i[TT_A_DTYPE_LSB +: TT_A_DTYPE_W];
        dec_a_off   = instr_i[TT_A_OFF_LSB +: TT_A_OFF_W];
        dec.b_mem   = instr_i[TT_B_MEM_LSB];
        dec.b_dt    = instr_i[TT_B_DTYPE_LSB +: TT_B_DTYPE_W];
        dec_b_off   = instr_i[TT_B_OFF_LSB +: TT_B_OFF_W];
        dec.d_mem   = instr_i[TT_DST_MEM_LSB];
        dec.d_dt    = instr_i[TT_DST_DTYPE_LSB +: TT_DST_DTYPE_W];
        dec_d_off   = instr_i[TT_DST_OFF_LSB +: TT_DST_OFF_W];
        dec_len     = instr_i[TT_LEN_LSB +: TT_LEN_W];
        dec.op0     = instr_i[TT_ALU_LSB +: TT_ALU_W];
        dec.b_opnd  = 1'b1;
        dec.ic      = is_int(dec.a_dt) && is_int(dec.b_dt) && is_int(dec.d_dt);
      end
      OP_TS: begin
        dec_p_start = instr_i[TS_PR_P_START_LSB +: TS_PR_P_START_W];
        dec_p_cnt   = instr_i[TS_PR_P_CNT_LSB +: TS_PR_P_CNT_W];
        dec.a_mem   = instr_i[TS_SRC_MEM_LSB];
        dec.a_dt    = instr_i[TS_SRC_DTYPE_LSB +: TS_SRC_DTYPE_W];
        dec_a_off   = instr_i[TS_SRC_OFF_LSB +: TS_SRC_OFF_W];
        dec.d_mem   = instr_i[TS_DST_MEM_LSB];
        dec.d_dt    = instr_i[TS_DST_DTYPE_LSB +: TS_DST_DTYPE_W];
        dec_d_off   = instr_i[TS_DST_OFF_LSB +: TS_DST_OFF_W];
        dec_len     = instr_i[TS_LEN_LSB +: TS_LEN_W];
        dec.op0     = instr_i[TS_OP0_LSB +: TS_OP0_W];
        dec.op1     = instr_i[TS_OP1_LSB +: TS_OP1_W];
        // R0 reads as 0 (the queue resolves it so too).
        dec.s0      = (instr_i[TS_R0_LSB +: TS_R0_W] == '0) ? 32'h0 : rs0_i;
        dec.s1      = (instr_i[TS_R1_LSB +: TS_R1_W] == '0) ? 32'h0 : rs1_i;
        dec.ic      = is_int(dec.a_dt) && is_int(dec.d_dt);
      end
      OP_ACT: begin
        dec_p_start = instr_i[ACT_PR_P_START_LSB +: ACT_PR_P_START_W];
        dec_p_cnt   = instr_i[ACT_PR_P_CNT_LSB +: ACT_PR_P_CNT_W];
        dec.a_mem   = instr_i[ACT_SRC_MEM_LSB];
        dec.a_dt    = instr_i[ACT_SRC_DTYPE_LSB +: ACT_SRC_DTYPE_W];
        dec_a_off   = instr_i[ACT_SRC_OFF_LSB +: ACT_SRC_OFF_W];
        dec.d_mem   = instr_i[ACT_DST_MEM_LSB];
        dec.d_dt    = instr_i[ACT_DST_DTYPE_LSB +: ACT_DST_DTYPE_W];
        dec_d_off   = instr_i[ACT_DST_OFF_LSB +: ACT_DST_OFF_W];
        dec_len     = instr_i[ACT_LEN_LSB +: ACT_LEN_W];
        // func(mul(x, scale) + bias), always in FP32; no fused multiply-add.
        dec.op0     = A_MUL;
        dec.op1     = A_ADD;
        dec.s0      = (instr_i[ACT_SCALE_R_LSB +: ACT_SCALE_R_W] == '0) ? F32_ONE : rs0_i;
        dec.s1      = (instr_i[ACT_BIAS_R_LSB +: ACT_BIAS_R_W] == '0) ? 32'h0 : rs1_i;
        dec.relu    = instr_i[ACT_FUNC_LSB +: ACT_FUNC_W] == ACT_FUNC_W'(FUNC_RELU);
        dec.ic      = 1'b0;
      end
      OP_TRED: begin
        dec_p_start = instr_i[TRED_PR_P_START_LSB +: TRED_PR_P_START_W];
        dec_p_cnt   = instr_i[TRED_PR_P_CNT_LSB +: TRED_PR_P_CNT_W];
        dec.a_mem   = instr_i[TRED_SRC_MEM_LSB];
        dec.a_dt    = instr_i[TRED_SRC_DTYPE_LSB +: TRED_SRC_DTYPE_W];
        dec_a_off   = instr_i[TRED_SRC_OFF_LSB +: TRED_SRC_OFF_W];
        dec.d_mem   = instr_i[TRED_DST_MEM_LSB];
        dec.d_dt    = instr_i[TRED_DST_DTYPE_LSB +: TRED_DST_DTYPE_W];
        dec_d_off   = instr_i[TRED_DST_OFF_LSB +: TRED_DST_OFF_W];
        dec_len     = instr_i[TRED_LEN_LSB +: TRED_LEN_W];
        dec.kind    = KIND_TRED;
        unique case (instr_i[TRED_OP_LSB +: TRED_OP_W])
          TRED_OP_W'(REDOP_MAX): dec.op0 = A_MAX;
          TRED_OP_W'(REDOP_MIN): dec.op0 = A_MIN;
          default:               dec.op0 = A_ADD;
        endcase
        dec.ic      = is_int(dec.a_dt) && is_int(dec.d_dt);
        // neg: the result times -1 (FP32: f32_mul by -1.0, so NaN stays canonical and -0
        // and +0 swap; INT32: the low 32 bits of the product, a wrapping negation).
        if (instr_i[TRED_NEG_LSB]) begin
          dec.op1   = A_MUL;
          dec.s1    = dec.ic ? 32'hFFFF_FFFF : F32_NEG_ONE;
        end
      end
      OP_COPY: begin
        dec_p_start = instr_i[COPY_PR_P_START_LSB +: COPY_PR_P_START_W];
        dec_p_cnt   = instr_i[COPY_PR_P_CNT_LSB +: COPY_PR_P_CNT_W];
        dec.a_mem   = instr_i[COPY_SRC_MEM_LSB];
        dec.a_dt    = instr_i[COPY_SRC_DTYPE_LSB +: COPY_SRC_DTYPE_W];
        dec_a_off   = instr_i[COPY_SRC_OFF_LSB +: COPY_SRC_OFF_W];
        dec.d_mem   = instr_i[COPY_DST_MEM_LSB];
        dec.d_dt    = instr_i[COPY_DST_DTYPE_LSB +: COPY_DST_DTYPE_W];
        dec_d_off   = instr_i[COPY_DST_OFF_LSB +: COPY_DST_OFF_W];
        dec_len     = instr_i[COPY_LEN_LSB +: COPY_LEN_W];
        dec.kind    = (dec.a_dt == dec.d_dt) ? KIND_RAW : KIND_ALU;
        dec.ic      = is_int(dec.a_dt) && is_int(dec.d_dt);
      end
      OP_MEMSET: begin
        dec_p_start = instr_i[MEMSET_PR_P_START_LSB +: MEMSET_PR_P_START_W];
        dec_p_cnt   = instr_i[MEMSET_PR_P_CNT_LSB +: MEMSET_PR_P_CNT_W];
        dec.d_mem   = instr_i[MEMSET_DST_MEM_LSB];
        dec.d_dt    = instr_i[MEMSET_DST_DTYPE_LSB +: MEMSET_DST_DTYPE_W];
        dec_d_off   = instr_i[MEMSET_DST_OFF_LSB +: MEMSET_DST_OFF_W];
        dec_len     = instr_i[MEMSET_LEN_LSB +: MEMSET_LEN_W];
        dec.kind    = KIND_MEMSET;
        dec.s0      = (instr_i[MEMSET_R_LSB +: MEMSET_R_W] == '0) ? 32'h0 : rs0_i;
      end
      OP_IOTA: begin
        dec_p_start = instr_i[IOTA_PR_P_START_LSB +: IOTA_PR_P_START_W];
        dec_p_cnt   = instr_i[IOTA_PR_P_CNT_LSB +: IOTA_PR_P_CNT_W];
        dec.d_mem   = instr_i[IOTA_DST_MEM_LSB];
        dec.d_dt    = instr_i[IOTA_DST_DTYPE_LSB +: IOTA_DST_DTYPE_W];
        dec_d_off   = instr_i[IOTA_DST_OFF_LSB +: IOTA_DST_OFF_W];
        dec_len     = instr_i[IOTA_LEN_LSB +: IOTA_LEN_W];
        dec.kind    = KIND_IOTA;
        dec_base    = instr_i[IOTA_BASE_LSB +: IOTA_BASE_W];
        dec.pmul    = 32'($signed(instr_i[IOTA_PMUL_LSB +: IOTA_PMUL_W]));
        dec.fmul    = 32'($signed(instr_i[IOTA_FMUL_LSB +: IOTA_FMUL_W]));
        dec.ic      = 1'b1;  // the value is an INT32
      end
      default: begin
        // Not a vector opcode (never issued here): retires after one cycle, writing nothing.
        dec_vec = 1'b0;
        dec_len = LEN_W'(1);
      end
    endcase
    for (int unsigned p = 0; p < P; p++) begin
      dec.lane_en[p] = dec_vec && (LIW'(p) >= LIW'(dec_p_start)) &&
                       (LIW'(p) <= LIW'(dec_p_start) + LIW'(dec_p_cnt));
    end
  end

  // The sync header (wait_sem, wait_val, post_sem) is the queue's business.
  logic unused_sync;
  assign unused_sync = ^instr_i[OPCODE_LSB-1:POST_SEM_LSB];
  // Offset bits above the partition size are zero in every legal instruction.
  if (BAW < OFF_W) begin : g_off_hi
    logic unused_off_hi;
    assign unused_off_hi = ^{dec_a_off[OFF_W-1:BAW], dec_b_off[OFF_W-1:BAW], dec_d_off[OFF_W-1:BAW]};
  end

  // ---------------------------------------------------------------------------------------
  // Control and per-cycle state

  cfg_t             cfg_d, cfg_q;
  logic             busy_d, busy_q;
  logic             first_d, first_q;   // element 0 (TRED: the accumulator starts with x[0])
  logic [CNT_W-1:0] rem_d, rem_q;       // elements left, including the current one
  logic [BAW-1:0]   a_addr_d, a_addr_q; // byte address of the current element of a/src
  logic [BAW-1:0]   b_addr_d, b_addr_q; // ... of b
  logic [BAW-1:0]   d_addr_d, d_addr_q; // ... of dst
  logic [31:0]      iota_d, iota_q;     // IOTA base + f * fmul
  logic             last;

  assign last   = busy_q && (rem_q == CNT_W'(1));
  assign busy_o = busy_q;
  assign done_o = last;

  always_comb begin
    cfg_d    = cfg_q;
    busy_d   = busy_q;
    first_d  = first_q;
    rem_d    = rem_q;
    a_addr_d = a_addr_q;
    b_addr_d = b_addr_q;
    d_addr_d = d_addr_q;
    iota_d   = iota_q;
    if (busy_q) begin
      busy_d   = !last;
      first_d  = 1'b0;
      rem_d    = rem_q - CNT_W'(1);
      a_addr_d = a_addr_q + BAW'(dt_bytes(cfg_q.a_dt));
      b_addr_d = b_addr_q + BAW'(dt_bytes(cfg_q.b_dt));
      // TRED writes dst element 0 only.
      if (cfg_q.kind != KIND_TRED) d_addr_d = d_addr_q + BAW'(dt_bytes(cfg_q.d_dt));
      iota_d   = iota_q + cfg_q.fmul;
    end else if (start_i) begin
      cfg_d    = dec;
      busy_d   = 1'b1;
      first_d  = 1'b1;
      rem_d    = (dec_len == '0) ? CNT_W'(1 << LEN_W) : CNT_W'(dec_len);
      a_addr_d = BAW'(dec_a_off);
      b_addr_d = BAW'(dec_b_off);
      d_addr_d = BAW'(dec_d_off);
      iota_d   = 32'($signed(dec_base));
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cfg_q    <= '0;
      busy_q   <= 1'b0;
      first_q  <= 1'b0;
      rem_q    <= '0;
      a_addr_q <= '0;
      b_addr_q <= '0;
      d_addr_q <= '0;
      iota_q   <= '0;
    end else begin
      cfg_q    <= cfg_d;
      busy_q   <= busy_d;
      first_q  <= first_d;
      rem_q    <= rem_d;
      a_addr_q <= a_addr_d;
      b_addr_q <= b_addr_d;
      d_addr_q <= d_addr_d;
      iota_q   <= iota_d;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Memory ports: one word address for all lanes

  assign sb_ra_addr_o = a_addr_q[2 +: SAW];
  assign ps_ra_addr_o = a_addr_q[2 +: PAW];
  assign sb_rb_addr_o = b_addr_q[2 +: SAW];
  assign ps_rb_addr_o = b_addr_q[2 +: PAW];
  assign sb_waddr_o   = d_addr_q[2 +: SAW];
  assign ps_waddr_o   = d_addr_q[2 +: PAW];
  assign sb_wbe_o     = dt_be(cfg_q.d_dt, d_addr_q[1:0]);
  assign ps_wbe_o     = sb_wbe_o;

  // A lane writes every element, TRED only in its last cycle.
  logic wr_elem;
  assign wr_elem = busy_q && ((cfg_q.kind != KIND_TRED) || last);

  // ---------------------------------------------------------------------------------------
  // Lanes

  for (genvar p = 0; p < P; p++) begin : g_lane
    logic [31:0] a_raw, b_raw, x, y, t, u, v, elem, acc_d, acc_q;

    always_comb begin
      a_raw = (cfg_q.a_mem ? ps_ra_data_i[p] : sb_ra_data_i[p]) >> {a_addr_q[1:0], 3'b000};
      b_raw = (cfg_q.b_mem ? ps_rb_data_i[p] : sb_rb_data_i[p]) >> {b_addr_q[1:0], 3'b000};
      // Source value in the compute type (IOTA: the INT32 index value, p absolute).
      x = (cfg_q.kind == KIND_IOTA) ? iota_q + 32'(p) * cfg_q.pmul : load_cvt(a_raw, cfg_q.a_dt, cfg_q.ic);
      y = cfg_q.b_opnd ? load_cvt(b_raw, cfg_q.b_dt, cfg_q.ic) : cfg_q.s0;
      // TRED: acc = x[0]; acc = op(acc, x[f]) left to right.
      if (cfg_q.kind == KIND_TRED) begin
        t = first_q ? x : alu(cfg_q.op0, acc_q, x, cfg_q.ic);
      end else begin
        t = alu(cfg_q.op0, x, y, cfg_q.ic);
      end
      acc_d = t;
      // TS: op1 with R[r1]; ACT: + bias; TRED: neg (times -1); else NONE.
      u = alu(cfg_q.op1, t, cfg_q.s1, cfg_q.ic);
      v = cfg_q.relu ? nct_fp_pkg::f32_relu(u) : u;
      unique case (cfg_q.kind)
        KIND_RAW:    elem = a_raw;
        KIND_MEMSET: elem = cfg_q.s0;
        default:     elem = store_cvt(v, cfg_q.d_dt, cfg_q.ic);
      endcase
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        acc_q <= '0;
      end else if (busy_q) begin
        acc_q <= acc_d;
      end
    end

    assign sb_wdata_o[p] = dt_replicate(elem, cfg_q.d_dt);
    assign ps_wdata_o[p] = sb_wdata_o[p];
    assign sb_we_o[p]    = wr_elem && cfg_q.lane_en[p] && !cfg_q.d_mem;
    assign ps_we_o[p]    = wr_elem && cfg_q.lane_en[p] && cfg_q.d_mem;
  end

endmodule
