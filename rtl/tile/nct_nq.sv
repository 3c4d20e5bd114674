// Notification ring writer of the NCT tile (tile.md "CSRs", NQ_*): takes the records of the
// four queues (HALT, NOTIFY, ERROR) one at a time, round-robin, and writes each as a
// 16-byte record {type, queue, 0, index, tag/code, cycle} at NQ_BASE + 16 * NQ_TAIL with
// one AXI4 write. NQ_TAIL advances at the write response. The interrupt bits a record
// carries are raised when it is written (so firmware that takes the interrupt finds the
// record), or at once when the ring is off (NQ_SIZE = 0) or the write fails. A full ring
// (tail + 1 == head) drops the record and reports error 0x21 with NQ_OVERFLOW.

module nct_nq #(
  parameter int unsigned AXI_DW = 128,
  parameter int unsigned NQ     = 4,
  localparam int unsigned BW    = AXI_DW / 8,
  localparam int unsigned BEATS = (BW >= 16) ? 1 : 16 / BW
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 soft_reset_i,
  input  logic [39:0]          base_i,
  input  logic [4:0]           size_log2_i,
  input  logic [31:0]          head_i,
  input  logic [31:0]          cycle_i,

  input  logic [NQ-1:0]        rec_valid_i,
  output logic [NQ-1:0]        rec_ready_o,
  input  logic [NQ-1:0][7:0]   rec_type_i,
  input  logic [NQ-1:0][31:0]  rec_index_i,
  input  logic [NQ-1:0][31:0]  rec_tag_i,
  input  logic [NQ-1:0][7:0]   rec_intr_i,

  output logic [31:0]          tail_o,
  output logic [7:0]           intr_o,       // INTR_STATUS bits to raise this cycle
  output logic                 overflow_o,   // error 0x21 this cycle
  output logic [1:0]           overflow_queue_o,
  output logic [31:0]          overflow_index_o,
  output logic [39:0]          overflow_addr_o,

  output logic                 aw_valid_o,
  input  logic                 aw_ready_i,
  output logic [39:0]          aw_addr_o,
  output logic [7:0]           aw_len_o,
  output logic [2:0]           aw_size_o,
  output logic                 w_valid_o,
  input  logic                 w_ready_i,
  output logic [AXI_DW-1:0]    w_data_o,
  output logic [BW-1:0]        w_strb_o,
  output logic                 w_last_o,
  input  logic                 b_valid_i,
  output logic                 b_ready_o,
  input  logic [1:0]           b_resp_i
);

  typedef enum logic [1:0] {S_IDLE, S_AW, S_W, S_B} state_e;

  state_e       st_q, st_d;
  logic [31:0]  tail_q, tail_d;
  logic [1:0]   rr_q, rr_d;
  logic [127:0] rec_q, rec_d;
  logic [7:0]   intr_q, intr_d;
  logic [39:0]  addr_q, addr_d;
  logic [$clog2(BEATS + 1)-1:0] beat_q, beat_d;
  logic         stale_q;  // SOFT_RESET came while this record was on the bus: forget it

  logic [31:0] mask, next_tail;
  logic        full;
  assign mask = (32'd1 << size_log2_i) - 32'd1;
  assign next_tail = (tail_q + 32'd1) & mask;
  assign full = next_tail == (head_i & mask);

  always_comb begin
    logic [1:0] pick;
    logic       any;
    st_d = st_q;
    tail_d = tail_q;
    rr_d = rr_q;
    rec_d = rec_q;
    intr_d = intr_q;
    addr_d = addr_q;
    beat_d = beat_q;
    rec_ready_o = '0;
    intr_o = '0;
    overflow_o = 1'b0;
    overflow_queue_o = '0;
    overflow_index_o = '0;
    overflow_addr_o = '0;
    pick = rr_q;
    any = 1'b0;
    for (int unsigned i = 0; i < NQ; i++) begin
      logic [1:0] q;
      q = 2'(32'(rr_q) + i);
      if (!any && rec_valid_i[q]) begin
        any = 1'b1;
        pick = q;
      end
    end
    unique case (st_q)
      S_IDLE: begin
        if (any) begin
          rec_ready_o[pick] = 1'b1;
          rr_d = pick + 2'd1;
          if (size_log2_i == 5'd0) begin
            intr_o = rec_intr_i[pick];
          end else if (full) begin
            intr_o = rec_intr_i[pick] | 8'hA0;  // NQ_OVERFLOW and ERROR
            overflow_o = 1'b1;
            overflow_queue_o = pick;
            overflow_index_o = rec_index_i[pick];
            overflow_addr_o = base_i + {4'd0, tail_q, 4'd0};
          end else begin
            rec_d = {cycle_i, rec_tag_i[pick], rec_index_i[pick], 8'd0, 8'd0, 6'd0, pick, rec_type_i[pick]};
            intr_d = rec_intr_i[pick];
            addr_d = {base_i[39:4], 4'd0} + {4'd0, tail_q, 4'd0};
            beat_d = '0;
            st_d = S_AW;
          end
        end
      end
      S_AW: if (aw_ready_i) st_d = S_W;
      S_W: begin
        if (w_ready_i) begin
          beat_d = beat_q + 1'b1;
          if (32'(beat_q) + 1 == BEATS) st_d = S_B;
        end
      end
      S_B: begin
        if (b_valid_i) begin
          if (b_resp_i == 2'b00 && !stale_q) tail_d = next_tail;
          intr_o = stale_q ? 8'h00 : intr_q;
          st_d = S_IDLE;
        end
      end
      default: st_d = S_IDLE;
    endcase
  end

  assign aw_valid_o = st_q == S_AW;
  assign aw_addr_o  = addr_q;
  assign aw_len_o   = 8'(BEATS - 1);
  assign aw_size_o  = (BW >= 16) ? 3'd4 : 3'($clog2(BW));
  assign w_valid_o  = st_q == S_W;
  assign w_last_o   = 32'(beat_q) + 1 == BEATS;
  assign b_ready_o  = st_q == S_B;

  if (BW >= 16) begin : g_wide
    localparam int unsigned LANES = BW / 16;
    logic [$clog2(LANES + 1)-1:0] lane;
    assign lane = (LANES > 1) ? ($clog2(LANES + 1))'(addr_q[4 +: ((LANES > 1) ? $clog2(LANES) : 1)]) : '0;
    always_comb begin
      w_data_o = '0;
      w_strb_o = '0;
      for (int unsigned l = 0; l < LANES; l++) begin
        if (32'(lane) == l) begin
          w_data_o[128 * l +: 128] = rec_q;
          w_strb_o[16 * l +: 16] = '1;
        end
      end
    end
  end else begin : g_narrow
    assign w_data_o = AXI_DW'(rec_q >> (AXI_DW * beat_q));
    assign w_strb_o = '1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q <= S_IDLE;
      tail_q <= '0;
      rr_q <= '0;
      rec_q <= '0;
      intr_q <= '0;
      addr_q <= '0;
      beat_q <= '0;
      stale_q <= 1'b0;
    end else begin
      stale_q <= (st_d == S_IDLE) ? 1'b0 : (stale_q || soft_reset_i);
      // SOFT_RESET clears the tail; a write in flight still completes on the bus.
      st_q <= st_d;
      tail_q <= soft_reset_i ? '0 : tail_d;
      rr_q <= rr_d;
      rec_q <= rec_d;
      intr_q <= intr_d;
      addr_q <= addr_d;
      beat_q <= beat_d;
    end
  end

  assign tail_o = tail_q;

endmodule
