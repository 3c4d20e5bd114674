// Invariants of an NSP switch port (rtl/switch/nsp_port.sv), bound into every nsp_port
// (sva/switch/nsp_switch_bind.sv): the streaming state names a legal source (a VC, whose
// output queue the port streams, or the synthesised response) and a count of at most MAX_DATA_FLITS data flits, a drop in
// progress has 1..MAX_DATA_FLITS flits left, and a grant never arrives while the port
// streams a packet. Tested alone in tb/cocotb/switch_sva_tests.py.

module nsp_port_sva
  import nsp_pkg::*;
(
  input logic                clk_i,
  input logic                rst_ni,
  input logic                busy_i,     // streaming a granted packet
  input logic [2:0]          src_i,      // its source: VC 0..3, NVC = synthesised response
  input logic [4:0]          rem_i,      // data flits left (after the header)
  input logic                gnt_i,      // the allocator grants this input
  input logic [NVC-1:0]      drop_i,     // per VC: dropping a packet's data flits
  input logic [NVC-1:0][4:0] drem_i      // ... data flits left to drop
);

  logic drop_bad;
  always_comb begin
    drop_bad = 1'b0;
    for (int unsigned v = 0; v < NVC; v++) begin
      if (drop_i[v] && (drem_i[v] == '0 || 32'(drem_i[v]) > MAX_DATA_FLITS)) drop_bad = 1'b1;
    end
  end

  PortStreamLegal: assert property (@(posedge clk_i) disable iff (!rst_ni)
    busy_i |-> 32'(src_i) <= NVC && 32'(rem_i) <= MAX_DATA_FLITS)
    else $error("port: streaming from illegal source %0d with %0d flits left", src_i, rem_i);
  PortDropLegal: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !drop_bad) else $error("port: a drop in progress with an illegal flit count (VCs %b)", drop_i);
  PortGrantWhenFree: assert property (@(posedge clk_i) disable iff (!rst_ni)
    gnt_i |-> !busy_i) else $error("port: granted while still streaming from source %0d", src_i);

endmodule
