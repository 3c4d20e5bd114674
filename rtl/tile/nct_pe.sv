// Tensor engine of the NCT tile (queue Q1): PE_LDW and PE_MM on a P x P weight-stationary
// systolic array, BF16 (FP32 products and sums) or INT8 (exact products, wrapping INT32
// sums). Instructions arrive checked and legal (nct_check uses loaded_o, k_o, m_o and
// dtype_o), so the engine has no error outputs.
//
// PE_LDW (M cycles): cycle m reads SBUF word (src_off + m * size) / 4 of every partition and
// stores element m of partition p_start + k as W[k][m] (lanes rotated by p_start).
//
// PE_MM: PE (k, m) holds W[k][m]. Column n of X is read from SBUF in cycle n (all K rows at
// once, one shared address), enters row k k cycles later (input skew), moves right one
// column per cycle, and the partial sums move down one row per cycle:
//   row 0:      s = f32_add(+0, pe_mul_bf16(W[0][m], x))
//   row k < K:  s = f32_add(s_above, pe_mul_bf16(W[k][m], x))
//   row k >= K: s = s_above (passed through untouched: adding +0 would turn -0 into +0)
// which is tile.md's accumulation order s = +0; for k = 0..K-1: s = add(s, W[k][m] * X[k][n])
// (INT8: s + sext(w) * sext(x), wrapping). The bottom row of column m delivers column n
// m cycles after column 0; an output skew of P - 1 - m registers aligns them, so one whole
// PSUM column (all m < M, same n) is written per cycle at word psum_off / 4 + n, with
// acc ? f32_add(old, s) : s (INT8: old + s), old read through the PSUM read port at the
// same address in the same cycle.
//
// Timing, from the start_i cycle t: PE_LDW writes weight column m at the end of cycle
// t + 1 + m and raises done_o in cycle t + M (the cycle of its last write). PE_MM reads X
// column n in cycle t + 1 + n, writes PSUM column n in cycle t + 1 + n + 2P and raises
// done_o in cycle t + N + 2P (the cycle of its last PSUM write). busy_o is high from
// t + 1 up to and including the done_o cycle; the next start_i can come the cycle after.
// loaded_o/k_o/m_o/dtype_o show a PE_LDW's values from cycle t + 1. clear_i (SOFT_RESET)
// drops the weights and aborts a running instruction (no done_o); it wins over start_i.
//
// Simulation speed: the array registers have no reset and update only while a PE_MM runs;
// the arithmetic is skipped (registers hold) in idle cycles and in columns m >= M.

