// Invariants of an NSP VC FIFO (rtl/switch/nsp_vc_fifo.sv), bound into every nsp_vc_fifo
// (the links' ingress FIFOs and the endpoints' TX queues; sva/switch/nsp_switch_bind.sv):
// committed plus speculative flits never exceed DEPTH (for an ingress FIFO: the buffer
// the link advertises as credit), the pointers stay inside the storage, and the committed
// count is the distance from the read to the commit pointer. Tested alone in
// tb/cocotb/switch_sva_tests.py.

module nsp_fifo_sva #(
  parameter int unsigned  DEPTH = 34,
  localparam int unsigned AW    = $clog2(DEPTH),
  localparam int unsigned CW    = $clog2(DEPTH + 1)
) (
  input logic          clk_i,
  input logic          rst_ni,
  input logic [AW-1:0] rd_i,        // read pointer
  input logic [AW-1:0] wr_i,        // commit pointer
  input logic [AW-1:0] spec_i,      // speculative write pointer
  input logic [CW-1:0] cnt_i,       // committed flits
  input logic [CW-1:0] spec_cnt_i   // speculative flits
);

  logic [31:0] ptr_dist;
  assign ptr_dist = (32'(wr_i) + DEPTH - 32'(rd_i)) % DEPTH;

  FifoBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(cnt_i) + 32'(spec_cnt_i) <= DEPTH)
    else $error("fifo: %0d committed + %0d speculative flits > DEPTH %0d", cnt_i, spec_cnt_i, DEPTH);
  FifoPtrLegal: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(rd_i) < DEPTH && 32'(wr_i) < DEPTH && 32'(spec_i) < DEPTH)
    else $error("fifo: pointer outside the %0d entries (rd %0d, wr %0d, spec %0d)", DEPTH, rd_i, wr_i, spec_i);
  FifoCount: assert property (@(posedge clk_i) disable iff (!rst_ni)
    ptr_dist == 32'(cnt_i) % DEPTH)
    else $error("fifo: %0d committed flits, but the commit pointer is %0d entries after the read pointer", cnt_i, ptr_dist);

  CoverFifoFull: cover property (@(posedge clk_i) disable iff (!rst_ni) 32'(cnt_i) == DEPTH);

endmodule
