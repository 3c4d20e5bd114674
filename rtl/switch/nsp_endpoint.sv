// NSP endpoint: an nsp_link plus the core-side packet interface, valid/ready per VC.
// TX: per-VC FIFOs take the core's flits (header first); a VC becomes eligible when its
// head packet is complete and the link advertises credit for it (virtual cut-through);
// VC1 > VC2 > VC0 > VC3, and a VC that waited AGE_MAX cycles goes first.
// RX: the link's ingress FIFOs, read by the core; credit returns as flits are read.

module nsp_endpoint
  import nsp_pkg::*;
#(
  parameter int unsigned BUF_FLITS      = DEF_BUF_FLITS,
  parameter int unsigned TXQ_FLITS      = DEF_BUF_FLITS,
  parameter int unsigned RB_FLITS       = 128,
  parameter int unsigned RB_PKTS        = 16,
  parameter int unsigned REPLAY_TIMEOUT = 256,
  parameter int unsigned REPLAY_NUM_MAX = 4,
  parameter int unsigned AGE_MAX        = 64,
  localparam int unsigned OCC_W         = $clog2(BUF_FLITS + 1),
  localparam int unsigned TQ_W          = $clog2(TXQ_FLITS + 1)
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  input  logic                      enable_i,
  input  logic                      retrain_i,
  input  logic                      tst_credit_ignore_i,  // test hook: start packets without credit
  // Wire.
  output logic                      tx_valid_o,
  output logic [1:0]                tx_kind_o,
  output flit_t                     tx_data_o,
  input  logic                      rx_valid_i,
  input  logic [1:0]                rx_kind_i,
  input  flit_t                     rx_data_i,
  // Core side, to the link.
  input  logic [NVC-1:0]            in_valid_i,
  input  flit_t [NVC-1:0]           in_data_i,
  output logic [NVC-1:0]            in_ready_o,
  // Core side, from the link.
  output logic [NVC-1:0]            out_valid_o,
  output flit_t [NVC-1:0]           out_data_o,
  input  logic [NVC-1:0]            out_ready_i,
  output logic [NVC-1:0][OCC_W-1:0] out_count_o,
  // Status.
  output logic [2:0]                state_o,
  input  logic [5:0]                cnt_idx_i,
  output logic [31:0]               cnt_o
);

  logic [NVC-1:0]            q_valid, q_pop, q_full;
  flit_t [NVC-1:0]           q_data;
  logic [NVC-1:0][TQ_W-1:0]  q_cnt;
  logic [NVC-1:0][CR_W-1:0]  credit;
  logic                      room;
  logic                      up_valid, up_sop, up_eop, up_ready;
  flit_t                     up_data;

  for (genvar v = 0; v < NVC; v++) begin : g_txq
    nsp_vc_fifo #(.DEPTH(TXQ_FLITS), .W(FLIT_W)) u_txq (
      .clk_i, .rst_ni,
      .wr_i(in_valid_i[v] && in_ready_o[v]), .wdata_i(in_data_i[v]),
      .commit_i(in_valid_i[v] && in_ready_o[v]), .abort_i(1'b0), .full_o(q_full[v]),
      .pop_i(q_pop[v]), .valid_o(q_valid[v]), .rdata_o(q_data[v]), .count_o(q_cnt[v]));
    assign in_ready_o[v] = !q_full[v];
  end

  // VC selection and streaming.
  logic            act_q, act_d;
  logic [1:0]      cur_q, cur_d;
  logic [4:0]      rem_q, rem_d;
  logic [NVC-1:0][7:0] age_q, age_d;
  logic [NVC-1:0]  elig;
  logic            sel_v;
  logic [1:0]      sel;
  hdr_t            h;

  always_comb begin
    for (int unsigned v = 0; v < NVC; v++) begin
      h = hdr_t'(q_data[v]);
      elig[v] = q_valid[v] && 32'(q_cnt[v]) >= 32'(h.len) + 1 &&
                (tst_credit_ignore_i || 32'(credit[v]) >= 32'(h.len) + 1);
    end
    h     = hdr_t'(q_data[cur_q]);
    sel_v = 1'b0;
    sel   = '0;
    // Aged VCs first (lowest index), then VC1 > VC2 > VC0 > VC3.
    for (int v = NVC - 1; v >= 0; v--) begin
      if (elig[v] && 32'(age_q[v]) >= AGE_MAX) begin
        sel_v = 1'b1;
        sel   = 2'(v);
      end
    end
    if (!sel_v) begin
      if (elig[1]) begin
        sel_v = 1'b1;
        sel   = 2'd1;
      end else if (elig[2]) begin
        sel_v = 1'b1;
        sel   = 2'd2;
      end else if (elig[0]) begin
        sel_v = 1'b1;
        sel   = 2'd0;
      end else if (elig[3]) begin
        sel_v = 1'b1;
        sel   = 2'd3;
      end
    end

    act_d    = act_q;
    cur_d    = cur_q;
    rem_d    = rem_q;
    age_d    = age_q;
    q_pop    = '0;
    up_valid = 1'b0;
    up_sop   = 1'b0;
    up_eop   = 1'b0;
    up_data  = q_data[cur_q];
    if (act_q) begin
      up_valid = q_valid[cur_q];
      up_eop   = rem_q == 5'd1;
      if (up_ready && q_valid[cur_q]) begin
        q_pop[cur_q] = 1'b1;
        rem_d = rem_q - 5'd1;
        if (rem_q == 5'd1) act_d = 1'b0;
      end
    end else if (sel_v && room) begin
      up_valid = 1'b1;
      up_sop   = 1'b1;
      up_data  = q_data[sel];
      h        = hdr_t'(q_data[sel]);
      up_eop   = h.len == '0;
      if (up_ready) begin
        q_pop[sel] = 1'b1;
        cur_d = sel;
        rem_d = h.len;
        act_d = h.len != '0;
        age_d[sel] = '0;
      end
    end
    for (int unsigned v = 0; v < NVC; v++) begin
      if (elig[v] && !(q_pop[v] && !act_q) && age_q[v] != 8'hFF) age_d[v] = age_q[v] + 8'd1;
      if (!elig[v]) age_d[v] = '0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_q <= 1'b0;
      cur_q <= '0;
      rem_q <= '0;
      age_q <= '0;
    end else begin
      act_q <= act_d;
      cur_q <= cur_d;
      rem_q <= rem_d;
      age_q <= age_d;
    end
  end

  logic [NVC-1:0] rx_pop;
  logic [7:0]     ev;        // link events: the endpoint's counters are the link's
  flit_t          rx_hdr;    // used by switch ports only (virtual output queues)
  logic           unused_ep;
  assign unused_ep = ^{ev, h, rx_hdr};
  assign rx_pop = out_ready_i & out_valid_o;

  nsp_link #(
    .BUF_FLITS(BUF_FLITS), .RB_FLITS(RB_FLITS), .RB_PKTS(RB_PKTS),
    .REPLAY_TIMEOUT(REPLAY_TIMEOUT), .REPLAY_NUM_MAX(REPLAY_NUM_MAX)
  ) u_link (
    .clk_i, .rst_ni, .enable_i, .retrain_i,
    .tx_valid_o, .tx_kind_o, .tx_data_o, .rx_valid_i, .rx_kind_i, .rx_data_i,
    .up_valid_i(up_valid), .up_data_i(up_data), .up_sop_i(up_sop), .up_eop_i(up_eop),
    .up_ready_o(up_ready), .tx_credit_o(credit), .tx_room_o(room),
    .rxq_valid_o(out_valid_o), .rxq_data_o(out_data_o), .rxq_pop_i(rx_pop), .rxq_count_o(out_count_o),
    .rx_hdr_o(rx_hdr), .rx_qsel_i(1'b0), .state_o,
    .ev_crc_o(ev[0]), .ev_seq_o(ev[1]), .ev_replay_to_o(ev[2]), .ev_nak_rx_o(ev[3]), .ev_ovf_o(ev[4]),
    .ev_poison_o(ev[5]), .ev_degraded_o(ev[6]), .ev_up_o(ev[7]),
    .cnt_idx_i, .cnt_o);

endmodule
