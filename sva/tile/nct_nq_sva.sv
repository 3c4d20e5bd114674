// Invariants of the notification ring writer (rtl/tile/nct_nq.sv), bound into nct_nq
// (sva/tile/nct_tile_bind.sv): its FSM (IDLE, AW, W, B) only steps forward and only on the
// handshake of the channel it drives, it drives one channel at a time, and NQ_TAIL stays
// below 2^NQ_SIZE. Tested alone in tb/cocotb/tile_sva_tests.py.

module nct_nq_sva (
  input logic        clk_i,
  input logic        rst_ni,
  input logic [1:0]  st_i,          // 0 IDLE, 1 AW, 2 W, 3 B
  input logic        aw_valid_i,
  input logic        aw_ready_i,
  input logic        w_valid_i,
  input logic        w_ready_i,
  input logic        w_last_i,
  input logic        b_valid_i,
  input logic        b_ready_i,
  input logic [4:0]  size_log2_i,   // NQ_SIZE
  input logic [31:0] tail_i         // NQ_TAIL
);

  localparam logic [1:0] S_AW = 2'd1, S_W = 2'd2, S_B = 2'd3;  // S_IDLE = 0

  // The handshake that lets the FSM leave the state it was in.
  logic leave_ok;
  always_comb begin
    unique case (st_i)
      S_AW: leave_ok = aw_valid_i && aw_ready_i;
      S_W: leave_ok = w_valid_i && w_ready_i && w_last_i;
      S_B: leave_ok = b_valid_i && b_ready_i;
      default: leave_ok = 1'b1;  // IDLE: leaves when it takes a record
    endcase
  end

  NqFsmStep: assert property (@(posedge clk_i) disable iff (!rst_ni)
    st_i != $past(st_i) |-> st_i == $past(st_i) + 2'd1)
    else $error("nq: FSM jumped from state %0d to %0d", $past(st_i), st_i);
  NqFsmHandshake: assert property (@(posedge clk_i) disable iff (!rst_ni)
    st_i != $past(st_i) |-> $past(leave_ok))
    else $error("nq: FSM left state %0d without its handshake", $past(st_i));
  NqOneChannel: assert property (@(posedge clk_i) disable iff (!rst_ni)
    $onehot0({aw_valid_i, w_valid_i, b_ready_i})) else $error("nq: drives more than one of AW, W, B");
  NqTailInRing: assert property (@(posedge clk_i) disable iff (!rst_ni)
    tail_i != $past(tail_i) |-> (tail_i >> $past(size_log2_i)) == 32'd0)
    else $error("nq: NQ_TAIL moved to %0d, not below 2^NQ_SIZE", tail_i);

  CoverNqWrap: cover property (@(posedge clk_i) disable iff (!rst_ni)
    tail_i == 32'd0 && $past(tail_i) != 32'd0);

endmodule