module nct_pe #(
  parameter int unsigned P          = 4,
  parameter int unsigned SBUF_WORDS = 1024,
  parameter int unsigned PSUM_WORDS = 256,
  parameter int unsigned NMAX       = 64,
  localparam int unsigned SAW       = $clog2(SBUF_WORDS),
  localparam int unsigned PAW       = $clog2(PSUM_WORDS),
  localparam int unsigned KW        = $clog2(P + 1)  // k_o, m_o: 1..P
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                clear_i,

  input  logic                start_i,
  input  logic [127:0]        instr_i,
  output logic                busy_o,
  output logic                done_o,

  // State of the stationary weights (the last PE_LDW), for the checker.
  output logic                loaded_o,
  output logic [KW-1:0]       k_o,
  output logic [KW-1:0]       m_o,
  output logic [2:0]          dtype_o,

  output logic [SAW-1:0]      sb_raddr_o,
  input  logic [P-1:0][31:0]  sb_rdata_i,

  output logic [PAW-1:0]      ps_raddr_o,
  input  logic [P-1:0][31:0]  ps_rdata_i,

  output logic [P-1:0]        ps_we_o,
  output logic [PAW-1:0]      ps_waddr_o,
  output logic [3:0]          ps_wbe_o,
  output logic [P-1:0][31:0]  ps_wdata_o
);

  import nct_isa_pkg::*;

  localparam int unsigned PW  = $clog2(P);             // lane index
  localparam int unsigned LAT = 2 * P;                 // X read of column n to its PSUM write
  localparam int unsigned CW  = $clog2(NMAX + LAT);    // cycle counter: 0 .. N - 1 + LAT
  localparam int unsigned BAW = SAW + 2;               // SBUF byte address in a partition

  // ---------------------------------------------------------------------------------------
  // Decode (only in the start cycle)

  logic [7:0] opcode;
  logic       is_ldw, is_mm;
  assign opcode = instr_i[OPCODE_LSB +: OPCODE_W];
  assign is_ldw = opcode == OP_PE_LDW;
  assign is_mm  = opcode == OP_PE_MM;

  // Every field is read through nct_isa_pkg; the rest of the word is not needed.
  logic unused_instr;
  assign unused_instr = ^instr_i;

  // ---------------------------------------------------------------------------------------
  // Control

  typedef enum logic [1:0] {
    StIdle,
    StLdw,
    StMm,
    StNop
  } state_e;

  state_e          state_q, state_d;
  logic [CW-1:0]   cyc_q, cyc_d;           // cycles since the start cycle, minus one
  logic [CW-1:0]   rd_last_q, rd_last_d;   // last SBUF read cycle: M - 1 or N - 1
  logic [CW-1:0]   done_cyc_q, done_cyc_d; // cycle of done_o
  logic [BAW-1:0]  ra_q, ra_d;             // SBUF byte address of the next element
  logic [PW-1:0]   p0_q, p0_d;             // p_start: row k reads lane p0 + k
  logic [PAW-1:0]  wa_q, wa_d;             // PSUM word of the next column
  logic            acc_q, acc_d;

  // Weight state (the last PE_LDW)
  logic            loaded_q, loaded_d;
  logic [KW-1:0]   k_q, k_d;
  logic [KW-1:0]   m_q, m_d;
  logic [2:0]      dtype_q, dtype_d;
  logic [P-1:0]    k_mask_q, k_mask_d;     // row k < K
  logic [P-1:0]    m_mask_q, m_mask_d;     // column m < M

  logic            int8;                   // INT8 (else BF16)
  logic            done;
  logic            run;                    // the array advances
  logic            rd_en;                  // an SBUF element is consumed this cycle
  logic            wr_en;                  // a PSUM column is written this cycle

  assign int8  = dtype_q == 3'(DTYPE_INT8);
  assign run   = state_q == StMm;
  assign done  = (state_q != StIdle) && (cyc_q == done_cyc_q);
  assign rd_en = ((state_q == StLdw) || (state_q == StMm)) && (cyc_q <= rd_last_q);
  assign wr_en = (state_q == StMm) && (cyc_q >= CW'(LAT));

  always_comb begin
    state_d    = state_q;
    cyc_d      = cyc_q;
    rd_last_d  = rd_last_q;
    done_cyc_d = done_cyc_q;
    ra_d       = ra_q;
    p0_d       = p0_q;
    wa_d       = wa_q;
    acc_d      = acc_q;
    loaded_d   = loaded_q;
    k_d        = k_q;
    m_d        = m_q;
    dtype_d    = dtype_q;
    k_mask_d   = k_mask_q;
    m_mask_d   = m_mask_q;

    if (state_q == StIdle) begin
      if (start_i) begin
        cyc_d = '0;
        if (is_ldw) begin
          state_d    = StLdw;
          rd_last_d  = CW'(instr_i[PE_LDW_M_CNT_LSB +: PE_LDW_M_CNT_W]);
          done_cyc_d = CW'(instr_i[PE_LDW_M_CNT_LSB +: PE_LDW_M_CNT_W]);
          ra_d       = BAW'(instr_i[PE_LDW_SRC_OFF_LSB +: PE_LDW_SRC_OFF_W]);
          p0_d       = PW'(instr_i[PE_LDW_PR_P_START_LSB +: PE_LDW_PR_P_START_W]);
          loaded_d   = 1'b1;
          k_d        = KW'(instr_i[PE_LDW_PR_P_CNT_LSB +: PE_LDW_PR_P_CNT_W]) + KW'(1);
          m_d        = KW'(instr_i[PE_LDW_M_CNT_LSB +: PE_LDW_M_CNT_W]) + KW'(1);
          dtype_d    = instr_i[PE_LDW_DTYPE_LSB +: PE_LDW_DTYPE_W];
          for (int unsigned i = 0; i < P; i++) begin
            k_mask_d[i] = i <= 32'(instr_i[PE_LDW_PR_P_CNT_LSB +: PE_LDW_PR_P_CNT_W]);
            m_mask_d[i] = i <= 32'(instr_i[PE_LDW_M_CNT_LSB +: PE_LDW_M_CNT_W]);
          end
        end else if (is_mm) begin
          // K and dtype equal the loaded weights' (checked before issue).
          state_d    = StMm;
          rd_last_d  = CW'(instr_i[PE_MM_N_CNT_LSB +: PE_MM_N_CNT_W]);
          done_cyc_d = CW'(instr_i[PE_MM_N_CNT_LSB +: PE_MM_N_CNT_W]) + CW'(LAT);
          ra_d       = BAW'(instr_i[PE_MM_SRC_OFF_LSB +: PE_MM_SRC_OFF_W]);
          p0_d       = PW'(instr_i[PE_MM_PR_P_START_LSB +: PE_MM_PR_P_START_W]);
          wa_d       = PAW'(instr_i[PE_MM_PSUM_OFF_LSB + 2 +: PE_MM_PSUM_OFF_W - 2]);
          acc_d      = instr_i[PE_MM_ACC_LSB];
        end else begin
          // Not a PE opcode (never issued): retire without effect.
          state_d    = StNop;
          done_cyc_d = '0;
        end
      end
    end else begin
      cyc_d = cyc_q + CW'(1);
      if (rd_en) begin
        ra_d = ra_q + (int8 ? BAW'(1) : BAW'(2));
      end
      if (wr_en) begin
        wa_d = wa_q + PAW'(1);
      end
      if (done) begin
        state_d = StIdle;
      end
    end

    if (clear_i) begin
      state_d  = StIdle;
      loaded_d = 1'b0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= StIdle;
      cyc_q      <= '0;
      rd_last_q  <= '0;
      done_cyc_q <= '0;
      ra_q       <= '0;
      p0_q       <= '0;
      wa_q       <= '0;
      acc_q      <= 1'b0;
      loaded_q   <= 1'b0;
      k_q        <= '0;
      m_q        <= '0;
      dtype_q    <= '0;
      k_mask_q   <= '0;
      m_mask_q   <= '0;
    end else begin
      state_q    <= state_d;
      cyc_q      <= cyc_d;
      rd_last_q  <= rd_last_d;
      done_cyc_q <= done_cyc_d;
      ra_q       <= ra_d;
      p0_q       <= p0_d;
      wa_q       <= wa_d;
      acc_q      <= acc_d;
      loaded_q   <= loaded_d;
      k_q        <= k_d;
      m_q        <= m_d;
      dtype_q    <= dtype_d;
      k_mask_q   <= k_mask_d;
      m_mask_q   <= m_mask_d;
    end
  end

  assign busy_o   = state_q != StIdle;
  assign done_o   = done;
  assign loaded_o = loaded_q;
  assign k_o      = k_q;
  assign m_o      = m_q;
  assign dtype_o  = dtype_q;

  // ---------------------------------------------------------------------------------------
  // SBUF elements: row k reads lane p_start + k of the word at ra / 4; INT8 takes the byte
  // at ra[1:0] (kept in the low byte of the 16-bit element), BF16 the halfword at ra[1].

  logic [P-1:0][15:0] elem;

  assign sb_raddr_o = ra_q[BAW-1:2];

  always_comb begin
    for (int unsigned k = 0; k < P; k++) begin
      logic [31:0] word;
      word = sb_rdata_i[PW'(32'(p0_q) + k)];
      if (int8) begin
        elem[k] = {8'h00, word[{ra_q[1:0], 3'b000} +: 8]};
      end else begin
        elem[k] = ra_q[1] ? word[31:16] : word[15:0];
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stationary weights: PE_LDW writes column m in its cycle m.

  logic [15:0] w_q [P][P];  // [k][m]

  always_ff @(posedge clk_i) begin
    if (state_q == StLdw) begin
      for (int unsigned k = 0; k < P; k++) begin
        w_q[k][cyc_q[PW-1:0]] <= elem[k];
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Input skew: row k sees the element read in cycle n at its column 0 k cycles after row 0.

  logic [P-1:0][15:0] x_in;  // enters column 0 of row k

  assign x_in[0] = elem[0];

  for (genvar k = 1; k < P; k++) begin : g_skew
    logic [15:0] skew_q [k];
    always_ff @(posedge clk_i) begin
      if (run) begin
        skew_q[0] <= elem[k];
        for (int unsigned j = 1; j < k; j++) begin
          skew_q[j] <= skew_q[j - 1];
        end
      end
    end
    assign x_in[k] = skew_q[k - 1];
  end

  // ---------------------------------------------------------------------------------------
  // The array: X moves right, partial sums move down.

  logic [15:0] x_q [P][P];  // X element at PE (k, m)
  logic [31:0] s_q [P][P];  // partial sum leaving PE (k, m) downwards
  logic [31:0] s_d [P][P];

  // One PE: s + w * x in BF16 (FP32 product and sum) or INT8 (wrapping INT32).
  function automatic logic [31:0] pe_mac(logic is_int8, logic [15:0] w, logic [15:0] x,
                                         logic [31:0] s);
    logic [31:0] res;
    if (is_int8) begin
      res = s + {{24{w[7]}}, w[7:0]} * {{24{x[7]}}, x[7:0]};
    end else begin
      res = nct_fp_pkg::f32_add(s, nct_fp_pkg::pe_mul_bf16(w, x));
    end
    return res;
  endfunction

  always_ff @(posedge clk_i) begin
    if (run) begin
      for (int unsigned k = 0; k < P; k++) begin
        x_q[k][0] <= x_in[k];
        for (int unsigned m = 1; m < P; m++) begin
          x_q[k][m] <= x_q[k][m - 1];
        end
      end
    end
  end

  always_comb begin
    s_d = s_q;
    if (run) begin
      for (int unsigned m = 0; m < P; m++) begin
        if (m_mask_q[m]) begin
          // Row 0 starts from +0; K >= 1, so row 0 is always active.
          s_d[0][m] = k_mask_q[0] ? pe_mac(int8, w_q[0][m], x_q[0][m], 32'h0000_0000) : 32'h0000_0000;
          for (int unsigned k = 1; k < P; k++) begin
            s_d[k][m] = k_mask_q[k] ? pe_mac(int8, w_q[k][m], x_q[k][m], s_q[k - 1][m]) : s_q[k - 1][m];
          end
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (run) begin
      s_q <= s_d;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Output de-skew: column m leaves the bottom row m cycles after column 0 and waits
  // P - 1 - m cycles.

  logic [P-1:0][31:0] col_s;

  for (genvar m = 0; m < P - 1; m++) begin : g_deskew
    logic [31:0] dsk_q [P - 1 - m];
    always_ff @(posedge clk_i) begin
      if (run) begin
        dsk_q[0] <= s_q[P - 1][m];
        for (int unsigned j = 1; j < P - 1 - m; j++) begin
          dsk_q[j] <= dsk_q[j - 1];
        end
      end
    end
    assign col_s[m] = dsk_q[P - 2 - m];
  end
  assign col_s[P - 1] = s_q[P - 1][P - 1];

  // ---------------------------------------------------------------------------------------
  // PSUM update: one column per cycle, old value read at the same word.

  assign ps_raddr_o = wa_q;
  assign ps_waddr_o = wa_q;
  assign ps_wbe_o   = 4'hF;
  assign ps_we_o    = wr_en ? m_mask_q : '0;

  always_comb begin
    for (int unsigned m = 0; m < P; m++) begin
      ps_wdata_o[m] = col_s[m];
      if (wr_en && acc_q && m_mask_q[m]) begin
        ps_wdata_o[m] = int8 ? ps_rdata_i[m] + col_s[m] : nct_fp_pkg::f32_add(ps_rdata_i[m], col_s[m]);
      end
    end
  end

endmodule
