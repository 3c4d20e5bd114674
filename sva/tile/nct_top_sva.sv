// Invariants of the tile top (rtl/tile/nct_top.sv), bound into nct_top
// (sva/tile/nct_top_bind.sv): the FIFO of W sources (which master owns the W beats of each
// accepted AW) stays within its depth, and the first-error latch (ERR_CODE, ERR_QUEUE,
// ERR_INDEX, ERR_ADDR) holds its first error until SOFT_RESET, and the clock-gate hint
// idle_o keeps its promise: an edge where it is high changes none of the tile's registers
// but the cycle counter (decision 0011). Tested alone in tb/cocotb/tile_sva_tests.py.

module nct_top_sva #(
  parameter int unsigned WSRC_DEPTH = 4,
  parameter int unsigned IDLE_W     = 770
) (
  input logic        clk_i,
  input logic        rst_ni,
  input logic        soft_reset_i,
  input logic [2:0]  wcnt_i,        // AWs accepted whose W beats are not all sent
  input logic        err_valid_i,   // an error is latched
  input logic [81:0] err_info_i,    // {code, queue, index, address} of the latched error
  input logic        idle_i,        // the tile's idle_o
  input logic [IDLE_W-1:0] idle_state_i  // the registers an idle edge must not change
);

  TopWSrcBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(wcnt_i) <= WSRC_DEPTH) else $error("top: %0d W sources queued > %0d", wcnt_i, WSRC_DEPTH);
  TopFirstErrorHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    err_valid_i && !soft_reset_i |=> err_valid_i && $stable(err_info_i))
    else $error("top: the latched first error changed or cleared without SOFT_RESET");
  TopIdleHolds: assert property (@(posedge clk_i) disable iff (!rst_ni)
    idle_i |=> $stable(idle_state_i))
    else $error("top: idle_o was high, but the edge changed a register (changed bits of idle_state: %h)",
                idle_state_i ^ $past(idle_state_i));

endmodule
