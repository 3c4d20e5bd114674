// Invariants of one instruction queue (rtl/tile/nct_queue.sv), bound into every nct_queue
// (sva/tile/nct_tile_bind.sv). A module with ports, so tb/cocotb/tile_sva_tests.py can
// drive it alone and make each assertion fire. Single-cycle properties with an explicit
// disable iff; the fetch accounting keeps its own count of fetches on the bus.

module nct_queue_sva #(
  parameter int unsigned  FETCH_DEPTH = 2,
  localparam int unsigned FCW         = $clog2(FETCH_DEPTH + 1)
) (
  input logic           clk_i,
  input logic           rst_ni,
  input logic           soft_reset_i,
  input logic [31:0]    mask_i,        // ring mask, 2^Qq_SIZE - 1
  input logic [31:0]    head_i,        // ring index of the head instruction
  input logic [31:0]    fptr_i,        // ring index of the next fetch
  input logic [FCW-1:0] fcnt_i,        // instructions in the fetch FIFO
  input logic [FCW-1:0] pend_i,        // fetches requested whose data is not in
  input logic [FCW-1:0] drop_i,        // responses to discard (fetches older than SOFT_RESET)
  input logic           ar_pend_i,     // a fetch address is offered on AR
  input logic           ar_hs_i,       // ... and taken this cycle
  input logic           push_i,        // a fetch response completed this cycle
  input logic           eng_start_i,   // the queue starts its engine
  input logic           eng_busy_i,
  input logic           infl_i,        // an instruction of this queue is in its engine
  input logic           retire_i,
  input logic [23:0]    retired_i,     // Qq_STATUS.RETIRED
  input logic [2:0]     state_i        // Qq_STATUS.STATE
);

  // Fetches on the bus: AR taken, response not complete. Wider than the queue's counters,
  // so a wrap of those shows as a mismatch.
  logic [31:0] bus_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) bus_q <= '0;
    else bus_q <= bus_q + 32'(ar_hs_i) - 32'(push_i);
  end

  // The FIFO holds what was fetched, and a fetch is requested only when its entry is free
  // (so the FIFO alone never holds more than FETCH_DEPTH either).
  QFetchBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(fcnt_i) + 32'(pend_i) <= FETCH_DEPTH)
    else $error("queue: %0d fetched + %0d requested instructions > FETCH_DEPTH", fcnt_i, pend_i);
  // Every fetch on the bus or offered is expected back, as a FIFO entry or as one to drop.
  QFetchAccount: assert property (@(posedge clk_i) disable iff (!rst_ni)
    bus_q + 32'(ar_pend_i) == 32'(pend_i) + 32'(drop_i))
    else $error("queue: %0d fetches on the bus + %0d offered, but %0d pending + %0d to drop",
                bus_q, ar_pend_i, pend_i, drop_i);

  QHeadInRing: assert property (@(posedge clk_i) disable iff (!rst_ni)
    head_i != $past(head_i) |-> (head_i & ~$past(mask_i)) == 32'd0)
    else $error("queue: head moved to %0d, outside the ring", head_i);
  QFetchPtrInRing: assert property (@(posedge clk_i) disable iff (!rst_ni)
    fptr_i != $past(fptr_i) |-> (fptr_i & ~$past(mask_i)) == 32'd0)
    else $error("queue: fetch pointer moved to %0d, outside the ring", fptr_i);

  QStartWhileBusy: assert property (@(posedge clk_i) disable iff (!rst_ni)
    eng_start_i |-> !eng_busy_i) else $error("queue: engine started while busy");
  QOneInFlight: assert property (@(posedge clk_i) disable iff (!rst_ni)
    eng_start_i |-> !infl_i) else $error("queue: a second instruction issued while one is in flight");

  // RETIRED counts retirements one by one; only SOFT_RESET takes it back (to 0).
  QRetiredStep: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !$past(soft_reset_i) |-> retired_i == $past(retired_i) + 24'($past(retire_i)))
    else $error("queue: RETIRED went from %0d to %0d", $past(retired_i), retired_i);
  QRetiredReset: assert property (@(posedge clk_i) disable iff (!rst_ni)
    $past(soft_reset_i) |-> retired_i == 24'd0) else $error("queue: RETIRED not cleared by SOFT_RESET");

  QStateLegal: assert property (@(posedge clk_i) disable iff (!rst_ni)
    state_i <= 3'd4) else $error("queue: illegal state %0d", state_i);

  CoverFetchFull: cover property (@(posedge clk_i) disable iff (!rst_ni) 32'(fcnt_i) == FETCH_DEPTH);
  CoverDropAfterSoftReset: cover property (@(posedge clk_i) disable iff (!rst_ni) push_i && drop_i != '0);

endmodule
