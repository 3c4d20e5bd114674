// Invariants of the NSP switch's allocator and crossbar (rtl/switch/nsp_switch.sv), bound
// into nsp_switch (sva/switch/nsp_switch_bind.sv): an output is granted only when free and
// an input at most once per cycle and only when free; busy outputs and busy inputs are
// connected one to one (owner and connection agree, no input feeds two outputs); and per
// output, once a packet's header has passed, only that packet's flits follow (same input,
// no header) until its tail, which comes exactly after `len` data flits. Tested alone in
// tb/cocotb/switch_sva_tests.py.

module nsp_xbar_sva
  import nsp_pkg::*;
#(
  parameter int unsigned  NPORTS = 4,
  localparam int unsigned PW     = NPORTS > 1 ? $clog2(NPORTS) : 1
) (
  input logic                         clk_i,
  input logic                         rst_ni,
  input logic [NPORTS-1:0]            og_v_i,      // output o grants input og_in_i[o]
  input logic [NPORTS-1:0][PW-1:0]    og_in_i,
  input logic [NPORTS-1:0]            out_busy_i,  // output o is connected to input owner_i[o]
  input logic [NPORTS-1:0][PW-1:0]    owner_i,
  input logic [NPORTS-1:0]            in_busy_i,   // input p streams to output conn_i[p]
  input logic [NPORTS-1:0][PW-1:0]    conn_i,
  input logic [NPORTS-1:0]            eg_valid_i,  // the flits into each output's link
  input logic [NPORTS-1:0]            eg_ready_i,
  input logic [NPORTS-1:0]            eg_sop_i,
  input logic [NPORTS-1:0]            eg_eop_i,
  input flit_t [NPORTS-1:0]           eg_data_i
);

  // Per output: inside a packet, from which input, data flits left.
  logic [NPORTS-1:0]         pk_q, pk_d;
  logic [NPORTS-1:0][PW-1:0] src_q, src_d;
  logic [NPORTS-1:0][4:0]    rem_q, rem_d;
  logic [NPORTS-1:0]         g_bad, i_bad, c_bad, il_bad, hd_bad, len_bad;
  logic [NPORTS-1:0][4:0]    h_len;
  hdr_t [NPORTS-1:0]         hd;
  logic                      unused_hd;
  assign hd        = eg_data_i;   // a header when it is the first flit of a packet
  assign unused_hd = ^hd;

  always_comb begin
    pk_d    = pk_q;
    src_d   = src_q;
    rem_d   = rem_q;
    g_bad   = '0;
    i_bad   = '0;
    c_bad   = '0;
    il_bad  = '0;
    hd_bad  = '0;
    len_bad = '0;
    for (int unsigned o = 0; o < NPORTS; o++) begin
      h_len[o] = hd[o].len;
      if (og_v_i[o] && out_busy_i[o]) g_bad[o] = 1'b1;
      // Inputs granted twice in one cycle, or while busy.
      if (og_v_i[o]) begin
        if (in_busy_i[og_in_i[o]]) i_bad[o] = 1'b1;
        for (int unsigned q = 0; q < NPORTS; q++) begin
          if (q != o && og_v_i[q] && og_in_i[q] == og_in_i[o]) i_bad[o] = 1'b1;
        end
      end
      // One-to-one connections.
      if (out_busy_i[o] && !(in_busy_i[owner_i[o]] && 32'(conn_i[owner_i[o]]) == o)) c_bad[o] = 1'b1;
      if (in_busy_i[o] && !(out_busy_i[conn_i[o]] && 32'(owner_i[conn_i[o]]) == o)) c_bad[o] = 1'b1;
      // Packets on the output.
      if (pk_q[o] && og_v_i[o]) il_bad[o] = 1'b1;  // a new grant inside a packet
      if (eg_valid_i[o] && eg_ready_i[o]) begin
        if (!pk_q[o]) begin
          if (!eg_sop_i[o]) hd_bad[o] = 1'b1;
          if (eg_eop_i[o] != (h_len[o] == '0) || 32'(h_len[o]) > MAX_DATA_FLITS) len_bad[o] = 1'b1;
          pk_d[o]  = h_len[o] != '0;
          src_d[o] = owner_i[o];
          rem_d[o] = h_len[o];
        end else begin
          if (eg_sop_i[o] || owner_i[o] != src_q[o]) il_bad[o] = 1'b1;
          if (eg_eop_i[o] != (rem_q[o] == 5'd1)) len_bad[o] = 1'b1;
          rem_d[o] = rem_q[o] - 5'd1;
          if (rem_q[o] == 5'd1) pk_d[o] = 1'b0;
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pk_q  <= '0;
      src_q <= '0;
      rem_q <= '0;
    end else begin
      pk_q  <= pk_d;
      src_q <= src_d;
      rem_q <= rem_d;
    end
  end

  XbarGrantFree: assert property (@(posedge clk_i) disable iff (!rst_ni)
    g_bad == '0) else $error("xbar: busy output(s) %b granted again", g_bad);
  XbarInputOnce: assert property (@(posedge clk_i) disable iff (!rst_ni)
    i_bad == '0) else $error("xbar: output(s) %b granted an input that is busy or granted twice", i_bad);
  XbarOneToOne: assert property (@(posedge clk_i) disable iff (!rst_ni)
    c_bad == '0) else $error("xbar: owner and connection disagree at port(s) %b", c_bad);
  XbarNoInterleave: assert property (@(posedge clk_i) disable iff (!rst_ni)
    il_bad == '0) else $error("xbar: output(s) %b took a flit of another packet before the tail", il_bad);
  XbarHeaderFirst: assert property (@(posedge clk_i) disable iff (!rst_ni)
    hd_bad == '0) else $error("xbar: output(s) %b started a packet without a header", hd_bad);
  XbarPacketLength: assert property (@(posedge clk_i) disable iff (!rst_ni)
    len_bad == '0) else $error("xbar: output(s) %b: tail not after exactly len data flits", len_bad);

endmodule
