// Credit conservation on one direction of an NSP link, one VC per bit of the checks: the
// sender's absolute counters (flits sent, limit received) and the receiver's (flits
// freed, flits committed in its ingress FIFO) split the receiver's BUF flits of buffer
// into four parts that always sum to BUF (mod 2^12):
//   credit held by the sender      limit - sent
//   flits in flight                sent - freed - buffered   (on the wire, being received,
//                                                             lost and awaiting replay)
//   flits buffered                 buffered (committed in the ingress FIFO)
//   credit on its way back         freed + BUF - limit
// With absolute counters the sum is BUF by construction; conservation means that no part
// is ever negative or above BUF, and that is what is checked. Instantiated per port and
// direction by the switch testbench (tb/switch/nsp_tb_top.sv), which sees both sides of
// every link; en_i turns the check off for an endpoint that ignores credit on purpose
// (sw_credit_ovf). Tested alone in tb/cocotb/switch_sva_tests.py.

module nsp_credit_sva
  import nsp_pkg::*;
#(
  parameter int unsigned  BUF_FLITS = DEF_BUF_FLITS,
  localparam int unsigned OCC_W     = $clog2(BUF_FLITS + 1)
) (
  input logic                      clk_i,
  input logic                      rst_ni,
  input logic                      en_i,
  input logic [NVC-1:0][CR_W-1:0]  sent_i,    // sender: flits sent
  input logic [NVC-1:0][CR_W-1:0]  limit_i,   // sender: limit from the receiver
  input logic [NVC-1:0][CR_W-1:0]  freed_i,   // receiver: flits freed
  input logic [NVC-1:0][OCC_W-1:0] occ_i      // receiver: committed flits in the FIFO
);

  logic [NVC-1:0][CR_W-1:0] held, infl, back;
  logic [NVC-1:0]           held_bad, infl_bad, back_bad;
  always_comb begin
    for (int unsigned v = 0; v < NVC; v++) begin
      held[v]     = limit_i[v] - sent_i[v];
      infl[v]     = sent_i[v] - freed_i[v] - CR_W'(occ_i[v]);
      back[v]     = freed_i[v] + CR_W'(BUF_FLITS) - limit_i[v];
      held_bad[v] = 32'(held[v]) > BUF_FLITS;
      infl_bad[v] = 32'(infl[v]) > BUF_FLITS;
      back_bad[v] = 32'(back[v]) > BUF_FLITS;
    end
  end

  CreditHeldBound: assert property (@(posedge clk_i) disable iff (!rst_ni || !en_i)
    held_bad == '0) else $error("credit: sender holds more than %0d or negative credit (VCs %b)", BUF_FLITS, held_bad);
  CreditInFlightBound: assert property (@(posedge clk_i) disable iff (!rst_ni || !en_i)
    infl_bad == '0) else $error("credit: flits in flight negative or above %0d (VCs %b)", BUF_FLITS, infl_bad);
  CreditReturnBound: assert property (@(posedge clk_i) disable iff (!rst_ni || !en_i)
    back_bad == '0) else $error("credit: limit ahead of the receiver's freed + %0d, or credit lost (VCs %b)",
                                BUF_FLITS, back_bad);

endmodule
