// NSP switch port: an nsp_link (with its per-VC ingress FIFOs), the head-of-FIFO route
// lookup and TTL check, the drop engine (route miss, TTL expiry) with the DECODE_ERR
// response slot, the stream of the granted packet into the crossbar (TTL decremented),
// and the egress side (link TX with its credit and room) for the crossbar's output.
// Sources: 0..NVC-1 the VC FIFOs, NVC the synthesised response (sent on VC1).

module nsp_port
  import nsp_pkg::*;
#(
  parameter int unsigned NPORTS         = 4,
  parameter int unsigned BUF_FLITS      = DEF_BUF_FLITS,
  parameter int unsigned RB_FLITS       = 128,
  parameter int unsigned RB_PKTS        = 16,
  parameter int unsigned REPLAY_TIMEOUT = 256,
  parameter int unsigned REPLAY_NUM_MAX = 4,
  localparam int unsigned PW            = NPORTS > 1 ? $clog2(NPORTS) : 1,
  localparam int unsigned NSRC          = NVC + 1
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       enable_i,
  input  logic                       retrain_i,
  // Wire.
  output logic                       tx_valid_o,
  output logic [1:0]                 tx_kind_o,
  output flit_t                      tx_data_o,
  input  logic                       rx_valid_i,
  input  logic [1:0]                 rx_kind_i,
  input  flit_t                      rx_data_i,
  // Route lookup of each source's head (dst id in, {valid, port} back, same cycle).
  output logic [NSRC-1:0][ID_W-1:0]  lk_dst_o,
  input  logic [NSRC-1:0]            lk_valid_i,
  input  logic [NSRC-1:0][PW-1:0]    lk_port_i,
  // Requests to the allocator (a complete packet with a valid route).
  output logic [NSRC-1:0]            req_o,
  output logic [NSRC-1:0][PW-1:0]    req_port_o,
  output logic [NSRC-1:0][1:0]       req_vc_o,
  output logic [NSRC-1:0][4:0]       req_len_o,
  input  logic                       gnt_i,       // start streaming source gnt_src_i
  input  logic [2:0]                 gnt_src_i,
  output logic                       busy_o,
  // This input's flit into the crossbar.
  output logic                       xb_valid_o,
  output flit_t                      xb_data_o,
  output logic                       xb_sop_o,
  output logic                       xb_eop_o,
  input  logic                       xb_ready_i,
  // Egress: the crossbar's output into this port's link.
  input  logic                       eg_valid_i,
  input  flit_t                      eg_data_i,
  input  logic                       eg_sop_i,
  input  logic                       eg_eop_i,
  output logic                       eg_ready_o,
  output logic [NVC-1:0][CR_W-1:0]   eg_credit_o,
  output logic                       eg_room_o,
  // Events (pulses) and status.
  output logic [NVC-1:0]             ev_route_miss_o,  // per VC: several may drop in one cycle
  output logic [NVC-1:0]             ev_ttl_o,
  output logic                       ev_resp_gen_o,
  output logic                       ev_resp_drop_o,
  output logic [7:0]                 ev_link_o,   // crc, seq, replay_to, nak_rx, ovf, poison, degraded, up
  output logic [2:0]                 state_o,
  input  logic [5:0]                 cnt_idx_i,
  output logic [31:0]                cnt_o
);

  localparam int unsigned OCC_W = $clog2(BUF_FLITS + 1);

  logic [NVC-1:0]            q_valid, q_pop;
  flit_t [NVC-1:0]           q_data;
  logic [NVC-1:0][OCC_W-1:0] q_cnt;

  nsp_link #(
    .BUF_FLITS(BUF_FLITS), .RB_FLITS(RB_FLITS), .RB_PKTS(RB_PKTS),
    .REPLAY_TIMEOUT(REPLAY_TIMEOUT), .REPLAY_NUM_MAX(REPLAY_NUM_MAX)
  ) u_link (
    .clk_i, .rst_ni, .enable_i, .retrain_i,
    .tx_valid_o, .tx_kind_o, .tx_data_o, .rx_valid_i, .rx_kind_i, .rx_data_i,
    .up_valid_i(eg_valid_i), .up_data_i(eg_data_i), .up_sop_i(eg_sop_i), .up_eop_i(eg_eop_i),
    .up_ready_o(eg_ready_o), .tx_credit_o(eg_credit_o), .tx_room_o(eg_room_o),
    .rxq_valid_o(q_valid), .rxq_data_o(q_data), .rxq_pop_i(q_pop), .rxq_count_o(q_cnt),
    .state_o,
    .ev_crc_o(ev_link_o[0]), .ev_seq_o(ev_link_o[1]), .ev_replay_to_o(ev_link_o[2]),
    .ev_nak_rx_o(ev_link_o[3]), .ev_ovf_o(ev_link_o[4]), .ev_poison_o(ev_link_o[5]),
    .ev_degraded_o(ev_link_o[6]), .ev_up_o(ev_link_o[7]),
    .cnt_idx_i, .cnt_o);

  // Streaming state.
  logic            busy_q, busy_d;
  logic [2:0]      src_q, src_d;
  logic            first_q, first_d;
  logic [4:0]      rem_q, rem_d;
  // Drop engine per VC.
  logic [NVC-1:0]       drop_q, drop_d;
  logic [NVC-1:0][4:0]  drem_q, drem_d;
  // Synthesised DECODE_ERR response.
  logic            syn_q, syn_d;
  hdr_t            syn_hdr_q, syn_hdr_d;

  hdr_t [NVC-1:0]  hd;
  logic [NVC-1:0]  at_hdr;
  hdr_t            xh, rh;

  // Head decode (kept apart from the logic that uses the lookup results).
  always_comb begin
    for (int unsigned v = 0; v < NVC; v++) begin
      hd[v]         = hdr_t'(q_data[v]);
      lk_dst_o[v]   = hd[v].dst;
      at_hdr[v]     = q_valid[v] && !drop_q[v] && !(busy_q && 32'(src_q) == v);
      req_vc_o[v]   = 2'(v);
      req_len_o[v]  = hd[v].len;
    end
    lk_dst_o[NVC]  = syn_hdr_q.dst;
    req_vc_o[NVC]  = VC_RSP;
    req_len_o[NVC] = '0;
  end
  assign req_port_o = lk_port_i;

  always_comb begin
    busy_d    = busy_q;
    src_d     = src_q;
    first_d   = first_q;
    rem_d     = rem_q;
    drop_d    = drop_q;
    drem_d    = drem_q;
    syn_d     = syn_q;
    syn_hdr_d = syn_hdr_q;
    q_pop     = '0;
    req_o     = '0;
    ev_route_miss_o = '0;
    ev_ttl_o        = '0;
    ev_resp_gen_o   = 1'b0;
    ev_resp_drop_o  = 1'b0;
    rh        = '0;


    // Heads: forward (request), or drop (TTL expired, route miss).
    for (int unsigned v = 0; v < NVC; v++) begin
      if (at_hdr[v]) begin
        if (hd[v].ttl == '0) begin
          ev_ttl_o[v]  = 1'b1;
          q_pop[v]     = 1'b1;
          drop_d[v]    = hd[v].len != '0;
          drem_d[v]    = hd[v].len;
        end else if (!lk_valid_i[v]) begin
          if (hd[v].opcode == OP_RD || hd[v].opcode == OP_WR) begin
            if (!syn_d) begin  // one response slot: a second miss waits for it
              ev_route_miss_o[v] = 1'b1;
              ev_resp_gen_o   = 1'b1;
              q_pop[v]        = 1'b1;
              drop_d[v]       = hd[v].len != '0;
              drem_d[v]       = hd[v].len;
              syn_d           = 1'b1;
              rh              = '0;
              rh.opcode       = hd[v].opcode == OP_RD ? OP_RD_RSP : OP_WR_RSP;
              rh.vc           = VC_RSP;
              rh.dst          = hd[v].src;
              rh.src          = hd[v].dst;
              rh.tag          = hd[v].tag;
              rh.flow         = hd[v].flow;
              rh.status       = ST_DECODE_ERR;
              rh.ttl          = 4'hF;
              rh.addr         = hd[v].addr;
              syn_hdr_d       = rh;
            end
          end else begin
            ev_route_miss_o[v] = 1'b1;
            q_pop[v]        = 1'b1;
            drop_d[v]       = hd[v].len != '0;
            drem_d[v]       = hd[v].len;
          end
        end else begin
          req_o[v] = 1'b1;
        end
      end else if (drop_q[v] && q_valid[v]) begin
        q_pop[v]  = 1'b1;
        drem_d[v] = drem_q[v] - 5'd1;
        if (drem_q[v] == 5'd1) drop_d[v] = 1'b0;
      end
    end
    // The synthesised response: forwarded if its own route is valid, else dropped.
    if (syn_q && !(busy_q && src_q == 3'(NVC))) begin
      if (lk_valid_i[NVC]) begin
        req_o[NVC] = 1'b1;
      end else begin
        syn_d          = 1'b0;
        ev_resp_drop_o = 1'b1;
      end
    end
    if (busy_q) req_o = '0;

    // Stream the granted packet.
    xb_valid_o = 1'b0;
    xb_data_o  = q_data[src_q[1:0]];
    xb_sop_o   = first_q;
    xb_eop_o   = 1'b0;
    xh         = hdr_t'(q_data[src_q[1:0]]);
    if (busy_q) begin
      if (src_q == 3'(NVC)) begin
        xb_valid_o = 1'b1;
        xb_data_o  = flit_t'(syn_hdr_q);
        xb_eop_o   = 1'b1;
        if (xb_ready_i) begin
          busy_d = 1'b0;
          syn_d  = 1'b0;
        end
      end else begin
        xb_valid_o = q_valid[src_q[1:0]];
        if (first_q) begin
          xh.ttl    = xh.ttl - 4'd1;
          xb_data_o = flit_t'(xh);
          xb_eop_o  = xh.len == '0;
        end else begin
          xb_eop_o  = rem_q == 5'd1;
        end
        if (xb_ready_i && q_valid[src_q[1:0]]) begin
          q_pop[src_q[1:0]] = 1'b1;
          first_d = 1'b0;
          if (first_q) begin
            rem_d = xh.len;
            if (xh.len == '0) busy_d = 1'b0;
          end else begin
            rem_d = rem_q - 5'd1;
            if (rem_q == 5'd1) busy_d = 1'b0;
          end
        end
      end
    end
    if (gnt_i) begin
      busy_d  = 1'b1;
      src_d   = gnt_src_i;
      first_d = 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q    <= 1'b0;
      src_q     <= '0;
      first_q   <= 1'b0;
      rem_q     <= '0;
      drop_q    <= '0;
      drem_q    <= '0;
      syn_q     <= 1'b0;
      syn_hdr_q <= '0;
    end else begin
      busy_q    <= busy_d;
      src_q     <= src_d;
      first_q   <= first_d;
      rem_q     <= rem_d;
      drop_q    <= drop_d;
      drem_q    <= drem_d;
      syn_q     <= syn_d;
      syn_hdr_q <= syn_hdr_d;
    end
  end

  assign busy_o = busy_q;

  logic unused_port;
  assign unused_port = ^{q_cnt, hd, rh, xh};

endmodule
