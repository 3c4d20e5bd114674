// DMA engine of the NCT tile (queue 0): DMA_LD and DMA_ST between device memory (AXI4
// master, AXI_DW data) and SBUF (wide port, one partition, AXI_DW bits per line).
//
// For each partition row r of PR: device bytes [A + r*S, A + r*S + B) <-> SBUF bytes
// [D, D + B) of partition p0 + r. A burst generator walks the rows in beat-aligned INCR
// bursts of at most 256 bytes that never cross 4 KiB, up to MAX_OUT bursts outstanding;
// a byte-stream realigner between the beat lanes and the SBUF lines makes any device
// address and any SBUF offset work at one beat or line per cycle. DMA_ST retires at the
// last write response. A response error (DECERR 0x10, SLVERR 0x11) stops new bursts; the
// engine drains what is outstanding (write data is still sent for accepted bursts) and
// reports the first error with the failing row's start address.

module nct_dma
  import nct_isa_pkg::*;
#(
  parameter int unsigned P          = 4,
  parameter int unsigned SBUF_WORDS = 1024,
  parameter int unsigned AXI_DW     = 128,
  parameter int unsigned MAX_OUT    = 4,
  localparam int unsigned BW   = AXI_DW / 8,               // bytes per beat and per SBUF line
  localparam int unsigned BWL  = $clog2(BW),
  localparam int unsigned LW   = $clog2(SBUF_WORDS) - $clog2(BW / 4),
  localparam int unsigned PW   = (P > 1) ? $clog2(P) : 1,
  localparam int unsigned OW   = $clog2(MAX_OUT + 1)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                start_i,
  input  logic [127:0]        instr_i,
  input  logic [31:0]         rs0_i,       // R[stride_r]
  output logic                busy_o,
  output logic                done_o,
  output logic [7:0]          err_o,
  output logic [39:0]         err_addr_o,
  output logic [31:0]         bytes_o,     // payload bytes of the instruction (for PERF)

  output logic                ar_valid_o,
  input  logic                ar_ready_i,
  output logic [39:0]         ar_addr_o,
  output logic [7:0]          ar_len_o,
  input  logic                r_valid_i,
  output logic                r_ready_o,
  input  logic [AXI_DW-1:0]   r_data_i,
  input  logic [1:0]          r_resp_i,
  input  logic                r_last_i,

  output logic                aw_valid_o,
  input  logic                aw_ready_i,
  output logic [39:0]         aw_addr_o,
  output logic [7:0]          aw_len_o,
  output logic                w_valid_o,
  input  logic                w_ready_i,
  output logic [AXI_DW-1:0]   w_data_o,
  output logic [BW-1:0]       w_strb_o,
  output logic                w_last_o,
  input  logic                b_valid_i,
  output logic                b_ready_o,
  input  logic [1:0]          b_resp_i,

  output logic [PW-1:0]       sb_part_o,
  output logic [LW-1:0]       sb_line_o,
  input  logic [AXI_DW-1:0]   sb_rdata_i,
  output logic                sb_we_o,
  output logic [BW-1:0]       sb_be_o,
  output logic [AXI_DW-1:0]   sb_wdata_o
);

  localparam int unsigned CAP = 2 * BW;  // realigner capacity in bytes
  localparam int unsigned CW  = $clog2(CAP + 1);

  // ---------------------------------------------------------------------------------------
  // The instruction
  // ---------------------------------------------------------------------------------------
  logic        busy_q, st_q;
  logic [39:0] a_q;
  logic [31:0] s_q;
  logic [7:0]  p0_q, pc_q;
  logic [17:0] d_q;
  logic [12:0] b_q;

  // Row start address.
  function automatic logic [39:0] row_addr(logic [39:0] a, logic [31:0] s, logic [7:0] r);
    return a + 40'(s) * 40'(r);
  endfunction

  function automatic logic [39:0] align_down(logic [39:0] x);
    return x & ~40'(BW - 1);
  endfunction

  // ---------------------------------------------------------------------------------------
  // Burst generator (AR for DMA_LD, AW for DMA_ST)
  // ---------------------------------------------------------------------------------------
  logic        g_act_q, g_act_d;
  logic [7:0]  g_row_q, g_row_d;
  logic [39:0] g_cur_q, g_cur_d;      // beat-aligned address of the next burst
  logic [39:0] g_rowa;                 // start of the generator's row
  logic [39:0] g_end;                  // beat-aligned end (exclusive) of the row
  logic [8:0]  g_beats;                // beats in the next burst (1..256/BW)
  logic        g_req, g_take;
  logic [OW-1:0] out_q, out_d;         // bursts outstanding (AR/AW accepted, not finished)
  logic        failed_q, failed_d;
  logic [7:0]  err_q, err_d;
  logic [39:0] err_addr_q, err_addr_d;

  always_comb begin
    logic [39:0] e, lim4k, lim256, stop;
    g_rowa = row_addr(a_q, s_q, g_row_q);
    e = g_rowa + 40'(b_q);
    g_end = (e[BWL-1:0] != '0) ? align_down(e) + 40'(BW) : e;
    lim4k = {g_cur_q[39:12], 12'h000} + 40'h1000;
    lim256 = g_cur_q + 40'd256;
    stop = g_end;
    if (lim4k < stop) stop = lim4k;
    if (lim256 < stop) stop = lim256;
    g_beats = 9'((stop - g_cur_q) >> BWL);
  end

  logic g_hold_q;  // AXI: an offered address stays until taken, even after an error
  assign g_req = busy_q && ((g_act_q && !failed_q && 32'(out_q) < MAX_OUT) || g_hold_q);
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) g_hold_q <= 1'b0;
    else g_hold_q <= g_req && !g_take;
  end

  // ---------------------------------------------------------------------------------------
  // DMA_LD: beats -> realigner -> SBUF lines
  // ---------------------------------------------------------------------------------------
  logic [CAP*8-1:0] buf_q, buf_d;
  logic [CW-1:0]    cnt_q, cnt_d;
  // Receive side (which bytes of each beat belong to the transfer).
  logic [7:0]  x_row_q, x_row_d;
  logic [39:0] x_cur_q, x_cur_d;
  // SBUF side.
  logic [7:0]  y_row_q, y_row_d;
  logic [17:0] y_off_q, y_off_d;
  logic [12:0] y_rem_q, y_rem_d;

  // DMA_ST: SBUF lines -> realigner -> W beats; B responses.
  logic [OW-1:0] wq_cnt_q, wq_cnt_d;            // accepted bursts whose W beats are not all sent
  logic [MAX_OUT-1:0][8:0]  wlen_q;             // beats per accepted burst (FIFO)
  logic [MAX_OUT-1:0][39:0] brow_q;             // row start per accepted burst (FIFO, for B)
  logic [OW-1:0] bq_cnt_q, bq_cnt_d;
  logic [8:0]  w_beat_q, w_beat_d;

  logic push_burst;
  logic [39:0] push_rowa;
  logic [8:0]  push_beats;

  assign ar_valid_o = g_req && !st_q;
  assign aw_valid_o = g_req && st_q;
  assign ar_addr_o  = g_cur_q;
  assign aw_addr_o  = g_cur_q;
  assign ar_len_o   = 8'(g_beats - 9'd1);
  assign aw_len_o   = 8'(g_beats - 9'd1);
  assign g_take     = (ar_valid_o && ar_ready_i) || (aw_valid_o && aw_ready_i);
  assign push_burst = aw_valid_o && aw_ready_i;
  assign push_rowa  = g_rowa;
  assign push_beats = g_beats;

  always_comb begin
    logic [39:0] rowa, lo, hi;
    logic [CW-1:0] n, m;
    logic [BWL:0] sh;
    logic [CAP*8-1:0] ins;
    rowa = '0; lo = '0; hi = '0; n = '0; m = '0; sh = '0; ins = '0;
    // Defaults
    g_act_d = g_act_q;
    g_row_d = g_row_q;
    g_cur_d = g_cur_q;
    out_d = out_q;
    failed_d = failed_q;
    err_d = err_q;
    err_addr_d = err_addr_q;
    buf_d = buf_q;
    cnt_d = cnt_q;
    x_row_d = x_row_q;
    x_cur_d = x_cur_q;
    y_row_d = y_row_q;
    y_off_d = y_off_q;
    y_rem_d = y_rem_q;
    wq_cnt_d = wq_cnt_q;
    bq_cnt_d = bq_cnt_q;
    w_beat_d = w_beat_q;
    r_ready_o = 1'b0;
    b_ready_o = 1'b1;
    sb_we_o = 1'b0;
    sb_be_o = '0;
    sb_wdata_o = '0;
    sb_part_o = PW'(p0_q + y_row_q);
    sb_line_o = LW'(y_off_q >> BWL);
    w_valid_o = 1'b0;
    w_data_o = '0;
    w_strb_o = '0;
    w_last_o = 1'b0;
    done_o = 1'b0;

    // Burst generator.
    if (g_take) begin
      out_d = out_d + 1'b1;
      if (g_cur_q + (40'(g_beats) << BWL) >= g_end) begin
        if (g_row_q + 8'd1 >= pc_q) begin
          g_act_d = 1'b0;
        end else begin
          g_row_d = g_row_q + 8'd1;
          g_cur_d = align_down(row_addr(a_q, s_q, g_row_q + 8'd1));
        end
      end else begin
        g_cur_d = g_cur_q + (40'(g_beats) << BWL);
      end
    end

    if (busy_q && !st_q) begin
      // ---- DMA_LD ----------------------------------------------------------------------
      // SBUF write of up to one line from the realigner (before this cycle's beat).
      m = CW'(BW - 32'(y_off_q[BWL-1:0]));
      if (32'(m) > 32'(y_rem_q)) m = CW'(y_rem_q);
      if (m > cnt_q) m = cnt_q;
      if (m != '0 && y_row_q < pc_q && !failed_q) begin
        sb_we_o = 1'b1;
        for (int unsigned i = 0; i < BW; i++) begin
          if (32'(i) >= 32'(y_off_q[BWL-1:0]) && 32'(i) < 32'(y_off_q[BWL-1:0]) + 32'(m)) sb_be_o[i] = 1'b1;
        end
        sb_wdata_o = AXI_DW'(buf_q << (8 * y_off_q[BWL-1:0]));
        buf_d = buf_q >> (8 * m);
        cnt_d = cnt_q - m;
        y_rem_d = y_rem_q - 13'(m);
        y_off_d = y_off_q + 18'(m);
        if (y_rem_d == '0) begin
          y_row_d = y_row_q + 8'd1;
          y_off_d = d_q;
          y_rem_d = b_q;
        end
      end
      // Receive a beat when the realigner has room for a whole one.
      r_ready_o = 32'(cnt_d) + BW <= CAP;
      if (r_valid_i && r_ready_o) begin
        rowa = row_addr(a_q, s_q, x_row_q);
        lo = (rowa > x_cur_q) ? rowa : x_cur_q;
        hi = ((rowa + 40'(b_q)) < (x_cur_q + 40'(BW))) ? rowa + 40'(b_q) : x_cur_q + 40'(BW);
        n = (hi > lo) ? CW'(hi - lo) : '0;
        sh = (BWL + 1)'(lo - x_cur_q);
        ins = (CAP * 8)'(r_data_i >> (8 * sh));
        ins = ins & (((CAP * 8)'(1) << (8 * n)) - 1'b1);
        if (r_resp_i != 2'b00 && !failed_q) begin
          failed_d = 1'b1;
          err_d = (r_resp_i == 2'b11) ? 8'h10 : 8'h11;
          err_addr_d = rowa;
        end
        if (!failed_d) begin
          buf_d = buf_d | (ins << (8 * cnt_d));
          cnt_d = cnt_d + n;
        end
        x_cur_d = x_cur_q + 40'(BW);
        if (x_cur_d >= rowa + 40'(b_q) && x_row_q + 8'd1 < pc_q) begin
          x_row_d = x_row_q + 8'd1;
          x_cur_d = align_down(row_addr(a_q, s_q, x_row_q + 8'd1));
        end
        if (r_last_i) out_d = out_d - 1'b1;
      end
      if ((y_row_d >= pc_q || failed_d) && !g_act_d && out_d == '0 && !(g_req && !g_take)) done_o = 1'b1;
    end else if (busy_q && st_q) begin
      // ---- DMA_ST ----------------------------------------------------------------------
      // Emit a W beat for the oldest accepted burst when its bytes are in the realigner.
      if (wq_cnt_q != '0) begin
        rowa = row_addr(a_q, s_q, x_row_q);
        lo = (rowa > x_cur_q) ? rowa : x_cur_q;
        hi = ((rowa + 40'(b_q)) < (x_cur_q + 40'(BW))) ? rowa + 40'(b_q) : x_cur_q + 40'(BW);
        n = (hi > lo) ? CW'(hi - lo) : '0;
        sh = (BWL + 1)'(lo - x_cur_q);
        if (cnt_q >= n) begin
          w_valid_o = 1'b1;
          w_data_o = AXI_DW'(buf_q << (8 * sh));
          for (int unsigned i = 0; i < BW; i++) begin
            if (32'(i) >= 32'(sh) && 32'(i) < 32'(sh) + 32'(n)) w_strb_o[i] = 1'b1;
          end
          w_last_o = w_beat_q + 9'd1 == wlen_q[0];
          if (w_ready_i) begin
            buf_d = buf_q >> (8 * n);
            cnt_d = cnt_q - n;
            w_beat_d = w_beat_q + 9'd1;
            if (w_last_o) begin
              w_beat_d = '0;
              wq_cnt_d = wq_cnt_d - 1'b1;
            end
            x_cur_d = x_cur_q + 40'(BW);
            if (x_cur_d >= rowa + 40'(b_q) && x_row_q + 8'd1 < pc_q) begin
              x_row_d = x_row_q + 8'd1;
              x_cur_d = align_down(row_addr(a_q, s_q, x_row_q + 8'd1));
            end
          end
        end
      end
      // Read up to one SBUF line into the realigner when it has room.
      m = CW'(BW - 32'(y_off_q[BWL-1:0]));
      if (32'(m) > 32'(y_rem_q)) m = CW'(y_rem_q);
      if (m != '0 && y_row_q < pc_q && 32'(cnt_d) + 32'(m) <= CAP) begin
        ins = (CAP * 8)'(sb_rdata_i >> (8 * y_off_q[BWL-1:0]));
        ins = ins & (((CAP * 8)'(1) << (8 * m)) - 1'b1);
        buf_d = buf_d | (ins << (8 * cnt_d));
        cnt_d = cnt_d + m;
        y_rem_d = y_rem_q - 13'(m);
        y_off_d = y_off_q + 18'(m);
        if (y_rem_d == '0) begin
          y_row_d = y_row_q + 8'd1;
          y_off_d = d_q;
          y_rem_d = b_q;
        end
      end
      if (push_burst) wq_cnt_d = wq_cnt_d + 1'b1;
      if (b_valid_i) begin
        out_d = out_d - 1'b1;
        if (b_resp_i != 2'b00 && !failed_q) begin
          failed_d = 1'b1;
          err_d = (b_resp_i == 2'b11) ? 8'h10 : 8'h11;
          err_addr_d = brow_q[0];
        end
      end
      if (!g_act_d && out_d == '0 && wq_cnt_d == '0 && !(g_req && !g_take)) done_o = 1'b1;
      if (push_burst) bq_cnt_d = bq_cnt_d + 1'b1;
      if (b_valid_i) bq_cnt_d = bq_cnt_d - 1'b1;
    end
    if (failed_d) g_act_d = 1'b0;
  end

  // Burst FIFOs of DMA_ST (lengths for W, row starts for B).
  always_ff @(posedge clk_i) begin
    logic [OW-1:0] wi, bi;
    wi = wq_cnt_q;
    bi = bq_cnt_q;
    if (w_valid_o && w_ready_i && w_last_o) begin
      for (int unsigned i = 0; i + 1 < MAX_OUT; i++) wlen_q[i] <= wlen_q[i + 1];
      wi = wi - 1'b1;
    end
    if (b_valid_i && st_q) begin
      for (int unsigned i = 0; i + 1 < MAX_OUT; i++) brow_q[i] <= brow_q[i + 1];
      bi = bi - 1'b1;
    end
    if (push_burst) begin
      wlen_q[wi[$clog2(MAX_OUT)-1:0]] <= push_beats;
      brow_q[bi[$clog2(MAX_OUT)-1:0]] <= push_rowa;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      st_q <= 1'b0;
      a_q <= '0;
      s_q <= '0;
      p0_q <= '0;
      pc_q <= '0;
      d_q <= '0;
      b_q <= '0;
      g_act_q <= 1'b0;
      g_row_q <= '0;
      g_cur_q <= '0;
      out_q <= '0;
      failed_q <= 1'b0;
      err_q <= '0;
      err_addr_q <= '0;
      buf_q <= '0;
      cnt_q <= '0;
      x_row_q <= '0;
      x_cur_q <= '0;
      y_row_q <= '0;
      y_off_q <= '0;
      y_rem_q <= '0;
      wq_cnt_q <= '0;
      bq_cnt_q <= '0;
      w_beat_q <= '0;
    end else if (start_i) begin
      logic [39:0] a;
      logic [12:0] b;
      a = instr_i[DMA_LD_ADDR_LSB +: DMA_LD_ADDR_W];
      b = (instr_i[DMA_LD_BYTES_LSB +: DMA_LD_BYTES_W] == 12'd0) ? 13'd4096 :
          13'(instr_i[DMA_LD_BYTES_LSB +: DMA_LD_BYTES_W]);
      busy_q <= 1'b1;
      st_q <= instr_i[OPCODE_LSB +: OPCODE_W] == OP_DMA_ST;
      a_q <= a;
      s_q <= (instr_i[DMA_LD_STRIDE_R_LSB +: DMA_LD_STRIDE_R_W] == 4'd0) ? 32'(b) : rs0_i;
      p0_q <= 8'(instr_i[DMA_LD_PR_P_START_LSB +: DMA_LD_PR_P_START_W]);
      pc_q <= 8'(instr_i[DMA_LD_PR_P_CNT_LSB +: DMA_LD_PR_P_CNT_W]) + 8'd1;
      d_q <= instr_i[DMA_LD_SB_OFF_LSB +: DMA_LD_SB_OFF_W];
      b_q <= b;
      g_act_q <= 1'b1;
      g_row_q <= '0;
      g_cur_q <= align_down(a);
      out_q <= '0;
      failed_q <= 1'b0;
      err_q <= '0;
      err_addr_q <= '0;
      buf_q <= '0;
      cnt_q <= '0;
      x_row_q <= '0;
      x_cur_q <= align_down(a);
      y_row_q <= '0;
      y_off_q <= instr_i[DMA_LD_SB_OFF_LSB +: DMA_LD_SB_OFF_W];
      y_rem_q <= b;
      wq_cnt_q <= '0;
      bq_cnt_q <= '0;
      w_beat_q <= '0;
    end else begin
      busy_q <= busy_q && !done_o;
      g_act_q <= g_act_d;
      g_row_q <= g_row_d;
      g_cur_q <= g_cur_d;
      out_q <= out_d;
      failed_q <= failed_d;
      err_q <= err_d;
      err_addr_q <= err_addr_d;
      buf_q <= buf_d;
      cnt_q <= cnt_d;
      x_row_q <= x_row_d;
      x_cur_q <= x_cur_d;
      y_row_q <= y_row_d;
      y_off_q <= y_off_d;
      y_rem_q <= y_rem_d;
      wq_cnt_q <= wq_cnt_d;
      bq_cnt_q <= bq_cnt_d;
      w_beat_q <= w_beat_d;
    end
  end

  assign busy_o     = busy_q;
  assign err_o      = failed_d ? err_d : 8'h00;
  assign err_addr_o = err_addr_d;
  assign bytes_o    = 32'(pc_q) * 32'(b_q);

  logic unused;
  assign unused = ^{instr_i[119:96], instr_i[7:0]};

endmodule
