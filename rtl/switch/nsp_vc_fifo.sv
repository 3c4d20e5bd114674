// Ingress FIFO of one VC with speculative writes: the link's RX writes a packet's flits as
// they arrive and commits them at a good trailer or aborts them at a bad one. The read side
// sees committed flits only, so a packet at the head is always complete.

module nsp_vc_fifo #(
  parameter int unsigned DEPTH = 34,
  parameter int unsigned W     = 128,
  localparam int unsigned AW   = $clog2(DEPTH),
  localparam int unsigned CW   = $clog2(DEPTH + 1)
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          wr_i,       // speculative write (dropped when full: ovf_o)
  input  logic [W-1:0]  wdata_i,
  input  logic          commit_i,   // the speculative flits become visible
  input  logic          abort_i,    // the speculative flits are discarded (before wr_i)
  output logic          full_o,     // no room for a speculative write
  input  logic          pop_i,
  output logic          valid_o,
  output logic [W-1:0]  rdata_o,
  output logic [CW-1:0] count_o     // committed flits
);

  logic [W-1:0]  mem_q [DEPTH];
  logic [AW-1:0] rd_q, wr_q, spec_q, wbase, rd_d, wr_d, spec_d;
  logic [CW-1:0] cnt_q, cnt_d, spec_cnt_q, spec_cnt_d, scnt_base;

  function automatic logic [AW-1:0] ptr_inc(logic [AW-1:0] p);
    return (32'(p) == DEPTH - 1) ? '0 : p + AW'(1);
  endfunction

  always_comb begin
    wbase     = abort_i ? wr_q : spec_q;
    scnt_base = abort_i ? '0 : spec_cnt_q;
    full_o    = (32'(cnt_q) + 32'(scnt_base)) >= DEPTH;
    rd_d      = rd_q;
    cnt_d     = cnt_q;
    spec_d    = wbase;
    spec_cnt_d = scnt_base;
    wr_d      = wr_q;
    if (wr_i && !full_o) begin
      spec_d     = ptr_inc(wbase);
      spec_cnt_d = scnt_base + CW'(1);
    end
    if (pop_i && cnt_q != '0) begin
      rd_d  = ptr_inc(rd_q);
      cnt_d = cnt_q - CW'(1);
    end
    if (commit_i) begin
      wr_d       = spec_d;
      cnt_d      = cnt_d + spec_cnt_d;
      spec_cnt_d = '0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q       <= '0;
      wr_q       <= '0;
      spec_q     <= '0;
      cnt_q      <= '0;
      spec_cnt_q <= '0;
    end else begin
      rd_q       <= rd_d;
      wr_q       <= wr_d;
      spec_q     <= spec_d;
      cnt_q      <= cnt_d;
      spec_cnt_q <= spec_cnt_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (wr_i && !full_o) mem_q[wbase] <= wdata_i;
  end

  assign valid_o = cnt_q != '0;
  assign rdata_o = mem_q[rd_q];
  assign count_o = cnt_q;

endmodule
